/// How to fit a logistic model. Kept apart from the model (what to fit) and the fit (what was found).
public struct FitOptions: Sendable, Equatable {
    public enum Method: String, Sendable, CaseIterable {
        /// Maximum likelihood by Newton-Raphson / IRLS.
        case maximumLikelihood = "logistic"
        /// Firth's penalised likelihood, ℓ(β) + ½ log|I(β)|, as R's `logistf` fits it.
        case firth
    }

    public var method: Method
    /// Newton iterations at most (R `glm`: 25; `logistf`: 25).
    public var maxIterations: Int
    /// Maximum likelihood: stop when |dev - dev_old| / (|dev| + 0.1) < tolerance (R's `glm.control`
    /// rule, default 1e-8). Firth: stop when every |step| and every |modified score| is below it
    /// (`logistf`'s `xconv` and `gconv` together).
    public var tolerance: Double
    /// Step halvings tried when an iteration raises the deviance or makes it non-finite.
    public var maxStepHalvings: Int
    /// The largest change of any coefficient in one Newton step (`logistf`'s `maxstep`, 5); `nil`: no cap.
    public var maxStep: Double?
    /// A column is aliased when the norm of its residual, after projection on the columns before it,
    /// is below this fraction of its own norm (R's `lm`/`glm` QR tolerance, 1e-7).
    public var aliasTolerance: Double

    public init(method: Method, maxIterations: Int, tolerance: Double, maxStepHalvings: Int = 25, maxStep: Double? = nil, aliasTolerance: Double = 1e-7) {
        self.method = method
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.maxStepHalvings = maxStepHalvings
        self.maxStep = maxStep
        self.aliasTolerance = aliasTolerance
    }

    /// R's `glm` defaults: 25 iterations, relative deviance change 1e-8.
    public static let maximumLikelihood = FitOptions(method: .maximumLikelihood, maxIterations: 25, tolerance: 1e-8)
    /// `logistf`'s Newton-Raphson with its step cap of 5, converged more tightly than its 1e-5 default
    /// so that reported digits do not depend on where iteration stopped.
    public static let firth = FitOptions(method: .firth, maxIterations: 100, tolerance: 1e-9, maxStep: 5)

    public static func defaults(for method: Method) -> FitOptions {
        method == .firth ? .firth : .maximumLikelihood
    }
}

/// How the iterations ended. A data problem is a value here, never an exception.
public enum Convergence: Sendable, Equatable {
    case converged(iterations: Int)
    case maxIterationsReached(Int)
    /// The maximum-likelihood estimate does not exist: these terms' coefficients diverge.
    case separation(terms: [String], complete: Bool, iterations: Int)

    public var isConverged: Bool { if case .converged = self { true } else { false } }
    public var iterations: Int {
        switch self {
        case .converged(let n), .maxIterationsReached(let n), .separation(_, _, let n): n
        }
    }
}

/// Something the user must know to read a fit correctly. Printed in every table header and listed in JSON.
public enum FitDiagnostic: Sendable, Equatable, CustomStringConvertible {
    case aliased(columns: [String])
    case separation(columns: [String], complete: Bool)
    case notConverged(iterations: Int)
    case rowsDropped(count: Int, reasons: [String: Int])
    case fittedProbabilitiesAtBoundary(count: Int)

    public var description: String {
        switch self {
        case .aliased(let columns):
            "rank deficient: \(columns.joined(separator: ", ")) \(columns.count == 1 ? "is" : "are") a linear combination of earlier columns (aliased) and not estimated"
        case .separation(let columns, let complete):
            "\(complete ? "complete" : "quasi-complete") separation: the maximum-likelihood estimate does not exist; the coefficient\(columns.count == 1 ? "" : "s") of \(columns.joined(separator: ", ")) diverge\(columns.count == 1 ? "s" : ""), so \(columns.count == 1 ? "its" : "their") estimate, SE and Wald CI are not valid; refit with --firth"
        case .notConverged(let iterations):
            "did not converge in \(iterations) iterations; estimates are not reliable"
        case .rowsDropped(let count, let reasons):
            "\(count) row\(count == 1 ? "" : "s") dropped for missing values (" + reasons.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
        case .fittedProbabilitiesAtBoundary(let count):
            "fitted probabilities numerically 0 or 1 for \(count) observation\(count == 1 ? "" : "s")"
        }
    }
}

/// How to fit a logistic model. Kept apart from the model (what to fit) and the fit (what was found).
public struct FitOptions: Sendable, Equatable {
    public enum Method: String, Sendable, CaseIterable {
        /// Maximum likelihood by Newton-Raphson / IRLS.
        case maximumLikelihood = "logistic"
        /// Firth's penalised likelihood, ℓ(β) + ½ log|I(β)|, as R's `logistf` fits it.
        case firth
    }

    public var method: Method
    /// Newton iterations at most (R `glm`: 25; `logistf`: 25; Firth here: 200, see ``firth``).
    public var maxIterations: Int
    /// Stop at the first point where the Newton decrement λ = √(Uᵀ I⁻¹ U) (the score, modified for
    /// Firth, in the metric of the information at that point) is at most this; 1e-10 by default for
    /// both methods. For maximum likelihood λ bounds the distance to the maximum in standard errors
    /// (|β̂ⱼ − βⱼ| ≤ λ SEⱼ) and λ² is the deviance decrease Newton predicts, so 1e-10 is "relative
    /// deviance change near machine precision" measured from the score rather than from a noisy
    /// difference of deviances; R's `glm.control` rule (|Δdev| / (|dev| + 0.1) < 1e-8) stops one or
    /// two Newton iterations earlier, up to 2e-8 relative away from the maximum (issue 12). Firth's
    /// iteration is a test on the modified score, never on the step (a capped or halved step is short
    /// far from the solution). Rounding-floor exceptions: see ``NewtonSolver``. The quantities reached
    /// are reported in ``LogisticFit/criterion``.
    public var tolerance: Double
    /// Step halvings tried when an iteration raises the deviance or makes it non-finite.
    public var maxStepHalvings: Int
    /// The largest change of any coefficient in one Newton step in the working basis, that is per
    /// standard deviation of its column (`logistf`'s `maxstep`, 5, which logistf applies in the
    /// covariate's own units: a covariate in small units then needs hundreds of capped steps to reach
    /// a large coefficient, issue 12); `nil`: no cap.
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

    /// R's `glm` iteration limit (25), converged to the Newton decrement 1e-10 (see ``tolerance``).
    public static let maximumLikelihood = FitOptions(method: .maximumLikelihood, maxIterations: 25, tolerance: 1e-10)
    /// `logistf`'s Newton-Raphson with its step cap of 5 (per standard deviation), converged far more
    /// tightly than its 1e-5 default so that reported digits do not depend on where iteration
    /// stopped. Firth's iteration converges linearly, slowly under separation (brglm2 needs 51
    /// iterations on MASS birthwt with a separating covariate), hence 200 iterations.
    public static let firth = FitOptions(method: .firth, maxIterations: 200, tolerance: 1e-10, maxStep: 5)

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

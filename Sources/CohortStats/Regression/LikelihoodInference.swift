#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A likelihood-ratio test of holding some coefficients at zero, with its own convergence status.
public struct LikelihoodRatioTest: Sendable, Equatable {
    /// A design column name, or a variable name for a whole categorical term.
    public let name: String
    public let chiSquare: Double
    public let df: Int
    public let p: Double
    /// False when the restricted fit did not converge: the statistic is then not reported.
    public let converged: Bool
}

/// Inference that needs extra fits: each function states what it refits.
extension LogisticFit {
    /// Likelihood-ratio test of each estimated coefficient against zero (df 1): the model refitted
    /// with that coefficient held at 0 (R: `drop1` on the model matrix; Firth: `logistf`'s penalised
    /// likelihood-ratio test, with the full model's penalty). Aliased coefficients get no test.
    public func coefficientTests(_ model: LogisticModel) throws(ModelError) -> [LikelihoodRatioTest?] {
        let engine = LogisticEngine(model: model, options: options, summary: summary)
        return try (0..<coefficients.count).map { j throws(ModelError) in
            aliased[j] ? nil : try engine.likelihoodRatio(dropping: [j], name: coefficientNames[j], fitted: self)
        }
    }

    /// Likelihood-ratio test of each variable (all its columns at 0): R's `drop1(test = "LRT")`.
    /// A variable whose columns are all aliased has nothing to test and gets no row.
    ///
    /// - Parameter coefficientTests: the result of ``coefficientTests(_:)``, if already computed: a
    ///   variable with one estimated column reuses its coefficient's test instead of refitting.
    public func termTests(_ model: LogisticModel, coefficientTests: [LikelihoodRatioTest?]? = nil) throws(ModelError) -> [LikelihoodRatioTest] {
        let engine = LogisticEngine(model: model, options: options, summary: summary)
        return try terms.filter { term in term.kind != .intercept && term.columns.contains { !aliased[$0] } }.map { term throws(ModelError) in
            let columns = Array(term.columns).filter { !aliased[$0] }
            if columns.count == 1, let test = coefficientTests?[columns[0]] {
                return LikelihoodRatioTest(name: term.name, chiSquare: test.chiSquare, df: 1, p: test.p, converged: test.converged)
            }
            return try engine.likelihoodRatio(dropping: columns, name: term.name, fitted: self)
        }
    }

    /// Profile-likelihood confidence intervals, one per coefficient (nil for aliased ones).
    ///
    /// For coefficient j the bound b solves
    /// ```
    /// 2 [ℓ(β̂) - max_{β₋ⱼ} ℓ(b, β₋ⱼ)] = χ²₁(level)
    /// ```
    /// (penalised ℓ* for Firth, as `logistf` profiles). The signed root r(b) = ±√(2[ℓ̂ - ℓₚ(b)]) is
    /// nearly linear in b, so each side starts at the Wald bound, brackets by doubling the distance,
    /// and closes with the Illinois variant of regula falsi on r(b) ∓ z to |r - z| < 1e-9. A side
    /// whose profile never reaches the cut-off (a diverging coefficient under separation) has an
    /// infinite bound; one whose restricted fits fail is NaN and the interval is not reported.
    public func profileIntervals(_ model: LogisticModel, level: Double = 0.95) throws(ModelError) -> [ConfidenceInterval?] {
        let engine = LogisticEngine(model: model, options: options, summary: summary)
        let target = ChiSquare.quantileOneDF(level).squareRoot()
        let se = standardErrors
        return try engine.withSolver { likelihood, solver throws(ModelError) in
            let full = penalizedLogLikelihood ?? logLikelihood
            return (0..<coefficients.count).map { j -> ConfidenceInterval? in
                guard !aliased[j] else { return nil }
                let profiler = Profiler(engine: engine, solver: solver, column: j, estimate: coefficients, objective: full)
                let scale = se[j].isFinite && se[j] > 0 ? se[j] : 1
                let lower = profiler.bound(direction: -1, target: target, initialDistance: target * scale)
                let upper = profiler.bound(direction: 1, target: target, initialDistance: target * scale)
                return ConfidenceInterval(lower: lower, upper: upper, level: level, method: .profile)
            }
        }
    }
}

extension LogisticEngine {
    func likelihoodRatio(dropping columns: [Int], name: String, fitted: LogisticFit) throws(ModelError) -> LikelihoodRatioTest {
        try withSolver { _, solver throws(ModelError) in
            var beta = fitted.coefficients.map { $0.isNaN ? 0 : $0 }
            for j in columns { beta[j] = 0 }
            let free = active.indices.filter { !columns.contains(active[$0]) }
            let full = fitted.penalizedLogLikelihood ?? fitted.logLikelihood
            guard let restricted = solver.solve(start: beta, free: Array(free), tolerance: innerTolerance),
                  restricted.converged || restricted.failure == nil && options.method == .maximumLikelihood && !fitted.separatedColumns.isEmpty
            else {
                return LikelihoodRatioTest(name: name, chiSquare: .nan, df: columns.count, p: .nan, converged: false)
            }
            let chiSquare = max(0, 2 * (full - restricted.evaluation.objective))
            return LikelihoodRatioTest(name: name, chiSquare: chiSquare, df: columns.count,
                                       p: ChiSquare.survival(chiSquare, df: Double(columns.count)), converged: true)
        }
    }

    /// Restricted fits feed differences of log-likelihoods, so they converge further than the
    /// reported fit's stopping rule asks.
    var innerTolerance: Double { min(options.tolerance, options.method == .firth ? 1e-10 : 1e-12) }
}

/// Profiles one coefficient; see ``LogisticFit/profileIntervals(_:level:)``.
struct Profiler {
    let engine: LogisticEngine
    let solver: NewtonSolver
    let column: Int
    let estimate: [Double]
    let objective: Double

    /// The coefficient's contribution to the linear predictor beyond which the profile is taken to
    /// be flat (a diverging coefficient): 50 on the logit scale is a probability ratio of e⁵⁰.
    var maximumDistance: Double { 50 / max(engine.summary.columnMaxAbs[column], .leastNormalMagnitude) }

    final class WarmStart { var beta: [Double]; init(_ beta: [Double]) { self.beta = beta } }

    /// Signed root r(b) of the profile at b, or nil when the restricted fit fails.
    func signedRoot(at b: Double, warm: WarmStart) -> Double? {
        var beta = warm.beta
        beta[column] = b
        let free = engine.active.indices.filter { engine.active[$0] != column }
        guard let restricted = solver.solve(start: beta, free: Array(free), tolerance: engine.innerTolerance),
              restricted.converged || restricted.failure == nil
        else { return nil }
        warm.beta = restricted.beta
        let drop = max(0, 2 * (objective - restricted.evaluation.objective))
        let root = drop.squareRoot()
        return b < estimate[column] ? -root : root
    }

    func bound(direction: Double, target: Double, initialDistance: Double) -> Double {
        let center = estimate[column]
        let warm = WarmStart(estimate.map { $0.isNaN ? 0 : $0 })
        // φ(t) = |r(center + direction·t)| - target, increasing in t ≥ 0, φ(0) = -target.
        func phi(_ t: Double) -> Double? { signedRoot(at: center + direction * t, warm: warm).map { abs($0) - target } }
        var low = 0.0, phiLow = -target
        var high = initialDistance
        guard var phiHigh = phi(high) else { return .nan }
        while phiHigh < 0 {
            low = high; phiLow = phiHigh
            high *= 2
            if high > maximumDistance { return direction * .infinity }
            guard let value = phi(high) else { return .nan }
            phiHigh = value
        }
        // Illinois regula falsi on [low, high].
        var side = 0
        for _ in 0..<100 {
            let t = high - phiHigh * (high - low) / (phiHigh - phiLow)
            guard let value = phi(t) else { return .nan }
            if abs(value) < 1e-9 || abs(high - low) < 1e-12 * (1 + abs(t)) { return center + direction * t }
            if value > 0 {
                high = t; phiHigh = value
                if side == 1 { phiLow /= 2 }
                side = 1
            } else {
                low = t; phiLow = value
                if side == -1 { phiHigh /= 2 }
                side = -1
            }
        }
        return .nan
    }
}

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
    /// Which two models are compared, in words, e.g. "model without age vs full model" (issue 12).
    public let comparison: String
    /// The design columns estimated in the restricted model.
    public let restrictedColumns: [String]

    public init(name: String, chiSquare: Double, df: Int, p: Double, converged: Bool, comparison: String, restrictedColumns: [String]) {
        self.name = name
        self.chiSquare = chiSquare
        self.df = df
        self.p = p
        self.converged = converged
        self.comparison = comparison
        self.restrictedColumns = restrictedColumns
    }

    /// The warning for tests whose restricted fit did not converge (each name once), nil when all did;
    /// the local fit's and the fit from sums' (issue 17) alike.
    public static func failureWarning(_ tests: [LikelihoodRatioTest]) -> String? {
        var failed: [String] = []
        for test in tests where !test.converged && !failed.contains(test.name) { failed.append(test.name) }
        return failed.isEmpty ? nil : "likelihood-ratio test not reported for \(failed.joined(separator: ", ")): the restricted fit did not converge"
    }

    /// The warning for a coefficient's profile interval that could not be computed.
    public static func profileFailureWarning(_ name: String) -> String {
        "profile-likelihood interval for \(name) could not be computed (a restricted fit did not converge)"
    }

    func named(_ name: String) -> LikelihoodRatioTest {
        LikelihoodRatioTest(name: name, chiSquare: chiSquare, df: df, p: p, converged: converged,
                            comparison: comparison.replacingFirst(self.name, with: name), restrictedColumns: restrictedColumns)
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
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

    /// Likelihood-ratio test of each variable: R's `drop1(fit, test = "LRT")`.
    ///
    /// As in `drop1`, a term inside an interaction of the model (`age` beside `age:smoke`) is not
    /// tested on its own: removing it alone would change what the interaction means. A spline's or
    /// a factor's columns are tested together (df = their number).
    ///
    /// Without aliased columns this holds the variable's columns at 0. With aliased columns
    /// (maximum likelihood) it does what `drop1` does (issue 12): removes all of the variable's
    /// columns from the design, aliased ones included, decides aliasing again on what is left by
    /// the same rule in column order (a column aliased in the full model can become estimable, as
    /// `zc = (g == "C")` does once g is gone), refits, and takes df = rank(full) − rank(restricted).
    /// A variable whose columns are all aliased gets df 0, χ² 0 and no P (its removal changes
    /// nothing), as in `drop1`. Firth tests keep `logistf`'s convention (the variable's estimated
    /// columns held at 0, the full model's penalty); there all-aliased variables get no row.
    /// Each test says which models it compares (``LikelihoodRatioTest/comparison``).
    ///
    /// - Parameter coefficientTests: the result of ``coefficientTests(_:)``, if already computed: a
    ///   variable with one estimated column reuses its coefficient's test instead of refitting.
    public func termTests(_ model: LogisticModel, coefficientTests: [LikelihoodRatioTest?]? = nil) throws(ModelError) -> [LikelihoodRatioTest] {
        let engine = LogisticEngine(model: model, options: options, summary: summary)
        let drop1Refits = method == .maximumLikelihood && aliased.contains(true)
        return try terms.filter { term in
            term.kind != .intercept && !term.isMarginal(in: terms) && (drop1Refits || term.columns.contains { !aliased[$0] })
        }
            .map { term throws(ModelError) in
                let columns = Array(term.columns).filter { !aliased[$0] }
                if drop1Refits { return try engine.dropTerm(term, fitted: self) }
                if columns.count == 1, let test = coefficientTests?[columns[0]] { return test.named(term.name) }
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
    /// nearly linear in b, so each side starts at the Wald bound, brackets by doubling the distance
    /// (to the last crossing when the profile is not monotone, see ``Profiler/bound(direction:target:initialDistance:)``),
    /// and closes with the Illinois variant of regula falsi on r(b) ∓ z to |r - z| < 1e-9. Each
    /// max is a converged restricted fit (for Firth the highest of several starts: ℓ* can have
    /// two constrained maxima under separation). A side whose profile never reaches the cut-off
    /// within 50 per standard deviation of the column (a diverging coefficient under separation) has
    /// an infinite bound; one whose restricted fits fail is NaN and the interval is not reported.
    public func profileIntervals(_ model: LogisticModel, level: Double = 0.95) throws(ModelError) -> [ConfidenceInterval?] {
        let engine = LogisticEngine(model: model, options: options, summary: summary)
        let target = ChiSquare.quantileOneDF(level).squareRoot()
        let se = standardErrors
        return try engine.withSolver { likelihood, solver throws(ModelError) in
            let full = penalizedLogLikelihood ?? logLikelihood
            return (0..<coefficients.count).map { j -> ConfidenceInterval? in
                guard !aliased[j] else { return nil }
                let profiler = Profiler(engine: engine, solver: solver, column: j, estimate: coefficients, objective: full, fitted: self)
                let scale = se[j].isFinite && se[j] > 0 ? se[j] : 1
                let lower = profiler.bound(direction: -1, target: target, initialDistance: target * scale)
                let upper = profiler.bound(direction: 1, target: target, initialDistance: target * scale)
                return ConfidenceInterval(lower: lower, upper: upper, level: level, method: .profile)
            }
        }
    }
}

extension LogisticFit {
    /// The evaluation at the estimates in the working basis of a restricted fit over `free`: the
    /// fit's own when that basis is centred (the intercept free), else one pass.
    func evaluation(at estimate: [Double], free: [Int], solver: NewtonSolver) -> BinomialLikelihood.Evaluation? {
        let basis = solver.basis(free: free)
        if finalEvaluation.basis.center == basis.center, finalEvaluation.basis.scale == basis.scale,
           finalEvaluation.information.count == solver.likelihood.active.count * solver.likelihood.active.count {
            return finalEvaluation
        }
        return solver.likelihood.evaluate(estimate, basis: basis)
    }
}

extension LogisticEngine {
    func likelihoodRatio(dropping columns: [Int], name: String, fitted: LogisticFit) throws(ModelError) -> LikelihoodRatioTest {
        try withSolver { _, solver throws(ModelError) in
            let estimate = fitted.coefficients.map { $0.isNaN ? 0 : $0 }
            var beta = estimate
            for j in columns { beta[j] = 0 }
            let free = Array(active.indices.filter { !columns.contains(active[$0]) })
            let full = fitted.penalizedLogLikelihood ?? fitted.logLikelihood
            var candidates = [beta]
            if let evaluation = fitted.evaluation(at: estimate, free: free, solver: solver),
               let conditional = solver.conditionalStart(point: estimate, evaluation: evaluation,
                                                         moved: Dictionary(uniqueKeysWithValues: columns.map { ($0, 0.0) }), free: free) {
                candidates.append(conditional)
            }
            let names = fitted.coefficientNames
            let kept = free.map { names[active[$0]] }
            let notEstimated = (0..<names.count).filter { fitted.aliased[$0] }.map { names[$0] }
            var comparison = "model without \(name) vs full model"
            if options.method == .firth { comparison = "penalised: model with \(name) = 0 vs full model, both penalised with the full model's information (logistf)" }
            if !notEstimated.isEmpty { comparison += ", aliased \(notEstimated.joined(separator: ", ")) estimated in neither" }
            guard let restricted = solver.solve(fromBestOf: candidates, free: free, tolerance: innerTolerance),
                  restricted.converged || restricted.failure == nil && options.method == .maximumLikelihood && !fitted.separatedColumns.isEmpty
            else {
                return LikelihoodRatioTest(name: name, chiSquare: .nan, df: columns.count, p: .nan, converged: false,
                                           comparison: comparison, restrictedColumns: kept)
            }
            let chiSquare = max(0, 2 * (full - restricted.evaluation.objective))
            return LikelihoodRatioTest(name: name, chiSquare: chiSquare, df: columns.count,
                                       p: ChiSquare.survival(chiSquare, df: Double(columns.count)), converged: true,
                                       comparison: comparison, restrictedColumns: kept)
        }
    }

    /// R's `drop1` for one variable of a maximum-likelihood fit with aliased columns: see
    /// ``LogisticFit/termTests(_:coefficientTests:)``.
    func dropTerm(_ term: ModelTerm, fitted: LogisticFit) throws(ModelError) -> LikelihoodRatioTest {
        let p = model.design.columnCount, names = model.design.columnNames
        let remaining = (0..<p).filter { !term.columns.contains($0) }
        // Aliasing of the remaining columns, by the fit's rule, from XᵀWX at the estimates.
        let estimate = fitted.coefficients.map { $0.isNaN ? 0 : $0 }
        let information = Self.withLikelihood(model: model, active: Array(0..<p), penalized: false, mean: summary.columnMean,
                                              scale: summary.columnScale, maxAbs: summary.columnMaxAbs,
                                              interceptColumn: summary.interceptColumn) { likelihood in
            likelihood.evaluate(estimate, basis: likelihood.basis(centered: true))?.information
        }
        guard let information else { throw .singularInformation(method: "maximum-likelihood") }
        let m = remaining.count
        var sub = [Double](repeating: 0, count: m * m)
        for c in 0..<m { for r in 0...c { sub[c * m + r] = information[remaining[c] * p + remaining[r]] } }
        let subAliased = DesignSummary.aliasedColumns(
            information: sub, mean: remaining.map { summary.columnMean[$0] }, scale: remaining.map { summary.columnScale[$0] },
            interceptColumn: summary.interceptColumn.flatMap { remaining.firstIndex(of: $0) }, tolerance: options.aliasTolerance)
        let kept = remaining.indices.filter { !subAliased[$0] }.map { remaining[$0] }
        let df = fitted.rank - kept.count
        let freed = kept.filter { fitted.aliased[$0] }.map { names[$0] }
        var comparison = "model without \(term.name) vs full model"
        if df == 0 {
            comparison += ": the same model, rank \(fitted.rank) both (\(term.name) adds nothing estimable)"
        } else if !freed.isEmpty {
            comparison += ", rank \(fitted.rank) vs \(kept.count); without \(term.name), \(freed.joined(separator: ", ")) \(freed.count == 1 ? "is" : "are") no longer aliased and estimated"
        } else {
            comparison += ", rank \(fitted.rank) vs \(kept.count)"
        }
        let keptNames = kept.map { names[$0] }
        if df == 0 {
            return LikelihoodRatioTest(name: term.name, chiSquare: 0, df: 0, p: .nan, converged: true, comparison: comparison, restrictedColumns: keptNames)
        }
        let restrictedSummary = DesignSummary(aliased: (0..<p).map { !kept.contains($0) }, columnMaxAbs: summary.columnMaxAbs,
                                              columnMean: summary.columnMean, columnScale: summary.columnScale,
                                              interceptColumn: summary.interceptColumn)
        let restricted = try? LogisticEngine(model: model, options: options, summary: restrictedSummary).fit()
        guard let restricted, restricted.convergence.isConverged || !fitted.separatedColumns.isEmpty && !restricted.separatedColumns.isEmpty
        else {
            return LikelihoodRatioTest(name: term.name, chiSquare: .nan, df: df, p: .nan, converged: false, comparison: comparison, restrictedColumns: keptNames)
        }
        let chiSquare = max(0, 2 * (fitted.logLikelihood - restricted.logLikelihood))
        return LikelihoodRatioTest(name: term.name, chiSquare: chiSquare, df: df, p: ChiSquare.survival(chiSquare, df: Double(df)),
                                   converged: true, comparison: comparison, restrictedColumns: keptNames)
    }

    /// Restricted fits feed differences of log-likelihoods; at the fit's decrement bound (1e-10 by
    /// default) the objective is within λ²/2 = 5e-21 of its maximum, so they use the same rule.
    var innerTolerance: Double { min(options.tolerance, 1e-10) }
}

/// Profiles one coefficient; see ``LogisticFit/profileIntervals(_:level:)``.
struct Profiler {
    let engine: LogisticEngine
    let solver: NewtonSolver
    let column: Int
    let estimate: [Double]
    let objective: Double
    let fitted: LogisticFit

    /// The distance from the estimate beyond which the profile is taken to be flat (a diverging
    /// coefficient): where the coefficient moves the linear predictor by 50 per standard deviation
    /// of its column (a probability ratio of e⁵⁰ between covariate values one SD apart). Measured
    /// by the spread, not by max |x|: a covariate near 10⁶ with unit spread, or age in years (max 45,
    /// SD 5), has limits far beyond 50 / max |x| (issue 12: birthwt's age limit came out as OR 0).
    /// For the intercept, whose value carries the other columns' means (β₀ = β̃₀ − Σ cₐβₐ), the
    /// same 50 plus 50 per coefficient's worth of centring, Σ |cₐ|/sₐ.
    var maximumDistance: Double {
        let summary = engine.summary
        guard column != summary.interceptColumn else {
            return 50 * engine.active.reduce(1.0) { $1 == column ? $0 : $0 + abs(summary.columnMean[$1]) / summary.columnScale[$1] }
        }
        return 50 / max(summary.columnScale[column], .leastNormalMagnitude)
    }

    /// Restricted Firth fits converge linearly and slowly far out in a separated profile.
    var iterationLimit: Int { engine.options.method == .firth ? max(engine.options.maxIterations, 1000) : engine.options.maxIterations }

    /// The last restricted solution and its evaluation (information in the restricted basis).
    final class WarmStart {
        var beta: [Double]
        var evaluation: BinomialLikelihood.Evaluation?
        init(_ beta: [Double], evaluation: BinomialLikelihood.Evaluation?) { self.beta = beta; self.evaluation = evaluation }
    }

    var free: [Int] { engine.active.indices.filter { engine.active[$0] != column } }

    /// The constrained fit at b: the coefficient held at b, the others at their (penalised) maximum.
    /// Nil unless it converged by the solver's rule (a limit is never placed where it did not).
    func restrictedFit(at b: Double, warm: WarmStart) -> NewtonSolver.Outcome? {
        var beta = warm.beta
        beta[column] = b
        let free = self.free
        var candidates = [beta]
        if engine.options.method == .firth {
            // Firth: also from the full estimate (see NewtonSolver.solve(fromBestOf:)).
            var cold = estimate.map { $0.isNaN ? 0 : $0 }
            cold[column] = b
            candidates.append(cold)
        }
        if let evaluation = warm.evaluation,
           let conditional = solver.conditionalStart(point: warm.beta, evaluation: evaluation, moved: [column: b], free: free) {
            candidates.append(conditional)
        }
        guard let restricted = solver.solve(fromBestOf: candidates, free: free, maxIterations: iterationLimit, tolerance: engine.innerTolerance),
              restricted.converged
        else { return nil }
        warm.beta = restricted.beta
        warm.evaluation = restricted.evaluation
        return restricted
    }

    /// Signed root r(b) of the profile at b, or nil when the restricted fit fails.
    func signedRoot(at b: Double, warm: WarmStart) -> Double? {
        guard let restricted = restrictedFit(at: b, warm: warm) else { return nil }
        let drop = max(0, 2 * (objective - restricted.evaluation.objective))
        let root = drop.squareRoot()
        return b < estimate[column] ? -root : root
    }

    /// One limit: ``ProfileSearch/bound(center:direction:target:initialDistance:maximumDistance:signedRoot:)``
    /// on this coefficient's restricted fits, each warm-started from the last.
    func bound(direction: Double, target: Double, initialDistance: Double) -> Double {
        let start = estimate.map { $0.isNaN ? 0 : $0 }
        let warm = WarmStart(start, evaluation: fitted.evaluation(at: start, free: free, solver: solver))
        return ProfileSearch.bound(center: estimate[column], direction: direction, target: target, initialDistance: initialDistance,
                                   maximumDistance: maximumDistance) { signedRoot(at: $0, warm: warm) }
    }
}

/// The root-finding of a profile-likelihood limit, whatever computes the restricted fits: the local
/// fit's ``Profiler`` and the fit from aggregate sums (issue 17, ``LogisticSumsFit``) share it, so a
/// limit computed inside a database is found by the same steps as the local one.
enum ProfileSearch {
    /// One limit: the outermost crossing of the cut-off on one side.
    ///
    /// Brackets outward by doubling the distance from `initialDistance` until φ(t) = |r| − z > 0.
    /// The penalised profile need not be monotone (under separation ½ log|I| can rise again as a
    /// coefficient moves out), so when φ fell anywhere while stepping out, the search continues
    /// outward, doubling, to `maximumDistance` and keeps the last bracket where φ crosses from
    /// below to above; beyond a last value below the cut-off the limit is infinite. The root is
    /// found by the Illinois variant of regula falsi to |φ| < 1e-9.
    /// - Parameters:
    ///   - center: the estimate; `direction` −1 for the lower limit, +1 for the upper.
    ///   - target: z, the square root of the χ²₁ quantile of the level.
    ///   - signedRoot: r(b) at a coefficient value b, nil when the restricted fit fails (the limit is then NaN).
    static func bound(center: Double, direction: Double, target: Double, initialDistance: Double, maximumDistance: Double,
                      signedRoot: (Double) -> Double?) -> Double {
        func phi(_ t: Double) -> Double? { signedRoot(center + direction * t).map { abs($0) - target } }
        var low = 0.0, phiLow = -target
        var high = min(initialDistance, maximumDistance)
        guard var phiHigh = phi(high) else { return .nan }
        var monotone = phiHigh >= phiLow
        while phiHigh < 0 {
            low = high; phiLow = phiHigh
            high *= 2
            if high > maximumDistance { return direction * .infinity }
            guard let value = phi(high) else { return .nan }
            if value < phiHigh { monotone = false }
            phiHigh = value
        }
        if !monotone {
            // Continue outward to the last crossing.
            var t = high, previous = phiHigh, crossing = (low: low, phiLow: phiLow, high: high, phiHigh: phiHigh)
            var lastBelow: (t: Double, phi: Double)?
            while t * 2 <= maximumDistance {
                t *= 2
                guard let value = phi(t) else { return .nan }
                if value < 0 { lastBelow = (t, value) } else if previous < 0, let below = lastBelow {
                    crossing = (below.t, below.phi, t, value)
                }
                previous = value
            }
            if previous < 0 { return direction * .infinity }
            (low, phiLow, high, phiHigh) = crossing
            // Restart the warm start inside the bracket.
            _ = phi(low)
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

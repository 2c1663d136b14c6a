/// What was fitted: an immutable value with the estimates (log hazard ratios), their model-based and
/// robust covariances, the log-likelihoods, the model's three tests, the convergence status and every
/// diagnostic, plus the options actually used.
public struct CoxFit: FittedLikelihoodModel {
    public let coefficientNames: [String]
    public let terms: [ModelTerm]
    /// Log hazard ratios, one per design column; NaN for aliased columns.
    public let coefficients: [Double]
    /// The inverse information at the estimates, p x p column-major; NaN in aliased rows and columns
    /// (`coxph`'s `naive.var` when there are clusters, its `var` otherwise).
    public let covariance: [Double]
    /// The robust (sandwich) covariance with the model's clusters, nil without clusters
    /// (see ``CoxFit/sandwich(middle:covariance:p:)``).
    public let robustCovariance: [Double]?
    public let aliased: [Bool]
    /// The partial log-likelihood at the estimates and at β = 0.
    public let logLikelihood: Double
    public let nullLogLikelihood: Double
    /// 2(ℓ(β̂) − ℓ(0)).
    public let likelihoodRatioTest: CoxModelTest
    /// β̂ᵀ I(β̂) β̂: the Wald test of all coefficients with the model-based variance.
    public let waldTest: CoxModelTest
    /// U(0)ᵀ I(0)⁻¹ U(0), the score test at β = 0; for one binary covariate and no ties, the log-rank test.
    public let scoreTest: CoxModelTest
    /// β̂ᵀ V_robust⁻¹ β̂: what `coxph` reports as its Wald test when there are clusters.
    public let robustWaldTest: CoxModelTest?
    /// u₀ᵀ (L₀ᵀL₀)⁻¹ u₀ with L₀ the cluster sums of the score residuals at β = 0 (`coxph`'s `rscore`).
    public let robustScoreTest: CoxModelTest?
    public let convergence: CoxConvergence
    /// The Newton decrement √(Uᵀ I⁻¹ U) at the estimates (see ``CoxOptions/tolerance``).
    public let newtonDecrement: Double
    public let nObservations: Int
    public let nEvents: Int
    public let nStrata: Int
    public let nClusters: Int?
    public let excludedRows: [ExcludedRow]
    public let diagnostics: [CoxDiagnostic]
    public let options: CoxOptions

    public var degreesOfFreedom: Int { aliased.filter { !$0 }.count }
    public var hazardRatios: [Double] { coefficients.map { exp($0) } }
    public var robustStandardErrors: [Double]? {
        let p = coefficients.count
        return robustCovariance.map { v in (0..<p).map { v[$0 * p + $0].squareRoot() } }
    }

    /// Wald intervals for the log hazard ratios: with the robust SEs when there are clusters (as
    /// `summary.coxph` prints them), else the model-based ones. Exponentiate for hazard ratios.
    public func intervals(level: Double = 0.95) -> [ConfidenceInterval] {
        guard let robust = robustStandardErrors else { return waldIntervals(level: level) }
        let z = Normal.quantile((1 + level) / 2)
        return zip(coefficients, robust).map { b, se in ConfidenceInterval(lower: b - z * se, upper: b + z * se, level: level, method: .wald) }
    }
}

/// A chi-square test of the whole model against β = 0.
public struct CoxModelTest: Sendable, Equatable {
    public let chiSquare: Double
    public let df: Int
    public var p: Double { ChiSquare.survival(chiSquare, df: Double(df)) }
}

/// How the iterations ended. A data problem is a value here, never an exception.
public enum CoxConvergence: Sendable, Equatable {
    case converged(iterations: Int)
    case maxIterationsReached(Int)
    /// The maximum does not exist: these columns' coefficients run to +∞ (`increasing`) or −∞.
    case monotoneLikelihood(columns: [String], increasing: [Bool], iterations: Int)
    /// Newton stopped early (the information not positive definite, or step halving exhausted).
    case failed(reason: String, iterations: Int)

    public var isConverged: Bool { if case .converged = self { true } else { false } }
    public var iterations: Int {
        switch self {
        case .converged(let n), .maxIterationsReached(let n), .monotoneLikelihood(_, _, let n), .failed(_, let n): n
        }
    }
}

/// Something the user must know to read a Cox fit correctly.
public enum CoxDiagnostic: Sendable, Equatable, CustomStringConvertible {
    case aliased(columns: [String])
    case monotoneLikelihood(columns: [String], increasing: [Bool])
    case notConverged(iterations: Int, reason: String?)
    case rowsDropped(count: Int, reasons: [String: Int])

    public var description: String {
        switch self {
        case .aliased(let columns):
            "rank deficient: \(columns.joined(separator: ", ")) \(columns.count == 1 ? "is" : "are") a linear combination of other columns (or constant within strata) and not estimated"
        case .monotoneLikelihood(let columns, let increasing):
            "monotone likelihood: the partial likelihood keeps rising as "
                + zip(columns, increasing).map { "the hazard ratio of \($0) goes to \($1 ? "infinity" : "0")" }.joined(separator: " and ")
                + "; the estimate, SE and Wald CI of \(columns.count == 1 ? "this coefficient" : "these coefficients") are not valid (Firth's penalised Cox model would give finite ones)"
        case .notConverged(let iterations, let reason):
            "did not converge in \(iterations) iterations\(reason.map { " (\($0))" } ?? ""); estimates are not reliable"
        case .rowsDropped(let count, let reasons):
            "\(count) row\(count == 1 ? "" : "s") dropped for missing values (" + reasons.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
        }
    }
}

/// Fits the Cox proportional-hazards model by maximum partial likelihood (Efron or Breslow ties,
/// stratified baselines), as R `survival::coxph`.
///
/// Aliased columns are found from the information at β = 0 (see ``CoxOptions/aliasTolerance``),
/// fixed at NaN and reported; the others start at 0 and are found by ``CoxNewton``. Afterwards
/// monotone likelihood is checked (``CoxMonotoneLikelihood``) and reported as the convergence status.
/// The covariance is the inverse information at the estimates; with clusters the robust covariance
/// is added (``CoxFit/sandwich(middle:covariance:p:)``).
///
/// - Throws: ``ModelError`` only when nothing can be estimated (every column aliased).
public func fit(_ model: CoxModel, options: CoxOptions = CoxOptions()) throws(ModelError) -> CoxFit {
    let p = model.design.columnCount
    let names = model.design.columnNames
    let full = CoxPartialLikelihood(model: model, columns: Array(0..<p), ties: options.ties)
    let zero = [Double](repeating: 0, count: p)
    guard let fullNull = full.evaluate(zero) else { throw .data("the partial likelihood is not finite at β = 0") }
    let aliased = CoxFit.aliasedColumns(information: fullNull.information, p: p, tolerance: options.aliasTolerance)
    let active = (0..<p).filter { !aliased[$0] }
    guard !active.isEmpty else { throw .data("every covariate is constant within strata or aliased: nothing to estimate") }
    let k = active.count
    let likelihood = active.count == p ? full : CoxPartialLikelihood(model: model, columns: active, ties: options.ties)
    guard let null = active.count == p ? fullNull : likelihood.evaluate([Double](repeating: 0, count: k)) else {
        throw .data("the partial likelihood is not finite at β = 0")
    }
    let solver = CoxNewton(likelihood: likelihood, options: options)
    let outcome = solver.solve(start: [Double](repeating: 0, count: k), initial: null, maxIterations: options.maxIterations,
                               tolerance: options.tolerance)

    let (convergence, diagnostics) = solver.assess(outcome, names: names, aliased: aliased, active: active,
                                                   excludedRows: model.excludedRows)

    // Model-based covariance over the active block, and the three tests.
    let activeCovariance = CoxFit.inverse(outcome.evaluation.information, order: k)
    let df = k
    let scoreStatistic = solver.newtonStep(null).map(\.decrementSquared) ?? .nan
    var wald = 0.0
    for b in 0..<k { for a in 0..<k { wald += outcome.beta[a] * outcome.evaluation.information[b * k + a] * outcome.beta[b] } }

    var robust: [Double]?
    var robustWald: CoxModelTest?, robustScore: CoxModelTest?
    if let clusters = model.clusters, let activeCovariance {
        let middle = CoxFit.clusterGram(likelihood.scoreResiduals(outcome.beta), clusters: clusters, p: k)
        let sandwich = CoxFit.sandwich(middle: middle, covariance: activeCovariance, p: k)
        robust = sandwich
        robustWald = CoxModelTest(chiSquare: CoxFit.quadraticForm(outcome.beta, inverseOf: sandwich, order: k), df: df)
        // coxph's rscore: the residuals at β = 0 in the middle, U(0) = Σ L₀ outside.
        let nullMiddle = CoxFit.clusterGram(likelihood.scoreResiduals([Double](repeating: 0, count: k)), clusters: clusters, p: k)
        robustScore = CoxModelTest(chiSquare: CoxFit.quadraticForm(null.score, inverseOf: nullMiddle, order: k), df: df)
    }

    func expand(_ block: [Double]?) -> [Double] {
        var matrix = [Double](repeating: .nan, count: p * p)
        guard let block else { return matrix }
        for c in 0..<k { for r in 0..<k { matrix[active[c] * p + active[r]] = block[c * k + r] } }
        return matrix
    }
    var coefficients = [Double](repeating: .nan, count: p)
    for (position, column) in active.enumerated() { coefficients[column] = outcome.beta[position] }
    return CoxFit(
        coefficientNames: names, terms: model.design.terms, coefficients: coefficients,
        covariance: expand(activeCovariance), robustCovariance: robust.map { expand($0) }, aliased: aliased,
        logLikelihood: outcome.evaluation.logLikelihood, nullLogLikelihood: null.logLikelihood,
        likelihoodRatioTest: CoxModelTest(chiSquare: 2 * (outcome.evaluation.logLikelihood - null.logLikelihood), df: df),
        waldTest: CoxModelTest(chiSquare: wald, df: df), scoreTest: CoxModelTest(chiSquare: scoreStatistic, df: df),
        robustWaldTest: robustWald, robustScoreTest: robustScore, convergence: convergence, newtonDecrement: outcome.decrement,
        nObservations: model.nObservations, nEvents: model.nEvents, nStrata: likelihood.strataBounds.count - 1,
        nClusters: model.clusters.map { Set($0).count }, excludedRows: model.excludedRows, diagnostics: diagnostics, options: options)
}

extension CoxFit {
    /// Columns whose information is (numerically) a combination of earlier columns': a Cholesky
    /// factorisation of the information scaled to unit diagonal, I_ab/√(I_aa I_bb), that skips a
    /// column whose pivot falls below tolerance² (its residual norm ratio below the tolerance, the
    /// rule of ``DesignSummary``), as `coxph`'s `cholesky2` skips a pivot below `toler.chol`. A column
    /// with no information (constant within every stratum's risk sets) is aliased too.
    static func aliasedColumns(information: [Double], p: Int, tolerance: Double) -> [Bool] {
        var aliased = [Bool](repeating: false, count: p)
        var factor = [Double](repeating: 0, count: p * p)
        let diagonal = (0..<p).map { information[$0 * p + $0] }
        for j in 0..<p {
            guard diagonal[j] > 0, diagonal[j].isFinite else { aliased[j] = true; continue }
            // Column j of U over the kept rows t < j, then the pivot.
            for t in 0..<j where !aliased[t] {
                var value = information[j * p + t] / (diagonal[t] * diagonal[j]).squareRoot()
                for s in 0..<t where !aliased[s] { value -= factor[t * p + s] * factor[j * p + s] }
                factor[j * p + t] = value / factor[t * p + t]
            }
            var pivot = 1.0
            for t in 0..<j where !aliased[t] { pivot -= factor[j * p + t] * factor[j * p + t] }
            if pivot < tolerance * tolerance { aliased[j] = true } else { factor[j * p + j] = pivot.squareRoot() }
        }
        return aliased
    }

    /// A⁻¹ (both triangles) of a symmetric positive-definite k x k matrix, or nil.
    static func inverse(_ matrix: [Double], order k: Int) -> [Double]? {
        var inverse = matrix
        guard Cholesky.factor(&inverse, order: k) == nil, Cholesky.invert(&inverse, order: k) else { return nil }
        for c in 0..<k { for r in 0..<c { inverse[r * k + c] = inverse[c * k + r] } }
        return inverse
    }

    /// vᵀ A⁻¹ v by a Cholesky solve; NaN when A is not positive definite.
    static func quadraticForm(_ v: [Double], inverseOf a: [Double], order k: Int) -> Double {
        var factor = a
        guard Cholesky.factor(&factor, order: k) == nil else { return .nan }
        var solution = v
        Cholesky.solve(factor: factor, order: k, rhs: &solution, count: 1)
        var sum = 0.0
        for j in 0..<k { sum += v[j] * solution[j] }
        return sum
    }

    /// Σ_g L_gᵀ L_g (p x p, both triangles), L_g the sum of the score residuals (row-major n x p) of
    /// cluster g. Clusters are taken in ascending code order and each L_g sums its rows in ascending
    /// order; the Gram matrix is ``OrderedKernels/addGram(rows:columns:b:into:)``'s.
    static func clusterGram(_ residuals: [Double], clusters: [Int], p: Int) -> [Double] {
        let codes = Array(Set(clusters)).sorted()
        let index = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
        let g = codes.count
        var sums = [Double](repeating: 0, count: g * p)  // G x p, column-major
        for (row, cluster) in clusters.enumerated() {
            let r = index[cluster] ?? 0
            for j in 0..<p { sums[j * g + r] += residuals[row * p + j] }
        }
        var gram = [Double](repeating: 0, count: p * p)
        OrderedKernels.addGram(rows: g, columns: p, b: sums, into: &gram)
        for a in 0..<p { for b in 0..<a { gram[b * p + a] = gram[a * p + b] } }
        return gram
    }

    /// The robust (sandwich) covariance of `coxph(..., cluster = )`:
    /// ```
    /// V_robust = Σ_g D_gᵀ D_g = V M V,     M = Σ_g L_gᵀ L_g (``clusterGram(_:clusters:p:)``),
    /// D_g = L_g V,   V = I(β̂)⁻¹
    /// ```
    /// with L_g the sum of the score residuals (``CoxPartialLikelihood/scoreResiduals(_:)``) of
    /// cluster g, so that D_g are the grouped dfbeta residuals: Lin and Wei's (1989) estimator, without
    /// a small-sample factor such as G/(G − 1) (coxph applies none; Stata's `vce(cluster)` does). A
    /// cluster per row gives `coxph(..., robust = TRUE)`. The products sum in ascending index order.
    static func sandwich(middle: [Double], covariance v: [Double], p: Int) -> [Double] {
        var left = [Double](repeating: 0, count: p * p)  // V M
        for c in 0..<p { for r in 0..<p { var s = 0.0; for t in 0..<p { s += v[t * p + r] * middle[c * p + t] }; left[c * p + r] = s } }
        var result = [Double](repeating: 0, count: p * p)  // (V M) V
        for c in 0..<p { for r in 0..<p { var s = 0.0; for t in 0..<p { s += left[t * p + r] * v[c * p + t] }; result[c * p + r] = s } }
        for c in 0..<p { for r in 0..<c { result[c * p + r] = result[r * p + c] } }  // exact symmetry
        return result
    }
}

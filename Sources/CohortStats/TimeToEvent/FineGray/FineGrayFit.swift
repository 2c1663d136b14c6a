/// What was fitted: an immutable value with the estimates (log subdistribution hazard ratios), the
/// naive and sandwich covariances, the log pseudo-likelihoods, the convergence status, the counts,
/// the baseline cumulative subdistribution hazard and every diagnostic, plus the options used.
///
/// `covariance` is the sandwich (crr's `var`; coxph's robust `var` under
/// ``FineGrayConvention/finegrayCoxph``), so ``FittedLikelihoodModel``'s `standardErrors`,
/// `zStatistics`, `waldPValues` and `waldIntervals(level:)` are the peer's. The log-likelihood is a
/// pseudo-likelihood (the weights are estimated, and a row appears in risk sets after its competing
/// event): 2(ℓ(β̂) − ℓ(0)) is *not* χ²-distributed under β = 0, so no likelihood-ratio test is
/// offered, and `aic`/`bic` have no standard meaning here.
public struct FineGrayFit: FittedLikelihoodModel {
    public let coefficientNames: [String]
    public let terms: [ModelTerm]
    /// Log subdistribution hazard ratios, one per design column; NaN for aliased columns.
    public let coefficients: [Double]
    /// The sandwich covariance I⁻¹ (Σᵢ (ηᵢ + ψᵢ)^⊗2) I⁻¹, p x p column-major (crr's `var`; without ψ
    /// and with Efron's ties under ``FineGrayConvention/finegrayCoxph``, coxph's robust `var`); NaN
    /// in aliased rows and columns.
    public let covariance: [Double]
    /// The inverse information at the estimates (crr's `invinf`; coxph's `naive.var`), p x p column-major.
    public let naiveCovariance: [Double]
    /// The information at the estimates (crr's `inf`), p x p column-major.
    public let information: [Double]
    public let aliased: [Bool]
    /// The log pseudo-likelihood at the estimates (crr's `loglik`) and at β = 0 (`loglik.null`).
    public let logLikelihood: Double
    public let nullLogLikelihood: Double
    public let convergence: CoxConvergence
    /// The Newton decrement √(Uᵀ I⁻¹ U) at the estimates (see ``FineGrayOptions/tolerance``).
    public let newtonDecrement: Double
    /// The distinct times of the event of interest, ascending (crr's `uftime`).
    public let eventTimes: [Double]
    /// The jumps of the baseline cumulative subdistribution hazard Λ̂₀ at `eventTimes` (crr's
    /// `bfitj`), for covariates as given (not centred).
    public let baselineJumps: [Double]
    public let nObservations: Int
    public let nEvents: Int
    public let nCompeting: Int
    public let nCensored: Int
    public let excludedRows: [ExcludedRow]
    /// The same diagnostics as a Cox fit (rows dropped, aliasing, monotone likelihood, no convergence).
    public let diagnostics: [CoxDiagnostic]
    public let options: FineGrayOptions

    public var degreesOfFreedom: Int { aliased.filter { !$0 }.count }
    /// exp(β): subdistribution hazard ratios.
    public var hazardRatios: [Double] { coefficients.map { exp($0) } }
    /// √diag of ``naiveCovariance``.
    public var naiveStandardErrors: [Double] {
        let p = coefficients.count
        return (0..<p).map { naiveCovariance[$0 * p + $0].squareRoot() }
    }

    /// The predicted cumulative incidence of the event of interest, as `predict.crr`:
    /// ```
    /// F(t | z) = 1 − exp(−exp(zᵀβ̂) Λ̂₀(t)),     Λ̂₀(t) = Σ_{s ≤ t} (jump at s)
    /// ```
    /// a step function of t, 0 before the first event time. The sum runs over ascending event times
    /// with each term exp(zᵀβ̂)·jump, as crr's `cumsum`.
    /// - Parameters:
    ///   - covariates: one value per design column (as the design codes them); aliased columns are
    ///     ignored.
    ///   - days: the times at which to read the curve, in any order.
    /// - Returns: one value per entry of `days`.
    public func cumulativeIncidence(covariates z: [Double], at days: [Double]) -> [Double] {
        precondition(z.count == coefficients.count, "\(z.count) covariate values for \(coefficients.count) coefficients")
        var linear = 0.0
        for j in 0..<z.count where !aliased[j] { linear += z[j] * coefficients[j] }
        let risk = exp(linear)
        var cumulative = [Double](repeating: 0, count: eventTimes.count)
        var sum = 0.0
        for k in 0..<eventTimes.count {
            sum += risk * baselineJumps[k]
            cumulative[k] = sum
        }
        return days.map { t in
            // The last event time ≤ t, by bisection.
            var low = 0, high = eventTimes.count
            while low < high {
                let mid = (low + high) / 2
                if eventTimes[mid] <= t { low = mid + 1 } else { high = mid }
            }
            return low == 0 ? 0 : 1 - exp(-cumulative[low - 1])
        }
    }
}

/// Fits the Fine-Gray proportional subdistribution hazards model by maximising the log
/// pseudo-partial-likelihood, as R `cmprsk::crr` (or `survival::finegray` + `coxph`, see
/// ``FineGrayOptions/convention``; <doc:FineGray>).
///
/// Aliased columns are found from the information at β = 0 (``CoxFit``'s rule with
/// ``FineGrayOptions/aliasTolerance``), fixed at NaN and reported; the others start at 0 and are
/// found by Newton-Raphson with step halving (``CoxNewton`` over ``FineGrayLikelihood``: each
/// iteration O(n p²) after one sort). Monotone likelihood is then checked as for Cox
/// (``CoxMonotoneLikelihood``, over the subdistribution risk sets) and reported as the convergence
/// status. The covariances are the inverse information and the sandwich with the censoring term.
///
/// - Throws: ``ModelError`` only when nothing can be estimated (every column aliased, or ℓ not
///   finite at β = 0).
public func fit(_ model: FineGrayModel, options: FineGrayOptions = FineGrayOptions()) throws(ModelError) -> FineGrayFit {
    // crr's convention reads weights as frequencies (crr on the rows repeated); a case weight has
    // no meaning there, while survival::finegray takes any weight (issue 16).
    if options.convention == .crr, !model.hasWholeNumberWeights {
        throw .data("weights that are not whole numbers are case weights, which cmprsk::crr's convention does not define (it takes whole-number frequency weights, as the rows repeated); use the survival::finegray + coxph convention (finegray-coxph), which takes case weights")
    }
    let p = model.design.columnCount
    let names = model.design.columnNames
    let full = FineGrayLikelihood(model: model, columns: Array(0..<p), convention: options.convention)
    let zero = [Double](repeating: 0, count: p)
    guard let fullNull = full.evaluate(zero) else { throw .data("the pseudo-likelihood is not finite at β = 0") }
    let aliased = CoxFit.aliasedColumns(information: fullNull.information, p: p, tolerance: options.aliasTolerance)
    let active = (0..<p).filter { !aliased[$0] }
    guard !active.isEmpty else { throw .data("every covariate is constant over the risk sets or aliased: nothing to estimate") }
    let k = active.count
    let likelihood = k == p ? full : FineGrayLikelihood(model: model, columns: active, convention: options.convention)
    guard let null = k == p ? fullNull : likelihood.evaluate([Double](repeating: 0, count: k)) else {
        throw .data("the pseudo-likelihood is not finite at β = 0")
    }
    let solver = CoxNewton(likelihood: likelihood, maxIterations: options.maxIterations, tolerance: options.tolerance,
                           maxStepHalvings: options.maxStepHalvings)
    let outcome = solver.solve(start: [Double](repeating: 0, count: k), initial: null, maxIterations: options.maxIterations,
                               tolerance: options.tolerance)

    let (convergence, diagnostics) = solver.assess(outcome, names: names, aliased: aliased, active: active,
                                                   excludedRows: model.excludedRows)

    let naive = CoxFit.inverse(outcome.evaluation.information, order: k)
    let riskSets = likelihood.sweep(outcome.beta).riskSets
    let sandwich = naive.map { CoxFit.sandwich(middle: likelihood.sandwichMiddle(outcome.beta, riskSets: riskSets), covariance: $0, p: k) }

    func expand(_ block: [Double]?) -> [Double] {
        var matrix = [Double](repeating: .nan, count: p * p)
        guard let block else { return matrix }
        for c in 0..<k { for r in 0..<k { matrix[active[c] * p + active[r]] = block[c * k + r] } }
        return matrix
    }
    var coefficients = [Double](repeating: .nan, count: p)
    for (position, column) in active.enumerated() { coefficients[column] = outcome.beta[position] }
    return FineGrayFit(
        coefficientNames: names, terms: model.design.terms, coefficients: coefficients,
        covariance: expand(sandwich), naiveCovariance: expand(naive), information: expand(outcome.evaluation.information),
        aliased: aliased, logLikelihood: outcome.evaluation.logLikelihood, nullLogLikelihood: fullNull.logLikelihood,
        convergence: convergence, newtonDecrement: outcome.decrement,
        eventTimes: likelihood.eventGroups.map { likelihood.groupTimes[$0] }, baselineJumps: likelihood.baselineJumps(outcome.beta, riskSets: riskSets),
        nObservations: model.nObservations, nEvents: model.nEvents, nCompeting: model.nCompeting, nCensored: model.nCensored,
        excludedRows: model.excludedRows, diagnostics: diagnostics, options: options)
}

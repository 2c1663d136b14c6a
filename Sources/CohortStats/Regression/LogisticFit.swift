import CohortData
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What was fitted: an immutable value carrying estimates, their covariance, likelihoods, the
/// convergence status and every diagnostic, plus the options actually used.
public struct LogisticFit: FittedLikelihoodModel {
    public let method: FitOptions.Method
    public let coefficientNames: [String]
    public let terms: [ModelTerm]
    /// NaN for aliased columns.
    public let coefficients: [Double]
    /// The inverse information, or the cluster-robust covariance with clusters (``LogisticAnalysis``).
    public internal(set) var covariance: [Double]
    public let aliased: [Bool]
    /// The Bernoulli log-likelihood at the estimates (unpenalised, also for Firth).
    public let logLikelihood: Double
    /// ℓ(β) + ½ log|I(β)| at the estimates (Firth only).
    public let penalizedLogLikelihood: Double?
    /// The intercept-only model's (unpenalised) log-likelihood. For Firth, at the intercept-only Firth
    /// estimate π̂ = (k + ½)/(n + 1), so that `nullDeviance` is brglm2's.
    public let nullLogLikelihood: Double
    /// Firth only: the penalised log-likelihood with every coefficient but the intercept held at 0,
    /// penalised with the full model's information (`logistf`'s null model for its LR test).
    public let nullPenalizedLogLikelihood: Double?
    public let convergence: Convergence
    /// What the stopping rule measured at the estimates: the last relative change of the (penalised)
    /// deviance, the largest working-basis score and the Newton decrement (``FitOptions/tolerance``).
    public let criterion: ConvergenceCriterion
    public let nObservations: Int
    public let nEvents: Int
    public let excludedRows: [ExcludedRow]
    public let diagnostics: [FitDiagnostic]
    public let options: FitOptions
    public let outcome: String
    public let eventLabel: String
    /// Column scales and aliasing of the design, reused by refits (tests, profiles) of this model.
    let summary: DesignSummary
    /// The evaluation at the estimates (centred working basis, with information): restricted fits
    /// start from it (``NewtonSolver/conditionalStart(point:evaluation:moved:free:)``).
    let finalEvaluation: BinomialLikelihood.Evaluation

    public var degreesOfFreedom: Int { aliased.filter { !$0 }.count }
    public var rank: Int { degreesOfFreedom }
    public var nDropped: Int { excludedRows.count }
    public var iterations: Int { convergence.iterations }
    /// −2ℓ: for binary data the saturated log-likelihood is 0.
    public var deviance: Double { -2 * logLikelihood }
    public var nullDeviance: Double { -2 * nullLogLikelihood }

    /// Likelihood-ratio χ² of the model against the intercept-only model, its df and P.
    /// For Firth this compares penalised likelihoods, as `logistf` does.
    public var likelihoodRatioChiSquare: Double {
        2 * ((penalizedLogLikelihood ?? logLikelihood) - (nullPenalizedLogLikelihood ?? nullLogLikelihood))
    }
    public var likelihoodRatioDF: Int { degreesOfFreedom - (terms.contains { $0.kind == .intercept } ? 1 : 0) }
    public var likelihoodRatioP: Double { ChiSquare.survival(likelihoodRatioChiSquare, df: Double(likelihoodRatioDF)) }

    /// Design columns whose coefficients diverge under separation.
    public var separatedColumns: [String] {
        if case .separation(let terms, _, _) = convergence { return terms }
        return []
    }
}

/// Fits `model` by maximum likelihood or Firth's penalised likelihood.
///
/// Aliased columns are found first (see ``FitOptions/aliasTolerance``), fixed at zero and reported;
/// the remaining coefficients start from the intercept-only solution and are found by
/// Newton-Raphson (``FitOptions``). After a maximum-likelihood fit, separation is checked and, when
/// found, reported as the convergence status with the diverging terms named.
/// The covariance is the inverse Fisher information at the returned estimates (not at the previous
/// iterate, as R's `summary.glm` uses).
///
/// - Throws: ``ModelError`` only for an information matrix that cannot be inverted at the solution
///   when no diagnostic explains it; data problems are diagnostics in the result.
public func fit(_ model: LogisticModel, options: FitOptions = .maximumLikelihood) throws(ModelError) -> LogisticFit {
    if model.weights != nil, options.method == .firth {
        throw .data("Firth's penalised likelihood is not available with case (non-integer) weights; fit by maximum likelihood or use whole-number frequency weights")
    }
    return try LogisticEngine(model: model, options: options).fit()
}

/// Holds the pieces shared by the fit, likelihood-ratio tests and profiles of one model.
struct LogisticEngine {
    let model: LogisticModel
    let options: FitOptions
    let summary: DesignSummary
    let active: [Int]
    /// Where Newton starts: the intercept-only solution, or a subsample estimate for large fits.
    let start: [Double]
    /// The unpenalised evaluation at ``start`` over the active columns, when it can be reused as the
    /// maximum-likelihood solver's first (nothing aliased).
    let startEvaluation: BinomialLikelihood.Evaluation?

    /// Computes the design summary (one pass for column statistics, one evaluation at the start).
    init(model: LogisticModel, options: FitOptions) {
        let statistics = DesignSummary.columnStatistics(model.design)
        let p = model.design.columnCount
        let start = Self.warmStart(for: model, options: options) ?? Self.interceptOnlyStart(for: model)
        let evaluation = Self.withLikelihood(model: model, active: Array(0..<p), penalized: false, mean: statistics.mean,
                                             scale: statistics.scale, maxAbs: statistics.maxAbs,
                                             interceptColumn: statistics.interceptColumn) { likelihood in
            likelihood.evaluate(start, basis: likelihood.basis(centered: true))!
        }
        let aliased = DesignSummary.aliasedColumns(
            information: evaluation.information, mean: statistics.mean, scale: statistics.scale,
            interceptColumn: statistics.interceptColumn, tolerance: options.aliasTolerance)
        let summary = DesignSummary(aliased: aliased, columnMaxAbs: statistics.maxAbs, columnMean: statistics.mean,
                                    columnScale: statistics.scale, interceptColumn: statistics.interceptColumn)
        self.init(model: model, options: options, summary: summary, start: start,
                  startEvaluation: aliased.contains(true) ? nil : evaluation)
    }

    /// Rows in the subsample that gives large maximum-likelihood fits their starting values.
    static let warmStartRows = 25_000

    /// For a large maximum-likelihood fit: the estimate from a sample of about ``warmStartRows``
    /// rows in evenly spaced chunks (``RowSample``), within a few standard errors of the full-data
    /// estimate, so full-data Newton meets R's stopping rule in three iterations instead of five
    /// (measured at n = 10⁶, p = 20: deviance changes 252, 0.04, 5e-9; a 4x larger sample still
    /// needs the third iteration to confirm, at 4x the cost). Any trouble
    /// in the subsample (separation, non-convergence, a singular design) gives nil, and the fit
    /// starts from the intercept-only solution as usual. It only moves the starting point: the
    /// estimate is the full-data maximum, reached by the same stopping rule.
    static func warmStart(for model: LogisticModel, options: FitOptions) -> [Double]? {
        let n = model.nObservations
        guard options.method == .maximumLikelihood, n >= 4 * warmStartRows, model.offset == nil, model.weights == nil,
              let (design, rows) = RowSample.chunksWithRows(of: model.design, rows: warmStartRows)
        else { return nil }
        let response = rows.flatMap { range in range.map { model.response[$0] } }
        guard let subsample = try? LogisticModel(response: response, design: design),
              let fitted = try? LogisticEngine(model: subsample, options: options).fit(),
              fitted.convergence.isConverged
        else { return nil }
        return fitted.coefficients.map { $0.isFinite ? $0 : 0 }
    }

    /// Reuses a summary computed for the same model (by its fit).
    init(model: LogisticModel, options: FitOptions, summary: DesignSummary, start: [Double]? = nil,
         startEvaluation: BinomialLikelihood.Evaluation? = nil) {
        self.model = model
        self.options = options
        self.summary = summary
        self.start = start ?? Self.interceptOnlyStart(for: model)
        self.active = (0..<model.design.columnCount).filter { !summary.aliased[$0] }
        self.startEvaluation = startEvaluation
    }

    static func withLikelihood<R>(model: LogisticModel, active: [Int], penalized: Bool, mean: [Double], scale: [Double],
                                  maxAbs: [Double], interceptColumn: Int?, _ body: (BinomialLikelihood) -> R) -> R {
        let design = model.design
        return design.values.withUnsafeBufferPointer { x in
            model.response.withUnsafeBufferPointer { y in
                (model.offset ?? []).withUnsafeBufferPointer { offset in
                    (model.weights ?? []).withUnsafeBufferPointer { weights in
                        var likelihood = BinomialLikelihood(x: x, y: y, n: design.rowCount, p: design.columnCount, active: active, penalized: penalized,
                                                            columnMean: mean, columnScale: scale,
                                                            interceptPosition: interceptColumn.flatMap { active.firstIndex(of: $0) }, columnMaxAbs: maxAbs)
                        if model.offset != nil { likelihood.offset = offset }
                        if model.weights != nil { likelihood.weights = weights }
                        return body(likelihood)
                    }
                }
            }
        }
    }

    /// Runs `body` with a likelihood and solver over the model's buffers (no copies).
    func withSolver<R, E: Error>(_ body: (BinomialLikelihood, NewtonSolver) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = Self.withLikelihood(
            model: model, active: active, penalized: options.method == .firth, mean: summary.columnMean,
            scale: summary.columnScale, maxAbs: summary.columnMaxAbs, interceptColumn: summary.interceptColumn) { likelihood in
            do throws(E) { return .success(try body(likelihood, NewtonSolver(likelihood: likelihood, options: options))) }
            catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Intercept at logit(ȳ), everything else 0: the intercept-only MLE, a start inside the domain.
    static func interceptOnlyStart(for model: LogisticModel) -> [Double] {
        var beta = [Double](repeating: 0, count: model.design.columnCount)
        if let intercept = model.design.terms.first(where: { $0.kind == .intercept })?.columns.lowerBound {
            let totals = model.weightedTotals
            let mean = totals.events / totals.observations
            beta[intercept] = log(mean / (1 - mean))
        }
        return beta
    }

    func fit() throws(ModelError) -> LogisticFit {
        let p = model.design.columnCount
        let names = model.design.columnNames
        return try withSolver { likelihood, solver throws(ModelError) in
            let initial = options.method == .maximumLikelihood ? startEvaluation : nil
            guard let outcome = solver.solve(start: start, free: Array(active.indices), initial: initial) else {
                throw .singularInformation(method: options.method == .firth ? "Firth" : "maximum-likelihood")
            }
            var diagnostics: [FitDiagnostic] = []
            if !model.excludedRows.isEmpty {
                let reasons = Dictionary(grouping: model.excludedRows, by: \.reason).mapValues(\.count)
                diagnostics.append(.rowsDropped(count: model.excludedRows.count, reasons: reasons))
            }
            let aliasedNames = (0..<p).filter { summary.aliased[$0] }.map { names[$0] }
            if !aliasedNames.isEmpty { diagnostics.append(.aliased(columns: aliasedNames)) }

            var convergence: Convergence = outcome.converged
                ? .converged(iterations: outcome.iterations) : .maxIterationsReached(outcome.iterations)
            if options.method == .maximumLikelihood,
               let separation = SeparationCheck(likelihood: likelihood, solver: solver, stopped: outcome, columnMaxAbs: summary.columnMaxAbs) {
                let columns = separation.divergingColumns.map { names[$0] }
                convergence = .separation(terms: columns, complete: separation.complete, iterations: outcome.iterations)
                diagnostics.append(.separation(columns: columns, complete: separation.complete))
            } else if !outcome.converged {
                diagnostics.append(.notConverged(iterations: outcome.iterations))
            }
            if outcome.evaluation.boundaryCount > 0 {
                diagnostics.append(.fittedProbabilitiesAtBoundary(count: outcome.evaluation.boundaryCount))
            }

            let covariance = Self.expandCovariance(evaluation: outcome.evaluation, active: active, p: p)
            var coefficients = outcome.beta
            for j in 0..<p where summary.aliased[j] { coefficients[j] = .nan }

            return LogisticFit(
                method: options.method, coefficientNames: names, terms: model.design.terms,
                coefficients: coefficients, covariance: covariance, aliased: summary.aliased,
                logLikelihood: outcome.evaluation.logLikelihood,
                penalizedLogLikelihood: options.method == .firth ? outcome.evaluation.objective : nil,
                nullLogLikelihood: nullLogLikelihood(fitted: outcome.evaluation.logLikelihood),
                nullPenalizedLogLikelihood: options.method == .firth ? nullPenalizedObjective(solver: solver, fitted: outcome.beta) : nil,
                convergence: convergence, criterion: outcome.criterion, nObservations: model.nObservations, nEvents: model.nEvents,
                excludedRows: model.excludedRows, diagnostics: diagnostics, options: options,
                outcome: model.outcome, eventLabel: model.eventLabel, summary: summary,
                finalEvaluation: outcome.evaluation)
        }
    }

    /// The intercept-only model's log-likelihood, in closed form: ℓ₀ = k log π̂ + (n-k) log(1-π̂) with
    /// π̂ = k/n (maximum likelihood) or (k + ½)/(n + 1) (Firth: the hat values of an intercept-only
    /// model are all 1/n, so the modified score k - nπ + ½ - π vanishes there). No intercept: π = ½.
    /// - Parameter fitted: ℓ of this fit (the null model's own when the model is the intercept alone).
    func nullLogLikelihood(fitted: Double) -> Double {
        if let offset = model.offset {
            if model.design.columnCount == 1, model.design.hasIntercept { return fitted }
            return Self.nullLogLikelihood(model, offset: offset, options: options)
        }
        let (n, k) = model.weightedTotals  // Σwᵢ and Σwᵢyᵢ with case weights
        guard model.design.hasIntercept else { return n * log(0.5) }
        let pi = options.method == .firth ? (k + 0.5) / (n + 1) : k / n
        return k * log(pi) + (n - k) * log1p(-pi)
    }

    /// With an offset the null model is the intercept (if any) and the offset, fitted by the same
    /// method (R: `glm(y ~ 1 + offset(o))`'s deviance is the null deviance); its unpenalised ℓ.
    static func nullLogLikelihood(_ model: LogisticModel, offset: [Double], options: FitOptions) -> Double {
        let n = model.nObservations
        let hasIntercept = model.design.hasIntercept
        let design = DesignMatrix(values: [Double](repeating: 1, count: n), rowCount: n, columnNames: [ModelTerm.interceptName],
                                  terms: [ModelTerm(name: ModelTerm.interceptName, kind: .intercept, columns: 0..<1)])
        guard hasIntercept, let null = try? LogisticModel(response: model.response, design: design, offset: offset, weights: model.weights),
              let fitted = try? LogisticEngine(model: null, options: options).fit()
        else {
            // No intercept: the null model is the offset alone, ℓ at η = o.
            var total = 0.0
            for i in 0..<n {
                let w = model.weights?[i] ?? 1
                total += w * (model.response[i] == 1 ? -log1p(PortableMath.exp(-offset[i])) : -log1p(PortableMath.exp(offset[i])))
            }
            return total
        }
        return fitted.logLikelihood
    }

    /// `logistf`'s null model: only the intercept free, the full model's penalty.
    func nullPenalizedObjective(solver: NewtonSolver, fitted: [Double]) -> Double {
        let intercept = model.design.terms.first { $0.kind == .intercept }?.columns.lowerBound
        var beta = [Double](repeating: 0, count: model.design.columnCount)
        var free: [Int] = []
        if let intercept, let position = active.firstIndex(of: intercept) {
            beta[intercept] = fitted[intercept]
            free = [position]
        }
        return solver.solve(start: beta, free: free)?.evaluation.objective ?? .nan
    }

    /// Inverts the active block of the information and spreads it into a p x p matrix with NaN
    /// rows and columns for aliased coefficients. A singular block (separation driving weights to
    /// zero) gives NaN throughout rather than numbers that look valid.
    static func expandCovariance(evaluation: BinomialLikelihood.Evaluation, active: [Int], p: Int) -> [Double] {
        let k = active.count
        var covariance = [Double](repeating: .nan, count: p * p)
        var inverse = evaluation.information
        guard Cholesky.factor(&inverse, order: k) == nil, Cholesky.invert(&inverse, order: k) else {
            return covariance
        }
        for c in 0..<k { for r in 0..<c { inverse[r * k + c] = inverse[c * k + r] } }  // fill the lower triangle
        let original = evaluation.basis.toOriginal(covariance: inverse)
        for c in 0..<k {
            for r in 0..<k {
                covariance[active[c] * p + active[r]] = original[c * k + r]
            }
        }
        return covariance
    }
}

/// A Cox fit together with what its table reports: the rows it came from (events, competing events,
/// censored, strata, clusters), intervals by the chosen method, and every warning. Renderers read
/// this value and compute nothing.
public struct CoxAnalysis: Sendable {
    public let fit: CoxFit
    public let level: Double
    public let intervalMethod: ConfidenceInterval.Method
    /// One per coefficient, on the log hazard ratio scale; nil for aliased coefficients or when the
    /// interval could not be computed.
    public let intervals: [ConfidenceInterval?]
    /// The event of interest and the other event types, which censor (a cause-specific hazard).
    public let event: String
    public let competingEvents: [String]
    /// Rows with another event type, and rows censored, among those fitted.
    public let nCompeting: Int
    public let nCensored: Int
    public let strataColumn: String?
    public let clusterColumn: String?
    /// The case-weight and offset columns (`coxph(weights = )`, `offset()`), and Σwᵢ over the rows fitted.
    public let weightColumn: String?
    public let offsetColumn: String?
    public let weightTotal: Double?
    /// Tests of each term of more than one column (``CoxFit/termTests(_:)``).
    public let termTests: [LikelihoodRatioTest]
    /// The fit's diagnostics and any inference that could not be completed, as sentences.
    public let warnings: [String]
    public let source: String

    /// Fits the cause-specific Cox model of `rows`' event of interest and computes the intervals:
    /// Wald (with the robust variance when there are clusters, as `summary.coxph`) or profile
    /// likelihood (model-based; not with clusters, where the likelihood is not the variance's).
    /// - Throws: ``ModelError`` for a model that cannot be specified; `profile` with clusters.
    public static func run(_ rows: SurvivalDesign, options: CoxOptions = CoxOptions(), intervals method: ConfidenceInterval.Method = .wald,
                           level: Double = 0.95) throws(ModelError) -> CoxAnalysis {
        let model = try CoxModel(rows)
        return try run(model, rows: rows, options: options, intervals: method, level: level)
    }

    /// As ``run(_:options:intervals:level:)`` for a model already built from `rows`.
    public static func run(_ model: CoxModel, rows: SurvivalDesign, options: CoxOptions = CoxOptions(),
                           intervals method: ConfidenceInterval.Method = .wald, level: Double = 0.95) throws(ModelError) -> CoxAnalysis {
        if method == .profile, model.clusters != nil {
            throw .data(rows.clusterColumn == nil
                ? "{ci=profile} is a likelihood interval, but with weights that are not whole numbers the variance is the robust one (coxph's default): use {ci=wald}"
                : "{ci=profile} is a likelihood interval, but with {cluster} the variance is the robust one: use {ci=wald}")
        }
        let fitted = try CohortStats.fit(model, options: options)
        var warnings = fitted.diagnostics.compactMap { diagnostic -> String? in
            if case .rowsDropped = diagnostic { return nil }   // the sample line says it
            return diagnostic.description
        }
        var intervals: [ConfidenceInterval?]
        switch method {
        case .wald:
            intervals = zip(fitted.intervals(level: level), fitted.aliased).map { $1 ? nil : $0 }
        case .profile:
            intervals = fitted.profileIntervals(model, level: level)
        }
        for (j, interval) in intervals.enumerated() {
            guard let interval, interval.lower.isNaN || interval.upper.isNaN else { continue }
            intervals[j] = nil
            warnings.append("profile-likelihood interval for \(fitted.coefficientNames[j]) could not be computed (a restricted fit did not converge)")
        }
        let event = rows.eventTypes.first ?? ""
        let termTests = fitted.termTests(model)
        for test in termTests where !test.converged { warnings.append("the test of \(test.name) could not be computed (\(test.comparison))") }
        return CoxAnalysis(fit: fitted, level: level, intervalMethod: method, intervals: intervals, event: event,
                           competingEvents: Array(rows.eventTypes.dropFirst()), nCompeting: rows.nCompeting, nCensored: rows.nCensored,
                           strataColumn: rows.strataColumn, clusterColumn: rows.clusterColumn,
                           weightColumn: rows.weightColumn, offsetColumn: rows.offsetColumn,
                           weightTotal: rows.weights.map { w in w.reduce(0, +) },  // row order
                           termTests: termTests, warnings: warnings, source: rows.source)
    }

    /// The standard errors the table and tests use: robust with clusters, else model-based.
    public var standardErrors: [Double] { fit.robustStandardErrors ?? fit.standardErrors }

    /// The Wald z of each coefficient with ``standardErrors``.
    public var zStatistics: [Double] { zip(fit.coefficients, standardErrors).map { $0 / $1 } }
}

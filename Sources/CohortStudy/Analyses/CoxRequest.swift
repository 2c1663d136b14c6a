import CohortData
import CohortReport
import CohortStats

/// `cohort cox`: Cox proportional hazards regression of the event of interest (other event types
/// censor: a cause-specific hazard), with Efron or Breslow ties, strata and clustered robust SEs,
/// as R `survival::coxph`.
public struct CoxRequest: AnalysisRequest {
    public static let kind = "cox"
    public static let summary = "Cox proportional hazards regression (as survival::coxph): hazard ratios of the event of interest, competing events censoring (complete cases; treatment-coded factors)."

    public var times = EventTimeColumns()
    public var covariates: [String] = []
    /// The model in R's notation (`~ age * sex + rcs(crp, 4)`), instead of `covariates`.
    public var formula: String?
    /// Reference level of categorical covariates.
    public var factor = KeyValueList()
    public var ties: CoxTies = .efron
    /// A separate baseline hazard per value of this column.
    public var strata: String?
    /// Robust (sandwich) standard errors clustered on this column.
    public var cluster: String?
    /// Case weights (`coxph(weights = )`) and an offset (`offset()`): columns.
    public var weights: String?
    public var offset: String?
    public var ci: ConfidenceInterval.Method = .wald
    public var level = 0.95
    /// nil: 30.
    public var maxIterations: Int?
    /// Each covariate (each formula term but the interactions) also fitted alone, its hazard ratio beside the multivariable one (CoxRequest+Univariable.swift).
    public var univariable = false
    /// One fit per level of this column (``PerLevelEstimates``; issue 17).
    public var by: String?

    public init() {}

    /// The model's own keys, after the time inputs' (``EventTimeColumns``).
    public enum OwnKeys: String, CodingKey, CaseIterable {
        case covariates, formula, factor, ties, strata, cluster, ci, level, maxIterations = "max_iterations"
        case univariable, by, weights, offset
    }
    public typealias Keys = JoinedKeys<EventTimeColumns.CodingKeys, OwnKeys>

    public init(from decoder: any Decoder) throws {
        times = try EventTimeColumns(from: decoder)
        let c = try decoder.container(keyedBy: OwnKeys.self)
        covariates = try c.list(.covariates) ?? []
        formula = try c.value(.formula)
        factor = try c.value(.factor) ?? KeyValueList()
        ties = try c.value(.ties) ?? .efron
        strata = try c.value(.strata)
        cluster = try c.value(.cluster)
        ci = try c.value(.ci) ?? .wald
        level = try c.value(.level) ?? 0.95
        maxIterations = try c.value(.maxIterations)
        univariable = try c.value(.univariable) ?? false
        by = try c.value(.by)
        weights = try c.value(.weights)
        offset = try c.value(.offset)
    }

    public func encode(to encoder: any Encoder) throws {
        try times.encode(to: encoder)
        var c = encoder.container(keyedBy: OwnKeys.self)
        try c.encode(covariates, forKey: .covariates)
        try c.encodeIfPresent(formula, forKey: .formula)
        try c.encode(factor, forKey: .factor)
        try c.encode(ties, forKey: .ties)
        try c.encodeIfPresent(strata, forKey: .strata)
        try c.encodeIfPresent(cluster, forKey: .cluster)
        try c.encode(ci, forKey: .ci)
        try c.encode(level, forKey: .level)
        try c.encodeIfPresent(maxIterations, forKey: .maxIterations)
        if univariable { try c.encode(univariable, forKey: .univariable) }
        try c.encodeIfPresent(by, forKey: .by)
        try c.encodeIfPresent(weights, forKey: .weights)
        try c.encodeIfPresent(offset, forKey: .offset)
    }

    public static let fields: [FieldDoc] = EventTimeColumns.fields + [
        FieldDoc("covariates", "list of columns", default: "required (or formula)", "The covariates; text columns are treatment-coded, terms named NAME[LEVEL]."),
        ModelSpecification.formulaField,
        FieldDoc("factor", "a mapping of column to level", default: "{}", "Reference level of a categorical covariate, e.g. {product: axi-cel} (default: the first level in sorted order)."),
        FieldDoc("ties", "one of " + CoxTies.allCases.map(\.rawValue).joined(separator: ", "), default: "efron", "How tied event times enter the partial likelihood (efron: coxph's default)."),
        FieldDoc("strata", "column", default: "none", "A separate baseline hazard for each value of this column (coxph's strata())."),
        FieldDoc("cluster", "column", default: "none", "Robust (sandwich) standard errors clustered on this column, as coxph's cluster = (no small-sample factor); z, P and the CI use them."),
        FieldDoc("ci", "one of " + ConfidenceInterval.Method.allCases.map(\.rawValue).joined(separator: ", "), default: "wald", "Confidence interval method for the hazard ratios (wald as summary(coxph); profile likelihood, not with cluster)."),
        FieldDoc("level", "a number between 0 and 1", default: "0.95 (a study's options: level)", "Confidence level."),
        FieldDoc("max_iterations", "a whole number from 1 to 10000", default: "30", "Newton iterations at most."),
        Self.univariableField,
        FieldDoc("by", "column", default: "none", "Fit the model once per level of this column (e.g. each centre alone): one row per level and term with estimate, std_error, n, n_dropped and events, ready for a meta output (cohort meta --estimate estimate --std-error std_error --label level); rows missing it are dropped and counted."),
        FieldDoc("weights", "column", default: "none", "Case weights ≥ 0 in the partial likelihood, as coxph(weights = ): whole numbers give coxph's model-based SE, other weights its default robust SE with each row its own cluster (by cluster with cluster); a missing or 0 weight drops the row; n counts rows."),
        FieldDoc("offset", "column", default: "none", "A column added to the linear predictor with coefficient 1, as coxph's offset()."),
    ]

    public func validate() throws(RequestError) {
        try times.validateEvent()
        try InputRules.confidenceLevel.check("level", level)
        if let maxIterations { try InputRules.maxIterations.check("max_iterations", maxIterations) }
        try times.validateForm()
        if ci == .profile, cluster != nil {
            throw RequestError("ci", "{ci=profile} is a likelihood interval, but with {cluster} the variance is the robust one: use {ci=wald}")
        }
        let model = try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: nil)
        if univariable { try LogitRequest.checkUnivariable(model) }
        if let response = model?.response {
            throw RequestError("formula", "has the outcome '\(response)' before '~', but the times and status come from the event options: write '~ \(model!.terms.map(\.name).joined(separator: " + "))'")
        }
        if let by {
            if (model?.variables ?? covariates).contains(by) || by == strata || by == cluster {
                throw RequestError("by", value: by, "is also a covariate, the strata or the cluster; fit per level of another column")
            }
            if univariable { throw RequestError("by", value: by, "gives one row per level and term; {univariable} is for a single fit: leave out one of them") }
        }
        for (key, column) in [("strata", strata), ("cluster", cluster), ("weights", weights), ("offset", offset)] {
            guard let column else { continue }
            if (model?.variables ?? covariates).contains(column) { throw RequestError(key, "names '\(column)', which is also a covariate; a column is one or the other") }
            if times.columnNames.contains(column) { throw RequestError(key, "names '\(column)', which is also a time or status column") }
        }
        if let weights, weights == offset { throw RequestError("offset", "names '\(weights)', which is also {weights}") }
    }

    /// The rows of the model, its design built from `covariates` or `formula`.
    func designRows(table: DataTable, data: CompetingRisksData) throws -> SurvivalDesign {
        if let formula = try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: nil) {
            return try SurvivalDesign(table: table, data: data, formula: formula, referenceLevels: factor.dictionary, cluster: cluster, outcomeColumns: times.columnNames,
                                      weights: weights, offset: offset)
        }
        return try SurvivalDesign(table: table, data: data, covariates: covariates, referenceLevels: factor.dictionary, cluster: cluster, outcomeColumns: times.columnNames,
                                  weights: weights, offset: offset)
    }

    /// The model's rows, model and fit.
    /// - Throws: `SuppressionError` when `suppression` would have to hide a cell the coefficients reveal.
    public func analyze(_ table: DataTable, suppression: Suppression = .none) throws -> CoxAnalysis {
        let data = try times.data(from: table, strata: strata)
        let rows = try designRows(table: table, data: data)
        let model = try CoxModel(rows)
        try suppression.check(model, event: times.event)
        var options = CoxOptions(ties: ties)
        if let maxIterations { options.maxIterations = maxIterations }
        return try CoxAnalysis.run(model, rows: rows, options: options, intervals: ci, level: level)
    }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        if let by {
            let method = "\(ties == .efron ? "Efron" : "Breslow") ties" + (strata.map { ", stratified by \($0)" } ?? "")
                + "; std. error " + (cluster == nil ? "from the inverse information" : "robust, clustered on \(cluster!) (coxph)")
            let levels = try PerLevelEstimates.run(input.table, by: by, model: "Cox", method: method) { subset in
                let analysis = try analyze(subset, suppression: input.style.suppression)
                let fit = analysis.fit
                return .init(terms: fit.coefficientNames, estimates: fit.coefficients, standardErrors: analysis.standardErrors, n: fit.nObservations,
                             nDropped: fit.excludedRows.count, events: fit.nEvents, converged: fit.convergence.isConverged)
            }
            var result = AnalysisResult(tables: [levels.table(style: input.style)], json: levels.json(suppression: input.style.suppression))
            result.perLevel = levels
            return result
        }
        let analysis = try analyze(input.table, suppression: input.style.suppression)
        var tables = [CoxTable.make(analysis, style: input.style)]
        var json = CoxJSON.render(analysis, suppression: input.style.suppression)
        if univariable { try addUnivariable(analysis, input: input, tables: &tables, json: &json) }
        var result = AnalysisResult(tables: tables, json: json)
        result.warnings = analysis.warnings
        result.forest = ModelForest(terms: analysis.fit.coefficientNames, defaultTitle: "Hazard ratios for \(analysis.event)") { title, labels in
            ForestPlot.svg(analysis, title: title, termLabels: labels)
        }
        return result
    }
}

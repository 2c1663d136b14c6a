import CohortData
import CohortReport
import CohortStats

/// `cohort poisson`: Poisson regression of counts (rates with a person-time exposure), as
/// `glm(family = poisson)` with a log(exposure) offset, or negative binomial as `MASS::glm.nb`.
public struct PoissonRequest: AnalysisRequest {
    public static let kind = "poisson"
    public static let summary = "Poisson (or negative binomial) regression of counts, with a person-time exposure as log offset: rate ratios with Wald CIs, deviance and Pearson dispersion (as glm(family = poisson) / MASS::glm.nb)."

    public var outcome = ""
    public var covariates: [String] = []
    /// The model in R's notation, instead of `outcome` and `covariates` (``ModelSpecification``).
    public var formula: String?
    public var factor = KeyValueList()
    /// Person-time; log(exposure) enters the offset.
    public var exposure: String?
    /// A column added to the linear predictor as it is.
    public var offset: String?
    public var negativeBinomial = false
    public var weights: String?
    public var level = 0.95
    /// Sets of covariate values at which to predict the rate (``ModelPredictions``); the exposure
    /// and offset columns may be given too (default: exposure 1, offset 0).
    public var at: [KeyValueList] = []
    /// Marginal standardisation over this variable, its bootstrap resamples and seed (``GLMStandardization``).
    public var standardize: String?
    public var bootstrap: Int?
    public var seed: UInt64?
    /// Cluster-robust SEs clustered on this column (`sandwich::vcovCL`; issue 17).
    public var cluster: String?

    public init() {}

    var standardization: GLMStandardization { GLMStandardization(exposure: standardize, bootstrap: bootstrap, seed: seed) }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case outcome, covariates, formula, factor, exposure, offset, negativeBinomial = "negative_binomial", weights, level, at, standardize, bootstrap, seed, cluster
    }
    public typealias Keys = CodingKeys

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        outcome = try c.value(.outcome) ?? ""
        covariates = try c.list(.covariates) ?? []
        formula = try c.value(.formula)
        factor = try c.value(.factor) ?? KeyValueList()
        exposure = try c.value(.exposure)
        offset = try c.value(.offset)
        negativeBinomial = try c.value(.negativeBinomial) ?? false
        weights = try c.value(.weights)
        level = try c.value(.level) ?? 0.95
        at = try c.value(.at) ?? []
        standardize = try c.value(.standardize)
        bootstrap = try c.value(.bootstrap)
        seed = try c.value(.seed)
        cluster = try c.value(.cluster)
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("outcome", "column", default: "required", "The outcome: a count (whole numbers 0 or more)."),
        FieldDoc("covariates", "list of columns", default: "required (or formula)", "The covariates; text columns are treatment-coded, terms named NAME[LEVEL]."),
        ModelSpecification.formulaField,
        FieldDoc("factor", "a mapping of column to level", default: "{}", "Reference level of a categorical covariate (default: the first level in sorted order)."),
        FieldDoc("exposure", "column", default: "none", "Person-time (positive); log(exposure) is the offset, so the ratios are rate ratios."),
        FieldDoc("offset", "column", default: "none", "A column added to the linear predictor as it is (with exposure, added to log(exposure))."),
        FieldDoc("negative_binomial", "true/false", default: "false", "Fit the negative binomial model with θ by maximum likelihood (MASS::glm.nb) instead of the Poisson."),
        FieldDoc("weights", "column", default: "none", "Frequency (case) weights (finite, 0 or more; rows of weight 0 are left out), as glm's weights=."),
        FieldDoc("level", "a number between 0 and 1", default: "0.95 (a study's options: level)", "Confidence level."),
        ModelPredictions.atField("rate", extra: " The exposure is 1 (the rate per unit of person-time) and the offset 0 unless a set gives the exposure or offset column a value (then the expected count for that exposure), as R's predict.glm(newdata) evaluates the offset in newdata."),
    ] + GLMStandardization.fields("rate", extra: " With exposure the rate is per unit of it: the expected events over the total exposure.") + [
        FieldDoc("cluster", "column", default: "none", "Cluster-robust (sandwich) SEs clustered on this column (e.g. the centre), as sandwich::vcovCL for a glm: HC0 with the G/(G − 1) factor; Wald tests and CIs use them; rows missing it are dropped and counted (Poisson only)."),
    ]

    public func validate() throws(RequestError) {
        if formula == nil, outcome.isEmpty { throw RequestError("outcome", "is missing: name the count column") }
        let model = try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: outcome)
        try InputRules.confidenceLevel.check("level", level)
        try LinearRequest.checkExtraColumns(["weights": weights, "exposure": exposure, "offset": offset, "cluster": cluster], outcome: model?.response ?? outcome, covariates: model?.variables ?? covariates)
        if let exposure, exposure == offset { throw RequestError("offset", "names '\(exposure)', which is already the exposure") }
        if let cluster, negativeBinomial { throw RequestError("cluster", value: cluster, "is for the Poisson model here; leave out {negative_binomial}") }
        try ModelPredictions.check(at)
        try standardization.validate(weights: weights)
    }

    /// What the standardisation table says its rate is per.
    var standardizationNotes: [String] {
        if let exposure { return ["rate: per unit of \(exposure), the patients' expected events at each level over their total \(exposure) (Σ exp(x'β + log \(exposure)) / Σ \(exposure))."] }
        if let offset { return ["rate: Σ exp(x'β + \(offset)) / Σ exp(\(offset)) over the patients."] }
        return []
    }

    /// What the prediction table says of the exposure and offset of `at`.
    var predictionNotes: [String] {
        var notes: [String] = []
        if let exposure {
            notes.append("exposure: \(exposure) = 1 (the rate per unit of \(exposure)) where a set of values does not give it; where it does, the predicted value is the expected count over that exposure (R's predict.glm(newdata) with offset(log(\(exposure))) evaluated in newdata).")
        }
        return notes + ModelPredictions.offsetNote(offset)
    }

    /// The model's data: the one place the table becomes a design (``RegressionData``).
    public func data(_ table: DataTable) throws -> RegressionData {
        if let formula = try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: outcome) {
            return try RegressionData(table: table, formula: formula, referenceLevels: factor.dictionary, response: .count,
                           weights: weights, exposure: exposure, offset: offset, cluster: cluster)
        }
        return try RegressionData(table: table, outcome: outcome, covariates: covariates, referenceLevels: factor.dictionary, response: .count,
                           weights: weights, exposure: exposure, offset: offset, cluster: cluster)
    }

    public func analyze(_ table: DataTable) throws -> CountFit {
        let data = try data(table)
        return negativeBinomial ? try CountModel.negativeBinomial(data) : try CountModel.poisson(data)
    }


    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let data = try data(input.table)
        // Under small-cell suppression the model is refused when a cell its numbers reveal is small (issue 16).
        try input.style.suppression.check(data, outcome: .count)
        let fit = negativeBinomial ? try CountModel.negativeBinomial(data) : try CountModel.poisson(data)
        // A multi-column term (a spline, a factor, a factor interaction) is also tested as a whole.
        let termTests = RegressionTermTests.count(data, fit: fit)
        var table = CountTable.make(fit, level: level, source: input.table.source, style: input.style)
        table.notes.insert(contentsOf: TermTestText.notes(termTests, style: input.style), at: min(table.notes.count, 1))
        let level = self.level
        let predictions = try ModelPredictions.at(at, design: data.design, offset: ModelPredictions.offsets(exposure: exposure, offset: offset)) { row, offset in
            fit.prediction(at: row, offset: offset, level: level)
        }
        let standardized = try standardization.run(data, coefficients: fit.coefficients, link: .log, refit: fit.standardizationRefit(data), input: input, level: level)
        var tables = [table]
        if !predictions.isEmpty {
            tables.append(PredictionTable.make(predictions, method: negativeBinomial ? "negative binomial" : "Poisson", fitted: "rate", notes: predictionNotes, style: input.style))
        }
        if let standardized {
            tables.append(StandardizationTable.make(standardized, method: "", value: "rate", model: negativeBinomial ? "negative binomial model" : "Poisson model", notes: standardizationNotes, style: input.style))
        }
        var result = AnalysisResult(tables: tables, json: ModelPredictions.json(CountJSON.value(fit, level: level, termTests: termTests), predictions, fitted: "rate", standardization: standardized,
                                                                hidden: CountJSON.hidden(fit, rule: input.style.suppression), suppression: input.style.suppression))
        result.warnings = CountJSON.sharedWarnings(fit, rule: input.style.suppression)
        let source = input.table
        result.rowPredictionsCSV = {
            ModelPredictions.csv(sourceRows: data.sourceRows, table: source, predictions: fit.predictions(data, level: level), fitted: "rate")
        }
        return result
    }
}

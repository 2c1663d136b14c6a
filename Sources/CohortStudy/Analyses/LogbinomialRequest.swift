import CohortData
import CohortReport
import CohortStats

/// `cohort logbinomial`: risk ratios from the log-binomial model (`glm(family = binomial(link =
/// "log"))`), falling back to the modified Poisson model (Zou 2004) when it does not converge or its
/// fitted risks reach 1; the output says which was used and why.
public struct LogbinomialRequest: AnalysisRequest {
    public static let kind = "logbinomial"
    public static let summary = "Risk ratios from the log-binomial model (glm binomial, log link), with a stated fallback to modified Poisson (robust HC0 SEs, Zou 2004) when it does not converge or its fitted risks reach 1."

    public var outcome = ""
    public var event: String?
    public var covariates: [String] = []
    /// The model in R's notation, instead of `outcome` and `covariates` (``ModelSpecification``).
    public var formula: String?
    public var factor = KeyValueList()
    public var weights: String?
    /// A column added to the linear predictor with coefficient 1 (glm's `offset=`; issue 16).
    public var offset: String?
    public var level = 0.95
    /// Sets of covariate values at which to predict the risk (``ModelPredictions``).
    public var at: [KeyValueList] = []
    /// Marginal standardisation over this variable, its bootstrap resamples and seed (``GLMStandardization``).
    public var standardize: String?
    public var bootstrap: Int?
    public var seed: UInt64?

    public init() {}

    var standardization: GLMStandardization { GLMStandardization(exposure: standardize, bootstrap: bootstrap, seed: seed) }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case outcome, event, covariates, formula, factor, weights, offset, level, at, standardize, bootstrap, seed
    }
    public typealias Keys = CodingKeys

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        outcome = try c.value(.outcome) ?? ""
        event = try c.value(.event)
        covariates = try c.list(.covariates) ?? []
        formula = try c.value(.formula)
        factor = try c.value(.factor) ?? KeyValueList()
        weights = try c.value(.weights)
        offset = try c.value(.offset)
        level = try c.value(.level) ?? 0.95
        at = try c.value(.at) ?? []
        standardize = try c.value(.standardize)
        bootstrap = try c.value(.bootstrap)
        seed = try c.value(.seed)
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("outcome", "column", default: "required", "The outcome: a 0/1 column, or a two-level column with event naming the event level."),
        FieldDoc("event", "text", default: "none", "The outcome's level that counts as the event."),
        FieldDoc("covariates", "list of columns", default: "required (or formula)", "The covariates; text columns are treatment-coded, terms named NAME[LEVEL]."),
        ModelSpecification.formulaField,
        FieldDoc("factor", "a mapping of column to level", default: "{}", "Reference level of a categorical covariate (default: the first level in sorted order)."),
        FieldDoc("weights", "column", default: "none", "Frequency (case) weights (finite, 0 or more; rows of weight 0 are left out), as glm's weights=."),
        FieldDoc("offset", "column", default: "none", "A column added to the log-risk linear predictor with coefficient 1 (glm's offset=); a set of at values may give its value (default 0); not with standardize."),
        FieldDoc("level", "a number between 0 and 1", default: "0.95 (a study's options: level)", "Confidence level."),
        ModelPredictions.atField("risk", extra: " The risk is exp(x'β), its CI exp(x'β ± z·SE) (the robust SE after the modified-Poisson fallback)."),
    ] + GLMStandardization.fields("risk")

    public func validate() throws(RequestError) {
        if formula == nil, outcome.isEmpty { throw RequestError("outcome", "is missing: name the outcome column") }
        let model = try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: outcome)
        try InputRules.confidenceLevel.check("level", level)
        try LinearRequest.checkExtraColumns(["weights": weights, "offset": offset], outcome: model?.response ?? outcome, covariates: model?.variables ?? covariates)
        try ModelPredictions.check(at)
        try standardization.validate(weights: weights)
        if let weights, weights == offset { throw RequestError("offset", "names '\(weights)', which is also {weights}") }
        // A log-link standardisation with an offset averages over Σ exp(offset) (a rate, as in
        // cohort poisson); a risk has no such denominator, so the two are not combined.
        if let offset, standardize != nil { throw RequestError("standardize", "averages risks over the patients, but {offset} '\(offset)' changes each patient's risk scale; leave out one of them") }
    }

    /// The model's data: the one place the table becomes a design (``RegressionData``).
    public func data(_ table: DataTable) throws -> RegressionData {
        if let formula = try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: outcome) {
            return try RegressionData(table: table, formula: formula, referenceLevels: factor.dictionary,
                           response: .binary(eventLevel: event), weights: weights, offset: offset)
        }
        return try RegressionData(table: table, outcome: outcome, covariates: covariates, referenceLevels: factor.dictionary,
                           response: .binary(eventLevel: event), weights: weights, offset: offset)
    }

    public func analyze(_ table: DataTable) throws -> CountFit {
        try CountModel.logBinomial(try data(table))
    }


    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let data = try data(input.table)
        // Under small-cell suppression the model is refused when a cell its numbers reveal is small (issue 16).
        try input.style.suppression.check(data, outcome: .binary)
        let fit = try CountModel.logBinomial(data)
        // A multi-column term (a spline, a factor, a factor interaction) is also tested as a whole.
        let termTests = RegressionTermTests.count(data, fit: fit)
        var table = CountTable.make(fit, level: level, source: input.table.source, style: input.style)
        table.notes.insert(contentsOf: TermTestText.notes(termTests, style: input.style), at: min(table.notes.count, 1))
        let level = self.level
        let predictions = try ModelPredictions.at(at, design: data.design, offset: ModelPredictions.offsets(offset: offset)) { row, offset in fit.prediction(at: row, offset: offset, level: level) }
        let standardized = try standardization.run(data, coefficients: fit.coefficients, link: .log, refit: fit.standardizationRefit(data), input: input, level: level)
        var tables = [table]
        if !predictions.isEmpty {
            tables.append(PredictionTable.make(predictions, method: fit.method == .logBinomial ? "log-binomial" : "modified-Poisson (robust)", fitted: "risk", notes: ModelPredictions.offsetNote(offset), style: input.style))
        }
        if let standardized {
            tables.append(StandardizationTable.make(standardized, method: "", value: "risk", model: fit.method == .logBinomial ? "log-binomial model" : "modified-Poisson model (the log-binomial fallback)", style: input.style))
        }
        var result = AnalysisResult(tables: tables, json: ModelPredictions.json(CountJSON.value(fit, level: level, termTests: termTests), predictions, fitted: "risk", standardization: standardized,
                                                                hidden: CountJSON.hidden(fit, rule: input.style.suppression), suppression: input.style.suppression))
        result.warnings = CountJSON.sharedWarnings(fit, rule: input.style.suppression)
        let source = input.table
        result.rowPredictionsCSV = {
            ModelPredictions.csv(sourceRows: data.sourceRows, table: source, predictions: fit.predictions(data, level: level), fitted: "risk")
        }
        return result
    }
}

import CohortData
import CohortReport
import CohortStats

/// `cohort linear`: linear regression by (weighted) least squares, as R's `lm`, with
/// heteroscedasticity-consistent SEs (`sandwich::vcovHC` HC0-HC3) on request.
public struct LinearRequest: AnalysisRequest {
    public static let kind = "linear"
    public static let summary = "Linear regression by least squares (as R's lm): coefficients with t tests and t-based CIs, R², F test; robust HC0-HC3 SEs on request (complete cases; treatment-coded factors)."

    public var outcome = ""
    public var covariates: [String] = []
    /// The model in R's notation, instead of `outcome` and `covariates` (``ModelSpecification``).
    public var formula: String?
    /// Reference level of categorical covariates.
    public var factor = KeyValueList()
    /// Heteroscedasticity-consistent standard errors of this type.
    public var robust: RobustCovariance?
    /// Prior (case) weights, as lm's `weights=`.
    public var weights: String?
    /// A column subtracted from the response before the fit (lm's `offset=`; issue 16).
    public var offset: String?
    public var level = 0.95
    /// Sets of covariate values at which to predict the mean (``ModelPredictions``).
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
        case outcome, covariates, formula, factor, robust, weights, offset, level, at, standardize, bootstrap, seed, cluster
    }
    public typealias Keys = CodingKeys

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        outcome = try c.value(.outcome) ?? ""
        covariates = try c.list(.covariates) ?? []
        formula = try c.value(.formula)
        factor = try c.value(.factor) ?? KeyValueList()
        robust = try c.value(.robust)
        weights = try c.value(.weights)
        offset = try c.value(.offset)
        level = try c.value(.level) ?? 0.95
        at = try c.value(.at) ?? []
        standardize = try c.value(.standardize)
        bootstrap = try c.value(.bootstrap)
        seed = try c.value(.seed)
        cluster = try c.value(.cluster)
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("outcome", "column", default: "required", "The outcome: a numeric column."),
        FieldDoc("covariates", "list of columns", default: "required (or formula)", "The covariates; text columns are treatment-coded, terms named NAME[LEVEL]."),
        ModelSpecification.formulaField,
        FieldDoc("factor", "a mapping of column to level", default: "{}", "Reference level of a categorical covariate, e.g. {arm: control} (default: the first level in sorted order)."),
        FieldDoc("robust", "one of " + RobustCovariance.allCases.map(\.rawValue).joined(separator: ", "), default: "none", "Heteroscedasticity-consistent (sandwich) standard errors of this type, as sandwich::vcovHC; t, P and CIs use them."),
        FieldDoc("weights", "column", default: "none", "Case weights (finite, 0 or more; rows of weight 0 are left out), as lm's weights=."),
        FieldDoc("offset", "column", default: "none", "A column with coefficient 1 in the model (lm's offset=): the fit is of the outcome less the offset; fitted values and predictions include it."),
        FieldDoc("level", "a number between 0 and 1", default: "0.95 (a study's options: level)", "Confidence level."),
        ModelPredictions.atField("mean", extra: " The CI is t-based, as predict.lm(interval = \"confidence\"); with robust, the SE uses the robust covariance. With offset, a set may give the offset column's value (default 0)."),
    ] + GLMStandardization.fields("mean") + [
        FieldDoc("cluster", "column", default: "none", "Cluster-robust (sandwich) SEs clustered on this column (e.g. the centre), as sandwich::vcovCL for an lm: HC1 with the G/(G − 1) and (n − 1)/(n − k) factors; t, P and CIs use them; rows missing it are dropped and counted."),
    ]

    public func validate() throws(RequestError) {
        if formula == nil, outcome.isEmpty { throw RequestError("outcome", "is missing: name the outcome column") }
        let model = try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: outcome)
        try InputRules.confidenceLevel.check("level", level)
        try Self.checkExtraColumns(["weights": weights, "offset": offset, "cluster": cluster], outcome: model?.response ?? outcome, covariates: model?.variables ?? covariates)
        if let cluster, robust != nil { throw RequestError("cluster", value: cluster, "gives cluster-robust SEs; {robust} asks for other ones: leave out one of them") }
        try ModelPredictions.check(at)
        try standardization.validate(weights: weights)
        if let weights, weights == offset { throw RequestError("offset", "names '\(weights)', which is also {weights}") }
    }

    /// A weights, exposure or offset column is none of the model's other columns.
    static func checkExtraColumns(_ columns: [String: String?], outcome: String, covariates: [String]) throws(RequestError) {
        for (field, column) in columns.sorted(by: { $0.key < $1.key }) {
            guard let column else { continue }
            if column == outcome || covariates.contains(column) {
                throw RequestError(field, "names '\(column)', which is the outcome or a covariate; a column is one or the other")
            }
        }
    }

    /// The model's data: the one place the table becomes a design (``RegressionData``).
    public func data(_ table: DataTable) throws -> RegressionData {
        if let formula = try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: outcome) {
            return try RegressionData(table: table, formula: formula, referenceLevels: factor.dictionary, response: .continuous, weights: weights, offset: offset, cluster: cluster)
        }
        return try RegressionData(table: table, outcome: outcome, covariates: covariates, referenceLevels: factor.dictionary, response: .continuous, weights: weights, offset: offset, cluster: cluster)
    }

    public func analyze(_ table: DataTable) throws -> LinearFit {
        try LinearModel.fit(try data(table), robust: robust)
    }


    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let data = try data(input.table)
        // Under small-cell suppression the model is refused when a cell its numbers reveal is small (issue 16).
        try input.style.suppression.check(data, outcome: .continuous)
        let fit = try LinearModel.fit(data, robust: robust)
        // A multi-column term (a spline, a factor, a factor interaction) is also tested as a whole.
        let termTests = RegressionTermTests.linear(data, fit: fit)
        var table = LinearTable.make(fit, level: level, source: input.table.source, style: input.style)
        table.notes.insert(contentsOf: TermTestText.notes(termTests, style: input.style), at: min(table.notes.count, 1))
        let level = self.level
        let predictions = try ModelPredictions.at(at, design: data.design, offset: ModelPredictions.offsets(offset: offset)) { row, offset in fit.prediction(at: row, offset: offset, level: level) }
        let method = fit.robust.map { "robust \($0.rawValue.uppercased())" } ?? "least-squares"
        let standardized = try standardization.run(data, coefficients: fit.coefficients, link: .identity, refit: fit.standardizationRefit(data), input: input, level: level)
        var tables = [table]
        if !predictions.isEmpty { tables.append(PredictionTable.make(predictions, method: method, fitted: "mean", notes: ModelPredictions.offsetNote(offset), style: input.style)) }
        if let standardized {
            tables.append(StandardizationTable.make(standardized, method: "", value: "mean", model: "least-squares linear model", style: input.style))
        }
        var result = AnalysisResult(tables: tables, json: ModelPredictions.json(LinearJSON.value(fit, level: level, termTests: termTests), predictions, fitted: "mean", standardization: standardized,
                                                                hidden: LinearJSON.hidden(fit, rule: input.style.suppression), suppression: input.style.suppression))
        result.warnings = LinearJSON.sharedWarnings(fit, rule: input.style.suppression)
        let source = input.table
        result.rowPredictionsCSV = {
            ModelPredictions.csv(sourceRows: data.sourceRows, table: source, predictions: fit.predictions(data, level: level), fitted: "mean")
        }
        return result
    }
}

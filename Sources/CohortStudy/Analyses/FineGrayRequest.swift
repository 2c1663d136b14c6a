import CohortData
import CohortReport
import CohortStats

/// `cohort finegray`: the Fine-Gray proportional subdistribution hazards model of the event of
/// interest with competing events, as R `cmprsk::crr` fits it (Breslow ties, crr's censoring
/// distribution, the sandwich variance with the term for estimating it), and the predicted
/// cumulative incidence of given covariate profiles.
public struct FineGrayRequest: AnalysisRequest {
    public static let kind = "finegray"
    public static let summary = "Fine-Gray subdistribution hazards regression with competing events (as cmprsk::crr), and predicted cumulative incidence for covariate profiles (complete cases; treatment-coded factors)."

    public var times = EventTimeColumns()
    public var covariates: [String] = []
    /// The model in R's notation (`~ age * sex + rcs(crp, 4)`), instead of `covariates`.
    public var formula: String?
    /// Reference level of categorical covariates.
    public var factor = KeyValueList()
    public var level = 0.95
    /// crr's conventions (default) or survival::finegray + coxph's.
    public var convention: FineGrayConvention = .crr
    /// nil: 30.
    public var maxIterations: Int?
    /// Covariate profiles (every covariate named once) whose cumulative incidence is predicted.
    public var predict: [KeyValueList] = []
    /// Days at which the predictions are read.
    public var days: [Double] = []
    /// Also fit each covariate alone, beside the multivariable model (FineGrayRequest+Univariable.swift).
    public var univariable = false
    /// Weights (frequency weights under crr's convention, case weights under finegray-coxph's) and an
    /// offset column (issue 16).
    public var weights: String?
    public var offset: String?

    public init() {}

    /// The model's own keys, after the time inputs' (``EventTimeColumns``).
    public enum OwnKeys: String, CodingKey, CaseIterable {
        case covariates, formula, factor, level, convention, maxIterations = "max_iterations", predict, days, univariable, weights, offset
    }
    public typealias Keys = JoinedKeys<EventTimeColumns.CodingKeys, OwnKeys>

    public init(from decoder: any Decoder) throws {
        times = try EventTimeColumns(from: decoder)
        let c = try decoder.container(keyedBy: OwnKeys.self)
        covariates = try c.list(.covariates) ?? []
        formula = try c.value(.formula)
        factor = try c.value(.factor) ?? KeyValueList()
        level = try c.value(.level) ?? 0.95
        convention = try c.value(.convention) ?? .crr
        maxIterations = try c.value(.maxIterations)
        predict = try c.value(.predict) ?? []
        days = try c.numbers(.days) ?? []
        univariable = try c.value(.univariable) ?? false
        weights = try c.value(.weights)
        offset = try c.value(.offset)
    }

    public func encode(to encoder: any Encoder) throws {
        try times.encode(to: encoder)
        var c = encoder.container(keyedBy: OwnKeys.self)
        try c.encode(covariates, forKey: .covariates)
        try c.encodeIfPresent(formula, forKey: .formula)
        try c.encode(factor, forKey: .factor)
        try c.encode(level, forKey: .level)
        try c.encode(convention, forKey: .convention)
        try c.encodeIfPresent(maxIterations, forKey: .maxIterations)
        try c.encode(predict, forKey: .predict)
        try c.encode(days, forKey: .days)
        if univariable { try c.encode(univariable, forKey: .univariable) }
        try c.encodeIfPresent(weights, forKey: .weights)
        try c.encodeIfPresent(offset, forKey: .offset)
    }

    public static let fields: [FieldDoc] = EventTimeColumns.fields + [
        FieldDoc("covariates", "list of columns", default: "required (or formula)", "The covariates; text columns are treatment-coded, terms named NAME[LEVEL]."),
        ModelSpecification.formulaField,
        FieldDoc("factor", "a mapping of column to level", default: "{}", "Reference level of a categorical covariate, e.g. {product: axi-cel} (default: the first level in sorted order)."),
        FieldDoc("level", "a number between 0 and 1", default: "0.95 (a study's options: level)", "Confidence level of the Wald intervals."),
        FieldDoc("convention", "one of " + FineGrayConvention.allCases.map(\.rawValue).joined(separator: ", "), default: "crr",
                 "crr: cmprsk::crr's (Breslow ties, its censoring distribution, the sandwich with the term for estimating it); finegray-coxph: survival::finegray + coxph's (Efron ties, events before censorings at tied times, the robust variance without that term)."),
        FieldDoc("max_iterations", "a whole number from 1 to 10000", default: "30", "Newton iterations at most."),
        FieldDoc("predict", "a list of mappings of covariate to value", default: "[]", "Covariate profiles, e.g. [{plt_low: 1, icans_high: 0}] (every covariate once; a level for a text one): the predicted cumulative incidence of each at days, as predict.crr."),
        FieldDoc("days", "list of days (numbers >= 0)", default: "[] (required with predict)", "Days at which the predicted cumulative incidence is read; with predict."),
        Self.univariableField,
        FieldDoc("weights", "column", default: "none",
                 "Weights > 0 (0 or missing drops the row). convention crr: whole numbers only, frequency weights (crr on the rows repeated); convention finegray-coxph: any, as survival::finegray(weights =) (the censoring distribution unweighted, fgwt × weight coxph's case weights)."),
        FieldDoc("offset", "column", default: "none", "A column added to the linear predictor with coefficient 1 (as coxph's offset()); predictions are at offset 0."),
    ]

    public func validate() throws(RequestError) {
        try times.validateEvent()
        try InputRules.confidenceLevel.check("level", level)
        if let maxIterations { try InputRules.maxIterations.check("max_iterations", maxIterations) }
        try times.validateForm()
        let model = try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: nil)
        if univariable { try LogitRequest.checkUnivariable(model) }
        if let response = model?.response {
            throw RequestError("formula", "has the outcome '\(response)' before '~', but the times and status come from the event options: write '~ \(model!.terms.map(\.name).joined(separator: " + "))'")
        }
        for (key, column) in [("weights", weights), ("offset", offset)] {
            guard let column else { continue }
            if (model?.variables ?? covariates).contains(column) { throw RequestError(key, "names '\(column)', which is also a covariate; a column is one or the other") }
            if times.columnNames.contains(column) { throw RequestError(key, "names '\(column)', which is also a time or status column") }
        }
        if let weights, weights == offset { throw RequestError("offset", "names '\(weights)', which is also {weights}") }
        if !predict.isEmpty, days.isEmpty { throw RequestError("days", "must list the days at which to read the predictions, e.g. 30,90") }
        if predict.isEmpty, !days.isEmpty { throw RequestError("days", "applies to {predict}: give the covariate profiles to predict for") }
        for day in days { try InputRules.readingDay.check("days", day) }
        for profile in predict {
            if let repeated = profile.firstRepeatedName { throw RequestError("predict", "names '\(repeated)' twice in one profile") }
            let variables = model?.variables ?? covariates
            if let unknown = profile.names.first(where: { !variables.contains($0) }) {
                throw RequestError("predict", "names '\(unknown)', which is not among the \(model == nil ? "covariates" : "formula's variables") (\(variables.joined(separator: ", ")))")
            }
            if let missing = variables.first(where: { profile[$0] == nil }) {
                throw RequestError("predict", "profile '\(Self.label(profile))' does not give '\(missing)': give every covariate a value")
            }
        }
    }

    static func label(_ profile: KeyValueList) -> String { profile.pairs.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") }

    /// The rows of the model, its design built from `covariates` or `formula`.
    func designRows(table: DataTable, data: CompetingRisksData) throws -> SurvivalDesign {
        if let formula = try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: nil) {
            return try SurvivalDesign(table: table, data: data, formula: formula, referenceLevels: factor.dictionary, outcomeColumns: times.columnNames,
                                      weights: weights, offset: offset)
        }
        return try SurvivalDesign(table: table, data: data, covariates: covariates, referenceLevels: factor.dictionary, outcomeColumns: times.columnNames,
                                  weights: weights, offset: offset)
    }

    /// The model's rows, model and fit, with the predictions.
    /// - Throws: `SuppressionError` when `suppression` would have to hide a cell the coefficients reveal.
    public func analyze(_ table: DataTable, suppression: Suppression = .none) throws -> FineGrayAnalysis {
        let data = try times.data(from: table)
        let rows = try designRows(table: table, data: data)
        let model = try FineGrayModel(rows)
        try suppression.check(model, event: times.event)
        var options = FineGrayOptions(convention: convention)
        if let maxIterations { options.maxIterations = maxIterations }
        let profiles = try predict.map { try Self.profile($0, design: rows.design) }
        return try FineGrayAnalysis.run(model, rows: rows, options: options, level: level, profiles: profiles, days: days)
    }

    /// A profile as the design codes it (numbers as they are, levels as indicators, splines and
    /// transforms as the fitted design computed them).
    static func profile(_ profile: KeyValueList, design: DesignMatrix) throws(RequestError) -> FineGrayAnalysis.Profile {
        guard let recipe = design.recipe else { throw RequestError("predict", "needs a model built from the data") }
        do {
            return FineGrayAnalysis.Profile(label: label(profile), covariates: try recipe.row(at: profile.dictionary))
        } catch {
            throw RequestError("predict", error.message)
        }
    }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let analysis = try analyze(input.table, suppression: input.style.suppression)
        var tables = FineGrayTable.make(analysis, style: input.style)
        var json = FineGrayJSON.render(analysis, suppression: input.style.suppression)
        if univariable { try addUnivariable(analysis, input: input, tables: &tables, json: &json) }
        var result = AnalysisResult(tables: tables, json: json)
        result.warnings = analysis.warnings
        result.forest = ModelForest(terms: analysis.fit.coefficientNames, defaultTitle: "Subdistribution hazard ratios for \(analysis.event)") { title, labels in
            ForestPlot.svg(analysis, title: title, termLabels: labels)
        }
        return result
    }
}

import CohortData
import CohortReport
import CohortStats

/// `cohort logit`: logistic regression by maximum likelihood or Firth's penalised likelihood, with
/// profile or Wald intervals, LR tests, optional bootstrap intervals and diagnostics.
public struct LogitRequest: AnalysisRequest {
    public static let kind = "logit"
    public static let summary = "Logistic regression by maximum likelihood or Firth's penalised likelihood (complete cases; treatment-coded factors)."

    public var outcome = ""
    /// The outcome's level that counts as the event (text outcomes).
    public var event: String?
    public var covariates: [String] = []
    /// The model in R's notation, instead of `outcome` and `covariates` (``ModelSpecification``).
    public var formula: String?
    /// Reference level of categorical covariates.
    public var factor = KeyValueList()
    public var firth = false
    public var ci: ConfidenceInterval.Method = .profile
    public var level = 0.95
    /// The likelihood-ratio test of each coefficient (one refit each).
    public var lr = true
    /// nil: 25 for maximum likelihood, 100 for Firth.
    public var maxIterations: Int?
    public var bootstrap: Int?
    public var seed: UInt64?
    public var bootstrapCI: BootstrapInterval.Method?
    /// The diagnostics table under the coefficient table.
    public var diagnostics = false
    /// g of the Hosmer-Lemeshow test; nil: 10.
    public var hosmerLemeshowGroups: Int?
    /// Bootstrap validation (`rms::validate`) from this many resamples (``LogitRequest/modelChecks(_:_:input:)``).
    public var validation: Int?
    /// Residual, leverage and Cook's distance summaries.
    public var influence = false
    /// The ROC curve and the calibration plot as figures (LogitRequest+Checks.swift).
    public var roc = false
    public var calibration = false
    /// Sets of covariate values at which the fitted risk is predicted (every variable of the model).
    public var at: [KeyValueList] = []
    /// An exposure of the model whose adjusted risks are standardised over the cohort.
    public var standardize: String?
    /// A column of weights ≥ 0: frequency weights when all are whole numbers, case weights otherwise.
    public var weights: String?
    /// A column added to the linear predictor with coefficient 1.
    public var offset: String?
    /// Each covariate also fitted alone, its odds ratio beside the multivariable one (LogitRequest+Univariable.swift).
    public var univariable = false
    /// Cluster-robust SEs clustered on this column (`sandwich::vcovCL`; issue 17).
    public var cluster: String?
    /// One fit per level of this column (``PerLevelEstimates``; issue 17).
    public var by: String?

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case outcome, event, covariates, formula, factor, firth, ci, level, lr, maxIterations = "max_iterations"
        case bootstrap, seed, bootstrapCI = "bootstrap_ci", diagnostics, hosmerLemeshowGroups = "hosmer_lemeshow_groups", at, weights, offset, standardize
        case univariable
        case validation = "validate", influence, roc, calibration, cluster, by
    }
    public typealias Keys = CodingKeys

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        outcome = try c.value(.outcome) ?? ""
        event = try c.value(.event)
        covariates = try c.list(.covariates) ?? []
        formula = try c.value(.formula)
        factor = try c.value(.factor) ?? KeyValueList()
        firth = try c.value(.firth) ?? false
        ci = try c.value(.ci) ?? .profile
        level = try c.value(.level) ?? 0.95
        lr = try c.value(.lr) ?? true
        maxIterations = try c.value(.maxIterations)
        bootstrap = try c.value(.bootstrap)
        seed = try c.value(.seed)
        bootstrapCI = try c.value(.bootstrapCI)
        diagnostics = try c.value(.diagnostics) ?? false
        hosmerLemeshowGroups = try c.value(.hosmerLemeshowGroups)
        validation = try c.value(.validation)
        influence = try c.value(.influence) ?? false
        roc = try c.value(.roc) ?? false
        calibration = try c.value(.calibration) ?? false
        at = try c.value(.at) ?? []
        standardize = try c.value(.standardize)
        weights = try c.value(.weights)
        offset = try c.value(.offset)
        univariable = try c.value(.univariable) ?? false
        cluster = try c.value(.cluster)
        by = try c.value(.by)
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("outcome", "column", default: "required (or in formula)", "The outcome: a 0/1 column, or a two-level column with event naming the event level."),
        FieldDoc("event", "text", default: "none", "The outcome's level that counts as the event."),
        FieldDoc("covariates", "list of columns", default: "required (or formula)", "The covariates; text columns are treatment-coded, terms named NAME[LEVEL]."),
        ModelSpecification.formulaField,
        FieldDoc("factor", "a mapping of column to level", default: "{}", "Reference level of a categorical covariate, e.g. {disease: LBCL} (default: the first level in sorted order)."),
        FieldDoc("firth", "true/false", default: "false", "Fit Firth's penalised likelihood (finite estimates under separation; logistf's method)."),
        FieldDoc("ci", "one of " + ConfidenceInterval.Method.allCases.map(\.rawValue).joined(separator: ", "), default: "profile", "Confidence interval method."),
        FieldDoc("level", "a number between 0 and 1", default: "0.95 (a study's options: level)", "Confidence level."),
        FieldDoc("lr", "true/false", default: "true", "The likelihood-ratio test of each coefficient (one refit each); false: Wald tests only."),
        FieldDoc("max_iterations", "a whole number from 1 to 10000", default: "25 (maximum likelihood), 100 (Firth)", "Newton iterations at most."),
        FieldDoc("bootstrap", "a whole number from 1 to 100000", default: "none", "Add bootstrap confidence intervals from this many resamples of the patients (2000 or more for BCa)."),
        FieldDoc("seed", "a whole number from 0 to 18446744073709551615", default: "1", "Seed of the resamples of bootstrap, standardize and validate; with one of them."),
        FieldDoc("bootstrap_ci", "one of " + BootstrapInterval.Method.allCases.map(\.rawValue).joined(separator: ", "), default: "bca", "Bootstrap interval method; with bootstrap."),
        FieldDoc("diagnostics", "true/false", default: "false", "Add the model diagnostics table (convergence, separation, aliased terms, n, events, events per variable, log-likelihood, AIC, C statistic, Hosmer-Lemeshow test, calibration)."),
        FieldDoc("hosmer_lemeshow_groups", "a whole number from 3 to 100", default: "10", "Groups of fitted risk of the Hosmer-Lemeshow test (df = groups − 2)."),
        ModelPredictions.atField("risk"),
        FieldDoc("weights", "column", default: "none", "Weights ≥ 0, as glm(weights = ); 0 or missing drops the row. All whole numbers (up to 1,000,000): frequency weights, each row counts as that many patients. Otherwise case weights in the likelihood (n counts rows; firth, bootstrap, validate, standardize and the model check are then refused or left out)."),
        FieldDoc("offset", "column", default: "none", "A column added to the linear predictor with coefficient 1 (glm's offset()), e.g. a log exposure."),
        FieldDoc("standardize", "column", default: "none", "A binary or categorical variable of the model: the adjusted risk at each of its levels by marginal standardisation (g-computation), with risk differences and ratios against the reference and percentile bootstrap CIs (bootstrap resamples, default 1000; seed)."),
        Self.univariableField,
    ] + checkFields + [
        FieldDoc("cluster", "column", default: "none", "Cluster-robust (sandwich) SEs clustered on this column (e.g. the centre), as sandwich::vcovCL for a glm: HC0 with the G/(G − 1) factor; Wald tests and ci: wald; rows missing it are dropped and counted; LR tests are not computed."),
        FieldDoc("by", "column", default: "none", "Fit the model once per level of this column (e.g. each centre alone): one row per level and term with estimate, std_error, n, n_dropped and events, ready for a meta output (cohort meta --estimate estimate --std-error std_error --label level); rows missing it are dropped and counted."),
    ]

    public func validate() throws(RequestError) {
        if formula == nil, outcome.isEmpty { throw RequestError("outcome", "is missing: name the outcome column") }
        _ = try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: outcome)
        try InputRules.confidenceLevel.check("level", level)
        if let maxIterations { try InputRules.maxIterations.check("max_iterations", maxIterations) }
        if let bootstrap { try InputRules.bootstrapReplicates.check("bootstrap", bootstrap) }
        if let hosmerLemeshowGroups { try InputRules.hosmerLemeshowGroups.check("hosmer_lemeshow_groups", hosmerLemeshowGroups) }
        try ModelPredictions.check(at)
        if univariable { try Self.checkUnivariable(try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: outcome)) }
        if offset != nil, !at.isEmpty {
            throw RequestError("at", "predicts at given covariate values, but with {offset} each prediction needs its own offset; leave out one of them")
        }
        let variables = try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: outcome)?.variables ?? covariates
        for (key, column) in [("weights", weights), ("offset", offset)] {
            guard let column else { continue }
            if variables.contains(column) || column == outcome { throw RequestError(key, "names '\(column)', which is also in the model; a column is one or the other") }
        }
        if let weights, weights == offset { throw RequestError("offset", "names '\(weights)', which is also {weights}") }
        if influence, weights != nil {
            throw RequestError("influence", value: "true", "gives each row's residual and leverage; with {weights} a row stands for several patients or carries a weight, which these measures do not account for: leave out one of them")
        }
        if bootstrap == nil, standardize == nil, validation == nil, seed != nil { throw RequestError("seed", "applies to {bootstrap}, {standardize} or {validate}; add {bootstrap} N or {validate} B") }
        if bootstrap == nil, bootstrapCI != nil { throw RequestError("bootstrap_ci", "applies to {bootstrap}; add {bootstrap} N") }
        try validateChecks()
        if let by {
            if by == outcome || variables.contains(by) || by == weights || by == offset {
                throw RequestError("by", value: by, "is also in the model; fit per level of another column")
            }
            for (key, given) in [("bootstrap", bootstrap != nil), ("standardize", standardize != nil), ("univariable", univariable), ("at", !at.isEmpty),
                                 ("validate", validation != nil), ("influence", influence), ("diagnostics", diagnostics)] where given {
                throw RequestError("by", value: by, "gives one row per level and term; {\(key)} is for a single fit: leave out one of them")
            }
        }
        if let cluster {
            if ci != .wald { throw RequestError("cluster", value: cluster, "gives cluster-robust SEs, which profile-likelihood intervals do not use: add {ci=wald}") }
            if firth { throw RequestError("cluster", value: cluster, "is for maximum likelihood (sandwich::vcovCL of a glm); leave out {firth}") }
            if cluster == outcome || variables.contains(cluster) || cluster == weights || cluster == offset {
                throw RequestError("cluster", value: cluster, "is also in the model; cluster on another column")
            }
            for (key, given) in [("bootstrap", bootstrap != nil), ("standardize", standardize != nil), ("univariable", univariable), ("by", by != nil)] where given {
                throw RequestError("cluster", value: cluster, "and {\(key)} do not go together yet: their resamples and fits treat rows as independent")
            }
        }
    }

    /// The outcome column: `outcome`, or the formula's left side.
    public func outcomeColumn() throws(RequestError) -> String {
        try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: outcome)?.response ?? outcome
    }

    /// The rules of a regression's `factor` (logit, cox, finegray): one reference level a column, and
    /// only for a covariate.
    static func checkReferenceLevels(_ factor: KeyValueList, covariates: [String], of what: String = "the covariates") throws(RequestError) {
        // A second reference for the same column would silently replace the first.
        if let repeated = factor.firstRepeatedName {
            let given = factor.pairs.filter { $0.name == repeated }.map { "\($0.name)=\($0.value)" }
            throw RequestError("factor", "names '\(repeated)' twice (\(given.joined(separator: " and "))); give one reference level")
        }
        // The model would ignore a reference level for a column it does not fit.
        for name in factor.names.sorted() where !covariates.contains(name) {
            throw RequestError("factor", "names '\(name)', which is not among \(what) (\(covariates.joined(separator: ", "))); add it \(what == "the covariates" ? "with {covariates}" : "to {formula}") or drop it from {factor}")
        }
    }

    /// The model, fitted with its intervals and tests.
    /// - Throws: `SuppressionError` when `suppression` would have to hide a cell the coefficients reveal.
    public func analyze(_ table: DataTable, suppression: Suppression = .none) throws -> (model: LogisticModel, analysis: LogisticAnalysis) {
        let model = try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: outcome).map {
            try LogisticModel(table: table, formula: $0, referenceLevels: factor.dictionary, eventLevel: event, weights: weights, offset: offset,
                              cluster: cluster)
        } ?? LogisticModel(table: table, outcome: outcome, covariates: covariates, referenceLevels: factor.dictionary, eventLevel: event,
                           weights: weights, offset: offset, cluster: cluster)
        try suppression.check(model)
        if model.weights != nil { try checkCaseWeights() }
        var options = FitOptions.defaults(for: firth ? .firth : .maximumLikelihood)
        if let maxIterations { options.maxIterations = maxIterations }
        let analysis = try LogisticAnalysis.run(model, options: options, intervals: ci, level: level, likelihoodRatioTests: lr && cluster == nil, source: table.source,
                                                hosmerLemeshowGroups: hosmerLemeshowGroups ?? LogisticModelCheck.defaultGroups)
        return (model, analysis)
    }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        if let by {
            var single = self
            single.by = nil
            let method = (firth ? "Firth penalised likelihood" : "maximum likelihood") + "; std. error " + (cluster == nil ? "from the inverse information" : "cluster-robust on \(cluster!)")
            let levels = try PerLevelEstimates.run(input.table, by: by, model: "logistic", method: method) { subset in
                let fit = try single.analyze(subset, suppression: input.style.suppression).analysis.fit
                return .init(terms: fit.coefficientNames, estimates: fit.coefficients, standardErrors: fit.standardErrors, n: fit.nObservations,
                             nDropped: fit.nDropped, events: fit.nEvents, converged: fit.convergence.isConverged)
            }
            var result = AnalysisResult(tables: [levels.table(style: input.style)], json: levels.json(suppression: input.style.suppression))
            result.perLevel = levels
            return result
        }
        let (model, analysis) = try analyze(input.table, suppression: input.style.suppression)
        let resampled = try bootstrap.map { count in
            try analysis.fit.bootstrapIntervals(model, options: BootstrapOptions(replicates: count, seed: seed ?? 1), level: level, progress: input.progress)
        }
        let method = bootstrapCI ?? .bca
        var coefficients = CoefficientTable.make(analysis, bootstrap: resampled, bootstrapMethod: method, style: input.style)
        coefficients.notes.insert(contentsOf: Self.inputNotes(model, suppressed: input.style.suppression.isActive), at: 0)
        if let robust = analysis.cluster {
            coefficients.notes.insert("std. error: \(robust.description); the Wald tests and CIs use it. LR tests are not computed (they assume independent rows).", at: 0)
        }
        let predictions = try predictions(model, analysis.fit)
        let standardization = try standardize.map { exposure in
            do {
                return try MarginalStandardization.run(model, fit: analysis.fit, table: input.table, exposure: exposure,
                                                       options: BootstrapOptions(replicates: bootstrap ?? 1000, seed: seed ?? 1), level: level, progress: input.progress)
            } catch let problem as MarginalStandardization.Problem {
                throw RequestError("standardize", problem.description)
            }
        }
        // In JSON the diagnostics are fields already; as a table they go under the coefficients.
        var tables = diagnostics ? [coefficients, ModelDiagnosticsTable.make(analysis.fit, check: analysis.check, style: input.style)] : [coefficients]
        let methodName = analysis.fit.method == .firth ? "Firth" : "maximum-likelihood"
        if !predictions.isEmpty { tables.append(PredictionTable.make(predictions, method: methodName, style: input.style)) }
        if let standardization { tables.append(StandardizationTable.make(standardization, method: methodName, style: input.style)) }
        let univariableFits = univariable ? try addUnivariable(analysis, input: input, tables: &tables) : []
        let checks = try modelChecks(model, analysis, input: input)
        tables += checks.tables
        let json = LogisticJSON.render(analysis, bootstrap: resampled, bootstrapMethod: method, predictions: predictions,
                                       standardization: standardization,
                                       inputs: [model.weightColumn.map { ("weights", .string($0)) }, model.offsetColumn.map { ("offset", .string($0)) },
                                                analysis.cluster.map { ("cluster", $0.jsonValue) }].compactMap { $0 },
                                       suppression: input.style.suppression, univariable: univariableFits,
                                       validation: checks.validation, influence: checks.influence)
        var result = AnalysisResult(tables: tables, json: json)
        result.influenceRows = checks.rows
        // Under suppression the rows dropped by reason are left out, as in the table (issue 13).
        result.warnings = input.style.suppression.sharedWarnings(analysis) + (resampled.map { CoefficientTable.bootstrapWarnings($0, method: method) } ?? [])
        let fit = analysis.fit
        let fitted = analysis.fit, predictionLevel = self.level, table = input.table
        result.rowPredictionsCSV = {
            ModelPredictions.csv(sourceRows: model.sourceRows, table: table, predictions: fitted.predictions(model, level: predictionLevel), fitted: "risk")
        }
        result.modelCheck = analysis.check.map {
            ModelCheckFigures(linearPredictor: fit.linearPredictor(model), outcome: model.response, check: $0,
                              method: fit.method == .firth ? "Firth" : "maximum-likelihood")
        }
        result.figures = try checkFigures(result.modelCheck, input: input)
        result.forest = ModelForest(terms: fit.coefficientNames.filter { $0 != ModelTerm.interceptName },
                                    defaultTitle: "Odds ratios: \(fit.method == .firth ? "Firth" : "maximum likelihood") logistic model") { title, labels in
            ForestPlot.svg(analysis, title: title, termLabels: labels)
        }
        return result
    }
}

extension LogitRequest {
    /// With case (non-integer) weights: the options whose meaning counts patients, refused by name.
    /// The estimates, SEs, deviance, LR tests, profile intervals, predictions and univariable fits
    /// are glm's with prior weights; these are not defined here (issue 16).
    func checkCaseWeights() throws(RequestError) {
        let why = "with case (non-integer) {weights}"
        if firth { throw RequestError("firth", value: "true", "is not available \(why) (logistf's weighted penalty is not implemented); fit by maximum likelihood, or use whole-number frequency weights") }
        if bootstrap != nil { throw RequestError("bootstrap", "resamples patients, which \(why) have no count; leave out one of them") }
        if validation != nil { throw RequestError("validate", "resamples patients, which \(why) have no count; leave out one of them") }
        if standardize != nil { throw RequestError("standardize", "needs bootstrap resamples of patients, which \(why) have no count; leave out one of them") }
        if hosmerLemeshowGroups != nil {
            throw RequestError("hosmer_lemeshow_groups", "sets the Hosmer-Lemeshow test, which is not computed \(why) (nor the C statistic and calibration); leave it out")
        }
    }

    /// What the table says of the weights and the offset.
    /// - Parameter suppressed: small-cell suppression is on: the sums of the case weights (which
    ///   would give the weighted events away) are left out.
    static func inputNotes(_ model: LogisticModel, suppressed: Bool = false) -> [String] {
        var notes: [String] = []
        if let weights = model.weightColumn, model.weights != nil {
            let totals = model.weightedTotals
            func sum(_ x: Double) -> String { NumberText.shortest((x * 1e6).rounded() / 1e6) }  // to 6 decimals, no summation noise
            let counts = suppressed ? "" : " (\(model.nObservations) rows, weights summing to \(sum(totals.observations)), events to \(sum(totals.events)))"
            notes.append("case weights: \(weights), in the likelihood as glm(weights = \(weights)) (prior weights); n counts rows\(counts). "
                + "The C statistic, Hosmer-Lemeshow test and calibration are not computed with case weights.")
        } else if let weights = model.weightColumn {
            var distinct = 0
            for (i, row) in model.sourceRows.enumerated() where i == 0 || model.sourceRows[i - 1] != row { distinct += 1 }
            notes.append("frequency weights: \(weights); n counts weighted rows (\(distinct) rows of the data weighted to \(model.nObservations)), as glm(weights = \(weights)).")
        }
        if let offset = model.offsetColumn { notes.append("offset: \(offset), added to the linear predictor with coefficient 1.") }
        return notes
    }

    /// The fitted risk at each set of values of `at`, coded as the design codes its rows.
    func predictions(_ model: LogisticModel, _ fit: LogisticFit) throws(RequestError) -> [PredictionTable.Row] {
        try ModelPredictions.at(at, design: model.design) { row, _ in fit.prediction(at: row, level: level) }
    }
}

/// A forest plot of the ratios of a study's model output: a logit's odds ratios, a cox output's
/// hazard ratios or a finegray output's subdistribution hazard ratios (study files only: on the
/// command line it is the model command's `--svg`).
public struct ForestRequest: AnalysisRequest {
    public static let kind = "forest"
    public static let summary = "A forest plot of the odds, hazard or subdistribution hazard ratios of a logit, cox or finegray output listed earlier in the same study file."

    /// The name of the model output.
    public var model = ""
    /// Row labels by term, over the codebook's.
    public var labels = KeyValueList()

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable { case model, labels }
    public typealias Keys = CodingKeys

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        model = try c.value(.model) ?? ""
        labels = try c.value(.labels) ?? KeyValueList()
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("model", "the name of a logit, cox or finegray output", default: "required", "The model output whose ratios are drawn; it must come earlier in the list."),
        FieldDoc("labels", "a mapping of term to text", default: "the codebook's labels", "Row labels by term, e.g. {plt_low: \"Platelets < 100\"}."),
    ]

    public func validate() throws(RequestError) {
        if model.isEmpty { throw RequestError("model", "is missing: name the logit, cox or finegray output to draw") }
        if let repeated = labels.firstRepeatedName { throw RequestError("labels", "names the term '\(repeated)' twice") }
    }

    public var unsuppressible: String? { "a forest plot (its caption gives n and events)" }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        guard let forest = input.earlier[model]?.forest else {
            throw RequestError("model", "names '\(model)', which must be a logit, cox or finegray output listed before this forest plot")
        }
        if let unknown = labels.names.sorted().first(where: { !forest.terms.contains($0) }) {
            // A misspelt term would otherwise leave its row unlabelled without a word.
            throw RequestError("labels", "names '\(unknown)', which is not a term of the output '\(model)' (its terms: \(forest.terms.joined(separator: ", ")))")
        }
        let title = input.title ?? forest.defaultTitle
        var result = AnalysisResult()
        result.figures = [.init(title: title, svg: forest.svg(table: input.table, title: title, labels: labels))]
        return result
    }
}

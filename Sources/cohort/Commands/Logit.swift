import ArgumentParser
import CohortData
import CohortReport
import CohortStats
import CohortStudy

extension ConfidenceInterval.Method: ExpressibleByArgument {}
extension BootstrapInterval.Method: ExpressibleByArgument {}

struct Logit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Logistic regression by maximum likelihood or Firth's penalised likelihood.",
        discussion: """
            Complete-case analysis: rows missing the outcome or any covariate are dropped and counted. \
            Text covariates are treatment-coded against a reference level (the first level in sorted \
            order unless --factor says otherwise); their terms are named NAME[LEVEL]. Each coefficient \
            gets its Wald z test, a likelihood-ratio test of dropping it, and an odds ratio with a \
            profile-likelihood (default) or Wald confidence interval. Rank deficiency and separation \
            are reported by term.

            --bootstrap N adds a bootstrap confidence interval for each odds ratio: N resamples of the \
            patients (rows), each refitted by the same method; BCa (default) or percentile intervals, \
            computed as R's boot.ci computes them. A fixed --seed gives identical output on every run \
            and machine; resamples that cannot be fitted are excluded and counted in the table's notes.

            Examples:
              cohort logit cohort.csv --outcome bleeding --covariates plt_baseline,icans_high
              cohort logit cohort.csv --outcome bleeding --covariates "age,disease" --factor disease=LBCL --firth
              cohort logit cohort.csv --outcome status --event dead --covariates age --format json --out fit.json
              cohort logit cohort.csv --outcome bleeding --covariates plt,icans_high,age --firth --bootstrap 2000 --seed 7
              cohort logit cohort.csv --outcome bleeding --covariates plt_low,icans_high --firth --svg forest.svg
              cohort logit cohort.csv --outcome bleeding --covariates plt,age --roc roc.svg --calibration calibration.svg
              cohort logit lbw.csv --formula 'low ~ age * smoke + race + rcs(lwt, 4)' --factor race=white
              cohort logit 'postgresql://me@db.example:5432/registry?table=cohort' --outcome bleeding --covariates age,disease
              cohort logit --site 'postgresql://a@site-a/reg?table=cohort' --site 'postgresql://b@site-b/reg?table=cohort' \
                --outcome bleeding --covariates age,disease --factor disease=LBCL --ci wald --no-lr

            In the database: with a PostgreSQL URL as DATA (unless --pull), or with repeated --site URL and \
            no DATA, the model is fitted inside PostgreSQL: each IRLS iteration sends every site one \
            aggregate query returning only X'WX, X'(y - mu), the deviance and counts, and the sites' sums \
            are added here, so the pooled fit equals the fit of all the rows together while no row \
            leaves a site. Maximum likelihood; likelihood-ratio tests and profile-likelihood intervals \
            (the defaults, as for a CSV) refit restricted models by the same aggregate queries, one \
            query a site per iteration; --ci wald --no-lr is the fast path (the fit alone). \
            Disclosure control (DataSHIELD's defaults): a site with fewer than --site-min-rows complete \
            rows (10), or where the parameters exceed --site-parameter-fraction (0.33) of its rows, is \
            refused, and under --suppress-below K so is a site with an outcome x level cell of 1..K-1 \
            rows. The bytes received from the sites go to standard error.

            --formula writes the model as R does: a:b is an interaction, a*b = a + b + a:b, rcs(x, k) a \
            restricted cubic spline with k knots at Harrell's default quantiles (rms), log(x) and I(x^2) \
            transforms; factor levels are named NAME[LEVEL] and interactions age:smoke, smoke:race[black]. \
            Each multi-column term (a spline, a factor, an interaction of factors) also gets one \
            likelihood-ratio test of all its columns, as drop1 (terms inside an interaction are not \
            dropped alone).

            Model checking (in --format json always, in the table with --diagnostics): the C statistic \
            (AUC) with DeLong's interval (as pROC), the Hosmer-Lemeshow test (--hosmer-lemeshow-groups, \
            default 10, as ResourceSelection::hoslem.test), the calibration intercept and slope and the \
            Brier score, all apparent: measured on the rows the model was fitted to.

            --validate B adds bootstrap validation as rms::validate (Efron-Gong optimism, seeded by \
            --seed): Dxy, C, R2, calibration intercept and slope and Brier score, apparent, optimism and \
            corrected. --influence adds the residual and influence summary (as R's residuals, hatvalues \
            and cooks.distance of glm); --influence-out FILE writes each row's values, by file line, as CSV.

            --svg FILE also writes a forest plot of the odds ratios and their --ci intervals on a log \
            axis (terms labelled from the codebook; the model, n and events in the caption).
            """
    )

    @OptionGroup var input: InputOptions

    @OptionGroup var response: ModelOutcomeOptions

    @OptionGroup var model: CovariateOptions

    @Flag(help: "Fit Firth's penalised likelihood (finite estimates under separation; logistf's method).")
    var firth = false

    @Option(help: "Confidence interval method.")
    var ci: ConfidenceInterval.Method = .profile

    @Option(help: ArgumentHelp("Confidence level, between 0 and 1.", valueName: "level"))
    var level: Double = 0.95

    @Flag(inversion: .prefixedNo, help: "The likelihood-ratio test of each coefficient (one refit each; default on); --no-lr reports Wald tests only.")
    var lr = true

    @Option(name: .customLong("max-iterations"), help: ArgumentHelp("Newton iterations at most, 1 to 10000 (default: 25 for maximum likelihood, 100 for Firth).", valueName: "n"))
    var maxIterationsGiven: NumberArgument?

    @Option(name: .customLong("bootstrap"), help: ArgumentHelp("Add bootstrap confidence intervals from this many resamples, 1 to 100000 (2000 or more for BCa).", valueName: "n"))
    var bootstrapGiven: NumberArgument?

    @Option(help: ArgumentHelp("Seed of the bootstrap resamples, a whole number 0 to 18446744073709551615 (default 1); the same seed gives the same intervals.", valueName: "s"))
    var seed: UInt64?

    @Option(name: .customLong("bootstrap-ci"), help: "Bootstrap interval method, with --bootstrap (default: bca).")
    var bootstrapMethodGiven: BootstrapInterval.Method?

    @Option(help: ArgumentHelp("Also write a forest plot of the odds ratios as SVG to this file (atomically).", valueName: "file"))
    var svg: String?

    @Option(help: ArgumentHelp("Also write the ROC curve of the fitted risks, with the C statistic and its DeLong CI, as SVG to this file (atomically).", valueName: "file"))
    var roc: String?

    @Option(help: ArgumentHelp("Also write a calibration plot (observed vs fitted risk by Hosmer-Lemeshow group, a lowess smoother, the ideal line) as SVG to this file (atomically).", valueName: "file"))
    var calibration: String?

    @Flag(help: "Print the model diagnostics table (convergence and its criterion, separation, aliased terms, n, events, events per variable, log-likelihood, AIC, C statistic with its DeLong CI, Hosmer-Lemeshow test, calibration intercept and slope, Brier score) under the coefficient table; with --format json the diagnostics are in the JSON already.")
    var diagnostics = false

    @Option(name: .customLong("hosmer-lemeshow-groups"), help: ArgumentHelp("Groups of fitted risk of the Hosmer-Lemeshow test, 3 to 100 (default 10; df = groups - 2).", valueName: "g"))
    var hosmerLemeshowGroupsGiven: NumberArgument?

    @OptionGroup var checks: LogitCheckOptions

    @Option(help: ArgumentHelp("Also write every fitted row's linear predictor, its SE, fitted risk and CI as CSV to this file (atomically; rows by their line in the data file, never an identifier).", valueName: "file"))
    var predict: String?

    @Option(help: ArgumentHelp("Predict the risk, with its CI, at these covariate values: NAME=VALUE pairs, comma-separated, every variable of the model (repeatable; a second table).", valueName: "name=value,..."))
    var at: [String] = []

    @Option(help: ArgumentHelp("Weights ≥ 0, as glm(weights = ): whole numbers are frequency weights (each row counts as that many patients), others case weights in the likelihood; 0 or missing drops the row.", valueName: "column"))
    var weights: String?

    @Option(help: ArgumentHelp("A column added to the linear predictor with coefficient 1 (glm's offset()).", valueName: "column"))
    var offset: String?

    @Option(help: ArgumentHelp("Adjusted risks at each level of this binary or categorical variable of the model by marginal standardisation (g-computation), with risk differences and ratios and percentile bootstrap CIs (--bootstrap resamples, default 1000; --seed).", valueName: "column"))
    var standardize: String?

    @Flag(help: "Also fit each covariate (with --formula each term but the interactions) alone and print its univariable OR, CI and P beside the multivariable ones (a factor's reference level as a Reference row); the JSON adds the fits as univariable. With --format csv the CSV holds this table.")
    var univariable = false

    @Option(help: ArgumentHelp("Cluster-robust (sandwich) SEs clustered on this column, as sandwich::vcovCL for a glm (HC0 × G/(G − 1)); needs --ci wald; rows missing it are dropped; no LR tests.", valueName: "column"))
    var cluster: String?

    @Option(help: ArgumentHelp("Fit the model once per level of this column (e.g. each centre): one row per level and term with estimate, std_error, n and events; --format csv is ready for cohort meta.", valueName: "column"))
    var by: String?

    @OptionGroup var database: LogitDatabaseOptions

    @OptionGroup var output: OutputOptions

    /// The request these flags ask for; whole-number options are range-checked in `validate()`.
    func request() throws -> LogitRequest {
        var request = LogitRequest()
        request.outcome = response.outcome ?? ""
        request.event = response.event
        request.covariates = model.columns
        request.formula = model.formula
        request.factor = try model.referenceLevels()
        request.firth = firth
        request.ci = ci
        request.level = level
        request.lr = lr
        request.maxIterations = try maxIterationsGiven.map { try $0.whole("--max-iterations", InputRules.maxIterations) }
        request.bootstrap = try bootstrapGiven.map { try $0.whole("--bootstrap", InputRules.bootstrapReplicates) }
        request.seed = seed
        request.bootstrapCI = bootstrapMethodGiven
        request.diagnostics = diagnostics
        request.standardize = standardize
        request.weights = weights
        request.offset = offset
        request.at = try at.map { try KeyValueList.commandLine([$0], option: "--at", example: "NAME=VALUE pairs such as age=60,plt_low=1") }
        request.univariable = univariable
        request.roc = roc != nil
        request.calibration = calibration != nil
        request.cluster = cluster
        request.by = by
        request.hosmerLemeshowGroups = try hosmerLemeshowGroupsGiven.map { try $0.whole("--hosmer-lemeshow-groups", InputRules.hosmerLemeshowGroups) }
        try checks.fill(&request)
        return request
    }

    func validate() throws {
        try RequestRunner.validate(try request())
        try validateInDatabase()
        try checks.validate(output)
        if diagnostics, output.format == .csv { throw ValidationError("--diagnostics needs a format that holds two tables (text, md, latex, html); CSV holds one") }
        if standardize != nil, output.format == .csv { throw ValidationError("--standardize adds a second table; CSV holds one: use text, md, latex, html or json") }
        if !at.isEmpty, output.format == .csv { throw ValidationError("--at adds a second table; CSV holds one: use text, md, latex, html or json") }
        if by != nil {
            for (flag, given) in [("--svg", svg != nil), ("--roc", roc != nil), ("--calibration", calibration != nil), ("--predict", predict != nil)] where given {
                throw ValidationError("--by gives one row per level and term; \(flag) is for a single fit: leave out one of them")
            }
            return try output.rejectStyleThatDoesNotApply("logit", prints: [], pValuesBecause: "prints no P value with --by")
        }
        try output.rejectStyleThatDoesNotApply("logit", prints: [.pValues])
        try PredictionOptions.refuseUnderSuppression(predict: predict, output)
        // A ROC curve steps at every patient and a calibration plot shows each group's events: neither can be suppressed.
        if output.suppressBelow ?? 0 > 1, roc != nil || calibration != nil {
            throw ValidationError("--roc and --calibration draw every patient's step or each group's events and cannot be suppressed; leave them out with --suppress-below")
        }
    }

    func run() throws {
        if try runsInDatabase { return try runInDatabase() }
        let request = try request()
        try RequestRunner.runCommand(request, "logit", input: input, output: output, progress: ProgressBar.onTerminal("bootstrap"), figures: { result, table in
            let outcome = FigureLabels.short(table, column: (try? request.outcomeColumn()) ?? request.outcome)
            if let predict, let csv = result.rowPredictionsCSV { try AtomicFile.write(csv(), to: predict) }
            try checks.write(result)
            // The request draws them in this order (LogitRequest+Checks.swift): the ROC curve, then the calibration plot.
            if let roc, let figure = result.figures.first { try AtomicFile.write(figure.svg, to: roc) }
            if let calibration, let figure = result.figures.last { try AtomicFile.write(figure.svg, to: calibration) }
            guard let svg, let forest = result.forest else { return }
            try AtomicFile.write(forest.svg(table: table, title: "Odds ratios for \(outcome)"), to: svg)
        })
    }
}

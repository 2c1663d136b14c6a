import ArgumentParser
import CohortData
import CohortReport
import CohortStats
import CohortStudy

extension CoxTies: ExpressibleByArgument {}

struct CoxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cox",
        abstract: "Cox proportional hazards regression (as survival::coxph): hazard ratios with Efron or Breslow ties, strata and clustered SEs.",
        discussion: """
            Takes the same time inputs as cohort cuminc (time and status, event day and follow-up day, \
            event-day columns, or dates). The hazard modelled is that of the --event type; every other \
            event type (--competing, or any other) censors the patient at its time: a cause-specific \
            hazard, as coxph(Surv(time, status == event) ~ ...) gives it. For the cumulative incidence \
            in the presence of competing events use cohort finegray.

            Complete-case analysis: rows missing the time, status, a covariate, the stratum or the \
            cluster are dropped and counted. Text covariates are treatment-coded against a reference \
            level (the first level in sorted order unless --factor says otherwise); their terms are \
            named NAME[LEVEL]. Tied event times: Efron's approximation (coxph's default) or Breslow's. \
            --strata gives each value of a column its own baseline hazard; --cluster gives robust \
            (sandwich) standard errors clustered on a column, as coxph's cluster = (no small-sample \
            factor). The table states n, events, competing events and censored, the likelihood-ratio, \
            Wald and score tests of the model, and names monotone likelihood (a hazard ratio running to \
            0 or infinity), non-convergence and aliased columns.

            --svg FILE also writes a forest plot of the ratios and their intervals on a log axis (terms \
            labelled from the codebook, reference levels as open squares, the model and its counts in \
            the caption).

            Examples:
              cohort cox cohort.csv --time os_days --status dead --event 1 --covariates age,product
              cohort cox cohort.csv --event-day event_day --event-type first_event \\
                --followup-day last_fu_day --event bleeding --competing death \\
                --covariates plt_low,icans_high --factor product=axi-cel --ties breslow
              cohort cox cohort.csv --time t --status s --event 1 --covariates age --strata centre
              cohort cox cohort.csv --time t --status s --event 1 --covariates age --cluster centre --format json
            """
    )

    @OptionGroup var input: InputOptions

    @OptionGroup var times: EventTimeOptions

    @OptionGroup var model: CovariateOptions

    @Option(help: "How tied event times enter the partial likelihood (efron: coxph's default).")
    var ties: CoxTies = .efron

    @Option(help: ArgumentHelp("A separate baseline hazard for each value of this column (coxph's strata()).", valueName: "column"))
    var strata: String?

    @Option(help: ArgumentHelp("Robust (sandwich) standard errors clustered on this column, as coxph's cluster =.", valueName: "column"))
    var cluster: String?

    @Option(help: ArgumentHelp("Case weights ≥ 0 in the partial likelihood, as coxph(weights = ) (weights that are not whole numbers: robust SEs by row, coxph's default); a missing or 0 weight drops the row.", valueName: "column"))
    var weights: String?

    @Option(help: ArgumentHelp("A column added to the linear predictor with coefficient 1, as coxph's offset().", valueName: "column"))
    var offset: String?

    @Option(help: "Confidence interval method for the hazard ratios (wald as summary(coxph); profile: profile likelihood, not with --cluster).")
    var ci: ConfidenceInterval.Method = .wald

    @Option(help: ArgumentHelp("Confidence level, between 0 and 1.", valueName: "level"))
    var level: Double = 0.95

    @Option(name: .customLong("max-iterations"), help: ArgumentHelp("Newton iterations at most, 1 to 10000 (default 30).", valueName: "n"))
    var maxIterationsGiven: NumberArgument?

    @Option(help: ArgumentHelp("Also write a forest plot of the ratios as SVG to this file (atomically).", valueName: "file"))
    var svg: String?

    @Flag(help: "Also fit each covariate (with --formula each term but the interactions) alone and print its univariable HR, CI and P beside the multivariable ones (a factor's reference level as a Reference row); the JSON adds the fits as univariable.")
    var univariable = false

    @Option(help: ArgumentHelp("Fit the model once per level of this column (e.g. each centre): one row per level and term with estimate, std_error, n and events; --format csv is ready for cohort meta.", valueName: "column"))
    var by: String?

    @OptionGroup var output: OutputOptions

    func request() throws -> CoxRequest {
        var request = CoxRequest()
        request.univariable = univariable
        request.by = by
        request.times = try times.columns()
        request.covariates = model.columns
        request.formula = model.formula
        request.factor = try model.referenceLevels()
        request.ties = ties
        request.strata = strata
        request.cluster = cluster
        request.weights = weights
        request.offset = offset
        request.ci = ci
        request.level = level
        request.maxIterations = try maxIterationsGiven.map { try $0.whole("--max-iterations", InputRules.maxIterations) }
        return request
    }

    func validate() throws {
        try RequestRunner.validate(try request())
        if by != nil {
            if svg != nil { throw ValidationError("--by gives one row per level and term; --svg is for a single fit: leave out one of them") }
            return try output.rejectStyleThatDoesNotApply("cox", prints: [], pValuesBecause: "prints no P value with --by")
        }
        try output.rejectStyleThatDoesNotApply("cox", prints: [.pValues])
    }

    func run() throws {
        let request = try request()
        try RequestRunner.runCommand(request, "cox", input: input, output: output, figures: { result, table in
            guard let svg, let forest = result.forest else { return }
            try AtomicFile.write(forest.svg(table: table, title: "Hazard ratios for \(request.times.event)"), to: svg)
        })
    }
}

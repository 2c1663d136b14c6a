import ArgumentParser
import CohortData
import CohortReport
import CohortStats
import CohortStudy

extension FineGrayConvention: ExpressibleByArgument {}

struct FineGrayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finegray",
        abstract: "Fine-Gray subdistribution hazards regression with competing events (as cmprsk::crr), and predicted cumulative incidence.",
        discussion: """
            Takes the same time inputs as cohort cuminc (time and status, event day and follow-up day, \
            event-day columns, or dates). Models the subdistribution hazard of the --event type: a \
            patient who had a competing event (--competing, or any other event type) stays in the risk \
            set with a weight that falls as the censoring distribution does, so exp(coefficient) is the \
            subdistribution hazard ratio (SHR) and the model predicts cumulative incidence directly.

            Follows cmprsk::crr: Breslow ties; the censoring distribution is the Kaplan-Meier estimate \
            on the rows used; the variance is the Fine-Gray sandwich including the term for estimating \
            the censoring distribution (z, P and the Wald CI use it). survival::finegray + coxph (Efron \
            ties, a robust variance without that term) gives slightly different numbers (--convention \
            finegray-coxph; see docs/methods.md). Complete cases; text covariates are treatment-coded (--factor sets the \
            reference level). Monotone likelihood, non-convergence and aliased columns are named.

            --predict 'NAME=VALUE,...' (repeatable; every covariate once, a level for a text one) with \
            --days gives each profile's predicted cumulative incidence at those days, as predict.crr.

            --weights COL: under crr's convention whole-number frequency weights (the same fit as crr on \
            the rows repeated); under --convention finegray-coxph any weights > 0, as \
            survival::finegray(weights =) + coxph (its censoring distribution unweighted). --offset COL \
            adds a column to the linear predictor with coefficient 1; predictions are at offset 0.

            --svg FILE also writes a forest plot of the ratios and their intervals on a log axis (terms \
            labelled from the codebook, reference levels as open squares, the model and its counts in \
            the caption).

            Examples:
              cohort finegray cohort.csv --time t --status s --event 1 --competing 2 --covariates age,product
              cohort finegray cohort.csv --event-days bleeding=bleeding_day,death=death_day \\
                --followup-day last_fu_day --event bleeding --competing death --covariates plt_low,icans_high \\
                --predict plt_low=1,icans_high=0 --predict plt_low=0,icans_high=0 --days 30,90
            """
    )

    @OptionGroup var input: InputOptions

    @OptionGroup var times: EventTimeOptions

    @OptionGroup var model: CovariateOptions

    @Option(help: ArgumentHelp("Confidence level of the Wald intervals, between 0 and 1.", valueName: "level"))
    var level: Double = 0.95

    @Option(help: "Whose conventions to follow: crr (cmprsk::crr, default) or finegray-coxph (survival::finegray + coxph).")
    var convention: FineGrayConvention = .crr

    @Option(name: .customLong("max-iterations"), help: ArgumentHelp("Newton iterations at most, 1 to 10000 (default 30).", valueName: "n"))
    var maxIterationsGiven: NumberArgument?

    @Option(help: ArgumentHelp("A covariate profile whose cumulative incidence is predicted, as NAME=VALUE pairs, comma-separated (repeatable; with --days).", valueName: "name=value,..."))
    var predict: [String] = []

    @Option(help: ArgumentHelp("Days at which the predictions are read, comma-separated (with --predict).", valueName: "days"))
    var days: String?

    @Option(help: ArgumentHelp("Weights column (> 0; 0 or missing drops the row): whole-number frequency weights under crr's convention, case weights as survival::finegray(weights =) under --convention finegray-coxph.", valueName: "column"))
    var weights: String?

    @Option(help: ArgumentHelp("A column added to the linear predictor with coefficient 1 (as coxph's offset()).", valueName: "column"))
    var offset: String?

    @Flag(help: "Also fit each covariate (with --formula each term but the interactions) alone and print its univariable SHR, CI and P beside the multivariable ones (a factor's reference level as a Reference row); the JSON adds the fits as univariable.")
    var univariable = false

    @Option(help: ArgumentHelp("Also write a forest plot of the ratios as SVG to this file (atomically).", valueName: "file"))
    var svg: String?

    @OptionGroup var output: OutputOptions

    func request() throws -> FineGrayRequest {
        var request = FineGrayRequest()
        request.times = try times.columns()
        request.covariates = model.columns
        request.formula = model.formula
        request.factor = try model.referenceLevels()
        request.level = level
        request.convention = convention
        request.maxIterations = try maxIterationsGiven.map { try $0.whole("--max-iterations", InputRules.maxIterations) }
        request.predict = try predict.map { try KeyValueList.commandLine([$0], option: "--predict", example: "NAME=VALUE pairs such as plt_low=1,icans_high=0") }
        request.days = try days.map { try TimeToEventOptions.days($0, example: "30,90") } ?? []
        request.univariable = univariable
        request.weights = weights
        request.offset = offset
        return request
    }

    func validate() throws {
        try RequestRunner.validate(try request())
        if !predict.isEmpty, output.format == .csv { throw ValidationError("--predict adds a second table; CSV holds one: use text, md, latex, html or json") }
        try output.rejectStyleThatDoesNotApply("finegray", prints: [.pValues])
    }

    func run() throws {
        let request = try request()
        try RequestRunner.runCommand(request, "finegray", input: input, output: output, figures: { result, table in
            guard let svg, let forest = result.forest else { return }
            try AtomicFile.write(forest.svg(table: table, title: "Subdistribution hazard ratios for \(request.times.event)"), to: svg)
        })
    }
}

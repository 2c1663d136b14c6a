import ArgumentParser
import CohortReport
import CohortStats
import CohortStudy

extension MetaAnalysis.Method: ExpressibleByArgument {}

struct MetaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta",
        abstract: "Meta-analysis of per-study or per-centre estimates, fixed or random effects (as metafor::rma), with a forest plot.",
        discussion: """
            DATA holds one row a study (or centre): an estimate on the scale it is pooled on (a log odds \
            ratio, a log hazard ratio, a mean difference) and its standard error (--std-error) or \
            sampling variance (--variance). A missing, non-numeric or non-positive value is an error \
            naming the file, line and column: no study is dropped silently.

            --method reml (default) estimates the between-study variance τ² by restricted maximum \
            likelihood (Fisher scoring, as metafor; not converging in --max-iterations is an error), \
            dl by DerSimonian-Laird, fixed pools with τ² = 0 (metafor's "EE"). The pooled estimate \
            has inverse-variance weights 1/(SE² + τ²), a z-based CI and P; the table also gives τ² with \
            its Q-profile CI (as confint), τ, I², H², Cochran's Q with its df and P, and each study's \
            weight. --exponentiate adds exp(estimate) and its CI (ratios from log ratios) and draws the \
            forest plot on the ratio scale. --svg FILE writes the forest plot: one row a study with its \
            CI, square sized by weight, and the pooled diamond.

            Per-centre estimates from one data file: `cohort logit ... --by centre --format csv` \
            (estimate, std_error per term and centre); --term NAME keeps the rows of one term.

            Examples:
              cohort meta bcg.csv --estimate yi --variance vi --label author
              cohort meta centres.csv --estimate log_or --std-error se --method dl --exponentiate --svg forest.svg
              cohort meta by-centre.csv --estimate estimate --std-error std_error --label level --term icans_high
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("The column of per-study estimates.", valueName: "column"))
    var estimate: String?

    @Option(name: .customLong("std-error"), help: ArgumentHelp("The column of standard errors (positive).", valueName: "column"))
    var stdError: String?

    @Option(help: ArgumentHelp("The column of sampling variances (positive), instead of --std-error.", valueName: "column"))
    var variance: String?

    @Option(help: ArgumentHelp("τ² estimator: reml, dl or fixed (τ² = 0).", valueName: "method"))
    var method: MetaAnalysis.Method = .reml

    @Option(help: ArgumentHelp("The column naming each study (default: its line).", valueName: "column"))
    var label: String?

    @Option(help: ArgumentHelp("Confidence level, between 0 and 1.", valueName: "level"))
    var level: Double = 0.95

    @Flag(help: "Also give exp(estimate) and its CI, and draw the forest plot on the ratio scale (for log ratios).")
    var exponentiate = false

    @Option(help: ArgumentHelp("Fisher-scoring steps allowed for REML (metafor's maxiter).", valueName: "n"))
    var maxIterations: Int = 100

    @Option(help: ArgumentHelp("Also write the forest plot as an SVG figure to this file.", valueName: "file"))
    var svg: String?

    @Option(help: ArgumentHelp("Pool only the rows whose 'term' column holds this (the CSV of logit or cox with --by).", valueName: "term"))
    var term: String?

    @OptionGroup var output: OutputOptions

    func request() throws -> MetaRequest {
        var request = MetaRequest()
        request.estimate = estimate ?? ""
        request.stdError = stdError
        request.variance = variance
        request.method = method
        request.label = label
        request.level = level
        request.exponentiate = exponentiate
        request.maxIterations = maxIterations
        request.svg = svg != nil
        request.term = term
        return request
    }

    func validate() throws {
        try RequestRunner.validate(try request(), output: output)
        try output.rejectStyleThatDoesNotApply("meta", prints: [.pValues])
    }

    func run() throws {
        try RequestRunner.runCommand(try request(), "meta", input: input, output: output, figures: { result, _ in
            if let svg, let drawn = result.figures.first { try AtomicFile.write(drawn.svg, to: svg) }
        })
    }
}

import ArgumentParser
import CohortStats
import CohortStudy

struct LogbinomialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logbinomial",
        abstract: "Risk ratios from the log-binomial model, with a stated modified-Poisson fallback.",
        discussion: """
            Fits glm(family = binomial(link = "log")): exp(estimate) is a risk ratio. The log link can \
            put fitted risks above 1; the fit keeps them below by step halving, and when it does not \
            converge, or its fitted risks reach 1 (above 1 - 1e-8), the modified Poisson model is fitted \
            instead (Zou 2004: a Poisson working model with robust HC0 sandwich SEs, as \
            sandwich::vcovHC(glm(family = poisson), type = "HC0")). The table title, a preamble line, \
            a warning and the JSON's method object say which model was used and why.

            The outcome is binary as for cohort logit (0/1, yes/no, or two levels with --event). \
            Complete-case analysis; text covariates treatment-coded (NAME[LEVEL]). Wald CIs. --weights \
            COL: frequency weights, as glm's weights=. --offset COL: a column added to the linear \
            predictor with coefficient 1, as glm's offset= (an --at set may give its value; default 0).

            Examples:
              cohort logbinomial cohort.csv --outcome bleeding --covariates plt_low,age
              cohort logbinomial cohort.csv --outcome status --event dead --covariates arm --format json
            """
    )

    @OptionGroup var input: InputOptions

    @OptionGroup var response: ModelOutcomeOptions

    @OptionGroup var model: CovariateOptions

    @Option(help: ArgumentHelp("Frequency weights column (finite, 0 or more), as glm's weights=.", valueName: "column"))
    var weights: String?

    @Option(help: ArgumentHelp("A column added to the log-risk linear predictor with coefficient 1 (glm's offset=).", valueName: "column"))
    var offset: String?

    @Option(help: ArgumentHelp("Confidence level, between 0 and 1.", valueName: "level"))
    var level: Double = 0.95

    @OptionGroup var predictions: PredictionOptions

    @OptionGroup var output: OutputOptions

    func request() throws -> LogbinomialRequest {
        var request = LogbinomialRequest()
        request.outcome = response.outcome ?? ""
        request.event = response.event
        request.covariates = model.columns
        request.formula = model.formula
        request.factor = try model.referenceLevels()
        request.weights = weights
        request.offset = offset
        request.level = level
        request.at = try predictions.values()
        request.standardize = predictions.standardize
        request.bootstrap = predictions.bootstrap
        request.seed = predictions.seed
        return request
    }

    func validate() throws {
        try RequestRunner.validate(try request(), output: output)
        try output.rejectStyleThatDoesNotApply("logbinomial", prints: [.pValues])
        try predictions.validate(output)
    }

    func run() throws {
        try RequestRunner.runCommand(try request(), "logbinomial", input: input, output: output, figures: { result, _ in try predictions.write(result) })
    }
}

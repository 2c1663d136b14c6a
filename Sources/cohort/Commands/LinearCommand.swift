import ArgumentParser
import CohortStats
import CohortStudy

extension RobustCovariance: ExpressibleByArgument {}

struct LinearCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "linear",
        abstract: "Linear regression by least squares (as R's lm), with robust HC0-HC3 standard errors on request.",
        discussion: """
            Complete-case analysis: rows missing the outcome, a covariate or the weight are dropped and \
            counted. Text covariates are treatment-coded against a reference level (the first level in \
            sorted order unless --factor says otherwise); terms are named NAME[LEVEL]. Each coefficient \
            gets its SE, t test and t-based CI on the residual df; the table gives the residual standard \
            error, R², adjusted R² and the F test of the model. Aliased (collinear) columns are reported, \
            not estimated, as lm reports NA.

            --robust hc0|hc1|hc2|hc3 gives heteroscedasticity-consistent (sandwich) standard errors as \
            sandwich::vcovHC; t, P and CIs then use them, and the footnote and JSON say so. --weights \
            COL: case weights as lm's weights= (rows of weight 0 are left out). --offset COL: a column \
            with coefficient 1, as lm's offset= (the fit is of the outcome less it; fitted values and \
            predictions include it; an --at set may give its value, default 0).

            Examples:
              cohort linear cohort.csv --outcome los_days --covariates age,sex,arm --factor arm=control
              cohort linear cohort.csv --outcome sbp --covariates age,bmi --robust hc3 --format json
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("The outcome column (numeric).", valueName: "column"))
    var outcome: String?

    @OptionGroup var model: CovariateOptions

    @Option(help: "Heteroscedasticity-consistent standard errors of this type (as sandwich::vcovHC).")
    var robust: RobustCovariance?

    @Option(help: ArgumentHelp("Case weights column (finite, 0 or more), as lm's weights=.", valueName: "column"))
    var weights: String?

    @Option(help: ArgumentHelp("A column with coefficient 1 (lm's offset=): the fit is of the outcome less it.", valueName: "column"))
    var offset: String?

    @Option(help: ArgumentHelp("Confidence level, between 0 and 1.", valueName: "level"))
    var level: Double = 0.95

    @OptionGroup var predictions: PredictionOptions
    @Option(help: ArgumentHelp("Cluster-robust (sandwich) SEs clustered on this column, as sandwich::vcovCL for an lm (HC1 × G/(G − 1)); rows missing it are dropped.", valueName: "column"))
    var cluster: String?

    @OptionGroup var output: OutputOptions

    func request() throws -> LinearRequest {
        var request = LinearRequest()
        request.outcome = outcome ?? ""
        request.covariates = model.columns
        request.formula = model.formula
        request.factor = try model.referenceLevels()
        request.robust = robust
        request.weights = weights
        request.offset = offset
        request.level = level
        request.at = try predictions.values()
        request.standardize = predictions.standardize
        request.bootstrap = predictions.bootstrap
        request.seed = predictions.seed
        request.cluster = cluster
        return request
    }

    func validate() throws {
        try RequestRunner.validate(try request(), output: output)
        try output.rejectStyleThatDoesNotApply("linear", prints: [.pValues])
        try predictions.validate(output)
    }

    func run() throws {
        try RequestRunner.runCommand(try request(), "linear", input: input, output: output, figures: { result, _ in try predictions.write(result) })
    }
}

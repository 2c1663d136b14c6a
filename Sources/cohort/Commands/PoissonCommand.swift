import ArgumentParser
import CohortStats
import CohortStudy

struct PoissonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poisson",
        abstract: "Poisson or negative binomial regression of counts and rates (as glm(family = poisson) / MASS::glm.nb).",
        discussion: """
            The outcome is a count (whole numbers 0 or more). --exposure PERSONTIME adds log(person-time) \
            as an offset, so exp(estimate) is a rate ratio; --offset COL adds a column as it is. Exposure \
            must be positive: a row with zero or negative person-time is an error naming its line. \
            Complete-case analysis; text covariates treatment-coded (NAME[LEVEL]).

            The table gives log rate ratios with SEs, Wald z tests and rate ratios with Wald CIs \
            (profile intervals are not computed for these models), the deviance, the null deviance, and \
            the Pearson χ²/df dispersion: well above 1 means overdispersion, and then \
            --negative-binomial fits θ by maximum likelihood, alternating with the coefficients as \
            MASS::glm.nb does, and reports θ with its SE. --weights COL: frequency weights, as glm's \
            weights=.

            Examples:
              cohort poisson cohort.csv --outcome infections --exposure days_at_risk --covariates age,arm
              cohort poisson cohort.csv --outcome admissions --exposure years --covariates age --negative-binomial
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("The count column (whole numbers 0 or more).", valueName: "column"))
    var outcome: String?

    @OptionGroup var model: CovariateOptions

    @Option(help: ArgumentHelp("Person-time column (positive); log(exposure) is the offset.", valueName: "column"))
    var exposure: String?

    @Option(help: ArgumentHelp("A column added to the linear predictor as it is.", valueName: "column"))
    var offset: String?

    @Flag(name: .customLong("negative-binomial"), help: "Fit the negative binomial model (θ by maximum likelihood, as MASS::glm.nb).")
    var negativeBinomial = false

    @Option(help: ArgumentHelp("Frequency weights column (finite, 0 or more), as glm's weights=.", valueName: "column"))
    var weights: String?

    @Option(help: ArgumentHelp("Confidence level, between 0 and 1.", valueName: "level"))
    var level: Double = 0.95

    @OptionGroup var predictions: PredictionOptions
    @Option(help: ArgumentHelp("Cluster-robust (sandwich) SEs clustered on this column, as sandwich::vcovCL for an glm (HC0 × G/(G − 1)); rows missing it are dropped.", valueName: "column"))
    var cluster: String?

    @OptionGroup var output: OutputOptions

    func request() throws -> PoissonRequest {
        var request = PoissonRequest()
        request.outcome = outcome ?? ""
        request.covariates = model.columns
        request.formula = model.formula
        request.factor = try model.referenceLevels()
        request.exposure = exposure
        request.offset = offset
        request.negativeBinomial = negativeBinomial
        request.weights = weights
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
        try output.rejectStyleThatDoesNotApply("poisson", prints: [.pValues])
        try predictions.validate(output)
    }

    func run() throws {
        try RequestRunner.runCommand(try request(), "poisson", input: input, output: output, figures: { result, _ in try predictions.write(result) })
    }
}

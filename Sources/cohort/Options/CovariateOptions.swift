import ArgumentParser
import CohortStudy

/// The covariates of a regression command (`logit`, `cox`, `finegray`) and their reference levels.
struct CovariateOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Comma-separated covariate columns, as written in the header.", valueName: "columns"))
    var covariates: String?

    @Option(name: .customLong("covariate"), help: ArgumentHelp("One covariate column (repeatable; for names that contain commas).", valueName: "column"))
    var singleCovariates: [String] = []

    @Option(name: .customLong("factor"), help: ArgumentHelp("Reference level of a categorical covariate, as NAME=LEVEL (repeatable).", valueName: "name=level"))
    var factors: [String] = []

    @Option(help: ArgumentHelp("The model as an R formula instead of --covariates: 'low ~ age * smoke + race + rcs(lwt, 4) + log(ldh) + I(age^2)' (interactions a:b and a*b, restricted cubic splines rcs(x, k) with rms's default knots or rcs(x, c(...)), transforms; terms in the order written).", valueName: "formula"))
    var formula: String?

    /// `--covariates` and `--covariate` together, in the order given.
    var columns: [String] { ColumnList.merge(covariates, singleCovariates) }

    /// `--factor` as the request's reference levels (a level may hold a comma: not split).
    func referenceLevels() throws -> KeyValueList {
        try KeyValueList.commandLine(factors, option: "--factor", example: "NAME=LEVEL", splittingCommas: false)
    }
}

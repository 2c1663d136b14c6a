import ArgumentParser
import CohortData
import CohortReport
import CohortStudy

/// `--at` and `--predict FILE` of `cohort linear`, `poisson` and `logbinomial` (logit has its own,
/// worded for risks): the request's `at`, and the CSV of every fitted row.
/// With `--standardize EXPOSURE [--bootstrap N] [--seed S]`.
struct PredictionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Predict the fitted value (mean, rate or risk), with its CI, at these covariate values: NAME=VALUE pairs, comma-separated, every variable of the model (repeatable; a second table).", valueName: "name=value,..."))
    var at: [String] = []

    @Option(help: ArgumentHelp("Also write every fitted row's linear predictor, its SE, fitted value and CI as CSV to this file (atomically; rows by their line in the data file, never an identifier).", valueName: "file"))
    var predict: String?

    @Option(help: ArgumentHelp("Adjusted values (means, rates or risks) at each level of this binary or categorical variable of the model by marginal standardisation (g-computation), with differences and ratios and percentile bootstrap CIs (--bootstrap resamples, default 1000; --seed).", valueName: "column"))
    var standardize: String?

    @Option(help: ArgumentHelp("Resamples of the patients for the CIs of --standardize (1 to 100000; default 1000).", valueName: "n"))
    var bootstrap: Int?

    @Option(help: ArgumentHelp("Seed of the resamples of --standardize (default 1).", valueName: "n"))
    var seed: UInt64?

    func values() throws -> [KeyValueList] {
        try at.map { try KeyValueList.commandLine([$0], option: "--at", example: "NAME=VALUE pairs such as age=60,arm=control") }
    }

    func validate(_ output: OutputOptions) throws {
        try Self.refuseUnderSuppression(predict: predict, output)
        if !at.isEmpty, output.format == .csv { throw ValidationError("--at adds a second table; CSV holds one: use text, md, latex, html or json") }
        if standardize != nil, output.format == .csv { throw ValidationError("--standardize adds a second table; CSV holds one: use text, md, latex, html or json") }
    }

    /// `--predict FILE` writes one row per patient: refused under `--suppress-below` (logit too).
    static func refuseUnderSuppression(predict: String?, _ output: OutputOptions) throws {
        if output.suppressBelow ?? 0 > 1, predict != nil {
            throw ValidationError("--predict writes one row per patient and cannot be suppressed; leave it out with --suppress-below")
        }
    }

    /// Writes `--predict`'s file.
    func write(_ result: AnalysisResult) throws {
        if let predict, let csv = result.rowPredictionsCSV { try AtomicFile.write(csv(), to: predict) }
    }
}

import ArgumentParser
import CohortData
import CohortReport
import CohortStudy

/// `cohort logit`'s model checks on request (issue 16): bootstrap validation and influence.
struct LogitCheckOptions: ParsableArguments {
    @Option(name: .customLong("validate"), help: ArgumentHelp("Bootstrap validation as rms::validate from this many resamples, 1 to 100000 (seeded by --seed): optimism-corrected Dxy, C, R2, calibration intercept and slope, Brier score.", valueName: "B"))
    var validateGiven: NumberArgument?

    @Flag(help: "Add the influence and residual summary (Pearson and deviance residuals, leverage, Cook's distance; as R's glm).")
    var influence = false

    @Option(name: .customLong("influence-out"), help: ArgumentHelp("Also write each row's residuals, leverage and Cook's distance (by its line in the data file) as CSV to this file (atomically); implies --influence.", valueName: "file"))
    var influenceOut: String?

    func fill(_ request: inout LogitRequest) throws {
        request.validation = try validateGiven.map { try $0.whole("--validate", InputRules.bootstrapReplicates) }
        request.influence = influence || influenceOut != nil
    }

    func validate(_ output: OutputOptions) throws {
        if output.suppressBelow ?? 0 > 1, influence || influenceOut != nil {
            throw ValidationError("--influence lists each row's residual, leverage and line, which give its outcome away, and cannot be suppressed; leave it out with --suppress-below")
        }
        if influence || influenceOut != nil || validateGiven != nil, output.format == .csv {
            throw ValidationError("--validate and --influence add a table; CSV holds one: use another --format (the rows of --influence-out are CSV)")
        }
    }

    func write(_ result: AnalysisResult) throws {
        if let influenceOut, let rows = result.influenceRows { try AtomicFile.write(TableFormat.csv.render(rows), to: influenceOut) }
    }
}

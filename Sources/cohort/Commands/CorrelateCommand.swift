import ArgumentParser
import CohortData
import CohortReport
import CohortStats

extension Correlation.Method: ExpressibleByArgument {}
extension TestResult.Alternative: ExpressibleByArgument {}

struct CorrelateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correlate",
        abstract: "Correlation of two numeric columns with its P value: Spearman, Kendall or Pearson.",
        discussion: """
            Uses the rows where both columns are present and counts the rows dropped. Computed as R's \
            cor.test: Spearman's rho (default) with an exact P for n <= 9 without ties, the AS 89 \
            Edgeworth approximation up to n = 1290 and the t approximation with ties or above; Kendall's \
            tau-b, exact for n < 50 without ties, else normal with a tie-corrected variance; Pearson's r \
            with its t test and Fisher-z confidence interval. The output names the method used.

            Examples:
              cohort correlate cohort.csv --x "Age (years)" --y "PLT (x10^9/L)"
              cohort correlate cohort.csv --x "PLT (x10^9/L)" --y "ICANS grade" --method kendall --format json
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("The first column, as written in the header.", valueName: "column"))
    var x: String

    @Option(help: ArgumentHelp("The second column.", valueName: "column"))
    var y: String

    @Option(help: "Correlation coefficient.")
    var method: Correlation.Method = .spearman

    @Option(help: "Alternative hypothesis: two.sided, or greater (positive) / less (negative association).")
    var alternative: TestResult.Alternative = .twoSided

    @Option(name: .customLong("level"), help: ArgumentHelp("Confidence level of Pearson's interval, between 0 and 1 (default 0.95); Spearman and Kendall have no interval.", valueName: "level"))
    var levelGiven: Double?

    var level: Double { levelGiven ?? 0.95 }

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.rejectSuppression("correlate")
        try InputRules.confidenceLevel.check("--level", level)
        if levelGiven != nil, method != .pearson {
            throw ValidationError("--level does not apply to \(method.rawValue): only Pearson's correlation has a confidence interval (add --method pearson)")
        }
        try output.rejectStyleThatDoesNotApply("correlate", prints: [.pValues])
        if x == y { throw ValidationError("--x and --y name the same column '\(x)'") }
    }

    func run() throws {
        try ExitStatus.guarding("correlate") {
            let table = try input.load()
            let analysis = try CorrelationAnalysis.run(table: table, x: x, y: y, method: method, alternative: alternative, confidenceLevel: level)
            let text = output.format == .json ? CorrelationJSON.render(analysis) : output.format.render(CorrelationTable.make(analysis, style: output.style))
            try output.emit(text)
        }
    }
}

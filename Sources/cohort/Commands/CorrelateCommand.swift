import ArgumentParser
import CohortData
import CohortReport
import CohortStudy
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

    @OptionGroup var output: OutputOptions

    func request() -> CorrelateRequest {
        var request = CorrelateRequest()
        request.x = x
        request.y = y
        request.method = method
        request.alternative = alternative
        request.level = levelGiven
        return request
    }

    func validate() throws {
        try RequestRunner.validate(request(), output: output)
        try output.rejectStyleThatDoesNotApply("correlate", prints: [.pValues])
    }

    func run() throws {
        try RequestRunner.runCommand(request(), "correlate", input: input, output: output)
    }
}

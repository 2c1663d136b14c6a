import ArgumentParser
import CohortData
import CohortReport
import CohortStudy
import CohortStats

extension IntervalMethodChoice: ExpressibleByArgument {}

struct IncidenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidence",
        abstract: "Incidence n/N with an exact (or other) confidence interval, overall or by group.",
        discussion: """
            Counts the rows with the event among the rows where the outcome (and the group, with --by) \
            is not missing, and gives the proportion with a two-sided confidence interval: \
            Clopper-Pearson exact by default, or Wilson score, Jeffreys or Agresti-Coull. Rows dropped \
            for missing values are counted in the output.

            Examples:
              cohort incidence cohort.csv --outcome bleeding_28d
              cohort incidence cohort.csv --outcome bleeding_28d --by Disease --method wilson --format json
            """
    )

    @OptionGroup var input: InputOptions

    @OptionGroup var response: OutcomeOptions

    @Option(help: ArgumentHelp("A column to split by: one row a value.", valueName: "column"))
    var by: String?

    @Option(help: "Interval method.")
    var method: IntervalMethodChoice = .clopperPearson

    @Option(help: ArgumentHelp("Confidence level, between 0 and 1.", valueName: "level"))
    var level: Double = 0.95

    @OptionGroup var output: OutputOptions

    func request() -> IncidenceRequest {
        var request = IncidenceRequest()
        request.outcome = response.outcome
        request.event = response.event
        request.by = by
        request.method = method
        request.level = level
        return request
    }

    func validate() throws {
        try RequestRunner.validate(request(), output: output)
        try output.rejectStyleThatDoesNotApply("incidence", prints: [.percentages])
    }

    func run() throws {
        try RequestRunner.runCommand(request(), "incidence", input: input, output: output)
    }
}

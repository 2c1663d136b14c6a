import ArgumentParser
import CohortData
import CohortReport
import CohortStudy

struct EventTypesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event-types",
        abstract: "Counts of each event type (bleeding site, thrombosis type) as % of the events and % of the cohort.",
        discussion: """
            The patients with an event are the rows where the type column has a value (one type a \
            patient, as the shipped datasets record the first event); the cohort is every row. Unlike \
            `describe --variable`, which gives % of the rows with a value only, both denominators are \
            printed, as manuscripts report them, and small counts can be suppressed for sharing.

            Examples:
              cohort event-types Datasets/johnsrud2021/cohort.csv --column bleeding_site
              cohort event-types Datasets/johnsrud2021/cohort.csv --column thrombosis_type --suppress-below 5 --format md
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("The categorical column holding each patient's event type.", valueName: "column"))
    var column: String

    @OptionGroup var output: OutputOptions

    func request() -> EventTypesRequest {
        var request = EventTypesRequest()
        request.column = column
        return request
    }

    func validate() throws {
        try RequestRunner.validate(request(), output: output)
        try output.rejectStyleThatDoesNotApply("event-types", prints: [.percentages])
    }

    func run() throws {
        try RequestRunner.runCommand(request(), "event-types", input: input, output: output)
    }
}

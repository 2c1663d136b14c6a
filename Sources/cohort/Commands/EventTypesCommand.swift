import ArgumentParser
import CohortData
import CohortReport

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

    func validate() throws {
        try output.rejectStyleThatDoesNotApply("event-types", prints: [.percentages])
    }

    func run() throws {
        try ExitStatus.guarding("event-types") {
            let table = try input.load()
            let counts = try EventTypeCounts.count(table: table, column: column)
            try output.emit(output.format.render(EventTypesTable.make(counts, style: output.style)))
        }
    }
}

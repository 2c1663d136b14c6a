import ArgumentParser
import CohortData
import CohortReport
import CohortStats

extension OutcomeComparison.TestChoice: ExpressibleByArgument {}

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "A binary outcome against each categorical factor, with the test named.",
        discussion: """
            For each factor: events / n (%) at each level, and a two-sided P value. By default Pearson's \
            chi-square without continuity correction when every expected count is at least 5, else \
            Fisher's exact test (--test fisher|chisq|chisq-yates forces one). Each factor uses the rows \
            where both it and the outcome are present; the rows dropped are counted. Continuous factors \
            (the rank-sum test) are not supported yet: cut them with a derived variable.

            Examples:
              cohort compare cohort.csv --outcome bleeding_28d --factors low_platelets,icans_high,Sex
              cohort compare cohort.csv --outcome bleeding_28d --factor Disease --test fisher --format json
            """
    )

    @OptionGroup var input: InputOptions

    @OptionGroup var response: OutcomeOptions

    @Option(help: ArgumentHelp("Comma-separated factor columns, as written in the header.", valueName: "columns"))
    var factors: String?

    @Option(name: .customLong("factor"), help: ArgumentHelp("One factor column (repeatable; for names that contain commas).", valueName: "column"))
    var singleFactors: [String] = []

    @Option(help: "Which test.")
    var test: OutcomeComparison.TestChoice = .auto

    @OptionGroup var output: OutputOptions

    var factorList: [String] {
        ColumnList.merge(factors, singleFactors)
    }

    func validate() throws {
        if factorList.isEmpty { throw ValidationError("name at least one factor with --factors or --factor") }
    }

    func run() throws {
        try ExitStatus.guarding("compare") {
            let table = try input.load()
            let (eventLabel, comparisons) = try OutcomeComparison.compare(table: table, outcome: response.outcome, eventLevel: response.event,
                                                                          factors: factorList, test: test)
            let text = output.format == .json
                ? ComparisonJSON.render(outcome: response.outcome, eventLabel: eventLabel, comparisons: comparisons)
                : output.format.render(ComparisonTable.make(outcome: response.outcome, eventLabel: eventLabel, source: table.source, comparisons: comparisons))
            try output.emit(text)
        }
    }
}

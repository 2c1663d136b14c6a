import ArgumentParser
import CohortData
import CohortReport

struct CodebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook",
        abstract: "Print a starter codebook for a data file, or list the derived-variable functions.",
        discussion: """
            Infers each column's type from its values (whole numbers, 0/1, yes/no, ISO dates, a few \
            repeated labels, all-distinct identifiers) and prints a YAML codebook to edit: check each type, \
            then add labels, units, allowed ranges and derived variables. Nothing is inferred silently \
            later: a command given a codebook checks the data against it.

            Examples:
              cohort codebook cohort.csv --out cohort.codebook.yaml
              cohort codebook --functions
            """
    )

    @Argument(help: ArgumentHelp("The data file; - reads standard input.", valueName: "data"))
    var data: String?

    @Flag(help: "List the built-in functions a derived variable may use, with their parameters.")
    var functions = false

    @OptionGroup var reading: CSVReadingOptions

    @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file"))
    var out: String?

    func validate() throws {
        if functions == (data != nil) { throw ValidationError("give a data file, or --functions (not both)") }
        if functions, reading.isGiven { throw ValidationError("--delimiter, --missing and --decimal-comma apply to reading a data file; --functions reads none") }
    }

    @OptionGroup var threads: ThreadOptions

    func run() throws {
        try ExitStatus.guarding("codebook") {
            let text: String
            if let data {
                let options = reading.limits.applied(to: try reading.csvOptions())
                let table = try CSVReader.read(path: data, options: options)
                text = StarterCodebook.yaml(for: table, missingTokens: options.missingTokens,
                                            labels: try SpreadsheetInput.variableLabels(path: data))
            } else {
                let functions: [String] = DerivedFunction.list.map { "\($0.signature)  -> \($0.result.rawValue)\n    \($0.summary)" }
                let preparation: [String] = PreparationFunction.allCases.map { "\($0.signature)  -> \($0.result)\n    \($0.summary)" }
                text = functions.joined(separator: "\n") + "\n"
                    + "\nData preparation (one value a patient; not inside a window summary):\n" + preparation.joined(separator: "\n") + "\n"
                    + "\nSummaries of a linked table over a window of study days (inclusive; a daily score inside one is computed a patient-day):\n"
                    + WindowSummary.allCases.map { "\($0.signature)\n    \($0.summary)" }.joined(separator: "\n") + "\n"
            }
            try AtomicFile.emit(text, to: out)
        }
    }
}

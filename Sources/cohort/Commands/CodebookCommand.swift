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

    @Option(help: ArgumentHelp("Field delimiter: comma, semicolon, tab, or one character. Default: detected.", valueName: "delimiter"))
    var delimiter: String?

    @Option(help: ArgumentHelp("Comma-separated values that mean missing.", valueName: "tokens"))
    var missing: String = CSVOptions.defaultMissingTokens.joined(separator: ",")

    @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file"))
    var out: String?

    func validate() throws {
        if functions == (data != nil) { throw ValidationError("give a data file, or --functions (not both)") }
    }

    func run() throws {
        try ExitStatus.guarding("codebook") {
            let text: String
            if functions {
                text = DerivedFunction.list.map { "\($0.signature)  -> \($0.result.rawValue)\n    \($0.summary)" }.joined(separator: "\n") + "\n"
            } else {
                var input = try InputOptions.parse([data!, "--missing", missing, "--no-codebook"] + (delimiter.map { ["--delimiter", $0] } ?? []))
                input.ignoreCodebook = true
                let options = try input.csvOptions()
                let table = try CSVReader.read(path: input.data, options: options)
                text = StarterCodebook.yaml(for: table, missingTokens: options.missingTokens)
            }
            if let out { try AtomicFile.write(text, to: out) } else { print(text, terminator: "") }
        }
    }
}

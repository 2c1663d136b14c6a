import ArgumentParser
import CohortData
import CohortDatabase
import CohortReport

struct Validate: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    static let configuration = CommandConfiguration(
        abstract: "Check a data file against its codebook and report every problem.",
        discussion: """
            Reports every error (a ragged row, an unclosed quote, text that is not UTF-8, a field or record \
            over --max-field-bytes or --max-record-bytes, a stray entry in a column of numbers, a value of the \
            wrong type, out of range, not a declared level, a repeated or missing identifier, an event day \
            before day 0, a grade outside 0-5, a derived variable that cannot be computed) with its file, \
            line, column and value and what was expected, then the warnings (values outside a typical \
            range, columns the codebook does not declare), then a summary. Exits 0 when there are no \
            errors (warnings allowed) and 65 when there are. Every other command that reads data stops \
            with the same messages.

            Examples:
              cohort validate cohort.csv --codebook codebook.yaml
              cohort validate cohort.csv --format json --out validation.json
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: "Output format.")
    var format: Format = .text

    @Option(help: ArgumentHelp("Write the report to this file (atomically) instead of standard output.", valueName: "file"))
    var out: String?

    func validate() throws {
        // Validation is of the whole file: a filter would change nothing it reports.
        if input.rowFilter != nil { throw ValidationError("--where does not apply to validate, which checks every row of the file; give it to the command that analyses the rows") }
    }

    func run() throws {
        try ExitStatus.guarding("validate") {
            let report: ValidationReport
            do {
                if let url = try input.databaseURL {
                    report = try PostgresSource.load(url: url, sql: input.sql, codebook: try input.readCodebook(), options: try input.csvOptions(), filter: nil).report
                } else {
                    report = try CohortLoader.load(path: try input.dataPath, codebook: try input.readCodebook(), options: try input.csvOptions()).report
                }
            } catch let error as DataError {
                // Nothing past the header to check: the one problem is the report.
                switch error {
                case .emptyFile, .duplicateColumnName, .emptyColumnName, .unterminatedQuote, .unexpectedQuote, .textAfterQuote, .invalidUTF8,
                     .fieldTooLong, .recordTooLong, .streamTooLarge:
                    report = ValidationReport(source: input.data == "-" ? "<stdin>" : input.data ?? "", codebookSource: input.codebookPath,
                                              rows: 0, columns: 0, problems: [DataProblem(error)])
                default:
                    throw error
                }
            }
            let text = format == .json ? ValidationJSON.render(report) : ValidationText.render(report)
            try AtomicFile.emit(text, to: out)
            if !report.isValid { throw ExitCode(ExitStatus.dataError) }
        }
    }
}

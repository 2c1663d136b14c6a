import ArgumentParser
import CohortData

/// How to read a delimited file: delimiter, missing tokens, decimal mark. Shared by every command
/// that reads one, with or without a codebook.
struct CSVReadingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Field delimiter: comma, semicolon, tab, or a single character. Default: detected from the header.", valueName: "delimiter"))
    var delimiter: String?

    @Option(help: ArgumentHelp("Comma-separated values that mean missing.", valueName: "tokens"))
    var missing: String = CSVOptions.defaultMissingTokens.joined(separator: ",")

    @Flag(inversion: .prefixedNo, help: "Read 2,5 as 2.5. Default: on when the delimiter is a semicolon (spreadsheet exports in decimal-comma locales).")
    var decimalComma: Bool?

    @Option(name: .customLong("max-field-bytes"), help: ArgumentHelp(
        "The longest field accepted, in bytes; a longer one stops the reading with an error naming its line and column. Default: 16 MiB (\(CSVOptions.defaultMaxFieldBytes)).",
        valueName: "n"))
    var maxFieldBytes: Int = CSVOptions.defaultMaxFieldBytes

    @Option(name: .customLong("max-record-bytes"), help: ArgumentHelp(
        "The longest record (line) accepted, in bytes; a longer one stops the reading with an error naming its line. Default: 64 MiB (\(CSVOptions.defaultMaxRecordBytes)).",
        valueName: "n"))
    var maxRecordBytes: Int = CSVOptions.defaultMaxRecordBytes

    @Option(name: .customLong("max-stream-bytes"), help: ArgumentHelp(
        "The most read from standard input or a pipe (held in memory; a file is mapped instead). Default: 1 GiB (\(CSVOptions.defaultMaxStreamBytes)).",
        valueName: "n"))
    var maxStreamBytes: Int = CSVOptions.defaultMaxStreamBytes

    func validate() throws {
        _ = try csvOptions()
    }

    func csvOptions() throws -> CSVOptions {
        guard maxFieldBytes >= 1, maxRecordBytes >= 1, maxStreamBytes >= 1 else {
            throw ValidationError("--max-field-bytes, --max-record-bytes and --max-stream-bytes must be at least 1, got \(maxFieldBytes), \(maxRecordBytes) and \(maxStreamBytes)")
        }
        var options = CSVOptions(missingTokens: missing.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
                                 decimalComma: decimalComma, maxFieldBytes: maxFieldBytes, maxRecordBytes: maxRecordBytes,
                                 maxStreamBytes: maxStreamBytes)
        if let delimiter {
            switch delimiter {
            case "comma", ",": options.delimiter = 0x2C
            case "semicolon", ";": options.delimiter = 0x3B
            case "tab", "\\t", "\t": options.delimiter = 0x09
            default:
                guard delimiter.utf8.count == 1, let byte = delimiter.utf8.first, byte != 0x22, byte != 0x0A, byte != 0x0D else {
                    throw ValidationError("--delimiter must be comma, semicolon, tab or one ASCII character other than a quote or line break")
                }
                options.delimiter = byte
            }
        }
        return options
    }
}

/// Options shared by every command that reads a data file.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The data file (CSV, semicolon- or tab-separated); - reads standard input.", valueName: "data"))
    var data: String

    @OptionGroup var reading: CSVReadingOptions

    @Option(help: ArgumentHelp("The codebook (YAML) declaring each column's type, range and levels, and the derived variables. Default: DATA.codebook.yaml or codebook.yaml next to the data, when there is one.", valueName: "file"))
    var codebook: String?

    @Flag(name: .customLong("no-codebook"), help: "Ignore any codebook next to the data; infer types.")
    var ignoreCodebook = false

    func validate() throws {
        if codebook != nil, ignoreCodebook { throw ValidationError("--codebook and --no-codebook contradict each other") }
    }

    func csvOptions() throws -> CSVOptions { try reading.csvOptions() }

    /// The codebook to use: the one named, else the one next to the data, unless --no-codebook.
    var codebookPath: String? {
        if ignoreCodebook { return nil }
        return codebook ?? CohortLoader.codebookNextTo(data)
    }

    /// The data read, checked and typed; every problem the file has stops the command, with the
    /// messages `cohort validate` prints.
    func load() throws -> DataTable {
        try CohortLoader.loadForAnalysis(path: data, codebookPath: codebookPath, options: try csvOptions()).table
    }
}

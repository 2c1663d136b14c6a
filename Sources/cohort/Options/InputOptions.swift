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

    /// The input limits: not part of ``csvOptions()``; its callers apply them (``InputLimitOptions/applied(to:)``).
    @OptionGroup var limits: InputLimitOptions

    func validate() throws {
        _ = try csvOptions()
    }

    func csvOptions() throws -> CSVOptions {
        var options = CSVOptions(missingTokens: missing.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
                                 decimalComma: decimalComma)
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

    func csvOptions() throws -> CSVOptions { reading.limits.applied(to: try reading.csvOptions()) }

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

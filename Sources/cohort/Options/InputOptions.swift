import ArgumentParser
import CohortData

/// Options shared by every command that reads a data file.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The data file (CSV, semicolon- or tab-separated); - reads standard input.", valueName: "data"))
    var data: String

    @Option(help: ArgumentHelp("Field delimiter: comma, semicolon, tab, or a single character. Default: detected from the header.", valueName: "delimiter"))
    var delimiter: String?

    @Option(help: ArgumentHelp("Comma-separated values that mean missing.", valueName: "tokens"))
    var missing: String = CSVOptions.defaultMissingTokens.joined(separator: ",")

    @Flag(inversion: .prefixedNo, help: "Read 2,5 as 2.5. Default: on when the delimiter is a semicolon (spreadsheet exports in decimal-comma locales).")
    var decimalComma: Bool?

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

    func load(textColumns: Set<String> = []) throws -> DataTable {
        var options = try csvOptions()
        options.textColumns = textColumns
        return try CSVReader.read(path: data, options: options)
    }
}

import ArgumentParser
import CohortData
import CohortDatabase

/// How to read a delimited file: delimiter, missing tokens, decimal mark. Shared by every command
/// that reads one, with or without a codebook.
struct CSVReadingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Field delimiter: comma, semicolon, tab, or a single character. Default: detected from the header.", valueName: "delimiter"))
    var delimiter: String?

    @Option(help: ArgumentHelp("Comma-separated values that mean missing (default: \(CSVOptions.defaultMissingTokens.map { $0.isEmpty ? "empty" : $0 }.joined(separator: ", "))). A codebook's 'missing:' list, when it has one, is used instead, so the two together are refused.", valueName: "tokens"))
    var missing: String?

    @Option(help: ArgumentHelp("The worksheet of an Excel workbook (.xlsx) to read. Default: the first.", valueName: "name"))
    var sheet: String?

    @Flag(inversion: .prefixedNo, help: "Read 2,5 as 2.5. Default: on when the delimiter is a semicolon (spreadsheet exports in decimal-comma locales).")
    var decimalComma: Bool?

    /// The input limits: not part of ``csvOptions()``; its callers apply them (``InputLimitOptions/applied(to:)``).
    @OptionGroup var limits: InputLimitOptions

    func validate() throws {
        _ = try csvOptions()
    }

    /// Whether any of these options was given (for commands that read no file with some flags).
    var isGiven: Bool { delimiter != nil || missing != nil || decimalComma != nil || sheet != nil }

    func csvOptions() throws -> CSVOptions {
        let tokens = missing.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? CSVOptions.defaultMissingTokens
        var options = CSVOptions(missingTokens: tokens, decimalComma: decimalComma)
        options.sheet = sheet
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
        // The reader never splits a number at the delimiter: with commas between fields, 2,5 is two fields.
        if decimalComma == true, options.delimiter == 0x2C {
            throw ValidationError("--decimal-comma does not apply with --delimiter comma: 2,5 would be two fields; use --delimiter semicolon or tab")
        }
        return options
    }
}

/// Options shared by every command that reads a data file.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The data file: CSV (semicolon- or tab-separated too; - reads standard input), an Excel workbook (.xlsx) or a Stata file (.dta, Stata 13 and later); or a PostgreSQL table, postgresql://[user[:password]@]host[:port]/dbname?table=NAME (a socket directory as host: %2Fdir or ?host=/dir).", valueName: "data"))
    var data: String?

    @Option(help: ArgumentHelp("With a PostgreSQL DATA URL: read the rows of this query instead of ?table=.", valueName: "query"))
    var sql: String?

    @OptionGroup var reading: CSVReadingOptions

    @Option(help: ArgumentHelp("The codebook (YAML) declaring each column's type, range and levels, and the derived variables. Default: DATA.codebook.yaml or codebook.yaml next to the data, when there is one.", valueName: "file"))
    var codebook: String?

    @Flag(name: .customLong("no-codebook"), help: "Ignore any codebook next to the data; infer types.")
    var ignoreCodebook = false

    @Option(name: .customLong("where"), help: ArgumentHelp("Keep only the rows where this condition is 1, such as 'age >= 18 and disease == \"LBCL\"' (a formula as in the codebook; it may use the derived variables). Rows where it is 0 or missing are dropped; the counts go to standard error.", valueName: "condition"))
    var rowFilter: String?

    @OptionGroup var threads: ThreadOptions

    /// DATA, which every command but `logit --site` needs.
    var dataPath: String {
        get throws {
            guard let data else { throw ValidationError("Missing expected argument '<data>': a data file, - for standard input, or a postgresql:// URL") }
            return data
        }
    }

    /// DATA as a PostgreSQL URL, when it is one.
    var databaseURL: PostgresURL? {
        get throws {
            guard let data, PostgresURL.isURL(data) else { return nil }
            return try PostgresURL(data)
        }
    }

    func validate() throws {
        if sql != nil, (try? databaseURL) == nil { throw ValidationError("--sql reads from a PostgreSQL DATA URL (postgresql://...); DATA is not one") }
        if codebook != nil, ignoreCodebook { throw ValidationError("--codebook and --no-codebook contradict each other") }
        // --sheet picks a worksheet; any other DATA has none, and the option must not pass unused.
        if let sheet = reading.sheet, let data, !["xlsx", "xlsm"].contains(data.split(separator: ".").last.map { $0.lowercased() } ?? "") || PostgresURL.isURL(data) {
            throw ValidationError("--sheet '\(sheet)' picks a worksheet of an Excel workbook (.xlsx); \(data) is not one")
        }
        // A condition that does not parse is a usage error, found before any file is read.
        do {
            _ = try parsedFilter()
        } catch let error as DataError {
            throw ValidationError(error.description)
        }
    }

    /// The `--where` condition, parsed (a syntax error names the character).
    func parsedFilter() throws -> RowFilter? {
        try rowFilter.map { text throws(DataError) in try RowFilter.parse(text, origin: "--where") }
    }

    func csvOptions() throws -> CSVOptions { reading.limits.applied(to: try reading.csvOptions()) }

    /// The codebook to use: the one named, else the one next to the data, unless --no-codebook.
    var codebookPath: String? {
        if ignoreCodebook { return nil }
        // A database has no folder to find a codebook in: only --codebook names one.
        guard let data, !PostgresURL.isURL(data) else { return codebook }
        return codebook ?? CohortLoader.codebookNextTo(data)
    }

    /// The codebook to use, read; `--missing` with a codebook that lists its own missing values is
    /// refused, since the codebook's list would silently replace it.
    func readCodebook() throws -> Codebook? {
        guard let codebookPath else { return nil }
        let codebook: Codebook
        do throws(CodebookError) {
            codebook = try CodebookFile.read(path: codebookPath)
        } catch {
            throw DataError.codebook(error)
        }
        if reading.missing != nil, codebook.missing != nil {
            throw ValidationError("--missing does not apply: the codebook \(codebookPath) lists the missing values ('missing:'), which are used instead; drop one of the two")
        }
        return codebook
    }

    /// The data read, checked, typed and filtered (`--where`); every problem the file has stops the
    /// command, with the messages `cohort validate` prints.
    func load(_ command: String) throws -> DataTable {
        try loadData(command, codebook: try readCodebook()).table
    }

    /// As ``load(_:)``, with `codebook` already read; what `--where` kept and dropped, and the
    /// derived variables' warnings, are printed on standard error here, so that every command says them.
    func loadData(_ command: String, codebook: Codebook?) throws -> LoadedData {
        let loaded: LoadedData
        if let url = try databaseURL {
            loaded = try PostgresSource.load(url: url, sql: sql, codebook: codebook, options: try csvOptions(), filter: try parsedFilter())
            guard loaded.report.isValid else { throw DataError.invalidData(loaded.report) }
        } else {
            loaded = try CohortLoader.loadForAnalysis(path: try dataPath, codebook: codebook, options: try csvOptions(), filter: try parsedFilter())
        }
        for warning in loaded.derivedWarnings { ExitStatus.printError("cohort \(command): warning: \(warning.description)") }
        if let outcome = loaded.filter { ExitStatus.printError("cohort \(command): note: --where \(outcome.condition): \(outcome.counts)") }
        return loaded
    }
}

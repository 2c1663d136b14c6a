/// Problems with input data. Each case carries enough context to name the file, line and column,
/// and ``description`` is the one-line message the command line prints.
public enum DataError: Error, Equatable, CustomStringConvertible {
    case fileUnreadable(source: String, reason: String)
    /// A workbook or Stata file that cannot be read as a table (corrupt, encrypted, a sheet that is
    /// not there, merged header cells, an unsupported version); `message` names the sheet or cell.
    case inputFormat(source: String, message: String)
    case emptyFile(source: String)
    /// `line` is the header's: 1 unless blank lines come first (the reader skips them).
    case duplicateColumnName(source: String, name: String, columns: [Int], line: Int = 1)
    case emptyColumnName(source: String, column: Int, line: Int = 1)
    case raggedRow(source: String, line: Int, expected: Int, found: Int)
    case unterminatedQuote(source: String, line: Int)
    case unexpectedQuote(source: String, line: Int, column: String)
    /// Text between a quoted field's closing quote and the next delimiter (`"Smith" Jr`).
    case textAfterQuote(source: String, line: Int, column: String)
    case unknownColumn(source: String, name: String, available: [String])
    case invalidUTF8(source: String, line: Int, column: String)
    case textTooLarge(source: String, line: Int, column: String)
    /// A field longer than ``CSVOptions/maxFieldBytes``; `line` is the one it starts on. Reading stops there.
    case fieldTooLong(source: String, line: Int, column: String, limit: Int)
    /// A record longer than ``CSVOptions/maxRecordBytes``; `line` is the one it starts on. Reading stops there.
    case recordTooLong(source: String, line: Int, limit: Int)
    /// More than ``CSVOptions/maxStreamBytes`` from standard input, a pipe or a device.
    case streamTooLarge(source: String, limit: Int)
    case identifierColumn(source: String, name: String)
    /// The data or its codebook has errors; `report` lists every one.
    case invalidData(ValidationReport)
    case codebook(CodebookError)
    /// A row filter (`--where`, a study file's `where:`) that cannot be applied; `origin` says
    /// where it was written (`--where`, `study.yaml:4: where`).
    case rowFilter(origin: String, message: String)

    /// The message, control characters escaped (``TerminalText``): names and values come from the file.
    public var description: String { TerminalText.escaped(unescapedDescription, keepingLineBreaks: true) }

    /// The message as built, for ``DataProblem`` to split into its parts (which it escapes itself).
    var unescapedDescription: String {
        switch self {
        case .fileUnreadable(let source, let reason):
            "\(source): cannot read the file: \(reason)"
        case .inputFormat(let source, let message):
            "\(source): \(message)"
        case .emptyFile(let source):
            "\(source): the file is empty; expected a header row naming the columns"
        case .duplicateColumnName(let source, let name, let columns, let line):
            "\(source):\(line): column name '\(name)' appears more than once (columns \(columns.map(String.init).joined(separator: ", "))); names must be unique"
        case .emptyColumnName(let source, let column, let line):
            "\(source):\(line): column \(column) has an empty name; every column needs a name in the header"
        case .raggedRow(let source, let line, let expected, let found):
            "\(source):\(line): expected \(expected) fields as in the header, found \(found)"
        case .unterminatedQuote(let source, let line):
            "\(source):\(line): a quoted field opened on this line is never closed"
        case .unexpectedQuote(let source, let line, let column):
            "\(source):\(line): column '\(column)': a quote inside an unquoted field; quote the whole field and double the inner quotes"
        case .textAfterQuote(let source, let line, let column):
            "\(source):\(line): column '\(column)': text after the closing quote of a quoted field; quote the whole field and double the inner quotes"
        case .invalidUTF8(let source, let line, let column):
            "\(source):\(line): column '\(column)': the text is not valid UTF-8; save the file as UTF-8"
        case .textTooLarge(let source, let line, let column):
            "\(source):\(line): column '\(column)': more than 4 GiB of distinct text in one column; split the file"
        case .fieldTooLong(let source, let line, let column, let limit):
            "\(source):\(line): column '\(column)': a field longer than \(Self.bytes(limit)), the most a field may hold; reading stopped here. "
                + "Is this the data file? If it is, raise the limit (--max-field-bytes)"
        case .recordTooLong(let source, let line, let limit):
            "\(source):\(line): a record (line) longer than \(Self.bytes(limit)), the most a record may hold; reading stopped here. "
                + "Is this the data file? If it is, raise the limit (--max-record-bytes)"
        case .streamTooLarge(let source, let limit):
            "\(source): more than \(Self.bytes(limit)) arrived from a pipe or standard input, the most read from a stream (it is held in memory); "
                + "reading stopped. Save the data to a file and name that, or raise the limit (--max-stream-bytes)"
        case .identifierColumn(let source, let name):
            "\(source): '\(name)' is an identifier column (codebook type identifier); identifiers are never analysed or printed"
        case .invalidData(let report):
            report.failureSummary
        case .codebook(let error):
            error.description
        case .rowFilter(let origin, let message):
            "\(origin): \(message)"
        case .unknownColumn(let source, let name, let available):
            "\(source): no column named '\(name)'; the columns are: \(available.map { "'\($0)'" }.joined(separator: ", "))"
        }
    }

    /// The file the problem is in (the data, or for a codebook error the codebook).
    public var source: String {
        switch self {
        case .fileUnreadable(let s, _), .inputFormat(let s, _), .emptyFile(let s), .duplicateColumnName(let s, _, _, _), .emptyColumnName(let s, _, _),
             .raggedRow(let s, _, _, _), .unterminatedQuote(let s, _), .unexpectedQuote(let s, _, _), .textAfterQuote(let s, _, _),
             .unknownColumn(let s, _, _), .invalidUTF8(let s, _, _), .textTooLarge(let s, _, _), .identifierColumn(let s, _),
             .fieldTooLong(let s, _, _, _), .recordTooLong(let s, _, _), .streamTooLarge(let s, _):
            s
        case .invalidData(let report): report.source
        case .codebook(let e): e.source
        case .rowFilter(let origin, _): origin
        }
    }

    /// The line the problem is on, when it is about one line.
    public var line: Int? {
        switch self {
        case .raggedRow(_, let line, _, _), .unterminatedQuote(_, let line), .unexpectedQuote(_, let line, _),
             .textAfterQuote(_, let line, _), .invalidUTF8(_, let line, _), .textTooLarge(_, let line, _),
             .duplicateColumnName(_, _, _, let line), .emptyColumnName(_, _, let line), .fieldTooLong(_, let line, _, _),
             .recordTooLong(_, let line, _):
            line
        case .fileUnreadable, .inputFormat, .emptyFile, .unknownColumn, .identifierColumn, .invalidData, .codebook, .streamTooLarge, .rowFilter:
            nil
        }
    }

    /// `16 MiB (16777216 bytes)`, or `1000 bytes` for a limit that is not a whole number of MiB.
    static func bytes(_ count: Int) -> String {
        count >= 1 << 20 && count % (1 << 20) == 0 ? "\(count >> 20) MiB (\(count) bytes)" : "\(count) bytes"
    }
}

/// How to read a delimited text file.
public struct CSVOptions: Sendable {
    /// The field separator; `nil` detects comma, semicolon or tab from the header line.
    public var delimiter: UInt8?
    /// Field values that mean "missing", compared after stripping surrounding spaces.
    public var missingTokens: [String]
    /// Columns to keep as text even when every value is a number (identifiers, codes such as "01").
    public var textColumns: Set<String>
    /// Accept `,` as the decimal mark (`2,5`). nil decides from the delimiter: on for a semicolon,
    /// the convention of spreadsheets in decimal-comma locales (R's `read.csv2`), off otherwise.
    public var decimalComma: Bool?
    /// The longest field accepted, in bytes as written in the file (quotes included). A longer one
    /// stops the reading with ``DataError/fieldTooLong(source:line:column:limit:)``.
    public var maxFieldBytes: Int
    /// The longest record (a line, or several when a quoted field holds line breaks) accepted, in
    /// bytes. A longer one stops the reading with ``DataError/recordTooLong(source:line:limit:)``.
    public var maxRecordBytes: Int
    /// The most read from a stream (standard input, a pipe, a device), which is held in memory
    /// whole, unlike a file, which is mapped. More stops the reading with
    /// ``DataError/streamTooLarge(source:limit:)``: `yes 1 | cohort validate -` never ends.
    public var maxStreamBytes: Int
    /// The worksheet to read from an Excel workbook (`.xlsx`); nil reads the first.
    public var sheet: String?
    /// Maps the header as written (and the source's name) to the column names, before the header
    /// is checked: a REDCap export with labelled headers (``RedcapHeaders``). nil keeps it.
    public var headerNames: (@Sendable ([String], String) throws(DataError) -> [String])?

    /// Number columns come back as ``CSVReadResult/compactNumbers`` (the table's column then holds
    /// no values), never all as doubles at once: how a linked long table is read (issue 15).
    var compactNumbers = false

    public static let defaultMissingTokens = ["", "NA", "N/A", ".", "NaN"]
    /// 16 MiB: a thousand times a long free-text note, far below what would hurt (issue 12:
    /// `/dev/zero` or a file of one 10 GB line given as data must stop with a message, not exhaust memory).
    public static let defaultMaxFieldBytes = 16 << 20
    /// 64 MiB: room for a few hundred thousand columns of short values in one record.
    public static let defaultMaxRecordBytes = 64 << 20
    /// 1 GiB: a cohort export is megabytes; larger data is better named as a file (mapped, not copied).
    public static let defaultMaxStreamBytes = 1 << 30

    public init(delimiter: UInt8? = nil, missingTokens: [String] = CSVOptions.defaultMissingTokens, textColumns: Set<String> = [],
                decimalComma: Bool? = nil, maxFieldBytes: Int = CSVOptions.defaultMaxFieldBytes,
                maxRecordBytes: Int = CSVOptions.defaultMaxRecordBytes, maxStreamBytes: Int = CSVOptions.defaultMaxStreamBytes) {
        self.delimiter = delimiter
        self.missingTokens = missingTokens
        self.textColumns = textColumns
        self.decimalComma = decimalComma
        self.maxFieldBytes = maxFieldBytes
        self.maxRecordBytes = maxRecordBytes
        self.maxStreamBytes = maxStreamBytes
    }
}

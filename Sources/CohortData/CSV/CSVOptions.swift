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

    public static let defaultMissingTokens = ["", "NA", "N/A", ".", "NaN"]

    public init(delimiter: UInt8? = nil, missingTokens: [String] = CSVOptions.defaultMissingTokens, textColumns: Set<String> = [],
                decimalComma: Bool? = nil) {
        self.delimiter = delimiter
        self.missingTokens = missingTokens
        self.textColumns = textColumns
        self.decimalComma = decimalComma
    }
}

/// A typed, column-oriented table read from one file.
///
/// Rows keep the line of the file they started on, so every later message (a non-numeric value, a
/// missing outcome, a dropped row) can name the file and line the user should open.
public struct DataTable: Sendable {
    /// Where the data came from, as the user named it (a path, or `<stdin>`).
    public let source: String
    public let columns: [Column]
    /// 1-based line of the file on which each row starts.
    public let lineNumbers: LineNumbers

    /// Identifier columns the codebook declared and the loader removed: never analysed or printed.
    public let withheldIdentifiers: [String]
    /// The codebook's linked long tables (lab draws), their rows matched to this table's rows:
    /// analyses of courses over days (trajectories) read them; derived variables summarise them.
    public let linkedTables: [LinkedTable]
    /// By variable declared with `shown_if:` (REDCap branching logic), whether each row's blank
    /// is "not applicable" (the condition false) rather than missing (issue 18).
    public internal(set) var notApplicable: [String: [Bool]] = [:]
    /// Column positions by name (the first, should a derived variable repeat a name): a lookup a
    /// name, where a search made describing every column of a wide file quadratic (300,000
    /// columns: 4.5·10¹⁰ comparisons; issue 12).
    private let positions: [String: Int]

    public init(source: String, columns: [Column], lineNumbers: LineNumbers, withheldIdentifiers: [String] = [], linkedTables: [LinkedTable] = []) {
        self.source = source
        self.linkedTables = linkedTables
        self.columns = columns
        self.lineNumbers = lineNumbers
        self.withheldIdentifiers = withheldIdentifiers
        // Filled in place, without a list of (name, position) pairs first.
        var positions = [String: Int](minimumCapacity: columns.count)
        for (k, column) in columns.enumerated() where positions[column.name] == nil { positions[column.name] = k }
        self.positions = positions
    }

    public var rowCount: Int { lineNumbers.count }
    public var columnNames: [String] { columns.map(\.name) }

    /// The column called `name`, exactly as written in the header.
    ///
    /// - Throws: ``DataError/unknownColumn(source:name:available:)`` listing the columns there are.
    public func column(named name: String) throws(DataError) -> Column {
        guard let column = positions[name].map({ columns[$0] }) else {
            if withheldIdentifiers.contains(name) { throw .identifierColumn(source: source, name: name) }
            throw .unknownColumn(source: source, name: name, available: columnNames)
        }
        return column
    }

    /// `source:line` for row `row`, the prefix of every message about that row.
    public func location(ofRow row: Int) -> String { "\(source):\(lineNumbers[row])" }
}

/// One column: numbers, or text stored as level codes.
public struct Column: Sendable {
    public enum Storage: Sendable {
        /// Missing values are NaN.
        case numeric([Double])
        /// `codes[i]` indexes `levels`; -1 is missing. `levels` are in order of first appearance.
        case text(codes: [Int32], levels: TextLevels)
    }

    public let name: String
    public let storage: Storage
    /// For a text column: the first non-missing value that is not a number, and its row. A column
    /// that is numeric but for a few stray entries is almost always a data-entry error, and the
    /// model builder reports that row instead of silently treating the column as categorical.
    public let firstNonNumeric: (row: Int, value: String)?
    /// For a text column: how many non-missing values parse as numbers.
    public let numericLikeCount: Int
    /// The codebook's declaration (type, label, unit, level order), or nil for an inferred column.
    public var variable: VariableSpec? { declaration?.spec }
    /// Boxed: a declaration inline made a column some 200 bytes, most of a file's memory when it has
    /// 300,000 columns of three rows (issue 12).
    private let declaration: Declaration?

    private final class Declaration: Sendable {
        let spec: VariableSpec
        init(_ spec: VariableSpec) { self.spec = spec }
    }

    public init(name: String, storage: Storage, firstNonNumeric: (row: Int, value: String)? = nil, numericLikeCount: Int = 0,
                variable: VariableSpec? = nil) {
        self.name = name
        self.storage = storage
        self.firstNonNumeric = firstNonNumeric
        self.numericLikeCount = numericLikeCount
        declaration = variable.map(Declaration.init)
    }

    /// The same values described by a codebook declaration.
    public func declared(as variable: VariableSpec) -> Column {
        Column(name: name, storage: storage, firstNonNumeric: firstNonNumeric, numericLikeCount: numericLikeCount, variable: variable)
    }

    /// True when the codebook fixed the order of the levels (the first is the reference), rather
    /// than the reader's order of first appearance.
    public var hasDeclaredLevelOrder: Bool { variable?.type == .categorical && variable?.levels != nil }

    public var count: Int {
        switch storage {
        case .numeric(let values): values.count
        case .text(let codes, _): codes.count
        }
    }

    public func isMissing(_ row: Int) -> Bool {
        switch storage {
        case .numeric(let values): values[row].isNaN
        case .text(let codes, _): codes[row] < 0
        }
    }

    /// The value in `row` as the user would read it (numbers in shortest round-trip form).
    public func displayValue(_ row: Int) -> String {
        switch storage {
        case .numeric(let values) where variable?.type == .date:
            values[row].isNaN ? "" : CalendarDate(daysSinceEpoch: Int(values[row])).description
        case .numeric(let values): values[row].isNaN ? "" : NumberText.shortest(values[row])
        case .text(let codes, let levels): codes[row] < 0 ? "" : levels[Int(codes[row])]
        }
    }
}

/// Number-to-text conversions shared by every module, so a value prints the same everywhere.
public enum NumberText {
    /// Shortest text that reads back to the same Double; integers without a trailing ".0".
    public static func shortest(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
        if x.isWholeNumber, abs(x) < 1e15 { return String(Int64(x)) }
        // `description` (the same text as interpolation) fits a short string in place: no buffer
        // for interpolation to grow, which cost a derive's output more than the digits.
        return x.description
    }

    /// ``shortest(_:)`` as UTF-8 appended to `out`, without making a String for the usual whole
    /// number (the analysis-ready CSV's cells, the `.dta` reader's numbers).
    static func appendShortest(_ x: Double, to out: inout [UInt8]) {
        // Whole numbers below 1e15 as `shortest` writes them, digit by digit.
        guard abs(x) < 1e15, x.isWholeNumber else {
            out.append(contentsOf: shortest(x).utf8)
            return
        }
        var n = Int64(x)
        if n < 0 { out.append(UInt8(ascii: "-")); n = -n }
        let start = out.count
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(n % 10))
            n /= 10
        } while n > 0
        out[start...].reverse()
    }
}

extension DataTable {
    /// The table restricted to `rows` (indices, in the order given), every column and its
    /// declaration kept: what an analysis of a subgroup (`where: {disease: LBCL}`) or a row filter
    /// (`--where`) runs on. The linked tables come along, re-indexed to the rows kept: they find a
    /// patient's draws by the patient's row, so a table without them would pair row k with the
    /// draws of whoever was row k before.
    public func keepingRows(_ rows: [Int]) -> DataTable {
        var table = DataTable(source: source, columns: columns.map { $0.keepingRows(rows) }, lineNumbers: LineNumbers(rows.map { lineNumbers[$0] }),
                              withheldIdentifiers: withheldIdentifiers, linkedTables: linkedTables.map { $0.keeping(patients: rows) })
        table.notApplicable = notApplicable.mapValues { flags in rows.map { flags[$0] } }
        return table
    }
}

extension Column {
    /// The column restricted to `rows`; a text column keeps its levels, and its first non-numeric
    /// value and count of numeric-like values are those of the rows kept (numbers as Swift reads
    /// them: a subgroup of a decimal-comma file counts `2,5` as text, which only a model's
    /// "mostly numbers" message reads).
    public func keepingRows(_ rows: [Int]) -> Column { gathering(rows.map(Int32.init)) }

    /// Row k of the result is row `rows[k]` of this column, or missing where `rows[k]` is -1 (a
    /// patient without a row in a joined per-patient table): the one copy behind filters, subgroups
    /// and joins.
    func gathering(_ rows: [Int32]) -> Column {
        switch storage {
        case .numeric(let values):
            return Column(name: name, storage: .numeric(rows.map { $0 < 0 ? .nan : values[Int($0)] }), variable: variable)
        case .text(let codes, let levels):
            let kept = rows.map { $0 < 0 ? -1 : codes[Int($0)] }
            var firstText: (row: Int, value: String)?
            var numericLike = 0
            for (row, code) in kept.enumerated() where code >= 0 {
                let value = levels[Int(code)]
                if Double(value) != nil { numericLike += 1 } else if firstText == nil { firstText = (row, value) }
            }
            return Column(name: name, storage: .text(codes: kept, levels: levels), firstNonNumeric: firstText, numericLikeCount: numericLike,
                          variable: variable)
        }
    }
}

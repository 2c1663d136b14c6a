/// A format-neutral table: what to show, not how. Renderers turn it into text, Markdown, CSV,
/// LaTeX, HTML or JSON, formatting its typed cells with ``style``; they never compute anything.
public struct ReportTable: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public enum Alignment: Sendable { case left, right }
        /// Stable machine name (CSV header, JSON key).
        public let key: String
        /// What a reader sees.
        public let header: String
        public let alignment: Alignment

        public init(key: String, header: String, alignment: Alignment = .right) {
            self.key = key
            self.header = header
            self.alignment = alignment
        }
    }

    public var title: String?
    /// Lines shown above the table (model, n, events, convergence).
    public var preamble: [String]
    /// Fixed once made: ``cells`` are laid out by their number.
    public private(set) var columns: [Column]
    /// The cells row after row (`columns.count` a row). One array, not one a row: a Table 1 of a
    /// file of 300,000 columns has a million rows, and an array a row cost 80 bytes each besides
    /// the cells (issue 12).
    public private(set) var cells: [TableCell]
    /// The numbers of the cells (a cell's from its slot), unrounded.
    public private(set) var numbers: [Double]
    /// The texts of the text cells.
    public private(set) var texts: [String]
    public private(set) var rowCount: Int
    /// Footnotes (methods, warnings), shown below the table.
    public var notes: [String]
    /// How the renderers format the numbers: digits, percentages, P values, the missing mark,
    /// and the K of `<K`.
    public var style: NumberStyle

    /// A table of typed cells.
    /// - Precondition: every row has one cell per column.
    public init(title: String? = nil, preamble: [String] = [], columns: [Column], rows: [[CellValue]], notes: [String] = [],
                style: NumberStyle = .standard) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "every row needs one cell per column")
        self.init(title: title, preamble: preamble, columns: columns, notes: notes, style: style)
        for row in rows { for value in row { append(value) } }
        rowCount = rows.count
    }

    /// A table of text cells, formatted by the builder; an empty string is an empty cell.
    public init(title: String? = nil, preamble: [String] = [], columns: [Column], rows: [[String]], notes: [String] = [],
                style: NumberStyle = .standard) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "every row needs one cell per column")
        self.init(title: title, preamble: preamble, columns: columns, cells: rows.flatMap { $0 }, notes: notes, style: style)
    }

    /// A table from its text cells, row after row.
    /// - Precondition: `cells.count` is a multiple of `columns.count`, of which there is at least one.
    public init(title: String? = nil, preamble: [String] = [], columns: [Column], cells: [String], notes: [String] = [],
                style: NumberStyle = .standard) {
        precondition(!columns.isEmpty && cells.count % columns.count == 0, "every row needs one cell per column")
        self.init(title: title, preamble: preamble, columns: columns, notes: notes, style: style)
        self.cells.reserveCapacity(cells.count)
        texts.reserveCapacity(cells.count)
        for text in cells { append(text.isEmpty ? .empty : .text(text)) }
        rowCount = cells.count / columns.count
    }

    /// A table without rows yet, to be filled a row at a time with ``append(row:)``: a Table 1 of
    /// 300,000 variables then never holds its cells twice (issue 12).
    public init(title: String? = nil, preamble: [String] = [], columns: [Column], notes: [String] = [], style: NumberStyle) {
        self.title = title
        self.preamble = preamble
        self.columns = columns
        self.cells = []
        self.numbers = []
        self.texts = []
        self.rowCount = 0
        self.notes = notes
        self.style = style
    }

    /// Adds a row.
    /// - Precondition: one cell per column.
    public mutating func append(row: [CellValue]) {
        precondition(row.count == columns.count, "every row needs one cell per column")
        for value in row { append(value) }
        rowCount += 1
    }

    /// Reserves room for `rows` more rows: their cells, a text a row and up to three numbers a
    /// cell. Pages never written cost no memory, an array grown by doubling costs its copies.
    public mutating func reserve(rows: Int) {
        cells.reserveCapacity(cells.count + rows * columns.count)
        texts.reserveCapacity(texts.count + rows)
        numbers.reserveCapacity(numbers.count + rows * columns.count * 3)
    }

    private mutating func append(_ value: CellValue) {
        func cell(_ kind: TableCell.Kind, _ statuses: [TableCell.Status], format: UInt8 = 0, _ values: Double...) {
            cells.append(TableCell(kind: kind, partStatuses: statuses, format: format, slot: UInt32(numbers.count)))
            numbers += values
        }
        let nan = Double.nan
        switch value {
        case .empty: cells.append(TableCell(kind: .empty, partStatuses: [], slot: 0))
        case .text(let text):
            cells.append(TableCell(kind: .text, partStatuses: [], slot: UInt32(texts.count)))
            texts.append(text)
        case .count(let n, let status): cell(.count, [status], Double(n))
        case .percent(let p, let status): cell(.percent, [status], p)
        case .percentInterval(let lower, let upper, let status): cell(.percentInterval, [status, status], lower, upper)
        case .fixedPercent(let p, let decimals, let status): cell(.percent, [status], format: UInt8(clamping: decimals + 1), p)
        case .fixedPercentInterval(let lower, let upper, let decimals, let status):
            cell(.percentInterval, [status, status], format: UInt8(clamping: decimals + 1), lower, upper)
        case .countPercent(let n, let p, let count, let percent): cell(.countPercent, [count, count == .shown ? percent : .withheld], Double(n), p)
        case .eventsOfN(let e, let n, let events, let total):
            let percent: TableCell.Status = events == .shown && total == .shown ? .shown : .withheld
            cell(.eventsOfN, [events, total, percent], Double(e), Double(n), n > 0 ? Double(e) / Double(n) : nan)
        case .countMissing(let n, let m, let nStatus, let missing): cell(.countMissing, [nStatus, missing], Double(n), Double(m))
        case .number(let x, let digits, let status): cell(.number, [status], format: UInt8(clamping: min(digits ?? 0, 254)), x)
        case .exactNumber(let x, let status): cell(.number, [status], format: TableCell.shortestDigits, x)
        case .pValue(let p, let status): cell(.pValue, [status], p)
        case .markedPValue(let p, let mark, let status): cell(.pValue, [status], format: UInt8(clamping: min(max(mark, 0), 9)), p)
        case .fixedNumber(let x, let decimals, let status):
            cell(.number, [status], format: TableCell.fixedDecimalsBase + UInt8(clamping: min(max(decimals, 0), 9)), x)
        case .interval(let lower, let upper, let status): cell(.interval, [status, status], lower, upper)
        case .meanSD(let mean, let sd, let whole, let status): cell(.meanSD, [status, status], format: whole ? 1 : 0, mean, sd)
        case .medianIQR(let median, let q1, let q3, let whole, let status): cell(.medianIQR, [status, status, status], format: whole ? 1 : 0, median, q1, q3)
        case .range(let lower, let upper, let whole, let status): cell(.range, [status, status], format: whole ? 1 : 0, lower, upper)
        case .countDistinct(let n, let distinct, let status): cell(.countDistinct, [status, status == .shown ? .shown : .withheld], Double(n), Double(distinct))
        case .dateRange(let first, let last, let status): cell(.dateRange, [status, status], first, last)
        case .figure(let x, let printed, let status):
            // The text's index rides as a second number, past the kind's one part.
            cell(.figure, [status], x, Double(texts.count))
            texts.append(printed)
        }
    }

    /// Cell `k`'s numbers (none for empty and text cells).
    public func numbers(ofCell k: Int) -> ArraySlice<Double> {
        let cell = cells[k], count = TableCell.parts(cell.kind).count
        // A text cell's slot is its text's, not a number's.
        guard count > 0 else { return [] }
        return numbers[Int(cell.slot)..<Int(cell.slot) + count]
    }

    /// Equal tables print the same everywhere: numbers compared bit for bit, so that a table
    /// holding a NaN (a number that does not exist) equals itself.
    public static func == (a: ReportTable, b: ReportTable) -> Bool {
        a.title == b.title && a.preamble == b.preamble && a.columns == b.columns && a.cells == b.cells && a.texts == b.texts
            && a.rowCount == b.rowCount && a.notes == b.notes && a.style == b.style
            && a.numbers.elementsEqual(b.numbers) { $0.bitPattern == $1.bitPattern }
    }

    /// One array of printed texts a row, made when asked for (tests, small tables).
    public var rows: [[String]] {
        (0..<rowCount).map { r in (r * columns.count..<(r + 1) * columns.count).map(text(ofCell:)) }
    }

    /// Every text (title, preamble, headers, text cells, notes) replaced by `transform` (escaping),
    /// every number and status kept.
    func mappingText(_ transform: (String) -> String) -> ReportTable {
        var copy = self
        copy.title = title.map(transform)
        copy.preamble = preamble.map(transform)
        copy.columns = columns.map { Column(key: $0.key, header: transform($0.header), alignment: $0.alignment) }
        copy.texts = texts.map(transform)
        copy.notes = notes.map(transform)
        return copy
    }
}

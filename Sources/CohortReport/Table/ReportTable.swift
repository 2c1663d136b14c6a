/// A format-neutral table: what to show, not how. Renderers turn it into text, Markdown, CSV,
/// LaTeX, HTML or JSON and never compute or re-round anything themselves.
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
    /// Already formatted cells, row after row (`columns.count` a row); an empty string is an empty
    /// cell. One array, not one a row: a Table 1 of a file of 300,000 columns has a million rows,
    /// and an array a row cost 80 bytes each besides the cells (issue 12).
    public private(set) var cells: [String]
    public private(set) var rowCount: Int
    /// Footnotes (methods, warnings), shown below the table.
    public var notes: [String]

    public init(title: String? = nil, preamble: [String] = [], columns: [Column], rows: [[String]], notes: [String] = []) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "every row needs one cell per column")
        self.init(title: title, preamble: preamble, columns: columns, cells: rows.flatMap { $0 }, rowCount: rows.count, notes: notes)
    }

    /// A table from its cells, row after row.
    /// - Precondition: `cells.count` is a multiple of `columns.count`, of which there is at least one.
    public init(title: String? = nil, preamble: [String] = [], columns: [Column], cells: [String], notes: [String] = []) {
        precondition(!columns.isEmpty && cells.count % columns.count == 0, "every row needs one cell per column")
        self.init(title: title, preamble: preamble, columns: columns, cells: cells, rowCount: cells.count / columns.count, notes: notes)
    }

    private init(title: String?, preamble: [String], columns: [Column], cells: [String], rowCount: Int, notes: [String]) {
        self.title = title
        self.preamble = preamble
        self.columns = columns
        self.cells = cells
        self.rowCount = rowCount
        self.notes = notes
    }

    /// One array a row, made when asked for (tests, small tables); renderers read ``cells``.
    public var rows: [[String]] {
        get { (0..<rowCount).map { Array(row($0)) } }
        set {
            precondition(newValue.allSatisfy { $0.count == columns.count }, "every row needs one cell per column")
            cells = newValue.flatMap { $0 }
            rowCount = newValue.count
        }
    }

    /// Row `r`'s cells (indexed as in ``cells``, from `r × columns.count`).
    func row(_ r: Int) -> ArraySlice<String> { cells[r * columns.count..<(r + 1) * columns.count] }
}

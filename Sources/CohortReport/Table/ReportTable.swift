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
    public var columns: [Column]
    /// Already formatted cells, one array per row; an empty string is an empty cell.
    public var rows: [[String]]
    /// Footnotes (methods, warnings), shown below the table.
    public var notes: [String]

    public init(title: String? = nil, preamble: [String] = [], columns: [Column], rows: [[String]], notes: [String] = []) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "every row needs one cell per column")
        self.title = title
        self.preamble = preamble
        self.columns = columns
        self.rows = rows
        self.notes = notes
    }
}

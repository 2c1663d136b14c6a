/// The 1-based file line on which each row of a table starts: what every message about a row names.
///
/// Most files have one record a line after the header, so row r starts on line r + 2 and the list
/// is an arithmetic run: it is then stored as its first line and count, not as 4 bytes a row. A
/// file whose records span lines (a quoted newline), or that skips blank lines, or a table of
/// chosen rows keeps the list itself. At 3.1 million lab draws the run saves 12.6 MB that would
/// otherwise be held beside the draws while they are matched to patients (issue 15: `cohort
/// derive` in memory near the input size). Either way it reads as the same list of lines, and two
/// values are equal when their lines are.
public struct LineNumbers: Sendable, RandomAccessCollection, Equatable, ExpressibleByArrayLiteral {
    private enum Storage: Sendable {
        /// Lines `first`, `first + 1`, ..., `count` of them.
        case run(first: Int32, count: Int)
        case listed([Int32])
    }
    private let storage: Storage

    /// The lines, stored as a run when they are one.
    public init(_ lines: [Int32]) {
        storage = Self.isRun(lines.count, first: lines.first ?? 0, { lines[$0] }) ? .run(first: lines.first ?? 0, count: lines.count) : .listed(lines)
    }

    /// `count` lines from `first` on, one a row.
    public init(run first: Int32, count: Int) {
        storage = .run(first: first, count: count)
    }

    public init(arrayLiteral lines: Int32...) { self.init(lines) }

    /// Whether the `count` lines `line(0)`, `line(1)`, ... are `first`, `first + 1`, ...
    static func isRun(_ count: Int, first: Int32, _ line: (Int) -> Int32) -> Bool {
        guard count > 0, Int(first) + count - 1 <= Int(Int32.max) else { return count == 0 }
        for r in 0..<count where line(r) != first &+ Int32(truncatingIfNeeded: r) { return false }
        return true
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch storage {
        case .run(_, let count): count
        case .listed(let lines): lines.count
        }
    }

    public subscript(row: Int) -> Int32 {
        switch storage {
        case .run(let first, let count):
            precondition(row >= 0 && row < count, "row \(row) of \(count)")
            return first + Int32(row)
        case .listed(let lines): return lines[row]
        }
    }

    public static func == (a: LineNumbers, b: LineNumbers) -> Bool { a.elementsEqual(b) }
}

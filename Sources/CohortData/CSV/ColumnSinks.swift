#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the parser stores a column's fields in one pass.
enum FieldKind: UInt8 {
    /// Parsed to `Double`; a field that is neither a number nor a missing token marks the column
    /// for a text pass.
    case number
    /// Interned as a level.
    case text
}

/// The values one parser has collected: a raw buffer a column, all with the same row capacity,
/// so that a record is stored with one capacity check instead of one per field. Buffers come from
/// ``PageMemory``, so that each is returned to the system as soon as it is joined and freed.
///
/// A record's fields are written into row `rowCount` as they are parsed and the row is committed
/// only when the record turns out whole, so a ragged or malformed record leaves nothing behind.
final class ColumnSinks {
    let kinds: UnsafeMutablePointer<FieldKind>
    let columnCount: Int
    /// Per column: the number buffer (number columns, unless compact) or the code buffer (text columns).
    let numbers: UnsafeMutablePointer<UnsafeMutablePointer<Double>?>
    /// Per column: the compact words of a number column, when the sinks store numbers as
    /// ``CompactNumbers`` (a linked long table; issue 15; `numbers` is then empty). The parser writes
    /// a plain decimal's word straight from its digits, so no double is made, kept or encoded for it.
    let words: UnsafeMutablePointer<UnsafeMutablePointer<Int32>?>
    let codes: UnsafeMutablePointer<UnsafeMutablePointer<Int32>?>
    /// Each row's line, written only once the rows stop being a run (one record a line, the usual
    /// file): until then a row's line is ``runFirst`` plus its row, and the buffer's pages are never
    /// touched (issue 15: 12.6 MB at 3.1 million draws).
    private var lines: UnsafeMutablePointer<Int32>
    private var linesAreRun = true
    private var runFirst: Int32 = 0
    /// Per column: the level table (text columns; left uninitialized for number columns, which
    /// never intern: a table a column cost kilobytes each, gigabytes for 300,000 columns; issue 12).
    let interners: UnsafeMutablePointer<LevelInterner>
    /// Which columns hold a live level table: text columns, until ``releaseLevels(_:)``.
    private var holdsLevels: [Bool]
    /// Number columns that met a value that is not a number.
    var metText: [Bool]
    /// Per number column of compact sinks: the values no word holds, and the decimals of the last
    /// value encoded (``CompactNumbers/encode(_:hint:exceptions:)``).
    private var compactExceptions: [[Double]]
    private var compactHints: [Int]
    private(set) var rowCount = 0
    private(set) var capacity: Int

    init(kinds: [FieldKind], expectedRows: Int, compact: Bool = false) {
        columnCount = kinds.count
        self.kinds = .allocate(capacity: max(kinds.count, 1))
        self.kinds.initialize(from: kinds, count: kinds.count)
        capacity = max(expectedRows, 16)
        numbers = .allocate(capacity: max(kinds.count, 1))
        words = .allocate(capacity: max(kinds.count, 1))
        codes = .allocate(capacity: max(kinds.count, 1))
        lines = Self.allocate(capacity)
        interners = .allocate(capacity: max(kinds.count, 1))
        metText = Array(repeating: false, count: kinds.count)
        holdsLevels = kinds.map { $0 == .text }
        compactExceptions = Array(repeating: [], count: kinds.count)
        compactHints = Array(repeating: 0, count: kinds.count)
        for (c, kind) in kinds.enumerated() {
            numbers[c] = kind == .number && !compact ? Self.allocate(capacity) : nil
            words[c] = kind == .number && compact ? Self.allocate(capacity) : nil
            codes[c] = kind == .text ? Self.allocate(capacity) : nil
            if kind == .text { (interners + c).initialize(to: LevelInterner()) }
        }
    }

    deinit {
        for c in 0..<columnCount { releaseColumn(c) }
        // LevelInterner is a struct of raw pointers: nothing to deinitialize beyond freeing them.
        for c in 0..<columnCount where holdsLevels[c] { interners[c].deallocate() }
        interners.deallocate()
        numbers.deallocate()
        words.deallocate()
        codes.deallocate()
        PageMemory.release(lines)
        kinds.deallocate()
    }

    /// Makes room for one more row.
    @inline(__always)
    func reserveRow() {
        if rowCount == capacity { grow() }
    }

    @inline(__always)
    func commitRow(line: Int) {
        let line = Int32(truncatingIfNeeded: line)
        if linesAreRun {
            if rowCount == 0 { runFirst = line }
            if line == runFirst &+ Int32(truncatingIfNeeded: rowCount) {
                rowCount += 1
                return
            }
            // The run ends: its lines are written out, and every line after it.
            for r in 0..<rowCount { lines[r] = runFirst &+ Int32(truncatingIfNeeded: r) }
            linesAreRun = false
        }
        lines[rowCount] = line
        rowCount += 1
    }

    /// The line of row `r` (relative to the piece's first line).
    @inline(__always)
    func line(_ r: Int) -> Int32 { linesAreRun ? runFirst &+ Int32(truncatingIfNeeded: r) : lines[r] }

    private func grow() {
        let newCapacity = capacity * 2
        for c in 0..<columnCount {
            if let old = numbers[c] { numbers[c] = Self.resized(old, from: rowCount, to: newCapacity) }
            if let old = words[c] { words[c] = Self.resized(old, from: rowCount, to: newCapacity) }
            if let old = codes[c] { codes[c] = Self.resized(old, from: rowCount, to: newCapacity) }
        }
        lines = Self.resized(lines, from: linesAreRun ? 0 : rowCount, to: newCapacity)
        capacity = newCapacity
    }

    private static func resized<T>(_ old: UnsafeMutablePointer<T>, from count: Int, to capacity: Int) -> UnsafeMutablePointer<T> {
        PageMemory.reallocate(old, keeping: count, to: capacity)
    }

    private static func allocate<T>(_ capacity: Int) -> UnsafeMutablePointer<T> { PageMemory.allocate(capacity) }

    /// Forgets the rows and the text met, keeping the buffers: one set of sinks serves every sample.
    func reset() {
        rowCount = 0
        linesAreRun = true
        for c in metText.indices where metText[c] { metText[c] = false }
        for c in compactExceptions.indices where !compactExceptions[c].isEmpty { compactExceptions[c] = [] }
    }

    /// Frees column `c`'s buffer once it has been copied out.
    func releaseColumn(_ c: Int) {
        PageMemory.release(numbers[c]); numbers[c] = nil
        PageMemory.release(words[c]); words[c] = nil
        PageMemory.release(codes[c]); codes[c] = nil
    }

    /// Stores `value` in row `row` of number column `c`: as a double, or as its compact word (a
    /// value the parser's fast path did not take: a missing one, `1e5`, ` 3.2 `, or one of more digits
    /// than a word holds).
    func store(_ value: Double, column c: Int, row: Int) {
        if let words = words[c] {
            words[row] = CompactNumbers.encode(value, hint: &compactHints[c], exceptions: &compactExceptions[c])
        } else {
            numbers[c]![row] = value
        }
    }

    /// Appends column `c`'s compact numbers to `column` and frees them (nothing if it has none).
    func moveCompacted(_ c: Int, to column: inout CompactNumbers) {
        guard let buffer = words[c] else { return }
        column.append(UnsafeBufferPointer(start: buffer, count: rowCount), exceptions: compactExceptions[c])
        PageMemory.release(buffer)
        words[c] = nil
        compactExceptions[c] = []
    }

    /// Frees the line numbers once they have been copied out.
    func releaseLines() {
        PageMemory.release(lines)
        lines = Self.allocate(1)
        capacity = 0
    }

    /// Frees column `c`'s level table once its levels have been taken.
    func releaseLevels(_ c: Int) {
        guard holdsLevels[c] else { return }
        interners[c].deallocate()
        holdsLevels[c] = false
    }
}

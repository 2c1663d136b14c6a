/// The tokenizer and the pass over records: one value parses one byte range of the input into a
/// ``ColumnSinks``, recording every problem it meets instead of stopping at the first.
///
/// Each field is read once. In a number column the digits are converted as they are scanned, and
/// only a field that is not a plain decimal (spaces, an exponent, a missing token, text) goes
/// through the general path: find the field's end, trim, compare with the missing tokens, and hand
/// it to ``NumberParser`` or the column's ``LevelInterner``.
struct CSVParser {
    let base: UnsafePointer<UInt8>
    let count: Int
    let source: String
    let columnNames: [String]
    let delimiter: UInt8
    let decimalComma: Bool
    let missing: MissingTokens
    let tables: ParserTables
    /// The fast number path splits fields only at a delimiter that no plain decimal contains: a
    /// delimiter chosen among digits, `-` or `.` (`--delimiter .`) sends every field the long way.
    let fastNumbers: Bool
    var position: Int
    /// The line `position` is on (counted from the parser's start, which the caller offsets).
    var line: Int
    /// Unescaped bytes of the current quoted field.
    let scratch = ScratchBuffer()
    private(set) var problems: [DataError] = []
    private(set) var problemsOmitted = 0

    /// The mapped file whose pages behind `position` may be dropped, and how far that has gone.
    var releaser: InputBytes?
    private var releasedUpTo: Int
    private static let releaseStride = 1 << 20
    static let problemLimit = 1000

    init(bytes: UnsafeBufferPointer<UInt8>, source: String, columnNames: [String], delimiter: UInt8, decimalComma: Bool,
         missing: MissingTokens, position: Int, line: Int) {
        base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        count = bytes.count
        self.source = source
        self.columnNames = columnNames
        self.delimiter = delimiter
        self.decimalComma = decimalComma
        self.missing = missing
        tables = ParserTables(delimiter: delimiter)
        fastNumbers = !(delimiter >= 0x30 && delimiter <= 0x39) && delimiter != 0x2D && delimiter != 0x2E
        self.position = position
        self.line = line
        releasedUpTo = position
    }

    mutating func record(_ problem: DataError) {
        if problems.count < Self.problemLimit { problems.append(problem) } else { problemsOmitted += 1 }
    }

    // MARK: Header

    /// The most frequent of comma, semicolon and tab on the header line (the first that is not blank; outside
    /// quotes); on a tie comma, then semicolon.
    static func detectDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var inQuotes = false
        var i = start
        // The header is the first line that is not blank (``parseHeader()`` skips blank lines too).
        while i < bytes.count, bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 { inQuotes.toggle() } else if !inQuotes {
                if b == 0x0A || b == 0x0D { break }
                if counts[b] != nil { counts[b]! += 1 }
            }
            i += 1
        }
        // On a tie: comma, then semicolon, then tab (ordering by byte value would pick tab first).
        let preference: [UInt8: Int] = [0x2C: 2, 0x3B: 1, 0x09: 0]
        let best = counts.max { a, b in a.value != b.value ? a.value < b.value : preference[a.key]! < preference[b.key]! }!
        return best.value == 0 ? 0x2C : best.key
    }

    /// Reads the header row; leaves `position` at the first data record.
    mutating func parseHeader() throws(DataError) -> [String] {
        guard skipBlankLines() else { throw .emptyFile(source: source) }
        let headerLine = line
        var names: [String] = []
        while true {
            headerColumn = names.count
            defer { headerColumn = nil }
            guard let field = field(column: -1) else { throw problems[0] }
            guard let name = String(validating: field, as: UTF8.self) else {
                throw .invalidUTF8(source: source, line: line, column: "column \(names.count + 1) of the header")
            }
            names.append(name.trimmingSpaces())
            if endOfField() { break }
        }
        try Self.checkHeader(names, source: source, line: headerLine)
        return names
    }

    static func checkHeader(_ names: [String], source: String, line: Int = 1) throws(DataError) {
        var seen: [String: [Int]] = [:]
        for (i, name) in names.enumerated() {
            if name.isEmpty { throw .emptyColumnName(source: source, column: i + 1, line: line) }
            seen[name, default: []].append(i + 1)
        }
        if let (name, columns) = seen.filter({ $0.value.count > 1 }).min(by: { $0.value[0] < $1.value[0] }) {
            throw .duplicateColumnName(source: source, name: name, columns: columns, line: line)
        }
    }

    // MARK: Records

    /// Parses the records that start before `stop` (the last may run past it) into `sinks`, and
    /// returns where parsing stopped: the start of the first record at or after `stop`.
    mutating func parseRecords(until stop: Int, into sinks: ColumnSinks) -> Int {
        let columnCount = sinks.columnCount
        let kinds = sinks.kinds
        let numbers = sinks.numbers, codes = sinks.codes, interners = sinks.interners
        let numbersMayBeMissing = missing.includesNumber
        recordLoop: while position < stop, skipBlankLines(), position < stop {
            if let releaser, position - releasedUpTo >= Self.releaseStride {
                releaser.releasePages(releasedUpTo..<position)
                releasedUpTo = position
            }
            let recordLine = line
            sinks.reserveRow()
            let row = sinks.rowCount
            var column = 0
            while true {
                if column == columnCount {
                    // More fields than names: count them for the message, keep none.
                    var found = column
                    while true {
                        guard field(column: -1) != nil else { continue recordLoop }
                        found += 1
                        if endOfField() { break }
                    }
                    record(.raggedRow(source: source, line: recordLine, expected: columnCount, found: found))
                    continue recordLoop
                }
                if fastNumbers, kinds[column] == .number, !numbersMayBeMissing, position < count, base[position] != 0x22,
                   let value = fastNumber() {
                    numbers[column]![row] = value
                } else {
                    guard let raw = field(column: column) else { continue recordLoop }
                    let value = trimmed(raw)
                    if kinds[column] == .number {
                        if missing.contains(value) {
                            numbers[column]![row] = .nan
                        } else if let number = NumberParser.parse(value, decimalComma: decimalComma) {
                            numbers[column]![row] = number
                        } else {
                            sinks.metText[column] = true
                            numbers[column]![row] = .nan
                        }
                    } else {
                        let code = missing.contains(value) ? -1 : interners[column].code(for: value)
                        if code == LevelInterner.tooLarge {
                            record(.textTooLarge(source: source, line: recordLine, column: columnNames[column]))
                            skipRestOfLine()
                            continue recordLoop
                        }
                        codes[column]![row] = code
                    }
                }
                column += 1
                if endOfField() { break }
            }
            if column < columnCount {
                record(.raggedRow(source: source, line: recordLine, expected: columnCount, found: column))
                continue
            }
            sinks.commitRow(line: recordLine)
        }
        return position
    }

    /// A plain decimal (`-12`, `3.25`) ending at a delimiter, a line break or the end, converted as
    /// it is scanned; nil, with `position` unchanged, for anything else.
    ///
    /// The significand of at most 19 digits is exact in a UInt64; when it is at most 2⁵³ and there
    /// are at most 22 decimals, it and 10^decimals are exact doubles and one division rounds
    /// correctly (Clinger's fast path), so the result equals ``NumberParser``'s.
    @inline(__always)
    private mutating func fastNumber() -> Double? {
        var p = position
        let negative = base[p] == 0x2D
        if negative { p += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        while p < count {
            let d = base[p] &- 0x30
            if d >= 10 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            digits += 1; p += 1
        }
        var decimals = 0
        if p < count, base[p] == 0x2E || (decimalComma && base[p] == 0x2C) {
            p += 1
            while p < count {
                let d = base[p] &- 0x30
                if d >= 10 { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                decimals += 1; p += 1
            }
        }
        guard digits + decimals > 0, digits + decimals <= 19, mantissa <= 1 << 53, decimals <= 22,
              p == count || tables.terminator[Int(base[p])] else { return nil }
        position = p
        let magnitude = Double(Int64(truncatingIfNeeded: mantissa))
        let value = decimals == 0 ? magnitude : magnitude / tables.powersOfTen[decimals]
        return negative ? -value : value
    }

    /// The field at `position` (unescaped if quoted), leaving `position` at its terminator; valid
    /// until the next call. On a malformed field, records the problem, moves to the next record
    /// and returns nil. `column` names the column in messages (-1: none known).
    @inline(__always)
    private mutating func field(column: Int) -> UnsafeBufferPointer<UInt8>? {
        if position < count, base[position] == 0x22 { return quotedField(column: column) }
        let start = position
        let special = tables.special
        // A local cursor: the stored property would be written back on every byte.
        var end = position
        while end < count, !special[Int(base[end])] { end += 1 }
        position = end
        if position < count, base[position] == 0x22 {
            record(.unexpectedQuote(source: source, line: line, column: columnName(column)))
            skipRestOfLine()
            return nil
        }
        return UnsafeBufferPointer(start: base + start, count: position - start)
    }

    private mutating func quotedField(column: Int) -> UnsafeBufferPointer<UInt8>? {
        let openedOn = line
        scratch.count = 0
        position += 1
        var segmentStart = position
        while true {
            guard position < count else {
                record(.unterminatedQuote(source: source, line: openedOn))
                return nil
            }
            let b = base[position]
            if b == 0x22 {
                scratch.append(UnsafeBufferPointer(start: base + segmentStart, count: position - segmentStart))
                if position + 1 < count, base[position + 1] == 0x22 {
                    scratch.append(CollectionOfOne(0x22)); position += 2; segmentStart = position
                    continue
                }
                position += 1
                break
            }
            if b == 0x0A || (b == 0x0D && (position + 1 == count || base[position + 1] != 0x0A)) { line += 1 }
            position += 1
        }
        // Only a delimiter or a record end may follow the closing quote. (Its own message: the field
        // is quoted, so "a quote inside an unquoted field" would send the reader looking elsewhere.)
        if position < count, !tables.terminator[Int(base[position])] {
            record(.textAfterQuote(source: source, line: line, column: columnName(column)))
            skipRestOfLine()
            return nil
        }
        return scratch.contents
    }

    /// While the header is read: the 0-based position of the name being read, for messages.
    private var headerColumn: Int?

    private func columnName(_ column: Int) -> String {
        // A header field has no name yet: say which one it is, as the UTF-8 check does.
        if let headerColumn { return "column \(headerColumn + 1) of the header" }
        return column >= 0 && column < columnNames.count ? columnNames[column] : "(no name)"
    }

    /// Consumes the terminator after a field: true when it ended the record (a line break or the end).
    @inline(__always)
    private mutating func endOfField() -> Bool {
        guard position < count else { return true }
        let b = base[position]
        position += 1
        if b == delimiter { return false }
        if b == 0x0D, position < count, base[position] == 0x0A { position += 1 }
        line += 1
        return true
    }

    /// After a malformed field: on to the start of the next line (or the end).
    private mutating func skipRestOfLine() {
        while position < count, base[position] != 0x0A, base[position] != 0x0D { position += 1 }
        _ = endOfField()
        if position >= count { position = count }
    }

    /// Skips blank lines; false at the end of the input.
    mutating func skipBlankLines() -> Bool {
        while position < count, base[position] == 0x0A || base[position] == 0x0D {
            if base[position] == 0x0D, position + 1 < count, base[position + 1] == 0x0A { position += 1 }
            position += 1; line += 1
        }
        return position < count
    }

    @inline(__always)
    private func trimmed(_ field: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let start = field.baseAddress, field.count > 0, field[0] == 0x20 || field[field.count - 1] == 0x20 else { return field }
        var i = 0, j = field.count
        while i < j, field[i] == 0x20 { i += 1 }
        while j > i, field[j - 1] == 0x20 { j -= 1 }
        return UnsafeBufferPointer(start: start + i, count: j - i)
    }
}

/// Lookup tables shared by a parser's loops, allocated once a parser.
final class ParserTables {
    /// Bytes that end an unquoted field or are an error in one: the delimiter, LF, CR and the quote.
    let special: UnsafeMutablePointer<Bool>
    /// Bytes that may follow a field: the delimiter, LF and CR.
    let terminator: UnsafeMutablePointer<Bool>
    /// 10⁰ ... 10²², exact doubles.
    let powersOfTen: UnsafeMutablePointer<Double>

    init(delimiter: UInt8) {
        special = .allocate(capacity: 256)
        special.initialize(repeating: false, count: 256)
        terminator = .allocate(capacity: 256)
        terminator.initialize(repeating: false, count: 256)
        for b in [delimiter, 0x0A, 0x0D] { special[Int(b)] = true; terminator[Int(b)] = true }
        special[0x22] = true
        powersOfTen = .allocate(capacity: 23)
        var power = 1.0
        for k in 0...22 { powersOfTen[k] = power; power *= 10 }
    }

    deinit {
        special.deallocate()
        terminator.deallocate()
        powersOfTen.deallocate()
    }
}

/// Missing-value tokens, compared after stripping surrounding spaces; a table of the tokens' first
/// bytes rejects most fields (numbers) with one lookup.
struct MissingTokens: Sendable {
    let tokens: [[UInt8]]
    let firstBytes: [Bool]
    let matchesEmpty: Bool
    /// A token that reads as a number (`-99`): fields must then be compared as text before they
    /// are converted, so the parser's scan-and-convert path is off.
    let includesNumber: Bool

    init(_ tokens: [String]) {
        self.tokens = tokens.map { Array($0.trimmingSpaces().utf8) }
        var first = [Bool](repeating: false, count: 256)
        for token in self.tokens where !token.isEmpty { first[Int(token[0])] = true }
        firstBytes = first
        matchesEmpty = self.tokens.contains { $0.isEmpty }
        includesNumber = tokens.contains { NumberParser.parse($0) != nil }
    }

    func contains(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0, end = field.count
        while start < end, field[start] == 0x20 { start += 1 }
        if start == end { return matchesEmpty }
        if !firstBytes[Int(field[start])] { return false }
        while end > start, field[end - 1] == 0x20 { end -= 1 }
        let length = end - start
        tokenLoop: for token in tokens where token.count == length {
            for k in 0..<length where token[k] != field[start + k] { continue tokenLoop }
            return true
        }
        return false
    }
}

/// A growable byte buffer owned by one parser; its contents stay valid until the next field.
final class ScratchBuffer {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    var count = 0

    init() {
        capacity = 256
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let needed = count + bytes.count
        if needed > capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(needed, capacity * 2))
            grown.update(from: storage, count: count)
            storage.deallocate()
            storage = grown
            capacity = max(needed, capacity * 2)
        }
        var target = storage + count
        for byte in bytes { target.pointee = byte; target += 1 }
        count = needed
    }

    var contents: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }
}

extension String {
    /// The string without leading and trailing spaces (field values, header names, option lists).
    public func trimmingSpaces() -> String {
        guard first == " " || last == " " else { return self }
        return String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

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
    /// ``CSVOptions/maxFieldBytes`` and ``CSVOptions/maxRecordBytes``: every scan stops within them.
    let maxField: Int
    let maxRecord: Int
    var position: Int
    /// Where the record being read began (the header's start while it is read): its length so far
    /// is `position - recordStart`.
    private(set) var recordStart: Int
    private var recordLine = 0
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
         missing: MissingTokens, limits: (field: Int, record: Int), position: Int, line: Int) {
        base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        count = bytes.count
        self.source = source
        self.columnNames = columnNames
        self.delimiter = delimiter
        self.decimalComma = decimalComma
        self.missing = missing
        tables = ParserTables(delimiter: delimiter)
        fastNumbers = !(delimiter >= 0x30 && delimiter <= 0x39) && delimiter != 0x2D && delimiter != 0x2E
        maxField = max(limits.field, 1)
        maxRecord = max(limits.record, 1)
        self.position = position
        recordStart = position
        self.line = line
        releasedUpTo = position
    }

    mutating func record(_ problem: DataError) {
        if problems.count < Self.problemLimit { problems.append(problem) } else { problemsOmitted += 1 }
    }

    /// Records a field or record over its limit and stops: what follows is unlikely to be the same
    /// kind of file, and scanning on for the next line break could read gigabytes (`/dev/zero`).
    private mutating func stopOverLimit(fieldLength: Int, fieldLine: Int, column: Int) {
        if fieldLength > maxField {
            record(.fieldTooLong(source: source, line: fieldLine, column: columnName(column), limit: maxField))
        } else {
            record(.recordTooLong(source: source, line: recordLine, limit: maxRecord))
        }
        position = count
    }

    /// The end of the bytes a field starting at `start` may use: within both limits, plus one byte
    /// so that a field reaching it is known to be over. Static, on plain integers: a method on
    /// `self` copied the whole parser (and retained its references) once a field in a debug build.
    @inline(__always)
    private static func scanBound(from start: Int, extra: Int, maxField: Int, recordStart: Int, maxRecord: Int, count: Int) -> Int {
        var bound = start + maxField + extra
        let recordBound = recordStart + maxRecord + 1
        if recordBound < bound { bound = recordBound }
        return count < bound ? count : bound
    }

    // MARK: Header

    /// The most frequent of comma, semicolon and tab on the header line (the first that is not blank; outside
    /// quotes); on a tie comma, then semicolon.
    /// Looks at most `limit` bytes (the record limit: a longer header is an error the header's parse reports).
    static func detectDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int = .max) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var inQuotes = false
        var i = start
        // The header is the first line that is not blank (``parseHeader()`` skips blank lines too).
        while i < bytes.count, bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        let end = i + min(bytes.count - i, limit)
        while i < end {
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
    mutating func parseHeader(renaming: (@Sendable ([String], String) throws(DataError) -> [String])? = nil) throws(DataError) -> [String] {
        guard skipBlankLines() else { throw .emptyFile(source: source) }
        recordStart = position
        recordLine = line
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
        if let renaming, !names.contains(where: \.isEmpty) { names = try renaming(names, source) }
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
        let numbers = sinks.numbers, words = sinks.words, codes = sinks.codes, interners = sinks.interners
        let numbersMayBeMissing = missing.includesNumber
        recordLoop: while position < stop, skipBlankLines(), position < stop {
            if let releaser, position - releasedUpTo >= Self.releaseStride {
                releaser.releasePages(releasedUpTo..<position)
                releasedUpTo = position
            }
            let recordLine = line
            recordStart = position
            self.recordLine = line
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
                   let decimal = fastDecimal() {
                    if let words = words[column] {
                        // A compact column: the word from the digits, no double made (a value of more
                        // digits than a word holds goes through the encoder).
                        if let word = CompactNumbers.word(decimal) { words[row] = word } else { sinks.store(decimal.value, column: column, row: row) }
                    } else {
                        numbers[column]![row] = decimal.value
                    }
                } else {
                    guard let raw = field(column: column) else { continue recordLoop }
                    let value = trimmed(raw)
                    if kinds[column] == .number {
                        if missing.contains(value) {
                            sinks.store(.nan, column: column, row: row)
                        } else if let number = NumberParser.parse(value, decimalComma: decimalComma) {
                            sinks.store(number, column: column, row: row)
                        } else {
                            sinks.metText[column] = true
                            sinks.store(.nan, column: column, row: row)
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
                // Numbers on the fast path skip the field scan's record check.
                if position - recordStart > maxRecord {
                    stopOverLimit(fieldLength: 0, fieldLine: recordLine, column: -1)
                    continue recordLoop
                }
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

    /// A plain decimal (`-12`, `3.25`) ending at a delimiter, a line break or the end, scanned into
    /// its digits; nil, with `position` unchanged, for anything else.
    @inline(__always)
    private mutating func fastDecimal() -> ScannedDecimal? {
        var p = position
        let negative = base[p] == 0x2D
        if negative { p += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        // At most 20 digits are scanned (19 convert exactly); a longer run goes the long way,
        // whose scan is bounded by the limits.
        while p < count, digits < 20 {
            let d = base[p] &- 0x30
            if d >= 10 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            digits += 1; p += 1
        }
        var decimals = 0
        if p < count, base[p] == 0x2E || (decimalComma && base[p] == 0x2C) {
            p += 1
            while p < count, digits + decimals < 20 {
                let d = base[p] &- 0x30
                if d >= 10 { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                decimals += 1; p += 1
            }
        }
        guard digits + decimals > 0, digits + decimals <= 19, mantissa <= 1 << 53, decimals <= 22, p - position <= maxField,
              p == count || tables.terminator[Int(base[p])] else { return nil }
        position = p
        return ScannedDecimal(mantissa: mantissa, decimals: decimals, negative: negative, powersOfTen: tables.powersOfTen)
    }

    /// The field at `position` (unescaped if quoted), leaving `position` at its terminator; valid
    /// until the next call. On a malformed field, records the problem, moves to the next record
    /// and returns nil. `column` names the column in messages (-1: none known).
    @inline(__always)
    private mutating func field(column: Int) -> UnsafeBufferPointer<UInt8>? {
        if position < count, base[position] == 0x22 { return quotedField(column: column) }
        let start = position
        let special = tables.special
        let bound = Self.scanBound(from: start, extra: 1, maxField: maxField, recordStart: recordStart, maxRecord: maxRecord, count: count)
        // A local cursor: the stored property would be written back on every byte.
        var end = position
        while end < bound, !special[Int(base[end])] { end += 1 }
        position = end
        if end - start > maxField || end - recordStart > maxRecord {
            stopOverLimit(fieldLength: end - start, fieldLine: line, column: column)
            return nil
        }
        if position < count, base[position] == 0x22 {
            record(.unexpectedQuote(source: source, line: line, column: columnName(column)))
            skipRestOfLine()
            return nil
        }
        return UnsafeBufferPointer(start: base + start, count: position - start)
    }

    private mutating func quotedField(column: Int) -> UnsafeBufferPointer<UInt8>? {
        let openedOn = line
        let fieldStart = position
        let bound = Self.scanBound(from: fieldStart, extra: 2, maxField: maxField, recordStart: recordStart, maxRecord: maxRecord, count: count)
        scratch.count = 0
        position += 1
        var segmentStart = position
        while true {
            guard position < bound else {
                if position < count {
                    // Bytes after the opening quote, as written (a doubled quote counts two).
                    stopOverLimit(fieldLength: position - fieldStart - 1, fieldLine: openedOn, column: column)
                } else {
                    record(.unterminatedQuote(source: source, line: openedOn))
                }
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
        let bound = min(count, recordStart + maxRecord + 1)
        while position < bound, base[position] != 0x0A, base[position] != 0x0D { position += 1 }
        if position - recordStart > maxRecord {
            stopOverLimit(fieldLength: 0, fieldLine: line, column: -1)
            return
        }
        _ = endOfField()
        if position >= count { position = count }
    }

    /// Whether the next `records` records (fewer at the end of the input) parse cleanly with
    /// `columnCount` fields each, storing nothing: how a guessed record start is checked.
    mutating func recordsAreWhole(_ records: Int, columnCount: Int) -> Bool {
        for _ in 0..<records {
            guard skipBlankLines() else { return true }
            recordStart = position
            recordLine = line
            var fields = 0
            while true {
                guard field(column: -1) != nil else { return false }
                fields += 1
                if endOfField() { break }
            }
            guard fields == columnCount, problems.isEmpty else { return false }
        }
        return true
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

/// A plain decimal as the parser scanned it: its digits as one integer, and how many of them are
/// decimals.
struct ScannedDecimal {
    let mantissa: UInt64
    let decimals: Int
    let negative: Bool
    let powersOfTen: UnsafeMutablePointer<Double>

    /// The value. The significand of at most 19 digits is exact in a UInt64; when it is at most 2⁵³
    /// and there are at most 22 decimals (the scan accepts no other), it and 10^decimals are exact
    /// doubles and one division rounds correctly (Clinger's fast path), so the result equals
    /// ``NumberParser``'s.
    @inline(__always)
    var value: Double {
        let magnitude = Double(Int64(truncatingIfNeeded: mantissa))
        let value = decimals == 0 ? magnitude : magnitude / powersOfTen[decimals]
        return negative ? -value : value
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads RFC 4180 delimited text into a ``DataTable``.
///
/// A byte-level reader: the well-kept Swift CSV packages parse at 13-18 MB/s on this project's
/// machines, an order of magnitude slower than pandas, so the tokenizer works on raw UTF-8 bytes and
/// converts numbers without creating strings.
///
/// - Quoted fields may hold delimiters, doubled quotes and line breaks; LF, CRLF and lone CR end records.
/// - A UTF-8 byte-order mark is skipped. Blank lines are skipped (as R and pandas do).
/// - Column types are inferred: a column whose non-missing values all parse as numbers is numeric,
///   anything else is text (stored as level codes). A column that turns out not to be numeric part
///   way through is read again as text in a second pass, so the common all-numeric case costs one pass.
public enum CSVReader {
    /// Reads `path`; `-` reads standard input.
    public static func read(path: String, options: CSVOptions = CSVOptions()) throws(DataError) -> DataTable {
        let source = path == "-" ? "<stdin>" : path
        let bytes = try readAllBytes(path: path, source: source)
        return try read(bytes: bytes, source: source, options: options)
    }

    public static func read(bytes: [UInt8], source: String, options: CSVOptions = CSVOptions()) throws(DataError) -> DataTable {
        try read(bytes: bytes, source: source, options: options, chunks: nil)
    }

    /// - Parameter chunks: how many pieces to parse in parallel; nil chooses from the size and the
    ///   cores (tests force small inputs through the parallel path with it).
    static func read(bytes: [UInt8], source: String, options: CSVOptions, chunks: Int?) throws(DataError) -> DataTable {
        let result: Result<DataTable, DataError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(DataError) {
                var textColumns = options.textColumns
                for _ in 0..<2 {
                    // A column that mixed numbers and text is read again, as text, in a second pass.
                    let (table, needText) = try CSVParser.parseFile(buffer, source: source, options: options,
                                                                    textColumns: textColumns, chunks: chunks)
                    if needText.isEmpty { return .success(table) }
                    textColumns.formUnion(needText)
                }
                preconditionFailure("a forced-text pass cannot ask for another")
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    static func readAllBytes(path: String, source: String) throws(DataError) -> [UInt8] {
        // Standard input is opened from its descriptor: the C `stdin` global is not concurrency-safe in Swift 6.
        let file: UnsafeMutablePointer<FILE>? = path == "-" ? fdopen(0, "rb") : fopen(path, "rb")
        guard let file else {
            throw .fileUnreadable(source: source, reason: String(cString: strerror(errno)))
        }
        defer { if path != "-" { fclose(file) } }
        var bytes: [UInt8] = []
        if path != "-", fseeko(file, 0, SEEK_END) == 0 {
            let size = Int(ftello(file))
            fseeko(file, 0, SEEK_SET)
            bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                count = fread(buffer.baseAddress, 1, size, file)
            }
            if ferror(file) != 0 { throw .fileUnreadable(source: source, reason: String(cString: strerror(errno))) }
            return bytes
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count { break }
        }
        if ferror(file) != 0 { throw .fileUnreadable(source: source, reason: String(cString: strerror(errno))) }
        return bytes
    }
}

/// The tokenizer and the pass over records. One value parses one byte range.
struct CSVParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let source: String
    let delimiter: UInt8
    let missing: MissingTokens
    var position: Int
    var line: Int
    /// Unescaped bytes of the current quoted field.
    let scratch = ScratchBuffer()
    /// special[b] is true for the bytes that end an unquoted field or are errors in one: the
    /// delimiter, LF, CR and the quote. One table lookup a byte instead of four comparisons.
    let special: SpecialBytes

    init(bytes: UnsafeBufferPointer<UInt8>, source: String, delimiter: UInt8, missing: MissingTokens, position: Int, line: Int) {
        self.bytes = bytes
        self.source = source
        self.delimiter = delimiter
        self.missing = missing
        self.position = position
        self.line = line
        self.special = SpecialBytes([delimiter, 0x0A, 0x0D, 0x22])
    }

    /// The most frequent of comma, semicolon and tab on the header line (outside quotes); comma on a tie.
    static func detectDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var inQuotes = false
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 { inQuotes.toggle() } else if !inQuotes {
                if b == 0x0A || b == 0x0D { break }
                if counts[b] != nil { counts[b]! += 1 }
            }
            i += 1
        }
        let best = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!
        return best.value == 0 ? 0x2C : best.key
    }

    enum FieldEnd { case field, record, file }

    /// The next field's unquoted bytes (valid until the next call) and what ended it.
    mutating func nextField(columnName: @autoclosure () -> String) throws(DataError) -> (UnsafeBufferPointer<UInt8>, FieldEnd) {
        let n = bytes.count
        let base = bytes.baseAddress!
        if position < n, base[position] == 0x22 {
            let openedOn = line
            scratch.count = 0
            position += 1
            var segmentStart = position
            while true {
                guard position < n else { throw .unterminatedQuote(source: source, line: openedOn) }
                let b = base[position]
                if b == 0x22 {
                    scratch.append(UnsafeBufferPointer(start: base + segmentStart, count: position - segmentStart))
                    if position + 1 < n, base[position + 1] == 0x22 {
                        scratch.append(CollectionOfOne(0x22)); position += 2; segmentStart = position
                        continue
                    }
                    position += 1
                    break
                }
                if b == 0x0A { line += 1 } else if b == 0x0D, position + 1 < n, base[position + 1] != 0x0A { line += 1 }
                position += 1
            }
            // Only a delimiter or a record end may follow the closing quote.
            if position < n, base[position] != delimiter, base[position] != 0x0A, base[position] != 0x0D {
                throw .unexpectedQuote(source: source, line: line, column: columnName())
            }
            return (scratch.contents, consumeTerminator())
        }
        let start = position
        let table = special.table
        while position < n, !table[Int(base[position])] { position += 1 }
        if position < n, base[position] == 0x22 { throw .unexpectedQuote(source: source, line: line, column: columnName()) }
        return (UnsafeBufferPointer(start: base + start, count: position - start), consumeTerminator())
    }

    private mutating func consumeTerminator() -> FieldEnd {
        let n = bytes.count
        guard position < n else { return .file }
        let b = bytes[position]
        position += 1
        if b == delimiter { return .field }
        if b == 0x0D, position < n, bytes[position] == 0x0A { position += 1 }
        line += 1
        return position < n ? .record : .file
    }

    /// Skips blank lines; false at the end of the input.
    mutating func skipBlankLines() -> Bool {
        let n = bytes.count
        while position < n, bytes[position] == 0x0A || bytes[position] == 0x0D {
            if bytes[position] == 0x0D, position + 1 < n, bytes[position + 1] == 0x0A { position += 1 }
            position += 1; line += 1
        }
        return position < n
    }

    /// Reads the header row; leaves `position` at the first data record.
    mutating func parseHeader() throws(DataError) -> [String] {
        guard skipBlankLines() else { throw .emptyFile(source: source) }
        var names: [String] = []
        var end = FieldEnd.field
        while end == .field {
            let index = names.count
            let (field, fieldEnd) = try nextField(columnName: "column \(index + 1) of the header")
            names.append(String(decoding: field, as: UTF8.self).trimmingSpaces())
            end = fieldEnd
        }
        try Self.checkHeader(names, source: source)
        return names
    }

    /// Parses records starting before `stop` (the last may run past it) into `builders`.
    /// Returns where parsing stopped: the start of the first record at or after `stop`.
    mutating func parseRecords(until stop: Int, into builders: inout [ColumnBuilder], lineNumbers: inout [Int32]) throws(DataError) -> Int {
        let columnCount = builders.count
        try builders.withUnsafeMutableBufferPointer { (columns: inout UnsafeMutableBufferPointer<ColumnBuilder>) throws(DataError) in
            while position < stop, skipBlankLines(), position < stop {
                let recordLine = line
                let row = lineNumbers.count
                lineNumbers.append(Int32(truncatingIfNeeded: recordLine))
                var column = 0
                var end = FieldEnd.field
                while end == .field {
                    guard column < columnCount else {
                        var found = column
                        while end == .field { (_, end) = try nextField(columnName: ""); found += 1 }
                        throw .raggedRow(source: source, line: recordLine, expected: columnCount, found: found)
                    }
                    let field: UnsafeBufferPointer<UInt8>
                    (field, end) = try nextField(columnName: columns[column].name)
                    columns[column].append(field, row: row, isMissing: missing.contains(field))
                    column += 1
                }
                if column != columnCount {
                    throw .raggedRow(source: source, line: recordLine, expected: columnCount, found: column)
                }
                if end == .file { position = bytes.count }
            }
        }
        return position
    }

    static func checkHeader(_ names: [String], source: String) throws(DataError) {
        var seen: [String: [Int]] = [:]
        for (i, name) in names.enumerated() {
            if name.isEmpty { throw .emptyColumnName(source: source, column: i + 1) }
            seen[name, default: []].append(i + 1)
        }
        if let (name, columns) = seen.filter({ $0.value.count > 1 }).min(by: { $0.value[0] < $1.value[0] }) {
            throw .duplicateColumnName(source: source, name: name, columns: columns)
        }
    }

    /// An estimate of the number of records: the data size over the mean length of the first 64
    /// lines (up to 10% more, so that the estimate is rarely short; a short one only costs growth).
    static func estimateRows(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var lines = 0, i = start
        while i < bytes.count, lines < 64 {
            if bytes[i] == 0x0A { lines += 1 }
            i += 1
        }
        guard lines > 0, i > start else { return 0 }
        let perLine = Double(i - start) / Double(lines)
        return Int(Double(bytes.count - start) / perLine * 1.1)
    }

    /// The whole file: header, then the records in `chunks` pieces parsed in parallel when the file
    /// is large. Returns the table and the columns that need a text pass.
    ///
    /// Chunk k starts after the first line break at or past its nominal offset. That guess is right
    /// unless the break sits inside a quoted field; it is accepted only if chunk k-1, parsing
    /// correctly from its own (verified) start, stops exactly where chunk k began. Otherwise, and on
    /// any error, the file is parsed again in one sequential pass, so messages name the true line.
    static func parseFile(_ bytes: UnsafeBufferPointer<UInt8>, source: String, options: CSVOptions,
                          textColumns: Set<String>, chunks requested: Int?) throws(DataError) -> (DataTable, Set<String>) {
        var bodyStart = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { bodyStart = 3 }
        let delimiter = options.delimiter ?? detectDelimiter(bytes, from: bodyStart)
        let decimalComma = delimiter != 0x2C && (options.decimalComma ?? (delimiter == 0x3B))
        let missing = MissingTokens(options.missingTokens)
        var header = CSVParser(bytes: bytes, source: source, delimiter: delimiter, missing: missing, position: bodyStart, line: 1)
        let names = try header.parseHeader()
        let dataStart = header.position, dataLine = header.line
        let size = bytes.count - dataStart
        let pieces = requested ?? (size >= 8 << 20 ? Parallel.processorCount : 1)

        // Rows expected, from the length of the first records: enough to reserve column storage.
        let expectedRows = estimateRows(bytes, from: dataStart)
        func sequential() throws(DataError) -> (DataTable, Set<String>) {
            var parser = CSVParser(bytes: bytes, source: source, delimiter: delimiter, missing: missing, position: dataStart, line: dataLine)
            var builders = names.map { ColumnBuilder(name: $0, forceText: textColumns.contains($0), decimalComma: decimalComma,
                                                     expectedRows: expectedRows) }
            var lines: [Int32] = []
            _ = try parser.parseRecords(until: bytes.count, into: &builders, lineNumbers: &lines)
            return (DataTable(source: source, columns: builders.map { $0.build() }, lineNumbers: lines),
                    Set(builders.filter(\.needsTextPass).map(\.name)))
        }
        guard pieces > 1, size > pieces * 64 else { return try sequential() }

        // Nominal boundaries moved to just after a line break.
        var starts = [dataStart]
        for k in 1..<pieces {
            var p = dataStart + size * k / pieces
            while p < bytes.count, bytes[p - 1] != 0x0A { p += 1 }
            if p > starts.last!, p < bytes.count { starts.append(p) }
        }
        let ranges = starts.indices.map { starts[$0]..<($0 + 1 < starts.count ? starts[$0 + 1] : bytes.count) }
        let shared = UncheckedBytes(bytes)
        let results = Parallel.map(ranges) { (range: Range<Int>) -> Result<(Int, [ColumnBuilder], [Int32], Int), DataError> in
            var parser = CSVParser(bytes: shared.bytes, source: source, delimiter: delimiter, missing: missing,
                                   position: range.lowerBound, line: 0)
            var builders = names.map { ColumnBuilder(name: $0, forceText: textColumns.contains($0), decimalComma: decimalComma,
                                                     expectedRows: expectedRows * range.count / max(size, 1) + 16) }
            var lines: [Int32] = []
            do throws(DataError) {
                let stopped = try parser.parseRecords(until: range.upperBound, into: &builders, lineNumbers: &lines)
                return .success((stopped, builders, lines, parser.line))
            } catch {
                return .failure(error)
            }
        }
        var pieceResults: [(Int, [ColumnBuilder], [Int32], Int)] = []
        for (k, result) in results.enumerated() {
            guard case .success(let piece) = result, piece.0 == ranges[k].upperBound || k + 1 == ranges.count else {
                return try sequential()
            }
            pieceResults.append(piece)
        }
        // Stitch: line numbers offset by the lines before each piece, builders concatenated.
        var lineNumbers: [Int32] = []
        lineNumbers.reserveCapacity(pieceResults.reduce(0) { $0 + $1.2.count })
        var lineOffset = dataLine
        for piece in pieceResults {
            lineNumbers.append(contentsOf: piece.2.map { $0 + Int32(truncatingIfNeeded: lineOffset) })
            lineOffset += piece.3
        }
        var merged = pieceResults[0].1
        for piece in pieceResults.dropFirst() {
            for c in merged.indices { merged[c].appendContents(of: piece.1[c]) }
        }
        return (DataTable(source: source, columns: merged.map { $0.build() }, lineNumbers: lineNumbers),
                Set(merged.filter(\.needsTextPass).map(\.name)))
    }
}

/// The bytes of a file shared read-only by the parsing threads.
struct UncheckedBytes: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }
}

/// Missing-value tokens, compared after stripping surrounding spaces; a table of the tokens' first
/// bytes rejects most fields (numbers) with one lookup.
struct MissingTokens: Sendable {
    let tokens: [[UInt8]]
    let firstBytes: [Bool]
    let matchesEmpty: Bool

    init(_ tokens: [String]) {
        self.tokens = tokens.map { Array($0.trimmingSpaces().utf8) }
        var first = [Bool](repeating: false, count: 256)
        for token in self.tokens where !token.isEmpty { first[Int(token[0])] = true }
        firstBytes = first
        matchesEmpty = self.tokens.contains { $0.isEmpty }
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

/// Accumulates one column's values, inferring numeric or text.
struct ColumnBuilder {
    let name: String
    private let forceText: Bool
    private var numbers: [Double] = []
    private var codes: [Int32] = []
    private var levels: [String] = []
    private var lookup: [String: Int32] = [:]
    private var numericLike = 0
    private var firstNonNumeric: (row: Int, value: String)?
    private var rows = 0
    /// Set when a numeric column meets text: this pass stops collecting it, and the reader runs a
    /// second pass with the column forced to text.
    private(set) var needsTextPass = false

    private let decimalComma: Bool

    init(name: String, forceText: Bool, decimalComma: Bool, expectedRows: Int = 0) {
        self.name = name
        self.forceText = forceText
        self.decimalComma = decimalComma
        // Reserving the expected size avoids repeated doubling (copies and fresh pages) on large files.
        if forceText { codes.reserveCapacity(expectedRows) } else { numbers.reserveCapacity(expectedRows) }
    }

    mutating func append(_ field: UnsafeBufferPointer<UInt8>, row: Int, isMissing: Bool) {
        rows += 1
        if forceText {
            appendText(field, row: row, isMissing: isMissing)
            return
        }
        if needsTextPass { return }
        if isMissing { numbers.append(.nan); return }
        if let value = NumberParser.parse(field, decimalComma: decimalComma) {
            numbers.append(value)
        } else {
            needsTextPass = true
        }
    }

    private mutating func appendText(_ field: UnsafeBufferPointer<UInt8>, row: Int, isMissing: Bool) {
        if isMissing { codes.append(-1); return }
        let text = String(decoding: field, as: UTF8.self).trimmingSpaces()
        if let code = lookup[text] {
            codes.append(code)
        } else {
            let code = Int32(levels.count)
            levels.append(text)
            lookup[text] = code
            codes.append(code)
        }
        if NumberParser.parse(field, decimalComma: decimalComma) != nil {
            numericLike += 1
        } else if firstNonNumeric == nil {
            firstNonNumeric = (row, text)
        }
    }

    /// Appends the values another piece of the same column collected (rows after this one's).
    mutating func appendContents(of other: ColumnBuilder) {
        needsTextPass = needsTextPass || other.needsTextPass
        if forceText {
            let remap = other.levels.map { level -> Int32 in
                if let code = lookup[level] { return code }
                let code = Int32(levels.count)
                levels.append(level)
                lookup[level] = code
                return code
            }
            codes.append(contentsOf: other.codes.map { $0 < 0 ? -1 : remap[Int($0)] })
            if firstNonNumeric == nil, let stray = other.firstNonNumeric { firstNonNumeric = (stray.row + rows, stray.value) }
            numericLike += other.numericLike
        } else {
            numbers.append(contentsOf: other.numbers)
        }
        rows += other.rows
    }

    func build() -> Column {
        if forceText {
            return Column(name: name, storage: .text(codes: codes, levels: levels), firstNonNumeric: firstNonNumeric, numericLikeCount: numericLike)
        }
        return Column(name: name, storage: .numeric(numbers))
    }
}

extension String {
    /// The string without leading and trailing spaces (field values, header names, option lists).
    public func trimmingSpaces() -> String {
        guard first == " " || last == " " else { return self }
        return String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
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

/// A 256-entry membership table for bytes, owned for the parser's lifetime.
final class SpecialBytes {
    let table: UnsafeMutablePointer<Bool>

    init(_ bytes: [UInt8]) {
        table = .allocate(capacity: 256)
        table.initialize(repeating: false, count: 256)
        for b in bytes { table[Int(b)] = true }
    }

    deinit { table.deallocate() }
}

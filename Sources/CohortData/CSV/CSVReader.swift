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
        do {
            return try bytes.withUnsafeBufferPointer { buffer in
                var parser = try CSVParser(bytes: buffer, source: source, options: options)
                var table = try parser.parse(textColumns: options.textColumns)
                if !parser.columnsNeedingText.isEmpty {
                    // Second pass: only when some column mixed numbers and text.
                    var again = try CSVParser(bytes: buffer, source: source, options: options)
                    table = try again.parse(textColumns: options.textColumns.union(parser.columnsNeedingText))
                }
                return table
            }
        } catch let error as DataError {
            throw error
        } catch {
            throw .fileUnreadable(source: source, reason: "\(error)")
        }
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

/// One pass over the bytes. Kept separate from ``CSVReader`` so that a second pass is a new value.
struct CSVParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let source: String
    let delimiter: UInt8
    let missing: [[UInt8]]
    var position: Int
    var line: Int = 1
    var scratch: [UInt8] = []
    private(set) var columnsNeedingText: Set<String> = []

    init(bytes: UnsafeBufferPointer<UInt8>, source: String, options: CSVOptions) throws(DataError) {
        self.bytes = bytes
        self.source = source
        self.missing = options.missingTokens.map { Array($0.utf8) }
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        self.position = start
        self.delimiter = options.delimiter ?? CSVParser.detectDelimiter(bytes, from: start)
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

    /// Reads one field starting at `position`; calls `body` with its unquoted bytes.
    mutating func nextField<R>(columnName: () -> String, _ body: (UnsafeBufferPointer<UInt8>) -> R) throws(DataError) -> (R, FieldEnd) {
        let n = bytes.count
        if position < n, bytes[position] == 0x22 {
            let openedOn = line
            scratch.removeAll(keepingCapacity: true)
            position += 1
            var segmentStart = position
            while true {
                guard position < n else { throw .unterminatedQuote(source: source, line: openedOn) }
                let b = bytes[position]
                if b == 0x22 {
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart..<position]))
                    if position + 1 < n, bytes[position + 1] == 0x22 {
                        scratch.append(0x22); position += 2; segmentStart = position
                        continue
                    }
                    position += 1
                    break
                }
                if b == 0x0A { line += 1 } else if b == 0x0D, position + 1 < n, bytes[position + 1] != 0x0A { line += 1 }
                position += 1
            }
            let value = scratch.withUnsafeBufferPointer { body($0) }
            // Only a delimiter or a record end may follow the closing quote.
            if position < n, bytes[position] != delimiter, bytes[position] != 0x0A, bytes[position] != 0x0D {
                throw .unexpectedQuote(source: source, line: line, column: columnName())
            }
            return (value, consumeTerminator())
        }
        let start = position
        while position < n {
            let b = bytes[position]
            if b == delimiter || b == 0x0A || b == 0x0D { break }
            if b == 0x22 { throw .unexpectedQuote(source: source, line: line, column: columnName()) }
            position += 1
        }
        let value = body(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        return (value, consumeTerminator())
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

    /// Skips blank lines; false at end of input.
    private mutating func skipBlankLines() -> Bool {
        let n = bytes.count
        while position < n, bytes[position] == 0x0A || bytes[position] == 0x0D {
            if bytes[position] == 0x0D, position + 1 < n, bytes[position + 1] == 0x0A { position += 1 }
            position += 1; line += 1
        }
        return position < n
    }

    mutating func parse(textColumns: Set<String>) throws(DataError) -> DataTable {
        guard skipBlankLines() else { throw .emptyFile(source: source) }
        var names: [String] = []
        var end = FieldEnd.field
        while end == .field {
            let index = names.count
            let (name, fieldEnd) = try nextField(columnName: { "column \(index + 1) of the header" }) { String(decoding: $0, as: UTF8.self) }
            names.append(name.trimmingSpaces())
            end = fieldEnd
        }
        try Self.checkHeader(names, source: source)

        let builders = names.map { ColumnBuilder(name: $0, forceText: textColumns.contains($0)) }
        var lineNumbers: [Int32] = []
        let missing = self.missing
        while end != .file, skipBlankLines() {
            let recordLine = line
            let row = lineNumbers.count
            lineNumbers.append(Int32(truncatingIfNeeded: recordLine))
            var column = 0
            end = .field
            while end == .field {
                guard column < builders.count else {
                    var found = column
                    while end == .field { (_, end) = try nextField(columnName: { "" }) { _ in () }; found += 1 }
                    throw .raggedRow(source: source, line: recordLine, expected: builders.count, found: found)
                }
                let builder = builders[column]
                (_, end) = try nextField(columnName: { builder.name }) { field in
                    builder.append(field, row: row, isMissing: CSVParser.isMissing(field, tokens: missing))
                }
                column += 1
            }
            if column != builders.count {
                throw .raggedRow(source: source, line: recordLine, expected: builders.count, found: column)
            }
        }
        columnsNeedingText = Set(builders.filter(\.needsTextPass).map(\.name))
        return DataTable(source: source, columns: builders.map { $0.build() }, lineNumbers: lineNumbers)
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

    static func isMissing(_ field: UnsafeBufferPointer<UInt8>, tokens: [[UInt8]]) -> Bool {
        var start = 0, end = field.count
        while start < end, field[start] == 0x20 { start += 1 }
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
final class ColumnBuilder {
    let name: String
    private let forceText: Bool
    private var numbers: [Double] = []
    private var codes: [Int32] = []
    private var levels: [String] = []
    private var lookup: [String: Int32] = [:]
    private var numericLike = 0
    private var firstNonNumeric: (row: Int, value: String)?
    /// Set when a numeric column meets text: this pass stops collecting it, and the reader runs a
    /// second pass with the column forced to text.
    private(set) var needsTextPass = false

    init(name: String, forceText: Bool) {
        self.name = name
        self.forceText = forceText
    }

    func append(_ field: UnsafeBufferPointer<UInt8>, row: Int, isMissing: Bool) {
        if forceText {
            appendText(field, row: row, isMissing: isMissing)
            return
        }
        if needsTextPass { return }
        if isMissing { numbers.append(.nan); return }
        if let value = NumberParser.parse(field) {
            numbers.append(value)
        } else {
            needsTextPass = true
        }
    }

    private func appendText(_ field: UnsafeBufferPointer<UInt8>, row: Int, isMissing: Bool) {
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
        if NumberParser.parse(field) != nil {
            numericLike += 1
        } else if firstNonNumeric == nil {
            firstNonNumeric = (row, text)
        }
    }

    func build() -> Column {
        if forceText {
            return Column(name: name, storage: .text(codes: codes, levels: levels), firstNonNumeric: firstNonNumeric, numericLikeCount: numericLike)
        }
        return Column(name: name, storage: .numeric(numbers))
    }
}

extension String {
    func trimmingSpaces() -> String {
        guard first == " " || last == " " else { return self }
        return String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

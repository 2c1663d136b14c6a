#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads RFC 4180 delimited text into a ``DataTable``.
///
/// A byte-level reader: the well-kept Swift CSV packages parse at 13-18 MB/s on this project's
/// machines, an order of magnitude slower than pandas, so the tokenizer works on raw UTF-8 bytes,
/// converts numbers without creating strings, and keeps each distinct text value once, as bytes.
///
/// - Quoted fields may hold delimiters, doubled quotes and line breaks; LF, CRLF and lone CR end records.
/// - A UTF-8 byte-order mark is skipped. Blank lines are skipped (as R and pandas do).
/// - Column types are inferred: a column whose non-missing values all parse as numbers is numeric,
///   anything else is text (stored as level codes). The types are guessed from samples of the file
///   (its start and seven evenly spaced places); a number column that meets text later is read again
///   as text in a second pass, so the common case costs one pass.
/// - Every problem is collected, not just the first: ragged rows, stray or unclosed quotes, text
///   that is not UTF-8. A record with a problem is left out of the table.
/// - Large files are parsed in pieces in parallel; the result does not depend on how many.
public enum CSVReader {
    /// Reads `path` (`-`: standard input), throwing the first problem the file has.
    public static func read(path: String, options: CSVOptions = CSVOptions()) throws(DataError) -> DataTable {
        try readReportingProblems(path: path, options: options).tableWithoutProblems()
    }

    /// Reads `path` (`-`: standard input) and every problem in it. Throws only when there is no
    /// table to speak of: an unreadable or empty file, or a header without unique names.
    public static func readReportingProblems(path: String, options: CSVOptions = CSVOptions()) throws(DataError) -> CSVReadResult {
        let source = path == "-" ? "<stdin>" : path
        return try read(input: InputBytes(path: path, source: source), source: source, options: options, chunks: nil)
    }

    public static func read(bytes: [UInt8], source: String, options: CSVOptions = CSVOptions()) throws(DataError) -> DataTable {
        try read(input: InputBytes(copying: bytes), source: source, options: options, chunks: nil).tableWithoutProblems()
    }

    public static func readReportingProblems(bytes: [UInt8], source: String, options: CSVOptions = CSVOptions()) throws(DataError) -> CSVReadResult {
        try read(input: InputBytes(copying: bytes), source: source, options: options, chunks: nil)
    }

    static func read(bytes: [UInt8], source: String, options: CSVOptions, chunks: Int?) throws(DataError) -> DataTable {
        try read(input: InputBytes(copying: bytes), source: source, options: options, chunks: chunks).tableWithoutProblems()
    }

    /// - Parameter chunks: how many pieces to parse in parallel; nil chooses from the size and the
    ///   cores (tests force small inputs through the parallel path with it).
    static func read(input: InputBytes, source: String, options: CSVOptions, chunks: Int?) throws(DataError) -> CSVReadResult {
        let bytes = input.buffer
        var bodyStart = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { bodyStart = 3 }
        let delimiter = options.delimiter ?? CSVParser.detectDelimiter(bytes, from: bodyStart)
        let layout = FileLayout(
            input: input, source: source, delimiter: delimiter,
            decimalComma: delimiter != 0x2C && (options.decimalComma ?? (delimiter == 0x3B)),
            missing: MissingTokens(options.missingTokens))
        var header = layout.parser(from: bodyStart, columnNames: [])
        header.line = 1
        let names = try header.parseHeader()
        let body = FileBody(layout: layout, names: names, start: header.position, startLine: header.line)

        var kinds = body.sampleKinds(forcedText: options.textColumns)
        for _ in 0..<2 {
            let pass = body.parse(kinds: kinds, chunks: chunks)
            let metText = (0..<names.count).filter { c in pass.pieces.contains { $0.metText[c] } }
            if metText.isEmpty { return body.build(pass) }
            // A column taken for numbers met text: read it again as text.
            for c in metText { kinds[c] = .text }
        }
        preconditionFailure("a pass with the text columns known cannot find another")
    }
}

/// A table and the problems met while reading it.
public struct CSVReadResult: Sendable {
    /// The records that had no problem.
    public let table: DataTable
    /// Problems in line order, at most ``CSVParser/problemLimit`` of them.
    public let problems: [DataError]
    /// How many problems there were beyond those listed.
    public let problemsOmitted: Int
    /// Whether `,` was read as the decimal mark (asked for, or decided from the delimiter): a
    /// codebook that declares a text-read column numeric parses its values the same way.
    public let decimalComma: Bool

    public func tableWithoutProblems() throws(DataError) -> DataTable {
        if let first = problems.first { throw first }
        return table
    }
}

/// What every parser of one input shares.
struct FileLayout {
    let input: InputBytes
    let source: String
    let delimiter: UInt8
    let decimalComma: Bool
    let missing: MissingTokens

    func parser(from position: Int, columnNames: [String]) -> CSVParser {
        CSVParser(bytes: input.buffer, source: source, columnNames: columnNames, delimiter: delimiter,
                  decimalComma: decimalComma, missing: missing, position: position, line: 0)
    }
}

/// The records after the header, and the passes over them.
struct FileBody {
    let layout: FileLayout
    let names: [String]
    let start: Int
    let startLine: Int

    var bytes: UnsafeBufferPointer<UInt8> { layout.input.buffer }
    var size: Int { bytes.count - start }

    struct Pass {
        let pieces: [ColumnSinks]
        /// The line each piece started on.
        let firstLines: [Int]
        let problems: [DataError]
        let problemsOmitted: Int
        let kinds: [FieldKind]
    }

    /// Column kinds from samples: the first 128 KiB of records and 16 KiB at each of seven evenly
    /// spaced places (a sample that starts inside a quoted field and stumbles is ignored).
    func sampleKinds(forcedText: Set<String>) -> [FieldKind] {
        var kinds = names.map { forcedText.contains($0) ? FieldKind.text : .number }
        for k in 0..<8 {
            guard let from = k == 0 ? start : recordStart(near: start + size * k / 8) else { continue }
            let sinks = ColumnSinks(kinds: Array(repeating: .number, count: names.count), expectedRows: 1024)
            var parser = layout.parser(from: from, columnNames: names)
            _ = parser.parseRecords(until: min(bytes.count, from + (k == 0 ? 128 << 10 : 16 << 10)), into: sinks)
            if k > 0, !parser.problems.isEmpty { continue }
            for c in names.indices where sinks.metText[c] { kinds[c] = .text }
            // The first sample read the whole file (a small one): the others could only guess worse.
            if k == 0, parser.position >= bytes.count { break }
        }
        return kinds
    }

    /// A likely record start at or after `position`: the first line start from which eight records
    /// parse cleanly with the header's number of fields (a line break inside a quoted field rarely
    /// passes), trying up to 64 line starts; nil if none does.
    private func recordStart(near position: Int) -> Int? {
        var p = max(position, start + 1)
        for _ in 0..<64 {
            while p < bytes.count, bytes[p - 1] != 0x0A { p += 1 }
            guard p < bytes.count else { return nil }
            let sinks = ColumnSinks(kinds: Array(repeating: .text, count: names.count), expectedRows: 8)
            var parser = layout.parser(from: p, columnNames: names)
            var stop = p
            for _ in 0..<8 { while stop < bytes.count, bytes[stop] != 0x0A { stop += 1 }; stop += 1 }
            _ = parser.parseRecords(until: min(stop, bytes.count), into: sinks)
            if parser.problems.isEmpty { return p }
            p += 1
        }
        return nil
    }

    /// One pass with the given kinds: in pieces when the file is large, accepted only if every
    /// piece began where its predecessor, parsing correctly from its own verified start, stopped,
    /// and no piece met a problem. Otherwise one sequential pass, whose messages name true lines.
    ///
    /// A piece starts after the first line break at or past its nominal offset. That guess is
    /// right unless the break sits inside a quoted field, which the check above catches.
    func parse(kinds: [FieldKind], chunks requested: Int?) -> Pass {
        let pieceCount = requested ?? (size >= 8 << 20 ? Parallel.workerLimit : 1)
        let expectedRows = estimateRows()
        if pieceCount > 1, size > pieceCount * 64 {
            var starts = [start]
            for k in 1..<pieceCount {
                if let p = recordStart(near: start + size * k / pieceCount), p > starts.last! { starts.append(p) }
            }
            let ranges = starts.indices.map { starts[$0]..<($0 + 1 < starts.count ? starts[$0 + 1] : bytes.count) }
            let results = Parallel.map(ranges) { range -> (ColumnSinks, CSVParser) in
                let sinks = ColumnSinks(kinds: kinds, expectedRows: expectedRows * range.count / max(size, 1) + 16)
                var parser = layout.parser(from: range.lowerBound, columnNames: names)
                parser.releaser = layout.input
                _ = parser.parseRecords(until: range.upperBound, into: sinks)
                return (sinks, parser)
            }
            let joined = results.indices.allSatisfy { k in
                results[k].1.problems.isEmpty && (k + 1 == ranges.count || results[k].1.position == ranges[k].upperBound)
            }
            if joined {
                var firstLines = [startLine]
                for result in results.dropLast() { firstLines.append(firstLines.last! + result.1.line) }
                return Pass(pieces: results.map(\.0), firstLines: firstLines, problems: [], problemsOmitted: 0, kinds: kinds)
            }
        }
        let sinks = ColumnSinks(kinds: kinds, expectedRows: expectedRows)
        var parser = layout.parser(from: start, columnNames: names)
        parser.line = startLine
        parser.releaser = layout.input
        _ = parser.parseRecords(until: bytes.count, into: sinks)
        return Pass(pieces: [sinks], firstLines: [0], problems: parser.problems, problemsOmitted: parser.problemsOmitted, kinds: kinds)
    }

    /// An estimate of the number of records: the data size over the mean length of the first 64
    /// lines (up to 10% more, so that the estimate is rarely short; a short one only costs growth).
    private func estimateRows() -> Int {
        var lines = 0, i = start
        while i < bytes.count, lines < 64 {
            if bytes[i] == 0x0A { lines += 1 }
            i += 1
        }
        guard lines > 0, i > start else { return 16 }
        let perLine = Double(i - start) / Double(lines)
        return Int(Double(size) / perLine * 1.1) + 16
    }

    /// The pieces joined into columns, one column at a time, each piece's buffer freed as soon as it
    /// is copied (so the peak is the table plus one column).
    func build(_ pass: Pass) -> CSVReadResult {
        let rowOffsets = pass.pieces.reduce(into: [0]) { $0.append($0.last! + $1.rowCount) }
        let total = rowOffsets.last!
        var problems = pass.problems
        let lineNumbers = [Int32](unsafeUninitializedCapacity: total) { buffer, initialized in
            for (k, piece) in pass.pieces.enumerated() {
                let offset = Int32(truncatingIfNeeded: pass.firstLines[k])
                for r in 0..<piece.rowCount { buffer[rowOffsets[k] + r] = piece.lines[r] &+ offset }
            }
            initialized = total
        }
        for piece in pass.pieces { piece.releaseLines() }
        // Two lanes: text columns (the slow ones, most levels first) beside number columns, each
        // lane one column at a time, so at most two joins hold a column twice at once.
        let textColumns = names.indices.filter { pass.kinds[$0] == .text }
            .sorted { levelCount($0, pass) > levelCount($1, pass) }
        let numberColumns = names.indices.filter { pass.kinds[$0] == .number }
        let lanes = [textColumns, numberColumns].filter { !$0.isEmpty }
        let built = Parallel.map(lanes.indices.map { $0..<($0 + 1) }) { lane in
            lanes[lane.lowerBound].map { c in (c, buildColumn(c, pass: pass, rowOffsets: rowOffsets, lineNumbers: lineNumbers)) }
        }
        var columns = [Column?](repeating: nil, count: names.count)
        var columnProblems = [[DataError]](repeating: [], count: names.count)
        for (c, (column, problemsOfColumn)) in built.joined() {
            columns[c] = column
            columnProblems[c] = problemsOfColumn
        }
        // In line order, and on one line in column order: the lanes' order depends on the pieces'
        // level counts, so it must not decide the order of the messages.
        problems += columnProblems.joined()
        problems = problems.enumerated().sorted { a, b in (a.element.line ?? 0, a.offset) < (b.element.line ?? 0, b.offset) }.map(\.element)
        let table = DataTable(source: layout.source, columns: columns.map { $0! }, lineNumbers: lineNumbers)
        return CSVReadResult(table: table, problems: problems, problemsOmitted: pass.problemsOmitted, decimalComma: layout.decimalComma)
    }

    private func levelCount(_ c: Int, _ pass: Pass) -> Int { pass.pieces.reduce(0) { $0 + $1.interners[c].count } }

    /// Column `c` joined from the pieces; each piece's buffer is freed as soon as it is copied.
    private func buildColumn(_ c: Int, pass: Pass, rowOffsets: [Int], lineNumbers: [Int32]) -> (Column, [DataError]) {
        let total = rowOffsets.last!
        let name = names[c]
        if pass.kinds[c] == .number {
            let values = [Double](unsafeUninitializedCapacity: total) { buffer, initialized in
                for (k, piece) in pass.pieces.enumerated() {
                    (buffer.baseAddress! + rowOffsets[k]).update(from: piece.numbers[c]!, count: piece.rowCount)
                    piece.releaseColumn(c)
                }
                initialized = total
            }
            return (Column(name: name, storage: .numeric(values)), [])
        }
        // A later piece's levels are looked up, never inserted, in each earlier piece's table; a
        // level found in none takes the next code. A piece's own levels are distinct, so no table
        // grows while the pieces are joined, and the last piece's index is never needed. The
        // pieces' byte arenas then become the column's levels as they are, without a copy.
        pass.pieces.last!.interners[c].dropIndex()
        var facts = LevelFacts(decimalComma: layout.decimalComma)
        var remaps: [[Int32]] = []
        var newLevels: [[Int32]?] = []
        let codes = [Int32](unsafeUninitializedCapacity: total) { buffer, initialized in
            for (k, piece) in pass.pieces.enumerated() {
                let own = piece.interners[c]
                let target = buffer.baseAddress! + rowOffsets[k]
                let source = piece.codes[c]!
                if k == 0 {
                    // The first piece's levels are the first levels, in order.
                    for level in 0..<own.count { facts.classify(own.bytes(ofLevel: level)) }
                    remaps.append([])
                    newLevels.append(nil)
                    target.update(from: source, count: piece.rowCount)
                } else {
                    var remap = [Int32](repeating: -1, count: own.count)
                    var fresh: [Int32] = []
                    for level in 0..<own.count {
                        let bytes = own.bytes(ofLevel: level)
                        let hash = UInt32(truncatingIfNeeded: LevelInterner.hash(bytes))
                        for j in 0..<k {
                            if let earlier = pass.pieces[j].interners[c].lookup(bytes, hash: hash) {
                                remap[level] = j == 0 ? earlier : remaps[j][Int(earlier)]
                                break
                            }
                        }
                        if remap[level] < 0 {
                            remap[level] = Int32(facts.count)
                            fresh.append(Int32(level))
                            facts.classify(bytes)
                        }
                    }
                    remaps.append(remap)
                    newLevels.append(fresh)
                    for r in 0..<piece.rowCount { target[r] = source[r] < 0 ? -1 : remap[Int(source[r])] }
                }
                piece.releaseColumn(c)
            }
            initialized = total
        }
        var segments: [LevelBytes.Segment] = []
        var firstLevel = 0
        for (k, piece) in pass.pieces.enumerated() {
            let held = newLevels[k]?.count ?? piece.interners[c].count
            let (arena, starts) = piece.interners[c].takeBytes()
            segments.append(LevelBytes.Segment(arena: arena, starts: starts, newLevels: newLevels[k], firstLevel: firstLevel))
            firstLevel += held
            piece.releaseLevels(c)
        }
        let levels = TextLevels(bytes: LevelBytes(segments: segments, count: facts.count))
        var problems: [DataError] = []
        let column = textColumn(name: name, codes: codes, levels: levels, facts: facts, lineNumbers: lineNumbers, problems: &problems)
        return (column, problems)
    }

    /// A text column with the levels no kept row holds taken out (a record dropped for a problem
    /// may have added some), its invalid UTF-8 reported at the first row holding it, and what the
    /// model builder needs to know about stray numbers.
    private func textColumn(name: String, codes: [Int32], levels: TextLevels, facts: LevelFacts, lineNumbers: [Int32],
                            problems: inout [DataError]) -> Column {
        var firstRow = [Int](repeating: -1, count: levels.count)
        for (row, code) in codes.enumerated() where code >= 0 && firstRow[Int(code)] < 0 { firstRow[Int(code)] = row }
        var codes = codes
        var levels = levels
        var isNumber = facts.isNumber
        if firstRow.contains(-1) {
            let kept = firstRow.indices.filter { firstRow[$0] >= 0 }
            var remap = [Int32](repeating: -1, count: levels.count)
            for (new, old) in kept.enumerated() { remap[old] = Int32(new) }
            for r in codes.indices where codes[r] >= 0 { codes[r] = remap[Int(codes[r])] }
            levels = TextLevels(kept.map { levels[$0] })
            isNumber = kept.map { isNumber[$0] }
        }
        for level in facts.invalidUTF8 where firstRow[level] >= 0 {
            problems.append(.invalidUTF8(source: layout.source, line: Int(lineNumbers[firstRow[level]]), column: name))
        }
        var numericLike = 0
        var firstNonNumeric: (row: Int, value: String)?
        for (row, code) in codes.enumerated() where code >= 0 {
            if isNumber[Int(code)] {
                numericLike += 1
            } else if firstNonNumeric == nil {
                firstNonNumeric = (row, levels[Int(code)])
            }
        }
        return Column(name: name, storage: .text(codes: codes, levels: levels),
                      firstNonNumeric: firstNonNumeric, numericLikeCount: numericLike)
    }
}

/// What each level of a text column is, found once a distinct value as the pieces are joined: a
/// number or not, valid UTF-8 or not.
struct LevelFacts {
    let decimalComma: Bool
    private(set) var isNumber: [Bool] = []
    /// Levels whose bytes are not UTF-8 (shown with replacement characters; reported).
    private(set) var invalidUTF8: [Int] = []

    init(decimalComma: Bool) { self.decimalComma = decimalComma }

    var count: Int { isNumber.count }

    mutating func classify(_ bytes: UnsafeBufferPointer<UInt8>) {
        if !bytes.allSatisfy({ $0 < 0x80 }), String(validating: bytes, as: UTF8.self) == nil { invalidUTF8.append(count) }
        isNumber.append(NumberParser.parse(bytes, decimalComma: decimalComma) != nil)
    }
}


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
        if let converted = try SpreadsheetInput.csv(path: path, options: options) {
            var options = options
            // The conversion writes commas and numbers with a decimal point.
            options.delimiter = 0x2C
            options.decimalComma = false
            return try read(input: converted.input, source: converted.source, options: options, chunks: nil)
        }
        let source = path == "-" ? "<stdin>" : path
        let input = try InputBytes(path: path, source: source, maxRecordBytes: options.maxRecordBytes, maxStreamBytes: options.maxStreamBytes)
        return try read(input: input, source: source, options: options, chunks: nil)
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
        let delimiter = options.delimiter ?? CSVParser.detectDelimiter(bytes, from: bodyStart, limit: options.maxRecordBytes)
        let layout = FileLayout(
            input: input, source: source, delimiter: delimiter,
            decimalComma: delimiter != 0x2C && (options.decimalComma ?? (delimiter == 0x3B)),
            missing: MissingTokens(options.missingTokens), limits: (options.maxFieldBytes, options.maxRecordBytes),
            compactNumbers: options.compactNumbers)
        var header = layout.parser(from: bodyStart, columnNames: [])
        header.line = 1
        let names = try header.parseHeader(renaming: options.headerNames)
        let body = FileBody(layout: layout, names: names, start: header.position, startLine: header.line)

        var kinds = body.sampleKinds(forcedText: options.textColumns)
        for _ in 0..<2 {
            let pass = body.parse(kinds: kinds, chunks: chunks)
            let metText = (0..<names.count).filter { c in pass.pieces.contains { $0.metText[c] } }
            if metText.isEmpty { return body.build(pass, forcedText: options.textColumns) }
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
    /// With ``CSVOptions/compactNumbers``: each number column's values (its column in ``table`` holds
    /// none); otherwise empty.
    public internal(set) var compactNumbers: [CompactNumbers?] = []
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
    /// The longest field and record, in bytes (``CSVOptions/maxFieldBytes``, ``CSVOptions/maxRecordBytes``).
    let limits: (field: Int, record: Int)
    /// ``CSVOptions/compactNumbers``.
    let compactNumbers: Bool

    func parser(from position: Int, columnNames: [String]) -> CSVParser {
        CSVParser(bytes: input.buffer, source: source, columnNames: columnNames, delimiter: delimiter,
                  decimalComma: decimalComma, missing: missing, limits: limits, position: position, line: 0)
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
    /// spaced places (a sample that starts inside a quoted field and stumbles is ignored). Only a
    /// first guess, which saves a pass when right: a column guessed numeric that meets text is read
    /// again, and one guessed text whose values all turn out numbers is made numeric when built.
    func sampleKinds(forcedText: Set<String>) -> [FieldKind] {
        var kinds = names.map { forcedText.contains($0) ? FieldKind.text : .number }
        // One set of sinks for every sample, 16 rows to begin with, grown as needed: a buffer a
        // column, so sinks a sample sized for 1024 rows cost 8 KiB a column each time (2.4 GB for
        // a file of 300,000 columns; issue 12).
        let sinks = ColumnSinks(kinds: Array(repeating: .number, count: names.count), expectedRows: 16)
        for k in 0..<8 {
            guard let from = k == 0 ? start : recordStart(near: start + size * k / 8) else { continue }
            sinks.reset()
            var parser = layout.parser(from: from, columnNames: names)
            _ = parser.parseRecords(until: min(bytes.count, from + (k == 0 ? 128 << 10 : 16 << 10)), into: sinks)
            if k > 0, !parser.problems.isEmpty { continue }
            for c in names.indices where sinks.metText[c] { kinds[c] = .text }
            // The first sample read the whole file (a small one), or stopped at a limit: the
            // others could only guess worse, or scan what the limit is there to spare.
            if k == 0, parser.position >= bytes.count { break }
        }
        // The samples' pages are read again by the pass, in order; until then they would only
        // add to the peak (megabytes a sample when records are long).
        layout.input.releasePages(start..<bytes.count)
        return kinds
    }

    /// How far past a nominal offset a record start is looked for: a sample or a piece boundary is
    /// a guess, and one in the middle of an over-long line is not worth scanning gigabytes for.
    private var searchWindow: Int { min(layout.limits.record, 4 << 20) }

    /// A likely record start at or after `position`: the first line start from which eight records
    /// parse cleanly with the header's number of fields (a line break inside a quoted field rarely
    /// passes), trying up to 64 line starts within ``searchWindow``; nil if none does.
    func recordStart(near position: Int) -> Int? {
        var p = max(position, start + 1)
        let end = min(bytes.count, p + searchWindow)
        for _ in 0..<64 {
            while p < end, bytes[p - 1] != 0x0A { p += 1 }
            guard p < end else { return nil }
            var parser = layout.parser(from: p, columnNames: names)
            if parser.recordsAreWhole(8, columnCount: names.count) { return p }
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
        // Compact numbers: pieces of about 4 MiB (issue 15; they were sized when each piece's doubles
        // were compacted after parsing it; the parser now writes words, and the size was kept).
        let pieceCount = requested ?? (size >= 8 << 20 ? max(Parallel.workerLimit, layout.compactNumbers ? size >> 22 : 1) : 1)
        let expectedRows = estimateRows()
        if pieceCount > 1, size > pieceCount * 64 {
            var starts = [start]
            for k in 1..<pieceCount {
                if let p = recordStart(near: start + size * k / pieceCount), p > starts.last! { starts.append(p) }
            }
            let ranges = starts.indices.map { starts[$0]..<($0 + 1 < starts.count ? starts[$0 + 1] : bytes.count) }
            let results = Parallel.map(ranges) { range -> (ColumnSinks, CSVParser) in
                let sinks = ColumnSinks(kinds: kinds, expectedRows: expectedRows * range.count / max(size, 1) + 16, compact: layout.compactNumbers)
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
        let sinks = ColumnSinks(kinds: kinds, expectedRows: expectedRows, compact: layout.compactNumbers)
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
        // At most 1 MiB: the first line may be over the record limit (an error the pass reports).
        let end = min(bytes.count, start + (1 << 20))
        while i < end, lines < 64 {
            if bytes[i] == 0x0A { lines += 1 }
            i += 1
        }
        guard lines > 0, i > start else { return 16 }
        let perLine = Double(i - start) / Double(lines)
        return Int(Double(size) / perLine * 1.1) + 16
    }
}

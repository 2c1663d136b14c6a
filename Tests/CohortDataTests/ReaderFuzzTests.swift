@testable import CohortData
import CohortTestSupport
import Foundation
import XCTest

/// Property test of the reader on random and mutated input: whatever the bytes, it returns a table
/// and its problems, or throws one of the header errors; never crashes; reads the same in parallel
/// pieces as in one pass; and agrees with a small reference model of its documented rules
/// (``ReferenceCSV``) on every record kept, every record dropped and every line named.
///
/// Deterministic: one SplitMix64 stream (``SeededGenerator``) from ``seed``; a failure message
/// names the iteration and the input's bytes, so a case can be replayed. For a longer search,
/// `COHORTKIT_FUZZ_SEED` and `COHORTKIT_FUZZ_ITERATIONS` override the two (the suite runs the
/// defaults: about 7 s in a debug build).
final class ReaderFuzzTests: XCTestCase {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["COHORTKIT_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_240_611
    static let iterations = ProcessInfo.processInfo.environment["COHORTKIT_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 2_000
    /// Every this many iterations the input also goes through ``CohortLoader`` with a codebook.
    static let loaderEvery = 20

    static let source = "fuzz.csv"

    func testRandomAndMutatedInputsMatchTheReferenceModel() throws {
        var generator = SeededGenerator(seed: Self.seed)
        let seeds = fixtureSeeds()
        XCTAssertGreaterThan(seeds.count, 20, "the corpus and CLI fixtures seed the mutations")
        let folder = NSTemporaryDirectory() + "cohortkit-fuzz-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let codebooks = try writeCodebooks(in: folder)
        var failures = 0
        for iteration in 0..<Self.iterations where failures < 5 {
            var bytes: [UInt8]
            switch iteration % 4 {
            case 0: bytes = Self.generatedCSV(&generator)
            case 1: bytes = seeds.randomElement(using: &generator)!; Self.mutate(&bytes, times: Int.random(in: 1...8, using: &generator), &generator)
            case 2: bytes = Self.generatedCSV(&generator); Self.mutate(&bytes, times: Int.random(in: 1...8, using: &generator), &generator)
            default: bytes = (0..<Int.random(in: 0...200, using: &generator)).map { _ in Self.interesting.randomElement(using: &generator)! }
            }
            var options = CSVOptions()
            if Int.random(in: 0..<4, using: &generator) == 0 {
                options.delimiter = [0x2C, 0x3B, 0x09, 0x7C, 0x2E, 0x2D, 0x35].randomElement(using: &generator)!
            }
            if Int.random(in: 0..<4, using: &generator) == 0 { options.missingTokens = ["", "NA", "-99", "1.5", "x y"] }
            if Int.random(in: 0..<6, using: &generator) == 0 { options.decimalComma = Bool.random(using: &generator) }
            let before = testRun?.failureCount ?? 0
            check(bytes, options: options, iteration: iteration)
            if iteration % Self.loaderEvery == 0 {
                checkLoader(bytes, folder: folder, codebook: codebooks[iteration / Self.loaderEvery % codebooks.count], iteration: iteration)
            }
            if (testRun?.failureCount ?? 0) > before { failures += 1 }
        }
    }

    // MARK: The properties

    func check(_ bytes: [UInt8], options: CSVOptions, iteration: Int) {
        // Built only for a failure message (the input's bytes make a long string).
        let context = { "iteration \(iteration), options \(self.describe(options)), input \(bytes)" }
        let model = ReferenceCSV(bytes: bytes, options: options, source: Self.source)
        let lineCount = ReferenceCSV.lineCount(bytes)
        let public1 = Result { () throws(DataError) in try CSVReader.readReportingProblems(bytes: bytes, source: Self.source, options: options) }
        let one = read(bytes, options, chunks: 1)
        let three = read(bytes, options, chunks: 3)
        switch (model.outcome, public1) {
        case (.failure(let expected), .failure(let error)):
            // No table to speak of: the error is the model's, on a line of the file.
            XCTAssertEqual(error, expected, context())
            if let line = error.line { XCTAssertTrue((1...lineCount).contains(line), "line \(line) of \(lineCount): \(context())") }
        case (.success(let expected), .success(let result)):
            let table = result.table
            XCTAssertEqual(table.columnNames, expected.names, context())
            XCTAssertTrue(table.columns.allSatisfy { $0.count == table.rowCount }, "ragged table: \(context())")
            XCTAssertEqual(table.lineNumbers.map(Int.init), expected.kept.map(\.line), "rows kept: \(context())")
            XCTAssertEqual(result.problemsOmitted, 0, context())
            XCTAssertEqual(ordered(result.problems), ordered(expected.problems(invalidUTF8In: table.columnNames.indices)), "problems: \(context())")
            XCTAssertEqual(result.problems.map { $0.line ?? 0 }, result.problems.map { $0.line ?? 0 }.sorted(), "problems in line order: \(context())")
            for problem in result.problems {
                XCTAssertTrue((1...lineCount).contains(problem.line ?? 0), "\(problem) is beyond the file's \(lineCount) lines: \(context())")
            }
            // Every record is kept or dropped with exactly one problem naming its line.
            let dropping = result.problems.filter { if case .invalidUTF8 = $0 { false } else { true } }
            XCTAssertEqual(table.rowCount + dropping.count, expected.records, "rows + dropped records: \(context())")
            checkValues(table, expected, options: options, context: context())
            // Every column read as text gives the same records and the same field texts.
            var allText = options
            allText.textColumns = Set(expected.names)
            if case .success(let text) = read(bytes, allText, chunks: nil) {
                XCTAssertEqual(text.table.lineNumbers, table.lineNumbers, "as text: \(context())")
                checkValues(text.table, expected, options: allText, context: "as text: " + context())
            } else {
                XCTFail("reading as text failed where reading with inferred types did not: \(context())")
            }
        case (.failure(let error), .success):
            XCTFail("the model expects \(error) but the reader gave a table: \(context())")
        case (.success, .failure(let error)):
            XCTFail("the reader threw \(error) where the model expects a table: \(context())")
        }
        // One pass and three pieces agree with the public entry point, problems and all.
        XCTAssertEqual(summary(one), summary(public1), "one pass: \(context())")
        XCTAssertEqual(summary(three), summary(public1), "three pieces: \(context())")
    }

    /// Each kept row's values against the model's fields: text as written (trimmed), numbers as
    /// the correctly rounded reading, missing tokens missing.
    func checkValues(_ table: DataTable, _ expected: ReferenceCSV.Table, options: CSVOptions, context: @autoclosure () -> String) {
        let decimalComma = expected.delimiter != 0x2C && (options.decimalComma ?? (expected.delimiter == 0x3B))
        for (c, column) in table.columns.enumerated() {
            for (row, record) in expected.kept.enumerated() where row < column.count {
                let field = ReferenceCSV.trimmed(record.fields[c])
                let isMissing = options.missingTokens.contains { Array($0.trimmingSpaces().utf8) == field }
                switch column.storage {
                case .numeric(let values):
                    if isMissing {
                        XCTAssertTrue(values[row].isNaN, "\(column.name) row \(row) is missing: \(context())")
                    } else {
                        var text = String(decoding: field, as: UTF8.self)
                        if decimalComma { text = text.replacingOccurrences(of: ",", with: ".") }
                        XCTAssertEqual(values[row].bitPattern, Double(text)?.bitPattern, "\(column.name) row \(row) '\(text)': \(context())")
                    }
                case .text(let codes, let levels):
                    let value = codes[row] < 0 ? nil : levels[Int(codes[row])]
                    XCTAssertEqual(value, isMissing ? nil : String(decoding: field, as: UTF8.self), "\(column.name) row \(row): \(context())")
                }
            }
        }
    }

    /// The loader with a codebook, from a file: a report or one of the header errors, its counts
    /// those of the reader, every problem on a line of its own file.
    func checkLoader(_ bytes: [UInt8], folder: String, codebook: (path: String, lines: Int), iteration: Int) {
        let path = folder + "/data.csv"
        let context = { "loader, iteration \(iteration), codebook \(codebook.path), input \(bytes)" }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            return XCTFail("cannot write \(path): \(error)")
        }
        let model = ReferenceCSV(bytes: bytes, options: CSVOptions(), source: path)
        do {
            let loaded = try CohortLoader.load(path: path, codebookPath: codebook.path)
            guard case .success(let expected) = model.outcome else { return XCTFail("the loader read a table the model rejects: \(context())") }
            let report = loaded.report
            XCTAssertEqual(report.rows, expected.kept.count, context())
            XCTAssertEqual(loaded.table.rowCount, expected.kept.count, context())
            XCTAssertTrue(loaded.table.columns.allSatisfy { $0.count == loaded.table.rowCount }, context())
            XCTAssertEqual(report.isValid, report.errorCount == 0, context())
            let fromData = report.errors.filter { $0.source == path }
            XCTAssertGreaterThanOrEqual(fromData.count, expected.problems(invalidUTF8In: 0..<0).count, "every reader problem is reported: \(context())")
            let lineCount = ReferenceCSV.lineCount(bytes)
            for problem in report.errors + report.warnings {
                let limit = problem.source == path ? lineCount : codebook.lines
                if let line = problem.line { XCTAssertTrue((1...limit).contains(line), "\(problem) beyond line \(limit): \(context())") }
                XCTAssertFalse(problem.description.contains("\n"), "one line a problem: \(problem): \(context())")
            }
        } catch {
            guard case .failure(let expected) = model.outcome else { return XCTFail("the loader threw \(error): \(context())") }
            XCTAssertEqual(error, expected, context())
        }
    }

    // MARK: Helpers

    func read(_ bytes: [UInt8], _ options: CSVOptions, chunks: Int?) -> Result<CSVReadResult, DataError> {
        Result { () throws(DataError) in try CSVReader.read(input: InputBytes(copying: bytes), source: Self.source, options: options, chunks: chunks) }
    }

    func summary(_ result: Result<CSVReadResult, DataError>) -> String {
        switch result {
        case .failure(let error): return "error: \(error)"
        case .success(let read):
            return describe(read.table) + "\nproblems:\n" + read.problems.map(\.description).joined(separator: "\n") + "\n+\(read.problemsOmitted)"
        }
    }

    func describe(_ table: DataTable) -> String {
        table.columns.map { column in
            let values: String
            switch column.storage {
            case .numeric(let numbers): values = numbers.map { String($0.bitPattern, radix: 16) }.joined(separator: "|")
            case .text(let codes, let levels): values = codes.map { $0 < 0 ? "·" : levels[Int($0)].debugDescription }.joined(separator: "|")
            }
            return column.name.debugDescription + ":" + values + "#\(column.numericLikeCount)" + (column.firstNonNumeric.map { "@\($0.row)=\($0.value)" } ?? "")
        }.joined(separator: "\n") + "\nlines " + table.lineNumbers.map(String.init).joined(separator: ",")
    }

    func describe(_ options: CSVOptions) -> String {
        "delimiter \(options.delimiter.map(String.init) ?? "detected"), missing \(options.missingTokens), decimalComma \(options.decimalComma.map(String.init) ?? "auto")"
    }

    func ordered(_ problems: [DataError]) -> [String] {
        problems.map { "\($0.line ?? 0)\t\($0)" }.sorted()
    }

    /// The committed CSV fixtures (the malformed corpus and the CLI files), each cut to 4 KiB.
    func fixtureSeeds() -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        for folder in ["malformed", "cli"] {
            let path = Fixtures.path(folder)
            for file in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() where file.hasSuffix(".csv") {
                if let data = FileManager.default.contents(atPath: path + "/" + file) { seeds.append(Array(data.prefix(4096))) }
            }
        }
        return seeds
    }

    /// Two codebooks naming the generated columns: the default missing tokens, and numeric ones.
    func writeCodebooks(in folder: String) throws -> [(path: String, lines: Int)] {
        let variables = """
            variables:
              id: identifier
              age:
                type: integer
                range: [0, 120]
                typical: [18, 90]
              grp:
                type: categorical
                levels: [a, b]
              note: text
              day: day
              flag: binary
              date: date
              "PLT (x10^9/L)":
                type: real
                missing: [not done]
            derived:
              low: below(`PLT (x10^9/L)`, 150)
              early: event_within(day, 0...30)
              missing_column: below(nothing, 1)

            """
        var written: [(path: String, lines: Int)] = []
        for (k, text) in [variables, "missing: [\"\", NA, \"-99\"]\n" + variables].enumerated() {
            let path = folder + "/codebook\(k).yaml"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            written.append((path, text.split(separator: "\n", omittingEmptySubsequences: false).count))
        }
        return written
    }

    // MARK: Inputs

    /// Bytes that matter to a CSV reader, for insertions and random files.
    static let interesting: [UInt8] = Array(",;\t\"\r\n .-+eE0123456789NAaxé".utf8) + [0xFF, 0xEF, 0xBB, 0xBF, 0x00, 0xC3, 0x80, 0xF0, 0x9F]

    /// A random file with the awkward parts of real ones: quoted fields holding delimiters, doubled
    /// quotes and line breaks, a byte-order mark, LF/CRLF/CR (mixed), multibyte and invalid UTF-8,
    /// missing tokens, decimal commas, blank lines, ragged rows and trailing delimiters.
    static func generatedCSV(_ g: inout SeededGenerator) -> [UInt8] {
        let delimiter = [",", ";", "\t"].randomElement(using: &g)!
        let endings = ["\n", "\r\n", "\r"]
        let mainEnding = endings.randomElement(using: &g)!
        let mixed = Int.random(in: 0..<5, using: &g) == 0
        func ending(_ g: inout SeededGenerator) -> String { mixed ? endings.randomElement(using: &g)! : mainEnding }
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var out: [UInt8] = Int.random(in: 0..<6, using: &g) == 0 ? [0xEF, 0xBB, 0xBF] : []
        let pool = ["id", "age", "grp", "note", "day", "flag", "date", "PLT (x10^9/L)", "New VTE d0-100", "âge", "x \"y\"", "a,b"]
        let names = Array(pool.shuffled(using: &g).prefix(Int.random(in: 1...6, using: &g)))
        out += Array(names.map { $0.contains(delimiter) || $0.contains("\"") || Bool.random(using: &g) && $0.contains(" ") ? quoted($0) : $0 }
            .joined(separator: delimiter).utf8)
        out += Array(ending(&g).utf8)
        let words = ["a", "b", "F", "M", "yes", "no", "maybe", "é", "🧬", "日本", "not done", "2021-02-30", "2020-02-29", "P001", "P001"]
        for _ in 0..<Int.random(in: 0...60, using: &g) {
            if Int.random(in: 0..<12, using: &g) == 0 { out += Array(ending(&g).utf8) }  // a blank line
            var count = names.count
            switch Int.random(in: 0..<14, using: &g) {
            case 0: count = max(0, count - 1)
            case 1: count += 1
            default: break
            }
            var fields: [[UInt8]] = []
            for _ in 0..<count {
                var field: [UInt8]
                switch Int.random(in: 0..<10, using: &g) {
                case 0, 1:
                    field = Array(String(Int.random(in: -200...400, using: &g)).utf8)
                case 2:
                    let text = String(format: "%.2f", Double.random(in: -5...500, using: &g))
                    field = Array((delimiter == ";" && Bool.random(using: &g) ? text.replacingOccurrences(of: ".", with: ",") : text).utf8)
                case 3:
                    field = Array(["", "NA", ".", "N/A", "NaN", " NA ", "-99", "1e400", "inf", "1,5", "007"].randomElement(using: &g)!.utf8)
                case 4, 5:
                    field = Array(words.randomElement(using: &g)!.utf8)
                case 6:
                    let inside = ["x\(delimiter)y", "say \"hi\"", "two\nlines", "cr\r\nlf", "", " padded ", "é\(delimiter)🧬"].randomElement(using: &g)!
                    field = Array(quoted(inside).utf8)
                case 7:
                    field = Array("v".utf8) + [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0x00]].randomElement(using: &g)!
                case 8:
                    field = Array(" \(Int.random(in: 0...99, using: &g)) ".utf8)
                default:
                    field = Array(String(repeating: "z", count: Int.random(in: 0...40, using: &g)).utf8)
                }
                fields.append(field)
            }
            out += Array(fields.joined(separator: Array(delimiter.utf8)))
            if Int.random(in: 0..<20, using: &g) == 0 { out += Array(delimiter.utf8) }  // trailing delimiter
            out += Array(ending(&g).utf8)
        }
        if Bool.random(using: &g), let last = out.last, last == 0x0A || last == 0x0D { out.removeLast() }  // no final line break
        return out
    }

    /// Byte flips, insertions, deletions, truncation, doubled quotes, copied slices, changed line ends.
    static func mutate(_ bytes: inout [UInt8], times: Int, _ g: inout SeededGenerator) {
        for _ in 0..<times {
            let at = Int.random(in: 0...bytes.count, using: &g)
            switch Int.random(in: 0..<8, using: &g) {
            case 0: if at < bytes.count { bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &g) }
            case 1: bytes.insert(interesting.randomElement(using: &g)!, at: at)
            case 2: if at < bytes.count { bytes.remove(at: at) }
            case 3: bytes.removeSubrange(at...)
            case 4:
                if let quote = bytes.indices.filter({ bytes[$0] == 0x22 }).randomElement(using: &g) { bytes.insert(0x22, at: quote) } else { bytes.insert(0x22, at: at) }
            case 5:
                let length = Int.random(in: 0...min(64, bytes.count - at), using: &g)
                bytes.insert(contentsOf: bytes[at..<(at + length)], at: Int.random(in: 0...bytes.count, using: &g))
            case 6:
                if let end = bytes.indices.filter({ bytes[$0] == 0x0A || bytes[$0] == 0x0D }).randomElement(using: &g) {
                    bytes.replaceSubrange(end...end, with: [[0x0A], [0x0D], [0x0D, 0x0A], [0x0A, 0x0A], []].randomElement(using: &g)!)
                }
            default:
                bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &g)))
            }
        }
    }
}

/// A reference model of the reader's documented rules, written for clarity, not speed: a UTF-8
/// byte-order mark skipped; the delimiter given or detected (the most common of `,` `;` tab on the
/// first non-blank line outside quotes; comma, then semicolon, on a tie); blank lines skipped; a
/// record is fields split at delimiters, a quoted field may hold anything with `""` for a quote; a
/// quote in an unquoted field or text after a closing quote drops the record and resumes on the
/// next line; an unclosed quote drops the rest of the file; a record with the wrong number of fields
/// is dropped; in the header any of these, an empty or repeated name, or a name that is not UTF-8
/// is the one error. Lines count LF, CRLF and lone CR.
struct ReferenceCSV {
    struct Record {
        let line: Int
        let fields: [[UInt8]]
    }

    struct Table {
        let names: [String]
        let delimiter: UInt8
        let missing: [[UInt8]]
        let source: String
        /// Records kept, and how many records there were in all (kept or dropped).
        let kept: [Record]
        let records: Int
        /// Problems that dropped a record.
        let dropped: [DataError]

        /// `dropped` and, for the given columns, the first kept row of each distinct value that is
        /// not valid UTF-8 (a column holding one is always read as text).
        func problems(invalidUTF8In columns: Range<Int>) -> [DataError] {
            var problems = dropped
            for c in columns {
                var seen = Set<[UInt8]>()
                for record in kept {
                    let value = ReferenceCSV.trimmed(record.fields[c])
                    guard !missing.contains(value), String(validating: value, as: UTF8.self) == nil, seen.insert(value).inserted else { continue }
                    problems.append(.invalidUTF8(source: source, line: record.line, column: names[c]))
                }
            }
            return problems
        }
    }

    let outcome: Result<Table, DataError>

    static func trimmed(_ field: [UInt8]) -> [UInt8] {
        var start = 0, end = field.count
        while start < end, field[start] == 0x20 { start += 1 }
        while end > start, field[end - 1] == 0x20 { end -= 1 }
        return Array(field[start..<end])
    }

    /// Lines in the file: line breaks (LF, CRLF, CR) plus one.
    static func lineCount(_ bytes: [UInt8]) -> Int {
        var lines = 1, i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A || (bytes[i] == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) { lines += 1 }
            i += 1
        }
        return lines
    }

    init(bytes: [UInt8], options: CSVOptions, source: String) {
        var cursor = Cursor(bytes: bytes, source: source)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { cursor.position = 3 }
        let delimiter = options.delimiter ?? Self.detect(bytes, from: cursor.position)
        cursor.delimiter = delimiter
        outcome = Result { () throws(DataError) in
            guard cursor.skipBlankLines() else { throw .emptyFile(source: source) }
            let headerLine = cursor.line
            var names: [String] = []
            // Each name is checked as soon as it is read, before a problem further along the line.
            let header = cursor.record(columnName: { "column \($0 + 1) of the header" })
            for (k, field) in header.fields.enumerated() {
                guard let name = String(validating: field.bytes, as: UTF8.self) else {
                    throw .invalidUTF8(source: source, line: field.lineAfter, column: "column \(k + 1) of the header")
                }
                names.append(name.trimmingSpaces())
            }
            if let problem = header.problem { throw problem }
            if let empty = names.firstIndex(of: "") { throw .emptyColumnName(source: source, column: empty + 1, line: headerLine) }
            let repeated = names.indices.filter { k in names[..<k].contains(names[k]) }.map { names[$0] }
            if let name = repeated.min(by: { names.firstIndex(of: $0)! < names.firstIndex(of: $1)! }) {
                throw .duplicateColumnName(source: source, name: name, columns: names.indices.filter { names[$0] == name }.map { $0 + 1 }, line: headerLine)
            }
            var kept: [Record] = [], dropped: [DataError] = [], records = 0
            while cursor.skipBlankLines() {
                let line = cursor.line
                records += 1
                let record = cursor.record(columnName: { $0 < names.count ? names[$0] : "(no name)" })
                if let problem = record.problem {
                    dropped.append(problem)
                } else if record.fields.count != names.count {
                    dropped.append(.raggedRow(source: source, line: line, expected: names.count, found: record.fields.count))
                } else {
                    kept.append(Record(line: line, fields: record.fields.map(\.bytes)))
                }
            }
            return Table(names: names, delimiter: delimiter, missing: options.missingTokens.map { Array($0.trimmingSpaces().utf8) },
                         source: source, kept: kept, records: records, dropped: dropped)
        }
    }

    static func detect(_ bytes: [UInt8], from start: Int) -> UInt8 {
        var i = start
        while i < bytes.count, bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var inQuotes = false
        while i < bytes.count {
            if bytes[i] == 0x22 { inQuotes.toggle() } else if !inQuotes {
                if bytes[i] == 0x0A || bytes[i] == 0x0D { break }
                counts[bytes[i]]? += 1
            }
            i += 1
        }
        for candidate: UInt8 in [0x2C, 0x3B, 0x09] where counts[candidate]! > 0 && counts[candidate]! == counts.values.max()! { return candidate }
        return 0x2C
    }

    struct Cursor {
        let bytes: [UInt8]
        let source: String
        var delimiter: UInt8 = 0x2C
        var position = 0
        var line = 1

        var atEnd: Bool { position >= bytes.count }

        func isLineBreak(_ i: Int) -> Bool { i < bytes.count && (bytes[i] == 0x0A || bytes[i] == 0x0D) }

        /// Past one line break (CRLF counts once).
        mutating func consumeLineBreak() {
            if bytes[position] == 0x0D, position + 1 < bytes.count, bytes[position + 1] == 0x0A { position += 1 }
            position += 1
            line += 1
        }

        mutating func skipBlankLines() -> Bool {
            while isLineBreak(position) { consumeLineBreak() }
            return !atEnd
        }

        mutating func skipRestOfLine() {
            while !atEnd, !isLineBreak(position) { position += 1 }
            if !atEnd { consumeLineBreak() }
        }

        struct Field {
            let bytes: [UInt8]
            /// The line the cursor is on once the field is read.
            let lineAfter: Int
        }

        /// One record's fields, or the fields before the problem that drops it (the cursor then at
        /// the next line).
        mutating func record(columnName: (Int) -> String) -> (fields: [Field], problem: DataError?) {
            var fields: [Field] = []
            while true {
                var value: [UInt8] = []
                if !atEnd, bytes[position] == 0x22 {
                    let openedOn = line
                    position += 1
                    while true {
                        guard !atEnd else { return (fields, .unterminatedQuote(source: source, line: openedOn)) }
                        let b = bytes[position]
                        if b == 0x22 {
                            if position + 1 < bytes.count, bytes[position + 1] == 0x22 { value.append(0x22); position += 2; continue }
                            position += 1
                            break
                        }
                        if b == 0x0A || (b == 0x0D && (position + 1 == bytes.count || bytes[position + 1] != 0x0A)) { line += 1 }
                        value.append(b)
                        position += 1
                    }
                    if !atEnd, bytes[position] != delimiter, !isLineBreak(position) {
                        let problem = DataError.textAfterQuote(source: source, line: line, column: columnName(fields.count))
                        skipRestOfLine()
                        return (fields, problem)
                    }
                } else {
                    while !atEnd, bytes[position] != delimiter, !isLineBreak(position) {
                        if bytes[position] == 0x22 {
                            let problem = DataError.unexpectedQuote(source: source, line: line, column: columnName(fields.count))
                            skipRestOfLine()
                            return (fields, problem)
                        }
                        value.append(bytes[position])
                        position += 1
                    }
                }
                fields.append(Field(bytes: value, lineAfter: line))
                if atEnd { return (fields, nil) }
                if bytes[position] == delimiter {
                    position += 1
                    continue
                }
                consumeLineBreak()
                return (fields, nil)
            }
        }
    }
}

@testable import CohortData
import CohortTestSupport
import Foundation
import XCTest

/// Issue 12, "input that cannot hurt", in the reader and the loader: types decided by the whole
/// file, stray entries in number columns reported rather than read as categories, yes/no words in
/// any case, and limits on field and record length.
final class InputInferenceTests: XCTestCase {
    /// A first record whose quoted note runs to 6,000 lines, each with the header's four fields,
    /// then `rows` records whose `plt` is a decimal. Samples taken inside the note read its lines
    /// as records with words in `plt`.
    static func lateNumbers(rows: Int = 619) -> String {
        let note = (0..<6000).map { "seen on ward \($0), then, reviewed, later" }.joined(separator: "\n")
        var generator = SeededGenerator(seed: 12)
        var text = "id,note,plt,flag\n1,\"\(note)\",150.5,Yes\n"
        for id in 2...(rows + 1) { text += "\(id),,\(Double(generator.next() % 4000) / 10 + 20),no\n" }
        return text
    }

    func testIssue12_numberColumnAfterALongQuotedNoteIsNumbers() throws {
        let text = Self.lateNumbers()
        XCTAssertGreaterThan(text.utf8.count, 128 << 10, "the note must outgrow the first sample")
        for chunks in [1, 3] {
            let table = try CSVReader.read(bytes: Array(text.utf8), source: "late.csv", options: CSVOptions(), chunks: chunks)
            let plt = try table.column(named: "plt")
            guard case .numeric(let values) = plt.storage else { return XCTFail("plt read as text (\(chunks) pieces)") }
            XCTAssertEqual(values.count, 620)
            XCTAssertEqual(values[0], 150.5)
            let (spec, _) = StarterCodebook.infer(plt, rowCount: table.rowCount)
            XCTAssertEqual(spec.type, .real)
        }
        // Named as text, it stays text: the full-pass rule only corrects a guess.
        let forced = try CSVReader.read(bytes: Array(text.utf8), source: "late.csv", options: CSVOptions(textColumns: ["plt"]))
        guard case .text = try forced.column(named: "plt").storage else { return XCTFail("a column named as text became numbers") }
    }

    /// Writes `text` to a fresh file and loads it without a codebook.
    func load(_ text: String) throws -> LoadedData {
        let path = NSTemporaryDirectory() + "cohortkit-inference-\(UUID().uuidString).csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try CohortLoader.load(path: path, codebookPath: nil)
    }

    func testIssue12_refusedNumberSpellingsAreErrorsNotCategories() throws {
        // Five numbers and three refused spellings: too few numbers for the 9-in-10 rule, so the
        // errors come from the spellings themselves.
        let loaded = try load("y,x\n1,2.5\n0,inf\n1,3\n0,0x1A\n1,4\n0,1e400\n1,0.5\n0,1.5\n")
        let errors = loaded.report.errors
        XCTAssertEqual(errors.map(\.line), [3, 5, 7])
        XCTAssertEqual(errors.map(\.value), ["inf", "0x1A", "1e400"])
        XCTAssertEqual(Set(errors.map(\.column)), ["x"])
        XCTAssertTrue(errors[0].message.hasPrefix("is not a number; expected a number"), errors[0].message)
        XCTAssertTrue(errors[2].message.hasPrefix("is too large to store as a number"), errors[2].message)
        XCTAssertTrue(errors[0].message.contains("as 5 of the column's 8 values are"), errors[0].message)
    }

    func testIssue12_aFewWordsInANumberColumnAreErrorsWithTheirLines() throws {
        var text = "x,group\n"
        for k in 0..<38 { text += "\(k).5,\(k % 3)\n" }
        text += "abc,1\n12,2\nn/d,0\n"
        let loaded = try load(text)
        XCTAssertEqual(loaded.report.errors.map { "\($0.line ?? 0):\($0.value ?? "")" }, ["40:abc", "42:n/d"])
        // Words in a column of mostly words are categories, not errors.
        let words = try load("x\na\nb\n1\nc\n2\n")
        XCTAssertTrue(words.report.isValid, words.report.errors.map(\.description).joined(separator: "\n"))
    }

    func testIssue12_yesNoWordsInAnyCaseAreOneLevelEach() throws {
        let loaded = try load("flag,truth\nYes,True\nNO,FALSE\nyes,true\nno,false\nY,t\n")
        XCTAssertTrue(loaded.report.isValid)
        let flag = try loaded.table.column(named: "flag")
        guard case .text(let codes, let levels) = flag.storage else { return XCTFail("flag is not text") }
        XCTAssertEqual(Array(levels), ["Yes", "NO"], "each meaning spelt as it first appears")
        XCTAssertEqual(codes, [0, 1, 0, 1, 0])
        guard case .text(let truthCodes, let truthLevels) = try loaded.table.column(named: "truth").storage else { return XCTFail() }
        XCTAssertEqual(Array(truthLevels), ["True", "FALSE"])
        XCTAssertEqual(truthCodes, [0, 1, 0, 1, 0])
        // Not every level a yes/no word: left as written.
        let mixed = try load("answer\nYes\nyes\nmaybe\n")
        guard case .text(_, let mixedLevels) = try mixed.table.column(named: "answer").storage else { return XCTFail() }
        XCTAssertEqual(Array(mixedLevels), ["Yes", "yes", "maybe"])
    }

    func testIssue12_fieldAndRecordLimitsStopTheReadingWithTheLine() throws {
        let options = CSVOptions(maxFieldBytes: 8, maxRecordBytes: 20)
        for chunks in [1, 3] {
            func problems(_ text: String) throws -> [DataError] {
                try CSVReader.read(input: InputBytes(copying: Array(text.utf8)), source: "t.csv", options: options, chunks: chunks).problems
            }
            XCTAssertEqual(try problems("a,b\n1,2\n3,123456789\n4,5\n"),
                           [.fieldTooLong(source: "t.csv", line: 3, column: "b", limit: 8)])
            // Quoted, with a line break: the line the field opens on.
            XCTAssertEqual(try problems("a,b\n1,2\n3,\"1234\n56789\"\n4,5\n"),
                           [.fieldTooLong(source: "t.csv", line: 3, column: "b", limit: 8)])
            // Eight bytes fit.
            XCTAssertEqual(try problems("a,b\n1,2\n3,12345678\n"), [])
            // Many short fields: the record.
            XCTAssertEqual(try problems("a,b\n1,2\n1,2,3,4,5,6,7,8,9,10,11\n4,5\n"),
                           [.recordTooLong(source: "t.csv", line: 3, limit: 20)])
        }
        XCTAssertThrowsError(try CSVReader.read(bytes: Array("abcdefghijk,b\n1,2\n".utf8), source: "t.csv", options: options)) { error in
            XCTAssertEqual(error as? DataError, .fieldTooLong(source: "t.csv", line: 1, column: "column 1 of the header", limit: 8))
        }
    }

    /// The stream reader's view of record extents: quotes, CRLF and line counts.
    func testIssue12_recordWatchFollowsQuotesAcrossReads() {
        var watch = RecordWatch()
        let text = Array("a,b\r\n\"x\ny\",\"\"\"q\"\n1,".utf8)
        // Fed in two pieces, split inside the quoted field.
        text.withUnsafeBufferPointer { all in
            watch.scan(UnsafeBufferPointer(rebasing: all[..<8]))
            watch.scan(UnsafeBufferPointer(rebasing: all[8...]))
        }
        XCTAssertEqual(watch.currentLine, 4, "the quoted line break is inside the record on line 2")
        XCTAssertEqual(watch.currentLength, 2)
    }
}

@testable import CohortData
import CohortTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class CSVReaderTests: XCTestCase {
    /// Reads `text` sequentially and in three forced parallel pieces; both must give the same table
    /// (or the same error).
    func read(_ text: String, options: CSVOptions = CSVOptions(), file: StaticString = #filePath, line: UInt = #line) throws -> DataTable {
        let sequential = Result { try CSVReader.read(bytes: Array(text.utf8), source: "t.csv", options: options, chunks: 1) }
        let pieces = Result { try CSVReader.read(bytes: Array(text.utf8), source: "t.csv", options: options, chunks: 3) }
        switch (sequential, pieces) {
        case (.success(let a), .success(let b)):
            XCTAssertEqual(describe(a), describe(b), "pieces differ from one pass for \(text.debugDescription)", file: file, line: line)
        case (.failure(let a), .failure(let b)):
            XCTAssertEqual(a as? DataError, b as? DataError, file: file, line: line)
        default:
            XCTFail("one pass and pieces disagree on \(text.debugDescription): \(sequential) vs \(pieces)", file: file, line: line)
        }
        return try sequential.get()
    }

    func describe(_ table: DataTable) -> String {
        table.columns.map { column in
            column.name + ":" + (0..<column.count).map { column.isMissing($0) ? "·" : column.displayValue($0) }.joined(separator: "|")
                + "#\(column.numericLikeCount)" + (column.firstNonNumeric.map { "@\($0.row)=\($0.value)" } ?? "")
        }.joined(separator: "\n") + "\nlines " + table.lineNumbers.map(String.init).joined(separator: ",")
    }

    func testPiecesWithLineBreaksInsideQuotesFallBackOrAgree() throws {
        var text = "id,note,x\n"
        for i in 0..<60 { text += i % 7 == 0 ? "\(i),\"multi\nline \(i)\",\(i).5\n" : "\(i),plain \(i),\(i)\n" }
        let table = try read(text)
        XCTAssertEqual(table.rowCount, 60)
        XCTAssertEqual(table.lineNumbers.last, 70, "60 records, 9 of them two lines long, after the header")
        XCTAssertEqual(try read("a,b\n" + (0..<50).map { "\($0),\"x\n\ny\"\n" }.joined()).rowCount, 50)
    }

    func testTextFoundLateInOnePieceIsReadAsTextEverywhere() throws {
        let text = "a,b\n" + (0..<40).map { "\($0),\($0)\n" }.joined() + "oops,41\n"
        let table = try read(text)
        XCTAssertEqual(table.columns[0].firstNonNumeric?.value, "oops")
        XCTAssertEqual(table.columns[0].firstNonNumeric?.row, 40)
        XCTAssertEqual(table.columns[0].numericLikeCount, 40)
    }

    func numbers(_ column: Column) -> [Double] {
        guard case .numeric(let values) = column.storage else { XCTFail("\(column.name) is not numeric"); return [] }
        return values
    }

    func texts(_ column: Column) -> [String?] {
        guard case .text(let codes, let levels) = column.storage else { XCTFail("\(column.name) is not text"); return [] }
        return codes.map { $0 < 0 ? nil : levels[Int($0)] }
    }

    func testQuotedFieldsWithDelimitersQuotesAndNewlines() throws {
        let table = try read("id,note,x\n1,\"a, b\",2\n2,\"say \"\"hi\"\"\",3\n3,\"two\nlines\",4\n4,plain,5\n")
        XCTAssertEqual(texts(table.columns[1]), ["a, b", "say \"hi\"", "two\nlines", "plain"])
        XCTAssertEqual(numbers(table.columns[2]), [2, 3, 4, 5])
        XCTAssertEqual(table.lineNumbers, [2, 3, 4, 6], "a record spanning two lines moves the next record's line")
    }

    func testCRLFByteOrderMarkAndBlankLines() throws {
        let table = try read("\u{FEFF}a,b\r\n1,2\r\n\r\n3,4\r\n")
        XCTAssertEqual(table.columnNames, ["a", "b"])
        XCTAssertEqual(numbers(table.columns[0]), [1, 3])
        XCTAssertEqual(table.lineNumbers, [2, 4])
    }

    func testDelimiterDetection() throws {
        XCTAssertEqual(try read("a;b\n1,5;2\n").columnNames, ["a", "b"])
        XCTAssertEqual(try read("a\tb\n1\t2\n").columnNames, ["a", "b"])
        XCTAssertEqual(try read("a;b\n1;2\n", options: CSVOptions(delimiter: 0x2C)).columnNames, ["a;b"])
    }

    /// Spreadsheet exports in decimal-comma locales: `;` between fields, `,` as the decimal mark.
    func testDecimalCommaWithSemicolonDelimiter() throws {
        let table = try read("id;plt;dd\n1;152,5;0,8\n2;98;1.2\n3;NA;12,25\n")
        XCTAssertEqual(numbers(table.columns[1]).prefix(2), [152.5, 98])
        XCTAssertTrue(numbers(table.columns[1])[2].isNaN)
        XCTAssertEqual(numbers(table.columns[2]), [0.8, 1.2, 12.25], "a point still reads as the decimal mark")
        let off = try read("a;b\n1;2,5\n", options: CSVOptions(decimalComma: false))
        XCTAssertEqual(texts(off.columns[1]), ["2,5"], "off when asked")
        let comma = try read("a,b\n1,\"2,5\"\n")
        XCTAssertEqual(texts(comma.columns[1]), ["2,5"], "never with a comma delimiter: a quoted 2,5 stays text")
        XCTAssertNil(Array("2,5".utf8).withUnsafeBufferPointer { NumberParser.parse($0) })
        XCTAssertEqual(Array("-2,5e3".utf8).withUnsafeBufferPointer { NumberParser.parse($0, decimalComma: true) }, -2500)
        XCTAssertNil(Array("1,2,3".utf8).withUnsafeBufferPointer { NumberParser.parse($0, decimalComma: true) })
    }

    func testMissingTokensAndTypeInference() throws {
        let table = try read("n,s,mixed\n1,x,1\nNA,,2\n.,y,three\n N/A ,NaN,4\n")
        let n = numbers(table.columns[0])
        XCTAssertEqual(n[0], 1)
        XCTAssertTrue(n[1...].allSatisfy(\.isNaN))
        XCTAssertEqual(texts(table.columns[1]), ["x", nil, "y", nil])
        XCTAssertEqual(texts(table.columns[2]), ["1", "2", "three", "4"], "a column with text is read again as text")
        XCTAssertEqual(table.columns[2].numericLikeCount, 3)
        XCTAssertEqual(table.columns[2].firstNonNumeric?.value, "three")
    }

    func testColumnNamesWithSpacesAndPunctuation() throws {
        let table = try read("New VTE d0-100,PLT (x10^9/L)\n1,150\n")
        XCTAssertEqual(try table.column(named: "PLT (x10^9/L)").name, "PLT (x10^9/L)")
        XCTAssertThrowsError(try table.column(named: "PLT") as Column) { error in
            XCTAssertEqual((error as? DataError)?.description, "t.csv: no column named 'PLT'; the columns are: 'New VTE d0-100', 'PLT (x10^9/L)'")
        }
    }

    func testStructuralErrorsNameTheLine() {
        let cases: [(String, DataError)] = [
            ("", .emptyFile(source: "t.csv")),
            ("\n\n", .emptyFile(source: "t.csv")),
            ("a,b,a\n1,2,3\n", .duplicateColumnName(source: "t.csv", name: "a", columns: [1, 3])),
            ("a,,c\n1,2,3\n", .emptyColumnName(source: "t.csv", column: 2)),
            ("a,b\n1,2\n3\n", .raggedRow(source: "t.csv", line: 3, expected: 2, found: 1)),
            ("a,b\n1,2,3\n", .raggedRow(source: "t.csv", line: 2, expected: 2, found: 3)),
            ("a,b\n1,\"2\n3,4\n", .unterminatedQuote(source: "t.csv", line: 2)),
            ("a,b\n1,x\"y\n", .unexpectedQuote(source: "t.csv", line: 2, column: "b")),
            ("a,b\n1,\"x\"y\n", .textAfterQuote(source: "t.csv", line: 2, column: "b")),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try read(text), "input: \(text.debugDescription)") { error in
                XCTAssertEqual(error as? DataError, expected, "input: \(text.debugDescription)")
            }
        }
    }

    func testHeaderOnlyGivesAnEmptyTable() throws {
        let table = try read("a,b\n")
        XCTAssertEqual(table.rowCount, 0)
        XCTAssertEqual(table.columnNames, ["a", "b"])
    }

    /// The number parser is correctly rounded: it agrees bit for bit with glibc's strtod on seeded
    /// random decimal strings, including long significands and large exponents (the slow path), and
    /// rejects what strtod would turn into an infinity.
    func testNumberParserAgreesWithStrtod() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<20_000 {
            var text = Bool.random(using: &generator) ? "-" : ""
            text += String(Int.random(in: 0..<1_000_000_000, using: &generator))
            if Bool.random(using: &generator) { text += "." + String(Int.random(in: 0..<1_000_000_000_000, using: &generator)) }
            if Int.random(in: 0..<4, using: &generator) == 0 { text += "e" + String(Int.random(in: -330...310, using: &generator)) }
            let parsed = Array(text.utf8).withUnsafeBufferPointer { NumberParser.parse($0) }
            let expected = strtod(text, nil)
            // Beyond the double range strtod gives ±inf; the reader says "not a number" instead.
            XCTAssertEqual(parsed?.bitPattern, expected.isFinite ? expected.bitPattern : nil, text)
        }
        for bad in ["", "-", ".", "1e", "1e+", "0x10", "inf", "nan", "1.2.3", "1,5", "--1", "1 2", "1e400", "-1e309"] {
            XCTAssertNil(Array(bad.utf8).withUnsafeBufferPointer { NumberParser.parse($0) }, bad)
        }
        XCTAssertEqual(Array(" 2.5 ".utf8).withUnsafeBufferPointer { NumberParser.parse($0) }, 2.5)
    }

    /// Property: random and mutated inputs give a table or a DataError, never a crash, and a table
    /// that is returned is rectangular.
    func testRandomAndMutatedInputNeverCrash() throws {
        var generator = SeededGenerator(seed: 2024)
        let seed = Array("id,age,grp,note\n1,54,a,\"x, y\"\n2,NA,b,plain\n3,61.5,a,\"q\"\"q\"\n".utf8)
        let alphabet = Array("a1,;\t\"\r\n .-eNA".utf8) + [0xFF, 0xEF, 0xBB, 0xBF, 0x00]
        for trial in 0..<3_000 {
            var bytes = seed
            if trial % 3 == 0 {
                bytes = (0..<Int.random(in: 0..<80, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            } else {
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let position = Int.random(in: 0...bytes.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: bytes.insert(alphabet.randomElement(using: &generator)!, at: position)
                    case 1: if position < bytes.count { bytes.remove(at: position) }
                    default: if position < bytes.count { bytes[position] = alphabet.randomElement(using: &generator)! }
                    }
                }
            }
            do {
                let table = try CSVReader.read(bytes: bytes, source: "fuzz.csv")
                XCTAssertTrue(table.columns.allSatisfy { $0.count == table.rowCount }, "ragged table from \(bytes)")
                let pieces = Result { try CSVReader.read(bytes: bytes, source: "fuzz.csv", options: CSVOptions(), chunks: 3) }
                XCTAssertEqual((try? pieces.get()).map(describe), describe(table), "pieces differ from one pass for \(bytes)")
            } catch {
                // Typed throws: `error` is a DataError, an acceptable answer; it must say something.
                XCTAssertFalse(error.description.isEmpty)
            }
        }
    }
}

/// The level table's two slot layouts: tagged while level numbers fit in 24 bits, plain after.
final class LevelInternerTests: XCTestCase {
    func testCodesAreStableAcrossTheSwitchToUntaggedSlots() {
        for limit in [3, 1 << 24] {
            var table = LevelInterner(tagLimit: limit)
            defer { table.deallocate() }
            let values = (0..<200).map { "value \($0 % 150)" }  // 150 distinct, 50 repeats
            var codes: [Int32] = []
            for value in values {
                var text = value
                codes.append(text.withUTF8 { table.code(for: $0) })
            }
            XCTAssertEqual(table.count, 150, "limit \(limit)")
            XCTAssertEqual(codes, (0..<200).map { Int32($0 % 150) }, "first appearance order, repeats found (limit \(limit))")
            for k in 0..<150 {
                var text = "value \(k)"
                let found = text.withUTF8 { table.lookup($0, hash: UInt32(truncatingIfNeeded: LevelInterner.hash($0))) }
                XCTAssertEqual(found, Int32(k))
                XCTAssertEqual(String(decoding: table.bytes(ofLevel: k), as: UTF8.self), text)
            }
            var absent = "value 150"
            XCTAssertNil(absent.withUTF8 { table.lookup($0, hash: UInt32(truncatingIfNeeded: LevelInterner.hash($0))) })
        }
    }
}

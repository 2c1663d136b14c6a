@testable import CohortData
import XCTest

/// The 32-bit store of numbers that linked long tables are read into and kept in (issue 15: memory
/// near the input size): every value comes back bit for bit, read from text or stored from doubles.
final class CompactNumbersTests: XCTestCase {
    /// The texts the reader turns into these doubles: the compact store gives the same bits back,
    /// in a word where a short decimal allows, else as an exception.
    func testEveryReadValueRoundTripsExactly() throws {
        let cases: [(text: String, word: Bool)] = [
            ("399", true), ("3.61", true), ("-7.25", true), ("-0.001", true), ("0", true), ("0.0", true),
            ("007", true), ("00.50", true), ("-0012.3400", true), ("1.5e2", true), ("15E-1", true), ("2.5e-3", true),
            ("134217727", true), ("-134217727", true), ("0.00000000000001", true), ("13421.7727", true),
            // Beyond nine digits of mantissa or 14 decimals, or a negative zero: exceptions.
            ("134217728", false), ("-134217728", false), ("1234567890.5", false), ("3.14159265358979", false),
            ("1e-15", false), ("1e300", false), ("-1e-300", false), ("-0", false), ("-0.0", false),
            ("0.1000000000000000055511151231257827", true), ("2.2250738585072014e-308", false),
        ]
        for (text, word) in cases {
            let value = try XCTUnwrap(NumberParser.parse(text), text)
            let stored = CompactNumbers([value])
            XCTAssertEqual(stored[0].bitPattern, value.bitPattern, text)
            XCTAssertEqual(stored.isCompact, word, text)
        }
    }

    func testMissingIsNaNAndExceptionsKeepTheirPlaceThroughJoinsAndGathers() {
        let first: [Double] = [1.25, .nan, 1e300, -0.0, 42]
        let second: [Double] = [.nan, 0.1 + 0.2, 7, -.infinity, 3.5]
        var joined = CompactNumbers(first)
        joined.append(contentsOf: CompactNumbers(second))
        let all = first + second
        XCTAssertEqual(joined.map(\.bitPattern), all.map { $0.isNaN ? Double.nan.bitPattern : $0.bitPattern })
        XCTAssertEqual(joined.exceptions.count, 4)  // 1e300, -0, 0.1 + 0.2, -inf
        let order: [Int32] = [9, 6, 2, 1, 0]
        XCTAssertEqual(joined.gathering(order).map(\.bitPattern), order.map { joined[Int($0)].bitPattern })
        XCTAssertEqual(joined.keeping(order).map(\.bitPattern), order.map { joined[Int($0)].bitPattern })
    }

    /// Every decimal of up to four places over a laboratory range, and random doubles: exact.
    func testGridsAndRandomDoublesRoundTrip() {
        let grid = (0..<40_000).map { Double($0 * 37 - 700_000) / 10_000 }
        let stored = CompactNumbers(grid)
        XCTAssertTrue(stored.isCompact)
        XCTAssertEqual(stored.map(\.bitPattern), grid.map(\.bitPattern))
        var generator = SystemRandomNumberGenerator()
        let random = (0..<10_000).map { _ in Double(bitPattern: generator.next()) }.filter { !$0.isNaN }
        XCTAssertEqual(CompactNumbers(random).map(\.bitPattern), random.map(\.bitPattern))
    }

    /// The codebook's range check on the words' integers finds exactly the values a check of each
    /// decoded double finds: at the edges of ranges, with every number of decimals, whole numbers
    /// stored with decimals (`3.0`), exceptions and missing values.
    func testValuesOutsideARangeAreFoundOnTheWordsAsByDecoding() {
        var values: [Double] = [.nan, 0.1 + 0.2, 1e300, -0.0, -.infinity, 1e-300]
        let edges: [Double] = [0, 1.5, 3.25, 0.1, 0.3, 100, -7, 2000, 4, 5, 1e-7]
        var power = 1.0
        for _ in 0...14 {
            for edge in edges {
                let m = (edge * power).rounded()
                for step in [-2.0, -1, 0, 1, 2] where (m + step).magnitude < 134_217_728 { values.append((m + step) / power) }
            }
            values.append(30 * power / power)  // a whole number after values with decimals
            power *= 10
        }
        let stored = CompactNumbers(values)
        XCTAssertGreaterThan(Set(stored.words.map { $0 & 15 }).count, 10, "words of many numbers of decimals")
        let ranges: [(Double, Double, Bool)] = [
            (0, 2000, false), (1.5, 3.25, false), (-7, 100, true), (0.1, 0.3, false), (-.infinity, .infinity, true),
            (0, .greatestFiniteMagnitude, true), (5, 4, false), (1e-7, 0.1, false), (-.infinity, 0, false),
        ]
        for (low, high, whole) in ranges {
            let expected = stored.indices.filter { k in
                let x = stored[k]
                return !x.isNaN && !(x >= low && x <= high && (!whole || x == x.rounded()))
            }
            var found: [Int] = []
            stored.forEachValue(outside: low, high, whole: whole) { k, x in
                found.append(k)
                XCTAssertEqual(x.bitPattern, stored[k].bitPattern)
            }
            XCTAssertEqual(found, expected, "\(low)...\(high), whole: \(whole)")
        }
    }

    /// Read compactly (as linked long tables are), a file gives the very doubles the ordinary reader
    /// gives, in one piece or many; `inf`, `nan` and hexadecimal are still not numbers (the column
    /// becomes text), and missing tokens are missing.
    func testTheReaderStoresCompactlyTheDoublesItWouldRead() throws {
        var lines = ["id,day,x,y"]
        for r in 0..<5_000 {
            // The parser writes a plain decimal's word from its digits: at and past the limits of
            // a word's digits and decimals too.
            let x = ["3.61", "-0", "1e-3", "", "NA", "0012.50", "123456789012", "-7", "0.00000000000001", "1.000000000000001",
                     "134217727", "-134217728", "9007199254740993", "-0.000", "3.0", " 2.5 "][r % 16]
            lines.append("P\(r),\(r % 40 - 3),\(x),\(Double(r) / 7)")
        }
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        var options = CSVOptions()
        options.compactNumbers = true
        for chunks in [1, 3, 7] {
            let plain = try CSVReader.read(bytes: bytes, source: "t.csv", options: CSVOptions(), chunks: chunks)
            let read = try CSVReader.read(input: InputBytes(copying: bytes), source: "t.csv", options: options, chunks: chunks)
            XCTAssertTrue(read.problems.isEmpty)
            for (c, column) in plain.columns.enumerated() {
                guard case .numeric(let values) = column.storage else {
                    XCTAssertNil(read.compactNumbers[c])
                    continue
                }
                let compact = try XCTUnwrap(read.compactNumbers[c], column.name)
                XCTAssertEqual(compact.map(\.bitPattern), values.map { $0.isNaN ? Double.nan.bitPattern : $0.bitPattern }, "\(column.name), \(chunks) pieces")
            }
        }
        for refused in ["inf", "nan", "-Infinity", "0x1A"] {
            let text = "id,day,x\nP1,0,1.5\nP2,1,\(refused)\n"
            let read = try CSVReader.read(input: InputBytes(copying: Array(text.utf8)), source: "t.csv", options: options, chunks: 1)
            XCTAssertNil(read.compactNumbers[2], refused)
            guard case .text = read.table.columns[2].storage else { return XCTFail("\(refused) read as a number") }
        }
    }
}

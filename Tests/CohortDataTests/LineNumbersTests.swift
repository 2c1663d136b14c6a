@testable import CohortData
import XCTest

/// The line list is stored as a run when it is one; either storage reads as the same lines.
final class LineNumbersTests: XCTestCase {
    func testARunAndTheSameLinesListedAreEqual() {
        let run = LineNumbers(run: 2, count: 4)
        XCTAssertEqual(Array(run), [2, 3, 4, 5])
        XCTAssertEqual(run, LineNumbers([2, 3, 4, 5]))
        XCTAssertNotEqual(run, LineNumbers([2, 3, 4, 6]))
        XCTAssertNotEqual(run, LineNumbers(run: 2, count: 3))
        XCTAssertEqual(LineNumbers([]), LineNumbers(run: 7, count: 0))
    }

    func testRunDetection() {
        XCTAssertTrue(LineNumbers.isRun(3, first: 10) { Int32(10 + $0) })
        XCTAssertFalse(LineNumbers.isRun(3, first: 10) { [10, 11, 13][$0] })
        XCTAssertTrue(LineNumbers.isRun(0, first: 5) { _ in 0 })
        // A run that would pass Int32.max is kept as a list.
        XCTAssertFalse(LineNumbers.isRun(2, first: .max) { [Int32.max, Int32.min][$0] })
    }

    /// A file read with a record spanning two lines, and one without: the reader's lines.
    func testTheReaderGivesEachRowItsLine() throws {
        let plain = try CSVReader.read(bytes: Array("a,b\n1,2\n3,4\n5,6\n".utf8), source: "t.csv")
        XCTAssertEqual(plain.lineNumbers, [2, 3, 4])
        let spanning = try CSVReader.read(bytes: Array("a,b\n1,\"x\ny\"\n3,4\n".utf8), source: "t.csv")
        XCTAssertEqual(spanning.lineNumbers, [2, 4])
    }
}

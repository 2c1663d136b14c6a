@testable import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// The network algorithm (FisherNetwork) against brute-force enumeration (TableEnumerator).
final class FisherNetworkTests: XCTestCase {
    /// 200 seeded random tables up to 4 x 4 with n <= 30: both methods give the same P to 1e-12.
    func testNetworkMatchesEnumeration() throws {
        var generator = SeededGenerator(seed: 20_261_122)
        var checked = 0, belowOne = 0
        while checked < 200 {
            let rows = Int.random(in: 2...4, using: &generator), columns = Int.random(in: 2...4, using: &generator)
            guard rows * columns > 4 else { continue }
            let n = Int.random(in: 1...30, using: &generator)
            // Uneven cell probabilities give both sparse and concentrated tables.
            let weights = (0..<(rows * columns)).map { _ in Double.random(in: 0...1, using: &generator) }
            var counts = [[Int]](repeating: [Int](repeating: 0, count: columns), count: rows)
            for _ in 0..<n {
                var u = Double.random(in: 0..<weights.reduce(0, +), using: &generator), cell = 0
                while cell < weights.count - 1, u >= weights[cell] { u -= weights[cell]; cell += 1 }
                counts[cell / columns][cell % columns] += 1
            }
            let table = try ContingencyTable(counts)
            let network = try FisherNetwork(table).twoSidedP(limit: 10_000_000)
            let enumerated = try TableEnumerator(table).twoSidedP(limit: 10_000_000)
            assertClose(network.p, enumerated.p, relative: 1e-12, "\(counts)")
            XCTAssertEqual(network.tables, Double(enumerated.tables), "\(counts) number of tables")
            if enumerated.p < 0.999 { belowOne += 1 }
            checked += 1
        }
        XCTAssertEqual(checked, 200)
        XCTAssertGreaterThan(belowOne, 50, "the random tables should include many with P < 1")
    }

    /// The 4 x 5 table of 53 patients that enumeration gave up on (3.1e8 tables): `.auto` now
    /// reports Fisher's exact test with R's P, not the chi-square fallback; a tiny work limit
    /// still stops it with the clear error.
    func testLargeSparseTableUsesFisher() throws {
        let table = try ContingencyTable([[10, 8, 4, 1, 0], [1, 3, 2, 1, 1], [0, 1, 3, 2, 1], [0, 1, 2, 5, 7]])
        let result = try table.test(.auto)
        XCTAssertEqual(result.method, "Fisher's Exact Test for Count Data")
        XCTAssertEqual(result.warnings, [])
        assertClose(result.pValue, 7.7047545532964149e-05, relative: 1e-10, "R fisher.test P (nct_like_4x5)")
        let network = try FisherNetwork(table).twoSidedP(limit: ContingencyTable.defaultFisherTableLimit)
        XCTAssertEqual(network.tables, 310_141_227, "tables with these margins")
        XCTAssertLessThan(network.work, 10_000_000)
        XCTAssertThrowsError(try table.fisherExactTest(tableLimit: 1000)) { error in
            XCTAssertEqual(error as? ContingencyError, .tooManyTables(limit: 1000))
        }
        let fallback = try table.test(.auto)
        XCTAssertFalse(fallback.method.contains("Chi"), fallback.method)
    }
}

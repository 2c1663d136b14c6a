import Glibc
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

    /// The oracle itself, on 2 x 2 tables, against the hypergeometric 2 x 2 test (checked against R
    /// in ContingencyTableTests) and a count of tables done by hand: margins (3, 3 | 3, 3) admit
    /// the 4 tables with a = 0...3.
    func testEnumerationOracleOnTwoByTwoTables() throws {
        let hand = try TableEnumerator(try ContingencyTable([[1, 2], [2, 1]])).twoSidedP(limit: 100)
        XCTAssertEqual(hand.tables, 4)
        // P(a) = C(3,a) C(3,3-a) / C(6,3): 1/20, 9/20, 9/20, 1/20; observed a = 1 → P = 1.
        assertClose(hand.p, 1, relative: 1e-15, "symmetric 2 x 2")
        for counts in [[[3, 0], [0, 3]], [[5, 1], [2, 7]], [[0, 4], [6, 1]]] {
            let table = try ContingencyTable(counts)
            assertClose(try TableEnumerator(table).twoSidedP(limit: 1000).p, try table.fisherExactTest().pValue, relative: 1e-12, "\(counts)")
        }
    }
}

// The brute-force oracle for the network algorithm (FisherNetwork): it was CohortKit's r x c
// Fisher test before the network algorithm and stays here to check it on small random tables.

/// Visits every r × c table with the margins of a given table, column by column and within a
/// column row by row; the last row of each column and the whole last column follow from the margins.
/// A cell's range is [max(0, left − capacity of the rows below), min(row remainder, left)], where
/// `left` is what the column still needs: every partial table it builds can be completed, so no
/// work is wasted on dead ends.
struct TableEnumerator {
    let rows: Int
    let columns: Int
    let rowTotals: [Int]
    let columnTotals: [Int]
    /// lgamma(k + 1) for k = 0...n.
    let logFactorial: [Double]
    /// log of the observed table's probability, without the constant Π r_i! Π c_j! / n!.
    let observedLogWeight: Double

    init(_ table: ContingencyTable) {
        // The test is symmetric in rows and columns: transpose so that there are no more columns
        // than rows, which keeps the number of column levels of the recursion small.
        let counts = table.columnCount > table.rowCount
            ? (0..<table.columnCount).map { j in table.counts.map { $0[j] } } : table.counts
        rows = counts.count
        columns = counts[0].count
        rowTotals = counts.map { $0.reduce(0, +) }
        columnTotals = (0..<columns).map { j in counts.reduce(0) { $0 + $1[j] } }
        let logFactorial: [Double] = (0...table.total).map { k in Glibc.lgamma(Double(k) + 1) }
        self.logFactorial = logFactorial
        observedLogWeight = counts.joined().reduce(0) { $0 - logFactorial[$1] }
    }

    /// The two-sided P and the number of tables visited.
    func twoSidedP(limit: Int) throws(ContingencyError) -> (p: Double, tables: Int) {
        let constant = rowTotals.reduce(0) { $0 + logFactorial[$1] } + columnTotals.reduce(0) { $0 + logFactorial[$1] }
            - logFactorial[rowTotals.reduce(0, +)]
        let cutoff = observedLogWeight + Glibc.log1p(1e-7)
        var remaining = rowTotals
        var sum = 0.0   // Σ Glibc.exp(weight − observedLogWeight) over the counted tables
        var visited = 0

        // Depth-first over (column, row) with explicit recursion; `weight` is −Σ log x_ij! so far.
        func fill(column: Int, row: Int, left: Int, weight: Double) throws(ContingencyError) {
            if column == columns - 1 {
                // Last column: cell i is what row i still needs.
                var w = weight
                for i in 0..<rows { w -= logFactorial[remaining[i]] }
                visited += 1
                if visited > limit { throw .tooManyTables(limit: limit) }
                if w <= cutoff { sum += Glibc.exp(w - observedLogWeight) }
                return
            }
            if row == rows - 1 {
                // Last row of the column takes what is left (always <= its remainder, by the ranges).
                remaining[row] -= left
                defer { remaining[row] += left }
                let next = column + 1
                try fill(column: next, row: 0, left: columnTotals[next], weight: weight - logFactorial[left])
                return
            }
            var below = 0
            for i in (row + 1)..<rows { below += remaining[i] }
            let low = max(0, left - below), high = min(remaining[row], left)
            guard low <= high else { return }
            for x in low...high {
                remaining[row] -= x
                defer { remaining[row] += x }
                try fill(column: column, row: row + 1, left: left - x, weight: weight - logFactorial[x])
            }
        }
        try fill(column: 0, row: 0, left: columnTotals[0], weight: 0)
        let p = sum * Glibc.exp(observedLogWeight + constant)
        return (min(1, p), visited)
    }
}

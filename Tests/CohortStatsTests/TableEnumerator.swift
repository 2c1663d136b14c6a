@testable import CohortStats
import Foundation

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
        let logFactorial: [Double] = (0...table.total).map { k in lgamma(Double(k) + 1) }
        self.logFactorial = logFactorial
        observedLogWeight = counts.joined().reduce(0) { $0 - logFactorial[$1] }
    }

    /// The two-sided P and the number of tables visited.
    func twoSidedP(limit: Int) throws(ContingencyError) -> (p: Double, tables: Int) {
        let constant = rowTotals.reduce(0) { $0 + logFactorial[$1] } + columnTotals.reduce(0) { $0 + logFactorial[$1] }
            - logFactorial[rowTotals.reduce(0, +)]
        let cutoff = observedLogWeight + log1p(1e-7)
        var remaining = rowTotals
        var sum = 0.0   // Σ exp(weight − observedLogWeight) over the counted tables
        var visited = 0

        // Depth-first over (column, row) with explicit recursion; `weight` is −Σ log x_ij! so far.
        func fill(column: Int, row: Int, left: Int, weight: Double) throws(ContingencyError) {
            if column == columns - 1 {
                // Last column: cell i is what row i still needs.
                var w = weight
                for i in 0..<rows { w -= logFactorial[remaining[i]] }
                visited += 1
                if visited > limit { throw .tooManyTables(limit: limit) }
                if w <= cutoff { sum += exp(w - observedLogWeight) }
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
        let p = sum * exp(observedLogWeight + constant)
        return (min(1, p), visited)
    }
}

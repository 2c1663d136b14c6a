#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ContingencyTable {
    /// The default limit on the number of tables ``fisherExactTest(alternative:confidenceLevel:tableLimit:)``
    /// enumerates for an r × c table (10⁷: a few seconds at most in a release build).
    public static let defaultFisherTableLimit = 10_000_000

    /// Fisher's exact test (R: `fisher.test(x, alternative, conf.level)` without `simulate.p.value`).
    ///
    /// A 2 × 2 table gets the P of the chosen alternative, the conditional MLE odds ratio and its
    /// exact conditional interval (see `fisherTwoByTwo`). A larger table gets the two-sided P
    /// only (R ignores `alternative` there; here a one-sided request is an error), computed by
    /// exact enumeration of every table with the observed margins:
    /// ```
    /// P(table) = Π rowTotal_i! · Π columnTotal_j! / (n! · Π_ij x_ij!)       (multivariate hypergeometric)
    /// P value  = Σ P(table) over tables with P(table) <= P(observed) · (1 + 1e-7)
    /// ```
    /// (Agresti 2002, §3.5.3; Freeman and Halton 1951). R uses the network algorithm of Mehta and
    /// Patel (FEXACT), which finds the same sum without visiting every table; enumeration is
    /// enough for the small sparse tables of clinical cohorts. More than `tableLimit` tables
    /// throws ``ContingencyError/tooManyTables(limit:)``, whose message points to the chi-square test.
    public func fisherExactTest(alternative: TestResult.Alternative = .twoSided, confidenceLevel: Double = 0.95,
                                tableLimit: Int = defaultFisherTableLimit) throws(ContingencyError) -> TestResult {
        guard confidenceLevel > 0, confidenceLevel < 1 else { throw .invalidConfidenceLevel(confidenceLevel) }
        if isTwoByTwo { return fisherTwoByTwo(alternative: alternative, confidenceLevel: confidenceLevel) }
        guard alternative == .twoSided else { throw .oneSidedNeedsTwoByTwo(rows: rowCount, columns: columnCount) }
        let (p, visited) = try TableEnumerator(self).twoSidedP(limit: tableLimit)
        var warnings: [String] = []
        if visited == 1 { warnings.append("only one table has these margins, so P = 1") }
        return TestResult(
            statistic: nil, df: nil, pValue: p, method: "Fisher's Exact Test for Count Data",
            methodDetails: "Fisher's exact test, \(rowCount) x \(columnCount), two-sided: exact enumeration of the \(visited) tables with the observed margins, sum of the probabilities <= the observed probability x (1 + 1e-7) (R: fisher.test, network algorithm)",
            alternative: .twoSided, estimate: nil, confidenceInterval: nil, expected: nil, warnings: warnings)
    }
}

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

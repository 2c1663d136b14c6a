/// An r × c table of counts, the input of ``ContingencyTable/fisherExactTest(alternative:confidenceLevel:tableLimit:)``
/// and ``ContingencyTable/chiSquareTest(correct:)``.
///
/// Rows are usually groups (exposure) and columns outcomes, but every test here is symmetric in
/// the two except the direction of the odds ratio: for a 2 × 2 table
/// ```
///            col 1   col 2
///   row 1      a       b
///   row 2      c       d          odds ratio = (a/b) / (c/d) = ad / bc
/// ```
/// which is R's convention (`fisher.test(matrix(c(a, c, b, d), 2))`, i.e. the [1,1] cell is `a`).
///
/// Validation, and what R does with empty rows or columns:
/// - counts are non-negative integers, the table is rectangular with at least 2 rows and 2 columns,
///   and at least one count is positive (R: `fisher.test` and `chisq.test` stop on negative counts
///   and on fewer than 2 rows or columns);
/// - all-zero rows and columns are **kept**. They do not change Fisher's exact test: every table
///   with the same margins has zeros there, and a zero factor 0! = 1 leaves the hypergeometric
///   probability unchanged; R's `fisher.test` keeps them too (without `simulate.p.value`) and
///   returns the same P as on the table without them (for a 2 × 2 with a zero margin, R returns
///   P = 1, estimate 0 and interval [0, Inf], and so does this type). Pearson's chi-square is
///   undefined there (an expected count is 0, R returns `NaN`): ``chiSquareTest(correct:)`` throws
///   ``ContingencyError/emptyMargin(_:index:)`` instead of returning NaN.
public struct ContingencyTable: Sendable, Equatable {
    /// counts[i][j]: row i, column j.
    public let counts: [[Int]]
    public let rowTotals: [Int]
    public let columnTotals: [Int]
    public let total: Int

    public var rowCount: Int { counts.count }
    public var columnCount: Int { counts[0].count }
    public var isTwoByTwo: Bool { rowCount == 2 && columnCount == 2 }

    /// Validates and stores `counts` (rows of equal length).
    public init(_ counts: [[Int]]) throws(ContingencyError) {
        guard counts.count >= 2, let width = counts.first?.count, width >= 2 else {
            throw .tooSmall(rows: counts.count, columns: counts.first?.count ?? 0)
        }
        for (i, row) in counts.enumerated() {
            guard row.count == width else { throw .notRectangular(row: i, length: row.count, expected: width) }
            for (j, value) in row.enumerated() where value < 0 { throw .negativeCount(row: i, column: j, value: value) }
        }
        let rowTotals = counts.map { $0.reduce(0, +) }
        let columnTotals = (0..<width).map { j in counts.reduce(0) { $0 + $1[j] } }
        let total = rowTotals.reduce(0, +)
        guard total > 0 else { throw .emptyTable }
        self.counts = counts
        self.rowTotals = rowTotals
        self.columnTotals = columnTotals
        self.total = total
    }

    /// The 2 × 2 table of two groups with `events1` of `n1` and `events2` of `n2`:
    /// rows are the groups, columns event / no event, so the odds ratio is that of group 1 vs group 2.
    public init(events1: Int, of n1: Int, events2: Int, of n2: Int) throws(ContingencyError) {
        guard events1 <= n1, events2 <= n2 else {
            throw .negativeCount(row: events1 > n1 ? 0 : 1, column: 1, value: events1 > n1 ? n1 - events1 : n2 - events2)
        }
        try self.init([[events1, n1 - events1], [events2, n2 - events2]])
    }

    /// Expected counts under independence, E[i][j] = rowTotal[i] · columnTotal[j] / n.
    public var expectedCounts: [[Double]] {
        let n = Double(total)
        return rowTotals.map { r in columnTotals.map { c in Double(r) * Double(c) / n } }
    }
}

/// Why a table or a test was refused. Every case names what to do instead.
public enum ContingencyError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Margin: String, Sendable { case row, column }

    case tooSmall(rows: Int, columns: Int)
    case notRectangular(row: Int, length: Int, expected: Int)
    case negativeCount(row: Int, column: Int, value: Int)
    case emptyTable
    /// Pearson's chi-square with an all-zero row or column (an expected count of 0).
    case emptyMargin(Margin, index: Int)
    /// Fisher's exact test (r × c) would take more than `limit` steps of the network algorithm.
    case tooManyTables(limit: Int)
    case oneSidedNeedsTwoByTwo(rows: Int, columns: Int)
    case invalidConfidenceLevel(Double)

    public var description: String {
        switch self {
        case let .tooSmall(rows, columns):
            return "a contingency table needs at least 2 rows and 2 columns (got \(rows) x \(columns))"
        case let .notRectangular(row, length, expected):
            return "row \(row + 1) has \(length) counts, the first row has \(expected)"
        case let .negativeCount(row, column, value):
            return "count in row \(row + 1), column \(column + 1) is negative (\(value))"
        case .emptyTable:
            return "every count is 0: there is nothing to test"
        case let .emptyMargin(margin, index):
            return "\(margin.rawValue) \(index + 1) has no observations, so an expected count is 0 and Pearson's chi-square is undefined (R returns NaN); drop the empty \(margin.rawValue) or use Fisher's exact test"
        case let .tooManyTables(limit):
            return "Fisher's exact test: the network algorithm needs more than \(limit) steps for a table this large; use the chi-square test (chiSquareTest) or merge sparse categories"
        case let .oneSidedNeedsTwoByTwo(rows, columns):
            return "a one-sided Fisher test needs a 2 x 2 table (got \(rows) x \(columns)); R's fisher.test ignores the alternative for larger tables"
        case let .invalidConfidenceLevel(level):
            return "confidence level must be strictly between 0 and 1 (got \(level))"
        }
    }
}

extension ContingencyTable {
    /// Pearson's chi-square test of independence, as R's `chisq.test(x, correct)` (no simulation).
    ///
    /// ```
    /// E_ij = r_i c_j / n
    /// X²   = Σ_ij (|O_ij − E_ij| − δ)² / E_ij,   df = (r − 1)(c − 1),   P = P(χ²_df > X²)
    /// δ    = min(0.5, min_ij |O_ij − E_ij|)  for a 2 × 2 table with correct = true (Yates 1934),
    ///        0 otherwise
    /// ```
    /// δ follows R: the correction is 0.5 but never more than |O − E| (all four |O − E| of a 2 × 2
    /// table are equal), so a table with O = E keeps X² = 0 instead of being pushed away from it;
    /// when δ = 0 R drops "with Yates' continuity correction" from the method name, and so does
    /// this function. `correct` has no effect on larger tables, as in R.
    ///
    /// P comes from ``ChiSquare/survival(_:df:)`` (upper tail, no 1 − cdf cancellation). When
    /// any E_ij < 5 the result carries R's warning "Chi-squared approximation may be incorrect"
    /// (Agresti 2002, §3.2.1: the approximation can be poor then; use ``fisherExactTest(alternative:confidenceLevel:tableLimit:)``).
    ///
    /// An all-zero row or column makes some E_ij = 0; R returns NaN, this throws
    /// ``ContingencyError/emptyMargin(_:index:)``.
    public func chiSquareTest(correct: Bool = true) throws(ContingencyError) -> TestResult {
        if let i = rowTotals.firstIndex(of: 0) { throw .emptyMargin(.row, index: i) }
        if let j = columnTotals.firstIndex(of: 0) { throw .emptyMargin(.column, index: j) }
        let expected = expectedCounts
        var delta = 0.0
        if correct && isTwoByTwo {
            var smallest = 0.5
            for i in 0..<2 { for j in 0..<2 { smallest = min(smallest, abs(Double(counts[i][j]) - expected[i][j])) } }
            delta = smallest
        }
        var statistic = 0.0
        for i in 0..<rowCount {
            for j in 0..<columnCount {
                let d = abs(Double(counts[i][j]) - expected[i][j]) - delta
                statistic += d * d / expected[i][j]
            }
        }
        let df = (rowCount - 1) * (columnCount - 1)
        let corrected = delta > 0
        let method = corrected ? "Pearson's Chi-squared test with Yates' continuity correction" : "Pearson's Chi-squared test"
        let smallExpected = expected.joined().contains { $0 < 5 }
        return TestResult(
            statistic: statistic, statisticName: "X-squared", df: Double(df), pValue: ChiSquare.survival(statistic, df: Double(df)), method: method,
            methodDetails: "Pearson's chi-square test of independence, \(rowCount) x \(columnCount), "
                + (corrected ? "Yates' continuity correction min(0.5, |O - E|)" : "no continuity correction")
                + "; P = upper tail of chi-square with \(df) df (R: chisq.test, correct = \(correct ? "TRUE" : "FALSE"))",
            alternative: .twoSided, estimate: nil, confidenceInterval: nil, expected: expected,
            warnings: smallExpected ? ["Chi-squared approximation may be incorrect"] : [])
    }
}

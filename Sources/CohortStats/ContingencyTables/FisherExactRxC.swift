#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ContingencyTable {
    /// The default limit on the work of the network algorithm for an r × c table in
    /// ``fisherExactTest(alternative:confidenceLevel:tableLimit:)``: 10⁷ steps (column fillings
    /// generated plus partial tables extended), a few seconds at most in a release build.
    public static let defaultFisherTableLimit = 10_000_000

    /// Fisher's exact test (R: `fisher.test(x, alternative, conf.level)` without `simulate.p.value`).
    ///
    /// A 2 × 2 table gets the P of the chosen alternative, the conditional MLE odds ratio and its
    /// exact conditional interval (see `fisherTwoByTwo`). A larger table gets the two-sided P
    /// only (R ignores `alternative` there; here a one-sided request is an error):
    /// ```
    /// P(table) = Π rowTotal_i! · Π columnTotal_j! / (n! · Π_ij x_ij!)       (multivariate hypergeometric)
    /// P value  = Σ P(table) over tables with P(table) <= P(observed) · (1 + 1e-7)
    /// ```
    /// (Agresti 2002, §3.5.3; Freeman and Halton 1951), computed as R does with the network
    /// algorithm of Mehta and Patel (1983), which settles whole sets of tables at once without
    /// visiting them (see `FisherNetwork`). More than `tableLimit` steps of work throws
    /// ``ContingencyError/tooManyTables(limit:)``, whose message points to the chi-square test.
    public func fisherExactTest(alternative: TestResult.Alternative = .twoSided, confidenceLevel: Double = 0.95,
                                tableLimit: Int = defaultFisherTableLimit) throws(ContingencyError) -> TestResult {
        guard confidenceLevel > 0, confidenceLevel < 1 else { throw .invalidConfidenceLevel(confidenceLevel) }
        if isTwoByTwo { return fisherTwoByTwo(alternative: alternative, confidenceLevel: confidenceLevel) }
        guard alternative == .twoSided else { throw .oneSidedNeedsTwoByTwo(rows: rowCount, columns: columnCount) }
        let (p, tables, _) = try FisherNetwork(self).twoSidedP(limit: tableLimit)
        var warnings: [String] = []
        if tables == 1 { warnings.append("only one table has these margins, so P = 1") }
        return TestResult(
            statistic: nil, df: nil, pValue: p, method: "Fisher's Exact Test for Count Data",
            methodDetails: "Fisher's exact test, \(rowCount) x \(columnCount), two-sided: sum of the probabilities of the tables with the observed margins that are <= the observed probability x (1 + 1e-7), by the network algorithm (Mehta and Patel 1983; R: fisher.test)",
            alternative: .twoSided, estimate: nil, confidenceInterval: nil, expected: nil, warnings: warnings)
    }
}

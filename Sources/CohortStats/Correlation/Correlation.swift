/// One entry point for the three correlation tests of R's `cor.test`.
public enum Correlation {
    public enum Method: String, Sendable, CaseIterable, Codable {
        case pearson, spearman, kendall
    }

    /// Tests for association between paired samples, as `cor.test(x, y, method, alternative, exact,
    /// continuity, conf.level)`.
    /// - Parameters:
    ///   - x: first variable (finite values; drop pairs with a missing value first).
    ///   - y: second variable, paired with x.
    ///   - method: Pearson's r, Spearman's rho or Kendall's tau (tau-b with ties).
    ///   - alternative: `.greater` means positive association.
    ///   - exact: Spearman and Kendall only; nil chooses as R does (see each method).
    ///   - continuity: Spearman and Kendall only: continuity correction in the approximations.
    ///   - confidenceLevel: Pearson only: level of the Fisher-z interval.
    /// - Returns: the coefficient as `estimate`, the statistic R reports (t, S, T or z), P,
    ///   `sampleSizes` [number of pairs].
    /// - Throws: ``GroupTestError``: too few pairs, unequal lengths, a non-finite value or a
    ///   constant variable (R returns NA there).
    public static func test(_ x: [Double], _ y: [Double], method: Method, alternative: TestResult.Alternative = .twoSided,
                            exact: Bool? = nil, continuity: Bool = false, confidenceLevel: Double = 0.95) throws(GroupTestError) -> TestResult {
        switch method {
        case .pearson: return try PearsonCorrelation.test(x, y, alternative: alternative, confidenceLevel: confidenceLevel)
        case .spearman: return try SpearmanCorrelation.test(x, y, alternative: alternative, exact: exact, continuity: continuity)
        case .kendall: return try KendallCorrelation.test(x, y, alternative: alternative, exact: exact, continuity: continuity)
        }
    }

    static func checkPairs(_ x: [Double], _ y: [Double], atLeast needed: Int) throws(GroupTestError) {
        guard x.count == y.count else { throw .lengthMismatch(x: x.count, y: y.count) }
        try GroupTestInput.requireFinite(x, "x")
        try GroupTestInput.requireFinite(y, "y")
        if x.count < needed { throw .tooFewObservations(what: "the pairs (x, y)", needed: needed, got: x.count) }
    }
}

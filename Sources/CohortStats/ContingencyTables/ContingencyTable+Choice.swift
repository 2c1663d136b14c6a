extension ContingencyTable {
    /// Which test a comparison of categories uses.
    public enum TestChoice: String, Sendable, CaseIterable, Codable {
        /// Pearson's chi-square without continuity correction when every expected count is at least
        /// 5, Fisher's exact test otherwise (gtsummary's rule).
        case auto
        case fisher
        case chisq
        case chisqYates = "chisq-yates"
    }

    /// The test `choice` names; for `.auto`, gtsummary's rule.
    ///
    /// When the rule asks for Fisher's exact test on a table too large for the network algorithm, Pearson's
    /// chi-square is reported instead with a warning that says why and that some expected counts
    /// are below 5, rather than no P value at all. A forced `.fisher` throws instead.
    /// - Throws: ``ContingencyError`` when the chosen test is undefined for this table.
    public func test(_ choice: TestChoice) throws(ContingencyError) -> TestResult {
        switch choice {
        case .fisher: return try fisherExactTest()
        case .chisq: return try chiSquareTest(correct: false)
        case .chisqYates: return try chiSquareTest(correct: true)
        case .auto:
            guard expectedCounts.joined().contains(where: { $0 < 5 }) else { return try chiSquareTest(correct: false) }
            do {
                return try fisherExactTest()
            } catch .tooManyTables(let limit) {
                let fallback = try chiSquareTest(correct: false)
                return fallback.adding(warning: "Fisher's exact test would need more than \(limit) steps of the network algorithm; Pearson's chi-square is reported although some expected counts are below 5")
            }
        }
    }
}

extension TestResult {
    /// The same result with one more warning.
    func adding(warning: String) -> TestResult {
        TestResult(statistic: statistic, df: df, pValue: pValue, method: method, methodDetails: methodDetails, alternative: alternative,
                   estimate: estimate, confidenceInterval: confidenceInterval, expected: expected, warnings: warnings + [warning])
    }
}

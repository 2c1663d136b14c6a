/// The Kruskal–Wallis rank-sum test of k ≥ 2 independent groups, as R's `kruskal.test(groups)`.
///
/// ```
/// H = [12 / (N(N + 1)) · Σ_i R_i² / n_i − 3(N + 1)] / [1 − Σ_j (t_j³ − t_j) / (N³ − N)]
/// P = P(χ²_{k−1} > H)
/// ```
/// R_i is the sum of the midranks of group i in the pooled sample, t_j the tie sizes; the
/// denominator is the tie correction (1 without ties). With two groups H equals the square of the
/// rank-sum z without continuity correction.
///
/// References: Kruskal & Wallis (1952), JASA 47:583–621; Hollander & Wolfe (1999), §6.1; R's
/// `?kruskal.test`.
public enum KruskalWallis {
    /// - Parameters:
    ///   - groups: the observations of each group (finite values; every group non-empty).
    /// - Returns: statistic H ("Kruskal-Wallis chi-squared"), df = k − 1, P; `sampleSizes` per group.
    /// - Throws: ``GroupTestError`` for fewer than 2 groups or an empty group (R stops too), a
    ///   non-finite value, or all values tied (R returns NaN).
    public static func test(groups: [[Double]]) throws(GroupTestError) -> TestResult {
        guard groups.count >= 2 else { throw .tooFewObservations(what: "the list of groups", needed: 2, got: groups.count) }
        for (i, group) in groups.enumerated() {
            try GroupTestInput.requireCount(group, atLeast: 1, "group \(i + 1)")
            try GroupTestInput.requireFinite(group, "group \(i + 1)")
        }
        let ranking = Ranking(groups.flatMap { $0 })
        let n = Double(ranking.ranks.count)
        let tieFactor = 1 - ranking.tieCorrectionSum / (n * n * n - n)
        guard tieFactor > 0 else { throw .allTied(test: "Kruskal-Wallis rank sum test") }
        var start = 0, weighted = 0.0
        for group in groups {
            let rankSum = ranking.ranks[start..<(start + group.count)].reduce(0, +)
            weighted += rankSum * rankSum / Double(group.count)
            start += group.count
        }
        let h = (12 * weighted / (n * (n + 1)) - 3 * (n + 1)) / tieFactor
        let df = groups.count - 1
        let sizes = groups.map(\.count)
        return TestResult(
            statistic: h, statisticName: "Kruskal-Wallis chi-squared", df: Double(df), pValue: ChiSquare.survival(max(h, 0), df: Double(df)), method: "Kruskal-Wallis rank sum test",
            methodDetails: "chi-square approximation with \(df) df, \(ranking.hasTies ? "tie-corrected" : "no ties"), \(GroupTestInput.sizes(sizes))",
            alternative: .twoSided, estimate: nil, confidenceInterval: nil, sampleSizes: sizes)
    }
}

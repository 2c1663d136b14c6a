/// The Wilcoxon rank-sum (Mann–Whitney) test of two independent samples, as R's
/// `wilcox.test(x, y, alternative, correct, exact)`.
///
/// ```
/// W = Σ_{i ∈ x} R_i − m(m + 1)/2          (R_i midranks in the pooled sample; m = |x|, n = |y|)
/// ```
/// W counts the pairs (x_i, y_j) with x_i > y_j, plus ½ for each tie.
///
/// **Exact** (R's default when m < 50, n < 50 and there are no ties; `exact: true` asks for it at
/// any size): P from the permutation distribution of W (``RankSumDistribution``),
/// ```
/// less: P(W ≤ w)    greater: P(W ≥ w)
/// two-sided: min(1, 2 P(W ≥ w)) if w > mn/2, else min(1, 2 P(W ≤ w))
/// ```
/// **Normal approximation** (otherwise; with ties even when `exact: true`, with R's warning
/// "cannot compute exact p-value with ties"):
/// ```
/// σ² = mn/12 · [(N + 1) − Σ (t_j³ − t_j) / (N(N − 1))]      N = m + n, t_j tie sizes
/// z  = (W − mn/2 − c) / σ,   c = 0.5 · sign(W − mn/2) (two-sided), +0.5 (greater), −0.5 (less)
/// ```
/// with c = 0 when `correct` is false. P from the standard normal, two-sided 2 × the smaller tail.
///
/// References: R's `?wilcox.test`; Hollander & Wolfe (1999), §4.1 (tie-corrected variance);
/// Lehmann (1975), Nonparametrics, §1.4.
public enum WilcoxonRankSum {
    /// The largest m·n for which `exact: true` counts the distribution (about (mn)²/4 additions:
    /// 1e8 at the limit, well under a second in a release build). R's default rule stays far below
    /// (49 · 49 = 2401).
    public static let exactSizeLimit = 20_000

    /// Tests whether x tends to be larger or smaller than y.
    /// - Parameters:
    ///   - x: first sample (finite values, at least 1).
    ///   - y: second sample (finite values, at least 1).
    ///   - alternative: `.greater` means x tends to be larger than y.
    ///   - correct: continuity correction in the normal approximation (R's default true).
    ///   - exact: nil chooses as R does (exact when both samples < 50 and no ties); true/false force.
    /// - Returns: statistic W, P, R's method name; `sampleSizes` [m, n].
    /// - Throws: ``GroupTestError`` for an empty sample, a non-finite value, all values tied
    ///   (σ = 0; R returns NaN), or `exact: true` with m·n above ``exactSizeLimit``.
    public static func test(_ x: [Double], _ y: [Double], alternative: TestResult.Alternative = .twoSided,
                            correct: Bool = true, exact: Bool? = nil) throws(GroupTestError) -> TestResult {
        try GroupTestInput.requireCount(x, atLeast: 1, "x")
        try GroupTestInput.requireCount(y, atLeast: 1, "y")
        try GroupTestInput.requireFinite(x, "x")
        try GroupTestInput.requireFinite(y, "y")
        let m = x.count, n = y.count, big = Double(m + n)
        let ranking = Ranking(x + y)
        let w = ranking.ranks[0..<m].reduce(0, +) - Double(m * (m + 1)) / 2
        let sizes = GroupTestInput.sizes([m, n])
        let wantExact = exact ?? (m < 50 && n < 50)
        if wantExact && !ranking.hasTies {
            if m * n > exactSizeLimit { throw .exactTooLarge(test: "Wilcoxon rank sum exact test", sizes: [m, n], limit: exactSizeLimit) }
            let distribution = RankSumDistribution(m: m, n: n)
            // Without ties W is a whole number.
            let observed = Int(w.rounded())
            let lower = distribution.lowerTail(observed), upper = distribution.upperTail(observed)
            let p: Double
            switch alternative {
            case .less: p = lower
            case .greater: p = upper
            case .twoSided: p = min(1, 2 * (w > Double(m * n) / 2 ? upper : lower))
            }
            return TestResult(
                statistic: w, statisticName: "W", df: nil, pValue: p, method: "Wilcoxon rank sum exact test",
                methodDetails: "exact: permutation distribution of W (no ties), \(sizes)",
                alternative: alternative, estimate: nil, confidenceInterval: nil, sampleSizes: [m, n])
        }
        let mn = Double(m) * Double(n)
        let variance = mn / 12 * ((big + 1) - ranking.tieCorrectionSum / (big * (big - 1)))
        guard variance > 0 else { throw .allTied(test: "Wilcoxon rank sum test") }
        let centred = w - mn / 2
        var correction = 0.0
        if correct {
            switch alternative {
            case .twoSided: correction = centred > 0 ? 0.5 : (centred < 0 ? -0.5 : 0)
            case .greater: correction = 0.5
            case .less: correction = -0.5
            }
        }
        let z = (centred - correction) / variance.squareRoot()
        var warnings: [String] = []
        if wantExact && ranking.hasTies { warnings.append("cannot compute exact p-value with ties") }
        let tieText = ranking.hasTies ? "tie-corrected variance" : "no ties"
        return TestResult(
            statistic: w, statisticName: "W", df: nil, pValue: alternative.pValue(lower: Normal.cdf(z), upper: Normal.survival(z)),
            method: correct ? "Wilcoxon rank sum test with continuity correction" : "Wilcoxon rank sum test",
            methodDetails: "normal approximation, \(correct ? "with" : "without") continuity correction, \(tieText), z = \(z), \(sizes)",
            alternative: alternative, estimate: nil, confidenceInterval: nil, warnings: warnings, sampleSizes: [m, n])
    }
}

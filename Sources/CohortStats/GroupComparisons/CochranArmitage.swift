import CohortData

/// The Cochran–Armitage test for a trend in proportions across ordered groups, as R's
/// `prop.trend.test(events, totals, score)`, and its signed z form.
///
/// With groups i = 1…k, x_i events of n_i, scores s_i, N = Σ n_i, p̄ = Σ x_i / N:
/// ```
/// s̄  = Σ n_i s_i / N
/// T  = Σ x_i (s_i − s̄)                 (= Σ n_i (p_i − p̄)(s_i − s̄))
/// V  = p̄ (1 − p̄) Σ n_i (s_i − s̄)²
/// X² = T² / V,   P = P(χ²_1 > X²)          z = T / √V,  X² = z²
/// ```
/// X² is the regression sum of squares of the weighted least-squares fit of p_i on s_i with
/// weights n_i / (p̄(1 − p̄)), which is how R computes it. Groups with n_i = 0 contribute nothing
/// (R drops their 0/0 proportion). z > 0 means the proportion rises with the score.
///
/// Other forms: `coin::independence_test` (and SAS's exact trend test) use the permutation
/// variance, V · N/(N − 1), so their z is √((N − 1)/N) times this one; `epitools` has no trend test.
/// This follows R's `prop.trend.test` (Armitage 1955) and DescTools' `CochranArmitageTest`, whose
/// two-sided P is the same.
///
/// References: Cochran (1954), Biometrics 10:417–451; Armitage (1955), Biometrics 11:375–386;
/// Agresti (2002), Categorical Data Analysis, §5.3.5.
public enum CochranArmitage {
    /// The chi-square form, as `prop.trend.test`.
    /// - Parameters:
    ///   - events: x_i, events in each ordered group.
    ///   - totals: n_i, subjects in each group (n_i ≥ x_i ≥ 0).
    ///   - scores: s_i; nil uses 1, 2, …, k (R's default).
    /// - Returns: statistic X², df 1, P; `sampleSizes` the n_i.
    /// - Throws: ``GroupTestError`` for mismatched lengths, invalid counts, fewer than 2 groups with
    ///   subjects, no variation in the outcome (all or no events: R stops), or equal scores (R: NA).
    public static func test(events: [Int], totals: [Int], scores: [Double]? = nil) throws(GroupTestError) -> TestResult {
        let parts = try components(events: events, totals: totals, scores: scores)
        let chiSquare = parts.t * parts.t / parts.v
        return TestResult(
            statistic: chiSquare, statisticName: "X-squared", df: 1, pValue: ChiSquare.survival(chiSquare, df: 1), method: "Chi-squared Test for Trend in Proportions",
            methodDetails: "chi-square approximation with 1 df (Cochran-Armitage), scores \(parts.scoreText), \(GroupTestInput.sizes(totals))",
            alternative: .twoSided, estimate: nil, confidenceInterval: nil, sampleSizes: totals)
    }

    /// The signed form z = T/√V with a normal P; two-sided P equals that of ``test(events:totals:scores:)``.
    /// `.greater` tests a proportion rising with the score.
    public static func zTest(events: [Int], totals: [Int], scores: [Double]? = nil,
                             alternative: TestResult.Alternative = .twoSided) throws(GroupTestError) -> TestResult {
        let parts = try components(events: events, totals: totals, scores: scores)
        let z = parts.t / parts.v.squareRoot()
        return TestResult(
            statistic: z, statisticName: "z", df: nil, pValue: alternative.pValue(lower: Normal.cdf(z), upper: Normal.survival(z)),
            method: "Cochran-Armitage test for trend",
            methodDetails: "normal approximation, z = T / sqrt(V) with V = p(1-p) sum n_i (s_i - s_bar)^2 (no N/(N-1) factor), scores \(parts.scoreText), \(GroupTestInput.sizes(totals))",
            alternative: alternative, estimate: nil, confidenceInterval: nil, sampleSizes: totals)
    }

    private static func components(events: [Int], totals: [Int], scores: [Double]?) throws(GroupTestError) -> (t: Double, v: Double, scoreText: String) {
        let scores = scores ?? events.indices.map { Double($0 + 1) }
        guard events.count == totals.count else { throw .lengthMismatch(x: events.count, y: totals.count) }
        guard scores.count == events.count else { throw .lengthMismatch(x: events.count, y: scores.count) }
        try GroupTestInput.requireFinite(scores, "scores")
        for i in events.indices where events[i] < 0 || totals[i] < events[i] {
            throw .invalidCounts(index: i, events: events[i], total: totals[i])
        }
        let used = events.indices.filter { totals[$0] > 0 }
        guard used.count >= 2 else { throw .tooFewObservations(what: "the list of groups with subjects", needed: 2, got: used.count) }
        let eventTotal = events.reduce(0, +), total = totals.reduce(0, +)
        guard eventTotal > 0, eventTotal < total else { throw .noVariationInOutcome(events: eventTotal, total: total) }
        let n = Double(total), pBar = Double(eventTotal) / n
        let sBar = used.reduce(0.0) { $0 + Double(totals[$1]) * scores[$1] } / n
        var t = 0.0, spread = 0.0
        for i in used {
            let d = scores[i] - sBar
            t += Double(events[i]) * d
            spread += Double(totals[i]) * d * d
        }
        guard spread > 0 else { throw .equalScores }
        let text = scores.map { NumberText.shortest($0) }.joined(separator: ", ")
        return (t, pBar * (1 - pBar) * spread, text)
    }
}

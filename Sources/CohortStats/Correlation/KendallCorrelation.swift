/// Kendall's rank correlation with its test, as R's `cor.test(x, y, method = "kendall")`.
///
/// With S = Σ_{i<j} sign(x_i − x_j) sign(y_i − y_j), n₀ = n(n − 1)/2 and, for the tie groups
/// t (in x) and u (in y), n₁ = Σ t(t − 1)/2, n₂ = Σ u(u − 1)/2:
/// ```
/// τ_b = S / √((n₀ − n₁)(n₀ − n₂))          (τ_a = S / n₀ without ties)
/// ```
/// **Exact** (R's default for n < 50 without ties): T = (S + n₀)/2 concordant pairs, P from its
/// permutation distribution (``KendallDistribution``); less P(T ≤ q), greater P(T ≥ q), two-sided
/// 2 × (the upper tail if q > n(n − 1)/4, else the lower), capped at 1.
///
/// **Normal approximation** (ties, with R's warning "Cannot compute exact p-value with ties" when
/// exact is wanted; or n ≥ 50; or `exact: false`), with the tie-corrected variance
/// ```
/// Var S = [n(n−1)(2n+5) − Σ t(t−1)(2t+5) − Σ u(u−1)(2u+5)] / 18
///       + [Σ t(t−1)] [Σ u(u−1)] / (2n(n−1))
///       + [Σ t(t−1)(t−2)] [Σ u(u−1)(u−2)] / (9n(n−1)(n−2))
/// z = (S − sign(S) [continuity]) / √Var S
/// ```
/// References: Kendall (1938), Biometrika 30:81–93; Kendall & Gibbons (1990), Rank Correlation
/// Methods, ch. 3–4 (the variance with ties); R's `?cor.test`.
public enum KendallCorrelation {
    static let name = "Kendall's rank correlation tau"
    /// The largest n for which `exact: true` counts the distribution (about n⁴/8 additions; n! also
    /// overflows a Double above 170). R's default rule stays below 50.
    public static let exactSizeLimit = 100

    /// - Parameters: see ``Correlation/test(_:_:method:alternative:exact:continuity:confidenceLevel:)``.
    /// - Throws: ``GroupTestError`` for fewer than 2 pairs, unequal lengths, a non-finite value, a
    ///   constant variable (R returns NA), or `exact: true` without ties above ``exactSizeLimit`` pairs.
    public static func test(_ x: [Double], _ y: [Double], alternative: TestResult.Alternative = .twoSided,
                            exact: Bool? = nil, continuity: Bool = false) throws(GroupTestError) -> TestResult {
        try Correlation.checkPairs(x, y, atLeast: 2)
        let n = x.count
        let score = KendallScore.score(x, y)
        let tx = Ranking(x).tieSizes.map(Double.init), ty = Ranking(y).tieSizes.map(Double.init)
        let n0 = Double(n) * Double(n - 1) / 2
        let n1 = tx.reduce(0) { $0 + $1 * ($1 - 1) / 2 }, n2 = ty.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        guard n1 < n0 else { throw .constant(what: "x", test: name) }
        guard n2 < n0 else { throw .constant(what: "y", test: name) }
        let s = Double(score)
        let tau = s / ((n0 - n1) * (n0 - n2)).squareRoot()
        let ties = !tx.isEmpty || !ty.isEmpty
        let wantExact = exact ?? (n < 50)
        if wantExact && !ties {
            if n > exactSizeLimit { throw .exactTooLarge(test: name, sizes: [n], limit: exactSizeLimit) }
            let q = (score + n * (n - 1) / 2) / 2
            let distribution = KendallDistribution(n: n)
            let p: Double
            switch alternative {
            case .less: p = distribution.lowerTail(q)
            case .greater: p = distribution.upperTail(q)
            case .twoSided:
                p = min(1, 2 * (Double(q) > Double(n * (n - 1)) / 4 ? distribution.upperTail(q) : distribution.lowerTail(q)))
            }
            return TestResult(
                statistic: Double(q), statisticName: "T", df: nil, pValue: p, method: name,
                methodDetails: "exact: permutation distribution of T = number of concordant pairs (no ties), n = \(n) pairs",
                alternative: alternative, estimate: tau, confidenceInterval: nil, sampleSizes: [n])
        }
        let nd = Double(n)
        func sum(_ t: [Double], _ f: (Double) -> Double) -> Double { t.reduce(0) { $0 + f($1) } }
        let v0 = nd * (nd - 1) * (2 * nd + 5)
        let vt = sum(tx) { $0 * ($0 - 1) * (2 * $0 + 5) }, vu = sum(ty) { $0 * ($0 - 1) * (2 * $0 + 5) }
        let v1 = sum(tx) { $0 * ($0 - 1) } * sum(ty) { $0 * ($0 - 1) }
        let v2 = sum(tx) { $0 * ($0 - 1) * ($0 - 2) } * sum(ty) { $0 * ($0 - 1) * ($0 - 2) }
        var variance = (v0 - vt - vu) / 18 + v1 / (2 * nd * (nd - 1))
        if n > 2 { variance += v2 / (9 * nd * (nd - 1) * (nd - 2)) }
        let corrected = continuity ? (s > 0 ? s - 1 : (s < 0 ? s + 1 : 0)) : s
        let z = corrected / variance.squareRoot()
        var warnings: [String] = []
        if wantExact && ties { warnings.append("Cannot compute exact p-value with ties") }
        let why = ties ? "ties, tie-corrected variance" : (wantExact ? "" : (exact == false ? "exact = FALSE" : "n >= 50"))
        return TestResult(
            statistic: z, statisticName: "z", df: nil, pValue: alternative.pValue(lower: Normal.cdf(z), upper: Normal.survival(z)), method: name,
            methodDetails: "normal approximation (\(why)), \(continuity ? "with" : "without") continuity correction, S = \(score), n = \(n) pairs",
            alternative: alternative, estimate: tau, confidenceInterval: nil, warnings: warnings, sampleSizes: [n])
    }
}

/// Spearman's rank correlation with its test, as R 4.2.2's `cor.test(x, y, method = "spearman")`.
///
/// ```
/// ρ = Pearson correlation of the midranks of x and y   (Ranking)
/// S = (n³ − n)(1 − ρ)/6                                  (= Σ (R_i − Q_i)² without ties)
/// ```
/// Which P, by R's rules (`exact` nil means R's default `exact = TRUE`):
/// - no ties, `exact` true, n ≤ 1290: AS 89 (``SpearmanDistribution``) at s = round(S): exact
///   permutation counts for n ≤ 9, the Edgeworth series for 10 ≤ n ≤ 1290;
///   less: P(S ≥ s); greater: P(S ≤ s) = P(S < s + 2) (S moves in steps of 2);
///   two-sided: 2 × (the first if S > (n³ − n)/6, else the second), capped at 1;
/// - ties (with R's warning "Cannot compute exact p-value with ties" when `exact` is true), `exact`
///   false, or n > 1290: the t approximation
///   ```
///   r' = 1 − S / ((n³ − n)/6 + [continuity])      t = r' √((n − 2) / (1 − r'²)),  ν = n − 2
///   ```
///   with the tails chosen as above (greater: upper tail of t).
///
/// References: Best & Roberts (1975), Algorithm AS 89; Hollander & Wolfe (1999), §8.5; R's
/// `?cor.test`.
public enum SpearmanCorrelation {
    static let name = "Spearman's rank correlation rho"

    /// - Parameters: see ``Correlation/test(_:_:method:alternative:exact:continuity:confidenceLevel:)``.
    /// - Throws: ``GroupTestError`` for fewer than 2 pairs, unequal lengths, a non-finite value or a
    ///   constant variable (R returns NA).
    public static func test(_ x: [Double], _ y: [Double], alternative: TestResult.Alternative = .twoSided,
                            exact: Bool? = nil, continuity: Bool = false) throws(GroupTestError) -> TestResult {
        try Correlation.checkPairs(x, y, atLeast: 2)
        let rx = Ranking(x), ry = Ranking(y)
        let rho = try PearsonCorrelation.coefficient(rx.ranks, ry.ranks, test: name)
        let n = x.count, nd = Double(n)
        let cubic = nd * nd * nd - nd
        let s = cubic * (1 - rho) / 6
        let ties = rx.hasTies || ry.hasTies
        let wantExact = exact ?? true
        var warnings: [String] = []
        if ties && wantExact { warnings.append("Cannot compute exact p-value with ties") }
        let lowerTail: (Bool) -> Double
        let details: String
        if wantExact && !ties && n <= 1290 {
            let rounded = s.rounded()
            lowerTail = { lower in SpearmanDistribution.prho(n: n, s: rounded + (lower ? 2 : 0), lowerTail: lower) }
            details = n <= 9
                ? "exact: permutation distribution of S (AS 89, n <= 9, no ties)"
                : "Edgeworth series approximation to the permutation distribution of S (AS 89; R's default 'exact' branch for 10 <= n <= 1290 without ties)"
        } else {
            // The t approximation has n − 2 df: with 2 pairs it is undefined (R returns NaN).
            if n < 3 { throw .tooFewObservations(what: "the pairs (x, y)", needed: 3, got: n) }
            let denominator = cubic / 6 + (continuity ? 1 : 0)
            lowerTail = { lower in
                let r = 1 - s / denominator
                let t = r / ((1 - r * r) / (nd - 2)).squareRoot()
                return lower ? StudentT.survival(t, df: nd - 2) : StudentT.cdf(t, df: nd - 2)
            }
            let why = ties ? "ties" : (wantExact ? "n > 1290" : "exact = FALSE")
            details = "t approximation with n - 2 = \(n - 2) df (\(why)), \(continuity ? "with" : "without") continuity correction"
        }
        // lowerTail(true) is R's pspearman(q, lower.tail = TRUE): small S, positive association.
        let p: Double
        switch alternative {
        case .greater: p = lowerTail(true)
        case .less: p = lowerTail(false)
        case .twoSided: p = min(1, 2 * lowerTail(!(s > cubic / 6)))
        }
        return TestResult(
            statistic: s, statisticName: "S", df: nil, pValue: p, method: name, methodDetails: details + ", n = \(n) pairs",
            alternative: alternative, estimate: rho, confidenceInterval: nil, warnings: warnings, sampleSizes: [n])
    }
}

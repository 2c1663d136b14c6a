import Foundation

/// Pearson's product-moment correlation with its t test and Fisher-z interval, as R's
/// `cor.test(x, y, method = "pearson")`.
///
/// ```
/// r = Σ (x_i − x̄)(y_i − ȳ) / √(Σ (x_i − x̄)² Σ (y_i − ȳ)²)
/// t = r √(n − 2) / √(1 − r²),   ν = n − 2,   P from t_ν
/// CI (n ≥ 4): tanh(atanh(r) ± z_{1−α/2} / √(n − 3))   (one-sided: one end ±1)
/// ```
/// References: Fisher (1921), Metron 1:3–32 (the z transformation); R's `?cor.test`.
public enum PearsonCorrelation {
    /// - Parameters: see ``Correlation/test(_:_:method:alternative:exact:continuity:confidenceLevel:)``.
    /// - Throws: ``GroupTestError`` for fewer than 3 pairs (R: "not enough finite observations"),
    ///   unequal lengths, a non-finite value, or a constant variable (R returns NA).
    public static func test(_ x: [Double], _ y: [Double], alternative: TestResult.Alternative = .twoSided,
                            confidenceLevel: Double = 0.95) throws(GroupTestError) -> TestResult {
        try Correlation.checkPairs(x, y, atLeast: 3)
        try GroupTestInput.requireLevel(confidenceLevel)
        let r = try coefficient(x, y, test: "Pearson's product-moment correlation")
        let n = x.count, df = Double(n - 2)
        let t = r * df.squareRoot() / (1 - r * r).squareRoot()
        let p = alternative.pValue(lower: StudentT.cdf(t, df: df), upper: StudentT.survival(t, df: df))
        var interval: TestResult.Interval?
        if n > 3 {
            let z = atanh(r), sigma = 1 / Double(n - 3).squareRoot()
            switch alternative {
            case .twoSided:
                let q = Normal.quantile((1 + confidenceLevel) / 2)
                interval = .init(lower: tanh(z - sigma * q), upper: tanh(z + sigma * q), level: confidenceLevel)
            case .less:
                interval = .init(lower: -1, upper: tanh(z + sigma * Normal.quantile(confidenceLevel)), level: confidenceLevel)
            case .greater:
                interval = .init(lower: tanh(z - sigma * Normal.quantile(confidenceLevel)), upper: 1, level: confidenceLevel)
            }
        }
        return TestResult(
            statistic: t, statisticName: "t", df: df, pValue: p, method: "Pearson's product-moment correlation",
            methodDetails: "t test with n - 2 = \(n - 2) df" + (n > 3 ? "; Fisher z confidence interval" : "; no interval (needs n >= 4)") + ", n = \(n) pairs",
            alternative: alternative, estimate: r, confidenceInterval: interval, sampleSizes: [n])
    }

    /// r of two equally long samples (two-pass sums), clamped to [−1, 1] against rounding.
    /// - Throws: ``GroupTestError/constant(what:test:)`` when x or y has zero variance.
    static func coefficient(_ x: [Double], _ y: [Double], test: String) throws(GroupTestError) -> Double {
        let mx = SampleMoments(x), my = SampleMoments(y)
        guard mx.sumOfSquares > 0 else { throw .constant(what: "x", test: test) }
        guard my.sumOfSquares > 0 else { throw .constant(what: "y", test: test) }
        var cross = 0.0
        for i in x.indices { cross += (x[i] - mx.mean) * (y[i] - my.mean) }
        return max(-1, min(1, cross / (mx.sumOfSquares * my.sumOfSquares).squareRoot()))
    }
}

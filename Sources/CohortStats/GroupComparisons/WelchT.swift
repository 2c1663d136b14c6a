/// The two-sample t test, as R's `t.test(x, y, var.equal, alternative, conf.level)`: Welch's test
/// by default, Student's pooled-variance test with `equalVariances: true`.
///
/// ```
/// Welch:    se² = s_x²/m + s_y²/n
///           ν   = se⁴ / [ (s_x²/m)² / (m − 1) + (s_y²/n)² / (n − 1) ]   (Welch–Satterthwaite, not a whole number)
/// Student:  s_p² = [(m − 1) s_x² + (n − 1) s_y²] / (m + n − 2),  se² = s_p² (1/m + 1/n),  ν = m + n − 2
/// t = (x̄ − ȳ) / se,   P from t_ν (two-sided: 2 × the smaller tail)
/// CI for x̄ − ȳ:  two-sided (x̄ − ȳ) ± t_{ν, 1−α/2} se;  less (−∞, x̄ − ȳ + t_{ν,1−α} se];
///                greater [x̄ − ȳ − t_{ν,1−α} se, +∞)
/// ```
/// Like R, Welch needs at least 2 observations in each sample, Student at least 1 in each and 3 in
/// all (a sample of 1 adds nothing to s_p²), and both refuse data whose standard error is below
/// 10 ε max(|x̄|, |ȳ|) ("data are essentially constant").
///
/// References: Welch (1947), Biometrika 34:28–35; Satterthwaite (1946), Biometrics Bull. 2:110–114;
/// R's `?t.test`.
public enum WelchT {
    /// - Parameters:
    ///   - x: first sample (finite values).
    ///   - y: second sample (finite values).
    ///   - equalVariances: false (default) for Welch's test, true for Student's pooled-variance test.
    ///   - alternative: `.greater` means the mean of x is larger.
    ///   - confidenceLevel: of the interval for x̄ − ȳ.
    /// - Returns: statistic t, df ν, P, estimate x̄ − ȳ with its interval; `sampleSizes` [m, n].
    /// - Throws: ``GroupTestError`` for too few observations, a non-finite value, or constant data.
    public static func test(_ x: [Double], _ y: [Double], equalVariances: Bool = false,
                            alternative: TestResult.Alternative = .twoSided,
                            confidenceLevel: Double = 0.95) throws(GroupTestError) -> TestResult {
        try GroupTestInput.requireLevel(confidenceLevel)
        try GroupTestInput.requireFinite(x, "x")
        try GroupTestInput.requireFinite(y, "y")
        let needed = equalVariances ? 1 : 2
        try GroupTestInput.requireCount(x, atLeast: needed, "x")
        try GroupTestInput.requireCount(y, atLeast: needed, "y")
        if equalVariances && x.count + y.count < 3 {
            throw .tooFewObservations(what: "x and y together", needed: 3, got: x.count + y.count)
        }
        let sx = SampleMoments(x), sy = SampleMoments(y)
        let m = Double(x.count), n = Double(y.count)
        let df: Double, standardError: Double
        if equalVariances {
            df = m + n - 2
            let pooled = (sx.sumOfSquares + sy.sumOfSquares) / df
            standardError = (pooled * (1 / m + 1 / n)).squareRoot()
        } else {
            let vx = sx.variance / m, vy = sy.variance / n
            standardError = (vx + vy).squareRoot()
            df = (vx + vy) * (vx + vy) / (vx * vx / (m - 1) + vy * vy / (n - 1))
        }
        let test = equalVariances ? "Two Sample t-test" : "Welch Two Sample t-test"
        guard standardError >= 10 * Double.ulpOfOne * max(abs(sx.mean), abs(sy.mean)), standardError > 0 else {
            throw .constant(what: "x and y", test: test)
        }
        let difference = sx.mean - sy.mean
        let t = difference / standardError
        let p = alternative.pValue(lower: StudentT.cdf(t, df: df), upper: StudentT.survival(t, df: df))
        let interval: TestResult.Interval
        switch alternative {
        case .twoSided:
            let q = StudentT.quantile((1 + confidenceLevel) / 2, df: df)
            interval = .init(lower: difference - q * standardError, upper: difference + q * standardError, level: confidenceLevel)
        case .less:
            interval = .init(lower: -.infinity, upper: difference + StudentT.quantile(confidenceLevel, df: df) * standardError, level: confidenceLevel)
        case .greater:
            interval = .init(lower: difference - StudentT.quantile(confidenceLevel, df: df) * standardError, upper: .infinity, level: confidenceLevel)
        }
        let details = equalVariances
            ? "Student's t with pooled variance, df = m + n - 2 = \(Int(df))"
            : "Welch's t with unequal variances, Welch-Satterthwaite df = \(df)"
        return TestResult(
            statistic: t, statisticName: "t", df: df, pValue: p, method: test,
            methodDetails: details + "; estimate = mean(x) - mean(y) = \(sx.mean) - \(sy.mean); \(GroupTestInput.sizes([x.count, y.count]))",
            alternative: alternative, estimate: difference, confidenceInterval: interval, sampleSizes: [x.count, y.count])
    }
}

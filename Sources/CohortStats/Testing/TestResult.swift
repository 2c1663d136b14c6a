/// The result of a hypothesis test, as a value: contingency tables (Fisher, chi-square), rank tests
/// (Wilcoxon rank sum, Kruskal-Wallis), correlation tests (Pearson, Spearman, Kendall), the
/// Cochran-Armitage trend test and two-sample t tests.
///
/// Numbers mean what R's `htest` fields mean; `method` is R's name for the test (without the leading
/// blank R puts in " Two Sample t-test") and `methodDetails` says how the P was computed: exact or
/// which approximation, with or without a continuity correction, and the n used.
public struct TestResult: Sendable, Equatable {
    public enum Alternative: String, Sendable, CaseIterable, Codable {
        case twoSided = "two.sided", less, greater
    }

    /// An interval for `estimate` (R's `conf.int`); a one-sided interval has an infinite end
    /// (−∞/+∞, or 0/+∞ for an odds ratio).
    public struct Interval: Sendable, Equatable {
        public let lower: Double
        public let upper: Double
        public let level: Double

        public init(lower: Double, upper: Double, level: Double) {
            self.lower = lower
            self.upper = upper
            self.level = level
        }
    }

    /// The test statistic as R reports it (X-squared, W, Kruskal-Wallis chi-squared, S, T, z, t);
    /// nil for Fisher's exact test, which has none (as in R).
    public let statistic: Double?
    /// R's name for the statistic ("W", "Kruskal-Wallis chi-squared", "X-squared", "t", "S", "T",
    /// "z"); nil when there is no statistic.
    public let statisticName: String?
    /// Degrees of freedom of the reference chi-square or t distribution; nil for exact and normal
    /// tests. Not always a whole number: Welch's t test has Welch–Satterthwaite df.
    public let df: Double?
    public let pValue: Double
    /// R's name for the test, e.g. "Fisher's Exact Test for Count Data",
    /// "Wilcoxon rank sum exact test", "Welch Two Sample t-test".
    public let method: String
    /// How the P was computed, e.g. "exact: the permutation distribution of W ...", and the n used.
    public let methodDetails: String
    public let alternative: Alternative
    /// The estimate R reports: the conditional MLE odds ratio (2 × 2 Fisher), the correlation
    /// coefficient (r, rho, tau), the difference in means x̄ − ȳ (t tests); nil otherwise.
    public let estimate: Double?
    public let confidenceInterval: Interval?
    /// Expected counts under independence (chi-square tests).
    public let expected: [[Double]]?
    /// Caveats, in R's words where R has them ("Chi-squared approximation may be incorrect").
    public let warnings: [String]
    /// The n used: one entry per group for group comparisons, the number of complete pairs for a
    /// correlation; empty for the contingency-table tests (their n is the table total).
    public let sampleSizes: [Int]

    public init(statistic: Double?, statisticName: String? = nil, df: Double?, pValue: Double, method: String, methodDetails: String,
                alternative: Alternative, estimate: Double?, confidenceInterval: Interval?,
                expected: [[Double]]? = nil, warnings: [String] = [], sampleSizes: [Int] = []) {
        self.statistic = statistic
        self.statisticName = statisticName
        self.df = df
        self.pValue = pValue
        self.method = method
        self.methodDetails = methodDetails
        self.alternative = alternative
        self.estimate = estimate
        self.confidenceInterval = confidenceInterval
        self.expected = expected
        self.warnings = warnings
        self.sampleSizes = sampleSizes
    }
}

import CohortData

/// The accepted range of every number a command-line option or a study or published-figure file
/// takes, one rule per kind of number (issue 12), so `--suppress-below` and `suppress_below:` give
/// the same answer in the same words. Messages name the option or key as the caller spells it.
public enum InputRules {
    /// Every confidence level: `--level`, `level:`.
    public static let confidenceLevel = NumberRule(0...1, includesLowest: false, includesHighest: false, example: "0.95")
    /// K of small-cell suppression: 0 and 1 hide nothing; 2 is refused on its own (`ReportStyle.validate()` in CohortStudy).
    /// A million is far above any cohort size, where every count is hidden anyway.
    public static let suppressBelow = NumberRule(0...1_000_000, wholeNumbers: true)
    /// Digits after the point of percentages.
    public static let percentDecimals = NumberRule(0...4, wholeNumbers: true)
    /// Newton iterations: the solvers converge in under 30 (Firth under 100); 10,000 bounds the run.
    public static let maxIterations = NumberRule(1...10_000, wholeNumbers: true)
    /// Bootstrap resamples: 2,000 suffice for BCa at 95% (Efron & Tibshirani §14.3); 100,000 bounds
    /// the time and the memory of the replicate matrix.
    public static let bootstrapReplicates = NumberRule(1...100_000, wholeNumbers: true)
    /// Hosmer-Lemeshow groups: df = g − 2 needs g ≥ 3; beyond 100 the groups of a cohort are too
    /// small for the χ² approximation to mean anything.
    public static let hosmerLemeshowGroups = NumberRule(3...100, wholeNumbers: true)
    /// Gray's test weight exponent: (1 - F(t-))^rho; beyond ±10 the weights underflow or overflow.
    public static let grayRho = NumberRule(-10...10)
    /// The log-rank (G-rho) weight exponent S(t-)^rho: 0 log-rank, 1 Peto-Peto; survdiff takes any
    /// number, but a negative rho weighs late times up without bound, and beyond 10 the weights of all
    /// but the first times underflow.
    public static let logRankRho = NumberRule(0...10)
    /// A quantile of a survival curve (p of F = 1 - S): 0 (time 0) and 1 (never reached before the
    /// end) say nothing.
    public static let survivalQuantile = NumberRule(0...1, includesLowest: false, includesHighest: false, example: "0.25")
    /// The day a restricted mean survival time runs to (the area from day 0; day 0 gives 0).
    public static let restrictedMeanDay = NumberRule.atLeast(0, includingIt: false)
    /// A study day at which curves are read off (day 0 is the index date).
    public static let readingDay = NumberRule.atLeast(0)
    /// The end of a figure's time axis.
    public static let axisEndDay = NumberRule.atLeast(0, includingIt: false)
    /// The days between a figure's time-axis ticks.
    public static let axisTickStep = NumberRule.atLeast(0, includingIt: false)
    /// A P-value threshold of a published figure's expectation.
    public static let pValueThreshold = NumberRule(0...1, includesLowest: false)
}

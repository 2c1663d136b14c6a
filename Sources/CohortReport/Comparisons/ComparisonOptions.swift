import CohortStats

/// The comparison options that the factors, as the data and codebook type them, leave unused
/// (issue 12): refused by `cohort compare` and by a study file's `compare` output alike, since only
/// the data says which factors are measurements.
public enum ComparisonOptions {
    /// nil when every option given applies to some factor; else the reason, naming the option.
    /// Each argument is the option as its front end spells it (`--trend`, `'trend: true'`,
    /// `--test fisher`), or nil when it was not given.
    public static func unusedOption(_ comparisons: [FactorComparison], trend: String?, test: String?, measurementTest: String?) -> String? {
        let measurements = comparisons.filter { $0.measurement != nil }.map(\.factor)
        let categories = comparisons.filter { $0.measurement == nil }.map(\.factor)
        if let trend, let first = measurements.first {
            return "\(trend) applies to ordered categorical factors (grades, 0/1, declared levels); '\(first)' is a measurement; leave it out or drop \(trend)"
        }
        if let test, categories.isEmpty {
            return "\(test) does not apply: every factor (\(measurements.joined(separator: ", "))) is a measurement"
        }
        if let measurementTest, measurements.isEmpty {
            return "\(measurementTest) does not apply: no factor is a measurement (categorical: \(categories.joined(separator: ", ")))"
        }
        return nil
    }
}

/// The summary of a measurement on each day of a course (lab trajectories, issue 15): per day the
/// n, median and quartiles of one value a patient that day.
///
/// The values are those of the patients with a value on the day; the quartiles are R's type 7
/// (``Quantiles``, through ``NumericSummary``, the Table 1 summary), so a day's median [IQR] is what
/// `quantile(x, c(0.25, 0.5, 0.75))` gives in R and `numpy.quantile` by default.
public enum DailySummary {
    public struct Day: Sendable, Equatable {
        public let day: Double
        public let summary: NumericSummary
    }

    /// One summary a day, days ascending; days without a value are left out.
    /// - Parameters:
    ///   - days: the day of each value.
    ///   - values: one value a patient a day (the caller has reduced several draws to one); NaN is
    ///     left out.
    public static func byDay(days: [Double], values: [Double]) -> [Day] {
        precondition(days.count == values.count, "one day a value")
        var members: [Double: [Double]] = [:]
        for (day, value) in zip(days, values) where !value.isNaN && !day.isNaN { members[day, default: []].append(value) }
        return members.keys.sorted().map { Day(day: $0, summary: NumericSummary(members[$0] ?? [])) }
    }
}

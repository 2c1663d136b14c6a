import CohortStats

extension NumberStyle {
    /// How a measurement's summary reads in a table: means and SDs to 3 significant digits, enough
    /// to compare groups without false precision. Quantiles and extremes of whole-number data stay
    /// whole when they are (a median of 63, not 63.0) and get one decimal when they fall between
    /// two values (122.5, 70.8), so a median of two counts is never rounded to one of them.
    public struct Summary: Sendable {
        /// All values are whole numbers (ages, days, counts).
        public let whole: Bool

        /// Whole when every value behind every summary is whole.
        public init(_ summaries: [NumericSummary]) {
            whole = summaries.allSatisfy(\.allWhole)
        }

        public init(whole: Bool) { self.whole = whole }

        public func number(_ x: Double) -> String { NumberStyle(significantDigits: 3).number(x) }

        public func value(_ x: Double?) -> String {
            guard let x else { return "—" }
            guard whole else { return number(x) }
            return NumberStyle.fixed(x, decimals: x == x.rounded() ? 0 : 1)
        }

        /// `lower–upper`, or `lower to upper` when a bound is negative (a dash beside a minus misreads).
        public func range(_ lower: Double?, _ upper: Double?) -> String {
            let separator = (lower ?? 0) < 0 || (upper ?? 0) < 0 ? " to " : "–"
            return value(lower) + separator + value(upper)
        }

        /// `mean (SD)`, the SD as "—" for a single value; "—" without values.
        public func meanSD(_ mean: Double?, _ sd: Double?) -> String {
            mean.map { "\(number($0)) (\(sd.map(number) ?? "—"))" } ?? "—"
        }

        /// `median [Q1–Q3]`; "—" without values.
        public func medianIQR(_ median: Double?, _ q1: Double?, _ q3: Double?) -> String {
            median.map { "\(value($0)) [\(range(q1, q3))]" } ?? "—"
        }

        /// `min–max`; "—" without values.
        public func minMax(_ minimum: Double?, _ maximum: Double?) -> String {
            minimum.map { range($0, maximum) } ?? "—"
        }
    }
}

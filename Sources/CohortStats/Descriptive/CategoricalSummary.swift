/// Counts of each level with percentages of a stated denominator: the patients with a recorded
/// value (missing values are counted separately and are not in the denominator, as gtsummary and
/// most journals do).
public struct CategoricalSummary: Sendable, Equatable {
    public struct Level: Sendable, Equatable {
        public let label: String
        public let count: Int
        /// count / denominator × 100; nil when the denominator is 0.
        public var percent: Double? { denominator > 0 ? Double(count) / Double(denominator) * 100 : nil }
        public let denominator: Int
    }

    public let levels: [Level]
    /// The rows with a value: the denominator of every percentage.
    public let n: Int
    public let missing: Int

    /// - Parameters:
    ///   - groups: each level with its rows (display order), as `Column.groups(of:)` gives them.
    ///   - missing: rows without a value.
    public init(groups: [(label: String, count: Int)], missing: Int) {
        let n = groups.reduce(0) { $0 + $1.count }
        self.n = n
        self.missing = missing
        levels = groups.map { Level(label: $0.label, count: $0.count, denominator: n) }
    }
}

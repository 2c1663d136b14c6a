/// Which test compares a measurement between groups.
public enum MeasurementTest: String, Sendable, CaseIterable, Codable {
    /// Wilcoxon rank-sum for two groups, Kruskal-Wallis for more: gtsummary's default, which makes
    /// no assumption about the shape of the distribution (lab values after CAR-T are skewed).
    case rankSum = "rank-sum"
    /// Welch's t-test (unequal variances), for two groups only.
    case welch

    /// The test of `samples` (one array a group, at least two groups, none empty).
    /// - Throws: ``GroupTestError`` when the test is undefined for the data.
    public func test(_ samples: [[Double]]) throws(GroupTestError) -> TestResult {
        switch self {
        case .rankSum:
            return samples.count == 2 ? try WilcoxonRankSum.test(samples[0], samples[1]) : try KruskalWallis.test(groups: samples)
        case .welch:
            guard samples.count == 2 else {
                throw .twoGroupsOnly(test: "Welch's t-test", groups: samples.count, instead: "the rank-sum test (Kruskal-Wallis)")
            }
            return try WelchT.test(samples[0], samples[1])
        }
    }
}

/// The tests a comparison between groups uses: one for categories, one for measurements.
public struct GroupTests: Sendable, Equatable {
    public var categories: ContingencyTable.TestChoice
    public var measurements: MeasurementTest

    public init(categories: ContingencyTable.TestChoice = .auto, measurements: MeasurementTest = .rankSum) {
        self.categories = categories
        self.measurements = measurements
    }

    /// gtsummary's defaults: chi-square or Fisher by expected counts; rank-sum tests.
    public static let automatic = GroupTests()
}

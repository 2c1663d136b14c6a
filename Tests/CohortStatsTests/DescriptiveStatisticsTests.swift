import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// Descriptive statistics against R 4.2.2 (Tests/Fixtures/descriptive/references.json, written by
/// Tests/References/descriptive_references.R: `mean`, `sd`, `quantile(type = 7)`, `min`, `max`), and
/// hand-worked cases.
final class DescriptiveStatisticsTests: XCTestCase {
    struct Case: Decodable {
        let name: String
        let values: [Double?]
        let n: Int
        let missing: Int
        let mean: Double?
        let sd: Double?
        let quantiles: [Double?]
        let min: Double?
        let max: Double?
    }

    struct File: Decodable {
        let probabilities: [Double]
        let cases: [Case]
    }

    /// Quantiles follow R's arithmetic step for step, so they must agree exactly; mean and SD to
    /// 1e-14 relative (summation order differs from R's long-double accumulation).
    func testSummariesAgainstR() throws {
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("descriptive/references.json"))))
        XCTAssertEqual(file.cases.count, 12)
        var quantilesChecked = 0
        for c in file.cases {
            let values = c.values.map { $0 ?? .nan }
            let summary = NumericSummary(values)
            XCTAssertEqual(summary.n, c.n, c.name)
            XCTAssertEqual(summary.missing, c.missing, c.name)
            XCTAssertEqual(summary.mean == nil, c.mean == nil, "\(c.name): mean exists")
            XCTAssertEqual(summary.standardDeviation == nil, c.sd == nil, "\(c.name): SD exists")
            if let mean = summary.mean, let expected = c.mean { assertClose(mean, expected, relative: 1e-14, "\(c.name) mean") }
            if let sd = summary.standardDeviation, let expected = c.sd { assertClose(sd, expected, relative: 1e-13, "\(c.name) sd") }
            XCTAssertEqual(summary.minimum, c.min, "\(c.name) min")
            XCTAssertEqual(summary.maximum, c.max, "\(c.name) max")
            let sorted = values.filter { !$0.isNaN }.sorted()
            for (p, expected) in zip(file.probabilities, c.quantiles) {
                XCTAssertEqual(Quantiles.type7(sorted: sorted, p: p), expected, "\(c.name) quantile \(p)")
                quantilesChecked += 1
            }
            XCTAssertEqual(summary.median, c.quantiles[3], "\(c.name) median")
            XCTAssertEqual(summary.lowerQuartile, c.quantiles[2], "\(c.name) Q1")
            XCTAssertEqual(summary.upperQuartile, c.quantiles[4], "\(c.name) Q3")
        }
        XCTAssertEqual(quantilesChecked, 12 * 7)
    }

    /// 1, 2, 3, 4 by hand: mean 5/2, variance (9/4 + 1/4 + 1/4 + 9/4)/3 = 5/3, quartiles at
    /// 1 + 3/4 and 1 + 9/4, i.e. 1.75 and 3.25.
    func testHandWorkedFourValues() {
        let summary = NumericSummary([4, 1, .nan, 3, 2])
        XCTAssertEqual(summary.n, 4)
        XCTAssertEqual(summary.missing, 1)
        XCTAssertEqual(summary.mean, 2.5)
        assertClose(summary.standardDeviation ?? .nan, (5.0 / 3).squareRoot(), relative: 1e-15, "SD")
        XCTAssertEqual(summary.lowerQuartile, 1.75)
        XCTAssertEqual(summary.median, 2.5)
        XCTAssertEqual(summary.upperQuartile, 3.25)
    }

    /// What does not exist is nil, never NaN: no values at all, and the SD of one value.
    func testDegenerateSummariesAreNilNotNaN() {
        let empty = NumericSummary([Double.nan, .nan])
        XCTAssertEqual(empty.n, 0)
        XCTAssertEqual(empty.missing, 2)
        XCTAssertNil(empty.mean)
        XCTAssertNil(empty.median)
        XCTAssertNil(empty.minimum)
        let one = NumericSummary([7])
        XCTAssertEqual(one.mean, 7)
        XCTAssertNil(one.standardDeviation)
        XCTAssertEqual(one.median, 7)
    }

    /// Percentages use the rows with a value as denominator; missing values are outside it.
    func testCategoricalDenominatorExcludesMissing() {
        let summary = CategoricalSummary(groups: [("A", 3), ("B", 1)], missing: 2)
        XCTAssertEqual(summary.n, 4)
        XCTAssertEqual(summary.levels.map(\.percent), [75, 25])
        XCTAssertNil(CategoricalSummary(groups: [], missing: 5).levels.first?.percent)
    }
}

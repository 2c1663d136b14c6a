import CohortStats
import CohortTestSupport
import XCTest

/// Issue 16's model-checking measures on hand-worked data, in closed form, and by identities:
/// the midrank placements equal the m × n comparisons, the same rows give the same bits, and row
/// order changes nothing beyond the rounding of sums taken in row order.
final class ModelCheckClosedFormTests: XCTestCase {
    /// Events at 0.2, 0.5, 0.5 and non-events at 0.1, 0.5, 0.9: the pairs score 1, 0, 0 / 1, ½, 0 /
    /// 1, ½, 0, so C = 4/9; placements V₁₀ = 1/3, 1/2, 1/2 and V₀₁ = 1, 1/3, 0.
    func testHandWorkedConcordanceAndDeLongVariance() throws {
        let c = try XCTUnwrap(ConcordanceStatistic(risk: [0.2, 0.1, 0.5, 0.5, 0.5, 0.9], outcome: [1, 0, 1, 0, 1, 0]))
        XCTAssertEqual(c.estimate, 4.0 / 9.0, accuracy: 1e-15)
        let c49 = 4.0 / 9.0
        let s10 = ([1.0 / 3, 0.5, 0.5].map { ($0 - c49) * ($0 - c49) }.reduce(0, +)) / 2
        let s01 = ([1.0, 1.0 / 3, 0].map { ($0 - c49) * ($0 - c49) }.reduce(0, +)) / 2
        assertClose(c.standardError, (s10 / 3 + s01 / 3).squareRoot(), relative: 1e-14, "DeLong SE")
        XCTAssertEqual(c.events, 3)
        XCTAssertEqual(c.nonEvents, 3)
    }

    /// The trapezoids under the ROC points add up to C (ties are diagonal steps worth ½).
    func testAreaUnderTheROCPointsIsC() throws {
        let risk = [0.2, 0.1, 0.5, 0.5, 0.5, 0.9], outcome: [Double] = [1, 0, 1, 0, 1, 0]
        let points = ConcordanceStatistic.rocPoints(risk: risk, outcome: outcome)
        XCTAssertEqual(points.first?.falsePositiveRate, 0)
        XCTAssertEqual(points.last?.truePositiveRate, 1)
        var area = 0.0
        for (a, b) in zip(points, points.dropFirst()) {
            area += (b.falsePositiveRate - a.falsePositiveRate) * (a.truePositiveRate + b.truePositiveRate) / 2
        }
        XCTAssertEqual(area, try XCTUnwrap(ConcordanceStatistic(risk: risk, outcome: outcome)).estimate, accuracy: 1e-15)
    }

    func testOneEventHasNoStandardErrorAsPROC() throws {
        let c = try XCTUnwrap(ConcordanceStatistic(risk: [0.1, 0.2, 0.3, 0.4], outcome: [0, 0, 1, 0]))
        XCTAssertEqual(c.estimate, 2.0 / 3.0, accuracy: 1e-15)
        XCTAssertTrue(c.standardError.isNaN)
        XCTAssertTrue(c.lower.isNaN && c.upper.isNaN)
        XCTAssertNil(ConcordanceStatistic(risk: [0.1, 0.2], outcome: [1, 1]), "no non-event: no C statistic")
    }

    /// Ranks against every pair on seeded data with heavy ties (values on a grid of 7).
    func testMidranksEqualAllPairs() throws {
        var random = SplitMix64(seed: 16)
        let n = 500
        let risk = (0..<n).map { _ in Double(random.next() % 7) / 7 }
        let outcome = (0..<n).map { _ in random.next() % 3 == 0 ? 1.0 : 0.0 }
        let c = try XCTUnwrap(ConcordanceStatistic(risk: risk, outcome: outcome))
        var sum = 0.0, pairs = 0.0
        for i in 0..<n where outcome[i] == 1 {
            for j in 0..<n where outcome[j] == 0 {
                sum += risk[i] > risk[j] ? 1 : risk[i] == risk[j] ? 0.5 : 0
                pairs += 1
            }
        }
        assertClose(c.estimate, sum / pairs, relative: 1e-14, "C by all pairs")
    }

    func testSameBitsOnRerunAndRowOrderOnlyRounds() throws {
        var random = SplitMix64(seed: 7)
        let n = 300
        let eta = (0..<n).map { _ in Double(random.next() % 1000) / 250 - 2 }
        let y = eta.map { x in Double(random.next() % 1000) / 1000 < 1 / (1 + (-x).exponentiated) ? 1.0 : 0.0 }
        let order = Array((0..<n).reversed())
        let a = LogisticModelCheck(linearPredictor: eta, outcome: y)
        let b = LogisticModelCheck(linearPredictor: order.map { eta[$0] }, outcome: order.map { y[$0] })
        let again = LogisticModelCheck(linearPredictor: eta, outcome: y)
        XCTAssertEqual(a, again, "the same rows: the same bits")
        // The C statistic is a rank sum, exact in any order; the others sum in row order.
        XCTAssertEqual(a.concordance?.estimate, b.concordance?.estimate)
        assertClose(try XCTUnwrap(b.concordance?.standardError), try XCTUnwrap(a.concordance?.standardError), relative: 1e-14, "SE, rows reversed")
        XCTAssertEqual(a.hosmerLemeshow.sizes, b.hosmerLemeshow.sizes)
        XCTAssertEqual(a.hosmerLemeshow.observed, b.hosmerLemeshow.observed)
        assertClose(b.hosmerLemeshow.statistic, a.hosmerLemeshow.statistic, relative: 1e-13, "HL, rows reversed")
        assertClose(b.calibration.slope, a.calibration.slope, relative: 1e-10, "slope, rows reversed")
        assertClose(b.calibration.brier, a.calibration.brier, relative: 1e-14, "Brier, rows reversed")
    }

    /// A constant linear predictor c: the calibration intercept is logit(ȳ) − c, and there is no
    /// Hosmer-Lemeshow grouping and no slope.
    func testConstantRiskClosedForms() {
        let y: [Double] = [1, 0, 0, 1, 0, 0, 0, 0]
        let check = LogisticModelCheck(linearPredictor: Array(repeating: -0.3, count: 8), outcome: y)
        assertClose(check.calibration.intercept, log(2.0 / 6.0) + 0.3, relative: 1e-13, "logit(1/4) + 0.3")
        XCTAssertTrue(check.calibration.slope.isNaN)
        XCTAssertNotNil(check.calibration.problem)
        XCTAssertTrue(check.hosmerLemeshow.statistic.isNaN)
        XCTAssertEqual(check.hosmerLemeshow.problem, "every fitted risk is the same: no groups to compare")
        XCTAssertEqual(check.concordance?.estimate, 0.5)
        let p = 1 / (1 + exp(0.3))
        assertClose(check.calibration.brier, (2 * (1 - p) * (1 - p) + 6 * p * p) / 8, relative: 1e-14, "Brier")
    }
}

private extension Double {
    var exponentiated: Double { exp(self) }
}

import CohortStats
import CohortTestSupport
import XCTest

/// Hand-worked cases (P as fractions counted on paper) and identities between the tests.
final class GroupTestClosedFormTests: XCTestCase {
    func testMidranksAndTies() {
        let ranking = Ranking([2, 5, 5, 7, 5])
        XCTAssertEqual(ranking.ranks, [1, 3, 3, 5, 3], "5 occupies positions 2-4: midrank 3")
        XCTAssertEqual(ranking.tieSizes, [3])
        XCTAssertEqual(ranking.tieCorrectionSum, 24, "3^3 - 3")
        XCTAssertFalse(Ranking([3, 1, 2]).hasTies)
    }

    /// x = {1, 2}, y = {3, 4}: W = 0. Of the C(4, 2) = 6 equally likely rank sets of x only {1, 2}
    /// gives W = 0, so P(W <= 0) = 1/6 and the two-sided P is 2/6.
    func testWilcoxonTwoVersusTwo() throws {
        let twoSided = try WilcoxonRankSum.test([1, 2], [3, 4])
        XCTAssertEqual(twoSided.statistic, 0)
        assertClose(twoSided.pValue, 1.0 / 3, relative: 1e-15, "two-sided 2/6")
        assertClose(try WilcoxonRankSum.test([1, 2], [3, 4], alternative: .less).pValue, 1.0 / 6, relative: 1e-15, "less 1/6")
        XCTAssertEqual(try WilcoxonRankSum.test([1, 2], [3, 4], alternative: .greater).pValue, 1)
        XCTAssertEqual(twoSided.method, "Wilcoxon rank sum exact test")
    }

    /// Complete separation of 6 and 6: one rank set of the C(12, 6) = 924 gives W = 0.
    func testWilcoxonSeparatedSixAndSix() throws {
        let result = try WilcoxonRankSum.test([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12])
        assertClose(result.pValue, 2.0 / 924, relative: 1e-14, "2/924")
        // W(x, y) + W(y, x) = mn, and the P is symmetric.
        let swapped = try WilcoxonRankSum.test([7, 8, 9, 10, 11, 12], [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try XCTUnwrap(swapped.statistic), 36)
        assertClose(swapped.pValue, result.pValue, relative: 1e-15, "swapped samples")
    }

    /// Kendall, n = 3 in the same order: T = 3 concordant pairs; 1 of the 3! orders has no
    /// inversion, so P(T >= 3) = 1/6. Spearman, n = 4 in order: S = 0, P(S <= 0) = 1/24.
    func testRankCorrelationSmallestExactCases() throws {
        let kendall = try Correlation.test([1, 2, 3], [10, 20, 30], method: .kendall, alternative: .greater)
        XCTAssertEqual(kendall.estimate, 1)
        XCTAssertEqual(kendall.statistic, 3)
        assertClose(kendall.pValue, 1.0 / 6, relative: 1e-15, "Kendall 1/6")
        let spearman = try Correlation.test([1, 2, 3, 4], [5, 6, 7, 9], method: .spearman, alternative: .greater)
        XCTAssertEqual(spearman.statistic, 0)
        assertClose(spearman.pValue, 1.0 / 24, relative: 1e-15, "Spearman 1/24")
        assertClose(try Correlation.test([1, 2, 3, 4], [5, 6, 7, 9], method: .spearman).pValue, 1.0 / 12, relative: 1e-15, "two-sided 2/24")
    }

    /// With two groups, Kruskal-Wallis H is the square of the rank-sum z without continuity
    /// correction (both use the same tie-corrected variance), so their P values agree.
    func testKruskalWallisTwoGroupsIsRankSumSquared() throws {
        let x = [1.0, 2, 2, 3, 5, 8], y = [2.0, 3, 3, 4, 6, 6, 9]
        let h = try KruskalWallis.test(groups: [x, y])
        let w = try WilcoxonRankSum.test(x, y, correct: false, exact: false)
        assertClose(h.pValue, w.pValue, relative: 1e-12, "H = z^2")
    }

    /// With two groups, the trend X² is Pearson's uncorrected chi-square of the 2 × 2 table.
    func testTrendTwoGroupsIsPearsonChiSquare() throws {
        let trend = try CochranArmitage.test(events: [8, 4], totals: [40, 87])
        let pearson = try ContingencyTable(events1: 8, of: 40, events2: 4, of: 87).chiSquareTest(correct: false)
        assertClose(try XCTUnwrap(trend.statistic), try XCTUnwrap(pearson.statistic), relative: 1e-13, "X-squared")
        XCTAssertEqual(trend.df, 1)
    }

    /// Equal sample sizes: Welch's t statistic equals Student's (the standard errors coincide); the df differ.
    func testWelchEqualsStudentStatisticForEqualN() throws {
        let x = [4.1, 5.3, 2.2, 6.0], y = [1.0, 2.5, 2.0, 1.4]
        let welch = try WelchT.test(x, y), student = try WelchT.test(x, y, equalVariances: true)
        assertClose(try XCTUnwrap(welch.statistic), try XCTUnwrap(student.statistic), relative: 1e-14, "t")
        XCTAssertEqual(student.df, 6)
        XCTAssertLessThan(try XCTUnwrap(welch.df), 6)
    }

    /// Reordering the pairs changes nothing; swapping x and y changes nothing for correlation.
    func testCorrelationInvariance() throws {
        let x = [1.2, 3.4, 2.2, 5.0, 4.1, 0.3, 2.9], y = [2.0, 2.9, 1.1, 4.4, 3.9, 0.5, 3.3]
        let order = [3, 0, 6, 1, 5, 2, 4]
        for method in Correlation.Method.allCases {
            let a = try Correlation.test(x, y, method: method)
            let b = try Correlation.test(order.map { x[$0] }, order.map { y[$0] }, method: method)
            let c = try Correlation.test(y, x, method: method)
            assertClose(b.pValue, a.pValue, relative: 1e-14, "\(method) permuted pairs")
            assertClose(c.pValue, a.pValue, relative: 1e-14, "\(method) swapped")
            assertClose(try XCTUnwrap(b.estimate), try XCTUnwrap(a.estimate), relative: 1e-14, "\(method) estimate")
        }
    }

    /// Knight's O(n log n) score against the definition S = Σ_{i<j} sign(Δx) sign(Δy), on seeded
    /// data with many ties (values on a 5- and a 4-point scale) and without.
    func testKendallScoreMatchesThePairwiseDefinition() throws {
        var generator = SeededGenerator(seed: 20261122)
        var checked = 0
        for (n, levels) in [(2, 2), (3, 2), (17, 5), (60, 4), (200, 1000), (333, 3)] {
            let x = (0..<n).map { _ in Double(Int.random(in: 0..<levels, using: &generator)) }
            let y = (0..<n).map { i in x[i] + Double(Int.random(in: 0..<levels, using: &generator)) }
            var s = 0
            for i in 0..<n { for j in (i + 1)..<n { s += Int((x[i] - x[j]).sign == .minus ? -1 : (x[i] == x[j] ? 0 : 1)) * Int((y[i] - y[j]).sign == .minus ? -1 : (y[i] == y[j] ? 0 : 1)) } }
            guard Set(x).count > 1, Set(y).count > 1 else { continue }
            let tau = try XCTUnwrap(Correlation.test(x, y, method: .kendall).estimate)
            let rx = Ranking(x).tieSizes.reduce(0.0) { $0 + Double($1 * ($1 - 1) / 2) }
            let ry = Ranking(y).tieSizes.reduce(0.0) { $0 + Double($1 * ($1 - 1) / 2) }
            let n0 = Double(n * (n - 1) / 2)
            assertClose(tau, Double(s) / ((n0 - rx) * (n0 - ry)).squareRoot(), relative: 1e-14, "tau-b n = \(n)")
            checked += 1
        }
        XCTAssertEqual(checked, 5, "n = 2 with 2 levels may come out constant; the rest are checked")
    }

    func testErrorsNameTheProblem() {
        XCTAssertThrowsError(try WilcoxonRankSum.test([1, .nan], [2])) {
            XCTAssertEqual($0 as? GroupTestError, .nonFiniteValue(what: "x", index: 1))
            XCTAssertTrue("\($0)".contains("position 2"))
        }
        XCTAssertThrowsError(try Correlation.test([1, 2, 3], [1, 2], method: .kendall)) {
            XCTAssertEqual($0 as? GroupTestError, .lengthMismatch(x: 3, y: 2))
        }
        XCTAssertThrowsError(try WilcoxonRankSum.test([4, 4], [4])) {
            XCTAssertTrue("\($0)".contains("same value"), "\($0)")
        }
        XCTAssertThrowsError(try CochranArmitage.test(events: [3, 5], totals: [2, 10])) {
            XCTAssertEqual($0 as? GroupTestError, .invalidCounts(index: 0, events: 3, total: 2))
        }
        let big = (0..<400).map(Double.init), other = (0..<300).map { Double($0) + 0.5 }
        XCTAssertThrowsError(try WilcoxonRankSum.test(big, other, exact: true)) {
            XCTAssertEqual($0 as? GroupTestError, .exactTooLarge(test: "Wilcoxon rank sum exact test", sizes: [400, 300], limit: 20_000))
        }
        XCTAssertEqual(try WilcoxonRankSum.test(big, other).method, "Wilcoxon rank sum test with continuity correction")
        let many = (0..<150).map(Double.init)
        XCTAssertThrowsError(try Correlation.test(many, many.reversed(), method: .kendall, exact: true)) {
            XCTAssertEqual($0 as? GroupTestError, .exactTooLarge(test: "Kendall's rank correlation tau", sizes: [150], limit: 100))
        }
        XCTAssertThrowsError(try WelchT.test([1, 2, 3], [4, 5], confidenceLevel: 1)) {
            XCTAssertEqual($0 as? GroupTestError, .invalidConfidenceLevel(1))
        }
    }
}

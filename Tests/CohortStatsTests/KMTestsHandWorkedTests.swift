import CohortStats
import CohortTestSupport
import XCTest

/// Issue 14's log-rank, Peto-Peto, quantiles and restricted mean worked by hand on six patients
/// (style guide 10a), with the intermediate sums; the same data is the `hand6` case of
/// `km_tests_references.R`, where R's survdiff and survfit give the same numbers. Plus the edges
/// (one group, no events, a group confounded with the strata, an empty group) and identities
/// (row order does not change a bit).
final class KMTestsHandWorkedTests: XCTestCase {
    /// Group A: days 3, 5 (events), 7 (censored); group B: days 1, 3, 4 (events). Day 3 is a tie
    /// between the groups.
    static func hand6() throws -> CompetingRisksData {
        try CompetingRisksData(times: [3, 5, 7, 1, 3, 4], status: [1, 1, 0, 1, 1, 1], eventTypes: ["event"],
                               groupCodes: [0, 0, 0, 1, 1, 1], groupLabels: ["A", "B"], groupColumn: "group")
    }

    /// The log-rank test, one event time a row (n at risk, d events; V_j = d(n - d)/(n(n - 1)) · n_A n_B / n):
    /// ```
    ///  t   n_A n_B  n   d_A d_B  d   E_A = d·n_A/n   V_j                        S(t-) pooled
    ///  1    3   3   6    0   1   1   1/2             1·5/30 · 9/6  = 1/4        1
    ///  3    3   2   5    1   1   2   6/5             2·3/20 · 6/5  = 9/25       5/6
    ///  4    2   1   3    0   1   1   2/3             1·2/6  · 2/3  = 2/9        1/2
    ///  5    2   0   2    1   0   1   1               1·1/2  · 0    = 0          1/3
    /// O_A = 2, E_A = 1/2 + 6/5 + 2/3 + 1 = 101/30;  O_B = 3, E_B = 5 - 101/30 = 49/30
    /// V_AA = 1/4 + 9/25 + 2/9 = 749/900 = V_BB = -V_AB
    /// X² = (O_A - E_A)² / V_AA = (41/30)² / (749/900) = 1681/749 ≈ 2.2443, 1 df
    /// ```
    /// R: `survdiff(Surv(time, status) ~ group, rho = 0)` gives chisq 2.244325767690254, P 0.1341053500268789.
    func testLogRankByHand() throws {
        let result = LogRankTest.test(try Self.hand6())
        XCTAssertEqual(result.method, "log-rank test")
        assertClose(result.observed[0], 2, relative: 0, "O_A")
        assertClose(result.observed[1], 3, relative: 0, "O_B")
        assertClose(result.expected[0], 101.0 / 30, relative: 1e-15, "E_A")
        assertClose(result.expected[1], 49.0 / 30, relative: 1e-15, "E_B")
        assertClose(result.variance[0], 749.0 / 900, relative: 1e-15, "V_AA")
        assertClose(result.variance[1], -749.0 / 900, relative: 1e-15, "V_AB")
        assertClose(result.variance[3], 749.0 / 900, relative: 1e-15, "V_BB")
        assertClose(try XCTUnwrap(result.statistic), 1681.0 / 749, relative: 1e-14, "X²")
        XCTAssertEqual(result.df, 1)
        assertClose(try XCTUnwrap(result.pValue), 0.1341053500268789, relative: 1e-12, "P (R survdiff)")
        XCTAssertFalse(result.stratified)
    }

    /// Peto-Peto (rho = 1): each row of the table above weighted by w = S(t-) (1, 5/6, 1/2, 1/3), V_j by w²:
    /// ```
    /// O_A = 5/6·1 + 1/3·1 = 7/6          E_A = 1/2 + 5/6·6/5 + 1/2·2/3 + 1/3·1 = 13/6
    /// O_B = 1 + 5/6 + 1/2 = 7/3           E_B = 7/6 + 7/3 - 13/6 = 4/3
    /// V_AA = 1/4 + (25/36)(9/25) + (1/4)(2/9) + (1/9)·0 = 5/9
    /// X² = (7/6 - 13/6)² / (5/9) = 9/5
    /// ```
    /// R: `survdiff(..., rho = 1)` gives obs 1.1666666666666667 2.3333333333333335, chisq 1.7999999999999998.
    func testPetoPetoByHand() throws {
        let result = LogRankTest.test(try Self.hand6(), rho: 1)
        XCTAssertEqual(result.method, "Peto-Peto test (G-rho, rho = 1)")
        assertClose(result.observed[0], 7.0 / 6, relative: 1e-15, "O_A")
        assertClose(result.observed[1], 7.0 / 3, relative: 1e-15, "O_B")
        assertClose(result.expected[0], 13.0 / 6, relative: 1e-15, "E_A")
        assertClose(result.expected[1], 4.0 / 3, relative: 1e-15, "E_B")
        assertClose(result.variance[0], 5.0 / 9, relative: 1e-15, "V_AA")
        assertClose(try XCTUnwrap(result.statistic), 9.0 / 5, relative: 1e-14, "X²")
        // rho = 1 through the general power gives the same weights to rounding.
        assertClose(try XCTUnwrap(LogRankTest.test(try Self.hand6(), rho: 1 + 1e-15).statistic), 9.0 / 5, relative: 1e-12, "X² via exp/log")
    }

    /// Kaplan-Meier: A: S(3) = 2/3, S(5) = 1/3, S(7) = 1/3 (censored); B: S(1) = 2/3, S(3) = 1/3, S(4) = 0.
    /// The median is the first time S <= 1/2: A 5, B 3; the 25% quantile (S <= 3/4) A 3, B 1; the 75%
    /// quantile (S <= 1/4): A never (NA), B 4. quantile.survfit gives the same (km_tests.json, hand6).
    func testQuantilesByHand() throws {
        let curves = KaplanMeier.curves(EventTally(try Self.hand6()), groupLabels: ["A", "B"])
        XCTAssertEqual(curves[0].median().time, 5)
        XCTAssertEqual(curves[1].median().time, 3)
        XCTAssertEqual(curves[0].quantile(0.25).time, 3)
        XCTAssertEqual(curves[1].quantile(0.25).time, 1)
        XCTAssertNil(curves[0].quantile(0.75).time, "A never falls to 1/4")
        XCTAssertEqual(curves[1].quantile(0.75).time, 4)
        XCTAssertEqual(curves[1].quantile(0).time, 0, "p = 0: the start, as quantile.survfit")
        XCTAssertNil(curves[0].quantile(1.5).time, "outside [0, 1]")
    }

    /// The restricted mean to day 6:
    /// ```
    /// A: 3·1 + (5 - 3)·2/3 + (6 - 5)·1/3 = 14/3
    ///    area from day 3 to 6: 5/3 (h = 1/(3·2)); from day 5: 1/3 (h = 1/(2·1))
    ///    Var = (5/3)²/6 + (1/3)²/2 = 25/54 + 3/54 = 14/27
    /// B: 1·1 + (3 - 1)·2/3 + (4 - 3)·1/3 + (6 - 4)·0 = 8/3
    ///    area from day 1: 5/3 (h = 1/6); from day 3: 1/3 (h = 1/2); from day 4: 0 (n = d: h counts 0)
    ///    Var = 14/27
    /// ```
    /// R: `print(survfit(...), rmean = 5)` for B gives 2.6666666666666665 and SE 0.7200822998230955 = √(14/27).
    func testRestrictedMeanByHand() throws {
        let curves = KaplanMeier.curves(EventTally(try Self.hand6()), groupLabels: ["A", "B"])
        let a = try XCTUnwrap(curves[0].restrictedMean(to: 6)), b = try XCTUnwrap(curves[1].restrictedMean(to: 6))
        assertClose(a.estimate, 14.0 / 3, relative: 1e-15, "rmean A")
        assertClose(a.standardError, (14.0 / 27).squareRoot(), relative: 1e-15, "se A")
        assertClose(b.estimate, 8.0 / 3, relative: 1e-15, "rmean B")
        assertClose(b.standardError, (14.0 / 27).squareRoot(), relative: 1e-15, "se B")
        XCTAssertFalse(a.extendsPastLastFollowUp)
        XCTAssertTrue(b.extendsPastLastFollowUp, "B's last time is day 4")
        let early = try XCTUnwrap(curves[0].restrictedMean(to: 2))
        XCTAssertEqual([early.estimate, early.standardError], [2, 0], "before the first time: tau itself, SE 0")
        XCTAssertNil(curves[0].restrictedMean(to: -1))
        XCTAssertNil(curves[0].restrictedMean(to: .infinity))
    }

    /// SurvivalAnalysis's per-group summaries are the curve's own quantiles and rmean on the analysis's scale.
    func testGroupSummariesOfAnAnalysis() throws {
        let analysis = SurvivalAnalysis.run(try Self.hand6(), days: [2], interval: .log, level: 0.9)
        let summaries = analysis.groupSummaries(quantiles: [0.25, 0.75], restrictedMeanTo: 6)
        XCTAssertEqual(summaries.map(\.group), ["A", "B"])
        XCTAssertEqual(summaries.map(\.n), [3, 3])
        XCTAssertEqual(summaries.map(\.events), [2, 3])
        XCTAssertEqual(summaries[0].median, analysis.curves[0].median(interval: .log, level: 0.9))
        XCTAssertEqual(summaries[0].median.time, 5)
        XCTAssertEqual(summaries[1].quantiles.map(\.time), [1, 4])
        XCTAssertEqual(summaries[1].quantiles[1].interval, .log)
        XCTAssertEqual(summaries[1].quantiles[1].level, 0.9)
        assertClose(try XCTUnwrap(summaries[0].restrictedMean?.estimate), 14.0 / 3, relative: 1e-15, "rmean A")
        XCTAssertNil(analysis.groupSummaries()[0].restrictedMean)
    }

    /// `cohort km`'s summary: the median by print(survfit)'s rule, the quantiles by quantile.survfit's,
    /// the restricted mean's normal interval, and the test only with a group column. Group A of hand6
    /// ends on S = 1/3 after day 5 (no flat stretch at 0.5), so both rules give 5 there; the pooled
    /// curve is exactly 0.5 on days 3-4, where print gives the midpoint 3.5 (R: print(survfit(...)) 3.5).
    func testKaplanMeierSummaryOfAnAnalysis() throws {
        let data = try Self.hand6()
        let analysis = SurvivalAnalysis.run(data, days: [2])
        let summary = analysis.summary(of: data, quantiles: [0.25], restrictedMeanTo: 6, rho: 1)
        XCTAssertEqual(summary.groups[0].median, analysis.curves[0].median(rule: .printSurvfit))
        XCTAssertEqual(summary.groups[0].quantiles, [analysis.curves[0].quantile(0.25)])
        XCTAssertEqual(summary.test, LogRankTest.test(data, rho: 1))
        XCTAssertNil(summary.strataColumn)
        // hand6's A: rmean 14/3, SE √(14/27) (testRestrictedMeanByHand); z = Φ⁻¹(0.975) (R qnorm: 1.959963984540054).
        let mean = try XCTUnwrap(summary.groups[0].restrictedMean)
        let ci = mean.interval(level: 0.95)
        assertClose(ci.lower, 14.0 / 3 - 1.959963984540054 * (14.0 / 27).squareRoot(), relative: 1e-14, "RMST lower")
        assertClose(ci.upper, 14.0 / 3 + 1.959963984540054 * (14.0 / 27).squareRoot(), relative: 1e-14, "RMST upper")
        let early = try XCTUnwrap(analysis.curves[0].restrictedMean(to: 2)).interval(level: 0.9)
        XCTAssertEqual([early.lower, early.upper], [2, 2], "SE 0: the interval is the point")

        let pooled = try CompetingRisksData(times: data.times, status: data.status, eventTypes: ["event"])
        let overall = SurvivalAnalysis.run(pooled, days: [2])
        let one = overall.summary(of: pooled, quantiles: [0.5])
        XCTAssertNil(one.test, "no group column: no test")
        XCTAssertEqual(one.groups[0].median.time, 3.5, "print(survfit): the midpoint of the stretch at 0.5")
        XCTAssertEqual(one.groups[0].quantiles[0].time, 3.5, "quantile.survfit: the same here")
    }

    func testNoTestWithOneGroupOrNoEvents() throws {
        let one = try CompetingRisksData(times: [1, 2, 3], status: [1, 0, 1], eventTypes: ["event"])
        let result = LogRankTest.test(one)
        XCTAssertNil(result.statistic)
        XCTAssertEqual(result.df, 0)
        XCTAssertEqual(result.problem, "only one group has expected events (all): the test compares groups")
        let none = try CompetingRisksData(times: [1, 2, 3, 4], status: [0, 0, 0, 0], eventTypes: ["event"],
                                          groupCodes: [0, 0, 1, 1], groupLabels: ["a", "b"])
        XCTAssertEqual(LogRankTest.test(none).problem, "no events: nothing to compare")
        XCTAssertEqual(LogRankTest.test(try Self.hand6(), rho: .nan).problem, "rho must be a finite number")
        XCTAssertEqual(LogRankTest.test([EventTally(one)], groupLabels: ["a", "b"]).problem, "the tallies do not have 2 groups")
    }

    /// A group with no rows (or censored before every event) has E = 0 and leaves the test, as in
    /// survdiff (`df <- etmp > 0`): the statistic is the one without it.
    func testEmptyGroupLeavesTheTest() throws {
        let data = try Self.hand6()
        let withEmpty = try CompetingRisksData(times: data.times, status: data.status, eventTypes: ["event"],
                                               groupCodes: data.groupCodes, groupLabels: ["A", "B", "nobody"])
        let result = LogRankTest.test(withEmpty)
        XCTAssertEqual(result.df, 1)
        XCTAssertEqual(result.expected[2], 0)
        XCTAssertEqual(result.statistic, LogRankTest.test(data).statistic)
    }

    /// Each stratum holds one group: within a stratum O = E and V = 0, so there is nothing to test
    /// (survdiff stops in `solve`); here no statistic, and why.
    func testGroupConfoundedWithStrataHasNoStatistic() throws {
        let data = try CompetingRisksData(times: [1, 2, 3, 4, 5, 6], status: [1, 1, 0, 1, 1, 0], eventTypes: ["event"],
                                          groupCodes: [0, 0, 0, 1, 1, 1], groupLabels: ["a", "b"],
                                          strataCodes: [0, 0, 0, 1, 1, 1], strataLabels: ["s1", "s2"], strataColumn: "s")
        for rho in [0.0, 0.5, 1] {
            // With rho ≠ 0 V_gg is rounding noise rather than 0; it must still count as singular.
            let result = LogRankTest.test(data, rho: rho)
            XCTAssertTrue(result.stratified)
            XCTAssertNil(result.statistic, "rho \(rho)")
            XCTAssertEqual(result.problem, "the variance of O - E is singular (a group confounded with the strata?): no test")
        }
        XCTAssertEqual(LogRankTest.test(data).method, "stratified log-rank test")
    }

    /// Row order changes no bit of any result (the tally sorts; every sum runs in time and group order).
    func testRowOrderChangesNothing() throws {
        let c = try XCTUnwrap(KMTestsReferenceTests.cases().first { $0.name == "strata" })
        let data = try XCTUnwrap(c.stratified)
        // A fixed permutation: odd rows reversed, then even rows.
        let order = Array(stride(from: 1, to: data.count, by: 2).reversed()) + Array(stride(from: 0, to: data.count, by: 2))
        let shuffled = try CompetingRisksData(times: order.map { data.times[$0] }, status: order.map { data.status[$0] },
                                              eventTypes: data.eventTypes, groupCodes: order.map { data.groupCodes[$0] },
                                              groupLabels: data.groupLabels, strataCodes: order.map { data.strataCodes?[$0] ?? 0 },
                                              strataLabels: data.strataLabels, strataColumn: "stratum")
        for rho in [0.0, 0.5, 1] { XCTAssertEqual(LogRankTest.test(data, rho: rho), LogRankTest.test(shuffled, rho: rho)) }
        let before = KaplanMeier.curves(EventTally(data), groupLabels: data.groupLabels)
        let after = KaplanMeier.curves(EventTally(shuffled), groupLabels: data.groupLabels)
        for (x, y) in zip(before, after) {
            for type in CurveInterval.allCases { XCTAssertEqual(x.median(interval: type), y.median(interval: type)) }
            XCTAssertEqual(x.restrictedMean(to: 7.5), y.restrictedMean(to: 7.5))
        }
    }
}

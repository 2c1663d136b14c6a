import CohortData

/// The G-rho family of tests that the survival curves of K groups are equal, as R
/// `survival::survdiff(Surv(time, status) ~ group + strata(s), rho = )` (Harrington & Fleming 1982):
/// rho = 0 is the log-rank test (Mantel-Haenszel), rho = 1 Peto & Peto's modification of the
/// Gehan-Wilcoxon test. Every event type counts as the event, as in ``KaplanMeier``.
///
/// Within a stratum, at each distinct time t_j with d_j > 0 events among n_j at risk (d_gj and n_gj
/// in group g), with the pooled, left-continuous Kaplan-Meier S(t_j-) of the stratum:
/// ```
/// w_j    = S(t_j-)^rho                                   (rho = 0: w = 1)
/// O_g    = Σ_j w_j d_gj                                   (weighted, as survdiff's `obs`)
/// E_g    = Σ_j w_j d_j n_gj / n_j
/// V_gh   = Σ_{j: n_j > 1} w_j² d_j (n_j - d_j) / (n_j (n_j - 1)) · n_gj (δ_gh - n_hj / n_j)
/// ```
/// With strata, O and E are kept per stratum and summed, and V is summed over strata. The groups
/// with E_g > 0 enter the test; dropping the first of them (V is singular, its rows sum to 0):
/// ```
/// X² = (O - E)ᵀ V⁻¹ (O - E)  ~  χ²(K' - 1),   K' = #{g : E_g > 0}
/// ```
/// This is survdiff's R code (`df <- etmp > 0`, `solve(vv, temp2)`) and its C routine `survdiff2`
/// (the weights from a Kaplan-Meier over the sorted stratum, the variance skipping n_j = 1), read from
/// survival 3.5-3; the values match `survdiff` to 1e-10 relative (`KMTestsReferenceTests`).
///
/// Differences from survdiff, on purpose: fewer than two groups with E_g > 0 give no statistic and a
/// reason (survdiff: chisq 0); a singular V (a group confounded with the strata) gives no statistic
/// and a reason (survdiff: an error from `solve`). Singular means that a kept group's V_gg is at most
/// 1e-7 of its gross sum Σ_j w_j² d_j (n_j - d_j) n_gj / (n_j (n_j - 1)) (0 but for rounding when the
/// group is alone in its strata), or, as for ``GrayTest``, that the Cholesky factorisation fails or a
/// pivot keeps less than 1e-7 of its diagonal (R's `solve` stops only near machine precision, so a
/// nearly confounded design can have a statistic in R and none here). P is the upper χ² tail computed directly (``ChiSquare/survival(_:df:)``). Ties
/// are exact equality of the times, as ``EventTally``; survdiff first merges times that differ by
/// rounding error (`aeqSurv`), which changes nothing for times stored as whole or half days.
///
/// Sums run over the times in ascending order and over groups in label order, one fixed order, so
/// the result is bit-identical across runs and CPUs (`exp`/`log` are the portable ones).
public struct LogRankTestResult: Sendable, Equatable {
    public let rho: Double
    /// The group labels, in the order of every per-group array below.
    public let groups: [String]
    /// O_g summed over strata (weighted by w when rho ≠ 0, as survdiff's `obs`).
    public let observed: [Double]
    /// E_g summed over strata.
    public let expected: [Double]
    /// Per stratum (outer, in the order of the tallies), O_g and E_g; one entry without strata.
    public let observedByStratum: [[Double]]
    public let expectedByStratum: [[Double]]
    /// Row-major K × K variance of O - E, summed over strata (survdiff's `var`).
    public let variance: [Double]
    public let statistic: Double?
    /// K' - 1, the groups with expected events less one (survdiff's df).
    public let df: Int
    public let pValue: Double?
    /// Why there is no statistic, or nil.
    public let problem: String?
    public let stratified: Bool

    /// "log-rank test", "Peto-Peto test (G-rho, rho = 1)" or "G-rho test (rho = 0.5)", with "stratified " before.
    public var method: String {
        let name = rho == 0 ? "log-rank test" : rho == 1 ? "Peto-Peto test (G-rho, rho = 1)" : "G-rho test (rho = \(NumberText.shortest(rho)))"
        return stratified ? "stratified " + name : name
    }
}

public enum LogRankTest {
    /// The G-rho test between the groups of `data`, stratified by its strata when it has them
    /// (``CompetingRisksData/strataRows``).
    /// - Parameters:
    ///   - data: the rows; any event type is the event.
    ///   - rho: the weight exponent, >= 0 (0 log-rank, 1 Peto-Peto).
    public static func test(_ data: CompetingRisksData, rho: Double = 0) -> LogRankTestResult {
        test(data.strataRows.map { EventTally(data, rows: $0) }, groupLabels: data.groupLabels, rho: rho,
             stratified: data.strataCodes != nil)
    }

    /// The G-rho test from one tally per stratum (all with the same groups as `groupLabels`).
    public static func test(_ strata: [EventTally], groupLabels: [String], rho: Double = 0, stratified: Bool? = nil) -> LogRankTestResult {
        let k = groupLabels.count
        guard rho.isFinite, strata.allSatisfy({ $0.groupCount == k }) else {
            let zeros = [Double](repeating: 0, count: k)
            return LogRankTestResult(rho: rho, groups: groupLabels, observed: zeros, expected: zeros, observedByStratum: [],
                                     expectedByStratum: [], variance: [], statistic: nil, df: 0, pValue: nil,
                                     problem: rho.isFinite ? "the tallies do not have \(k) groups" : "rho must be a finite number",
                                     stratified: stratified ?? (strata.count > 1))
        }
        var observedByStratum: [[Double]] = [], expectedByStratum: [[Double]] = []
        var variance = [Double](repeating: 0, count: k * k), gross = [Double](repeating: 0, count: k)
        for tally in strata {
            let (o, e) = accumulate(tally, groupCount: k, rho: rho, variance: &variance, gross: &gross)
            observedByStratum.append(o)
            expectedByStratum.append(e)
        }
        var observed = [Double](repeating: 0, count: k), expected = [Double](repeating: 0, count: k)
        for s in observedByStratum.indices {
            for g in 0..<k {
                observed[g] += observedByStratum[s][g]
                expected[g] += expectedByStratum[s][g]
            }
        }
        let used = (0..<k).filter { expected[$0] > 0 }
        let df = max(used.count - 1, 0)
        func result(_ statistic: Double?, _ problem: String?) -> LogRankTestResult {
            LogRankTestResult(rho: rho, groups: groupLabels, observed: observed, expected: expected,
                              observedByStratum: observedByStratum, expectedByStratum: expectedByStratum, variance: variance,
                              statistic: statistic, df: df, pValue: statistic.map { ChiSquare.survival($0, df: Double(df)) },
                              problem: problem, stratified: stratified ?? (strata.count > 1))
        }
        guard used.count >= 2 else {
            return result(nil, used.isEmpty ? "no events: nothing to compare"
                : "only one group has expected events (\(groupLabels[used[0]])): the test compares groups")
        }
        // Drop the first group with E > 0: V restricted to the others is invertible unless a group is
        // confounded with the strata.
        let kept = Array(used.dropFirst())
        let m = kept.count
        let z = kept.map { observed[$0] - expected[$0] }
        var v = [Double](repeating: 0, count: m * m)
        for (a, g) in kept.enumerated() { for (b, h) in kept.enumerated() { v[a * m + b] = variance[g * k + h] } }
        // A group alone in its strata has V_gg = Σ (tmp - tmp·n/n): 0 in exact arithmetic, rounding
        // noise in floating point (survdiff happens to get exact zeros there), which Cholesky would
        // accept. So V_gg must keep 1e-7 of its gross sum Σ tmp; the pivot rule covers the rest.
        let noise = kept.contains { variance[$0 * k + $0] <= 1e-7 * gross[$0] }
        guard !noise, let statistic = GrayTest.quadraticForm(z, v, order: m) else {
            return result(nil, "the variance of O - E is singular (a group confounded with the strata?): no test")
        }
        return result(statistic, nil)
    }

    /// One stratum's O and E per group, adding its variance into `variance` (row-major K × K) and
    /// each group's gross diagonal Σ tmp (before the n_gj n_hj / n_j terms are taken off) into `gross`.
    static func accumulate(_ tally: EventTally, groupCount k: Int, rho: Double, variance: inout [Double],
                           gross: inout [Double]) -> (observed: [Double], expected: [Double]) {
        var observed = [Double](repeating: 0, count: k), expected = [Double](repeating: 0, count: k)
        var atRisk = [Double](repeating: 0, count: k), deaths = [Double](repeating: 0, count: k)
        var survival = 1.0   // pooled Kaplan-Meier of the stratum just before the current time
        for t in tally.times.indices {
            var n = 0, d = 0
            for g in 0..<k {
                let rows = tally.rowCount(time: t, group: g)
                let dg = rows - tally.count(time: t, group: g, status: 0)
                let ng = tally.atRisk(time: t, group: g)
                atRisk[g] = Double(ng)
                deaths[g] = Double(dg)
                n += ng
                d += dg
            }
            guard d > 0 else { continue }
            let w = weight(survival, rho: rho)
            let nj = Double(n), dj = Double(d)
            for g in 0..<k {
                observed[g] += w * deaths[g]
                expected[g] += w * dj * atRisk[g] / nj
            }
            if n > 1 {
                let w2 = w * w
                for g in 0..<k {
                    let tmp = w2 * dj * atRisk[g] * (nj - dj) / (nj * (nj - 1))
                    variance[g * k + g] += tmp
                    gross[g] += tmp
                    for h in 0..<k { variance[g * k + h] -= tmp * atRisk[h] / nj }
                }
            }
            survival = survival * (nj - dj) / nj   // survdiff2's order: (km · (n - d)) / n
        }
        return (observed, expected)
    }

    /// S^rho: 1 for rho = 0 and S for rho = 1 exactly, else exp(rho · log S) with the portable
    /// functions (S > 0 here: a time with patients at risk follows no time where S reached 0).
    static func weight(_ s: Double, rho: Double) -> Double {
        if rho == 0 { return 1 }
        if rho == 1 { return s }
        return s > 0 ? exp(rho * log(s)) : 0
    }
}

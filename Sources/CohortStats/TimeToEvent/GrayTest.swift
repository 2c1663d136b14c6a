import CohortData

/// Gray's K-sample test that the cumulative incidence of one event type is the same in every
/// group, as `cmprsk::cuminc(..., rho)`'s `Tests` (Gray 1988). Documented at length in the
/// CompetingRisks article.
///
/// At each distinct time with an event, with R_g = n_g / S_g(t-) the "risk set" of group g
/// reweighted by its event-free Kaplan-Meier S_g, the pooled subdistribution hazard of type k is
/// estimated and each group's score accumulates observed minus expected type-k events:
/// ```
/// z_g = Σ_j W_j · ( d_kgj - d_kj · n_gj (1 - F_g(t_j-)) / (S_g(t_j-) · Σ_h n_hj (1 - F_h(t_j-)) / S_h(t_j-)) )
/// W_j = (1 - F(t_j-))^rho        (F the pooled cumulative incidence; rho = 0: W = 1, rho = 1: more weight early)
/// ```
/// for groups 1..K-1; the covariance V of the scores is Gray's variance estimator (cmprsk `crst`),
/// accumulated in one pass over the times (O(times · K³), linear in n). The statistic
/// ```
/// X² = zᵀ V⁻¹ z  ~  χ²(K - 1)
/// ```
/// With strata, z and V are summed over strata (each computed within its stratum).
///
/// One difference from cmprsk, on purpose: P is the upper tail of χ² computed directly (cmprsk:
/// `1 - pchisq`, which rounds a P below about 1e-16 to 0). A singular V (cmprsk: `qr` rank below
/// K - 1, statistic -1) gives no statistic and a reason.
public struct GrayTestResult: Sendable, Equatable {
    public let eventType: String
    public let statistic: Double?
    public let df: Int
    public let pValue: Double?
    public let rho: Double
    /// Why there is no statistic (one group, no events of the type, singular variance), or nil.
    public let problem: String?
    public let scores: [Double]
    /// Row-major (K - 1) × (K - 1).
    public let variance: [Double]

    public var method: String { "Gray's test (K-sample test of equal cumulative incidence, rho = \(NumberText.shortest(rho)))" }
}

public enum GrayTest {
    /// Gray's test for event type `type` (1-based) among the groups of the tallies (one tally per
    /// stratum; all with the same groups).
    public static func test(_ strata: [EventTally], type k: Int, eventType: String, rho: Double = 0) -> GrayTestResult {
        let groupCount = strata.first?.groupCount ?? 0
        let m = groupCount - 1
        func none(_ problem: String) -> GrayTestResult {
            GrayTestResult(eventType: eventType, statistic: nil, df: max(m, 0), pValue: nil, rho: rho, problem: problem, scores: [], variance: [])
        }
        let present = (0..<groupCount).filter { g in strata.contains { $0.groupSizes[g] > 0 } }
        guard present.count >= 2 else { return none("one group only: Gray's test compares groups") }
        var events = 0
        for tally in strata { for t in tally.times.indices { for g in 0..<groupCount { events += tally.count(time: t, group: g, status: k) } } }
        guard events > 0 else { return none("no \(eventType) events: nothing to compare") }
        var scores = [Double](repeating: 0, count: m)
        var variance = [Double](repeating: 0, count: m * m)
        for tally in strata {
            let (s, v) = scoreAndVariance(tally, type: k, rho: rho)
            for i in 0..<m { scores[i] += s[i] }
            for i in 0..<(m * m) { variance[i] += v[i] }
        }
        guard let statistic = quadraticForm(scores, variance, order: m) else {
            return GrayTestResult(eventType: eventType, statistic: nil, df: m, pValue: nil, rho: rho,
                                  problem: "the variance of the scores is singular: no test", scores: scores, variance: variance)
        }
        return GrayTestResult(eventType: eventType, statistic: statistic, df: m, pValue: ChiSquare.survival(statistic, df: Double(m)),
                              rho: rho, problem: nil, scores: scores, variance: variance)
    }

    /// zᵀ V⁻¹ z by Cholesky (V is a covariance matrix), or nil when V is singular: Cholesky fails,
    /// or a pivot keeps less than 1e-7 of its diagonal (cmprsk: `qr` with its default tolerance 1e-7).
    static func quadraticForm(_ z: [Double], _ v: [Double], order m: Int) -> Double? {
        var factor = v
        let diagonal = (0..<m).map { v[$0 * m + $0] }
        guard diagonal.allSatisfy({ $0 > 0 }) else { return nil }
        let factored = factor.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { Cholesky.factor($0, order: m) == nil } ?? false
        }
        guard factored else { return nil }
        for j in 0..<m where factor[j * m + j] * factor[j * m + j] < 1e-7 * diagonal[j] { return nil }
        var x = z
        factor.withUnsafeBufferPointer { u in
            x.withUnsafeMutableBufferPointer { b in
                if let u = u.baseAddress, let b = b.baseAddress { Cholesky.solve(factor: u, order: m, rhs: b, count: 1) }
            }
        }
        return zip(z, x).reduce(0) { $0 + $1.0 * $1.1 }
    }
}

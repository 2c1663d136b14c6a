/// The cumulative incidence of one event type in one group in the presence of competing events:
/// the Aalen-Johansen estimate with the variance of `cmprsk::cuminc` (Gray's `cinc`).
///
/// At the distinct times t_j of the group, with n_j at risk, d_kj events of type k, d_j events of
/// any type, and S(t) the Kaplan-Meier estimate of being free of every event type:
/// ```
/// F_k(t) = Σ_{t_j <= t} S(t_j-) · d_kj / n_j
/// ```
/// The variance is the delta-method estimate of `cmprsk` (Gray's notes; Kalbfleisch & Prentice
/// 2002, §8.2.4): three running sums over the times with an event, then at each time with a type-k
/// event
/// ```
/// Var F_k(t) = v1 + F_k(t)² v3 - 2 F_k(t) v2
/// ```
/// where, with S- = S(t_j-), S+ = S(t_j) and F = F_k(t_j) (already including the jump at t_j),
/// each time adds, for the competing events (d = d_j - d_kj > 0, S+ > 0)
/// ```
/// w = S-² · c(d) · d / n²,  a = 1/S+,  b = F/S+:   v1 += b² w,  v2 += a b w,  v3 += a² w
/// ```
/// and for the type-k events (d = d_kj > 0), with a = 1/S+ (0 when S+ = 0)
/// ```
/// w = S-² · c(d) · d / n²,  b = 1 + a F:            v1 += b² w,  v2 += a b w,  v3 += a² w
/// ```
/// c(d) = 1 - (d - 1)/(n - 1) for d > 1 (else 1) is the correction for tied events.
///
/// As in `cmprsk`, the variance is recomputed only at times with a type-k event: between them (and
/// after the last one) it keeps its value, even though competing events meanwhile change v1, v2
/// and v3. Ties are handled as in `cinc`: all rows at one time are one step; events of every type
/// at that time leave the risk set together, and censorings at the same time are still at risk
/// (censoring is taken to happen just after the events).
public struct IncidenceCurve: Sendable {
    public let group: String
    public let eventType: String
    /// The times at which the estimate jumps (a type-k event), ascending.
    public let times: [Double]
    /// F_k just after each jump.
    public let estimates: [Double]
    /// cmprsk's variance at each jump.
    public let variances: [Double]
    /// The group's largest time (event or censoring); the curve is defined up to it.
    public let lastFollowUp: Double
    /// Rows in the group.
    public let n: Int

    /// F_k on `day`, as `cmprsk::timepoints`: the value at the last jump <= day (0 before the
    /// first), with its variance and the number at risk that day (from `tally`). Not estimable
    /// after the group's last follow-up (cmprsk: NA) or before day 0.
    public func reading(onDay day: Double, atRisk: Int) -> CurveReading {
        if let problem = CurveReading.problem(day: day, lastFollowUp: lastFollowUp) {
            return CurveReading(day: day, atRisk: atRisk, value: .notEstimable(problem))
        }
        guard let i = CurveReading.lastIndex(in: times, atOrBefore: day) else {
            return CurveReading(day: day, atRisk: atRisk, value: .estimate(0, variance: 0))
        }
        return CurveReading(day: day, atRisk: atRisk, value: .estimate(estimates[i], variance: variances[i]))
    }
}

public enum CumulativeIncidence {
    /// The curve of event type `type` (1-based, as in ``CompetingRisksData/status``) in group `g`.
    public static func curve(_ tally: EventTally, group g: Int, type k: Int, groupLabel: String, typeLabel: String) -> IncidenceCurve {
        var times: [Double] = [], estimates: [Double] = [], variances: [Double] = []
        var survival = 1.0, f = 0.0
        var v1 = 0.0, v2 = 0.0, v3 = 0.0
        var last = 0.0
        for t in tally.times.indices {
            let rows = tally.rowCount(time: t, group: g)
            guard rows > 0 else { continue }
            last = tally.times[t]
            let events = rows - tally.count(time: t, group: g, status: 0)
            guard events > 0 else { continue }
            let n = Double(tally.atRisk(time: t, group: g))
            let dk = tally.count(time: t, group: g, status: k)
            let other = events - dk
            let after = survival * (n - Double(events)) / n
            if dk > 0 { f += survival * Double(dk) / n }
            if other > 0, after > 0 {
                let w = survival * survival * tieCorrection(other, n) * Double(other) / (n * n)
                let a = 1 / after, b = f / after
                v1 += b * b * w; v2 += a * b * w; v3 += a * a * w
            }
            if dk > 0 {
                let w = survival * survival * tieCorrection(dk, n) * Double(dk) / (n * n)
                let a = after > 0 ? 1 / after : 0
                let b = 1 + a * f
                v1 += b * b * w; v2 += a * b * w; v3 += a * a * w
                times.append(tally.times[t]); estimates.append(f); variances.append(v1 + f * f * v3 - 2 * f * v2)
            }
            survival = after
        }
        return IncidenceCurve(group: groupLabel, eventType: typeLabel, times: times, estimates: estimates, variances: variances,
                              lastFollowUp: last, n: tally.groupSizes[g])
    }

    /// Every group × event type, event types outermost (cmprsk's order).
    public static func curves(_ data: CompetingRisksData, tally: EventTally) -> [IncidenceCurve] {
        data.eventTypes.indices.flatMap { k in
            data.groupLabels.indices.map { g in
                curve(tally, group: g, type: k + 1, groupLabel: data.groupLabels[g], typeLabel: data.eventTypes[k])
            }
        }
    }

    /// 1 - (d - 1)/(n - 1) for d > 1 tied events among n at risk, else 1.
    @inline(__always) static func tieCorrection(_ d: Int, _ n: Double) -> Double {
        d > 1 ? 1 - Double(d - 1) / (n - 1) : 1
    }
}

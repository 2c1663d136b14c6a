/// The Kaplan-Meier estimate of the survival function, as R's `survival::survfit`, for one group.
///
/// With n_j at risk and d_j events (of any type) at the distinct times t_j:
/// ```
/// S(t)        = Π_{t_j <= t} (1 - d_j / n_j)
/// Greenwood:  Var S(t) = S(t)² · Σ_{t_j <= t} d_j / (n_j (n_j - d_j))
/// ```
/// `standardErrorOfCumulativeHazard` is the square root of the sum, what `survfit` stores as
/// `std.err` (the standard error of -log S); the standard error of S is S times it, what
/// `summary(survfit)` prints. When the last patient at risk has the event (n_j = d_j) S falls to 0
/// and the sum is infinite: R prints NA for the standard error there, and so is the reading here
/// not given a finite variance (its interval is nil). Intervals: ``CurveInterval``, log-log by
/// default (R's default is log). Reference: Kalbfleisch & Prentice (2002), §1.3.
public struct KaplanMeierCurve: Sendable {
    public let group: String
    /// Every distinct time of the group (events and censorings), as `survfit`'s `time`.
    public let times: [Double]
    public let atRisk: [Int]
    public let events: [Int]
    public let censored: [Int]
    public let survival: [Double]
    /// √Σ d/(n(n-d)): survfit's `std.err`; +∞ after S reaches 0.
    public let standardErrorOfCumulativeHazard: [Double]
    public let n: Int

    /// The group's largest time (event or censoring).
    public var lastFollowUp: Double { times.last ?? 0 }

    /// The standard error of S at step `i`: S · survfit's `std.err` (NaN when S = 0 and the sum is infinite).
    public func standardError(at i: Int) -> Double {
        survival[i] == 0 && standardErrorOfCumulativeHazard[i].isInfinite ? .nan : survival[i] * standardErrorOfCumulativeHazard[i]
    }

    /// S on `day`, as `summary(fit, times = day)`: the value at the last time <= day (1 before the
    /// first), its Greenwood variance, and the number at risk (time >= day). Not estimable after the
    /// last follow-up (summary drops such days) or before day 0.
    ///
    /// At S = 1 the log-log limits follow R (survival 3.5-3, issue: KM at S = 1): before the group's
    /// first observed time `summary` gives lower = upper = 1 (``CurveReading/isBeforeFirstTime``);
    /// from a censoring that precedes every event until the first event `survfit` gives NA, and so
    /// there is no interval here, with the reason from ``CurveReading/intervalWithReason(_:level:)``.
    /// The log and plain limits are (1, 1) at S = 1 in both places. At S = 0 every type has none.
    public func reading(onDay day: Double) -> CurveReading {
        let atRisk = times.indices.first(where: { times[$0] >= day }).map { self.atRisk[$0] } ?? 0
        if let problem = CurveReading.problem(day: day, lastFollowUp: lastFollowUp) {
            return CurveReading(day: day, atRisk: atRisk, value: .notEstimable(problem))
        }
        guard let i = CurveReading.lastIndex(in: times, atOrBefore: day) else {
            return CurveReading(day: day, atRisk: atRisk, value: .estimate(1, variance: 0), isBeforeFirstTime: true)
        }
        let se = standardError(at: i)
        return CurveReading(day: day, atRisk: atRisk, value: .estimate(survival[i], variance: se * se))
    }
}

public enum KaplanMeier {
    /// One curve per group of `tally`, every event type counting as the event.
    public static func curves(_ tally: EventTally, groupLabels: [String]) -> [KaplanMeierCurve] {
        (0..<tally.groupCount).map { g in
            var times: [Double] = [], atRisk: [Int] = [], events: [Int] = [], censored: [Int] = []
            var survival: [Double] = [], se: [Double] = []
            var s = 1.0, sum = 0.0
            for t in tally.times.indices {
                let rows = tally.rowCount(time: t, group: g)
                guard rows > 0 else { continue }
                let n = tally.atRisk(time: t, group: g)
                let c = tally.count(time: t, group: g, status: 0)
                let d = rows - c
                if d > 0 {
                    s *= Double(n - d) / Double(n)
                    sum += n == d ? .infinity : Double(d) / (Double(n) * Double(n - d))
                }
                times.append(tally.times[t]); atRisk.append(n); events.append(d); censored.append(c)
                survival.append(s); se.append(sum.squareRoot())
            }
            return KaplanMeierCurve(group: groupLabels[g], times: times, atRisk: atRisk, events: events, censored: censored,
                                    survival: survival, standardErrorOfCumulativeHazard: se, n: tally.groupSizes[g])
        }
    }
}

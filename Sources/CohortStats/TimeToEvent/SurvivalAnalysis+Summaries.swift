/// One group's summary beside its Kaplan-Meier curve: what `print(survfit(...), rmean = tau)` shows
/// (n, events, restricted mean with SE, median with its limits) and any other quantiles, with the
/// analysis's interval type and level.
public struct GroupSurvivalSummary: Sendable, Equatable {
    public let group: String
    public let n: Int
    /// Events of any type (the curve's events).
    public let events: Int
    public let median: SurvivalQuantile
    /// The quantiles asked for, in the order asked.
    public let quantiles: [SurvivalQuantile]
    /// nil when no tau was given (or tau < 0).
    public let restrictedMean: RestrictedMeanSurvival?
}

extension SurvivalAnalysis {
    /// Each group's median (and `quantiles`) with limits on the analysis's ``interval`` scale and
    /// ``level``, and the restricted mean to `tau`, in the order of ``curves``.
    /// - Parameters:
    ///   - quantiles: probabilities p of F = 1 - S (0.25: the time by which a quarter had an event).
    ///   - tau: the day the restricted mean runs to, or nil for none.
    ///   - rule: quantile.survfit's rule (default) or print.survfit's (see ``SurvivalQuantileRule``).
    public func groupSummaries(quantiles: [Double] = [], restrictedMeanTo tau: Double? = nil,
                               rule: SurvivalQuantileRule = .quantileSurvfit) -> [GroupSurvivalSummary] {
        curves.map { curve in
            var events = 0
            for d in curve.events { events += d }
            return GroupSurvivalSummary(group: curve.group, n: curve.n, events: events,
                                        median: curve.median(interval: interval, level: level, rule: rule),
                                        quantiles: quantiles.map { curve.quantile($0, interval: interval, level: level, rule: rule) },
                                        restrictedMean: tau.flatMap { curve.restrictedMean(to: $0) })
        }
    }
}

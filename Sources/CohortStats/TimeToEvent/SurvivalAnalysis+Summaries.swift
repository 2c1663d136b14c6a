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
    ///   - medianRule: the median's rule when it differs from the quantiles' (`cohort km` shows the
    ///     median as print(survfit) and other quantiles as quantile(survfit)); nil: `rule`.
    public func groupSummaries(quantiles: [Double] = [], restrictedMeanTo tau: Double? = nil,
                               rule: SurvivalQuantileRule = .quantileSurvfit,
                               medianRule: SurvivalQuantileRule? = nil) -> [GroupSurvivalSummary] {
        curves.map { curve in
            var events = 0
            for d in curve.events { events += d }
            return GroupSurvivalSummary(group: curve.group, n: curve.n, events: events,
                                        median: curve.median(interval: interval, level: level, rule: medianRule ?? rule),
                                        quantiles: quantiles.map { curve.quantile($0, interval: interval, level: level, rule: rule) },
                                        restrictedMean: tau.flatMap { curve.restrictedMean(to: $0) })
        }
    }
}

/// What `cohort km` reports beside its readings: each group's median as `print(survfit)` shows it,
/// the other quantiles asked for as `quantile(survfit)` gives them, the restricted mean to a day as
/// `print(survfit, rmean =)`, and with groups the G-rho test between them as `survdiff`.
public struct KaplanMeierSummary: Sendable {
    /// One a group, in the order of the analysis's curves.
    public let groups: [GroupSurvivalSummary]
    /// The probabilities asked for besides the median (p of F = 1 - S), in the order asked.
    public let quantiles: [Double]
    /// The day the restricted mean runs to, or nil for none.
    public let restrictedMeanDay: Double?
    /// The test between the groups; nil without a group column.
    public let test: LogRankTestResult?
    /// The column the test is stratified by, or nil.
    public let strataColumn: String?
}

extension SurvivalAnalysis {
    /// The groups' medians (`print(survfit)`'s rule), `quantiles` (`quantile(survfit)`'s rule) and
    /// restricted means to `tau` on the analysis's interval scale and level; with a group column the
    /// G-rho test of `data` (the rows the analysis was run on; stratified when `data` has strata).
    /// - Parameters:
    ///   - data: the rows of ``run(_:days:interval:level:)``.
    ///   - quantiles: probabilities p of F = 1 - S besides the median.
    ///   - tau: the day the restricted mean runs to, or nil.
    ///   - rho: the test's weight exponent S(t-)^rho (0: log-rank).
    public func summary(of data: CompetingRisksData, quantiles: [Double] = [], restrictedMeanTo tau: Double? = nil,
                        rho: Double = 0) -> KaplanMeierSummary {
        KaplanMeierSummary(groups: groupSummaries(quantiles: quantiles, restrictedMeanTo: tau, rule: .quantileSurvfit, medianRule: .printSurvfit),
                           quantiles: quantiles, restrictedMeanDay: tau,
                           test: groupColumn == nil ? nil : LogRankTest.test(data, rho: rho), strataColumn: data.strataColumn)
    }
}

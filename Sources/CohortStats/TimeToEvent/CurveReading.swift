import CohortData

/// A curve read off on one requested day: the value of the step function at the last step time
/// at or before that day (right-continuous), as `cmprsk::timepoints` and `summary(survfit, times =)`
/// do, with the number still at risk that day.
public struct CurveReading: Sendable, Equatable {
    public let day: Double
    /// Rows of the group with time >= day.
    public let atRisk: Int
    /// The estimate and its variance, or why there is none.
    public let value: Value
    /// The day precedes the group's first observed time, so the value is the curve's known starting
    /// point (S = 1, variance 0). `summary(survfit, times =)` reports lower = upper = 1 there for every
    /// `conf.type`, log-log included, and so does ``interval(_:level:)``: the interval is [value, value].
    public let isBeforeFirstTime: Bool

    public enum Value: Sendable, Equatable {
        case estimate(Double, variance: Double)
        /// Not estimable, with the reason in words ("after the last follow-up (day 350)").
        case notEstimable(String)
    }

    public init(day: Double, atRisk: Int, value: Value, isBeforeFirstTime: Bool = false) {
        self.day = day
        self.atRisk = atRisk
        self.value = value
        self.isBeforeFirstTime = isBeforeFirstTime
    }

    public var estimate: Double? {
        if case .estimate(let e, _) = value { return e }
        return nil
    }

    public var variance: Double? {
        if case .estimate(_, let v) = value { return v }
        return nil
    }

    /// The standard error, nil when not estimable or the variance is not finite.
    public var standardError: Double? {
        guard let v = variance, v.isFinite, v >= 0 else { return nil }
        return v.squareRoot()
    }

    /// The interval of this reading, nil when there is none (see ``CurveInterval``); [value, value]
    /// before the first observed time (see ``isBeforeFirstTime``).
    public func interval(_ type: CurveInterval, level: Double) -> (lower: Double, upper: Double)? {
        guard let e = estimate, let se = standardError else { return nil }
        if isBeforeFirstTime { return (e, e) }
        return type.interval(estimate: e, standardError: se, level: level)
    }

    /// The interval, or nil with the reason in words (no estimate, or the transform undefined there).
    public func intervalWithReason(_ type: CurveInterval, level: Double) -> (interval: (lower: Double, upper: Double)?, problem: String?) {
        if let limits = interval(type, level: level) { return (limits, nil) }
        guard let estimate else { return (nil, nil) }
        if standardError == nil { return (nil, "the standard error is not defined (the last patient at risk had the event)") }
        if estimate >= 1 {
            // A Kaplan-Meier reading gets here from a censoring before any event on (issue: KM at S = 1).
            return (nil, "estimate 1: log(-log 1) is not defined, so there is no \(type.rawValue) interval "
                + "(R's survfit gives NA at S = 1 after a censoring that precedes every event)")
        }
        if estimate <= 0 { return (nil, "estimate 0 (no events by this day): the \(type.rawValue) interval is not defined") }
        return (nil, "the \(type.rawValue) interval is not defined here")
    }

    /// Why a day has no estimate, or nil when it has one: before day 0, or after the group's last
    /// follow-up (the curve is not defined there; cmprsk gives NA, survfit's summary drops the day).
    static func problem(day: Double, lastFollowUp: Double) -> String? {
        if day < 0 { return "before day 0" }
        if day > lastFollowUp { return "after the last follow-up in this group (day \(NumberText.shortest(lastFollowUp)))" }
        return nil
    }

    /// The index of the last step time <= day in ascending `times`, or nil when every one is later.
    static func lastIndex(in times: [Double], atOrBefore day: Double) -> Int? {
        var low = 0, high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] <= day { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }
}

import CohortData
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tick positions and the mapping from data to page coordinates, linear or logarithmic.
///
/// Linear ticks are "nice" numbers (Heckbert 1990, "Nice numbers for graph labels", Graphics Gems):
/// the step is 1, 2, 2.5 or 5 × 10^k, the smallest such step that gives at most `maxTicks`
/// intervals, and the axis runs from the multiple of the step at or below the data minimum to the
/// one at or above the maximum, so every tick is a round number and the data fit inside.
///
/// Log ticks are the decades 10^k covering the range; when the range spans fewer than two decades,
/// the 2 and 5 multiples are added (…, 0.5, 1, 2, 5, 10, …), so a narrow axis still has labels.
public struct Axis: Sendable, Equatable {
    public enum Scale: Sendable, Equatable { case linear, log }

    public let scale: Scale
    /// The axis ends in data units (for a log axis both > 0).
    public let lower: Double
    public let upper: Double
    /// Tick values, ascending, all within [lower, upper].
    public let ticks: [Double]

    /// A linear axis with nice ticks covering [min, max] (a zero-width range is widened to a unit
    /// step around it; non-finite ends are treated as 0 and 1).
    public static func linear(from min: Double, to max: Double, maxTicks: Int = 6) -> Axis {
        var lo = min.isFinite ? min : 0, hi = max.isFinite ? max : 1
        if lo > hi { swap(&lo, &hi) }
        if hi == lo { hi = lo + 1 }
        let step = niceStep(hi - lo, intervals: Swift.max(maxTicks, 1))
        let first = floor(lo / step + 1e-9) * step
        let last = ceil(hi / step - 1e-9) * step
        let count = Int(((last - first) / step).rounded())
        // Multiplying the index by the step (not adding steps) keeps 0.1·3 from drifting to 0.30000000000000004.
        let ticks = (0...count).map { cleaned(first + Double($0) * step, step: step) }
        return Axis(scale: .linear, lower: ticks.first ?? lo, upper: ticks.last ?? hi, ticks: ticks)
    }

    /// A linear axis from 0 with a tick every `step` (0, step, 2·step, ...), ending at the first tick
    /// at or after `end`: a time axis whose tick step the user chose (`svg_time_step`). Callers check
    /// ``tickStepProblem(_:axisEnd:)`` first; a step that is not finite and > 0 gives the nice axis.
    ///
    /// `start` (default 0) begins the axis at the multiple of `step` at or below it: a lab course's
    /// window may start before day 0 (`days = -7...28`, a tick every 7 days from day -7).
    public static func stepped(from start: Double = 0, to end: Double, step: Double) -> Axis {
        guard step.isFinite, step > 0 else { return linear(from: start, to: end) }
        let hi = end.isFinite && end > start ? end : start + step
        let first = Int(floor(start / step + 1e-9))
        let last = Swift.max(Int(ceil(hi / step - 1e-9)), first + 1)
        let ticks = (first...last).map { cleaned(Double($0) * step, step: step) }
        return Axis(scale: .linear, lower: ticks.first ?? start, upper: ticks.last ?? hi, ticks: ticks)
    }

    /// The most intervals a time axis may have: more, and the numbers at risk under the ticks (up to
    /// four digits, 11 px) run into each other on a 640 px axis.
    public static let maxTimeIntervals = 20

    /// Why `step` cannot be the tick step of a time axis from 0 to `axisEnd` (not > 0, or more than
    /// ``maxTimeIntervals`` intervals), or nil when it can: the one rule behind a figure's
    /// `timeStep:` and the study key `svg_time_step`.
    /// `axisStart` (default 0): the first day of an axis that does not start at day 0 (``stepped(from:to:step:)``).
    public static func tickStepProblem(_ step: Double, axisEnd: Double?, axisStart: Double = 0) -> String? {
        guard step.isFinite, step > 0 else { return "the tick step must be a number of days > 0" }
        guard let axisEnd, axisEnd.isFinite, axisEnd > axisStart, axisStart.isFinite else { return nil }
        let intervals = Int(ceil(axisEnd / step - 1e-9)) - Int(floor(axisStart / step + 1e-9))
        guard intervals > maxTimeIntervals else { return nil }
        let span = axisStart == 0 ? "to day \(NumberText.shortest(axisEnd))" : "from day \(NumberText.shortest(axisStart)) to day \(NumberText.shortest(axisEnd))"
        return "a tick every \(NumberText.shortest(step)) \(step == 1 ? "day" : "days") \(span) makes \(intervals) intervals; "
            + "at most \(maxTimeIntervals) fit under the numbers at risk (a step of at least \(NumberText.shortest(((axisEnd - axisStart) / Double(maxTimeIntervals)).rounded(.up))) days)"
    }

    /// Why `day` cannot end a time axis that starts at day 0 ("must be a day > 0"), or nil when it
    /// can: the one rule behind a figure's `maxDay:`, the study key `svg_max_day` (and the CLI's
    /// `--svg-max-day`, which states it in its own words).
    public static func timeLimitProblem(_ day: Double) -> String? {
        day.isFinite && day > 0 ? nil : "the axis end must be a day > 0"
    }

    /// The smallest of 1, 2, 2.5, 5 × 10^k at least `span / intervals`.
    public static func niceStep(_ span: Double, intervals: Int) -> Double {
        let raw = span / Double(intervals)
        let magnitude = PortableMath.powerOfTen(PortableMath.decimalExponent(raw))
        for m in [1.0, 2, 2.5, 5, 10] where m * magnitude >= raw * (1 - 1e-12) { return m * magnitude }
        return 10 * magnitude
    }

    /// A log axis from the decade (or 2/5 multiple, for narrow ranges) at or below `min` to the one at
    /// or above `max`. Both must be > 0 and finite; other values fall back to [0.1, 10].
    public static func log(from min: Double, to max: Double) -> Axis {
        var lo = min, hi = max
        if !(lo > 0 && lo.isFinite) { lo = 0.1 }
        if !(hi > 0 && hi.isFinite) { hi = 10 }
        if lo > hi { swap(&lo, &hi) }
        let kLo = Int(floor(PortableMath.log10(lo) + 1e-9)), kHi = Int(ceil(PortableMath.log10(hi) - 1e-9))
        let decades = Swift.max(kHi - kLo, 1)
        var candidates: [Double] = []
        for k in (kLo - 1)...(kHi + 1) {
            let base = PortableMath.powerOfTen(k)
            candidates += decades <= 2 ? [base, 2 * base, 5 * base] : [base]
        }
        // The axis ends at the last candidate at or below lo and the first at or above hi.
        let start = candidates.last { $0 <= lo * (1 + 1e-9) } ?? lo
        let end = candidates.first { $0 >= hi * (1 - 1e-9) } ?? hi
        let ticks = candidates.filter { $0 >= start * (1 - 1e-9) && $0 <= end * (1 + 1e-9) }
        return Axis(scale: .log, lower: start, upper: end == start ? start * 10 : end, ticks: ticks)
    }

    /// The fraction of the way from `lower` to `upper` (0 at lower, 1 at upper; outside for values
    /// beyond the ends; non-positive values on a log axis give -infinity, which callers clamp).
    public func fraction(_ value: Double) -> Double {
        switch scale {
        case .linear: return (value - lower) / (upper - lower)
        case .log: return (PortableMath.log10(value) - PortableMath.log10(lower)) / (PortableMath.log10(upper) - PortableMath.log10(lower))
        }
    }

    /// `value` mapped onto the page between `start` (at `lower`) and `end` (at `upper`).
    public func position(_ value: Double, from start: Double, to end: Double) -> Double {
        start + fraction(value) * (end - start)
    }

    /// A tick label: the shortest fixed decimal that shows the tick (0.25, 1, 2.5, 1000).
    public static func label(_ value: Double) -> String {
        for decimals in 0...6 {
            let text = NumberStyle.fixed(value, decimals: decimals)
            if abs((Double(text) ?? .nan) - value) <= abs(value) * 1e-9 { return text }
        }
        return NumberStyle.fixed(value, decimals: 6)
    }

    /// Rounds away the binary noise of `value`, a multiple of `step`.
    static func cleaned(_ value: Double, step: Double) -> Double {
        let decimals = Swift.max(0, -PortableMath.decimalExponent(step) + 2)
        return Double(NumberStyle.fixed(value, decimals: decimals)) ?? value
    }
}

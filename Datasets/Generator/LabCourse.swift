import CohortData
import CohortStats

/// The shared pieces of the synthetic laboratory tables (`labs.csv`, issue 15): the draw days of a
/// patient and the shape of one laboratory course. Invented (never published) and chosen to look
/// like real CAR-T laboratory follow-up: a baseline draw before lymphodepletion, daily draws in the
/// first two weeks with a few days skipped and a few repeated, every 2-3 days after, and a few
/// draws after the summary window. The studies place the published extremes on these days exactly.
enum LabCourse {
    /// One draw: its study day and, when it repeats an earlier draw that day, 1 (0 for the first).
    struct Draw: Equatable {
        var day: Int
        var repeatOfDay: Int = 0
    }

    /// The draw days of one patient, sorted by day then draw order.
    /// - Parameters:
    ///   - baseline: the day of the first pre-infusion draw (before lymphodepletion).
    ///   - preInfusion: a second pre-infusion day (after lymphodepletion), or nil.
    ///   - dailyUntil: the last day of daily draws; days after it are every 2-3 days.
    ///   - windowEnd: the summary window's last day; every required day lies in 0...windowEnd.
    ///   - lastDay: no draw after this day (death or last follow-up).
    ///   - required: days that must have a draw (the extremes, the day before the worst day).
    ///   - keepSingle: days that must not have a repeated draw.
    static func schedule(baseline: Int, preInfusion: Int?, dailyUntil: Int, windowEnd: Int, lastDay: Int,
                         required: Set<Int>, keepSingle: Set<Int>, after: [Int], _ rng: inout SplitMix64) -> [Draw] {
        var days: [Int] = [baseline]
        if let d = preInfusion { days.append(d) }
        // Daily from day 0; from day 3 on, an unrequired day is skipped with probability 0.12.
        for day in 0...min(dailyUntil, lastDay) where day < 3 || required.contains(day) || !rng.bernoulli(0.12) {
            days.append(day)
        }
        // Then every 2-3 days to the window's end.
        var day = dailyUntil + rng.integer(2...3)
        while day <= min(windowEnd, lastDay) {
            days.append(day)
            day += rng.integer(2...3)
        }
        for r in required where !days.contains(r) { days.append(r) }
        days += after.filter { $0 > windowEnd && $0 <= lastDay }
        days.sort()
        var draws: [Draw] = []
        for d in days {
            draws.append(Draw(day: d))
            // A repeated draw (a recheck the same day) on 5% of days 1-10.
            if (1...10).contains(d) && !keepSingle.contains(d) && rng.bernoulli(0.05) {
                draws.append(Draw(day: d, repeatOfDay: 1))
            }
        }
        return draws
    }

    /// The fraction of the way from the extreme back to the baseline level on `day`: 1 at day 0 and
    /// before, 0 on the extreme day (`peak`), falling as (day / peak)^power before it, and
    /// recovering towards `recovery` with time constant `tau` days after it.
    static func distance(day: Int, peak: Int, power: Double, recovery: Double, tau: Double) -> Double {
        if day <= 0 { return 1 }
        if day < peak { return 1 - PortableMath.exp(power * PortableMath.log(Double(day) / Double(peak))) }
        if day == peak { return 0 }
        return recovery * (1 - PortableMath.exp(-Double(day - peak) / tau))
    }

    /// A value written from an integer count of `1/10^decimals` units (so `scaled(23, 1)` is "2.3").
    static func text(_ scaled: Int, _ decimals: Int) -> String {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        return CSVText.fixed(Double(scaled) / Double(scale), decimals)
    }

    /// `value` in units of `1/10^decimals`, rounded as `CSVText.fixed` rounds it (half away from zero).
    static func scaled(_ value: Double, _ decimals: Int) -> Int {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return Int((value * scale).rounded(.toNearestOrAwayFromZero))
    }
}

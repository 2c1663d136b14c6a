import CohortData
import CohortStats

/// The Johnsrud 2021 laboratory table (`labs.csv`, issue 15): one row a draw, day 0 = infusion.
///
/// Constrained: each patient's first pre-infusion platelet count is the baseline of the
/// reconstruction (so the baseline medians 86 vs 178 and the low-platelet cells stand), and the
/// minimum platelet count and fibrinogen and the maximum PT and D-dimer over days 0-30 are the
/// patient-level nadirs and peaks the reconstruction drew (so the published associations, lower
/// platelet and fibrinogen nadirs in bleeders, longer PT, lower fibrinogen and higher D-dimer with
/// ICANS >= 3, are computed from these rows). Each extreme falls on one draw on days 4-11, where the
/// laboratory changes after CAR-T peak; every other draw in the window is strictly less extreme.
/// Everything else (the days, the shape of each course, the missing values) is invented.
extension Johnsrud2021 {
    /// The laboratory stream's seed: separate from `seed`, so the patient table is unchanged by it.
    static let labSeed: UInt64 = 20211109_15

    static let labHeader = ["patient_id", "day", "platelets", "fibrinogen", "pt", "ddimer"]

    /// The summary window of the codebook's nadirs and peaks.
    static let labWindow = 0...30

    /// What a patient's laboratory course must reproduce: baseline platelets, the platelet nadir
    /// (x10^9/L), and the fibrinogen nadir, PT peak and D-dimer peak in tenths (g/L, s, mg/L FEU).
    struct LabTargets {
        let id: Int, baseline: Int, nadir: Int, fibrinogen: Int, pt: Int, dDimer: Int
        let bleedingDay: Int?, lastDay: Int
    }

    /// Day-to-day variation of a draw around its course: relative (the value times exp(normal(0,
    /// sd))) for counts and concentrations, absolute (plus normal(0, sd) written units) for times.
    enum Noise { case relative(Double), absolute(Double) }

    /// One laboratory's course: level at day 0 (`start`), the extreme and its day, and how it recovers.
    struct Course {
        let start: Double, extreme: Int, day: Int, power: Double, recovery: Double, tau: Double
        /// +1 when the extreme is a peak (PT, D-dimer), -1 when it is a nadir (platelets, fibrinogen).
        let direction: Int
        let noise: Noise

        func value(on day: Int, _ rng: inout SplitMix64) -> Double {
            let distance = LabCourse.distance(day: day, peak: self.day, power: power, recovery: recovery, tau: tau)
            let level = Double(extreme) + (start - Double(extreme)) * distance
            return switch noise {
            case .relative(let sd): level * PortableMath.exp(sd * rng.normal())
            case .absolute(let sd): level + sd * rng.normal()
            }
        }

        /// The written value of a draw on `day`: the extreme itself on the extreme draw; inside the
        /// window, strictly less extreme than it; within `limits` always.
        func written(on day: Int, extremeDraw: Bool, inWindow: Bool, limits: ClosedRange<Int>, _ rng: inout SplitMix64) -> Int {
            if extremeDraw { return extreme }
            var v = min(limits.upperBound, max(limits.lowerBound, Int(value(on: day, &rng).rounded())))
            if inWindow { v = direction > 0 ? min(v, extreme - 1) : max(v, extreme + 1) }
            return v
        }
    }

    static func labRows(_ t: LabTargets, _ rng: inout SplitMix64) -> [[String]] {
        // Extreme days: platelet nadir days 5-11 (a bleeder's not after the bleed), fibrinogen nadir
        // and PT peak days 4-10, D-dimer peak days 5-11. Invented, after the review's days 5-11.
        let plateletDay = rng.integer(5...min(11, t.bleedingDay ?? 11))
        let fibrinogenDay = rng.integer(4...10), ptDay = rng.integer(4...10), dDimerDay = rng.integer(5...11)
        // Draws: baseline on day -9 to -6 (before lymphodepletion on days -5 to -3), 60% a second
        // draw on day -2 or -1; daily on days 0-14; every 2-3 days to day 30; 75% one to three
        // outpatient draws on days 34-120.
        let baselineDay = -6 - rng.integer(0...3)
        let preInfusion: Int? = rng.bernoulli(0.6) ? -rng.integer(1...2) : nil
        var after: [Int] = []
        if rng.bernoulli(0.75) {
            var day = labWindow.upperBound + rng.integer(4...10)
            for _ in 0..<rng.integer(1...3) {
                after.append(day)
                day += rng.integer(14...40)
            }
        }
        let draws = LabCourse.schedule(baseline: baselineDay, preInfusion: preInfusion, dailyUntil: 14, windowEnd: labWindow.upperBound,
                                       lastDay: t.lastDay, required: [plateletDay, fibrinogenDay, ptDay, dDimerDay], keepSingle: [],
                                       after: after, &rng)
        // Courses. Platelets: from the baseline, 75-95% of it on day 0 (after lymphodepletion), down
        // to the nadir and back 30-90% of the way to the baseline. Fibrinogen (g/L): about 3.8 at
        // day 0, down to its nadir, back 60-110%. PT (s): about 12.8, up to its peak, back 60-100%.
        // D-dimer (mg/L FEU): about 0.6, up to its peak, back 40-90% (it stays raised longest).
        // Day-to-day variation: platelets 6%, fibrinogen 5%, D-dimer 10%, PT 0.2 s.
        let plateletStart = max(Double(t.nadir + 1), Double(t.baseline) * rng.uniform(0.75, 0.95))
        let plateletBack = Double(t.nadir) + Double(t.baseline - t.nadir) * rng.uniform(0.3, 0.9)
        let platelets = Course(start: plateletStart, extreme: t.nadir, day: plateletDay, power: rng.uniform(1, 2),
                               recovery: (plateletBack - Double(t.nadir)) / (plateletStart - Double(t.nadir)), tau: rng.uniform(5, 12), direction: -1,
                               noise: .relative(0.06))
        let fibrinogen = Course(start: Double(max(t.fibrinogen + 3, Int(rng.normal(mean: 38, sd: 7).rounded()))), extreme: t.fibrinogen,
                                day: fibrinogenDay, power: rng.uniform(1, 2), recovery: rng.uniform(0.6, 1.1), tau: rng.uniform(3, 8), direction: -1,
                                noise: .relative(0.05))
        let pt = Course(start: Double(max(100, min(t.pt - 2, Int(rng.normal(mean: 128, sd: 5).rounded())))), extreme: t.pt,
                        day: ptDay, power: rng.uniform(1, 2), recovery: rng.uniform(0.6, 1.0), tau: rng.uniform(3, 8), direction: 1,
                        noise: .absolute(2))
        let dDimer = Course(start: Double(max(1, min(t.dDimer - 1, Int((rng.logNormal(median: 0.6, sdLog: 0.5) * 10).rounded())))),
                            extreme: t.dDimer, day: dDimerDay, power: rng.uniform(1, 2), recovery: rng.uniform(0.4, 0.9),
                            tau: rng.uniform(4, 10), direction: 1, noise: .relative(0.10))
        var rows: [[String]] = []
        for (k, draw) in draws.enumerated() {
            let inWindow = labWindow.contains(draw.day), first = draw.repeatOfDay == 0
            let isBaseline = k == 0
            var plt = platelets.written(on: draw.day, extremeDraw: first && draw.day == plateletDay, inWindow: inWindow, limits: 2...900, &rng)
            if isBaseline { plt = t.baseline }
            let fib = fibrinogen.written(on: draw.day, extremeDraw: first && draw.day == fibrinogenDay, inWindow: inWindow, limits: 3...90, &rng)
            let ptValue = pt.written(on: draw.day, extremeDraw: first && draw.day == ptDay, inWindow: inWindow, limits: 95...400, &rng)
            let dd = dDimer.written(on: draw.day, extremeDraw: first && draw.day == dDimerDay, inWindow: inWindow, limits: 1...600, &rng)
            // Missing values (not measured that draw): platelets 2%, fibrinogen 15%, PT 10%,
            // D-dimer 30%; never the baseline platelets or a draw that carries an extreme.
            let keepPlatelets = isBaseline || (first && draw.day == plateletDay) || !rng.bernoulli(0.02)
            let keepFibrinogen = (first && draw.day == fibrinogenDay) || !rng.bernoulli(0.15)
            let keepPT = (first && draw.day == ptDay) || !rng.bernoulli(0.10)
            let keepDDimer = (first && draw.day == dDimerDay) || !rng.bernoulli(0.30)
            let anyOther = keepFibrinogen || keepPT || keepDDimer
            rows.append([
                String(t.id), String(draw.day), keepPlatelets || !anyOther ? String(plt) : "",
                keepFibrinogen ? LabCourse.text(fib, 1) : "", keepPT ? LabCourse.text(ptValue, 1) : "",
                keepDDimer ? LabCourse.text(dd, 1) : "",
            ])
        }
        return rows
    }
}

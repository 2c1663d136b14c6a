import CohortData
import CohortStats

/// The NCT02965092 laboratory table (`labs.csv`, issue 15): one row a draw, day 0 = first infusion.
///
/// Constrained: on one day of days 2-12 (the worst day) the five values are exactly the worst-day
/// values the reconstruction drew for the patient's coagulation category, and on every other draw of
/// days 0-28 each value is strictly less abnormal (platelets higher, D-dimer lower, PT and APTT
/// prolongation lower, fibrinogen higher). The scores only rise with abnormality, so the highest
/// per-day Chinese and ISTH scores of days 0-28 are the worst day's, and the 30 coagulation
/// disorders, the 15 DIC (Chinese score >= 6) and the 25 ISTH overt DIC are computed from these rows.
/// Recovery: the Chinese score of the last draw of days 0-28 is below 6 for 14 of the 15 DIC and
/// at least 6 for the one without recovery. Onset: the score first reaches 6 on days 2 to 10, at
/// most 4 days before the worst day. The generator checks all of this with the toolkit's own
/// scores (`DICScoring`) and redraws a course that fails. Everything else is invented.
extension NCT02965092 {
    static let labSeed: UInt64 = 20190517_15

    static let labHeader = ["patient_id", "day", "plt", "ddimer", "pt_prolong", "aptt_prolong", "fibrinogen"]

    /// The summary window of the codebook's worst values, scores and recovery.
    static let labWindow = 0...28

    struct LabTargets {
        let id: Int, worst: Laboratory, category: Coagulation, recovered: Bool?
        let bleeding: Bool, shock: Bool, organFailure: Bool
    }

    /// One draw's values in written units: platelets x10^9/L, D-dimer, PT and APTT prolongation in
    /// tenths (mg/L, s), fibrinogen in hundredths (g/L); nil = not measured.
    struct Values {
        var plt: Int?, dDimer: Int?, pt: Int?, aptt: Int?, fibrinogen: Int?
    }

    static func labRows(_ t: LabTargets, _ rng: inout SplitMix64) -> [[String]] {
        for _ in 0..<10_000 {
            if let rows = labAttempt(t, &rng) { return rows }
        }
        preconditionFailure("patient \(t.id): no laboratory course in 10000 attempts reproduces the worst day and recovery")
    }

    /// One drawn course, or nil when it does not reproduce the patient's scores and recovery.
    static func labAttempt(_ t: LabTargets, _ rng: inout SplitMix64) -> [[String]]? {
        let w = Values(plt: LabCourse.scaled(t.worst.platelets, 0), dDimer: LabCourse.scaled(t.worst.dDimer, 1),
                       pt: LabCourse.scaled(t.worst.pt, 1), aptt: LabCourse.scaled(t.worst.aptt, 1),
                       fibrinogen: LabCourse.scaled(t.worst.fibrinogen, 2))
        // The worst day: DIC days 5-10, other disorders 4-11, no disorder 2-12 (invented; the
        // review's laboratory peak is days 5-11).
        let worstDay = switch t.category {
        case .dic: rng.integer(5...10)
        case .disorder: rng.integer(4...11)
        case .none: rng.integer(2...12)
        }
        let persists = t.recovered == false
        // Draws: baseline on day -8 or -7 (before lymphodepletion on days -7 to -5), half a second
        // on day -1; daily on days 0-14; every 2-3 days to day 28; 60% one or two later draws on
        // days 31-70 (none for the patient whose DIC did not resolve).
        var after: [Int] = []
        if !persists && rng.bernoulli(0.6) {
            after.append(labWindow.upperBound + rng.integer(3...10))
            if rng.bernoulli(0.5) { after.append(after[0] + rng.integer(14...30)) }
        }
        let draws = LabCourse.schedule(baseline: -7 - rng.integer(0...1), preInfusion: rng.bernoulli(0.5) ? -1 : nil, dailyUntil: 14,
                                       windowEnd: labWindow.upperBound, lastDay: 1000, required: [worstDay - 1, worstDay],
                                       keepSingle: [], after: after, &rng)
        // Less abnormal levels each course starts from and returns towards (invented): platelets
        // log-normal median 120 (at least 1.5x the worst + 5), D-dimer median 0.8 mg/L, PT
        // prolongation normal(0, 0.8) s, APTT normal(0, 2) s, fibrinogen normal(3.0, 0.5) g/L.
        let wp = w.plt!, wd = w.dDimer!, wpt = w.pt!, wa = w.aptt!, wf = w.fibrinogen!
        let startPlt = max(Double(wp) * 1.5 + 5, rng.logNormal(median: 120, sdLog: 0.4))
        let startDD = Double(max(1, min(wd - 1, Int((rng.logNormal(median: 0.8, sdLog: 0.5) * 10).rounded()))))
        let startPT = Double(max(-40, min(wpt - 3, Int(rng.normal(mean: 0, sd: 8).rounded()))))
        let startAPTT = Double(max(-80, min(wa - 5, Int(rng.normal(mean: 0, sd: 20).rounded()))))
        let startFib = Double(min(600, max(wf + 20, Int(rng.normal(mean: 300, sd: 50).rounded()))))
        // Recovery after the worst day: 70-105% of the way back, time constant 3-7 days; the patient
        // whose DIC did not resolve only 5-20%.
        // Day-to-day variation: platelets 6%, D-dimer 10%, fibrinogen 5%, PT 0.2 s, APTT 0.8 s.
        func course(_ start: Double, _ extreme: Int, _ direction: Int, _ noise: Johnsrud2021.Noise) -> Johnsrud2021.Course {
            Johnsrud2021.Course(start: start, extreme: extreme, day: worstDay, power: rng.uniform(1, 2),
                                recovery: persists ? rng.uniform(0.05, 0.2) : rng.uniform(0.7, 1.05), tau: rng.uniform(3, 7),
                                direction: direction, noise: noise)
        }
        let cPlt = course(startPlt, wp, -1, .relative(0.06)), cDD = course(startDD, wd, 1, .relative(0.10))
        let cPT = course(startPT, wpt, 1, .absolute(2)), cAPTT = course(startAPTT, wa, 1, .absolute(8))
        let cFib = course(startFib, wf, -1, .relative(0.05))
        var values: [Values] = draws.map { draw in
            let inWindow = labWindow.contains(draw.day), extreme = draw.repeatOfDay == 0 && draw.day == worstDay
            return Values(plt: cPlt.written(on: draw.day, extremeDraw: extreme, inWindow: inWindow, limits: 2...900, &rng),
                          dDimer: cDD.written(on: draw.day, extremeDraw: extreme, inWindow: inWindow, limits: 1...600, &rng),
                          pt: cPT.written(on: draw.day, extremeDraw: extreme, inWindow: inWindow, limits: -40...600, &rng),
                          aptt: cAPTT.written(on: draw.day, extremeDraw: extreme, inWindow: inWindow, limits: -80...1500, &rng),
                          fibrinogen: cFib.written(on: draw.day, extremeDraw: extreme, inWindow: inWindow, limits: 20...900, &rng))
        }
        // Platelets the day before the worst day: the count whose fall to the worst day is the
        // patient's 24-h fall (plt_fall_24h); earlier first draws fall at most 45% a day towards it.
        let firstOfDay = draws.indices.filter { draws[$0].repeatOfDay == 0 }
        guard let before = firstOfDay.first(where: { draws[$0].day == worstDay - 1 }) else { return nil }
        values[before].plt = max(wp + 1, Int((Double(wp) / (1 - t.worst.fall)).rounded()))
        var next = values[before].plt!
        for i in firstOfDay.reversed() where draws[i].day < worstDay - 1 {
            values[i].plt = min(max(values[i].plt!, next), Int(Double(next) / 0.55))
            next = values[i].plt!
        }
        // Missing values (not measured that draw): D-dimer 15%, APTT 10%, fibrinogen 10%, PT 5%;
        // inside the window only on a single-draw day whose full scores are below both DIC
        // thresholds, and never on the worst day, the day before it, the last draw of the window or
        // the baseline, so that no summary depends on how a missing value is treated.
        let lastInWindow = draws.lastIndex { labWindow.contains($0.day) }
        for i in draws.indices where i != 0 && i != lastInWindow && draws[i].day != worstDay && draws[i].day != worstDay - 1 {
            let day = draws[i].day
            if labWindow.contains(day) {
                guard draws.filter({ $0.day == day }).count == 1, let c = chinese(values[i], t), let s = isth(values[i]),
                      c < 6, s < 5 else { continue }
            }
            if rng.bernoulli(0.15) { values[i].dDimer = nil }
            if rng.bernoulli(0.10) { values[i].aptt = nil }
            if rng.bernoulli(0.10) { values[i].fibrinogen = nil }
            if rng.bernoulli(0.05) { values[i].pt = nil }
        }
        // Check with the toolkit's scores: the per-day maxima are the worst day's, and the last
        // draw of the window says whether the DIC resolved.
        var byDay: [Int: Values] = [:]
        for (draw, v) in zip(draws, values) where labWindow.contains(draw.day) {
            byDay[draw.day] = byDay[draw.day].map { worse($0, v) } ?? v
        }
        let scores = byDay.compactMapValues { v in chinese(v, t).flatMap { c in isth(v).map { (c, $0) } } }
        guard let worstScores = scores[worstDay], let last = lastInWindow, let lastScores = scores[draws[last].day],
              scores.values.allSatisfy({ $0.0 <= worstScores.0 && $0.1 <= worstScores.1 }),
              (lastScores.0 >= 6) == persists else { return nil }
        // DIC begins with the CRS-related coagulopathy, not at infusion: the Chinese score first
        // reaches 6 on day 2 at the earliest and at most 4 days before the worst day (invented).
        if let onset = scores.filter({ $0.value.0 >= 6 }).keys.min(), onset < max(2, worstDay - 4) { return nil }
        return zip(draws, values).map { draw, v in
            [String(t.id), String(draw.day), v.plt.map(String.init) ?? "", v.dDimer.map { LabCourse.text($0, 1) } ?? "",
             v.pt.map { LabCourse.text($0, 1) } ?? "", v.aptt.map { LabCourse.text($0, 1) } ?? "",
             v.fibrinogen.map { LabCourse.text($0, 2) } ?? ""]
        }
    }

    /// The most abnormal of two draws' values, component by component (a missing one gives way).
    static func worse(_ a: Values, _ b: Values) -> Values {
        func pick(_ x: Int?, _ y: Int?, _ f: (Int, Int) -> Int) -> Int? { x.flatMap { x in y.map { f(x, $0) } ?? x } ?? y }
        return Values(plt: pick(a.plt, b.plt, min), dDimer: pick(a.dDimer, b.dDimer, max), pt: pick(a.pt, b.pt, max),
                      aptt: pick(a.aptt, b.aptt, max), fibrinogen: pick(a.fibrinogen, b.fibrinogen, min))
    }

    /// The Chinese DIC score of one day's values with the patient's clinical items, nil when a
    /// laboratory value is missing.
    static func chinese(_ v: Values, _ t: LabTargets) -> Int? {
        guard let plt = v.plt, let dd = v.dDimer, let pt = v.pt, let aptt = v.aptt, let fib = v.fibrinogen else { return nil }
        var input = DICScoring.ChineseInput()
        input.platelets = Double(plt)
        input.plateletFall24h = t.worst.fall
        input.dDimer = Double(dd) / 10
        input.ptProlongationSeconds = Double(pt) / 10
        input.apttProlongationSeconds = Double(aptt) / 10
        input.fibrinogen = Double(fib) / 100
        input.unexplainedBleeding = t.bleeding
        input.shockOrMicrocirculatoryFailure = t.shock
        input.organFailure = t.organFailure
        return DICScoring.chineseScore(input)
    }

    /// The ISTH overt-DIC score of one day's values (D-dimer as a multiple of its 0.5 mg/L ULN).
    static func isth(_ v: Values) -> Int? {
        guard let plt = v.plt, let dd = v.dDimer, let pt = v.pt, let fib = v.fibrinogen else { return nil }
        return DICScoring.isthScore(platelets: Double(plt), fibrinMarkerTimesULN: Double(dd) / 10 / dDimerULN,
                                    ptProlongationSeconds: Double(pt) / 10, fibrinogen: Double(fib) / 100)
    }
}

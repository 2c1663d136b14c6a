import CohortStats

/// The Johnsrud 2021 rows: the constrained skeletons with the unpublished values drawn.
extension Johnsrud2021 {
    static let header = [
        "patient_id", "age", "sex", "disease", "product", "ldh", "crs_grade", "icans_grade", "anticoagulation", "discharge_day",
        "bleeding_day", "bleeding_site", "bleeding_ctcae", "thrombosis_day", "thrombosis_type",
        "death", "death_day", "last_followup_day",
    ]

    /// Both files, from the fixed seed: `cohort.csv` (one row a patient) and `labs.csv` (one row a
    /// draw). The laboratory courses use a stream of their own (`labSeed`), so adding them left every
    /// patient-level value as it was.
    static func files() -> [(name: String, text: String)] {
        var rng = SplitMix64(seed: seed)
        let patients = skeletons(&rng)
        let rows = patients.enumerated().map { index, patient in row(patient, id: index + 1, &rng) }
        var labRNG = SplitMix64(seed: labSeed)
        let draws = rows.flatMap { labRows($0.targets, &labRNG) }
        return [("cohort.csv", CSVText.table(header: header, rows: rows.map(\.fields))),
                ("labs.csv", CSVText.table(header: labHeader, rows: draws))]
    }

    // The draws below are invented (never published) and chosen to be clinically plausible for
    // adults after CD19 CAR-T; each names its distribution. Bleeders are older, with higher LDH and
    // lower platelet and fibrinogen nadirs (the univariable factors the paper names); ICANS >= 3
    // comes with longer PT, lower fibrinogen and higher D-dimer (as the paper reports).
    static func row(_ p: Skeleton, id: Int, _ rng: inout SplitMix64) -> (fields: [String], targets: LabTargets) {
        let bled = p.bleeder != nil
        let platelets = p.platelets ?? 0
        // Age: LBCL normal(60, 11), B-ALL normal(44, 14); bleeders normal(68, 6); limited to 20-80.
        let ageMean = bled ? 68.0 : p.disease == .ball ? 44.0 : 60.0
        let age = Int(min(80, max(20, rng.normal(mean: ageMean, sd: bled ? 6 : p.disease == .ball ? 14 : 11))).rounded())
        // Sex: 62% male (typical of LBCL CAR-T cohorts).
        let sex = rng.bernoulli(0.62) ? "M" : "F"
        // LDH (U/L): log-normal, median 260 (bleeders 430), SD of log 0.5, within 110-3000.
        let ldh = Int(min(3000, max(110, rng.logNormal(median: bled ? 430 : 260, sdLog: 0.5))).rounded())
        // Platelet nadir: a fraction of baseline, uniform 0.15-0.65 (bleeders 0.08-0.35), at least 2.
        let fraction = bled ? rng.uniform(0.08, 0.35) : rng.uniform(0.15, 0.65)
        let nadir = max(2, min(platelets - 1, Int((Double(platelets) * fraction).rounded())))
        // Fibrinogen nadir (g/L): normal(2.6, 0.6), ICANS >= 3 normal(1.7, 0.5), bleeders 0.5 lower; 0.5-5.0.
        let fibrinogen = min(5.0, max(0.5, rng.normal(mean: p.icansHigh ? 1.7 : 2.6, sd: p.icansHigh ? 0.5 : 0.6) - (bled ? 0.5 : 0)))
        // Peak PT (s; laboratory upper limit 14.5 s): normal(14.0, 1.0), ICANS >= 3 normal(16.8, 1.8); 11.5-25.
        let pt = min(25, max(11.5, rng.normal(mean: p.icansHigh ? 16.8 : 14.0, sd: p.icansHigh ? 1.8 : 1.0)))
        // Peak D-dimer (mg/L FEU): log-normal, median 1.6 (ICANS >= 3: 5.5), SD of log 0.7; 0.2-35.
        let ddimer = min(35, max(0.2, rng.logNormal(median: p.icansHigh ? 5.5 : 1.6, sdLog: 0.7)))
        // CRS grade (ASTCT), independent of bleeding and thrombosis as published:
        // axi-cel 0-4 with 7/45/38/8/2 %, CD19/22 25/55/15/5/0 %.
        let crs = rng.weighted(p.product == .axicel ? [7, 45, 38, 8, 2] : [25, 55, 15, 5, 0])
        // ICANS grade: 3 or 4 (70/30 %) when >= 3; otherwise 0-2 with axi-cel 45/30/25 %, CD19/22 70/20/10 %.
        let icans = p.icansHigh ? (rng.bernoulli(0.7) ? 3 : 4) : rng.weighted(p.product == .axicel ? [45, 30, 25] : [70, 20, 10])
        // Anticoagulation: the bleeders' and thrombosis patients' as listed; others 8% (prior indications).
        let anticoagulated = p.bleeder?.anticoagulated ?? p.thrombosis?.anticoagulated ?? rng.bernoulli(0.08)
        // First discharge: normal(12, 3) days, 5 more with ICANS >= 3, within 7-35; a bleeder's stay
        // ends 2-10 days after an in-hospital bleed, or 1-9 days before (and at most day 15) one after discharge.
        var discharge = Int(min(35, max(7, rng.normal(mean: p.icansHigh ? 17 : 12, sd: 3))).rounded())
        if let b = p.bleeder {
            discharge = b.afterDischarge ? max(7, min(15, b.day - rng.integer(1...9))) : b.day + rng.integer(2...10)
        }
        let eventDay = max(p.bleeder?.day ?? 0, p.thrombosis?.day ?? 0, discharge)
        let (death, lastDay) = survival(disease: p.disease, after: eventDay, &rng)
        // The baseline platelets and the four window extremes are no longer columns: labs.csv holds
        // them, on the days `labRows` chooses, exactly as they were written here before (issue 15).
        let targets = LabTargets(id: id, baseline: platelets, nadir: nadir, fibrinogen: LabCourse.scaled(fibrinogen, 1),
                                 pt: LabCourse.scaled(pt, 1), dDimer: LabCourse.scaled(ddimer, 1),
                                 bleedingDay: p.bleeder?.day, lastDay: lastDay)
        return ([
            String(id), String(age), sex, p.disease.rawValue, p.product.rawValue, String(ldh), String(crs), String(icans),
            CSVText.flag(anticoagulated), String(discharge),
            CSVText.optional(p.bleeder?.day), CSVText.optional(p.bleeder?.site), CSVText.optional(p.bleeder?.ctcae),
            CSVText.optional(p.thrombosis?.day), CSVText.optional(p.thrombosis?.type),
            CSVText.flag(death), death ? String(lastDay) : "", String(lastDay),
        ], targets)
    }

    /// Follow-up and death. Potential follow-up (infusion to data cut-off, treated 2017-2020):
    /// uniform 120-1400 days. 45% (B-ALL 50%) are destined to die of progression or late toxicity,
    /// at 20 + exponential(mean 300) days; a death inside the potential follow-up is observed, the
    /// rest are censored alive. Nobody dies or is censored before the last recorded event or discharge.
    static func survival(disease: Disease, after eventDay: Int, _ rng: inout SplitMix64) -> (death: Bool, lastDay: Int) {
        let potential = rng.integer(120...1400)
        let destined = rng.bernoulli(disease == .lbcl ? 0.45 : 0.5)
        let deathDay = 20 + Int(rng.exponential(mean: 300).rounded())
        if destined && deathDay <= potential { return (true, max(deathDay, eventDay + 5)) }
        return (false, max(potential, eventDay + 5))
    }
}

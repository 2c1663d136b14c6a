import CohortData
import CohortStats

/// The multi-centre example (issue 17): a SYNTHETIC registry of CAR-T recipients at seven centres
/// whose coagulation practice differs, one row a patient. It reconstructs no study: the EBMT survey
/// reported only that centres monitor and treat coagulopathy after CAR-T very differently, so every
/// practice, rate and effect below is invented and named at the point of its draw; see
/// `Datasets/multicentre/README.md`.
///
/// A patient's risk of bleeding rises with baseline platelets < 50, ICANS grade >= 3, prophylactic
/// anticoagulation and an untreated fibrinogen nadir < 1.5 g/L; thrombosis falls with prophylaxis and
/// rises with CRS grade >= 3 and age. Each centre adds its own level (practice not recorded in the
/// data) and its own deviation of the ICANS effect, so the per-centre odds ratios differ by more
/// than chance: what the meta-analysis estimates as τ².
enum Multicentre {
    static let seed: UInt64 = 20261204

    /// A centre's practice (invented) and its unrecorded effects on the log-odds scale.
    struct Centre {
        let name: String, patients: Int
        /// Prophylactic anticoagulation for patients with baseline platelets at or above this
        /// (x10^9/L); nil: no prophylaxis.
        let prophylaxisFrom: Int?
        /// Fibrinogen monitored and replaced below this nadir (g/L); nil: not monitored.
        let replaceBelow: Double?
        let bleedingShift: Double, icansShift: Double, thrombosisShift: Double
    }

    static let centres: [Centre] = [
        .init(name: "A", patients: 200, prophylaxisFrom: nil, replaceBelow: 1.5, bleedingShift: 0, icansShift: 0, thrombosisShift: 0.2),
        .init(name: "B", patients: 160, prophylaxisFrom: 50, replaceBelow: nil, bleedingShift: 0.3, icansShift: 0.5, thrombosisShift: -0.1),
        .init(name: "C", patients: 140, prophylaxisFrom: 30, replaceBelow: 1.0, bleedingShift: -0.2, icansShift: -0.4, thrombosisShift: 0),
        .init(name: "D", patients: 120, prophylaxisFrom: nil, replaceBelow: nil, bleedingShift: 0.5, icansShift: 0.2, thrombosisShift: 0.4),
        .init(name: "E", patients: 100, prophylaxisFrom: 50, replaceBelow: 1.5, bleedingShift: -0.4, icansShift: -0.2, thrombosisShift: -0.3),
        .init(name: "F", patients: 80, prophylaxisFrom: 75, replaceBelow: 1.5, bleedingShift: 0.2, icansShift: 0.6, thrombosisShift: 0.1),
        .init(name: "G", patients: 60, prophylaxisFrom: nil, replaceBelow: 1.0, bleedingShift: 0.1, icansShift: -0.1, thrombosisShift: 0.3),
    ]

    static let header = [
        "patient_id", "centre", "age", "sex", "disease", "product", "crs_grade", "icans_grade", "plt_baseline", "fibrinogen_nadir",
        "prophylaxis", "fibrinogen_replaced", "bleeding", "bleeding_day", "thrombosis", "thrombosis_day", "death_day", "last_followup_day",
    ]

    /// `cohort.csv`, from the fixed seed; rows in centre order, numbered from 1.
    static func files() -> [(name: String, text: String)] {
        var rng = SplitMix64(seed: seed)
        var rows: [[String]] = []
        for centre in centres {
            for _ in 0..<centre.patients { rows.append(row(centre, id: rows.count + 1, &rng)) }
        }
        return [("cohort.csv", CSVText.table(header: header, rows: rows))]
    }

    static func logistic(_ x: Double) -> Double { 1 / (1 + PortableMath.exp(-x)) }

    static func row(_ centre: Centre, id: Int, _ rng: inout SplitMix64) -> [String] {
        // Age normal(58, 12) within 19-85; 60% male; LBCL 70%, MCL 12%, B-ALL 18%. Invented.
        let age = Int(min(85, max(19, rng.normal(mean: 58, sd: 12))).rounded())
        let sex = rng.bernoulli(0.6) ? "M" : "F"
        let disease = ["LBCL", "MCL", "B-ALL"][rng.weighted([70, 12, 18])]
        let product = switch disease {
        case "LBCL": ["axi-cel", "tisa-cel", "liso-cel"][rng.weighted([50, 30, 20])]
        case "MCL": "brexu-cel"
        default: rng.bernoulli(0.6) ? "tisa-cel" : "brexu-cel"
        }
        // CRS grade 0-4, more severe after axi-cel and brexu-cel (CD28 costimulation); ICANS grade
        // correlated with it. Weights invented, close to the pivotal trials' grade >= 3 rates.
        let cd28 = product == "axi-cel" || product == "brexu-cel"
        let crs = rng.weighted(cd28 ? [10, 40, 35, 11, 4] : [30, 45, 18, 5, 2])
        let icansWeights: [Double] = crs >= 3 ? [30, 15, 20, 25, 10] : cd28 ? [60, 12, 12, 12, 4] : [75, 10, 8, 6, 1]
        let icans = rng.weighted(icansWeights)
        // Baseline platelets log-normal, median 140 (80 in B-ALL), SD of log 0.6, within 5-600.
        let platelets = Int(min(600, max(5, rng.logNormal(median: disease == "B-ALL" ? 80 : 140, sdLog: 0.6))).rounded())
        // Fibrinogen nadir over days 0-14 falls with CRS grade: normal(2.8 - 0.4 CRS, 0.6) within 0.3-8 g/L.
        let fibrinogen = CSVText.rounded(min(8, max(0.3, rng.normal(mean: 2.8 - 0.4 * Double(crs), sd: 0.6))), 1)
        // Practice: the centre's rule, followed for 90% of its eligible patients.
        let prophylaxis = centre.prophylaxisFrom.map { platelets >= $0 && rng.bernoulli(0.9) } ?? false
        let replaced = centre.replaceBelow.map { fibrinogen < $0 } ?? false
        let icansHigh = icans >= 3, crsHigh = crs >= 3
        // Bleeding (log-odds, invented): -3.0 + 1.1 [platelets < 50] + (1.1 + centre) [ICANS >= 3]
        // + 0.5 prophylaxis + 0.9 [fibrinogen < 1.5 and not replaced] + 0.01 (age - 58) + centre.
        var eta = -3.0 + centre.bleedingShift + 0.01 * Double(age - 58)
        if platelets < 50 { eta += 1.1 }
        if icansHigh { eta += 1.1 + centre.icansShift }
        if prophylaxis { eta += 0.5 }
        if fibrinogen < 1.5 && !replaced { eta += 0.9 }
        let bleeds = rng.bernoulli(logistic(eta))
        // Thrombosis: -2.9 - 0.8 prophylaxis + 0.6 [CRS >= 3] + 0.015 (age - 58) + centre.
        var zeta = -2.9 + centre.thrombosisShift + 0.015 * Double(age - 58)
        if prophylaxis { zeta -= 0.8 }
        if crsHigh { zeta += 0.6 }
        let clots = rng.bernoulli(logistic(zeta))
        // Days: bleeding log-normal median 15 (SD of log 0.45) within 1-60; thrombosis median 25
        // (0.8) within 2-90; death by day 90 in 5% (+8% with ICANS >= 3) on a uniform day 10-90;
        // 5% lost to follow-up on a uniform day 30-89; follow-up ends on day 90.
        let bleedingDay = Int(min(60, max(1, rng.logNormal(median: 15, sdLog: 0.45))).rounded())
        let thrombosisDay = Int(min(90, max(2, rng.logNormal(median: 25, sdLog: 0.8))).rounded())
        let deathDay: Int? = rng.bernoulli(0.05 + (icansHigh ? 0.08 : 0)) ? rng.integer(10...90) : nil
        let lost = rng.bernoulli(0.05) ? rng.integer(30...89) : 90
        let lastFollowup = min(deathDay ?? 90, lost)
        // An event counts only if it falls within follow-up (no bleeding after death).
        let bleeding = bleeds && bleedingDay <= lastFollowup ? bleedingDay : nil
        let thrombosis = clots && thrombosisDay <= lastFollowup ? thrombosisDay : nil
        let death = deathDay.flatMap { $0 <= lost ? $0 : nil }
        return [
            String(id), centre.name, String(age), sex, disease, product, String(crs), String(icans), String(platelets), CSVText.fixed(fibrinogen, 1),
            CSVText.flag(prophylaxis), CSVText.flag(replaced), CSVText.flag(bleeding != nil), CSVText.optional(bleeding),
            CSVText.flag(thrombosis != nil), CSVText.optional(thrombosis), CSVText.optional(death), String(lastFollowup),
        ]
    }
}

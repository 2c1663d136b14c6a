import CohortData
import CohortStats

/// The NCT02965092 rows: CRS components for the fixed grade, and laboratory values drawn until the
/// toolkit's definitions give the patient's coagulation category.
extension NCT02965092 {
    /// D-dimer upper limit of normal (mg/L FEU), a common assay's; invented (not published).
    static let dDimerULN = 0.5

    struct Laboratory {
        var platelets = 0.0, fall = 0.0, dDimer = 0.0, pt = 0.0, aptt = 0.0, fibrinogen = 0.0
    }

    static func row(_ p: Patient, id: Int, _ rng: inout SplitMix64) -> (fields: [String], targets: LabTargets) {
        // Age: normal(33, 13) within 12-68; sex 55% male. Invented: adolescents and adults with B-ALL.
        let age = Int(min(68, max(12, rng.normal(mean: 33, sd: 13))).rounded())
        let sex = rng.bernoulli(0.55) ? "M" : "F"
        let (fever, hypotension, hypoxia) = crsComponents(grade: p.crs, &rng)
        // Clinical items of the Chinese score: shock = vasopressor-requiring hypotension (code >= 2);
        // organ failure in half of grade-4 and 15% of grade-3 CRS; bleeding in 40% of DIC and 10% of
        // other coagulation disorders. Invented proportions.
        let shock = hypotension >= 2
        let organFailure = p.crs == 4 ? rng.bernoulli(0.5) : p.crs == 3 ? rng.bernoulli(0.15) : false
        let bleeding = p.coagulation == .dic ? rng.bernoulli(0.4) : p.coagulation == .disorder ? rng.bernoulli(0.1) : false
        let lab = laboratory(for: p.coagulation, bleeding: bleeding, shock: shock, organFailure: organFailure, &rng)
        let severity: Int = switch p.coagulation {
        case .dic: 3
        case .disorder: lab.fibrinogen < 1.5 || bleeding ? 2 : 1
        case .none: 0
        }
        // The worst-day laboratory values and recovery are no longer columns: labs.csv holds them, the
        // worst values on the worst day exactly as they were written here before (issue 15).
        let targets = LabTargets(id: id, worst: lab, category: p.coagulation, recovered: p.recovered,
                                 bleeding: bleeding, shock: shock, organFailure: organFailure)
        return ([
            String(id), String(age), sex, CSVText.flag(fever), String(hypotension), String(hypoxia), String(p.neurotox),
            CSVText.flag(p.remission), CSVText.fixed(lab.fall, 2), CSVText.fixed(dDimerULN, 1), CSVText.flag(bleeding),
            CSVText.flag(shock), CSVText.flag(organFailure), String(severity),
        ], targets)
    }

    /// Fever (0/1), hypotension (0 none, 1 fluids, 2 one vasopressor, 3 several) and hypoxia (0 none,
    /// 1 low-flow, 2 high-flow, 3 positive pressure) whose ASTCT grade is `grade`.
    static func crsComponents(grade: Int, _ rng: inout SplitMix64) -> (Bool, Int, Int) {
        switch grade {
        case 0: return (false, 0, 0)
        case 1: return (true, 0, 0)
        default:
            // Codes 1, 2, 3 of either domain give grades 2, 3, 4: the worse domain reaches the
            // grade, the other lies at or below it.
            let top = grade - 1, other = rng.integer(0...top)
            return rng.bernoulli(0.6) ? (true, top, other) : (true, other, top)
        }
    }

    /// Laboratory values on the day of worst coagulopathy (days 0-14), drawn from the category's
    /// distributions (named below; invented) until the definitions agree with the category.
    static func laboratory(for category: Coagulation, bleeding: Bool, shock: Bool, organFailure: Bool,
                           _ rng: inout SplitMix64) -> Laboratory {
        // (platelet median, 24-h fall range, D-dimer median, PT mean, APTT mean, fibrinogen mean)
        let p: (Double, ClosedRange<Double>, Double, Double, Double, Double) = switch category {
        case .none: (90, 0...0.3, 1.4, 0.8, 3, 2.8)
        case .disorder: (55, 0...0.45, 5.5, 2.5, 7, 1.7)
        case .dic: (30, 0.1...0.7, 14, 5, 14, 1.0)
        }
        for _ in 0..<100_000 {
            var lab = Laboratory()
            // Platelets log-normal (SD of log 0.5) within 5-350; fall uniform; D-dimer log-normal
            // (SD of log 0.5-0.6) within 0.1-60 mg/L; PT and APTT prolongation normal (SD 1.5 and 5 s);
            // fibrinogen normal (SD 0.5 g/L) within 0.3-6.
            lab.platelets = CSVText.rounded(min(350, max(5, rng.logNormal(median: p.0, sdLog: 0.5))), 0)
            lab.fall = CSVText.rounded(rng.uniform(p.1.lowerBound, p.1.upperBound), 2)
            lab.dDimer = CSVText.rounded(min(60, max(0.1, rng.logNormal(median: p.2, sdLog: category == .none ? 0.6 : 0.5))), 1)
            lab.pt = CSVText.rounded(max(-2, rng.normal(mean: p.3, sd: 1.5)), 1)
            lab.aptt = CSVText.rounded(max(-5, rng.normal(mean: p.4, sd: 5)), 1)
            lab.fibrinogen = CSVText.rounded(min(6, max(0.3, rng.normal(mean: p.5, sd: 0.5))), 2)
            var input = DICScoring.ChineseInput()
            input.platelets = lab.platelets
            input.plateletFall24h = lab.fall
            input.dDimer = lab.dDimer
            input.ptProlongationSeconds = lab.pt
            input.apttProlongationSeconds = lab.aptt
            input.fibrinogen = lab.fibrinogen
            input.unexplainedBleeding = bleeding
            input.shockOrMicrocirculatoryFailure = shock
            input.organFailure = organFailure
            guard let score = DICScoring.chineseScore(input) else { continue }
            let flagged = !CARAC.laboratoryFlags(dDimer: lab.dDimer, apttProlongation: lab.aptt, ptProlongation: lab.pt,
                                                 fibrinogen: lab.fibrinogen, fdp: nil).isEmpty
            let accepted = switch category {
            case .none: !flagged && score < 6
            case .disorder: flagged && score < 6
            case .dic: flagged && score >= 6
            }
            if accepted { return lab }
        }
        preconditionFailure("no laboratory values for the \(category) category in 100000 draws: the distributions do not fit it")
    }
}

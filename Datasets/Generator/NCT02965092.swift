import CohortData
import CohortStats

/// The NCT02965092 reconstruction (Wuhan Union Hospital, anti-CD19 CAR-T for relapsed/refractory
/// B-ALL; Ann Hematol 2019): 53 patients, one row a patient. Synthetic; see
/// `Datasets/nct02965092/README.md`.
///
/// Fixed by construction: the CRS grade of every patient (19 of grade 3-4) and the coagulation
/// category (23 none, 15 coagulation disorder without DIC, 15 DIC) by CRS grade, neurotoxicity
/// grade 2-3 in 8, remission in 47, recovery in 14 of the 15 DIC. The laboratory values are drawn
/// and redrawn until the toolkit's own definitions put the patient in the category: DIC by the
/// Chinese DIC Scoring System (`DICScoring.chineseScore` >= 6), coagulation disorder by the CARAC
/// working laboratory flags (`CARAC.laboratoryFlags`). The DIC count is therefore computed from the
/// coded values, not copied in (and `Datasets/verify.R` recomputes both scores independently).
enum NCT02965092 {
    static let seed: UInt64 = 20190517

    enum Coagulation: Int { case none = 0, disorder = 1, dic = 2 }

    /// (CRS grade, coagulation category, patients): DIC concentrates in severe CRS, which is what
    /// makes coagulopathy severity rise with CRS grade.
    static let cells: [(crs: Int, coagulation: Coagulation, count: Int)] = [
        (4, .dic, 5), (4, .disorder, 1),
        (3, .dic, 8), (3, .disorder, 4), (3, .none, 1),
        (2, .dic, 2), (2, .disorder, 7), (2, .none, 7),
        (1, .disorder, 3), (1, .none, 11),
        (0, .none, 4),
    ]

    static let header = [
        "patient_id", "age", "sex", "fever", "hypotension", "hypoxia", "neurotox_grade", "remission_1mo",
        "plt_fall_24h", "ddimer_uln", "bleeding", "shock", "organ_failure", "coag_severity",
    ]

    struct Patient {
        var crs: Int
        var coagulation: Coagulation
        var neurotox = 0
        var remission = true
        var recovered: Bool? = nil
    }

    /// Both files, from the fixed seed: `cohort.csv` (one row a patient) and `labs.csv` (one row a
    /// draw). The laboratory courses use a stream of their own (`labSeed`), so adding them left every
    /// patient-level value as it was.
    static func files() -> [(name: String, text: String)] {
        var rng = SplitMix64(seed: seed)
        var patients = cells.flatMap { cell in (0..<cell.count).map { _ in Patient(crs: cell.crs, coagulation: cell.coagulation) } }
        assignOutcomes(&patients, &rng)
        patients = rng.shuffled(patients)
        let rows = patients.enumerated().map { index, patient in row(patient, id: index + 1, &rng) }
        var labRNG = SplitMix64(seed: labSeed)
        let draws = rows.flatMap { labRows($0.targets, &labRNG) }
        return [("cohort.csv", CSVText.table(header: header, rows: rows.map(\.fields))),
                ("labs.csv", CSVText.table(header: labHeader, rows: draws))]
    }

    /// Neurotoxicity grade 2-3 in 8 (6 of them with CRS 3-4), grade 1 in 9 more; remission in 47;
    /// recovery from DIC in 14 of 15, the one without recovery also without remission.
    static func assignOutcomes(_ patients: inout [Patient], _ rng: inout SplitMix64) {
        let severe = rng.shuffled(patients.indices.filter { patients[$0].crs >= 3 })
        let milder = rng.shuffled(patients.indices.filter { patients[$0].crs < 3 })
        for (k, i) in severe.prefix(6).enumerated() { patients[i].neurotox = k < 3 ? 3 : 2 }
        for i in milder.prefix(2) { patients[i].neurotox = 2 }
        for i in (Array(severe.dropFirst(6).prefix(4)) + Array(milder.dropFirst(2).prefix(5))) { patients[i].neurotox = 1 }
        let dic = rng.shuffled(patients.indices.filter { patients[$0].coagulation == .dic })
        for i in dic { patients[i].recovered = true }
        patients[dic[0]].recovered = false
        patients[dic[0]].remission = false
        let others = rng.shuffled(patients.indices.filter { $0 != dic[0] })
        for i in others.prefix(5) { patients[i].remission = false }
    }
}

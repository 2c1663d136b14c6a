import CohortStats

/// The Johnsrud 2021 reconstruction (Blood Adv 2021;5(21):4465-4475): 127 adults after CD19 or
/// CD19/CD22 CAR-T, one row a patient. Synthetic; see `Datasets/johnsrud2021/README.md`.
///
/// Everything the publication prints is fixed here by construction (the `Bleeder` and `Thrombosis`
/// tables, the cell counts of bleeding x baseline platelets < 100 x ICANS >= 3, the platelet medians);
/// everything else is drawn from the seeded stream from clinically plausible distributions named at
/// the point of the draw. The statistical figures (Fisher, rank-sum, logistic, Firth) are not copied
/// in: they follow from these cells and are checked by `Datasets/verify.R` and the tests.
enum Johnsrud2021 {
    static let seed: UInt64 = 20211109

    enum Product: String { case axicel = "axi-cel", cd1922 = "CD19/22" }
    enum Disease: String { case lbcl = "LBCL", ball = "B-ALL" }

    /// One of the 12 bleeding patients, as the abstract and the facts table constrain them: days 8..30
    /// with median 17.5, 7 after discharge, the five sites, 10 on axi-cel, 8 with baseline platelets
    /// < 100 (medians: 84 and 88 are the 6th and 7th values, so the median is 86), 6 with ICANS >= 3.
    struct Bleeder {
        let product: Product, disease: Disease, platelets: Int, icansHigh: Bool
        let day: Int, site: String, ctcae: Int, afterDischarge: Bool, anticoagulated: Bool
    }

    static let bleeders: [Bleeder] = [
        .init(product: .axicel, disease: .lbcl, platelets: 22, icansHigh: true, day: 8, site: "subdural", ctcae: 3, afterDischarge: false, anticoagulated: false),
        .init(product: .axicel, disease: .lbcl, platelets: 35, icansHigh: true, day: 10, site: "hematuria", ctcae: 2, afterDischarge: false, anticoagulated: false),
        .init(product: .cd1922, disease: .ball, platelets: 48, icansHigh: true, day: 12, site: "gastrointestinal", ctcae: 3, afterDischarge: false, anticoagulated: false),
        .init(product: .axicel, disease: .lbcl, platelets: 61, icansHigh: true, day: 14, site: "hematuria", ctcae: 2, afterDischarge: false, anticoagulated: false),
        .init(product: .axicel, disease: .lbcl, platelets: 70, icansHigh: true, day: 16, site: "hemoptysis", ctcae: 2, afterDischarge: false, anticoagulated: false),
        .init(product: .axicel, disease: .lbcl, platelets: 84, icansHigh: false, day: 17, site: "hematuria", ctcae: 2, afterDischarge: true, anticoagulated: false),
        .init(product: .axicel, disease: .lbcl, platelets: 88, icansHigh: false, day: 18, site: "soft_tissue", ctcae: 2, afterDischarge: true, anticoagulated: true),
        .init(product: .cd1922, disease: .lbcl, platelets: 95, icansHigh: false, day: 21, site: "hematuria", ctcae: 3, afterDischarge: true, anticoagulated: false),
        .init(product: .axicel, disease: .lbcl, platelets: 120, icansHigh: true, day: 23, site: "subdural", ctcae: 4, afterDischarge: true, anticoagulated: false),
        .init(product: .axicel, disease: .lbcl, platelets: 152, icansHigh: false, day: 25, site: "hematuria", ctcae: 2, afterDischarge: true, anticoagulated: true),
        .init(product: .axicel, disease: .lbcl, platelets: 190, icansHigh: false, day: 28, site: "soft_tissue", ctcae: 2, afterDischarge: true, anticoagulated: false),
        .init(product: .axicel, disease: .lbcl, platelets: 240, icansHigh: false, day: 30, site: "hematuria", ctcae: 2, afterDischarge: true, anticoagulated: false),
    ]

    /// One of the 8 thrombosis patients (none of them bled): days 2..91 with median 29, 5 DVT,
    /// 2 visceral vein, 1 stroke, 6 on axi-cel, 4 with ICANS >= 3; all with baseline platelets >= 100.
    struct Thrombosis {
        let product: Product, disease: Disease, icansHigh: Bool, day: Int, type: String, anticoagulated: Bool
    }

    static let thromboses: [Thrombosis] = [
        .init(product: .axicel, disease: .lbcl, icansHigh: false, day: 2, type: "DVT", anticoagulated: true),
        .init(product: .axicel, disease: .lbcl, icansHigh: true, day: 9, type: "stroke", anticoagulated: false),
        .init(product: .axicel, disease: .lbcl, icansHigh: true, day: 15, type: "DVT", anticoagulated: true),
        .init(product: .cd1922, disease: .ball, icansHigh: true, day: 27, type: "visceral", anticoagulated: true),
        .init(product: .axicel, disease: .lbcl, icansHigh: true, day: 31, type: "DVT", anticoagulated: true),
        .init(product: .axicel, disease: .lbcl, icansHigh: false, day: 48, type: "DVT", anticoagulated: true),
        .init(product: .cd1922, disease: .lbcl, icansHigh: false, day: 70, type: "visceral", anticoagulated: true),
        .init(product: .axicel, disease: .lbcl, icansHigh: false, day: 91, type: "DVT", anticoagulated: true),
    ]

    /// A patient before the unconstrained values are drawn.
    struct Skeleton {
        var product: Product, disease: Disease, lowPlatelets: Bool, icansHigh: Bool
        var platelets: Int? = nil
        var bleeder: Bleeder? = nil
        var thrombosis: Thrombosis? = nil
    }

    /// The 107 patients with neither event, by baseline platelets < 100 and ICANS >= 3. With the
    /// bleeders' cells (8 low: 5 ICANS >= 3; 4 not low: 1) these give 18 low-platelet non-bleeders,
    /// 23 ICANS >= 3 in all, and a logistic model in which ICANS >= 3 loses its association once
    /// low platelets are in it (most high-grade ICANS without low platelets did not bleed).
    /// B-ALL patients (14 of these 107) sit mostly in the low-platelet cells, as marrow disease and
    /// prior therapy make them more often thrombocytopenic.
    static func eventFree(_ rng: inout SplitMix64) -> [Skeleton] {
        // (low platelets, ICANS >= 3, B-ALL among them, total)
        let cells: [(Bool, Bool, Int, Int)] = [(true, true, 4, 9), (true, false, 4, 9), (false, true, 1, 4), (false, false, 5, 85)]
        var pool = rng.shuffled(Array(repeating: Product.cd1922, count: 20) + Array(repeating: Product.axicel, count: 73))
        var patients: [Skeleton] = []
        for (low, icans, ball, total) in cells {
            for _ in 0..<ball { patients.append(Skeleton(product: .cd1922, disease: .ball, lowPlatelets: low, icansHigh: icans)) }
            for _ in ball..<total {
                patients.append(Skeleton(product: pool.removeLast(), disease: .lbcl, lowPlatelets: low, icansHigh: icans))
            }
        }
        return patients
    }

    /// Baseline platelets of the 115 non-bleeders: 18 below 100, 97 from 100 up, with the overall
    /// median (58th of 115, the 40th of the 97 high values) exactly 178 as published.
    /// Low values uniform on 20-99; high values log-normal (median 190, SD of log 0.35) rescaled so
    /// that their 40th is 178, then floored at 100.
    static func nonBleederPlatelets(_ rng: inout SplitMix64) -> (low: [Int], high: [Int]) {
        let low = (0..<18).map { _ in rng.integer(20...99) }
        let drawn = (0..<97).map { _ in rng.logNormal(median: 190, sdLog: 0.35) }.sorted()
        let scale = 178 / drawn[39]
        let high = drawn.map { max(100, min(600, Int(($0 * scale).rounded()))) }
        return (rng.shuffled(low), rng.shuffled(high))
    }

    static func skeletons(_ rng: inout SplitMix64) -> [Skeleton] {
        var patients = bleeders.map {
            Skeleton(product: $0.product, disease: $0.disease, lowPlatelets: $0.platelets < 100, icansHigh: $0.icansHigh,
                     platelets: $0.platelets, bleeder: $0)
        }
        patients += thromboses.map { Skeleton(product: $0.product, disease: $0.disease, lowPlatelets: false, icansHigh: $0.icansHigh, thrombosis: $0) }
        patients += eventFree(&rng)
        var (low, high) = nonBleederPlatelets(&rng)
        for i in patients.indices where patients[i].platelets == nil {
            patients[i].platelets = patients[i].lowPlatelets ? low.removeLast() : high.removeLast()
        }
        // Row order carries no information: shuffle, then number the patients.
        return rng.shuffled(patients)
    }
}

/// Disseminated intravascular coagulation scores and the CAR-T-associated coagulopathy (CARAC)
/// laboratory flags. Every cut-off is a parameter with the published default; every score is nil
/// when a component it needs is missing, never computed from part of the data.
public enum DICScoring {
    /// ISTH overt-DIC cut-offs (Taylor et al., Thromb Haemost 2001;86:1327-30).
    public struct ISTHCutoffs: Sendable, Equatable {
        /// Platelets (×10⁹/L): below `plateletsLow` scores 1, below `plateletsVeryLow` scores 2.
        public var plateletsLow = 100.0
        public var plateletsVeryLow = 50.0
        /// Fibrin marker as a multiple of the upper limit of normal: "moderate" rise from
        /// `fibrinModerate` (inclusive) scores 2, "strong" rise above `fibrinStrong` scores 3.
        /// The score itself leaves the operationalisation open; 2x and 4x ULN is a common choice.
        public var fibrinModerate = 2.0
        public var fibrinStrong = 4.0
        /// PT prolongation (s beyond the upper limit): from `ptModerate` scores 1, from `ptSevere` 2.
        public var ptModerate = 3.0
        public var ptSevere = 6.0
        /// Fibrinogen (g/L) below which 1 point is scored.
        public var fibrinogenLow = 1.0
        /// Overt DIC at a total of at least this.
        public var overtThreshold = 5
        public init() {}
    }

    /// ISTH overt-DIC score (0-8), or nil when a laboratory value is missing.
    ///
    /// ```
    /// platelets ≥ 100 → 0, < 100 → 1, < 50 → 2                          (×10⁹/L)
    /// fibrin marker < 2×ULN → 0, 2-4×ULN → 2, > 4×ULN → 3                 (D-dimer or FDP / ULN)
    /// PT prolonged < 3 s → 0, 3 to < 6 s → 1, ≥ 6 s → 2
    /// fibrinogen ≥ 1.0 g/L → 0, < 1.0 → 1
    /// ```
    public static func isthScore(platelets: Double?, fibrinMarkerTimesULN: Double?, ptProlongationSeconds: Double?,
                                 fibrinogen: Double?, cutoffs: ISTHCutoffs = ISTHCutoffs()) -> Int? {
        guard let platelets, let fibrin = fibrinMarkerTimesULN, let pt = ptProlongationSeconds, let fibrinogen else { return nil }
        var score = platelets < cutoffs.plateletsVeryLow ? 2 : platelets < cutoffs.plateletsLow ? 1 : 0
        score += fibrin > cutoffs.fibrinStrong ? 3 : fibrin >= cutoffs.fibrinModerate ? 2 : 0
        score += pt >= cutoffs.ptSevere ? 2 : pt >= cutoffs.ptModerate ? 1 : 0
        score += fibrinogen < cutoffs.fibrinogenLow ? 1 : 0
        return score
    }

    public static func isOvertDIC(isthScore: Int?, cutoffs: ISTHCutoffs = ISTHCutoffs()) -> Bool? {
        isthScore.map { $0 >= cutoffs.overtThreshold }
    }

    /// Chinese DIC Scoring System (CDSS, 2017), haematological-malignancy variant, as the project's
    /// domain notes give it (they flag the point table as still to be verified against the source):
    ///
    /// ```
    /// underlying disease                                   2
    /// unexplained bleeding; shock or microcirculatory failure; organ failure   1 each
    /// platelets < 50 ×10⁹/L                                 1;  ≥ 50% fall within 24 h  +1
    /// D-dimer < 5 mg/L → 0, 5 to < 9 → 2, ≥ 9 → 3
    /// PT prolonged ≥ 3 s or APTT prolonged ≥ 10 s → 1;  PT prolonged ≥ 6 s → 2
    /// fibrinogen < 1.0 g/L                                 1
    /// DIC at ≥ 6 points
    /// ```
    public struct ChineseInput: Sendable, Equatable {
        public var underlyingDisease = true
        public var unexplainedBleeding = false
        public var shockOrMicrocirculatoryFailure = false
        public var organFailure = false
        public var platelets: Double?
        /// Relative fall of the platelet count within 24 h (0.5 = 50%).
        public var plateletFall24h: Double?
        public var dDimer: Double?
        public var ptProlongationSeconds: Double?
        public var apttProlongationSeconds: Double?
        public var fibrinogen: Double?
        public init() {}
    }

    public static let chineseThreshold = 6

    /// The CDSS score, or nil when platelets, D-dimer, PT or fibrinogen is missing. A missing
    /// 24-hour fall or APTT counts as not meeting its criterion (they only add points).
    public static func chineseScore(_ input: ChineseInput) -> Int? {
        guard let platelets = input.platelets, let dDimer = input.dDimer, let pt = input.ptProlongationSeconds,
              let fibrinogen = input.fibrinogen else { return nil }
        var score = input.underlyingDisease ? 2 : 0
        score += [input.unexplainedBleeding, input.shockOrMicrocirculatoryFailure, input.organFailure].filter { $0 }.count
        score += platelets < 50 ? 1 : 0
        score += (input.plateletFall24h ?? 0) >= 0.5 ? 1 : 0
        score += dDimer >= 9 ? 3 : dDimer >= 5 ? 2 : 0
        let aptt = input.apttProlongationSeconds ?? 0
        score += pt >= 6 ? 2 : (pt >= 3 || aptt >= 10) ? 1 : 0
        score += fibrinogen < 1.0 ? 1 : 0
        return score
    }
}

/// CAR-T-associated coagulopathy (CARAC; Chinese expert consensus 2022): bleeding or thrombosis
/// within 28 days of infusion together with thrombocytopenia and/or laboratory coagulopathy.
public enum CARAC {
    /// Working laboratory-coagulopathy flags from the CAR-T literature (strict inequalities).
    public struct LaboratoryCutoffs: Sendable, Equatable {
        public var dDimerAbove = 5.0           // mg/L
        public var apttProlongedAbove = 10.0   // s beyond the upper limit
        public var ptProlongedAbove = 3.0      // s beyond the upper limit
        public var fibrinogenBelow = 1.5       // g/L
        public var fdpAbove = 20.0             // mg/L
        public var window = EventWindow(0...28)
        public init() {}
    }

    /// Which laboratory criteria are met. Missing values meet nothing.
    public static func laboratoryFlags(dDimer: Double?, apttProlongation: Double?, ptProlongation: Double?,
                                       fibrinogen: Double?, fdp: Double?, cutoffs: LaboratoryCutoffs = LaboratoryCutoffs()) -> [String] {
        var flags: [String] = []
        if let v = dDimer, v > cutoffs.dDimerAbove { flags.append("D-dimer > \(NumberText.shortest(cutoffs.dDimerAbove)) mg/L") }
        if let v = apttProlongation, v > cutoffs.apttProlongedAbove { flags.append("APTT prolonged > \(NumberText.shortest(cutoffs.apttProlongedAbove)) s") }
        if let v = ptProlongation, v > cutoffs.ptProlongedAbove { flags.append("PT prolonged > \(NumberText.shortest(cutoffs.ptProlongedAbove)) s") }
        if let v = fibrinogen, v < cutoffs.fibrinogenBelow { flags.append("fibrinogen < \(NumberText.shortest(cutoffs.fibrinogenBelow)) g/L") }
        if let v = fdp, v > cutoffs.fdpAbove { flags.append("FDP > \(NumberText.shortest(cutoffs.fdpAbove)) mg/L") }
        return flags
    }

    /// CARAC: a bleeding or thrombosis event on a day inside the window (days 0-28 by default), and
    /// thrombocytopenia or at least one laboratory coagulopathy flag. A nil day means no event.
    public static func isPresent(bleedingDay: Double?, thrombosisDay: Double?, thrombocytopenia: Bool,
                                 laboratoryFlags: [String], cutoffs: LaboratoryCutoffs = LaboratoryCutoffs()) -> Bool {
        let eventInWindow = [bleedingDay, thrombosisDay].contains { cutoffs.window.contains(day: $0) == true }
        return eventInWindow && (thrombocytopenia || !laboratoryFlags.isEmpty)
    }
}

/// ASTCT consensus grading of immune effector cell-associated neurotoxicity syndrome in adults
/// (Lee et al. 2019): the worst of five domains. Intracranial haemorrhage is not ICANS (it is a
/// bleeding event). "High-grade" ICANS is grade ≥ 3 (``highGradeThreshold``).
///
/// ```
/// ICE score (0-10)    10 → G0   7-9 → G1   3-6 → G2   0-2 → G3   0 because unarousable → G4
/// consciousness       awakens spontaneously → G1   to voice → G2   to touch only → G3   unarousable, stupor, coma → G4
/// seizure             any clinical or EEG seizure resolving (with intervention) → G3
///                     prolonged (> 5 min) or repetitive without return to baseline → G4
/// motor               deep focal motor weakness (hemiparesis, paraparesis) → G4
/// raised ICP / edema  focal or local oedema on imaging → G3
///                     diffuse oedema, posturing, CN VI palsy, papilloedema or Cushing's triad → G4
/// ```
public enum ICANSGrading {
    // Each domain's raw value is the grade it gives.
    public enum Consciousness: Int, Sendable, CaseIterable {
        case normal = 0, awakensSpontaneously = 1, awakensToVoice = 2, awakensToTouchOnly = 3, unarousable = 4
    }

    public enum Seizure: Int, Sendable, CaseIterable {
        case none = 0, resolving = 3, prolongedOrRepetitive = 4
    }

    public enum Motor: Int, Sendable, CaseIterable {
        case none = 0, deepFocalWeakness = 4
    }

    public enum CerebralEdema: Int, Sendable, CaseIterable {
        case none = 0, focal = 3, diffuseOrRaisedICP = 4
    }

    /// "High-grade" ICANS is grade ≥ 3 (the domain notes; Johnsrud et al. compare grade ≥ 3).
    public static let highGradeThreshold = 3

    /// The ICE-score bands of the consensus: 10 → G0, `grade1Lowest`...9 → G1 (7-9),
    /// `grade2Lowest`...`grade1Lowest` - 1 → G2 (3-6), below `grade2Lowest` → G3 (0-2).
    public struct ICEBands: Sendable, Equatable {
        public var grade1Lowest = 7
        public var grade2Lowest = 3
        public init() {}
    }

    /// The domain grade of an ICE score (10 = normal). A score of 0 because the patient cannot be
    /// roused is grade 4; pass `unarousable: true` for that case (an awake patient with global
    /// aphasia who scores 0 is grade 3).
    /// - Returns: nil for a score outside 0...10.
    public static func iceGrade(_ score: Int, unarousable: Bool = false, bands: ICEBands = ICEBands()) -> Int? {
        guard (0...10).contains(score) else { return nil }
        if score == 0, unarousable { return 4 }
        if score == 10 { return 0 }
        return score >= bands.grade1Lowest ? 1 : score >= bands.grade2Lowest ? 2 : 3
    }

    /// The ICANS grade (0-4; 5 when death is attributed to ICANS): the worst domain.
    ///
    /// A missing ICE score (nil) is allowed only where it cannot change the grade: the other
    /// domains already reach grade 3, the most an ICE score gives a rousable patient (an
    /// unarousable one is grade 4 by consciousness anyway). Otherwise the grade is unknown and the
    /// result is nil, not the grade of the other domains, which would be a lower bound presented as
    /// a grade. The other domains have no "missing": `.none` asserts the finding was absent.
    /// - Returns: nil for an ICE score outside 0...10, or a missing one that could change the grade.
    public static func grade(iceScore: Int?, consciousness: Consciousness = .normal, seizure: Seizure = .none,
                             motor: Motor = .none, edema: CerebralEdema = .none, diedOfICANS: Bool = false,
                             bands: ICEBands = ICEBands()) -> Int? {
        if diedOfICANS { return 5 }
        let otherDomains = max(consciousness.rawValue, seizure.rawValue, motor.rawValue, edema.rawValue)
        guard let iceScore else { return otherDomains >= 3 ? otherDomains : nil }
        guard let ice = iceGrade(iceScore, unarousable: consciousness == .unarousable, bands: bands) else { return nil }
        return max(otherDomains, ice)
    }

    /// High-grade ICANS: grade ≥ `threshold` (3 by default); nil when the grade is unknown.
    public static func isHighGrade(_ grade: Int?, threshold: Int = highGradeThreshold) -> Bool? {
        grade.map { $0 >= threshold }
    }
}

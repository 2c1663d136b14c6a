/// ASTCT consensus grading of immune effector cell-associated neurotoxicity syndrome in adults
/// (Lee et al. 2019): the worst of five domains. Intracranial haemorrhage is not ICANS (it is a
/// bleeding event). "High-grade" ICANS is grade ≥ 3 (``highGradeThreshold``).
///
/// ```
/// ICE score (0-10)    7-9 → G1   3-6 → G2   0-2 → G3   0 because unarousable → G4
/// consciousness       awakens spontaneously → G1   to voice → G2   to touch only → G3   unarousable, stupor, coma → G4
/// seizure             any clinical or EEG seizure resolving (with intervention) → G3
///                     prolonged (> 5 min) or repetitive without return to baseline → G4
/// motor               deep focal motor weakness (hemiparesis, paraparesis) → G4
/// raised ICP / edema  focal or local oedema on imaging → G3
///                     diffuse oedema, posturing, CN VI palsy, papilloedema or Cushing's triad → G4
/// ```
public enum ICANSGrading {
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

    public static let highGradeThreshold = 3

    /// The domain grade of an ICE score (10 = normal). A score of 0 because the patient cannot be
    /// roused is grade 4; pass `unarousable: true` for that case.
    /// - Returns: nil for a score outside 0...10.
    public static func iceGrade(_ score: Int, unarousable: Bool = false) -> Int? {
        guard (0...10).contains(score) else { return nil }
        if score == 0, unarousable { return 4 }
        switch score {
        case 10: return 0
        case 7...9: return 1
        case 3...6: return 2
        default: return 3
        }
    }

    /// The ICANS grade (0-4; 5 when death is attributed to ICANS), or nil for an invalid ICE score.
    public static func grade(iceScore: Int?, consciousness: Consciousness = .normal, seizure: Seizure = .none,
                             motor: Motor = .none, edema: CerebralEdema = .none, diedOfICANS: Bool = false) -> Int? {
        if diedOfICANS { return 5 }
        var worst = max(consciousness.rawValue, seizure.rawValue, motor.rawValue, edema.rawValue)
        if let iceScore {
            guard let ice = iceGrade(iceScore, unarousable: consciousness == .unarousable) else { return nil }
            worst = max(worst, ice)
        }
        return worst
    }

    /// High-grade ICANS: grade ≥ `threshold` (3 by default).
    public static func isHighGrade(_ grade: Int?, threshold: Int = highGradeThreshold) -> Bool? {
        grade.map { $0 >= threshold }
    }
}

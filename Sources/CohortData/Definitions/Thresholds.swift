#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Platelet counts (×10⁹/L): thrombocytopenia at a chosen cut-off and the CTCAE v5 grade.
public enum Platelets {
    /// The lower limit of normal, the default thrombocytopenia cut-off.
    public static let lowerLimitOfNormal = 150.0

    /// The other cut-offs the domain notes name as common (100, 75 and 50), for sensitivity
    /// analyses; a study should say which one it used.
    public static let alternativeCutoffs = [100.0, 75, 50]

    /// Thrombocytopenia: a count strictly below `cutoff` (150 by default); nil when the count is
    /// missing.
    public static func isThrombocytopenic(_ count: Double?, cutoff: Double = lowerLimitOfNormal) -> Bool? {
        count.measurement.map { $0 < cutoff }
    }

    /// CTCAE v5 "platelet count decreased" cut-offs. Each grade is "below" its cut-off, so a
    /// count exactly at one belongs to the milder grade (exactly 75 is grade 1). The LLN is the
    /// laboratory's; the cut-offs are expected to decrease from `lowerLimitOfNormal` to
    /// `grade4Below`.
    public struct CTCAECutoffs: Sendable, Equatable {
        public var lowerLimitOfNormal: Double
        public var grade2Below = 75.0
        public var grade3Below = 50.0
        public var grade4Below = 25.0
        public init(lowerLimitOfNormal: Double = Platelets.lowerLimitOfNormal) {
            self.lowerLimitOfNormal = lowerLimitOfNormal
        }
    }

    /// CTCAE v5 "platelet count decreased" grade, or nil when the count is missing.
    ///
    /// ```
    /// ≥ LLN → 0    < LLN-75 → 1    < 75-50 → 2    < 50-25 → 3    < 25 → 4
    /// ```
    public static func ctcaeGrade(_ count: Double?, cutoffs: CTCAECutoffs = CTCAECutoffs()) -> Int? {
        guard let count = count.measurement else { return nil }
        if count < cutoffs.grade4Below { return 4 }
        if count < cutoffs.grade3Below { return 3 }
        if count < cutoffs.grade2Below { return 2 }
        return count < cutoffs.lowerLimitOfNormal ? 1 : 0
    }

    /// The CTCAE grade with the laboratory's own lower limit of normal and the standard 75/50/25
    /// cut-offs (the codebook's `platelet_grade` calls this).
    public static func ctcaeGrade(_ count: Double?, lowerLimitOfNormal: Double) -> Int? {
        ctcaeGrade(count, cutoffs: CTCAECutoffs(lowerLimitOfNormal: lowerLimitOfNormal))
    }
}

/// Endothelial Activation and Stress Index (Luft et al., Lancet Haematol 2017;4:e414-23), applied
/// to CAR-T toxicity in later work, usually on the log₂ scale.
///
/// ```
/// EASIX = creatinine (mg/dL) × LDH (U/L) / platelets (×10⁹/L)
/// ```
/// Creatinine must be in mg/dL: divide µmol/L by 88.4. The index has no threshold of its own here.
public enum EASIX {
    /// EASIX; nil when a value is missing or the platelet count is not positive.
    public static func value(creatinine: Double?, ldh: Double?, platelets: Double?) -> Double? {
        guard let creatinine = creatinine.measurement, let ldh = ldh.measurement,
              let platelets = platelets.measurement, platelets > 0
        else { return nil }
        return creatinine * ldh / platelets
    }

    /// log₂ EASIX; nil when EASIX is missing or not positive (a zero creatinine or LDH).
    public static func log2Value(creatinine: Double?, ldh: Double?, platelets: Double?) -> Double? {
        guard let easix = value(creatinine: creatinine, ldh: ldh, platelets: platelets), easix > 0 else { return nil }
        return PortableMath.log2(easix)
    }
}

/// Threshold flags from guideline practice: parameters, not conclusions.
public enum CoagulationFlags {
    /// Antithrombin activity (%) strictly below `threshold`; nil when missing.
    ///
    /// The seed guidance (low evidence) flags activity "below 70-80%". Judgement call: the default
    /// is the lower end, 70, so exactly 70% is not flagged; pass 80 for the upper end.
    public static func isAntithrombinDeficient(_ activity: Double?, threshold: Double = 70) -> Bool? {
        activity.measurement.map { $0 < threshold }
    }

    /// Fibrinogen (g/L) strictly below the replacement trigger (1.5 g/L in guideline practice);
    /// nil when missing. Exactly 1.5 g/L does not meet it.
    public static func meetsFibrinogenReplacementTrigger(_ fibrinogen: Double?, trigger: Double = 1.5) -> Bool? {
        fibrinogen.measurement.map { $0 < trigger }
    }
}

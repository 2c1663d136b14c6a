#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Platelet counts (×10⁹/L): thrombocytopenia at a chosen cut-off and the CTCAE v5 grade.
public enum Platelets {
    /// The lower limit of normal, the default thrombocytopenia cut-off; 100, 75 and 50 are common
    /// alternatives.
    public static let lowerLimitOfNormal = 150.0

    /// Thrombocytopenia: a count strictly below `cutoff`.
    public static func isThrombocytopenic(_ count: Double?, cutoff: Double = lowerLimitOfNormal) -> Bool? {
        count.map { $0 < cutoff }
    }

    /// CTCAE v5 "platelet count decreased": < LLN-75 → 1, < 75-50 → 2, < 50-25 → 3, < 25 → 4,
    /// at or above the LLN → 0.
    public static func ctcaeGrade(_ count: Double?, lowerLimitOfNormal lln: Double = lowerLimitOfNormal) -> Int? {
        guard let count else { return nil }
        switch count {
        case ..<25: return 4
        case ..<50: return 3
        case ..<75: return 2
        case ..<lln: return 1
        default: return 0
        }
    }
}

/// Bleeding severity: CTCAE grade and ISTH major bleeding (Schulman & Kearon, J Thromb Haemost
/// 2005;3:692-4).
public enum BleedingSeverity {
    /// "Clinically significant" bleeding: CTCAE grade ≥ `threshold` (2 by default).
    public static func isClinicallySignificant(ctcaeGrade: Int?, threshold: Int = 2) -> Bool? {
        ctcaeGrade.map { $0 >= threshold }
    }

    /// Critical sites of the ISTH definition.
    public enum Site: String, Sendable, CaseIterable {
        case intracranial, intraspinal, intraocular, retroperitoneal, intraArticular, pericardial
        case intramuscularWithCompartmentSyndrome
        case other
        public var isCritical: Bool { self != .other }
    }

    /// ISTH major bleeding: fatal; or in a critical site; or a haemoglobin fall of at least
    /// `haemoglobinFall` g/dL (2); or at least `unitsTransfused` units of blood (2).
    public static func isISTHMajor(fatal: Bool, site: Site, haemoglobinFall: Double?, unitsTransfused: Int?,
                                   haemoglobinFallThreshold: Double = 2, unitsThreshold: Int = 2) -> Bool {
        fatal || site.isCritical || (haemoglobinFall ?? 0) >= haemoglobinFallThreshold || (unitsTransfused ?? 0) >= unitsThreshold
    }
}

/// Endothelial Activation and Stress Index.
public enum EASIX {
    /// creatinine (mg/dL) × LDH (U/L) / platelets (×10⁹/L); nil when a value is missing or the
    /// platelet count is not positive.
    public static func value(creatinine: Double?, ldh: Double?, platelets: Double?) -> Double? {
        guard let creatinine, let ldh, let platelets, platelets > 0 else { return nil }
        return creatinine * ldh / platelets
    }

    /// log₂ EASIX, the scale it is usually analysed on; nil when EASIX is not positive.
    public static func log2Value(creatinine: Double?, ldh: Double?, platelets: Double?) -> Double? {
        guard let easix = value(creatinine: creatinine, ldh: ldh, platelets: platelets), easix > 0 else { return nil }
        return log2(easix)
    }
}

/// Threshold flags from guideline practice: parameters, not conclusions.
public enum CoagulationFlags {
    /// Antithrombin activity (%) below `threshold` (70 by default; seed guidance uses 70-80).
    public static func isAntithrombinDeficient(_ activity: Double?, threshold: Double = 70) -> Bool? {
        activity.map { $0 < threshold }
    }

    /// Fibrinogen (g/L) below the replacement trigger (1.5 g/L in guideline practice).
    public static func meetsFibrinogenReplacementTrigger(_ fibrinogen: Double?, trigger: Double = 1.5) -> Bool? {
        fibrinogen.map { $0 < trigger }
    }
}

/// ASTCT consensus grading of cytokine release syndrome (Lee et al., Biol Blood Marrow Transplant
/// 2019;25:625-638): fever ≥ 38.0 °C plus the worse of hypotension and hypoxia.
///
/// ```
/// G1  fever only
/// G2  hypotension not requiring vasopressors   and/or  low-flow O₂ (≤ 6 L/min) or blow-by
/// G3  one vasopressor (± vasopressin)          and/or  high-flow O₂ (> 6 L/min), facemask, non-rebreather, Venturi
/// G4  several vasopressors (not vasopressin)   and/or  positive pressure (CPAP, BiPAP, intubation)
/// G5  death due to CRS
/// ```
/// Without fever there is no CRS (grade 0), unless fever was masked by antipyretic or anti-cytokine
/// treatment, which the consensus counts as fever: pass `fever: true` then. The thresholds (38.0 °C,
/// 6 L/min) are parameters of ``isFever(celsius:threshold:)`` and
/// ``Hypoxia/nasalCannula(litresPerMinute:lowFlowMaximum:)``.
public enum CRSGrading {
    /// The hypotension domain; the raw value is the grade it gives.
    public enum Hypotension: Int, Sendable, CaseIterable, Comparable {
        case none = 0, withoutVasopressors = 2, oneVasopressor = 3, multipleVasopressors = 4
        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

        /// The category of a hypotensive patient from the vasopressors given: none → G2, one
        /// (with or without vasopressin) → G3, two or more other than vasopressin → G4.
        ///
        /// Vasopressin never makes a second vasopressor ("multiple vasopressors (excluding
        /// vasopressin)"). Judgement call, not spelled out in the domain notes: vasopressin given
        /// alone counts as the one vasopressor (G3), since the patient needs a vasopressor.
        /// - Returns: nil for a negative count.
        public static func hypotensive(vasopressorsOtherThanVasopressin count: Int, vasopressin: Bool) -> Hypotension? {
            switch count {
            case ..<0: nil
            case 0: vasopressin ? .oneVasopressor : .withoutVasopressors
            case 1: .oneVasopressor
            default: .multipleVasopressors
            }
        }
    }

    /// The hypoxia domain; the raw value is the grade it gives.
    public enum Hypoxia: Int, Sendable, CaseIterable, Comparable {
        /// No oxygen needed.
        case none = 0
        /// Low-flow nasal cannula (≤ 6 L/min) or blow-by.
        case lowFlow = 2
        /// High-flow nasal cannula (> 6 L/min), facemask, non-rebreather or Venturi mask.
        case highFlow = 3
        /// CPAP, BiPAP, intubation and mechanical ventilation.
        case positivePressure = 4
        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

        /// Nasal-cannula flow to the consensus category: 0 → none, up to and including
        /// `lowFlowMaximum` (6 L/min) → low flow, above it → high flow.
        /// - Returns: nil for a missing or negative flow.
        public static func nasalCannula(litresPerMinute flow: Double?, lowFlowMaximum: Double = 6) -> Hypoxia? {
            guard let flow = flow.measurement, flow >= 0 else { return nil }
            return flow == 0 ? Hypoxia.none : flow <= lowFlowMaximum ? .lowFlow : .highFlow
        }
    }

    /// The ASTCT grade, 0 (no CRS) to 5: the worse of the hypotension and hypoxia domains, at least
    /// 1 when there is fever, 0 without fever.
    ///
    /// Death attributed to CRS is grade 5 whatever the other arguments say (a patient who died of
    /// CRS had CRS).
    public static func grade(fever: Bool, hypotension: Hypotension, hypoxia: Hypoxia, diedOfCRS: Bool = false) -> Int {
        if diedOfCRS { return 5 }
        guard fever else { return 0 }
        return max(1, hypotension.rawValue, hypoxia.rawValue)
    }

    /// Fever by the consensus: a temperature of at least `threshold` (38.0 °C); nil when the
    /// temperature is missing.
    public static func isFever(celsius: Double?, threshold: Double = 38.0) -> Bool? {
        celsius.measurement.map { $0 >= threshold }
    }
}

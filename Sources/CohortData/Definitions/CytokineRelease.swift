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
/// treatment, which the consensus counts as fever: pass `fever: true` then.
public enum CRSGrading {
    public enum Hypotension: Int, Sendable, CaseIterable, Comparable {
        case none = 0, withoutVasopressors = 2, oneVasopressor = 3, multipleVasopressors = 4
        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

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

        /// Nasal-cannula flow in L/min to the consensus category (> 6 L/min is high flow).
        public static func nasalCannula(litresPerMinute flow: Double) -> Hypoxia {
            flow <= 0 ? .none : flow <= 6 ? .lowFlow : .highFlow
        }
    }

    /// The ASTCT grade, 0 (no CRS) to 5.
    public static func grade(fever: Bool, hypotension: Hypotension, hypoxia: Hypoxia, diedOfCRS: Bool = false) -> Int {
        if diedOfCRS { return 5 }
        guard fever else { return 0 }
        return max(1, hypotension.rawValue, hypoxia.rawValue)
    }

    /// Fever by the consensus: a temperature of at least 38.0 °C.
    public static func isFever(celsius: Double, threshold: Double = 38.0) -> Bool { celsius >= threshold }
}

/// Bleeding severity: the CTCAE grade, ISTH major bleeding (Schulman & Kearon, J Thromb Haemost
/// 2005;3:692-4) and ISTH clinically relevant non-major bleeding (Kaatz et al., J Thromb Haemost
/// 2015;13:2119-26). The ISTH definitions were written for non-surgical patients.
public enum BleedingSeverity {
    /// "Clinically significant" bleeding: CTCAE v5 grade ≥ `threshold` (2 by default, the domain
    /// notes' definition); nil when the grade is missing. Whether Johnsrud et al. used exactly this
    /// is tagged [?] in the notes (their conference version says grade ≥ 2).
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
    /// `haemoglobinFallThreshold` g/dL (2, i.e. 20 g/L); or at least `unitsThreshold` units of
    /// whole blood or red cells transfused (2).
    ///
    /// - Returns: true when any criterion is met, even with others missing; nil when none is met
    ///   but the haemoglobin fall or the transfusion count is missing (it could meet one); false
    ///   otherwise. A caller who records "no transfusion" as an empty cell should pass 0.
    public static func isISTHMajor(fatal: Bool, site: Site, haemoglobinFall: Double?, unitsTransfused: Int?,
                                   haemoglobinFallThreshold: Double = 2, unitsThreshold: Int = 2) -> Bool? {
        anyCriterionMet([
            fatal,
            site.isCritical,
            haemoglobinFall.measurement.map { $0 >= haemoglobinFallThreshold },
            unitsTransfused.map { $0 >= unitsThreshold },
        ])
    }

    /// ISTH clinically relevant non-major bleeding: a bleed that is not major but required medical
    /// intervention by a healthcare professional, led to hospitalisation or an increased level of
    /// care, or prompted a face-to-face evaluation (Kaatz et al. 2015). The domain notes name this
    /// category without its criteria; these are Kaatz's.
    ///
    /// - Parameter isMajor: ``isISTHMajor(fatal:site:haemoglobinFall:unitsTransfused:haemoglobinFallThreshold:unitsThreshold:)``.
    /// - Returns: false for a major bleed or one meeting no criterion; nil when a criterion is met
    ///   but whether the bleed was major is unknown.
    public static func isISTHClinicallyRelevantNonMajor(isMajor: Bool?, medicalIntervention: Bool,
                                                        hospitalisationOrIncreasedCare: Bool, faceToFaceEvaluation: Bool) -> Bool? {
        guard medicalIntervention || hospitalisationOrIncreasedCare || faceToFaceEvaluation else { return false }
        return isMajor.map { !$0 }
    }
}

/// CAR-T-associated coagulopathy (CARAC; Chinese expert consensus 2022): bleeding or thrombosis
/// within 28 days of infusion together with thrombocytopenia and/or laboratory coagulopathy. It is
/// distinct from DIC, though it may progress to it.
///
/// The domain notes give the laboratory flags as "working" flags from the CAR-T literature, not as
/// the consensus's own table, and do not say which platelet cut-off makes the thrombocytopenia:
/// the caller decides it with ``Platelets/isThrombocytopenic(_:cutoff:)`` and should report it.
public enum CARAC {
    /// The laboratory-coagulopathy flags and the event window, with the domain notes' defaults.
    /// Every flag is a strict inequality, as the notes write it (D-dimer of exactly 5 mg/L does
    /// not flag).
    public struct LaboratoryCutoffs: Sendable, Equatable {
        public var dDimerAbove = 5.0           // mg/L
        public var apttProlongedAbove = 10.0   // s beyond the upper limit of normal
        public var ptProlongedAbove = 3.0      // s beyond the upper limit of normal
        public var fibrinogenBelow = 1.5       // g/L
        public var fdpAbove = 20.0             // mg/L
        /// Days 0-28: "within 28 days of infusion", both ends included.
        public var window = EventWindow.within(days: 28)
        public init() {}
    }

    /// The laboratory criteria met, each named with its cut-off ("D-dimer > 5 mg/L"), in the order
    /// D-dimer, APTT, PT, fibrinogen, FDP. A missing value (nil or NaN) meets nothing, so an empty
    /// list means "none met among the values given".
    public static func laboratoryFlags(dDimer: Double?, apttProlongation: Double?, ptProlongation: Double?,
                                       fibrinogen: Double?, fdp: Double?, cutoffs: LaboratoryCutoffs = LaboratoryCutoffs()) -> [String] {
        func flag(_ value: Double?, _ isMet: (Double) -> Bool, _ name: String) -> String? {
            guard let value = value.measurement, isMet(value) else { return nil }
            return name
        }
        let text = NumberText.shortest
        return [
            flag(dDimer, { $0 > cutoffs.dDimerAbove }, "D-dimer > \(text(cutoffs.dDimerAbove)) mg/L"),
            flag(apttProlongation, { $0 > cutoffs.apttProlongedAbove }, "APTT prolonged > \(text(cutoffs.apttProlongedAbove)) s"),
            flag(ptProlongation, { $0 > cutoffs.ptProlongedAbove }, "PT prolonged > \(text(cutoffs.ptProlongedAbove)) s"),
            flag(fibrinogen, { $0 < cutoffs.fibrinogenBelow }, "fibrinogen < \(text(cutoffs.fibrinogenBelow)) g/L"),
            flag(fdp, { $0 > cutoffs.fdpAbove }, "FDP > \(text(cutoffs.fdpAbove)) mg/L"),
        ].compactMap { $0 }
    }

    /// CARAC: a bleeding or thrombosis event on a day inside the window (days 0-28 by default),
    /// and thrombocytopenia or at least one laboratory coagulopathy flag.
    ///
    /// - Parameters:
    ///   - bleedingDay, thrombosisDay: study day of the first such event; nil (or NaN) means no
    ///     event, the way an event-day column is left empty.
    ///   - thrombocytopenia: nil when the count is missing.
    /// - Returns: false without an event in the window; true with one and a laboratory flag or
    ///   thrombocytopenia; nil with one, no laboratory flag and an unknown platelet state.
    public static func isPresent(bleedingDay: Double?, thrombosisDay: Double?, thrombocytopenia: Bool?,
                                 laboratoryFlags: [String], cutoffs: LaboratoryCutoffs = LaboratoryCutoffs()) -> Bool? {
        let eventInWindow = [bleedingDay, thrombosisDay].contains { cutoffs.window.contains(day: $0) == true }
        guard eventInWindow else { return false }
        return anyCriterionMet([thrombocytopenia, !laboratoryFlags.isEmpty])
    }

    /// CARAC when the platelet state is known, which makes the answer known (the codebook's
    /// `carac` calls this).
    public static func isPresent(bleedingDay: Double?, thrombosisDay: Double?, thrombocytopenia: Bool,
                                 laboratoryFlags: [String], cutoffs: LaboratoryCutoffs = LaboratoryCutoffs()) -> Bool {
        // Never nil here: with every input known the three-valued answer is true or false.
        isPresent(bleedingDay: bleedingDay, thrombosisDay: thrombosisDay, thrombocytopenia: Optional(thrombocytopenia),
                  laboratoryFlags: laboratoryFlags, cutoffs: cutoffs) ?? false
    }
}

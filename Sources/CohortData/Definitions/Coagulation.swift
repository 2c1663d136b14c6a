/// Disseminated intravascular coagulation scores: the ISTH overt-DIC score here, the Chinese DIC
/// Scoring System in `DICScoring+Chinese.swift`. Every cut-off is a parameter with the published
/// default; a score is nil when a missing component could change it (see `MissingValues.swift`),
/// with one documented, switchable exception: the Chinese score's two add-only items.
public enum DICScoring {
    /// ISTH overt-DIC cut-offs (Taylor et al., Thromb Haemost 2001;86:1327-30), with the defaults
    /// of the project's domain notes.
    ///
    /// Which side of each cut-off the exact value falls on follows the domain notes: platelets
    /// ≥ 100 → 0; PT prolonged by exactly 3 s → 1 and by exactly 6 s → 2; fibrinogen exactly
    /// 1.0 g/L → 0; a fibrin marker at exactly 2× ULN → 2 and at exactly 4× ULN → 2. Taylor's
    /// table, as it is usually reproduced, writes the PT bands as "< 3 s", "> 3 but < 6 s" and
    /// "> 6 s", so the exact values are a convention, not a published fact.
    public struct ISTHCutoffs: Sendable, Equatable {
        /// Platelets (×10⁹/L): below `plateletsLow` scores 1, below `plateletsVeryLow` scores 2.
        public var plateletsLow = 100.0
        public var plateletsVeryLow = 50.0
        /// Fibrin marker (D-dimer or FDP) as a multiple of the upper limit of normal: a "moderate"
        /// rise from `fibrinModerate` (inclusive) scores 2, a "strong" rise above `fibrinStrong`
        /// scores 3. The score itself only says "no / moderate / strong increase"; 2× and 4× ULN
        /// is the domain notes' default operationalisation, and laboratories and studies differ.
        public var fibrinModerate = 2.0
        public var fibrinStrong = 4.0
        /// PT prolongation (s beyond the upper limit of normal): from `ptModerate` scores 1, from
        /// `ptSevere` 2.
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
    /// - Parameters:
    ///   - fibrinMarkerTimesULN: the D-dimer or FDP divided by its upper limit of normal
    ///     (``multipleOfULN(_:upperLimitOfNormal:)``), so that assays in different units compare.
    ///   - ptProlongationSeconds: the patient's PT minus the upper limit of normal, in seconds.
    public static func isthScore(platelets: Double?, fibrinMarkerTimesULN: Double?, ptProlongationSeconds: Double?,
                                 fibrinogen: Double?, cutoffs: ISTHCutoffs = ISTHCutoffs()) -> Int? {
        guard let platelets = platelets.measurement, let fibrin = fibrinMarkerTimesULN.measurement,
              let pt = ptProlongationSeconds.measurement, let fibrinogen = fibrinogen.measurement
        else { return nil }
        var score = platelets < cutoffs.plateletsVeryLow ? 2 : platelets < cutoffs.plateletsLow ? 1 : 0
        score += fibrin > cutoffs.fibrinStrong ? 3 : fibrin >= cutoffs.fibrinModerate ? 2 : 0
        score += pt >= cutoffs.ptSevere ? 2 : pt >= cutoffs.ptModerate ? 1 : 0
        score += fibrinogen < cutoffs.fibrinogenLow ? 1 : 0
        return score
    }

    /// Overt DIC: an ISTH score of at least `cutoffs.overtThreshold` (5); nil when the score is.
    public static func isOvertDIC(isthScore: Int?, cutoffs: ISTHCutoffs = ISTHCutoffs()) -> Bool? {
        isthScore.map { $0 >= cutoffs.overtThreshold }
    }

    /// A laboratory value as a multiple of its upper limit of normal (D-dimer 2.0 mg/L with an ULN
    /// of 0.5 mg/L is 4× ULN); nil when either is missing or the limit is not positive.
    public static func multipleOfULN(_ value: Double?, upperLimitOfNormal: Double?) -> Double? {
        guard let value = value.measurement, let uln = upperLimitOfNormal.measurement, uln > 0 else { return nil }
        return value / uln
    }
}

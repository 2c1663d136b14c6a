extension DICScoring {
    /// One patient-day's findings for the Chinese DIC Scoring System (CDSS).
    public struct ChineseInput: Sendable, Equatable {
        /// An underlying disease that can cause DIC; true in the haematological-malignancy variant.
        public var underlyingDisease = true
        /// Severe or multiple bleeding not explained by the underlying disease.
        public var unexplainedBleeding = false
        public var shockOrMicrocirculatoryFailure = false
        public var organFailure = false
        /// Platelets, ×10⁹/L.
        public var platelets: Double?
        /// Relative fall of the platelet count within 24 h (0.5 = 50%); see
        /// ``DICScoring/plateletFall(from:to:)``.
        public var plateletFall24h: Double?
        /// D-dimer, mg/L, the unit of the cut-offs (µg/L ÷ 1000).
        public var dDimer: Double?
        /// PT and APTT prolongation, seconds beyond the upper limit of normal.
        public var ptProlongationSeconds: Double?
        public var apttProlongationSeconds: Double?
        /// Fibrinogen, g/L.
        public var fibrinogen: Double?
        public init() {}
    }

    /// CDSS cut-offs, haematological-malignancy variant, with the defaults of the project's domain
    /// notes (Chinese Society of Thrombosis and Haemostasis consensus, Chin J Hematol
    /// 2017;38:361-3).
    ///
    /// The domain notes flag this point table "[?: verify the point table before relying on it]";
    /// it has not been checked against the consensus text here either. One point to check: whether
    /// the bleeding item of the clinical features is scored at all in the haematological-malignancy
    /// variant (bleeding is common in these patients for reasons other than DIC). The notes score
    /// it, so ``scoresUnexplainedBleeding`` defaults to true and can be switched off once verified.
    public struct ChineseCutoffs: Sendable, Equatable {
        /// Platelets (×10⁹/L) below this score 1.
        public var plateletsLow = 50.0
        /// A fall within 24 h of at least this fraction scores 1 more.
        public var plateletFall24h = 0.5
        /// D-dimer (mg/L) from `dDimerModerate` scores 2, from `dDimerStrong` 3.
        public var dDimerModerate = 5.0
        public var dDimerStrong = 9.0
        /// PT prolonged by at least `ptModerate` s or APTT by at least `apttModerate` s scores 1;
        /// PT prolonged by at least `ptSevere` s scores 2 (the item gives at most 2).
        public var ptModerate = 3.0
        public var apttModerate = 10.0
        public var ptSevere = 6.0
        /// Fibrinogen (g/L) below this scores 1.
        public var fibrinogenLow = 1.0
        /// DIC at a total of at least this (6 in haematological malignancy).
        public var dicThreshold = 6
        /// Whether unexplained bleeding earns its clinical-feature point (see above).
        public var scoresUnexplainedBleeding = true
        /// Whether a missing 24-hour platelet fall or APTT scores 0 (true) or makes the score
        /// unknown (false). See ``DICScoring/chineseScore(_:cutoffs:)``.
        public var missingFallOrAPTTScoresZero = true
        public init() {}
    }

    /// The CDSS score, haematological-malignancy variant:
    ///
    /// ```
    /// underlying disease                                                    2
    /// unexplained bleeding; shock or microcirculatory failure; organ failure   1 each
    /// platelets < 50 ×10⁹/L → 1;  ≥ 50% fall within 24 h → +1
    /// D-dimer < 5 mg/L → 0, 5 to < 9 → 2, ≥ 9 → 3
    /// PT prolonged ≥ 3 s or APTT prolonged ≥ 10 s → 1;  PT prolonged ≥ 6 s → 2
    /// fibrinogen < 1.0 g/L → 1
    /// DIC at ≥ 6 points
    /// ```
    ///
    /// Missing values: platelets, D-dimer, PT and fibrinogen are needed; without any of them the
    /// score is nil. The 24-hour fall and the APTT only ever add a point, and many records have
    /// neither (the fall needs two counts a day apart). Judgement call, kept from the first version
    /// because the codebook's `chinese_dic_score` relies on it and the domain notes are silent:
    /// by default a missing fall or APTT scores 0, so for those items the score is a lower bound.
    /// With `cutoffs.missingFallOrAPTTScoresZero = false` the score is nil instead whenever the
    /// missing value could add a point (a missing APTT cannot once the PT alone scores).
    ///
    /// - Returns: the score, or nil when a needed value is missing (see above).
    public static func chineseScore(_ input: ChineseInput, cutoffs: ChineseCutoffs = ChineseCutoffs()) -> Int? {
        guard let platelets = input.platelets.measurement, let dDimer = input.dDimer.measurement,
              let pt = input.ptProlongationSeconds.measurement, let fibrinogen = input.fibrinogen.measurement
        else { return nil }
        // An add-only item's value: 0 when it is missing and the policy allows, else nil.
        func addOnly(_ value: Double?) -> Double? {
            value.measurement ?? (cutoffs.missingFallOrAPTTScoresZero ? 0 : nil)
        }
        guard let fall = addOnly(input.plateletFall24h) else { return nil }
        var score = input.underlyingDisease ? 2 : 0
        score += [input.unexplainedBleeding && cutoffs.scoresUnexplainedBleeding,
                  input.shockOrMicrocirculatoryFailure, input.organFailure].filter { $0 }.count
        score += platelets < cutoffs.plateletsLow ? 1 : 0
        score += fall >= cutoffs.plateletFall24h ? 1 : 0
        score += dDimer >= cutoffs.dDimerStrong ? 3 : dDimer >= cutoffs.dDimerModerate ? 2 : 0
        if pt >= cutoffs.ptSevere {
            score += 2
        } else if pt >= cutoffs.ptModerate {
            score += 1
        } else {
            guard let aptt = addOnly(input.apttProlongationSeconds) else { return nil }
            score += aptt >= cutoffs.apttModerate ? 1 : 0
        }
        score += fibrinogen < cutoffs.fibrinogenLow ? 1 : 0
        return score
    }

    /// DIC by the CDSS: a score of at least `cutoffs.dicThreshold` (6); nil when the score is.
    public static func isChineseDIC(chineseScore: Int?, cutoffs: ChineseCutoffs = ChineseCutoffs()) -> Bool? {
        chineseScore.map { $0 >= cutoffs.dicThreshold }
    }

    /// The relative fall from an earlier platelet count to a later one: (earlier − later) / earlier,
    /// so 120 → 60 is 0.5 and a rise is negative. Nil when either count is missing or the earlier
    /// one is not positive.
    public static func plateletFall(from earlier: Double?, to later: Double?) -> Double? {
        guard let earlier = earlier.measurement, let later = later.measurement, earlier > 0 else { return nil }
        return (earlier - later) / earlier
    }
}

/// The C statistic (area under the ROC curve) of risk scores against a binary outcome, with DeLong's
/// standard error and a normal interval, as `pROC::ci.auc(roc(y, risk, levels = c(0, 1),
/// direction = "<"), method = "delong")` reports them.
///
/// The C statistic is the Mann-Whitney probability that a patient with the event has a higher risk
/// than one without, a tie counting one half. With m events (risks xᵢ) and n non-events (risks yⱼ),
/// ψ(x, y) = 1 if x > y, ½ if x = y, 0 otherwise, DeLong's placement values are
/// ```
/// V₁₀(xᵢ) = (1/n) Σⱼ ψ(xᵢ, yⱼ)        V₀₁(yⱼ) = (1/m) Σᵢ ψ(xᵢ, yⱼ)
/// C = (1/m) Σᵢ V₁₀(xᵢ)
/// S₁₀ = Σᵢ (V₁₀(xᵢ) − C)² / (m − 1)    S₀₁ = Σⱼ (V₀₁(yⱼ) − C)² / (n − 1)
/// SE² = S₁₀/m + S₀₁/n
/// ```
/// (DeLong, DeLong & Clarke-Pearson, Biometrics 44 (1988) 837-845). The placements come from midranks
/// in O(N log N), N = m + n, not from the m × n comparisons (Sun & Xu, IEEE Signal Processing Letters
/// 21 (2014) 1389-1393): with R_Z the midrank in the pooled sample and R_X, R_Y the midranks among
/// the events and the non-events alone (R's `rank`, ``Ranking``),
/// ```
/// V₁₀(xᵢ) = (R_Z(xᵢ) − R_X(xᵢ)) / n      (non-events below xᵢ, ties counted ½)
/// V₀₁(yⱼ) = 1 − (R_Z(yⱼ) − R_Y(yⱼ)) / m
/// C = (Σᵢ R_Z(xᵢ) − m(m + 1)/2) / (m n)  (the Mann-Whitney U over m n; exact: midranks are halves)
/// ```
/// The interval is C + SE·Φ⁻¹(α/2) to C + SE·Φ⁻¹(1 − α/2), α = 1 − level, on the probability scale
/// as pROC computes it (`qnorm(c(α/2, 1 − α/2), mean = C, sd = SE)`): no logit transform, so a C
/// near 1 in a small sample can give an upper limit above 1. pROC then caps the interval at 0 and 1,
/// and so does this, saying so in ``isTruncated``.
///
/// The direction is fixed: a higher risk is expected with the event (pROC's `direction = "<"`; its
/// default `"auto"` would flip a C below ½ to 1 − C).
public struct ConcordanceStatistic: Sendable, Equatable {
    /// The C statistic (AUC).
    public let estimate: Double
    /// DeLong's standard error; NaN with one event or one non-event (no variance between placements).
    public let standardError: Double
    public let lower: Double
    public let upper: Double
    public let level: Double
    /// True when the normal interval reached past 0 or 1 and was capped there.
    public let isTruncated: Bool
    /// Events (cases) and non-events (controls).
    public let events: Int
    public let nonEvents: Int

    public static let method = "Mann-Whitney (ties 1/2); DeLong SE; CI estimate ± z·SE (pROC)"

    /// - Parameters:
    ///   - risk: the risk scores (fitted probabilities or linear predictors: the C statistic depends
    ///     only on their order), finite.
    ///   - outcome: 1 for an event, 0 otherwise, one per score.
    /// - Returns: nil without at least one event and one non-event.
    public init?(risk: [Double], outcome: [Double], level: Double = 0.95) {
        precondition(risk.count == outcome.count, "one outcome per risk score")
        var cases: [Double] = [], controls: [Double] = []
        for (x, y) in zip(risk, outcome) {
            if y == 1 { cases.append(x) } else { controls.append(x) }
        }
        let m = cases.count, n = controls.count
        guard m > 0, n > 0 else { return nil }
        let pooled = Ranking(cases + controls).ranks
        let withinCases = Ranking(cases).ranks, withinControls = Ranking(controls).ranks
        // Sums in index order, so the same input gives the same bits.
        var caseRankSum = 0.0
        var placementsX = [Double](repeating: 0, count: m)
        for i in 0..<m {
            caseRankSum += pooled[i]
            placementsX[i] = (pooled[i] - withinCases[i]) / Double(n)
        }
        var placementsY = [Double](repeating: 0, count: n)
        for j in 0..<n { placementsY[j] = 1 - (pooled[m + j] - withinControls[j]) / Double(m) }
        let dm = Double(m), dn = Double(n)
        let c = (caseRankSum - dm * (dm + 1) / 2) / (dm * dn)
        func squares(_ v: [Double]) -> Double { v.reduce(0.0) { $0 + ($1 - c) * ($1 - c) } }
        // m = 1 or n = 1 divides 0 by 0: pROC gives NaN there too.
        let variance = squares(placementsX) / (dm - 1) / dm + squares(placementsY) / (dn - 1) / dn
        let se = variance.squareRoot()
        let alpha = 1 - level
        let rawLower = c + se * Normal.quantile(alpha / 2)
        let rawUpper = c + se * Normal.quantile(1 - alpha / 2)
        estimate = c
        standardError = se
        lower = rawLower.isNaN ? .nan : max(0, rawLower)
        upper = rawUpper.isNaN ? .nan : min(1, rawUpper)
        isTruncated = rawLower < 0 || rawUpper > 1
        self.level = level
        events = m
        nonEvents = n
    }

    /// The empirical ROC curve: (1 − specificity, sensitivity) for "risk ≥ t" at every distinct risk
    /// t from the highest down, after (0, 0); tied risks make one diagonal step (its area is the ½ of
    /// a tie), and the trapezoids under the points sum to the C statistic.
    public static func rocPoints(risk: [Double], outcome: [Double]) -> [(falsePositiveRate: Double, truePositiveRate: Double)] {
        precondition(risk.count == outcome.count, "one outcome per risk score")
        let events = outcome.reduce(0) { $0 + ($1 == 1 ? 1 : 0) }, nonEvents = outcome.count - events
        guard events > 0, nonEvents > 0 else { return [] }
        let order = risk.indices.sorted { risk[$0] > risk[$1] }
        var points: [(falsePositiveRate: Double, truePositiveRate: Double)] = [(0, 0)]
        var truePositives = 0, falsePositives = 0, k = 0
        while k < order.count {
            let threshold = risk[order[k]]
            while k < order.count, risk[order[k]] == threshold {
                if outcome[order[k]] == 1 { truePositives += 1 } else { falsePositives += 1 }
                k += 1
            }
            points.append((Double(falsePositives) / Double(nonEvents), Double(truePositives) / Double(events)))
        }
        return points
    }
}

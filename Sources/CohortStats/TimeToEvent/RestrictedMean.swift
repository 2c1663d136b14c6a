/// The restricted mean survival time to day tau with its standard error, as R
/// `print(survfit(...), rmean = tau)` (equivalently `summary(fit, rmean = tau)$table`'s `rmean` and
/// `se(rmean)`): the area under the Kaplan-Meier step curve from day 0 to tau.
///
/// With t_1 < ... < t_m the curve's times up to tau (events and censorings), t_0 = 0, S(t_0) = 1,
/// and t_{m+1} = tau (the curve held flat after its last time when tau lies beyond it):
/// ```
/// rmean   = Σ_{k=1}^{m+1} (t_k - t_{k-1}) · S(t_{k-1})
/// A_j     = Σ_{k=j+1}^{m+1} (t_k - t_{k-1}) · S(t_{k-1})       the area from t_j to tau
/// Var     = Σ_{j=1}^{m} A_j² · d_j / (n_j (n_j - d_j))          (a term with n_j = d_j counts 0)
/// ```
/// This is survival 3.5-3's `survmean` (`varmean <- sum(cumsum(rev(rectangles[-1]))^2 * rev(hh)[-1])`),
/// the Greenwood-type variance of the area without a small-sample factor (Klein & Moeschberger 2003,
/// §4.5, with their n/(n - 1) left out as survfit does). The A_j are accumulated from tau leftwards
/// and the variance summed in the same order, as R's `cumsum(rev(...))`, one fixed order. When tau
/// precedes the first time the mean is tau with SE 0; the curve starts at day 0 (survfit's
/// `start.time` is min(0, times) and times here are >= 0).
public struct RestrictedMeanSurvival: Sendable, Equatable {
    public let tau: Double
    public let estimate: Double
    public let standardError: Double
    /// tau lies after the group's last follow-up: the curve was extended flat to tau, as survfit does
    /// (the area past the last follow-up is then an extrapolation worth saying in a report).
    public let extendsPastLastFollowUp: Bool

    /// The normal (Wald) interval of the restricted mean at `level`, as survRM2's `rmst2` gives it:
    /// ```
    /// rmean ± z·SE,   z = Φ⁻¹((1 + level) / 2)
    /// ```
    /// (`print.survfit` gives the SE only.) Not cut to [0, tau]: the limits are the plain normal
    /// ones a reader can recompute from the estimate and the SE; with SE 0 (tau before the first
    /// time) the interval is [rmean, rmean].
    public func interval(level: Double) -> (lower: Double, upper: Double) {
        let half = Normal.quantile((1 + level) / 2) * standardError
        return (estimate - half, estimate + half)
    }
}

extension KaplanMeierCurve {
    /// The restricted mean survival time to `tau` (see ``RestrictedMeanSurvival``), or nil when tau is
    /// negative or not finite. (`print.survfit` refuses a tau before the smallest time of all curves;
    /// the area is defined for every tau >= 0 and computed here.)
    public func restrictedMean(to tau: Double) -> RestrictedMeanSurvival? {
        guard tau.isFinite, tau >= 0 else { return nil }
        let m = times.firstIndex(where: { $0 > tau }) ?? times.count
        // rectangles[k] = (t_k - t_{k-1}) · S(t_{k-1}) for k = 0...m, with t_{-1} = 0, S = 1 before t_0 and t_m := tau.
        var rectangles: [Double] = []
        rectangles.reserveCapacity(m + 1)
        var previousTime = 0.0, previousSurvival = 1.0
        for k in 0..<m {
            rectangles.append((times[k] - previousTime) * previousSurvival)
            previousTime = times[k]
            previousSurvival = survival[k]
        }
        rectangles.append((tau - previousTime) * previousSurvival)
        var estimate = 0.0
        for r in rectangles { estimate += r }
        // A_j for the times j = m-1 down to 0: the area from times[j] to tau.
        var area = 0.0, variance = 0.0
        for j in stride(from: m - 1, through: 0, by: -1) {
            area += rectangles[j + 1]
            let n = atRisk[j], d = events[j]
            let h = n - d == 0 ? 0 : Double(d) / (Double(n) * Double(n - d))
            variance += area * area * h
        }
        return RestrictedMeanSurvival(tau: tau, estimate: estimate, standardError: variance.squareRoot(),
                                      extendsPastLastFollowUp: tau > lastFollowUp)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bootstrap confidence interval for one statistic, computed from its replicates as R's
/// `boot::boot.ci` computes it (`perc` and `bca`).
///
/// **Endpoints from replicates** (`boot`'s `norm.inter`, Davison & Hinkley 1997, eq. 5.8). For a
/// tail probability α and R finite replicates sorted as t*₍₁₎ ≤ ... ≤ t*₍R₎, let rk = (R + 1)α and
/// k = ⌊rk⌋:
/// ```
/// rk an integer:   t*₍k₎
/// k = 0:           t*₍₁₎          (extreme order statistic; flagged)
/// k = R:           t*₍R₎          (extreme order statistic; flagged)
/// otherwise:       t*₍k₎ + (Φ⁻¹(α) - Φ⁻¹(k/(R+1))) / (Φ⁻¹((k+1)/(R+1)) - Φ⁻¹(k/(R+1))) · (t*₍k+1₎ - t*₍k₎)
/// ```
/// i.e. linear interpolation between the neighbouring order statistics on the normal quantile scale.
/// The interval is flagged as using extreme order statistics unless 1 < rk < R at both ends, as
/// `boot` warns.
///
/// **Percentile**: α = (1 ∓ level)/2.
///
/// **BCa** (Efron & Tibshirani 1993, §14.3):
/// ```
/// z₀ = Φ⁻¹(#{t*ᵢ < θ̂} / R)                              (bias correction; strictly below)
/// a  = Σ Lᵢ³ / (6 (Σ Lᵢ²)^{3/2}),  Lᵢ = (n-1)(θ̄₍.₎ - θ₍₋ᵢ₎)     (acceleration, from the jackknife)
/// α₁,₂ = Φ(z₀ + (z₀ + z_α)/(1 - a(z₀ + z_α))),  z_α = Φ⁻¹((1 ∓ level)/2)
/// ```
/// then the endpoints above at α₁ and α₂.
public struct BootstrapInterval: Sendable, Equatable {
    public enum Method: String, Sendable, CaseIterable, Codable {
        case percentile
        case bca
    }

    public let lower: Double
    public let upper: Double
    public let level: Double
    public let method: Method
    /// The tail probabilities the endpoints were read at (α and 1-α for percentile; adjusted for BCa).
    public let tailProbabilities: (lower: Double, upper: Double)
    /// True when an endpoint is the smallest or largest replicate, or (R+1)α falls outside (1, R):
    /// more replicates are needed for this level (`boot`'s "extreme order statistics used as endpoints").
    public let usesExtremeOrderStatistics: Bool
    /// BCa only: z₀ and a.
    public let biasCorrection: Double?
    public let acceleration: Double?

    public static func == (a: Self, b: Self) -> Bool {
        a.lower == b.lower && a.upper == b.upper && a.level == b.level && a.method == b.method
            && a.tailProbabilities == b.tailProbabilities && a.usesExtremeOrderStatistics == b.usesExtremeOrderStatistics
            && a.biasCorrection == b.biasCorrection && a.acceleration == b.acceleration
    }

    /// The percentile interval.
    ///
    /// - Parameters:
    ///   - replicates: the replicate values (non-finite ones are ignored, as `boot` does).
    ///   - level: the confidence level, in (0, 1).
    /// - Throws: ``BootstrapError`` for a level outside (0, 1) or no finite replicate.
    public static func percentile(replicates: [Double], level: Double) throws(BootstrapError) -> BootstrapInterval {
        guard level > 0, level < 1 else { throw .invalidLevel(level) }
        let sorted = replicates.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { throw .noReplicates }
        let alpha = ((1 + -level) / 2, (1 + level) / 2)
        let lower = orderStatistic(sorted, alpha.0), upper = orderStatistic(sorted, alpha.1)
        return BootstrapInterval(lower: lower.value, upper: upper.value, level: level, method: .percentile,
                                 tailProbabilities: alpha, usesExtremeOrderStatistics: lower.extreme || upper.extreme,
                                 biasCorrection: nil, acceleration: nil)
    }

    /// The BCa interval.
    ///
    /// - Parameters:
    ///   - replicates: the replicate values (non-finite ones are ignored).
    ///   - estimate: θ̂, the statistic on the original data.
    ///   - influence: empirical influence values Lᵢ, one per row; from the jackknife by
    ///     ``Bootstrap/jackknifeInfluence(_:)`` (only their ratio Σ L³ / (Σ L²)^{3/2} matters).
    ///   - level: the confidence level, in (0, 1).
    /// - Throws: ``BootstrapError/biasCorrectionInfinite(below:of:)`` when no replicate, or every
    ///   replicate, lies below θ̂; ``BootstrapError/accelerationUndefined`` when Σ Lᵢ² = 0;
    ///   ``BootstrapError/bcaTailBeyondReplicates(z0:acceleration:)`` when an adjusted tail
    ///   probability rounds to 1 (boot.ci gives NA).
    public static func bca(replicates: [Double], estimate: Double, influence: [Double], level: Double) throws(BootstrapError) -> BootstrapInterval {
        guard level > 0, level < 1 else { throw .invalidLevel(level) }
        let sorted = replicates.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { throw .noReplicates }
        let below = sorted.count { $0 < estimate }
        let z0 = Normal.quantile(Double(below) / Double(sorted.count))
        guard z0.isFinite else { throw .biasCorrectionInfinite(below: below, of: sorted.count) }
        var squares = 0.0, cubes = 0.0
        for l in influence {
            squares += l * l
            cubes += l * l * l
        }
        // pow, as R evaluates `L^3` and `sum(L^2)^1.5`, so that the last bits agree with boot.ci.
        let a = cubes / (6 * (squares * squares.squareRoot()))
        guard a.isFinite else { throw .accelerationUndefined }
        func adjusted(_ alpha: Double) -> Double {
            let z = z0 + Normal.quantile(alpha)
            return Normal.cdf(z0 + z / (1 - a * z))
        }
        let alpha = (adjusted((1 + -level) / 2), adjusted((1 + level) / 2))
        // An adjusted α of exactly 1 asks for the order statistic R + 1, which does not exist (boot.ci
        // returns NA there); α = 0 gives the smallest replicate, flagged, as boot.ci does.
        guard alpha.0 < 1, alpha.1 < 1, !alpha.0.isNaN, !alpha.1.isNaN else {
            throw .bcaTailBeyondReplicates(z0: z0, acceleration: a)
        }
        let lower = orderStatistic(sorted, alpha.0), upper = orderStatistic(sorted, alpha.1)
        return BootstrapInterval(lower: lower.value, upper: upper.value, level: level, method: .bca,
                                 tailProbabilities: alpha, usesExtremeOrderStatistics: lower.extreme || upper.extreme,
                                 biasCorrection: z0, acceleration: a)
    }

    /// The endpoint at tail probability α from sorted finite replicates (see the type's discussion).
    static func orderStatistic(_ sorted: [Double], _ alpha: Double) -> (value: Double, extreme: Bool) {
        let r = sorted.count
        let rk = Double(r + 1) * alpha
        let extreme = !(rk > 1 && rk < Double(r))
        // rk < R + 1 for α < 1, so k ≤ R; rk may be NaN only for a NaN α.
        guard rk.isFinite, rk >= 0 else { return (.nan, true) }
        let k = Int(rk.rounded(.towardZero))
        if k == 0 { return (sorted[0], true) }
        if k >= r { return (sorted[r - 1], true) }
        if Double(k) == rk { return (sorted[k - 1], extreme) }
        let zAlpha = Normal.quantile(alpha)
        let zk = Normal.quantile(Double(k) / Double(r + 1)), zk1 = Normal.quantile(Double(k + 1) / Double(r + 1))
        let tk = sorted[k - 1], tk1 = sorted[k]
        return (tk + (zAlpha - zk) / (zk1 - zk) * (tk1 - tk), extreme)
    }
}

import CohortData

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Inverse-variance meta-analysis of k study estimates y_i with sampling variances v_i, as
/// `metafor::rma(yi, vi, method = ...)` without moderators (metafor 3.8-1's conventions).
///
/// ```
/// weights        w_i = 1/(v_i + τ²)                         (τ² = 0: the fixed, "equal-effects" model)
/// pooled         μ = Σ w_i y_i / Σ w_i,   SE = 1/√Σ w_i,   z = μ/SE,   P = 2(1 - Φ(|z|))
/// CI             μ ± z_(1+level)/2 · SE                      (z-based, metafor's default test = "z")
/// Q              Σ (y_i - μ_FE)²/v_i with μ_FE the fixed-effect mean, df = k - 1, P = P(χ²_df > Q)
/// weights (%)    100 w_i / Σ w_i
/// ```
///
/// τ² (between-study variance):
/// - `dl` DerSimonian-Laird: τ² = max(0, (Q - (k-1)) / (Σw - Σw²/Σw)), w = 1/v.
/// - `reml` restricted maximum likelihood by Fisher scoring, as metafor: start at the Hedges
///   estimate max(0, Σ(y - ȳ)²/(k-1) - Σv/k); each step, with P = W - w wᵀ/Σw (W = diag w),
///   adds Δ = (yᵀPPy - tr P) / tr(PP), halved until τ² + Δ ≥ 0; it stops when |Δ| ≤ 10⁻¹²
///   (metafor's threshold is 10⁻⁵; the references are refitted at 10⁻¹³) and fails after
///   `maxIterations` steps (metafor's `maxiter`, 100), which is reported as an error, never hidden.
///   As metafor's `ll0check`, τ² is set to 0 when the restricted log-likelihood is higher there.
///   For one pooled mean: yᵀPPy = Σ w_i²(y_i - μ)², tr P = Σw - Σw²/Σw,
///   tr(PP) = Σw² - 2Σw³/Σw + (Σw²/Σw)².
/// - `fixed` τ² = 0 (metafor's `method = "EE"`, formerly "FE").
///
/// Heterogeneity (metafor's definitions): with the "typical" sampling variance
/// s² = (k-1) Σw / ((Σw)² - Σw²), w = 1/v, a random-effects model reports I² = 100 τ²/(τ² + s²) and
/// H² = (τ² + s²)/s²; the fixed model reports I² = max(0, 100 (Q - (k-1))/Q) and H² = Q/(k-1).
///
/// τ² CI by the Q-profile method (Viechtbauer 2007; `confint(fit)`): the generalised statistic
/// Q(τ²) = Σ w_i(τ²)(y_i - μ(τ²))² falls from Q(0) = Q towards 0 as τ² grows, and the limits solve
/// Q(τ²) = χ²_(k-1, upper α/2) (lower limit) and Q(τ²) = χ²_(k-1, lower α/2) (upper limit); a limit
/// whose equation has no root at τ² ≥ 0 (Q(0) already below it) is 0. The roots are bracketed (the
/// upper end doubled from max(100, 10 τ̂²) until Q falls below the target) and bisected to adjacent
/// doubles. metafor searches only up to `tau2.max` = max(100, 10 τ̂²) and reports "> tau2.max" beyond
/// it; here the search goes on. The same interval, mapped by τ = √τ², I² and H² above, gives their
/// limits. The interval does not depend on the method; the fixed model reports none.
public enum MetaAnalysis {
    public enum Method: String, Sendable, CaseIterable, Codable {
        case reml, dl, fixed

        /// As the output names it.
        public var description: String {
            switch self {
            case .reml: "random effects, τ² by REML (Fisher scoring)"
            case .dl: "random effects, τ² by DerSimonian-Laird"
            case .fixed: "fixed (equal) effects, inverse-variance weights"
            }
        }
    }

    /// One study: its label, estimate and sampling variance, and where it came from.
    public struct Study: Sendable, Equatable {
        public var label: String
        public var estimate: Double
        public var variance: Double
        public var standardError: Double { variance.squareRoot() }

        public init(label: String, estimate: Double, variance: Double) {
            self.label = label
            self.estimate = estimate
            self.variance = variance
        }
    }

    /// A confidence interval of a heterogeneity measure.
    public struct Interval: Sendable, Equatable {
        public var lower: Double
        public var upper: Double
    }

    public struct Result: Sendable, Equatable {
        public var method: Method
        public var level: Double
        public var studies: [Study]
        public var k: Int { studies.count }
        public var estimate: Double
        public var standardError: Double
        public var z: Double
        public var p: Double
        public var lower: Double
        public var upper: Double
        /// 0 for the fixed model.
        public var tau2: Double
        /// Q-profile limits (random-effects models with k ≥ 2).
        public var tau2Interval: Interval?
        public var tauInterval: Interval?
        /// Heterogeneity: nil with a single study (fixed model).
        public var q: Double?
        public var qDF: Int
        public var qP: Double?
        public var i2: Double?
        public var h2: Double?
        public var i2Interval: Interval?
        public var h2Interval: Interval?
        /// Each study's weight in the pooled estimate, in percent.
        public var weights: [Double]
        /// REML's Fisher-scoring steps; nil for the closed forms.
        public var iterations: Int?
        /// Rows of the data left out (always 0 from ``fit(_:method:level:maxIterations:)``).
        public var nDropped = 0
    }

    /// The threshold on |Δτ²| at which Fisher scoring stops.
    public static let threshold = 1e-12

    /// The meta-analysis of `studies`.
    /// - Throws: ``MetaAnalysisError`` for a non-finite estimate, a variance that is not positive,
    ///   fewer than 2 studies for a random-effects model (1 for the fixed), or REML not converging.
    public static func fit(_ studies: [Study], method: Method, level: Double = 0.95, maxIterations: Int = 100) throws(MetaAnalysisError) -> Result {
        let minimum = method == .fixed ? 1 : 2
        guard studies.count >= minimum else { throw .tooFewStudies(k: studies.count, method: method) }
        for study in studies {
            guard study.estimate.isFinite else { throw .invalid("study '\(study.label)': the estimate \(NumberText.shortest(study.estimate)) is not a finite number") }
            guard study.variance.isFinite, study.variance > 0 else {
                throw .invalid("study '\(study.label)': the sampling variance \(NumberText.shortest(study.variance)) is not a positive number")
            }
        }
        let y = studies.map(\.estimate), v = studies.map(\.variance)
        let k = y.count
        let fixed = pooled(y, v, tau2: 0)
        let q = k > 1 ? fixed.q : nil
        var tau2 = 0.0
        var iterations: Int?
        switch method {
        case .fixed: break
        case .dl:
            let w = v.map { 1 / $0 }
            let sw = sum(w), sw2 = sum(w.map { $0 * $0 })
            tau2 = max(0, (fixed.q - Double(k - 1)) / (sw - sw2 / sw))
        case .reml:
            (tau2, iterations) = try reml(y, v, maxIterations: maxIterations)
        }
        let random = pooled(y, v, tau2: tau2)
        let se = 1 / random.sumWeights.squareRoot()
        let z = random.mean / se
        let zq = Normal.quantile((1 + level) / 2)
        var result = Result(method: method, level: level, studies: studies, estimate: random.mean, standardError: se, z: z, p: Normal.twoSidedP(z),
                            lower: random.mean - zq * se, upper: random.mean + zq * se, tau2: tau2, q: q, qDF: k - 1,
                            qP: q.map { ChiSquare.survival($0, df: Double(k - 1)) }, weights: random.weights.map { 100 * $0 / random.sumWeights },
                            iterations: iterations)
        guard let q else { return result }
        if method == .fixed {
            result.i2 = max(0, 100 * (q - Double(k - 1)) / q)
            result.h2 = q / Double(k - 1)
            return result
        }
        let s2 = typicalVariance(v)
        let i2 = { (t: Double) in 100 * t / (t + s2) }, h2 = { (t: Double) in (t + s2) / s2 }
        result.i2 = i2(tau2)
        result.h2 = h2(tau2)
        let interval = qProfile(y, v, level: level, tau2: tau2)
        result.tau2Interval = interval
        result.tauInterval = Interval(lower: interval.lower.squareRoot(), upper: interval.upper.squareRoot())
        result.i2Interval = Interval(lower: i2(interval.lower), upper: i2(interval.upper))
        result.h2Interval = Interval(lower: h2(interval.lower), upper: h2(interval.upper))
        return result
    }

    /// Sums in index order (the same on every CPU).
    static func sum(_ values: [Double]) -> Double {
        var s = 0.0
        for x in values { s += x }
        return s
    }

    /// s² = (k-1) Σw / ((Σw)² - Σw²), w = 1/v: metafor's typical within-study variance.
    static func typicalVariance(_ v: [Double]) -> Double {
        let w = v.map { 1 / $0 }
        let sw = sum(w), sw2 = sum(w.map { $0 * $0 })
        return Double(v.count - 1) * sw / (sw * sw - sw2)
    }

    /// The inverse-variance mean at `tau2`, its weights and the generalised Q(τ²) = Σ w (y - μ)².
    static func pooled(_ y: [Double], _ v: [Double], tau2: Double) -> (mean: Double, weights: [Double], sumWeights: Double, q: Double) {
        let w = v.map { 1 / ($0 + tau2) }
        var sw = 0.0, swy = 0.0
        for i in y.indices {
            sw += w[i]
            swy += w[i] * y[i]
        }
        let mean = swy / sw
        var q = 0.0
        for i in y.indices { q += w[i] * (y[i] - mean) * (y[i] - mean) }
        return (mean, w, sw, q)
    }

    /// The restricted log-likelihood at τ² (for the check at 0, as metafor's `ll0check`).
    static func restrictedLogLikelihood(_ y: [Double], _ v: [Double], tau2: Double) -> Double {
        let fit = pooled(y, v, tau2: tau2)
        var logs = 0.0
        for x in v { logs += log(x + tau2) }
        return -0.5 * Double(y.count - 1) * log(2 * Double.pi) - 0.5 * logs - 0.5 * log(fit.sumWeights) - 0.5 * fit.q
    }

    /// REML τ² by metafor's Fisher scoring (see ``MetaAnalysis``).
    static func reml(_ y: [Double], _ v: [Double], maxIterations: Int) throws(MetaAnalysisError) -> (tau2: Double, iterations: Int) {
        let k = Double(y.count)
        let mean = sum(y) / k
        var ss = 0.0
        for x in y { ss += (x - mean) * (x - mean) }
        var tau2 = max(0, ss / (k - 1) - sum(v) / k)   // Hedges' estimate, metafor's start
        var iterations = 0
        while true {
            let fit = pooled(y, v, tau2: tau2)
            var sw2 = 0.0, sw3 = 0.0, ypp = 0.0
            for i in y.indices {
                let w = fit.weights[i], r = y[i] - fit.mean
                sw2 += w * w
                sw3 += w * w * w
                ypp += w * w * r * r
            }
            let sw = fit.sumWeights
            let trP = sw - sw2 / sw
            let trPP = sw2 - 2 * sw3 / sw + (sw2 / sw) * (sw2 / sw)
            var step = (ypp - trP) / trPP
            if step.isNaN { step = 0 }
            while tau2 + step < 0 { step /= 2 }
            let next = tau2 + step
            let change = abs(next - tau2)
            tau2 = next
            iterations += 1
            if change <= threshold { break }
            if iterations >= maxIterations {
                throw .notConverged("REML (Fisher scoring) did not converge in \(maxIterations) iterations (τ² = \(NumberText.shortest(tau2)), last change \(NumberText.shortest(change))); raise {max_iterations} or use {method=dl}")
            }
        }
        if tau2 > threshold, restrictedLogLikelihood(y, v, tau2: 0) - restrictedLogLikelihood(y, v, tau2: tau2) > 1.220703125e-4 {
            tau2 = 0   // metafor: "may have gotten stuck at a local maximum. Setting tau^2 = 0."
        }
        return (tau2, iterations)
    }

    /// The Q-profile interval of τ² (see ``MetaAnalysis``).
    static func qProfile(_ y: [Double], _ v: [Double], level: Double, tau2: Double) -> Interval {
        let df = Double(y.count - 1), alpha = 1 - level
        let q0 = pooled(y, v, tau2: 0).q
        let upperTarget = ChiSquare.quantile(alpha / 2, df: df, upperTail: true)
        let lowerTarget = ChiSquare.quantile(alpha / 2, df: df)
        func root(_ target: Double) -> Double {
            if q0 <= target { return 0 }
            var lo = 0.0, hi = max(100, 10 * tau2)
            while pooled(y, v, tau2: hi).q > target, hi < .greatestFiniteMagnitude / 4 { lo = hi; hi *= 2 }
            while true {
                let mid = lo + (hi - lo) / 2
                if mid <= lo || mid >= hi { return pooled(y, v, tau2: lo).q - target < target - pooled(y, v, tau2: hi).q ? lo : hi }
                if pooled(y, v, tau2: mid).q > target { lo = mid } else { hi = mid }
            }
        }
        return Interval(lower: root(upperTarget), upper: root(lowerTarget))
    }
}

/// Why a meta-analysis cannot be computed. Options are written `{method=dl}` (request field names).
public enum MetaAnalysisError: Error, Equatable, CustomStringConvertible {
    /// A value that breaks a rule (non-finite estimate, variance not positive), with where it is.
    case invalid(String)
    case tooFewStudies(k: Int, method: MetaAnalysis.Method)
    case notConverged(String)

    public var description: String {
        switch self {
        case .invalid(let message), .notConverged(let message): message
        case .tooFewStudies(let k, let method):
            method == .fixed
                ? "there are no studies to pool"
                : "a random-effects meta-analysis needs at least 2 studies (τ² is not estimable from \(k)); use {method=fixed}"
        }
    }
}

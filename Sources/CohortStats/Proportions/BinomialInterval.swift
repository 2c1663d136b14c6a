#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Two-sided confidence intervals for a binomial proportion p from x events in n trials.
///
/// Notation: α = 1 - level, z = the upper α/2 normal quantile, p̂ = x/n. Formulas, references and
/// coverage are in the article <doc:ProportionIntervals>. At x = 0 the lower limit is exactly 0 and
/// at x = n the upper limit is exactly 1 for every method (each method's own formula gives that
/// boundary, or would give it but for rounding or clipping).
public enum BinomialInterval {
    public enum Method: String, CaseIterable, Sendable {
        case clopperPearson, wilson, jeffreys, agrestiCoull

        /// Name for printed output.
        public var displayName: String {
            switch self {
            case .clopperPearson: return "Clopper-Pearson exact"
            case .wilson: return "Wilson score"
            case .jeffreys: return "Jeffreys"
            case .agrestiCoull: return "Agresti-Coull"
            }
        }
    }

    /// The estimate and interval; Clopper-Pearson unless another `method` is asked for.
    public static func estimate(events x: Int, n: Int, level: Double = 0.95,
                                method: Method = .clopperPearson) throws -> ProportionEstimate {
        guard n > 0 else { throw ProportionError.noTrials }
        guard x >= 0 && x <= n else { throw ProportionError.eventsOutOfRange(events: x, n: n) }
        guard level > 0 && level < 1 else { throw ProportionError.invalidLevel(level) }
        let halfAlpha = (1 - level) / 2
        let (lower, upper): (Double, Double)
        switch method {
        case .clopperPearson: (lower, upper) = clopperPearson(x, n, halfAlpha)
        case .wilson: (lower, upper) = wilson(x, n, halfAlpha)
        case .jeffreys: (lower, upper) = jeffreys(x, n, halfAlpha)
        case .agrestiCoull: (lower, upper) = agrestiCoull(x, n, halfAlpha)
        }
        return ProportionEstimate(events: x, n: n, proportion: Double(x) / Double(n), lower: lower, upper: upper,
                                  level: level, method: method)
    }

    /// Exact limits: the p at which P(X >= x | p) = α/2 and P(X <= x | p) = α/2. Through
    /// P(X >= x | p) = I_p(x, n-x+1) these are beta quantiles,
    /// ```
    /// lower = B⁻¹(α/2; x, n-x+1)      (0 when x = 0)
    /// upper = B⁻¹(1-α/2; x+1, n-x)    (1 when x = n)
    /// ```
    /// The upper limit is taken as the upper-tail α/2 quantile, not the lower-tail 1 - α/2 one, so
    /// that α/2 is never rounded by a subtraction.
    static func clopperPearson(_ x: Int, _ n: Int, _ halfAlpha: Double) -> (Double, Double) {
        let k = Double(x), m = Double(n)
        let lower = x == 0 ? 0 : BetaDistribution.quantile(halfAlpha, a: k, b: m - k + 1)
        let upper = x == n ? 1 : BetaDistribution.quantile(halfAlpha, a: k + 1, b: m - k, upperTail: true)
        return (lower, upper)
    }

    /// Score interval: the p with |p̂ - p| = z sqrt(p(1-p)/n),
    /// ```
    /// upper = (2x + z² + z s) / (2(n + z²)),      s = sqrt(z² + 4x(n-x)/n)
    /// lower = (2x + z² - z s) / (2(n + z²)) = 2x² / (n (2x + z² + z s))
    /// ```
    /// The second form of the lower limit (the product of the roots) has no cancellation, so it is
    /// accurate when x is small relative to n, and is exactly 0 at x = 0. The upper limit at x = n is
    /// mathematically 1 and is set so.
    static func wilson(_ x: Int, _ n: Int, _ halfAlpha: Double) -> (Double, Double) {
        let k = Double(x), m = Double(n)
        let z = Normal.quantile(halfAlpha, upperTail: true), z2 = z * z
        let s = (z2 + 4 * k * (m - k) / m).squareRoot()
        let sum = 2 * k + z2 + z * s
        let lower = 2 * k * k / (m * sum)
        // All terms positive: no cancellation; the min only guards against a last-bit overshoot.
        let upper = x == n ? 1 : min(1, sum / (2 * (m + z2)))
        return (lower, upper)
    }

    /// Equal-tailed interval from the Jeffreys prior Beta(½, ½): the posterior quantiles
    /// ```
    /// lower = B⁻¹(α/2; x+½, n-x+½),   upper = B⁻¹(1-α/2; x+½, n-x+½)
    /// ```
    /// with Brown, Cai & DasGupta's (2001) modification: lower = 0 when x = 0, upper = 1 when x = n.
    static func jeffreys(_ x: Int, _ n: Int, _ halfAlpha: Double) -> (Double, Double) {
        let a = Double(x) + 0.5, b = Double(n - x) + 0.5
        let lower = x == 0 ? 0 : BetaDistribution.quantile(halfAlpha, a: a, b: b)
        let upper = x == n ? 1 : BetaDistribution.quantile(halfAlpha, a: a, b: b, upperTail: true)
        return (lower, upper)
    }

    /// Agresti & Coull (1998), z² form of Brown, Cai & DasGupta (2001):
    /// ```
    /// ñ = n + z²,  p̃ = (x + z²/2)/ñ,   p̃ ∓ z sqrt(p̃(1-p̃)/ñ),  clipped to [0, 1]
    /// ```
    /// At x = 0 the unclipped lower limit is negative and at x = n the upper exceeds 1; both are
    /// clipped, which is what the boundary convention asks.
    static func agrestiCoull(_ x: Int, _ n: Int, _ halfAlpha: Double) -> (Double, Double) {
        let z = Normal.quantile(halfAlpha, upperTail: true), z2 = z * z
        let nTilde = Double(n) + z2
        let pTilde = (Double(x) + z2 / 2) / nTilde
        let half = z * (pTilde * (1 - pTilde) / nTilde).squareRoot()
        let lower = x == 0 ? 0 : max(0, pTilde - half)
        let upper = x == n ? 1 : min(1, pTilde + half)
        return (lower, upper)
    }
}

/// A binomial proportion x/n with a two-sided confidence interval, as returned by
/// ``BinomialInterval/estimate(events:n:level:method:)``.
public struct ProportionEstimate: Equatable, Sendable, CustomStringConvertible {
    /// Number of events x (0 <= x <= n).
    public let events: Int
    /// Number of trials n (> 0).
    public let n: Int
    /// The sample proportion x/n (the point estimate for every method; Agresti-Coull's centre
    /// (x + z²/2)/(n + z²) is used only to build its interval).
    public let proportion: Double
    /// Lower and upper confidence limits, always within [0, 1] and never NaN.
    public let lower: Double
    public let upper: Double
    /// Confidence level, e.g. 0.95.
    public let level: Double
    public let method: BinomialInterval.Method

    public var description: String {
        "\(events)/\(n) = \(proportion), \(level * 100)% CI \(lower) to \(upper) (\(method.displayName))"
    }
}

/// Why a proportion interval could not be computed.
public enum ProportionError: Error, Equatable, CustomStringConvertible {
    /// n = 0: there is no proportion to estimate.
    case noTrials
    /// x < 0 or x > n.
    case eventsOutOfRange(events: Int, n: Int)
    /// The level is not strictly between 0 and 1.
    case invalidLevel(Double)

    public var description: String {
        switch self {
        case .noTrials:
            return "a proportion needs at least one trial (n = 0)"
        case .eventsOutOfRange(let events, let n):
            return "events must be between 0 and n: got \(events) events in \(n) trials"
        case .invalidLevel(let level):
            return "confidence level must be strictly between 0 and 1, got \(level)"
        }
    }
}

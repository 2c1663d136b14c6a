#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Building blocks shared by the incomplete gamma and beta functions: pieces of log Γ whose naive
/// evaluation would subtract numbers of size a·log a and lose up to log10(a) digits.
enum SpecialFunctions {
    /// log(1 + e) - e, accurate to a few ulp relative for every e > -1.
    ///
    /// ```
    /// |e| <= 1/2:  w = e / (2 + e)  (so log(1+e) = 2 atanh w)
    ///              log(1+e) - e = -e²/(2+e) + 2 Σ_{k>=1} w^(2k+1) / (2k+1)
    /// otherwise:   log1p(e) - e (no cancellation: the two terms differ by a large factor)
    /// ```
    /// The naive `log1p(e) - e` cancels to about -e²/2 and keeps only |e|·2^52 of its bits, which
    /// would cost the incomplete-function prefactors their accuracy near the centre of large-
    /// parameter distributions. With |w| <= 1/3 the series needs at most 16 terms.
    static func log1pMinusX(_ e: Double) -> Double {
        if abs(e) > 0.5 { return log1p(e) - e }
        let w = e / (2 + e), w2 = w * w
        var power = w * w2, sum = 0.0
        var k = 3.0
        while true {
            let term = power / k
            sum += term
            if abs(term) <= abs(sum) * 1e-17 || power == 0 { break }
            power *= w2
            k += 2
        }
        return -e * e / (2 + e) + 2 * sum
    }

    /// δ(z) = log Γ(z) - [(z - 1/2) log z - z + log(2π)/2], the Stirling remainder, for z >= 10.
    ///
    /// ```
    /// δ(z) = 1/(12z) - 1/(360z³) + 1/(1260z⁵) - 1/(1680z⁷) + 1/(1188z⁹) - 691/(360360z¹¹) + 1/(156z¹³)
    /// ```
    /// (Abramowitz & Stegun 6.1.40.) At z = 10 the first omitted term is 3e-17, below δ's ulp.
    static func stirlingRemainder(_ z: Double) -> Double {
        let r = 1 / z, r2 = r * r
        let series = 1.0 / 12 + r2 * (-1.0 / 360 + r2 * (1.0 / 1260 + r2 * (-1.0 / 1680
            + r2 * (1.0 / 1188 + r2 * (-691.0 / 360_360 + r2 * (1.0 / 156))))))
        return series * r
    }

    /// Parameters at or above this use Stirling's form with `stirlingRemainder` instead of `lgamma`.
    static let stirlingThreshold = 10.0

    /// log(2π) / 2.
    static let halfLogTwoPi = 0.918_938_533_204_672_741_78

    /// log x for x in (0, 1] given x and y = 1 - x, each accurate relative to itself: through
    /// log1p(-y) when x is near 1, where log(x) would inherit x's absolute rounding error (which a
    /// large exponent b multiplies).
    static func logOfComplementPair(_ x: Double, other y: Double) -> Double {
        x < 0.5 ? log(x) : log1p(-y)
    }
}

/// Inverts a monotone tail probability T(u) = target: the engine of every quantile function here.
///
/// Newton's method on log T rather than on T,
/// ```
/// u ← u - (log T(u) - log target) · T(u) / T'(u)
/// ```
/// because in the tails T behaves like a power or an exponential of u, where log T is nearly linear
/// and plain Newton would overshoot by orders of magnitude. Every evaluation also narrows a bracket
/// [lo, hi] that is known to hold the root; a step that would leave it is replaced by bisection
/// (geometric when the bracket spans more than a factor 8, so a root at 1e-300 is reached in a few
/// dozen halvings of the exponent), which keeps the iteration convergent from any start.
enum TailRootFinder {
    /// - Parameters:
    ///   - target: the tail probability wanted, in (0, 1].
    ///   - start: the initial guess; replaced by a bisection point if it is outside (lower, upper).
    ///   - increasing: whether T increases with u.
    ///   - evaluate: T(u) and log |T'(u)|.
    static func solve(target: Double, start: Double, lower: Double, upper: Double, increasing: Bool,
                      evaluate: (Double) -> (tail: Double, logSlope: Double)) -> Double {
        var lo = lower, hi = upper
        var u = (start > lo && start < hi) ? start : split(lo, hi)
        let logTarget = log(target)
        for _ in 0..<400 {
            let (tail, logSlope) = evaluate(u)
            if tail == target { return u }
            if (tail > target) == increasing { hi = u } else { lo = u }
            var next = Double.nan
            if tail > 0 && logSlope.isFinite {
                let step = (log(tail) - logTarget) * exp(log(tail) - logSlope)
                next = increasing ? u - step : u + step
            }
            if !(next > lo && next < hi) { next = split(lo, hi) }
            // A Newton step this small means u was already this close; the one just taken squares
            // the error, so `next` is accurate to rounding.
            if abs(next - u) <= 1e-13 * abs(u) { return next }
            if next == lo || next == hi { return next }
            u = next
        }
        return u
    }

    /// A point strictly inside (lo, hi): arithmetic or geometric midpoint, or a step away from an
    /// open end (0 or +∞).
    private static func split(_ lo: Double, _ hi: Double) -> Double {
        if hi.isInfinite { return lo <= 0 ? 1 : lo * 2 }
        if lo <= 0 { return hi / 1024 }
        if hi / lo > 8 { return lo.squareRoot() * hi.squareRoot() }
        return lo + (hi - lo) / 2
    }
}

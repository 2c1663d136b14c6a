#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

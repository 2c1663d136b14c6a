#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The beta distribution Beta(a, b) on (0, 1): P(X <= x) = I_x(a, b).
public enum BetaDistribution {
    /// P(X <= x) = I_x(a, b) (see ``IncompleteBeta``).
    public static func cdf(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return a > 0 && b > 0 ? 0 : .nan }
        if x >= 1 { return a > 0 && b > 0 ? 1 : .nan }
        return IncompleteBeta.regularized(x: x, a: a, b: b).lower
    }

    /// P(X > x) = 1 - I_x(a, b), without the subtraction.
    public static func survival(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return a > 0 && b > 0 ? 1 : .nan }
        if x >= 1 { return a > 0 && b > 0 ? 0 : .nan }
        return IncompleteBeta.regularized(x: x, a: a, b: b).upper
    }

    /// The x with P(X <= x) = p, or with P(X > x) = p when `upperTail` is true.
    ///
    /// Method: the Cran, Martin & Thomas starting value (Applied Statistics algorithm AS 109, 1977:
    /// a normal approximation for a, b > 1, otherwise a chi-square or power-law one), then
    /// ``TailRootFinder`` (Newton on the log of the smaller tail, bisection safeguard). The iteration
    /// runs on whichever of x and 1 - x is below 1/2, so an answer near 1 (such as 1 - 1e-16)
    /// keeps its relative accuracy in 1 - x, and the smaller tail is matched so that a target of
    /// 1e-300 is matched relatively, not absolutely.
    /// Accuracy against R 4.2.2 `qbeta` on the tested grid: see `SpecialFunctionReferenceTests`.
    public static func quantile(_ p: Double, a: Double, b: Double, upperTail: Bool = false) -> Double {
        quantilePair(p, a: a, b: b, upperTail: upperTail).x
    }

    /// The quantile x together with 1 - x, each accurate relative to itself.
    static func quantilePair(_ p: Double, a: Double, b: Double, upperTail: Bool) -> (x: Double, y: Double) {
        if p.isNaN || a.isNaN || b.isNaN || !(a > 0) || !(b > 0) || p < 0 || p > 1 { return (.nan, .nan) }
        let lowerP = upperTail ? 1 - p : p
        if (p == 0 && !upperTail) || (p == 1 && upperTail) { return (0, 1) }
        if (p == 1 && !upperTail) || (p == 0 && upperTail) { return (1, 0) }
        // Match the smaller tail: it is the one given exactly (1 - p loses nothing for p >= 1/2).
        let matchLower: Bool, target: Double
        if upperTail { matchLower = p > 0.5; target = matchLower ? 1 - p : p } else { matchLower = p <= 0.5; target = matchLower ? p : 1 - p }
        let guess = startingValue(lowerP: lowerP, upperP: upperTail ? p : 1 - p, a: a, b: b)
        let iterateOnX = guess <= 0.5
        let solution = TailRootFinder.solve(target: target, start: iterateOnX ? guess : 1 - guess, lower: 0, upper: 1,
                                            increasing: matchLower == iterateOnX) { u in
            let x = iterateOnX ? u : 1 - u, y = iterateOnX ? 1 - u : u
            let pair = IncompleteBeta.regularized(x: x, y: y, a: a, b: b)
            return (matchLower ? pair.lower : pair.upper, IncompleteBeta.logDensity(x: x, y: y, a: a, b: b))
        }
        return iterateOnX ? (solution, 1 - solution) : (1 - solution, solution)
    }

    /// AS 109's initial approximation, mirrored through I_x(a, b) = 1 - I_{1-x}(b, a) so that its
    /// formulas always see a lower tail below 1/2. Clamped into the open interval.
    private static func startingValue(lowerP: Double, upperP: Double, a: Double, b: Double) -> Double {
        let x: Double
        if lowerP > 0.5 { x = 1 - tailStart(p: upperP, a: b, b: a) } else { x = tailStart(p: lowerP, a: a, b: b) }
        return min(max(x, Double.leastNormalMagnitude), 1 - Double.ulpOfOne / 2)
    }

    private static func tailStart(p: Double, a: Double, b: Double) -> Double {
        let y = -Normal.quantile(p)   // upper normal quantile of p, >= 0 here
        let logBeta = lgamma(a) + lgamma(b) - lgamma(a + b)
        if a > 1 && b > 1 {
            let r = (y * y - 3) / 6, s = 1 / (2 * a - 1), t = 1 / (2 * b - 1), h = 2 / (s + t)
            let w = y * (h + r).squareRoot() / h - (t - s) * (r + 5.0 / 6 - 2 / (3 * h))
            return a / (a + b * exp(2 * w))
        }
        let r = 2 * b
        var t = 1 / (9 * b)
        t = r * pow(1 - t + y * t.squareRoot(), 3)
        if t <= 0 { return 1 - exp((log1p(-p) + log(b) + logBeta) / b) }
        t = (4 * a + r - 2) / t
        if t <= 1 { return exp((log(p) + log(a) + logBeta) / a) }
        return 1 - 2 / (t + 1)
    }
}

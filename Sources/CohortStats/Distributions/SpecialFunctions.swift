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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The chi-square distribution with `df` degrees of freedom.
public enum ChiSquare {
    /// Upper tail P(X > x) = Q(df/2, x/2), the regularised upper incomplete gamma function.
    ///
    /// One degree of freedom goes through `erfc(sqrt(x/2))`, exact to rounding in both tails.
    public static func survival(_ x: Double, df: Double) -> Double {
        if x.isNaN || df.isNaN || df <= 0 { return .nan }
        if x <= 0 { return 1 }
        if df == 1 { return erfc((x / 2).squareRoot()) }
        return IncompleteGamma.upperRegularized(a: df / 2, x: x / 2)
    }

    /// The p-quantile for one degree of freedom: the square of the normal (1+p)/2 quantile.
    public static func quantileOneDF(_ p: Double) -> Double {
        let z = Normal.quantile((1 + p) / 2)
        return z * z
    }
}

/// Regularised incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x).
///
/// ```
/// x < a + 1:  P = x^a e^-x / Γ(a+1) · Σ_k x^k / ((a+1)...(a+k))        (series)
/// otherwise:  Q = x^a e^-x / Γ(a) · 1/(x+1-a- 1·(1-a)/(x+3-a- ...))    (continued fraction, modified Lentz)
/// ```
/// Each is evaluated where it converges fast and the other obtained by subtraction only where the
/// result is not small, so neither tail loses relative accuracy to cancellation.
public enum IncompleteGamma {
    public static func upperRegularized(a: Double, x: Double) -> Double {
        if x <= 0 { return 1 }
        if x < a + 1 { return 1 - lowerSeries(a: a, x: x) }
        return upperContinuedFraction(a: a, x: x)
    }

    public static func lowerRegularized(a: Double, x: Double) -> Double {
        if x <= 0 { return 0 }
        if x < a + 1 { return lowerSeries(a: a, x: x) }
        return 1 - upperContinuedFraction(a: a, x: x)
    }

    /// log(x^a e^-x / Γ(a)).
    ///
    /// ```
    /// a >= 10:  a·(log(1+e) - e) + ½ log a - ½ log 2π - δ(a),   e = (x - a)/a
    /// a < 10:   a log x - x - lgamma(a)
    /// ```
    /// For large a the direct form subtracts terms of size a·log a (1e-10 relative error at
    /// a = 5e5, the chi-square with 1e6 df); Stirling's form with the centre a taken out leaves only
    /// the non-positive term a·(log(1+e) - e), which cannot cancel. δ is the Stirling remainder.
    static func logPrefactor(a: Double, x: Double) -> Double {
        guard a >= SpecialFunctions.stirlingThreshold else { return a * log(x) - x - lgamma(a) }
        let e = (x - a) / a
        let centred = abs(e) <= 0.5 ? SpecialFunctions.log1pMinusX(e) : (log(x) - log(a)) - e
        return a * centred + 0.5 * log(a) - SpecialFunctions.halfLogTwoPi - SpecialFunctions.stirlingRemainder(a)
    }

    private static func lowerSeries(a: Double, x: Double) -> Double {
        var term = 1 / a, sum = term, ap = a
        for _ in 0..<100_000 {
            ap += 1
            term *= x / ap
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return min(1, sum * exp(logPrefactor(a: a, x: x)))
    }

    private static func upperContinuedFraction(a: Double, x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < tiny { d = tiny }
            c = b + an / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-17 { break }
        }
        return min(1, exp(logPrefactor(a: a, x: x)) * h)
    }
}

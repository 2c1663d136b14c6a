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

extension ChiSquare {
    /// P(X <= x) = P(df/2, x/2), the regularised lower incomplete gamma function; one degree of
    /// freedom through `erf(sqrt(x/2))`, which keeps relative accuracy for small x.
    public static func cdf(_ x: Double, df: Double) -> Double {
        if x.isNaN || df.isNaN || df <= 0 { return .nan }
        if x <= 0 { return 0 }
        if df == 1 { return erf((x / 2).squareRoot()) }
        return IncompleteGamma.lowerRegularized(a: df / 2, x: x / 2)
    }

    /// The x with P(X <= x) = p, or P(X > x) = p when `upperTail` is true.
    ///
    /// Start: Wilson & Hilferty's cube-root normal approximation (Biometrika 1931: (X/ν)^(1/3) is
    /// nearly normal with mean 1 - 2/(9ν) and variance 2/(9ν)); where that is non-positive or the lower
    /// tail is tiny, the leading series term P(a, x/2) ≈ (x/2)^a / Γ(a+1) solved for x. Then
    /// ``TailRootFinder``: Newton on the log of whichever tail is below 1/2 (so a target of 1e-300 in
    /// either tail is met relatively), with a bisection safeguard on (0, ∞).
    /// Accuracy against R 4.2.2 `qchisq` on the tested grid: see `SpecialFunctionReferenceTests`.
    public static func quantile(_ p: Double, df: Double, upperTail: Bool = false) -> Double {
        if p.isNaN || df.isNaN || !(df > 0) || p < 0 || p > 1 { return .nan }
        let lowerP = upperTail ? 1 - p : p, upperP = upperTail ? p : 1 - p
        if (upperTail ? p == 1 : p == 0) { return 0 }
        if (upperTail ? p == 0 : p == 1) { return .infinity }
        let matchLower = upperTail ? p > 0.5 : p <= 0.5
        let target = matchLower ? lowerP : upperP
        let a = df / 2
        let z = matchLower ? Normal.quantile(lowerP) : -Normal.quantile(upperP)
        let c = 2 / (9 * df)
        let cube = 1 - c + z * c.squareRoot()
        var start = df * cube * cube * cube
        // Lower tail: the series' leading term, (x/2)^a/Γ(a+1) = p, is right as x → 0 and never
        // below the root by much, so it is the safer start whenever Wilson-Hilferty collapses.
        let powerStart = 2 * exp((log(lowerP) + lgamma(a + 1)) / a)
        if !(start > 0) || (matchLower && powerStart < start) { start = powerStart }
        return TailRootFinder.solve(target: target, start: start, lower: 0, upper: .infinity, increasing: matchLower) { x in
            let tail = matchLower ? cdf(x, df: df) : survival(x, df: df)
            // d/dx P(a, x/2) = (x/2)^(a-1) e^(-x/2) / (2Γ(a)) = prefactor(a, x/2) / x
            return (tail, IncompleteGamma.logPrefactor(a: a, x: x / 2) - log(x))
        }
    }
}

extension Normal {
    /// The z with P(Z <= z) = p, or P(Z > z) = p when `upperTail` is true: the upper quantile is
    /// -quantile(p) by symmetry, which stays accurate for p down to the smallest normal double
    /// (`1 - p` would round every p below 1e-17 to 1).
    public static func quantile(_ p: Double, upperTail: Bool) -> Double {
        upperTail ? -quantile(p) : quantile(p)
    }
}

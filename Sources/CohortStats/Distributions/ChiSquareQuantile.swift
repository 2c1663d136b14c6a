#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// Sample quantiles by R's default definition (Hyndman & Fan 1996, type 7).
///
/// For sorted values x₁ ≤ … ≤ xₙ and probability p, with h = (n − 1)p:
/// ```
/// Q(p) = x_{⌊h⌋+1} + (h − ⌊h⌋)(x_{⌊h⌋+2} − x_{⌊h⌋+1})
/// ```
/// the linear interpolation between the order statistics that R's `quantile()`, numpy's default
/// and Excel's `PERCENTILE.INC` use, so a median [IQR] matches what a reader gets from those.
public enum Quantiles {
    /// The type-7 quantile of `sorted` (ascending, no NaN) at `p` in [0, 1]; nil for no values.
    public static func type7(sorted: [Double], p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        return type7(count: sorted.count, p: p) { sorted[$0] }
    }

    /// The type-7 quantile at `p` of `count` values (at least one) known only by their order
    /// statistics: `value(k)` is the (k+1)-th smallest. Only the two ``type7Positions(count:p:)``
    /// names are asked for, so a database can send those values instead of the column (issue 17).
    public static func type7(count: Int, p: Double, value: (Int) -> Double) -> Double {
        precondition(count > 0 && (0...1).contains(p), "a probability is between 0 and 1, and there are values")
        // R's arithmetic step for step: the 1-based index 1 + (n − 1)p, its floor, and the fraction
        // index − floor (which differs in the last bit from the fraction of (n − 1)p), so the result
        // agrees with R's to the last digit.
        let index = 1 + Double(count - 1) * p
        let lowerIndex = index.rounded(.down)
        let lower = Int(lowerIndex) - 1
        let fraction = index - lowerIndex
        guard lower + 1 < count, fraction > 0, value(lower + 1) != value(lower) else { return value(lower) }
        // (1 − f)x + fy, and x itself when x == y, as R's quantile.default computes it.
        return (1 - fraction) * value(lower) + fraction * value(lower + 1)
    }

    /// The 0-based order statistics ``type7(count:p:value:)`` may read: ⌊(n − 1)p⌋ and the next.
    public static func type7Positions(count: Int, p: Double) -> [Int] {
        let lower = Int((1 + Double(count - 1) * p).rounded(.down)) - 1
        return lower + 1 < count ? [lower, lower + 1] : [lower]
    }
}

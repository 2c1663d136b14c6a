import Foundation

/// Tail probabilities of Spearman's S = Σ d_i² = (n³ − n)(1 − ρ)/6 under independence, as R's
/// `cor.test` obtains them: algorithm AS 89 (Best & Roberts 1975, Appl. Statist. 24:377–379) in
/// R's version (`prho`): exact for n ≤ 9, an Edgeworth series for larger n.
///
/// - n ≤ 9: the distribution of S over all n! permutations, counted (R enumerates them too).
/// - n ≥ 10: Edgeworth series with the AS 89 coefficients c1…c12,
///   ```
///   x = (6(s − 1) / (n(n² − 1)) − 1) √(n − 1)
///   u = x b (c1 + b(c2 + c3 b) + x²(−c4 + b(c5 + c6 b) − x² b(c7 + c8 b − x²(c9 − c10 b + x² b(c11 − c12 x²)))))
///   P(S ≥ s) ≈ u e^{−x²/2} + Φ̄(x),  P(S < s) ≈ −u e^{−x²/2} + Φ(x),   b = 1/n, clamped to [0, 1]
///   ```
///   This is an approximation (R still calls this branch "exact"); for n > 1290 R uses the t
///   approximation instead, see ``SpearmanCorrelation``.
enum SpearmanDistribution {
    /// P(S ≥ s) (`lowerTail` false) or P(S < s) (`lowerTail` true), R's `prho(n, s, lower_tail)`.
    static func prho(n: Int, s: Double, lowerTail: Bool) -> Double {
        let nd = Double(n)
        if s <= 0 { return lowerTail ? 0 : 1 }
        if s > nd * (nd * nd - 1) / 3 { return lowerTail ? 1 : 0 }
        if n <= 9 {
            let counts = exactCounts(n: n)
            var atLeast = 0.0, total = 0.0
            for (value, count) in counts.enumerated() {
                total += count
                if Double(value) >= s { atLeast += count }
            }
            return (lowerTail ? total - atLeast : atLeast) / total
        }
        let coefficients = (c1: 0.2274, c2: 0.2531, c3: 0.1745, c4: 0.0758, c5: 0.1033, c6: 0.3932,
                            c7: 0.0879, c8: 0.0151, c9: 0.0072, c10: 0.0831, c11: 0.0131, c12: 4.6e-4)
        let c = coefficients
        let b = 1 / nd
        let x = (6 * (s - 1) * b / (nd * nd - 1) - 1) * (nd - 1).squareRoot()
        let x2 = x * x
        let inner = c.c9 - c.c10 * b + x2 * b * (c.c11 - c.c12 * x2)
        let u = x * b * (c.c1 + b * (c.c2 + c.c3 * b) + x2 * (-c.c4 + b * (c.c5 + c.c6 * b) - x2 * b * (c.c7 + c.c8 * b - x2 * inner)))
        let correction = u / exp(x2 / 2)
        let p = lowerTail ? -correction + Normal.cdf(x) : correction + Normal.survival(x)
        return max(0, min(1, p))
    }

    /// counts[s] = number of permutations π of 1…n with Σ (i − π_i)² = s, for n ≤ 9 (9! = 362 880
    /// permutations, enumerated depth-first with the running sum).
    static func exactCounts(n: Int) -> [Double] {
        let maxS = n * (n * n - 1) / 3
        var counts = [Double](repeating: 0, count: maxS + 1)
        var used = [Bool](repeating: false, count: n + 1)
        func place(_ position: Int, _ sum: Int) {
            if position > n {
                counts[sum] += 1
                return
            }
            for value in 1...n where !used[value] {
                used[value] = true
                place(position + 1, sum + (position - value) * (position - value))
                used[value] = false
            }
        }
        place(1, 0)
        return counts
    }
}

/// The exact null distribution of the Wilcoxon–Mann–Whitney statistic W for samples of sizes m and
/// n without ties (R's `dwilcox` / `pwilcox`).
///
/// Under H0 every choice of which m of the N = m + n ranks belong to x is equally likely, so
/// ```
/// P(W = w) = c(w; m, n) / C(N, m),   W = Σ ranks of x − m(m + 1)/2 ∈ {0, …, mn}
/// ```
/// where c(w; m, n) counts the m-subsets of {1, …, N} whose rank sum is w + m(m + 1)/2. The counts
/// come from the subset-sum recursion over ranks (each rank in or out), kept as Double: for
/// m, n < 50 they are below C(98, 49) ≈ 2.5e28 and every count is a sum of positive terms, so the
/// relative error stays at a few ulps. Tails are summed directly (never 1 − the other tail), so
/// a small P keeps its relative accuracy.
///
/// Reference: Mann & Whitney (1947), Ann. Math. Statist. 18:50–60; Hollander & Wolfe (1999),
/// Nonparametric Statistical Methods, §4.1.
struct RankSumDistribution {
    let m: Int
    let n: Int
    /// counts[w] = c(w; m, n), w = 0 ... mn.
    private let counts: [Double]
    private let total: Double

    init(m: Int, n: Int) {
        self.m = m
        self.n = n
        let big = m + n
        // ways[j][s]: subsets of size j of the ranks seen so far with rank sum s (s ≤ the largest sum).
        let maxSum = m * (2 * big - m + 1) / 2
        var ways = [[Double]](repeating: [Double](repeating: 0, count: maxSum + 1), count: m + 1)
        ways[0][0] = 1
        for rank in 1...big {
            for j in stride(from: min(rank, m), through: 1, by: -1) {
                for s in stride(from: maxSum, through: rank, by: -1) where ways[j - 1][s - rank] != 0 {
                    ways[j][s] += ways[j - 1][s - rank]
                }
            }
        }
        let offset = m * (m + 1) / 2
        counts = (0...(m * n)).map { ways[m][$0 + offset] }
        total = counts.reduce(0, +)
    }

    /// P(W ≤ w).
    func lowerTail(_ w: Int) -> Double {
        if w < 0 { return 0 }
        if w >= m * n { return 1 }
        return counts[0...w].reduce(0, +) / total
    }

    /// P(W ≥ w).
    func upperTail(_ w: Int) -> Double {
        if w <= 0 { return 1 }
        if w > m * n { return 0 }
        return counts[w...].reduce(0, +) / total
    }
}

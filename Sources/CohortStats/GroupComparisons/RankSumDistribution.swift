/// The exact null distribution of the Wilcoxon–Mann–Whitney statistic W for samples of sizes m and
/// n without ties (R's `dwilcox` / `pwilcox`).
///
/// Under H0 every choice of which m of the N = m + n ranks belong to x is equally likely, so
/// ```
/// P(W = w) = c(w; m, n) / C(N, m),   W = #{(i, j): x_i > y_j} ∈ {0, …, mn}
/// ```
/// The counts satisfy the lattice recursion on whether the largest observation is an x (which
/// then exceeds all n y's) or a y:
/// ```
/// c(w; i, j) = c(w − j; i − 1, j) + c(w; i, j − 1),    c(0; i, 0) = c(0; 0, j) = 1
/// ```
/// computed for all i ≤ m, j ≤ n with one row of polynomials in memory (about m²n²/4 additions).
/// Counts are kept as Double: they are sums of positive terms (no cancellation), below
/// C(N, m) (≈ 2.5e28 for 49 and 49), so each has a relative error of a few ulps. Tails are summed
/// directly (never 1 − the other tail), so a small P keeps its relative accuracy.
///
/// Reference: Mann & Whitney (1947), Ann. Math. Statist. 18:50–60 (the recursion, their eq. 2);
/// Hollander & Wolfe (1999), Nonparametric Statistical Methods, §4.1.
struct RankSumDistribution {
    let m: Int
    let n: Int
    /// counts[w] = c(w; m, n), w = 0 ... mn.
    private let counts: [Double]
    private let total: Double

    init(m: Int, n: Int) {
        self.m = m
        self.n = n
        // row[j]: the coefficients of c(·; i, j) for the current i; i = 0 has only w = 0.
        var row = [[Double]](repeating: [1], count: n + 1)
        for i in stride(from: 1, through: m, by: 1) {
            var next: [[Double]] = [[1]]
            next.reserveCapacity(n + 1)
            for j in stride(from: 1, through: n, by: 1) {
                var poly = [Double](repeating: 0, count: i * j + 1)
                let xLast = row[j], yLast = next[j - 1]
                for k in xLast.indices { poly[k + j] += xLast[k] }
                for k in yLast.indices { poly[k] += yLast[k] }
                next.append(poly)
            }
            row = next
        }
        counts = row[n]
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

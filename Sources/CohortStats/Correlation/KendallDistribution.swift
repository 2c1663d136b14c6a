/// The exact null distribution of Kendall's statistic for n untied pairs (R's `ckendall` /
/// `pkendall`): T, the number of concordant pairs, has the distribution of the number of
/// inversions of a random permutation of n elements (Kendall 1938; Mahonian numbers).
///
/// ```
/// c(k; n) = Σ_{j=0}^{min(k, n−1)} c(k − j; n − 1),   c(0; 1) = 1,   P(T = k) = c(k; n) / n!
/// ```
/// computed by summing the window directly (O(n² · n²/2) additions, about 3e6 for n = 49). Counts are kept as Double: for n < 50 they are below
/// 49! ≈ 6e62 and each is a sum of positive terms. Tails are summed directly, never as 1 − the
/// other tail.
struct KendallDistribution {
    let n: Int
    private let counts: [Double]
    private let total: Double

    init(n: Int) {
        self.n = n
        var counts: [Double] = [1]
        if n >= 2 {
            for size in 2...n {
                let maxK = size * (size - 1) / 2
                var next = [Double](repeating: 0, count: maxK + 1)
                for k in 0...maxK {
                    // A plain sum of the window, not a running sum that adds and subtracts: the
                    // counts span many orders of magnitude and a subtraction would leave the small
                    // tail counts with the rounding error of the large ones.
                    var sum = 0.0
                    for j in max(0, k - (counts.count - 1))...min(k, size - 1) { sum += counts[k - j] }
                    next[k] = sum
                }
                counts = next
            }
        }
        self.counts = counts
        total = counts.reduce(0, +)
    }

    /// P(T ≤ q).
    func lowerTail(_ q: Int) -> Double {
        if q < 0 { return 0 }
        if q >= counts.count - 1 { return 1 }
        return counts[0...q].reduce(0, +) / total
    }

    /// P(T ≥ q).
    func upperTail(_ q: Int) -> Double {
        if q <= 0 { return 1 }
        if q > counts.count - 1 { return 0 }
        return counts[q...].reduce(0, +) / total
    }
}

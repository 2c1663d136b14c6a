#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// log C(n, k) = lgamma(n+1) − lgamma(k+1) − lgamma(n−k+1), finite for any n a Double can count.
@inline(__always)
func logBinomial(_ n: Int, _ k: Int) -> Double {
    lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
}

/// The conditional distribution of the [1,1] cell `a` of a 2 × 2 table given both margins:
/// Fisher's noncentral hypergeometric distribution with odds ratio ψ,
/// ```
/// m = column 1 total, n = column 2 total, k = row 1 total,  a ∈ [lo, hi] = [max(0, k−n), min(k, m)]
/// P(a = s; ψ) = C(m, s) C(n, k−s) ψ^s / Σ_u C(m, u) C(n, k−u) ψ^u
/// ```
/// (Agresti 2002, §3.5.1 and §3.6.1; Fisher 1935). Evaluated in log space, u = log ψ, with the
/// largest term scaled to 1 before exponentiating, so n in the tens of thousands neither overflows
/// nor loses the small tail probabilities (each is a sum of non-negative terms).
struct NoncentralHypergeometric {
    let observed: Int
    let lo: Int
    let hi: Int
    /// log C(m, s) + log C(n, k−s) − log C(m+n, k) for s = lo...hi: the central (ψ = 1) log probabilities.
    let logCentral: [Double]

    init(_ table: ContingencyTable) {
        let m = table.columnTotals[0], n = table.columnTotals[1], k = table.rowTotals[0]
        observed = table.counts[0][0]
        lo = max(0, k - n)
        hi = min(k, m)
        let logTotal = logBinomial(m + n, k)
        logCentral = (lo...hi).map { s in logBinomial(m, s) + logBinomial(n, k - s) - logTotal }
    }

    /// Probabilities of s = lo...hi at log odds ratio u (normalised: their sum is 1).
    func probabilities(logOddsRatio u: Double) -> [Double] {
        let top = largestLogTerm(u)
        let terms = logCentral.indices.map { i in exp(logCentral[i] + u * Double(lo + i) - top) }
        let sum = terms.reduce(0, +)
        return terms.map { $0 / sum }
    }

    /// max_s (log C(m, s) + log C(n, k−s) + u·s): the scale that keeps every exp() <= 1.
    private func largestLogTerm(_ u: Double) -> Double {
        var top = -Double.infinity
        for i in logCentral.indices { top = max(top, logCentral[i] + u * Double(lo + i)) }
        return top
    }

    /// One pass over the support without allocating: Σ w_s, Σ s·w_s, Σ_{s<=obs} w_s, Σ_{s>=obs} w_s
    /// with w_s = exp(log term − largest); terms below e^-745 are 0 in double anyway and skipped.
    private func sums(_ u: Double) -> (total: Double, first: Double, lower: Double, upper: Double) {
        let top = largestLogTerm(u)
        var total = 0.0, first = 0.0, lower = 0.0, upper = 0.0
        for i in logCentral.indices {
            let x = logCentral[i] + u * Double(lo + i) - top
            guard x > -745 else { continue }
            let w = exp(x)
            total += w
            first += w * Double(lo + i)
            if lo + i <= observed { lower += w }
            if lo + i >= observed { upper += w }
        }
        return (total, first, lower, upper)
    }

    func mean(logOddsRatio u: Double) -> Double {
        let s = sums(u)
        return s.first / s.total
    }

    /// P(a <= observed; ψ) (lower tail) or P(a >= observed; ψ) (upper tail).
    func tail(logOddsRatio u: Double, upper: Bool) -> Double {
        let s = sums(u)
        return (upper ? s.upper : s.lower) / s.total
    }

    /// Two-sided P at ψ = 1: the sum of the probabilities <= P(observed) · (1 + 1e-7) (R's relErr).
    func twoSidedP() -> Double {
        let p = probabilities(logOddsRatio: 0)
        let cutoff = p[observed - lo] * (1 + 1e-7)
        return min(1, p.filter { $0 <= cutoff }.reduce(0, +))
    }

    /// Conditional MLE of ψ: the root of E(a; ψ) = observed; 0 at a = lo, +∞ at a = hi.
    func conditionalMLE() -> Double {
        if observed == lo { return 0 }
        if observed == hi { return .infinity }
        return exp(solveIncreasing({ mean(logOddsRatio: $0) }, target: Double(observed)))
    }

    /// Lower confidence limit: P(a >= observed; ψ) = alpha (increasing in ψ); 0 at a = lo.
    func lowerLimit(alpha: Double) -> Double {
        if observed == lo { return 0 }
        return exp(solveIncreasing({ tail(logOddsRatio: $0, upper: true) }, target: alpha))
    }

    /// Upper confidence limit: P(a <= observed; ψ) = alpha (decreasing in ψ); +∞ at a = hi.
    func upperLimit(alpha: Double) -> Double {
        if observed == hi { return .infinity }
        return exp(solveIncreasing({ -tail(logOddsRatio: $0, upper: false) }, target: -alpha))
    }

    /// The root of f(u) = target for f increasing in u, by bracketing (steps doubling from ±1) and
    /// bisection to adjacent doubles. Every caller has a root: f tends to values on either side of
    /// the target as u → ±∞ whenever lo < observed < hi (or the limit's side is open).
    private func solveIncreasing(_ f: (Double) -> Double, target: Double) -> Double {
        var a = -1.0, b = 1.0, step = 1.0
        while f(a) > target, a > -1e4 { step *= 2; a -= step }
        step = 1
        while f(b) < target, b < 1e4 { step *= 2; b += step }
        for _ in 0..<200 {
            let mid = 0.5 * (a + b)
            if mid <= a || mid >= b { break }
            if f(mid) < target { a = mid } else { b = mid }
        }
        return 0.5 * (a + b)
    }
}

extension ContingencyTable {
    /// Fisher's exact test of a 2 × 2 table, as R's `fisher.test(x, alternative, conf.level)`.
    ///
    /// Conditional on both margins the [1,1] cell follows ``NoncentralHypergeometric``; under
    /// H0 (ψ = 1) it is hypergeometric.
    /// - two-sided P: Σ P(s) over s with P(s) <= P(observed)·(1 + 1e-7) (R's relative tolerance,
    ///   so that tables tied in exact arithmetic count as tied);
    /// - less: P(a <= observed), greater: P(a >= observed);
    /// - estimate: the conditional MLE (E(a; ψ) = observed), 0 or +∞ when a is at the end of its range;
    /// - interval: two-sided, the roots of P(a >= obs; ψ) = α/2 and P(a <= obs; ψ) = α/2
    ///   (α = 1 − level); less: [0, root of P(a <= obs; ψ) = α]; greater: [root of P(a >= obs; ψ) = α, ∞).
    ///
    /// R finds the roots with `uniroot` at its default tolerance (about 1e-4); here they are solved
    /// to rounding, so R's printed estimate and limits agree to about 1e-4 relative.
    func fisherTwoByTwo(alternative: TestResult.Alternative, confidenceLevel: Double) -> TestResult {
        let h = NoncentralHypergeometric(self)
        let alpha = 1 - confidenceLevel
        let p: Double, interval: TestResult.Interval, rule: String
        switch alternative {
        case .twoSided:
            p = h.twoSidedP()
            interval = .init(lower: h.lowerLimit(alpha: alpha / 2), upper: h.upperLimit(alpha: alpha / 2), level: confidenceLevel)
            rule = "two-sided: sum of the hypergeometric probabilities of all tables with the observed margins that are <= the observed probability x (1 + 1e-7), as R's fisher.test"
        case .less:
            p = min(1, h.tail(logOddsRatio: 0, upper: false))
            interval = .init(lower: 0, upper: h.upperLimit(alpha: alpha), level: confidenceLevel)
            rule = "one-sided (less): P(a <= observed) under the hypergeometric distribution"
        case .greater:
            p = min(1, h.tail(logOddsRatio: 0, upper: true))
            interval = .init(lower: h.lowerLimit(alpha: alpha), upper: .infinity, level: confidenceLevel)
            rule = "one-sided (greater): P(a >= observed) under the hypergeometric distribution"
        }
        var warnings: [String] = []
        if h.lo == h.hi {
            warnings.append("a margin is zero: only one table has these margins, so P = 1 and the odds ratio is not identifiable (R reports estimate 0 and interval [0, Inf])")
        }
        return TestResult(
            statistic: nil, df: nil, pValue: p, method: "Fisher's Exact Test for Count Data",
            methodDetails: "Fisher's exact test, 2 x 2, " + rule + "; conditional MLE odds ratio and exact conditional confidence interval (roots of the noncentral hypergeometric mean and tail equations)",
            alternative: alternative, estimate: h.conditionalMLE(), confidenceInterval: interval, expected: nil, warnings: warnings)
    }
}

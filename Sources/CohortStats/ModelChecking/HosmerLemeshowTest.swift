/// The Hosmer-Lemeshow goodness-of-fit test over groups of fitted risk, as
/// `ResourceSelection::hoslem.test(y, fitted, g)` (version 0.3-5) computes it.
///
/// The cut points are the type-7 quantiles (R's `quantile` default, ``Quantiles/type7(sorted:p:)``)
/// of the fitted risks at the probabilities k/g, k = 0 ... g, written as R's `seq(0, 1, 1/g)` writes
/// them (k × (1/g), capped at 1), with repeated cut points kept once (`unique`). Group 1 is
/// [q₀, q₁] and group k is (q_{k−1}, q_k] (`cut(include.lowest = TRUE)`, right-closed). With Oₖ
/// events, nₖ patients and Eₖ = Σ p̂ᵢ fitted events in group k,
/// ```
/// X² = Σₖ [ (Oₖ − Eₖ)²/Eₖ + ((nₖ − Oₖ) − (nₖ − Eₖ))²/(nₖ − Eₖ) ]
/// df = g − 2,   P = P(χ²_df > X²)
/// ```
/// (Hosmer & Lemeshow, Applied Logistic Regression, 3rd ed. 2013, §5.2.2). Tied fitted risks (a
/// model of categorical covariates has few distinct values) repeat cut points, and the groups then
/// collapse to fewer than g; `hoslem.test` keeps df = g − 2 regardless, and so does this, reporting
/// the groups actually formed in ``groupCount`` so that a reader sees the collapse.
public struct HosmerLemeshowTest: Sendable, Equatable {
    /// The requested number of groups, g.
    public let requestedGroups: Int
    /// The groups formed: fewer than g when cut points repeat.
    public let groupCount: Int
    public let statistic: Double
    public let df: Int
    public let p: Double
    /// Patients, observed events and expected events per group, lowest risk first.
    public let observed: [Int]
    public let sizes: [Int]
    public let expected: [Double]
    /// Why there is no statistic (NaN), when there is none.
    public let problem: String?

    public static let method = "Hosmer-Lemeshow, groups by type-7 quantiles of fitted risk (ResourceSelection::hoslem.test)"

    /// - Parameters:
    ///   - fitted: fitted probabilities, in (0, 1).
    ///   - outcome: 1 for an event, 0 otherwise, one per fitted probability.
    ///   - groups: g, at least 3 (df = g − 2 must be positive).
    public init(fitted: [Double], outcome: [Double], groups g: Int = 10) {
        precondition(fitted.count == outcome.count, "one outcome per fitted probability")
        precondition(g >= 3, "the Hosmer-Lemeshow test needs at least 3 groups")
        let sorted = fitted.sorted()
        // seq(0, 1, 1/g) is from + (0:g) * by, capped at `to`.
        let step = 1 / Double(g)
        var cuts: [Double] = []
        for k in 0...g {
            guard let q = Quantiles.type7(sorted: sorted, p: min(1, Double(k) * step)) else { break }
            if cuts.last != q { cuts.append(q) }  // sorted already: unique() keeps the first of a run
        }
        guard cuts.count >= 2 else {
            // cut() needs two distinct breaks: every fitted risk is the same (hoslem.test stops here).
            self.init(g: g, count: 0, statistic: .nan, observed: [], sizes: [], expected: [],
                      problem: fitted.isEmpty ? "no patients" : "every fitted risk is the same: no groups to compare")
            return
        }
        let count = cuts.count - 1
        var observed = [Int](repeating: 0, count: count), sizes = observed
        var expected = [Double](repeating: 0, count: count)
        for (p, y) in zip(fitted, outcome) {
            // The first k with p ≤ q_k (group k covers (q_{k−1}, q_k]; q₀ is the minimum, so group 1 takes it).
            var lo = 0, hi = count
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if p > cuts[mid] { lo = mid } else { hi = mid }
            }
            let k = hi - 1
            sizes[k] += 1
            if y == 1 { observed[k] += 1 }
            expected[k] += p  // in row order: the same bits every run
        }
        var statistic = 0.0
        for k in 0..<count {
            let n = Double(sizes[k]), o = Double(observed[k]), e = expected[k]
            statistic += (o - e) * (o - e) / e + ((n - o) - (n - e)) * ((n - o) - (n - e)) / (n - e)
        }
        // An empty group (cut points closer than any two fitted risks) gives 0/0, as in hoslem.test.
        let problem = sizes.contains(0) ? "a group between repeated cut points is empty: no statistic" : nil
        self.init(g: g, count: count, statistic: problem == nil ? statistic : .nan,
                  observed: observed, sizes: sizes, expected: expected, problem: problem)
    }

    private init(g: Int, count: Int, statistic: Double, observed: [Int], sizes: [Int], expected: [Double], problem: String?) {
        requestedGroups = g
        groupCount = count
        df = g - 2
        self.statistic = statistic
        p = statistic.isNaN ? .nan : ChiSquare.survival(statistic, df: Double(g - 2))
        self.observed = observed
        self.sizes = sizes
        self.expected = expected
        self.problem = problem
    }

    /// True when tied fitted risks left fewer groups than asked for.
    public var groupsCollapsed: Bool { groupCount < requestedGroups && problem == nil }
}

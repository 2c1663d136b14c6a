/// Midranks and tie counts: the one ranking used by every rank method here (Wilcoxon rank sum,
/// Kruskal-Wallis, Spearman), so that ties are treated the same way everywhere.
///
/// Tied values share the mean of the ranks they occupy (R's `rank(x)`, `ties.method = "average"`):
/// ```
/// values   2.0  5.0  5.0  7.0  5.0
/// ranks    1    3    3    5    3         (positions 2, 3, 4 → mean 3)
/// ```
/// `tieSizes` lists t_j for every run of t_j ≥ 2 equal values, the input of the tie corrections
/// Σ (t_j³ − t_j) in the rank-sum, Kruskal-Wallis and Kendall variances.
public struct Ranking: Sendable, Equatable {
    /// ranks[i] is the midrank of values[i], 1-based.
    public let ranks: [Double]
    /// The size of each group of tied values (only groups of 2 or more), in increasing value order.
    public let tieSizes: [Int]

    /// Ranks `values` (finite numbers; the callers check).
    public init(_ values: [Double]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var ties: [Int] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            // Positions start..<end (0-based) hold ranks start+1 ... end; their mean is (start+1+end)/2.
            let midrank = Double(start + 1 + end) / 2
            for k in start..<end { ranks[order[k]] = midrank }
            if end - start > 1 { ties.append(end - start) }
            start = end
        }
        self.ranks = ranks
        self.tieSizes = ties
    }

    public var hasTies: Bool { !tieSizes.isEmpty }

    /// Σ (t_j³ − t_j) over the groups of tied values, 0 without ties.
    public var tieCorrectionSum: Double {
        tieSizes.reduce(0.0) { let t = Double($1); return $0 + (t * t * t - t) }
    }
}

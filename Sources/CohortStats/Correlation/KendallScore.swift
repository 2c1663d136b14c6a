/// Kendall's score S = Σ_{i<j} sign(x_i − x_j) sign(y_i − y_j) in O(n log n), with ties
/// (Knight 1966, JASA 61:436–439).
///
/// Sort the pairs by x, then y; count the pairs tied in x (n₁), in y (n₂) and in both (n₃), and the
/// discordant pairs D as the strict inversions of the y sequence (a merge sort counts them; pairs
/// tied in x are already in y order and contribute none). The pairs tied in neither variable are
/// concordant or discordant, so
/// ```
/// S = C − D = (n₀ − n₁ − n₂ + n₃) − 2D,    n₀ = n(n − 1)/2
/// ```
/// The plain double loop over all pairs gives the same S (a test checks it) but takes minutes
/// for n = 10⁵.
enum KendallScore {
    static func score(_ x: [Double], _ y: [Double]) -> Int {
        let n = x.count
        let order = x.indices.sorted { x[$0] != x[$1] ? x[$0] < x[$1] : y[$0] < y[$1] }
        var tiedX = 0, tiedBoth = 0
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && x[order[end]] == x[order[start]] { end += 1 }
            tiedX += pairs(end - start)
            var inner = start
            while inner < end {
                var stop = inner + 1
                while stop < end && y[order[stop]] == y[order[inner]] { stop += 1 }
                tiedBoth += pairs(stop - inner)
                inner = stop
            }
            start = end
        }
        var ys = order.map { y[$0] }
        var buffer = ys
        let discordant = inversions(&ys, &buffer, 0, n)
        var tiedY = 0
        start = 0
        while start < n {
            var end = start + 1
            while end < n && ys[end] == ys[start] { end += 1 }
            tiedY += pairs(end - start)
            start = end
        }
        return (pairs(n) - tiedX - tiedY + tiedBoth) - 2 * discordant
    }

    private static func pairs(_ k: Int) -> Int { k * (k - 1) / 2 }

    /// Sorts values[lower..<upper] and returns its number of strict inversions (i < j, v_i > v_j).
    private static func inversions(_ values: inout [Double], _ buffer: inout [Double], _ lower: Int, _ upper: Int) -> Int {
        if upper - lower < 2 { return 0 }
        let middle = (lower + upper) / 2
        var count = inversions(&values, &buffer, lower, middle) + inversions(&values, &buffer, middle, upper)
        var i = lower, j = middle, k = lower
        while i < middle && j < upper {
            // Equal values: take the left one first, so ties are not counted as inversions.
            if values[j] < values[i] {
                count += middle - i
                buffer[k] = values[j]
                j += 1
            } else {
                buffer[k] = values[i]
                i += 1
            }
            k += 1
        }
        while i < middle { buffer[k] = values[i]; i += 1; k += 1 }
        while j < upper { buffer[k] = values[j]; j += 1; k += 1 }
        for index in lower..<upper { values[index] = buffer[index] }
        return count
    }
}

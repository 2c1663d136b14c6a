/// Mean and variance of a sample, by two passes (the mean first, then the squared deviations from
/// it), which avoids the cancellation of Σx² − n x̄² when the mean is large relative to the spread.
struct SampleMoments {
    let count: Int
    let mean: Double
    /// Σ (x_i − x̄)².
    let sumOfSquares: Double

    init(_ values: [Double]) {
        count = values.count
        let first = values.reduce(0, +) / Double(max(values.count, 1))
        // A second pass corrects the mean for the rounding of the first (as R's mean() does).
        let mean = first + values.reduce(0) { $0 + ($1 - first) } / Double(max(values.count, 1))
        self.mean = mean
        sumOfSquares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    }

    /// The unbiased variance Σ (x_i − x̄)² / (n − 1); needs n ≥ 2.
    var variance: Double { sumOfSquares / Double(count - 1) }
}

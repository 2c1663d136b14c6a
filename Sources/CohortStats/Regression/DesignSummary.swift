#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the fitting code needs to know about a design before iterating, computed once per model
/// and carried by its fit: column scales, which columns are aliased, and the first evaluation.
///
/// **Aliasing.** Column j is aliased when the norm of its residual after least-squares projection
/// on the kept columns before it is below `tolerance` times its own norm: the rule of R's `dqrdc2`
/// (tolerance 1e-7), so the same columns are dropped as R drops them, the later member of a collinear
/// set in design order. The residuals come from an incremental Cholesky factorisation, in column
/// order, of the Gram matrix of the centred and scaled columns (centring keeps a covariate with a
/// large mean and a small spread from looking collinear with the intercept).
///
/// That Gram matrix costs no pass of its own: at the starting values (intercept logit ȳ, all else 0)
/// every fitted probability is ȳ, so W = w₀I and the information the first Newton iteration needs
/// anyway is exactly w₀ times the Gram matrix of the working basis. The maximum-likelihood solver
/// reuses that evaluation as its first.
struct DesignSummary: Sendable {
    let aliased: [Bool]
    /// max |xᵢⱼ|: turns a coefficient change into a change of the linear predictor.
    let columnMaxAbs: [Double]
    /// Column means and standard deviations (root mean square without an intercept; a zero spread
    /// becomes 1): the working basis of ``BinomialLikelihood``.
    let columnMean: [Double]
    let columnScale: [Double]
    let interceptColumn: Int?

    /// Means, spreads and maxima in one pass, columns split across cores. The spread is computed from
    /// values shifted by the column's first entry, which keeps Σ(x-K)² - (Σ(x-K))²/n accurate when
    /// the mean is large relative to the spread.
    static func columnStatistics(_ design: DesignMatrix) -> (mean: [Double], scale: [Double], maxAbs: [Double], interceptColumn: Int?) {
        let n = design.rowCount, p = design.columnCount
        let intercept = design.terms.first { $0.kind == .intercept }?.columns.lowerBound
        let columns = Parallel.ranges(p, minimumChunk: n * p > 2_000_000 ? 1 : p)
        let parts = design.values.withUnsafeBufferPointer { x in
            Parallel.map(columns) { range in
                range.map { j -> (Double, Double, Double) in
                    let column = UnsafeBufferPointer(rebasing: x[j * n..<(j + 1) * n])
                    let shift = column.first ?? 0
                    var sum = 0.0, squares = 0.0, maxAbs = 0.0
                    for v in column {
                        let d = v - shift
                        sum += d; squares += d * d; maxAbs = max(maxAbs, abs(v))
                    }
                    let mean = shift + sum / Double(n)
                    let variance = max(0, (squares - sum * sum / Double(n)) / Double(n))
                    // Without an intercept there is no centring: scale by the root mean square.
                    let spread = intercept == nil ? (variance + mean * mean).squareRoot() : variance.squareRoot()
                    return (mean, spread > 0 && spread.isFinite ? spread : 1, maxAbs)
                }
            }.flatMap { $0 }
        }
        return (parts.map(\.0), parts.map(\.1), parts.map(\.2), intercept)
    }

    /// Decides aliasing from `information`, the k x k working-basis information over all columns
    /// at the starting values, where the weights are all `startWeight`.
    static func aliasedColumns(information: [Double], startWeight: Double, n: Int, mean: [Double], scale: [Double],
                               interceptColumn: Int?, tolerance: Double) -> [Bool] {
        let p = scale.count
        var kept: [Int] = []
        var factor: [[Double]] = []  // factor[c] = column c of the upper-triangular R over kept columns
        var aliased = [Bool](repeating: false, count: p)
        let tolerance2 = tolerance * tolerance
        for j in 0..<p {
            // Solve Rᵀ r = g (forward substitution); residual² = G_jj - ‖r‖² in the working basis.
            var r = [Double](repeating: 0, count: kept.count)
            for (c, kc) in kept.enumerated() {
                var s = information[max(j, kc) * p + min(j, kc)] / startWeight
                for t in 0..<c { s -= factor[c][t] * r[t] }
                r[c] = s / factor[c][c]
            }
            let residual = information[j * p + j] / startWeight - r.reduce(0) { $0 + $1 * $1 }
            // ‖x_j‖² in working units: n(1 + mean²/spread²) when centred, n when only scaled.
            let centred = interceptColumn != nil && j != interceptColumn
            let norm = j == interceptColumn ? Double(n) : Double(n) * (centred ? 1 + mean[j] * mean[j] / (scale[j] * scale[j]) : 1)
            if !(residual > tolerance2 * norm) {
                aliased[j] = true
                continue
            }
            factor.append(r + [residual.squareRoot()])
            kept.append(j)
        }
        return aliased
    }
}

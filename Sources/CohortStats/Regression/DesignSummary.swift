import CohortData
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
/// The Gram matrix costs no pass of its own: it is the weighted one, XᵀWX in the working basis, that
/// the first Newton iteration needs anyway (the solver reuses that evaluation). With positive weights
/// exact collinearity does not depend on W, and R's `glm.fit` itself ranks the weighted design √W X
/// at every IRLS iteration, so the tolerance is applied to weighted norms as R applies it.
struct DesignSummary: Sendable {
    let aliased: [Bool]
    /// max |xᵢⱼ|: turns a coefficient change into a change of the linear predictor.
    let columnMaxAbs: [Double]
    /// Column means and standard deviations (root mean square without an intercept; a zero spread
    /// becomes 1): the working basis of ``BinomialLikelihood``.
    let columnMean: [Double]
    let columnScale: [Double]
    let interceptColumn: Int?

    /// Means, spreads and maxima, columns split across cores. The spread is computed from values
    /// shifted by the column's first entry, which keeps Σ(x-K)² - (Σ(x-K))²/n accurate when the mean
    /// is large relative to the spread.
    ///
    /// On a large design they are read from evenly spaced chunks of rows (``RowSample``): they only
    /// choose the working basis (any centre and positive scale make an exact basis), set a rounding
    /// bound and scale the separation check, so a sample of 100,000 rows is plenty.
    static func columnStatistics(_ full: DesignMatrix) -> (mean: [Double], scale: [Double], maxAbs: [Double], interceptColumn: Int?) {
        let rows = RowSample.runs(rowCount: full.rowCount, rows: 100_000)
        let n = rows.reduce(0) { $0 + $1.count }, p = full.columnCount, stride = full.rowCount
        let intercept = full.terms.first { $0.kind == .intercept }?.columns.lowerBound
        let columns = Parallel.ranges(p, minimumChunk: n * p > 2_000_000 ? 1 : p)
        let parts = full.values.withUnsafeBufferPointer { x in
            Parallel.map(columns) { range in
                range.map { j -> (Double, Double, Double) in
                    let shift = x[j * stride + rows[0].lowerBound]
                    var sums = (0.0, 0.0, 0.0, 0.0), squares4 = (0.0, 0.0, 0.0, 0.0), maxima = (0.0, 0.0, 0.0, 0.0)
                    var sum = 0.0, squares = 0.0, maxAbs = 0.0
                    for run in rows {
                    let column = UnsafeBufferPointer(rebasing: x[j * stride + run.lowerBound..<j * stride + run.upperBound])
                    let n = column.count
                    // Four independent accumulators: one dependent chain of additions would bound the loop
                    // by the adder's latency.
                    var i = 0
                    while i + 4 <= n {
                        let d0 = column[i] - shift, d1 = column[i + 1] - shift, d2 = column[i + 2] - shift, d3 = column[i + 3] - shift
                        sums.0 += d0; sums.1 += d1; sums.2 += d2; sums.3 += d3
                        squares4.0 += d0 * d0; squares4.1 += d1 * d1; squares4.2 += d2 * d2; squares4.3 += d3 * d3
                        maxima.0 = max(maxima.0, abs(column[i])); maxima.1 = max(maxima.1, abs(column[i + 1]))
                        maxima.2 = max(maxima.2, abs(column[i + 2])); maxima.3 = max(maxima.3, abs(column[i + 3]))
                        i += 4
                    }
                    while i < n {
                        let d = column[i] - shift
                        sum += d; squares += d * d; maxAbs = max(maxAbs, abs(column[i]))
                        i += 1
                    }
                    }
                    sum += (sums.0 + sums.1) + (sums.2 + sums.3)
                    squares += (squares4.0 + squares4.1) + (squares4.2 + squares4.3)
                    maxAbs = max(maxAbs, max(max(maxima.0, maxima.1), max(maxima.2, maxima.3)))
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

    /// Decides aliasing from `information`, the p x p working-basis information XᵀWX over all columns
    /// (centred when there is an intercept).
    static func aliasedColumns(information: [Double], mean: [Double], scale: [Double],
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
                var s = information[max(j, kc) * p + min(j, kc)]
                for t in 0..<c { s -= factor[c][t] * r[t] }
                r[c] = s / factor[c][c]
            }
            let residual = information[j * p + j] - r.reduce(0) { $0 + $1 * $1 }
            // ‖√W x_j‖² of the original column in working units: x_j/s_j = x̃_j + (c_j/s_j)·1, so
            // Ĩ_jj + 2(c_j/s_j) Ĩ_0j + (c_j/s_j)² Ĩ_00 when centred, Ĩ_jj otherwise.
            var norm = information[j * p + j]
            if let i = interceptColumn, j != i {
                let ratio = mean[j] / scale[j]
                norm += 2 * ratio * information[max(i, j) * p + min(i, j)] + ratio * ratio * information[i * p + i]
            }
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

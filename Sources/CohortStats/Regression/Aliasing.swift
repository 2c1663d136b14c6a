/// Which design columns are linear combinations of earlier ones (R's "aliased" coefficients).
///
/// Column j is aliased when the norm of its residual after least-squares projection on the kept
/// columns before it is below `tolerance` times its own norm — the rule of R's `dqrdc2` QR with
/// limited pivoting (tolerance 1e-7), so the same columns are dropped as R drops: the later member of
/// a collinear set, in design order.
///
/// The residual norms come from an incremental Cholesky factorisation of the Gram matrix XᵀX taken in
/// column order. When the design has an intercept, the other columns are centred first: the span is
/// the same, and the Gram matrix of centred columns avoids the cancellation that would make a
/// covariate such as a calendar year (large mean, small spread) look collinear with the intercept.
/// The streaming pass keeps memory at a block of rows.
struct AliasingCheck {
    let aliased: [Bool]
    /// max |x_ij| of each column: the scale that turns a coefficient change into a change of the
    /// linear predictor (used by separation detection).
    let columnMaxAbs: [Double]
    /// Column means and standard deviations (root mean square without an intercept), the working
    /// basis of the likelihood; a zero spread becomes 1.
    let columnMean: [Double]
    let columnScale: [Double]

    init(design: DesignMatrix, tolerance: Double) {
        let n = design.rowCount, p = design.columnCount
        let interceptColumn = design.terms.first { $0.kind == .intercept }?.columns.lowerBound
        var sums = [Double](repeating: 0, count: p)
        var maxAbs = [Double](repeating: 0, count: p)
        var gram = [Double](repeating: 0, count: p * p)
        let blockRows = BinomialLikelihood.blockRows
        var block = [Double](repeating: 0, count: blockRows * p)
        design.values.withUnsafeBufferPointer { x in
            for j in 0..<p {
                let column = UnsafeBufferPointer(rebasing: x[j * n..<(j + 1) * n])
                var s = 0.0, m = 0.0
                for v in column { s += v; m = max(m, abs(v)) }
                sums[j] = s; maxAbs[j] = m
            }
            let means = (0..<p).map { j in j == interceptColumn || interceptColumn == nil ? 0 : sums[j] / Double(n) }
            // Gram matrix of the (centred) columns, accumulated block by block.
            block.withUnsafeMutableBufferPointer { b in
                var start = 0
                while start < n {
                    let m = min(blockRows, n - start)
                    for j in 0..<p {
                        let source = x.baseAddress! + j * n + start, target = b.baseAddress! + j * m, mean = means[j]
                        for i in 0..<m { target[i] = source[i] - mean }
                    }
                    LAPACK.syrkTransposed(columns: p, rows: m, alpha: 1, a: b.baseAddress!, lda: m, beta: 1, c: &gram)
                    start += m
                }
            }
        }
        let means = (0..<p).map { j in j == interceptColumn || interceptColumn == nil ? 0 : sums[j] / Double(n) }
        // Squared norms of the original columns: centred sum of squares + n·mean².
        let norms = (0..<p).map { gram[$0 * p + $0] + Double(n) * means[$0] * means[$0] }

        var kept: [Int] = []
        var factor: [[Double]] = []  // factor[c] = column c of the upper-triangular R over kept columns
        var aliased = [Bool](repeating: false, count: p)
        let tolerance2 = tolerance * tolerance
        for j in 0..<p {
            // Solve Rᵀ r = g (forward substitution), residual² = G_jj - ‖r‖².
            var r = [Double](repeating: 0, count: kept.count)
            for (c, kc) in kept.enumerated() {
                var s = gram[max(j, kc) * p + min(j, kc)]
                for t in 0..<c { s -= factor[c][t] * r[t] }
                r[c] = s / factor[c][c]
            }
            let residual = gram[j * p + j] - r.reduce(0) { $0 + $1 * $1 }
            if norms[j] == 0 || residual <= tolerance2 * norms[j] {
                aliased[j] = true
                continue
            }
            factor.append(r + [residual.squareRoot()])
            kept.append(j)
        }
        self.aliased = aliased
        self.columnMaxAbs = maxAbs
        self.columnMean = (0..<p).map { sums[$0] / Double(n) }
        self.columnScale = (0..<p).map { j in
            let spread = ((interceptColumn == nil ? norms[j] : gram[j * p + j]) / Double(n)).squareRoot()
            return spread > 0 && spread.isFinite ? spread : 1
        }
    }
}

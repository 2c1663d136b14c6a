/// Weighted cross-products of a design in a centred and scaled working basis, for the least-squares
/// and IRLS fits of ``LinearModel`` and ``CountModel``.
///
/// Working columns are x̃ⱼ = (xⱼ − cⱼ)/sⱼ (the intercept stays 1; cⱼ = 0 without an intercept), with
/// the means and spreads of ``DesignSummary/columnStatistics(_:)``, so that the Cholesky factor of
/// X̃ᵀWX̃ sees a well-conditioned matrix as ``BinomialLikelihood``'s does. β = Aβ̃ maps back exactly.
///
/// Every sum is ordered (issue 12): rows go in blocks of ``blockRows`` whose √w-scaled working rows
/// are gathered into a scratch buffer and added by ``OrderedKernels/addGram(rows:columns:b:into:)``
/// and ``OrderedKernels/addTransposedProduct(rows:columns:a:lda:r:into:)`` in row order, on one
/// thread, so the result is the same bits on every machine.
struct WeightedGram {
    let design: DesignMatrix
    let center: [Double]
    let scale: [Double]
    let interceptColumn: Int?
    static let blockRows = 2048

    init(design: DesignMatrix) {
        let statistics = DesignSummary.columnStatistics(design)
        self.design = design
        interceptColumn = statistics.interceptColumn
        center = design.columnNames.indices.map { j in statistics.interceptColumn == nil || j == statistics.interceptColumn ? 0 : statistics.mean[j] }
        scale = design.columnNames.indices.map { j in j == statistics.interceptColumn ? 1 : statistics.scale[j] }
    }

    /// `G = X̃ₐᵀ W X̃ₐ` (upper triangle, k x k over `columns`) and, with `rhs` v, `g = X̃ₐᵀ W v`.
    func gram(columns: [Int], weights w: [Double], rhs v: [Double]? = nil) -> (gram: [Double], vector: [Double]) {
        let n = design.rowCount, k = columns.count, block = Self.blockRows
        var gram = [Double](repeating: 0, count: k * k), vector = [Double](repeating: 0, count: k)
        var scratch = [Double](repeating: 0, count: block * k), scaled = [Double](repeating: 0, count: block)
        design.values.withUnsafeBufferPointer { x in
            scratch.withUnsafeMutableBufferPointer { b in
                scaled.withUnsafeMutableBufferPointer { r in
                    gram.withUnsafeMutableBufferPointer { c in
                        vector.withUnsafeMutableBufferPointer { y in
                            var start = 0
                            while start < n {
                                let m = min(block, n - start)
                                var root = [Double](repeating: 0, count: m)
                                for i in 0..<m { root[i] = w[start + i].squareRoot() }
                                for (a, j) in columns.enumerated() {
                                    let source = x.baseAddress! + j * n + start, target = b.baseAddress! + a * m
                                    let cj = center[j], inverse = 1 / scale[j]
                                    if j == interceptColumn {
                                        for i in 0..<m { target[i] = root[i] }
                                    } else {
                                        for i in 0..<m { target[i] = root[i] * ((source[i] - cj) * inverse) }
                                    }
                                }
                                OrderedKernels.addGram(rows: m, columns: k, b: b.baseAddress!, into: c.baseAddress!)
                                if let v {
                                    for i in 0..<m { r[i] = root[i] * v[start + i] }
                                    OrderedKernels.addTransposedProduct(rows: m, columns: k, a: b.baseAddress!, lda: m, r: r.baseAddress!, into: y.baseAddress!)
                                }
                                start += m
                            }
                        }
                    }
                }
            }
        }
        return (gram, vector)
    }

    /// Hat values hᵢ = wᵢ x̃ᵢᵀ G⁻¹ x̃ᵢ from the Cholesky factor U of G over `columns`: the squared row
    /// norms of √W X̃ U⁻¹ (``OrderedKernels/solveRightUpperTriangular(rows:columns:u:ldu:b:ldb:)``).
    func hatValues(columns: [Int], weights w: [Double], factor u: [Double]) -> [Double] {
        let n = design.rowCount, k = columns.count, block = Self.blockRows
        var hat = [Double](repeating: 0, count: n)
        var scratch = [Double](repeating: 0, count: block * k)
        design.values.withUnsafeBufferPointer { x in
            u.withUnsafeBufferPointer { u in
                scratch.withUnsafeMutableBufferPointer { b in
                    var start = 0
                    while start < n {
                        let m = min(block, n - start)
                        for (a, j) in columns.enumerated() {
                            let source = x.baseAddress! + j * n + start, target = b.baseAddress! + a * m
                            let cj = center[j], inverse = 1 / scale[j]
                            for i in 0..<m {
                                let value = j == interceptColumn ? 1 : (source[i] - cj) * inverse
                                target[i] = w[start + i].squareRoot() * value
                            }
                        }
                        OrderedKernels.solveRightUpperTriangular(rows: m, columns: k, u: u.baseAddress!, ldu: k, b: b.baseAddress!, ldb: m)
                        for i in 0..<m {
                            var sum = 0.0
                            for a in 0..<k { sum += b[a * m + i] * b[a * m + i] }
                            hat[start + i] = sum
                        }
                        start += m
                    }
                }
            }
        }
        return hat
    }

    /// Aliased columns by R's rule (``DesignSummary/aliasedColumns(information:mean:scale:interceptColumn:tolerance:)``)
    /// from the weighted Gram over all columns.
    func aliased(weights: [Double], tolerance: Double = 1e-7) -> [Bool] {
        let all = Array(0..<design.columnCount)
        let (g, _) = gram(columns: all, weights: weights)
        return DesignSummary.aliasedColumns(information: g, mean: center, scale: scale, interceptColumn: interceptColumn, tolerance: tolerance)
    }

    /// The map β = Aβ̃ over `columns` as a k x k column-major matrix: βⱼ = β̃ⱼ/sⱼ, and the intercept
    /// β₀ = β̃₀ − Σ cⱼβ̃ⱼ/sⱼ.
    func map(columns: [Int]) -> [Double] {
        let k = columns.count
        var a = [Double](repeating: 0, count: k * k)
        let interceptPosition = interceptColumn.flatMap { columns.firstIndex(of: $0) }
        for (c, j) in columns.enumerated() {
            if c == interceptPosition { a[c * k + c] = 1; continue }
            a[c * k + c] = 1 / scale[j]
            if let i = interceptPosition { a[c * k + i] = -center[j] / scale[j] }
        }
        return a
    }

    /// Aβ̃.
    func toOriginal(_ working: [Double], columns: [Int]) -> [Double] {
        let a = map(columns: columns), k = columns.count
        return (0..<k).map { r in (0..<k).reduce(0.0) { $0 + a[$1 * k + r] * working[$1] } }
    }

    /// A C Aᵀ for a full symmetric k x k matrix C.
    func toOriginal(covariance c: [Double], columns: [Int]) -> [Double] {
        let a = map(columns: columns), k = columns.count
        var ac = [Double](repeating: 0, count: k * k)
        for col in 0..<k { for r in 0..<k { var s = 0.0; for t in 0..<k { s += a[t * k + r] * c[col * k + t] }; ac[col * k + r] = s } }
        var out = [Double](repeating: 0, count: k * k)
        for col in 0..<k { for r in 0..<k { var s = 0.0; for t in 0..<k { s += ac[t * k + r] * a[t * k + col] }; out[col * k + r] = s } }
        return out
    }

    /// η = X β over `columns` (β over the same positions) plus `offset`, columns ascending per row.
    func linearPredictor(columns: [Int], beta: [Double], offset: [Double]) -> [Double] {
        let n = design.rowCount
        var eta = offset
        design.values.withUnsafeBufferPointer { x in
            for (a, j) in columns.enumerated() {
                let column = x.baseAddress! + j * n, b = beta[a]
                for i in 0..<n { eta[i] += column[i] * b }
            }
        }
        return eta
    }

    /// The full symmetric inverse of G (upper triangle given) and its Cholesky factor, or nil when
    /// G is not positive definite.
    static func invert(_ g: [Double], order k: Int) -> (inverse: [Double], factor: [Double])? {
        var factor = g
        guard Cholesky.factor(&factor, order: k) == nil else { return nil }
        var inverse = factor
        guard Cholesky.invert(&inverse, order: k) else { return nil }
        for c in 0..<k { for r in 0..<c { inverse[r * k + c] = inverse[c * k + r] } }
        return (inverse, factor)
    }

    /// The p x p matrix with NaN rows and columns for columns not in `columns`.
    static func expand(_ c: [Double], columns: [Int], p: Int) -> [Double] {
        let k = columns.count
        var out = [Double](repeating: .nan, count: p * p)
        for a in 0..<k { for b in 0..<k { out[columns[a] * p + columns[b]] = c[a * k + b] } }
        return out
    }

    /// A sandwich B M B (all k x k, full symmetric).
    static func sandwich(bread b: [Double], meat m: [Double], order k: Int) -> [Double] {
        var bm = [Double](repeating: 0, count: k * k)
        for col in 0..<k { for r in 0..<k { var s = 0.0; for t in 0..<k { s += b[t * k + r] * m[col * k + t] }; bm[col * k + r] = s } }
        var out = [Double](repeating: 0, count: k * k)
        for col in 0..<k { for r in 0..<k { var s = 0.0; for t in 0..<k { s += bm[t * k + r] * b[col * k + t] }; out[col * k + r] = s } }
        return out
    }

    /// The upper triangle of a Gram made full.
    static func symmetrize(_ g: [Double], order k: Int) -> [Double] {
        var full = g
        for c in 0..<k { for r in 0..<c { full[r * k + c] = g[c * k + r] } }
        return full
    }
}

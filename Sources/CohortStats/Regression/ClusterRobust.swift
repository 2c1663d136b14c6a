import CohortData

/// Cluster-robust (sandwich) covariance of a regression, as `sandwich::vcovCL` (sandwich 3.0-2):
///
/// ```
/// V = c · B (Σ_g s_g s_gᵀ) B,    s_g = Σ_{i ∈ g} ψᵢ,    ψᵢ = wᵢ rᵢ xᵢ
/// ```
///
/// B is the model's unscaled covariance (the inverse information (XᵀWX)⁻¹ of a logistic or Poisson
/// model; (XᵀWX)⁻¹ of least squares), ψᵢ the row's estimating function (`estfun`: the response
/// residual yᵢ − μᵢ for the canonical links, the residual eᵢ for least squares, times the prior
/// weight), and c the small-sample factor: G/(G − 1) (`cadjust = TRUE`) for every model, times
/// (n − 1)/(n − k) under `type = "HC1"`, vcovCL's default for an `lm`; `type = "HC0"`, no further
/// factor, is its default for a `glm`. (Cox models use `coxph`'s convention instead, without
/// G/(G − 1): ``CoxFit``.) Clusters are summed in ascending code order and rows in order
/// (``CoxFit/clusterGram(_:clusters:p:)``), so the bits are the same on every CPU.
public struct ClusterRobust: Sendable, Equatable {
    /// vcovCL's `type`.
    public enum Kind: String, Sendable, Equatable { case hc0 = "HC0", hc1 = "HC1" }

    /// The column of cluster identifiers.
    public let column: String
    /// G, the number of clusters among the rows used.
    public let clusters: Int
    public let kind: Kind
    /// c: G/(G − 1), times (n − 1)/(n − k) for HC1.
    public let factor: Double

    /// The method in words, for the tables.
    public var description: String {
        "cluster-robust (sandwich) SEs clustered on \(column) (\(clusters) clusters), as sandwich::vcovCL: \(kind.rawValue) with the G/(G − 1) factor"
            + (kind == .hc1 ? " and (n − 1)/(n − k)" : "") + " (factor \(NumberText.shortest((factor * 1e6).rounded() / 1e6)))"
    }

    /// The robust covariance (p x p, NaN rows and columns where `bread` has them: aliased columns).
    /// - Parameters:
    ///   - design: the model's design, one row per ``residuals`` entry.
    ///   - residuals: wᵢrᵢ, the scalar part of each row's estimating function.
    ///   - clusters: each design row's cluster code.
    ///   - bread: the unscaled covariance, p x p.
    static func covariance(design: DesignMatrix, residuals: [Double], clusters: [Int], bread: [Double], column: String, kind: Kind)
        -> (covariance: [Double], robust: ClusterRobust) {
        let n = design.rowCount, p = design.columnCount
        let active = (0..<p).filter { !bread[$0 * p + $0].isNaN }
        let k = active.count
        var scores = [Double](repeating: 0, count: n * k)  // row-major n x k
        design.values.withUnsafeBufferPointer { x in
            for (a, j) in active.enumerated() {
                let col = x.baseAddress! + j * n
                for i in 0..<n { scores[i * k + a] = residuals[i] * col[i] }
            }
        }
        let middle = CoxFit.clusterGram(scores, clusters: clusters, p: k)
        return covariance(middle: middle, bread: bread, active: active, clusters: Set(clusters).count, rows: n, column: column, kind: kind)
    }

    /// The robust covariance from its meat Σ_g s_g s_gᵀ, however the cluster sums were formed (from
    /// rows above; inside PostgreSQL and added over sites, issue 17's pushdown).
    /// - Parameters:
    ///   - middle: Σ_g s_g s_gᵀ over the `active` columns, k x k column-major (k = `active.count`).
    ///   - bread: the unscaled covariance, p x p column-major.
    ///   - active: the columns of `bread` that are not aliased, ascending.
    ///   - clusters: G, the number of clusters.
    ///   - rows: n, the rows used (for HC1's (n − 1)/(n − k)).
    /// - Returns: the p x p covariance (NaN outside `active`) and how it was made.
    public static func covariance(middle: [Double], bread: [Double], active: [Int], clusters g: Int, rows n: Int, column: String, kind: Kind)
        -> (covariance: [Double], robust: ClusterRobust) {
        let p = Int(Double(bread.count).squareRoot().rounded()), k = active.count
        precondition(p * p == bread.count && middle.count == k * k, "ClusterRobust.covariance: bread \(bread.count), middle \(middle.count), \(k) active columns")
        var b = [Double](repeating: 0, count: k * k)
        for (c, jc) in active.enumerated() { for (r, jr) in active.enumerated() { b[c * k + r] = bread[jc * p + jr] } }
        var factor = Double(g) / Double(g - 1)
        if kind == .hc1 { factor *= Double(n - 1) / Double(n - k) }
        let v = CoxFit.sandwich(middle: middle, covariance: b, p: k)
        var out = [Double](repeating: .nan, count: p * p)
        for (c, jc) in active.enumerated() { for (r, jr) in active.enumerated() { out[jc * p + jr] = factor * v[c * k + r] } }
        return (out, ClusterRobust(column: column, clusters: g, kind: kind, factor: factor))
    }

    /// Cluster codes (first appearance) of `rows` of `column`, which has no missing value there.
    static func codes(_ column: Column, rows: [Int]) -> [Int] {
        var index: [String: Int] = [:]
        return rows.map { row in
            let value = column.displayValue(row)
            if let code = index[value] { return code }
            index[value] = index.count
            return index.count - 1
        }
    }
}

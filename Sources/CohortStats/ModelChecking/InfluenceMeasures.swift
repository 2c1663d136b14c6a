#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Residuals, leverage and Cook's distance of each row of a logistic fit, as R computes them for a
/// `glm(family = binomial)` fit: `residuals(fit, "pearson")`, `residuals(fit, "deviance")`,
/// `hatvalues(fit)` and `cooks.distance(fit)` (issue 16).
///
/// With pᵢ = expit(ηᵢ) at the estimates, wᵢ = pᵢ(1 − pᵢ) (every row's prior weight is 1) and X the
/// non-aliased design columns (r of them, the rank):
/// ```
/// Pearson   rᵢ = (yᵢ − pᵢ) / √wᵢ
/// deviance  dᵢ = sign(yᵢ − pᵢ) √(−2 [yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ)])
/// leverage  hᵢ = wᵢ xᵢᵀ (XᵀWX)⁻¹ xᵢ          the diagonal of W^½ X (XᵀWX)⁻¹ XᵀW^½
/// Cook's D  Dᵢ = rᵢ² hᵢ / (r (1 − hᵢ)²)       (dispersion 1)
/// ```
/// For a Firth fit the same formulas are evaluated at the penalised estimates: hᵢ is then the hat
/// value of the penalised fit (`logistf`'s `hat.diag`, the h that Firth's modified score uses), and
/// the residuals and Cook's distance are glm's formulas at those estimates (no published package
/// defines a Cook's distance for Firth's penalty; the table says so).
public struct InfluenceMeasures: Sendable, Equatable {
    public let pearson: [Double]
    public let deviance: [Double]
    public let leverage: [Double]
    public let cooksDistance: [Double]
    /// The fitted risks pᵢ.
    public let fitted: [Double]
    /// r, the number of non-aliased coefficients.
    public let rank: Int

    public static let method = "as R glm: residuals(fit, \"pearson\"), residuals(fit, \"deviance\"), hatvalues(fit), cooks.distance(fit)"

    /// The rows whose leverage exceeds 2r/n (the customary flag).
    public var highLeverageThreshold: Double { 2 * Double(rank) / Double(leverage.count) }

    /// - Returns: nil when XᵀWX is singular at the estimates (fitted risks of exactly 0 or 1).
    public init?(_ fit: LogisticFit, model: LogisticModel) {
        let eta = fit.linearPredictor(model)
        let design = model.design
        let n = design.rowCount
        let active = (0..<design.columnCount).filter { !fit.aliased[$0] }
        let r = active.count
        let p = eta.map(CalibrationMeasures.expit)
        let w = p.map { $0 * (1 - $0) }
        // XᵀWX over the active columns, each sum in row order.
        var information = [Double](repeating: 0, count: r * r)
        design.values.withUnsafeBufferPointer { x in
            for (b, jb) in active.enumerated() {
                for a in 0...b {
                    let ja = active[a]
                    var sum = 0.0
                    for i in 0..<n { sum += w[i] * x[ja * n + i] * x[jb * n + i] }
                    information[b * r + a] = sum
                }
            }
        }
        guard Cholesky.factor(&information, order: r) == nil else { return nil }
        var leverage = [Double](repeating: 0, count: n)
        var z = [Double](repeating: 0, count: r)
        design.values.withUnsafeBufferPointer { x in
            for i in 0..<n {
                // Uᵀ z = √wᵢ xᵢ (forward substitution); hᵢ = |z|².
                let root = w[i].squareRoot()
                var h = 0.0
                for j in 0..<r {
                    var value = root * x[active[j] * n + i]
                    for t in 0..<j { value -= information[j * r + t] * z[t] }
                    z[j] = value / information[j * r + j]
                    h += z[j] * z[j]
                }
                leverage[i] = h
            }
        }
        var pearson = [Double](repeating: 0, count: n), deviance = pearson, cooks = pearson
        for i in 0..<n {
            let y = model.response[i]
            pearson[i] = (y - p[i]) / w[i].squareRoot()
            let contribution = y == 1 ? -2 * log(p[i]) : -2 * log1p(-p[i])
            deviance[i] = (y - p[i] < 0 ? -1 : 1) * max(0, contribution).squareRoot()
            let h = leverage[i]
            cooks[i] = pearson[i] * pearson[i] * h / (Double(r) * (1 - h) * (1 - h))
        }
        self.pearson = pearson
        self.deviance = deviance
        self.leverage = leverage
        self.cooksDistance = cooks
        self.fitted = p
        self.rank = r
    }
}

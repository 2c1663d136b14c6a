/// Heteroscedasticity-consistent covariance types, as `sandwich::vcovHC` computes them for an `lm`.
public enum RobustCovariance: String, Sendable, CaseIterable, Codable {
    case hc0, hc1, hc2, hc3

    /// The weight each squared (prior-weighted) residual gets in the meat: HC0 none, HC1 n/(n − k),
    /// HC2 1/(1 − hᵢ), HC3 1/(1 − hᵢ)².
    public var formula: String {
        switch self {
        case .hc0: "HC0 (White): meat Σ (wᵢeᵢ)² xᵢxᵢᵀ"
        case .hc1: "HC1: HC0 × n/(n − k)"
        case .hc2: "HC2: (wᵢeᵢ)²/(1 − hᵢ)"
        case .hc3: "HC3: (wᵢeᵢ)²/(1 − hᵢ)²"
        }
    }
}

/// A linear model fitted by (weighted) least squares, as R's `lm(y ~ ..., weights = w)`.
///
/// The normal equations are solved in the centred and scaled basis of ``WeightedGram`` by the
/// ordered Cholesky factorisation of X̃ᵀWX̃ (``Cholesky``), followed by one step of iterative
/// refinement on the residuals (which recovers the digits the normal equations lose against a QR
/// solve). Aliased columns are found by R's rule (``DesignSummary/aliasedColumns(information:mean:scale:interceptColumn:tolerance:)``,
/// tolerance 1e-7), left out of the fit and reported, as `lm` reports NA coefficients.
public struct LinearFit: Sendable {
    public let coefficientNames: [String]
    public let terms: [ModelTerm]
    /// NaN for aliased columns.
    public let coefficients: [Double]
    /// σ̂²(XᵀWX)⁻¹, or the robust sandwich when ``robust`` is set; NaN rows/columns for aliased columns.
    public let covariance: [Double]
    /// The model-based covariance σ̂²(XᵀWX)⁻¹ (also when the reported one is robust).
    public let modelCovariance: [Double]
    public let robust: RobustCovariance?
    /// Cluster-robust covariance (`--cluster`): how ``covariance`` was made, as sandwich::vcovCL (HC1).
    public internal(set) var cluster: ClusterRobust?
    public let aliased: [Bool]
    /// Σ wᵢeᵢ²: R's `deviance(lm)`.
    public let residualSumOfSquares: Double
    public let dfResidual: Int
    /// σ̂ = √(RSS / df).
    public var residualStandardError: Double { (residualSumOfSquares / Double(dfResidual)).squareRoot() }
    public let rSquared: Double
    public let adjustedRSquared: Double
    /// The overall F test of the model against the intercept-only model (or the zero model without an intercept).
    public let fStatistic: Double
    public let fNumeratorDF: Int
    public var fP: Double { Self.fUpperTail(fStatistic, df1: fNumeratorDF, df2: dfResidual) }

    /// P(F(d₁, d₂) > f) through the regularised incomplete beta: I_{d₂/(d₂+d₁f)}(d₂/2, d₁/2).
    static func fUpperTail(_ f: Double, df1: Int, df2: Int) -> Double {
        guard f.isFinite, df1 > 0, df2 > 0 else { return .nan }
        let d1 = Double(df1), d2 = Double(df2)
        let denominator = d2 + d1 * f
        return IncompleteBeta.regularized(x: d2 / denominator, y: d1 * f / denominator, a: d2 / 2, b: d1 / 2).lower
    }
    /// R's `logLik(lm)`: ½(Σ log wᵢ − n(log 2π + 1 − log n + log Σ wᵢeᵢ²)).
    public let logLikelihood: Double
    public let nObservations: Int
    public let excludedRows: [ExcludedRow]
    public let outcome: String
    public let weightsColumn: String?
    /// The offset column (lm's `offset=`), subtracted from the response before the fit.
    public internal(set) var offsetColumn: String?
    public let hasIntercept: Bool

    public var rank: Int { aliased.filter { !$0 }.count }
    public var nDropped: Int { excludedRows.count }
    public var deviance: Double { residualSumOfSquares }
    /// R's `AIC(lm)`: −2ℓ + 2(rank + 1), σ counted.
    public var aic: Double { -2 * logLikelihood + 2 * Double(rank + 1) }
    public var standardErrors: [Double] { (0..<coefficients.count).map { covariance[$0 * coefficients.count + $0].squareRoot() } }
    public var tStatistics: [Double] { zip(coefficients, standardErrors).map { $0 / $1 } }
    /// Two-sided P values from Student's t on ``dfResidual`` df (also with robust SEs, as `coeftest`).
    public var pValues: [Double] { tStatistics.map { t in t.isNaN ? .nan : 2 * StudentT.survival(abs(t), df: Double(dfResidual)) } }
    /// estimate ± t₍₁₊ₗₑᵥₑₗ₎/₂,df · SE.
    public func intervals(level: Double = 0.95) -> [(lower: Double, upper: Double)?] {
        let t = StudentT.quantile((1 + level) / 2, df: Double(dfResidual))
        return zip(coefficients, standardErrors).map { b, se in b.isNaN ? nil : (b - t * se, b + t * se) }
    }
    /// Sentences the reader must see (rows dropped, aliased columns).
    public let warnings: [String]
}

public enum LinearModel {
    /// Fits `data` by weighted least squares.
    /// - Throws: ``ModelError`` when no residual degrees of freedom remain or the design is singular
    ///   beyond the aliasing rule.
    public static func fit(_ data: RegressionData, robust: RobustCovariance? = nil) throws(ModelError) -> LinearFit {
        let design = data.design, p = design.columnCount, n = data.nObservations
        let basis = WeightedGram(design: design)
        let w = data.weights
        let aliased = basis.aliased(weights: w)
        let active = (0..<p).filter { !aliased[$0] }
        let k = active.count
        guard n - k > 0 else { throw .tooFewObservations(n: n, parameters: k + 1) }
        // The response less the offset (an lm offset, when given, is subtracted as R does).
        let target = zip(data.response, data.offset).map { $0 - $1 }
        let (g, xty) = basis.gram(columns: active, weights: w, rhs: target)
        guard let (inverse, factor) = WeightedGram.invert(g, order: k) else { throw .singularInformation(method: "least-squares") }
        var working = xty
        Cholesky.solve(factor: factor, order: k, rhs: &working, count: 1)
        var beta = basis.toOriginal(working, columns: active)
        // One step of iterative refinement: solve for the correction from the residuals.
        var fitted = basis.linearPredictor(columns: active, beta: beta, offset: [Double](repeating: 0, count: n))
        var residuals = (0..<n).map { target[$0] - fitted[$0] }
        var (_, correction) = basis.gram(columns: active, weights: w, rhs: residuals)
        Cholesky.solve(factor: factor, order: k, rhs: &correction, count: 1)
        let step = basis.toOriginal(correction, columns: active)
        for a in 0..<k { beta[a] += step[a] }
        fitted = basis.linearPredictor(columns: active, beta: beta, offset: [Double](repeating: 0, count: n))
        residuals = (0..<n).map { target[$0] - fitted[$0] }

        var rss = 0.0
        for i in 0..<n { rss += w[i] * residuals[i] * residuals[i] }
        let df = n - k
        let sigma2 = rss / Double(df)
        let unscaled = basis.toOriginal(covariance: inverse, columns: active)
        let modelCovariance = WeightedGram.expand(unscaled.map { $0 * sigma2 }, columns: active, p: p)

        var covariance = modelCovariance
        if let robust {
            var omega = (0..<n).map { (w[$0] * residuals[$0]) * (w[$0] * residuals[$0]) }
            switch robust {
            case .hc0: break
            case .hc1: omega = omega.map { $0 * Double(n) / Double(n - k) }
            case .hc2, .hc3:
                let hat = basis.hatValues(columns: active, weights: w, factor: factor)
                for i in 0..<n { omega[i] /= robust == .hc2 ? (1 - hat[i]) : (1 - hat[i]) * (1 - hat[i]) }
            }
            // Meat in the working basis: Σ ωᵢ x̃ᵢx̃ᵢᵀ.
            let (meat, _) = basis.gram(columns: active, weights: omega)
            let sandwich = WeightedGram.sandwich(bread: inverse, meat: WeightedGram.symmetrize(meat, order: k), order: k)
            covariance = WeightedGram.expand(basis.toOriginal(covariance: sandwich, columns: active), columns: active, p: p)
        }

        // Clusters: vcovCL(lm)'s default, HC1 with G/(G − 1), around the unscaled (XᵀWX)⁻¹.
        var clustered: ClusterRobust?
        if let clusters = data.clusters, let column = data.clusterColumn {
            let made = ClusterRobust.covariance(design: design, residuals: (0..<n).map { w[$0] * residuals[$0] }, clusters: clusters,
                                                bread: WeightedGram.expand(unscaled, columns: active, p: p), column: column, kind: .hc1)
            covariance = made.covariance
            clustered = made.robust
        }

        // R's summary.lm: mss about the weighted mean of the fitted values (with an intercept). Its
        // fitted values include an offset (R 4.2's summary.lm does not take the offset out), so the
        // offset is added back here; without one it adds 0 and keeps the bits.
        let hasIntercept = design.hasIntercept
        let fittedWithOffset = (0..<n).map { fitted[$0] + data.offset[$0] }
        var sumW = 0.0, sumWF = 0.0
        for i in 0..<n { sumW += w[i]; sumWF += w[i] * fittedWithOffset[i] }
        let meanFitted = hasIntercept ? sumWF / sumW : 0
        var mss = 0.0
        for i in 0..<n { let d = fittedWithOffset[i] - meanFitted; mss += w[i] * d * d }
        let rSquared = mss / (mss + rss)
        let dfIntercept = hasIntercept ? 1 : 0
        let adjusted = 1 - (1 - rSquared) * Double(n - dfIntercept) / Double(df)
        let numeratorDF = k - dfIntercept
        let f = numeratorDF > 0 ? (mss / Double(numeratorDF)) / sigma2 : .nan
        var sumLogW = 0.0
        for i in 0..<n { sumLogW += log(w[i]) }
        let nd = Double(n)
        let logLikelihood = 0.5 * (sumLogW - nd * (log(2 * Double.pi) + 1 - log(nd) + log(rss)))

        var coefficients = [Double](repeating: .nan, count: p)
        for (a, j) in active.enumerated() { coefficients[j] = beta[a] }
        var warnings: [String] = []
        if !data.excludedRows.isEmpty { warnings.append(RegressionText.dropped(data.excludedRows)) }
        let aliasedNames = (0..<p).filter { aliased[$0] }.map { design.columnNames[$0] }
        if !aliasedNames.isEmpty { warnings.append(FitDiagnostic.aliased(columns: aliasedNames).description) }
        // R's summary.lm warns "essentially perfect fit: summary may be unreliable" at the same point.
        if rss <= 1e-30 * (mss + rss) || rss == 0 {
            warnings.append("essentially perfect fit: the residuals are zero to rounding, so the standard errors, t tests and P values are unreliable")
        }
        var fit = LinearFit(coefficientNames: design.columnNames, terms: design.terms, coefficients: coefficients, covariance: covariance,
                         modelCovariance: modelCovariance, robust: robust, aliased: aliased, residualSumOfSquares: rss, dfResidual: df,
                         rSquared: rSquared, adjustedRSquared: adjusted, fStatistic: f, fNumeratorDF: numeratorDF,
                         logLikelihood: logLikelihood, nObservations: n, excludedRows: data.excludedRows, outcome: data.outcome,
                         weightsColumn: data.weightsColumn, hasIntercept: hasIntercept, warnings: warnings)
        fit.cluster = clustered
        fit.offsetColumn = data.offsetColumn
        return fit
    }
}

/// Sentences shared by the linear and count models.
public enum RegressionText {
    /// "3 rows left out (missing age: 2, weight 0: 1)".
    public static func dropped(_ rows: [ExcludedRow]) -> String {
        let reasons = Dictionary(grouping: rows, by: \.reason).mapValues(\.count)
        return "\(rows.count) row\(rows.count == 1 ? "" : "s") left out of the fit (" + reasons.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
    }
}

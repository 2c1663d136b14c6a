/// A fitted model's prediction for one design row: the linear predictor with its standard error and
/// the fitted risk with a confidence interval formed on the logit scale and transformed back (R:
/// `predict(fit, newdata, type = "link", se.fit = TRUE)`, then `plogis(fit ± z·se)`), so the interval
/// stays inside (0, 1).
public struct LinearPrediction: Sendable, Equatable {
    /// x'β.
    public let linearPredictor: Double
    /// √(x'Vx), V the fit's covariance (Firth: the penalised fit's, as `logistf` reports).
    public let standardError: Double
    /// expit(x'β).
    public let fitted: Double
    public let lower: Double
    public let upper: Double
    public let level: Double
}

extension LogisticFit {
    /// The prediction at design row `row` (intercept included, coded as the fitted design codes its
    /// rows: ``DesignRecipe/row(at:)``). Sums run over the columns in order, skipping aliased ones
    /// (their coefficient is not estimated; R's `predict` drops them the same way).
    public func prediction(at row: [Double], level: Double = 0.95) -> LinearPrediction {
        precondition(row.count == coefficients.count, "a design row has one value a coefficient")
        let p = coefficients.count
        var eta = 0.0, variance = 0.0
        for j in 0..<p where !aliased[j] { eta += row[j] * coefficients[j] }
        for c in 0..<p where !aliased[c] {
            var inner = 0.0
            for r in 0..<p where !aliased[r] { inner += covariance[c * p + r] * row[r] }
            variance += row[c] * inner
        }
        let se = max(variance, 0).squareRoot()
        let z = Normal.quantile(0.5 + level / 2)
        return LinearPrediction(linearPredictor: eta, standardError: se, fitted: CalibrationMeasures.expit(eta),
                                lower: CalibrationMeasures.expit(eta - z * se), upper: CalibrationMeasures.expit(eta + z * se), level: level)
    }

    /// The prediction for every row the model was fitted to, in the model's row order.
    public func predictions(_ model: LogisticModel, level: Double = 0.95) -> [LinearPrediction] {
        let design = model.design
        let n = design.rowCount, p = design.columnCount
        var row = [Double](repeating: 0, count: p)
        return (0..<n).map { i in
            for j in 0..<p { row[j] = design.values[j * n + i] }
            return prediction(at: row, level: level)
        }
    }
}

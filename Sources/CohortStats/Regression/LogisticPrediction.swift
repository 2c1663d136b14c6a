import CohortData

/// The link of a model's linear predictor η = x'β (+ offset), and its inverse: the fitted value.
public enum PredictionLink: String, Sendable, Equatable {
    /// Logistic regression: risk = expit(η).
    case logit
    /// A linear model: mean = η.
    case identity
    /// Poisson, negative binomial and log-binomial: rate or risk = exp(η).
    case log

    public func inverse(_ eta: Double) -> Double {
        switch self {
        case .logit: CalibrationMeasures.expit(eta)
        case .identity: eta
        case .log: PortableMath.exp(eta)
        }
    }
}

/// A fitted model's prediction for one design row: the linear predictor with its standard error and
/// the fitted value with a confidence interval formed on the linear-predictor scale and transformed
/// back by the inverse link (R: `predict(fit, newdata, type = "link", se.fit = TRUE)`, then
/// `linkinv(fit ± q·se)`; q = z for a GLM, Student's t on the residual df for `lm`), so a risk's
/// interval stays inside (0, 1) and a rate's above 0.
public struct LinearPrediction: Sendable, Equatable {
    /// x'β (+ the row's offset).
    public let linearPredictor: Double
    /// √(x'Vx), V the fit's covariance (Firth: the penalised fit's, as `logistf` reports).
    public let standardError: Double
    /// The inverse link of x'β: expit (risk), identity (mean), exp (rate or risk).
    public let fitted: Double
    public let lower: Double
    public let upper: Double
    public let level: Double
    public let link: PredictionLink

    /// The prediction at design row `row` of a fit with these `coefficients` and `covariance`
    /// (p × p, row-major). Sums run over the columns in order, skipping aliased ones (their
    /// coefficient is not estimated; R's `predict` drops them the same way).
    /// - Parameters:
    ///   - offset: the row's offset, when the model has one (it has no variance).
    ///   - critical: the quantile q of the interval x'β ± q·SE.
    public init(row: [Double], coefficients: [Double], covariance: [Double], aliased: [Bool], offset: Double = 0,
                link: PredictionLink, critical: Double, level: Double) {
        precondition(row.count == coefficients.count, "a design row has one value a coefficient")
        let p = coefficients.count
        var eta = offset, variance = 0.0
        for j in 0..<p where !aliased[j] { eta += row[j] * coefficients[j] }
        for c in 0..<p where !aliased[c] {
            var inner = 0.0
            for r in 0..<p where !aliased[r] { inner += covariance[c * p + r] * row[r] }
            variance += row[c] * inner
        }
        let se = max(variance, 0).squareRoot()
        (linearPredictor, standardError, self.level, self.link) = (eta, se, level, link)
        (fitted, lower, upper) = (link.inverse(eta), link.inverse(eta - critical * se), link.inverse(eta + critical * se))
    }

    /// `predict` for every row of `design` (with its `offset`), in the design's row order.
    public static func rows(of design: DesignMatrix, offset: [Double]?, _ predict: ([Double], Double) -> LinearPrediction) -> [LinearPrediction] {
        let n = design.rowCount, p = design.columnCount
        var row = [Double](repeating: 0, count: p)
        return (0..<n).map { i in
            for j in 0..<p { row[j] = design.values[j * n + i] }
            return predict(row, offset?[i] ?? 0)
        }
    }
}

extension LogisticFit {
    /// The prediction at design row `row` (intercept included, coded as the fitted design codes its
    /// rows: ``DesignRecipe/row(at:)``). Sums run over the columns in order, skipping aliased ones
    /// (their coefficient is not estimated; R's `predict` drops them the same way).
    /// - Parameter offset: the row's offset, when the model has one (it has no variance).
    public func prediction(at row: [Double], offset: Double = 0, level: Double = 0.95) -> LinearPrediction {
        LinearPrediction(row: row, coefficients: coefficients, covariance: covariance, aliased: aliased, offset: offset,
                         link: .logit, critical: Normal.quantile(0.5 + level / 2), level: level)
    }

    /// The prediction for every row the model was fitted to, in the model's row order.
    public func predictions(_ model: LogisticModel, level: Double = 0.95) -> [LinearPrediction] {
        LinearPrediction.rows(of: model.design, offset: model.offset) { prediction(at: $0, offset: $1, level: level) }
    }
}

extension LinearFit {
    /// `predict.lm(se.fit = TRUE, interval = "confidence")` at design row `row`: x'β ± t₍₁₊ₗₑᵥₑₗ₎/₂,df·SE
    /// (SE from the reported covariance: the robust one under `robust`).
    public func prediction(at row: [Double], offset: Double = 0, level: Double = 0.95) -> LinearPrediction {
        LinearPrediction(row: row, coefficients: coefficients, covariance: covariance, aliased: aliased, offset: offset,
                         link: .identity, critical: StudentT.quantile((1 + level) / 2, df: Double(dfResidual)), level: level)
    }

    /// The prediction for every row of `data` (the data it was fitted to), in its row order.
    public func predictions(_ data: RegressionData, level: Double = 0.95) -> [LinearPrediction] {
        LinearPrediction.rows(of: data.design, offset: data.offset) { prediction(at: $0, offset: $1, level: level) }
    }
}

extension CountFit {
    /// `predict.glm(type = "link", se.fit = TRUE)` at design row `row`, the rate (or risk) exp(η)
    /// with the interval exp(η ± z·SE) (dispersion 1, as R for the Poisson, negative binomial and
    /// binomial families; the robust covariance after the modified-Poisson fallback).
    public func prediction(at row: [Double], offset: Double = 0, level: Double = 0.95) -> LinearPrediction {
        LinearPrediction(row: row, coefficients: coefficients, covariance: covariance, aliased: aliased, offset: offset,
                         link: .log, critical: Normal.quantile(0.5 + level / 2), level: level)
    }

    /// The prediction for every row of `data` (the data it was fitted to), in its row order.
    public func predictions(_ data: RegressionData, level: Double = 0.95) -> [LinearPrediction] {
        LinearPrediction.rows(of: data.design, offset: data.offset) { prediction(at: $0, offset: $1, level: level) }
    }
}

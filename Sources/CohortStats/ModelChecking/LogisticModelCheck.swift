/// How well a fitted logistic model discriminates and is calibrated on the patients it was fitted
/// to (issue 16, "model checking"): the C statistic with DeLong's interval, the Hosmer-Lemeshow
/// test, the calibration intercept and slope, and the Brier score. Every measure is apparent
/// (optimistic): the data that chose the coefficients also judge them.
public struct LogisticModelCheck: Sendable, Equatable {
    public let concordance: ConcordanceStatistic?
    public let hosmerLemeshow: HosmerLemeshowTest
    public let calibration: CalibrationMeasures
    /// Patients and events the measures use: the fit's complete cases.
    public let n: Int
    public let events: Int

    /// The Hosmer-Lemeshow groups unless asked otherwise (`hoslem.test`'s default).
    public static let defaultGroups = 10

    /// - Parameters:
    ///   - linearPredictor: η = Xβ̂ per patient.
    ///   - outcome: 1 for an event, 0 otherwise.
    ///   - level: the C statistic's interval level.
    ///   - groups: the Hosmer-Lemeshow g.
    public init(linearPredictor eta: [Double], outcome: [Double], level: Double = 0.95, groups: Int = defaultGroups) {
        let fitted = eta.map(CalibrationMeasures.expit)
        // The C statistic on η: the same order as the fitted risks, without the ties that rounding
        // to 1 or 0 makes among |η| > 37 (expit(38) == expit(39) in doubles).
        concordance = ConcordanceStatistic(risk: eta, outcome: outcome, level: level)
        hosmerLemeshow = HosmerLemeshowTest(fitted: fitted, outcome: outcome, groups: groups)
        calibration = CalibrationMeasures(linearPredictor: eta, outcome: outcome)
        n = eta.count
        events = outcome.reduce(0) { $0 + ($1 == 1 ? 1 : 0) }
    }

    /// The check of `fit`, a fit of `model`.
    public init(_ fit: LogisticFit, model: LogisticModel, level: Double = 0.95, groups: Int = defaultGroups) {
        self.init(linearPredictor: fit.linearPredictor(model), outcome: model.response, level: level, groups: groups)
    }
}

extension LogisticFit {
    /// η = Xβ̂ (+ the offset) for each row of `model`, aliased columns (fixed at 0) left out.
    public func linearPredictor(_ model: LogisticModel) -> [Double] {
        precondition(model.design.columnCount == coefficients.count, "the model is the one that was fitted")
        return model.linearPredictor(coefficients.enumerated().map { aliased[$0.offset] ? 0 : $0.element })
    }
}

extension LogisticModel {
    /// η = Xβ + the offset for each row (``DesignMatrix/linearPredictor(_:offset:)``).
    public func linearPredictor(_ beta: [Double]) -> [Double] { design.linearPredictor(beta, offset: offset) }
}

extension DesignMatrix {
    /// η = Xβ (+ `offset`) for each row; each row's sum runs over the columns in design order
    /// (``OrderedKernels``), so the bits do not depend on the CPU. The one place a linear predictor
    /// is formed outside a likelihood (model checks, validation, predictions, standardisation).
    public func linearPredictor(_ beta: [Double], offset: [Double]? = nil) -> [Double] {
        var eta = [Double](repeating: 0, count: rowCount)
        values.withUnsafeBufferPointer { x in
            beta.withUnsafeBufferPointer { b in
                eta.withUnsafeMutableBufferPointer { e in
                    OrderedKernels.multiply(rows: rowCount, columns: columnCount, a: x.baseAddress!, lda: rowCount, x: b.baseAddress!, into: e.baseAddress!)
                }
            }
        }
        if let offset { for i in eta.indices { eta[i] += offset[i] } }
        return eta
    }
}

import CohortData

/// Calibration of predicted risks against a binary outcome: the calibration intercept
/// (calibration-in-the-large), the calibration slope and the Brier score.
///
/// With ηᵢ the linear predictor (log-odds) of patient i, p̂ᵢ = 1/(1 + e^−ηᵢ) and yᵢ ∈ {0, 1}:
/// ```
/// intercept a:  the maximum-likelihood a of  logit P(y = 1) = a + η   (η an offset, slope fixed at 1)
///               i.e. the root of Σ (yᵢ − expit(a + ηᵢ)) = 0
/// slope b:      from  logit P(y = 1) = a' + b η   (logistic regression of y on η)
/// Brier:        (1/n) Σ (p̂ᵢ − yᵢ)²
/// ```
/// (Cox, Biometrika 45 (1958) 562-565; Van Calster et al., J Clin Epidemiol 74 (2016) 167-176, the
/// "weak calibration" pair; Brier, Monthly Weather Review 78 (1950) 1-3). Ideal values: a = 0,
/// b = 1. `rms::val.prob` (6.5-0) reports the same `Slope` and `Brier`, but its `Intercept` is a',
/// the intercept of the slope model, not the calibration intercept a; a' is kept here as
/// ``recalibrationIntercept`` for that comparison.
///
/// For a maximum-likelihood fit checked on the data it was fitted to (apparent calibration), the
/// score equations force a = 0, a' = 0 and b = 1: they measure calibration only on other data (or
/// after bootstrap optimism correction, which this does not do). Firth's penalty moves them slightly
/// off 0 and 1.
public struct CalibrationMeasures: Sendable, Equatable {
    /// Calibration-in-the-large, a; NaN when its equation has no root (all or no events).
    public let intercept: Double
    /// b; NaN when the slope model did not converge (η separates the outcome).
    public let slope: Double
    /// a', the intercept of the slope model (`rms::val.prob`'s "Intercept").
    public let recalibrationIntercept: Double
    public let brier: Double
    /// Why the slope (and a') are missing, when they are.
    public let problem: String?

    public static let method = "intercept: calibration-in-the-large (logit offset, slope 1); slope: logistic regression of y on the linear predictor (rms::val.prob); Brier: mean (p - y)^2"

    /// - Parameters:
    ///   - linearPredictor: η, finite.
    ///   - outcome: 1 for an event, 0 otherwise, one per η.
    public init(linearPredictor eta: [Double], outcome y: [Double]) {
        precondition(eta.count == y.count, "one outcome per linear predictor")
        let n = eta.count
        var brierSum = 0.0
        for i in 0..<n {
            let d = Self.expit(eta[i]) - y[i]
            brierSum += d * d
        }
        brier = brierSum / Double(n)
        intercept = Self.offsetIntercept(eta: eta, y: y)
        // The slope model is an ordinary two-column logistic regression: the one fitting engine.
        var slope = Double.nan, recalibration = Double.nan
        var problem: String?
        do {
            let design = DesignMatrix(values: [Double](repeating: 1, count: n) + eta, rowCount: n,
                                      columnNames: [ModelTerm.interceptName, "linear predictor"],
                                      terms: [ModelTerm(name: ModelTerm.interceptName, kind: .intercept, columns: 0..<1),
                                              ModelTerm(name: "linear predictor", kind: .numeric, columns: 1..<2)])
            let fitted = try fit(LogisticModel(response: y, design: design, outcome: "outcome"))
            switch fitted.convergence {
            case .converged where !fitted.aliased.contains(true):
                recalibration = fitted.coefficients[0]
                slope = fitted.coefficients[1]
            case .converged:
                problem = "the linear predictor is constant: no calibration slope"
            case .maxIterationsReached(let iterations):
                problem = "the calibration slope model did not converge in \(iterations) iterations"
            case .separation:
                problem = "the linear predictor separates the outcome: the calibration slope is infinite"
            }
        } catch {
            problem = "no calibration slope: \(error)"
        }
        self.slope = slope
        self.recalibrationIntercept = recalibration
        self.problem = problem
    }

    /// 1/(1 + e^−x) without overflow: e^x/(1 + e^x) for negative x.
    public static func expit(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + PortableMath.exp(-x)) }
        let e = PortableMath.exp(x)
        return e / (1 + e)
    }

    /// The root a of S(a) = Σ yᵢ − Σ expit(a + ηᵢ), the one-parameter maximum-likelihood fit with η as
    /// an offset (the fitting engine has no offsets). S is strictly decreasing, from Σ y > 0 at −∞
    /// to Σ y − n < 0 at +∞, so the root exists when 0 < Σ y < n; Newton steps (S' = −Σ p(1 − p))
    /// are kept inside a bracket that shrinks every iteration and bisected when they leave it.
    /// Stops when a step is below 1e-13 (1 + |a|) or the bracket is that narrow.
    static func offsetIntercept(eta: [Double], y: [Double]) -> Double {
        let events = y.reduce(0, +)
        guard events > 0, events < Double(y.count) else { return .nan }
        func score(_ a: Double) -> (value: Double, slope: Double) {
            var fittedSum = 0.0, information = 0.0
            for x in eta {  // in row order: the same bits every run
                let p = expit(a + x)
                fittedSum += p
                information += p * (1 - p)
            }
            return (events - fittedSum, information)
        }
        var lower = -Double.infinity, upper = Double.infinity
        var a = 0.0
        for _ in 0..<200 {
            let (s, information) = score(a)
            if s == 0 { return a }
            if s > 0 { lower = a } else { upper = a }
            var next = information > 0 ? a + s / information : .nan
            if !(next > lower && next < upper) {
                // Outside the bracket (or no curvature left): bisect, or step out by a doubling jump.
                next = lower.isFinite && upper.isFinite ? (lower + upper) / 2
                    : (lower.isFinite ? lower + max(1, abs(lower)) : upper - max(1, abs(upper)))
            }
            let tolerance = 1e-13 * (1 + abs(a))
            if abs(next - a) <= tolerance || upper - lower <= tolerance { return next }
            a = next
        }
        return a
    }
}

import CohortData

/// A generalised linear model with a log link: Poisson (`glm(family = poisson)`), negative binomial
/// with θ estimated (`MASS::glm.nb`), and binomial with a log link (`glm(family = binomial(link =
/// "log"))`, risk ratios), with the modified-Poisson fallback of Zou (2004) for the last.
///
/// Fitting is Fisher scoring (IRLS) in the working basis of ``WeightedGram``: each step solves
/// X̃ᵀWX̃ δ̃ = X̃ᵀW (y − μ)/μ by the ordered Cholesky factorisation, with working weights
/// Wᵢ = aᵢμᵢ²/V(μᵢ) (aᵢ the prior weight). A step that makes the deviance non-finite or larger, or
/// (log-binomial) a fitted risk ≥ 1, is halved, up to 25 times. Iteration stops when the Newton
/// decrement √(gᵀG⁻¹g) in that basis is at most 1e-10 (the estimate within 1e-10 standard errors
/// of the maximum: the rule of ``FitOptions/tolerance``), or at the rounding floor (the decrement
/// below 1e-9 and no longer falling). The covariance is the inverse expected information at the
/// estimates (R's `summary.glm` with dispersion 1), or a sandwich for the modified Poisson.
public enum CountFamily: Sendable, Equatable {
    case poisson
    /// Negative binomial with this θ (variance μ + μ²/θ).
    case negativeBinomial(theta: Double)
    case logBinomial

    func variance(_ mu: Double) -> Double {
        switch self {
        case .poisson: mu
        case .negativeBinomial(let theta): mu + mu * mu / theta
        case .logBinomial: mu * (1 - mu)
        }
    }

    /// The unit deviance dᵢ (before the prior weight).
    func unitDeviance(_ y: Double, _ mu: Double) -> Double {
        func ylog(_ y: Double, _ ratio: Double) -> Double { y == 0 ? 0 : y * log(ratio) }
        switch self {
        case .poisson: return 2 * (ylog(y, y / mu) - (y - mu))
        case .negativeBinomial(let theta): return 2 * (ylog(y, y / mu) - (y + theta) * log((y + theta) / (mu + theta)))
        case .logBinomial: return 2 * (ylog(y, y / mu) + ylog(1 - y, (1 - y) / (1 - mu)))
        }
    }

    /// The log-likelihood contribution (before the prior weight), as R's `aic` of the family.
    func logDensity(_ y: Double, _ mu: Double) -> Double {
        switch self {
        case .poisson:
            return (y == 0 ? 0 : y * log(mu)) - mu - lgamma(y + 1)
        case .negativeBinomial(let theta):
            return lgamma(theta + y) - lgamma(theta) - lgamma(y + 1) + theta * log(theta) + (y == 0 ? 0 : y * log(mu)) - (theta + y) * log(theta + mu)
        case .logBinomial:
            return y == 1 ? log(mu) : log1p(-mu)
        }
    }

    func valid(_ mu: Double) -> Bool {
        switch self {
        case .logBinomial: mu > 0 && mu < 1
        default: mu > 0 && mu.isFinite
        }
    }
}

/// What was fitted by ``CountModel``.
public struct CountFit: Sendable {
    public enum Method: String, Sendable {
        case poisson
        case negativeBinomial = "negative-binomial"
        case logBinomial = "log-binomial"
        /// Poisson working model for a binary outcome with the HC0 sandwich (Zou 2004).
        case modifiedPoisson = "modified-poisson"
    }

    public let method: Method
    public let coefficientNames: [String]
    public let terms: [ModelTerm]
    /// On the log scale (log rate ratio, log risk ratio); NaN for aliased columns.
    public let coefficients: [Double]
    /// The inverse information, or the cluster-robust covariance with clusters (``cluster``).
    public internal(set) var covariance: [Double]
    /// Cluster-robust covariance (`--cluster`), as sandwich::vcovCL of a glm (HC0 × G/(G − 1)).
    public internal(set) var cluster: ClusterRobust?
    public let aliased: [Bool]
    public let deviance: Double
    public let nullDeviance: Double
    public let dfResidual: Int
    public let dfNull: Int
    /// Σ aᵢ(yᵢ − μᵢ)²/V(μᵢ).
    public let pearsonChiSquare: Double
    public var dispersion: Double { pearsonChiSquare / Double(dfResidual) }
    public let logLikelihood: Double
    public let converged: Bool
    public let iterations: Int
    /// The negative binomial's θ with its standard error (`glm.nb`'s `theta` and `SE.theta`).
    public let theta: Double?
    public let thetaStandardError: Double?
    public let nObservations: Int
    /// Σ aᵢ yᵢ (events) and, with an exposure, Σ aᵢ exposureᵢ is not kept: the offset is.
    public let totalResponse: Double
    public let excludedRows: [ExcludedRow]
    public let outcome: String
    public let eventLabel: String?
    public let weightsColumn: String?
    public let exposureColumn: String?
    public let offsetColumn: String?
    /// Why the log-binomial fit was replaced by the modified Poisson, when it was.
    public let fallbackReason: String?
    public let warnings: [String]
    public let fitted: [Double]

    public var rank: Int { aliased.filter { !$0 }.count }
    public var nDropped: Int { excludedRows.count }
    /// R's AIC: −2ℓ + 2·rank, plus 2 for θ (`glm.nb`).
    public var aic: Double { -2 * logLikelihood + 2 * Double(rank + (theta == nil ? 0 : 1)) }
    public var standardErrors: [Double] { (0..<coefficients.count).map { covariance[$0 * coefficients.count + $0].squareRoot() } }
    public var zStatistics: [Double] { zip(coefficients, standardErrors).map { $0 / $1 } }
    public var pValues: [Double] { zStatistics.map(Normal.twoSidedP) }
    /// Wald: estimate ± z·SE on the log scale.
    public func intervals(level: Double = 0.95) -> [ConfidenceInterval?] {
        let z = Normal.quantile((1 + level) / 2)
        return zip(coefficients, standardErrors).map { b, se in b.isNaN ? nil : ConfidenceInterval(lower: b - z * se, upper: b + z * se, level: level, method: .wald) }
    }
    public var isRobust: Bool { method == .modifiedPoisson }
}

public enum CountModel {
    public static let maxIterations = 100
    /// A fitted risk above this is "numerically 1": the log-binomial maximum is on the boundary.
    public static let riskBoundary = 1 - 1e-8

    /// Poisson regression (rates with an exposure offset).
    public static func poisson(_ data: RegressionData) throws(ModelError) -> CountFit {
        try requireEvents(data)
        let engine = try Engine(data: data)
        let fit = engine.irls(family: .poisson, start: nil)
        var result = try engine.result(fit, family: .poisson, method: .poisson)
        if let clusters = data.clusters, let column = data.clusterColumn {
            // estfun of a Poisson glm: wᵢ(yᵢ − μᵢ)xᵢ; bread: the inverse information (dispersion 1).
            let residuals = data.response.indices.map { data.weights[$0] * (data.response[$0] - result.fitted[$0]) }
            let made = ClusterRobust.covariance(design: data.design, residuals: residuals, clusters: clusters, bread: result.covariance,
                                                column: column, kind: .hc0)
            result.covariance = made.covariance
            result.cluster = made.robust
        }
        return result
    }

    /// Negative binomial regression with θ by maximum likelihood, alternating as `MASS::glm.nb`:
    /// a Poisson fit, then θ by Newton on its score (`theta.ml`, expected information), the
    /// coefficients by IRLS at that θ, θ again, until θ changes by less than 1e-10 relative and the
    /// coefficients' fit has converged (at most 100 alternations).
    public static func negativeBinomial(_ data: RegressionData) throws(ModelError) -> CountFit {
        try requireEvents(data)
        let engine = try Engine(data: data)
        var fit = engine.irls(family: .poisson, start: nil)
        guard var theta = engine.thetaML(mu: fit.mu, start: nil) else {
            throw .data("negative binomial: θ's maximum-likelihood estimate is infinite (the counts show no overdispersion beyond the Poisson's); the model reduces to the Poisson model: leave out {negative_binomial}")
        }
        var alternations = 0, settled = false
        var warnings: [String] = []
        while alternations < 100 {
            alternations += 1
            fit = engine.irls(family: .negativeBinomial(theta: theta), start: fit.beta)
            guard let next = engine.thetaML(mu: fit.mu, start: theta) else {
                warnings.append("θ did not converge (its estimate grows without bound: no overdispersion; use the Poisson model)")
                break
            }
            let change = abs(next - theta) / theta
            theta = next
            if change < 1e-10 && fit.converged { settled = true; break }
        }
        if settled { fit = engine.irls(family: .negativeBinomial(theta: theta), start: fit.beta) }
        let info = engine.thetaInformation(mu: fit.mu, theta: theta)
        var result = try engine.result(fit, family: .negativeBinomial(theta: theta), method: .negativeBinomial, theta: theta,
                                       thetaSE: (1 / info).squareRoot(), extraWarnings: warnings, converged: settled && fit.converged)
        result = result.with(iterations: alternations)
        return result
    }

    /// The log-binomial model for risk ratios; when it does not converge, or its fitted risks reach
    /// 1 (``riskBoundary``), the modified Poisson model (Poisson working model, HC0 sandwich SEs as
    /// `sandwich::vcovHC(glm(poisson), type = "HC0")`), with the reason in ``CountFit/fallbackReason``.
    public static func logBinomial(_ data: RegressionData, allowFallback: Bool = true) throws(ModelError) -> CountFit {
        let engine = try Engine(data: data)
        let events = data.response.reduce(0, +)
        if events == 0 || events == Double(data.nObservations) {
            throw .constantOutcome(column: data.outcome, value: events == 0 ? "0" : data.eventLabel ?? "1", n: data.nObservations)
        }
        let fit = engine.irls(family: .logBinomial, start: nil)
        let maxRisk = fit.mu.max() ?? 0
        var reason: String?
        if fit.failure != nil || !fit.converged {
            reason = "the log-binomial fit did not converge" + (fit.failure.map { " (\($0))" } ?? " in \(maxIterations) iterations")
                + (maxRisk > 0.99 ? "; its fitted risks approach 1 (max \(NumberText.shortest(maxRisk)))" : "")
        } else if maxRisk > riskBoundary {
            reason = "the log-binomial fit reaches the boundary: fitted risks numerically 1 (max \(NumberText.shortest(maxRisk)))"
        }
        guard let reason, allowFallback else {
            return try engine.result(fit, family: .logBinomial, method: .logBinomial, converged: reason == nil)
        }
        return try modifiedPoisson(data, engine: engine, reason: reason)
    }

    /// Zou's modified Poisson: Poisson estimates, HC0 sandwich covariance.
    public static func modifiedPoisson(_ data: RegressionData, reason: String? = nil) throws(ModelError) -> CountFit {
        try modifiedPoisson(data, engine: try Engine(data: data), reason: reason)
    }

    static func modifiedPoisson(_ data: RegressionData, engine: Engine, reason: String?) throws(ModelError) -> CountFit {
        let fit = engine.irls(family: .poisson, start: nil)
        let above = fit.mu.filter { $0 > 1 }.count
        let note = above > 0 ? ["the modified Poisson model's fitted risks exceed 1 for \(above) row\(above == 1 ? "" : "s") (its risk ratios are still consistent; its fitted values are not risks there)"] : []
        return try engine.result(fit, family: .poisson, method: .modifiedPoisson, fallbackReason: reason, robust: true, extraWarnings: note)
    }

    /// A count model of an outcome that is 0 in every row has no finite estimate.
    static func requireEvents(_ data: RegressionData) throws(ModelError) {
        if !data.response.contains(where: { $0 > 0 }) {
            throw .data("outcome '\(data.outcome)' is 0 in all \(data.nObservations) complete rows; a count model needs some events")
        }
    }

    struct Engine {
        let data: RegressionData
        let basis: WeightedGram
        let active: [Int]
        let aliased: [Bool]

        init(data: RegressionData) throws(ModelError) {
            self.data = data
            basis = WeightedGram(design: data.design)
            let aliased = basis.aliased(weights: data.weights)
            self.aliased = aliased
            active = (0..<data.design.columnCount).filter { !aliased[$0] }
            guard data.nObservations > active.count else { throw .tooFewObservations(n: data.nObservations, parameters: active.count) }
        }

        struct State {
            var beta: [Double]
            var mu: [Double]
            var deviance: Double
            var iterations: Int
            var converged: Bool
            var failure: String?
        }

        func deviance(_ family: CountFamily, mu: [Double]) -> Double {
            var sum = 0.0
            for i in 0..<mu.count { sum += data.weights[i] * family.unitDeviance(data.response[i], mu[i]) }
            return sum
        }

        func evaluate(_ family: CountFamily, beta: [Double], columns: [Int]) -> (mu: [Double], deviance: Double)? {
            let eta = basis.linearPredictor(columns: columns, beta: beta, offset: data.offset)
            var mu = [Double](repeating: 0, count: eta.count)
            for i in 0..<eta.count {
                mu[i] = exp(eta[i])
                if !family.valid(mu[i]) { return nil }
            }
            let d = deviance(family, mu: mu)
            return d.isFinite ? (mu, d) : nil
        }

        /// Start: every coefficient 0 but the intercept, at the log of the weighted mean rate (in a
        /// log-binomial model below 1, so inside the domain).
        func startValues(_ family: CountFamily, columns: [Int]) -> [Double] {
            var beta = [Double](repeating: 0, count: columns.count)
            guard let i = basis.interceptColumn.flatMap({ columns.firstIndex(of: $0) }) else { return beta }
            var sumY = 0.0, sumE = 0.0
            for r in 0..<data.nObservations { sumY += data.weights[r] * data.response[r]; sumE += data.weights[r] * exp(data.offset[r]) }
            let rate = max(sumY / sumE, 1e-10)
            beta[i] = log(family == .logBinomial ? min(rate, 0.5) : rate)
            // With an offset the intercept-only start may still put some risk ≥ 1: lower it until none does.
            if family == .logBinomial {
                var tries = 0
                while evaluate(family, beta: beta, columns: columns) == nil, tries < 60 { beta[i] -= 1; tries += 1 }
            }
            return beta
        }

        func irls(family: CountFamily, start: [Double]?, columns: [Int]? = nil) -> State {
            let columns = columns ?? active
            let k = columns.count
            var beta = start ?? startValues(family, columns: columns)
            guard var current = evaluate(family, beta: beta, columns: columns) else {
                return State(beta: beta, mu: [], deviance: .nan, iterations: 0, converged: false, failure: "no valid starting values")
            }
            var previousDecrement = Double.infinity
            for iteration in 1...maxIterations {
                let w = (0..<current.mu.count).map { i in data.weights[i] * current.mu[i] * current.mu[i] / family.variance(current.mu[i]) }
                let z = (0..<current.mu.count).map { i in (data.response[i] - current.mu[i]) / current.mu[i] }
                let (g, score) = basis.gram(columns: columns, weights: w, rhs: z)
                var factor = g
                guard Cholesky.factor(&factor, order: k) == nil else {
                    return State(beta: beta, mu: current.mu, deviance: current.deviance, iterations: iteration - 1, converged: false,
                                 failure: "the information matrix became singular")
                }
                var delta = score
                Cholesky.solve(factor: factor, order: k, rhs: &delta, count: 1)
                let decrement = zip(score, delta).reduce(0.0) { $0 + $1.0 * $1.1 }.squareRoot()
                if decrement <= 1e-10 || (decrement < 1e-9 && decrement > previousDecrement * 0.9) {
                    return State(beta: beta, mu: current.mu, deviance: current.deviance, iterations: iteration - 1, converged: true)
                }
                previousDecrement = decrement
                let step = basis.toOriginal(delta, columns: columns)
                var fraction = 1.0, accepted = false
                for _ in 0...25 {
                    let trial = (0..<k).map { beta[$0] + fraction * step[$0] }
                    if let next = evaluate(family, beta: trial, columns: columns),
                       next.deviance <= current.deviance + 1e-12 * (abs(current.deviance) + 1) {
                        beta = trial
                        current = next
                        accepted = true
                        break
                    }
                    fraction /= 2
                }
                if !accepted {
                    return State(beta: beta, mu: current.mu, deviance: current.deviance, iterations: iteration, converged: false,
                                 failure: family == .logBinomial ? "step halving could not keep the fitted risks below 1 and lower the deviance" : "step halving failed")
                }
            }
            return State(beta: beta, mu: current.mu, deviance: current.deviance, iterations: maxIterations, converged: false)
        }

        /// θ's score and expected information (`MASS::theta.ml`), with digamma/trigamma differences
        /// over the integer counts as finite sums.
        func thetaScore(mu: [Double], theta: Double) -> (score: Double, information: Double) {
            var score = 0.0, information = 0.0
            for i in 0..<mu.count {
                let y = data.response[i], m = mu[i], a = data.weights[i]
                // ψ(θ + y) − ψ(θ) and ψ'(θ) − ψ'(θ + y) for whole y.
                var psi = 0.0, psi1 = 0.0
                if y <= 200 {
                    var t = 0.0
                    while t < y { psi += 1 / (theta + t); psi1 += 1 / ((theta + t) * (theta + t)); t += 1 }
                } else {
                    psi = Polygamma.digamma(theta + y) - Polygamma.digamma(theta)
                    psi1 = Polygamma.trigamma(theta) - Polygamma.trigamma(theta + y)
                }
                score += a * (psi + log(theta) + 1 - log(theta + m) - (y + theta) / (m + theta))
                information += a * (psi1 - 1 / theta + 2 / (m + theta) - (y + theta) / ((m + theta) * (m + theta)))
            }
            return (score, information)
        }

        func thetaInformation(mu: [Double], theta: Double) -> Double { thetaScore(mu: mu, theta: theta).information }

        /// θ by Newton on its score with the expected information, from `start` or `theta.ml`'s
        /// moment start n / Σ aᵢ(yᵢ/μᵢ − 1)²; nil when it does not settle (θ → ∞).
        func thetaML(mu: [Double], start: Double?) -> Double? {
            var theta: Double
            if let start { theta = start } else {
                var s = 0.0, n = 0.0
                for i in 0..<mu.count { let r = data.response[i] / mu[i] - 1; s += data.weights[i] * r * r; n += data.weights[i] }
                theta = n / s
            }
            guard theta.isFinite, theta > 0 else { return nil }
            for _ in 0..<100 {
                let (score, information) = thetaScore(mu: mu, theta: theta)
                var next = theta + score / information
                if !(next > 0) { next = theta / 10 }
                let change = abs(next - theta)
                theta = next
                guard theta.isFinite, theta < 1e12 else { return nil }
                if change <= 1e-13 * theta { return theta }
            }
            return nil
        }

        func result(_ state: State, family: CountFamily, method: CountFit.Method, theta: Double? = nil, thetaSE: Double? = nil,
                    fallbackReason: String? = nil, robust: Bool = false, extraWarnings: [String] = [], converged: Bool? = nil) throws(ModelError) -> CountFit {
            guard !state.mu.isEmpty else { throw .singularInformation(method: method.rawValue) }
            let p = data.design.columnCount, k = active.count, n = data.nObservations
            let mu = state.mu
            let w = (0..<n).map { i in data.weights[i] * mu[i] * mu[i] / family.variance(mu[i]) }
            let (g, _) = basis.gram(columns: active, weights: w)
            var covariance = [Double](repeating: .nan, count: p * p)
            if let (inverse, _) = WeightedGram.invert(g, order: k) {
                var working = inverse
                if robust {
                    // HC0: meat Σ (aᵢ(yᵢ − μᵢ))² x̃ᵢx̃ᵢᵀ (sandwich's estfun for a Poisson glm).
                    let omega = (0..<n).map { i in let e = data.weights[i] * (data.response[i] - mu[i]); return e * e }
                    let (meat, _) = basis.gram(columns: active, weights: omega)
                    working = WeightedGram.sandwich(bread: inverse, meat: WeightedGram.symmetrize(meat, order: k), order: k)
                }
                covariance = WeightedGram.expand(basis.toOriginal(covariance: working, columns: active), columns: active, p: p)
            }
            var pearson = 0.0, logLikelihood = 0.0, total = 0.0
            for i in 0..<n {
                let r = data.response[i] - mu[i]
                pearson += data.weights[i] * r * r / family.variance(mu[i])
                logLikelihood += data.weights[i] * family.logDensity(data.response[i], mu[i])
                total += data.weights[i] * data.response[i]
            }
            // Null model: the intercept alone (with the offset), or the offset alone without an intercept.
            var nullDeviance = Double.nan
            if let intercept = basis.interceptColumn {
                let null = irls(family: family, start: nil, columns: [intercept])
                if null.converged { nullDeviance = null.deviance }
            } else if let null = evaluate(family, beta: [], columns: []) {
                nullDeviance = null.deviance
            }
            var coefficients = [Double](repeating: .nan, count: p)
            for (a, j) in active.enumerated() { coefficients[j] = state.beta[a] }
            var warnings: [String] = []
            if !data.excludedRows.isEmpty { warnings.append(RegressionText.dropped(data.excludedRows)) }
            let aliasedNames = (0..<p).filter { aliased[$0] }.map { data.design.columnNames[$0] }
            if !aliasedNames.isEmpty { warnings.append(FitDiagnostic.aliased(columns: aliasedNames).description) }
            let isConverged = converged ?? state.converged
            if !isConverged { warnings.append("did not converge\(state.failure.map { " (\($0))" } ?? "") in \(state.iterations) iterations; estimates are not reliable") }
            warnings += extraWarnings
            if let fallbackReason { warnings.append("log-binomial model replaced by the modified Poisson model (Zou 2004): \(fallbackReason)") }
            let hasIntercept = basis.interceptColumn != nil
            return CountFit(method: method, coefficientNames: data.design.columnNames, terms: data.design.terms, coefficients: coefficients,
                            covariance: covariance, aliased: aliased, deviance: state.deviance, nullDeviance: nullDeviance,
                            dfResidual: n - k, dfNull: n - (hasIntercept ? 1 : 0), pearsonChiSquare: pearson, logLikelihood: logLikelihood,
                            converged: isConverged, iterations: state.iterations, theta: theta, thetaStandardError: thetaSE, nObservations: n,
                            totalResponse: total, excludedRows: data.excludedRows, outcome: data.outcome, eventLabel: data.eventLabel,
                            weightsColumn: data.weightsColumn, exposureColumn: data.exposureColumn, offsetColumn: data.offsetColumn,
                            fallbackReason: fallbackReason, warnings: warnings, fitted: mu)
        }
    }
}

extension CountFit {
    func with(iterations: Int) -> CountFit {
        CountFit(method: method, coefficientNames: coefficientNames, terms: terms, coefficients: coefficients, covariance: covariance,
                 aliased: aliased, deviance: deviance, nullDeviance: nullDeviance, dfResidual: dfResidual, dfNull: dfNull,
                 pearsonChiSquare: pearsonChiSquare, logLikelihood: logLikelihood, converged: converged, iterations: iterations,
                 theta: theta, thetaStandardError: thetaStandardError, nObservations: nObservations, totalResponse: totalResponse,
                 excludedRows: excludedRows, outcome: outcome, eventLabel: eventLabel, weightsColumn: weightsColumn,
                 exposureColumn: exposureColumn, offsetColumn: offsetColumn, fallbackReason: fallbackReason, warnings: warnings, fitted: fitted)
    }
}

/// ψ and ψ′ for the negative binomial's θ score when a count is large (else exact finite sums):
/// the recurrence up to x ≥ 10, then the asymptotic series (Abramowitz & Stegun 6.3.18, 6.4.12).
enum Polygamma {
    static func digamma(_ x: Double) -> Double {
        var x = x, result = 0.0
        while x < 10 { result -= 1 / x; x += 1 }
        let f = 1 / (x * x)
        return result + log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))))
    }

    static func trigamma(_ x: Double) -> Double {
        var x = x, result = 0.0
        while x < 10 { result += 1 / (x * x); x += 1 }
        let f = 1 / (x * x)
        return result + 1 / x + f / 2 + (f / x) * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f / 30)))
    }
}

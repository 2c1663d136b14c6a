import CohortData

/// A fit together with the inference a coefficient table reports: intervals by the chosen method,
/// likelihood-ratio tests per coefficient and per variable, and every warning. Renderers read this
/// value and compute nothing.
public struct LogisticAnalysis: Sendable {
    public let fit: LogisticFit
    public let level: Double
    public let intervalMethod: ConfidenceInterval.Method
    /// One per coefficient; nil for aliased coefficients or when the interval could not be computed.
    public let intervals: [ConfidenceInterval?]
    public let coefficientTests: [LikelihoodRatioTest?]
    public let termTests: [LikelihoodRatioTest]
    /// The fit's diagnostics and any inference that could not be completed, as sentences.
    public let warnings: [String]
    public let source: String?
    /// Discrimination and calibration on the fitted rows (issue 16); nil with case weights, whose
    /// patients these unweighted measures would miscount.
    public let check: LogisticModelCheck?
    /// With clusters: how the covariance (and so the SEs, Wald tests and Wald CIs) was made robust.
    public internal(set) var cluster: ClusterRobust?

    /// Fits `model` and computes the inference. Profile intervals and tests refit the model; their
    /// failures become warnings, never silently wrong numbers.
    /// - Parameters:
    ///   - likelihoodRatioTests: false skips the per-coefficient and per-variable refits (each costs
    ///     about one fit); the table then shows Wald tests only.
    ///   - hosmerLemeshowGroups: g of the Hosmer-Lemeshow test (at least 3).
    public static func run(_ model: LogisticModel, options: FitOptions, intervals method: ConfidenceInterval.Method = .profile,
                           level: Double = 0.95, likelihoodRatioTests: Bool = true, source: String? = nil,
                           hosmerLemeshowGroups: Int = LogisticModelCheck.defaultGroups) throws(ModelError) -> LogisticAnalysis {
        var fitted = try CohortStats.fit(model, options: options)
        // Clusters: the sandwich replaces the inverse information, as sandwich::vcovCL(glm) (HC0, G/(G − 1)).
        var robust: ClusterRobust?
        if let clusters = model.clusters, let column = model.clusterColumn {
            let eta = fitted.linearPredictor(model)
            let residuals = eta.indices.map { model.response[$0] - 1 / (1 + PortableMath.exp(-eta[$0])) }
            let made = ClusterRobust.covariance(design: model.design, residuals: residuals, clusters: clusters, bread: fitted.covariance,
                                                column: column, kind: .hc0)
            fitted.covariance = made.covariance
            robust = made.robust
        }
        var warnings = fitted.diagnostics.map(\.description)
        let coefficientTests = likelihoodRatioTests ? try fitted.coefficientTests(model) : fitted.coefficients.map { _ in nil }
        let termTests = likelihoodRatioTests ? try fitted.termTests(model, coefficientTests: coefficientTests) : []
        var intervals: [ConfidenceInterval?]
        switch method {
        case .wald:
            intervals = zip(fitted.waldIntervals(level: level), fitted.aliased).map { $1 ? nil : $0 }
        case .profile:
            intervals = try fitted.profileIntervals(model, level: level)
        }
        for (j, interval) in intervals.enumerated() {
            guard let interval, interval.lower.isNaN || interval.upper.isNaN else { continue }
            intervals[j] = nil
            warnings.append(LikelihoodRatioTest.profileFailureWarning(fitted.coefficientNames[j]))
        }
        if let warning = LikelihoodRatioTest.failureWarning(coefficientTests.compactMap { $0 } + termTests) { warnings.append(warning) }
        let check = model.weights == nil ? LogisticModelCheck(fitted, model: model, level: level, groups: hosmerLemeshowGroups) : nil
        var analysis = LogisticAnalysis(fit: fitted, level: level, intervalMethod: method, intervals: intervals,
                                        coefficientTests: coefficientTests, termTests: termTests, warnings: warnings, source: source,
                                        check: check)
        analysis.cluster = robust
        return analysis
    }
}

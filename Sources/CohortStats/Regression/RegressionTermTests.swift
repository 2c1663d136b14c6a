/// A test of a whole term of a linear or count model (all a spline's, a factor's or a factor
/// interaction's columns together).
public struct TermTest: Sendable, Equatable {
    public enum Method: String, Sendable { case f = "F", likelihoodRatio = "LR", wald = "Wald" }
    public let name: String
    public let method: Method
    /// F, or χ² for LR and Wald.
    public let statistic: Double
    public let df: Int
    /// The denominator df of an F test.
    public let dfResidual: Int?
    public let p: Double
    public let comparison: String
}

/// Whole-term tests of the linear and count models, for terms of more than one column (a one-column
/// term's test is its coefficient's), in `drop1`'s scope (no term contained in an interaction):
///
/// - `cohort linear`: the F test of the refit without the term, F = ((RSS₀ − RSS)/q)/(RSS/df),
///   as `drop1(lm, test = "F")`; with `--robust`, the Wald χ² bᵀV_R⁻¹b with the robust covariance.
/// - `cohort poisson`, `cohort logbinomial`: the LR test, the deviance of the refit without the
///   term minus the model's, on the same rows and weights (`drop1(glm, test = "LRT")`);
///   `--negative-binomial`: 2(ℓ − ℓ₀) with θ estimated again for the smaller model (as `anova` of
///   two `glm.nb` fits); the modified Poisson fallback (robust SEs): the robust Wald χ².
public enum RegressionTermTests {
    static func candidates(_ terms: [ModelTerm]) -> [ModelTerm] {
        terms.filter { $0.kind != .intercept && $0.columns.count > 1 && !$0.isMarginal(in: terms) }
    }

    public static func linear(_ data: RegressionData, fit: LinearFit) -> [TermTest] {
        candidates(fit.terms).compactMap { term in
            let columns = term.columns.filter { !fit.aliased[$0] }
            guard !columns.isEmpty else { return nil }
            if fit.robust != nil {
                return wald(term, columns: columns, coefficients: fit.coefficients, covariance: fit.covariance, p: fit.coefficients.count)
            }
            guard let reduced = try? data.without(term.columns), let small = try? LinearModel.fit(reduced) else {
                return failed(term, .f, columns.count)
            }
            let q = fit.rank - small.rank
            guard q > 0 else { return failed(term, .f, columns.count) }
            let f = ((small.residualSumOfSquares - fit.residualSumOfSquares) / Double(q)) / (fit.residualSumOfSquares / Double(fit.dfResidual))
            return TermTest(name: term.name, method: .f, statistic: f, df: q, dfResidual: fit.dfResidual,
                            p: LinearFit.fUpperTail(f, df1: q, df2: fit.dfResidual), comparison: "model without \(term.name) vs full model (F)")
        }
    }

    public static func count(_ data: RegressionData, fit: CountFit) -> [TermTest] {
        candidates(fit.terms).compactMap { term in
            let columns = term.columns.filter { !fit.aliased[$0] }
            guard !columns.isEmpty else { return nil }
            if fit.method == .modifiedPoisson {
                return wald(term, columns: columns, coefficients: fit.coefficients, covariance: fit.covariance, p: fit.coefficients.count)
            }
            guard let reduced = try? data.without(term.columns) else { return failed(term, .likelihoodRatio, columns.count) }
            let small: CountFit?
            switch fit.method {
            case .poisson: small = try? CountModel.poisson(reduced)
            case .negativeBinomial: small = try? CountModel.negativeBinomial(reduced)
            case .logBinomial: small = try? CountModel.logBinomial(reduced, allowFallback: false)
            case .modifiedPoisson: small = nil
            }
            guard let small, small.converged else { return failed(term, .likelihoodRatio, columns.count) }
            let df = fit.rank - small.rank
            let chiSquare = fit.method == .negativeBinomial ? 2 * (fit.logLikelihood - small.logLikelihood) : small.deviance - fit.deviance
            return TermTest(name: term.name, method: .likelihoodRatio, statistic: max(0, chiSquare), df: df, dfResidual: nil,
                            p: ChiSquare.survival(max(0, chiSquare), df: Double(df)),
                            comparison: "model without \(term.name) vs full model" + (fit.method == .negativeBinomial ? " (θ estimated for each)" : ""))
        }
    }

    /// bᵀV⁻¹b over `columns` (V the p x p column-major covariance), or nil when that block is singular.
    static func waldChiSquare(columns: [Int], coefficients: [Double], covariance: [Double], p: Int) -> Double? {
        let k = columns.count
        var block = [Double](repeating: 0, count: k * k)
        for (c, jc) in columns.enumerated() { for (r, jr) in columns.enumerated() { block[c * k + r] = covariance[jc * p + jr] } }
        guard Cholesky.factor(&block, order: k) == nil, Cholesky.invert(&block, order: k) else { return nil }
        let b = columns.map { coefficients[$0] }
        var chiSquare = 0.0
        for c in 0..<k { for r in 0..<k { chiSquare += b[c] * block[max(c, r) * k + min(c, r)] * b[r] } }
        return chiSquare
    }

    static func wald(_ term: ModelTerm, columns: [Int], coefficients: [Double], covariance: [Double], p: Int) -> TermTest {
        let k = columns.count
        guard let chiSquare = waldChiSquare(columns: columns, coefficients: coefficients, covariance: covariance, p: p) else { return failed(term, .wald, k) }
        return TermTest(name: term.name, method: .wald, statistic: chiSquare, df: k, dfResidual: nil, p: ChiSquare.survival(chiSquare, df: Double(k)),
                        comparison: "Wald test of all \(term.name) coefficients = 0 (robust covariance)")
    }

    static func failed(_ term: ModelTerm, _ method: TermTest.Method, _ df: Int) -> TermTest {
        TermTest(name: term.name, method: method, statistic: .nan, df: df, dfResidual: nil, p: .nan, comparison: "the smaller model could not be fitted")
    }
}

extension RegressionData {
    /// The same rows, weights and offset without the design columns `removed`.
    func without(_ removed: Range<Int>) throws(ModelError) -> RegressionData {
        try RegressionData(response: response, design: design.removing(columns: removed), weights: weights, offset: offset, outcome: outcome,
                           eventLabel: eventLabel, excludedRows: excludedRows, weightsColumn: weightsColumn, exposureColumn: exposureColumn,
                           offsetColumn: offsetColumn)
    }
}

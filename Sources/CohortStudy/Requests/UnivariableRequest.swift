import CohortData
import CohortStats

/// A model request whose model is `covariates` or `formula` with `factor`: what `univariable`
/// refits one covariate (or one term) at a time. Cox and Fine-Gray share this; logit builds its
/// models directly (``LogitRequest/univariableFits(_:suppression:)``).
protocol UnivariableRequest {
    var covariates: [String] { get set }
    var formula: String? { get set }
    var factor: KeyValueList { get set }
}

extension UnivariableRequest {
    /// This request once per covariate, or with `formula` once per term that is not an interaction
    /// (``LogitRequest/univariableTerms(_:)``), with that one alone and its reference level kept;
    /// each paired with the name the table prints.
    func eachAlone() throws -> [(name: String, request: Self)] {
        if let formula = try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: nil) {
            return LogitRequest.univariableTerms(formula).map { term in
                var alone = self
                let one = ModelFormula(response: nil, terms: [term])
                alone.formula = one.description
                alone.factor = KeyValueList(factor.pairs.filter { one.variables.contains($0.name) })
                return (term.name, alone)
            }
        }
        return covariates.map { covariate in
            var alone = self
            alone.covariates = [covariate]
            alone.factor = KeyValueList(factor.pairs.filter { $0.name == covariate })
            return (covariate, alone)
        }
    }
}

import CohortData
import CohortStats

/// The right-hand side of a regression request: `covariates` (an additive model of columns) or
/// `formula` (R's notation, ``ModelFormula``), and the reference levels of its factors. Logit,
/// Cox, Fine-Gray and the GLMs read their model through this one rule.
enum ModelSpecification {
    static let formulaField = FieldDoc(
        "formula", "a model formula", default: "none",
        "The model in R's notation instead of covariates, e.g. 'low ~ age * smoke + race + rcs(lwt, 4)': a:b interactions, a*b = a + b + a:b, rcs(x, k) restricted cubic splines (rms's default knots; rcs(x, c(...)) for given knots), log(x), I(x^2); terms stay in the order written.")

    /// The formula read, or nil when the request uses covariates.
    /// - Parameters:
    ///   - outcome: the outcome named separately (logit's `outcome`), or nil for a model whose
    ///     outcome is not a column of the formula (Cox and Fine-Gray: the times and status).
    static func parse(_ formula: String?, covariates: [String], factor: KeyValueList, outcome: String?) throws(RequestError) -> ModelFormula? {
        guard let text = formula else {
            if covariates.isEmpty { throw RequestError("covariates", "must list at least one column (or give the model as {formula})") }
            try LogitRequest.checkReferenceLevels(factor, covariates: covariates)
            return nil
        }
        if !covariates.isEmpty {
            throw RequestError("formula", "replaces {covariates}: give the model one way, not both (covariates \(covariates.joined(separator: ", ")))")
        }
        var parsed: ModelFormula
        do { parsed = try ModelFormula.parse(text) } catch {
            throw RequestError("formula", "'\(text)': at character \(error.position): \(error.message)")
        }
        if let outcome {
            switch (parsed.response, outcome.isEmpty) {
            case (nil, true):
                throw RequestError("formula", "'\(text)' has no outcome: write it before '~' ('\(text.hasPrefix("~") ? "outcome " + text : text)') or give {outcome}")
            case (nil, false):
                parsed.response = outcome
            case (let written?, false) where written != outcome:
                throw RequestError("formula", "has the outcome '\(written)' but {outcome} is '\(outcome)'; give it once")
            default:
                break
            }
        }
        // A reference level only for a column the formula uses as a factor.
        let factors = parsed.terms.flatMap(\.factors).compactMap { f -> String? in if case .variable(let name) = f { name } else { nil } }
        var unique: [String] = []
        for name in factors where !unique.contains(name) { unique.append(name) }
        try LogitRequest.checkReferenceLevels(factor, covariates: unique, of: "the formula's variables")
        return parsed
    }
}

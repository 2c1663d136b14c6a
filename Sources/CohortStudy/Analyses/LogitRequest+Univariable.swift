import CohortData
import CohortReport
import CohortStats

/// `cohort logit --univariable` (study files: `univariable: true`): each covariate fitted alone
/// with the outcome, by the same method, intervals and tests as the multivariable model, its odds
/// ratio printed beside the multivariable one (``UnivariableTable``) and the fits added to the JSON
/// as `univariable`. Kept apart from LogitRequest.swift, which only calls it.
extension LogitRequest {
    static let univariableField = FieldDoc(
        "univariable", "true/false", default: "false",
        "Also fit each covariate alone (with formula: each term that is not an interaction, a factor's levels and a spline's columns together) on the rows where it and the outcome are recorded, and print its odds ratio, CI and P beside the multivariable ones, a factor's reference level as a Reference row and an interaction's univariable cell as —; the JSON gets the fits as univariable.")

    /// Each covariate fitted alone: its reference level as in `factor`; refused under suppression
    /// as the multivariable model would be.
    func univariableFits(_ table: DataTable, suppression: Suppression) throws -> [UnivariableTable.Fit] {
        var options = FitOptions.defaults(for: firth ? .firth : .maximumLikelihood)
        if let maxIterations { options.maxIterations = maxIterations }
        func fitAlone(_ model: LogisticModel) throws -> LogisticAnalysis {
            try suppression.check(model)
            return try LogisticAnalysis.run(model, options: options, intervals: ci, level: level, likelihoodRatioTests: lr, source: table.source,
                                            hosmerLemeshowGroups: hosmerLemeshowGroups ?? LogisticModelCheck.defaultGroups)
        }
        if let formula = try ModelSpecification.parse(formula, covariates: covariates, factor: factor, outcome: outcome) {
            return try Self.univariableTerms(formula).map { term in
                let alone = ModelFormula(response: formula.response, terms: [term])
                let model = try LogisticModel(table: table, formula: alone, referenceLevels: factor.dictionary.filter { alone.variables.contains($0.key) },
                                              eventLevel: event, weights: weights, offset: offset)
                return UnivariableTable.Fit(covariate: term.name, analysis: try fitAlone(model))
            }
        }
        return try covariates.map { covariate in
            let reference = factor.dictionary.filter { $0.key == covariate }
            let model = try LogisticModel(table: table, outcome: outcome, covariates: [covariate], referenceLevels: reference, eventLevel: event,
                                          weights: weights, offset: offset)
            return UnivariableTable.Fit(covariate: covariate, analysis: try fitAlone(model))
        }
    }

    /// The terms of `formula` fitted alone: all but the interactions (gtsummary's
    /// `tbl_uvregression` fits main effects; an interaction means nothing without them).
    static func univariableTerms(_ formula: ModelFormula) -> [ModelFormula.Term] {
        formula.terms.filter { $0.factors.count == 1 }
    }

    /// The rule of `univariable` with `formula`: at least one term that is not an interaction.
    static func checkUnivariable(_ formula: ModelFormula?) throws(RequestError) {
        guard let formula, univariableTerms(formula).isEmpty else { return }
        throw RequestError("univariable", "fits each term of {formula} that is not an interaction alone, but '\(formula)' has only interactions; add their main effects")
    }

    /// Each covariate's row heading: the codebook's label, with its unit unless the label says it.
    static func covariateLabels(_ covariates: [String], in table: DataTable) -> [String: String] {
        var labels: [String: String] = [:]
        for covariate in covariates {
            guard let variable = try? table.column(named: covariate).variable else { continue }
            var text = variable.label ?? covariate
            if let unit = variable.unit, !text.contains(unit) { text += " (\(unit))" }
            labels[covariate] = text
        }
        return labels
    }

    /// The side-by-side table first in `tables`; the fits, for the JSON.
    func addUnivariable(_ analysis: LogisticAnalysis, input: AnalysisInput, tables: inout [ReportTable]) throws -> [UnivariableTable.Fit] {
        let fits = try univariableFits(input.table, suppression: input.style.suppression)
        tables.insert(UnivariableTable.make(multivariable: analysis, univariable: fits, labels: Self.covariateLabels(fits.map(\.covariate), in: input.table),
                                            formula: formula != nil, style: input.style), at: 0)
        return fits
    }
}

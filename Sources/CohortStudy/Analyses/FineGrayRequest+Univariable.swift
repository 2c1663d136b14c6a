import CohortData
import CohortReport
import CohortStats

/// `cohort finegray --univariable` (study files: `univariable: true`): each covariate fitted alone
/// (same times, event, competing events and convention), its subdistribution hazard ratio printed
/// beside the multivariable one (``UnivariableTable``) and the fits added to the JSON as
/// `univariable`, as for Cox. Kept apart from FineGrayRequest.swift, which only calls it.
extension FineGrayRequest: UnivariableRequest {
    static let univariableField = FieldDoc(
        "univariable", "true/false", default: "false",
        "Also fit each covariate alone (with formula: each term that is not an interaction, a factor's levels and a spline's columns together) on the rows where it and the times are recorded, and print its subdistribution hazard ratio, CI and P beside the multivariable ones, a factor's reference level as a Reference row and an interaction's univariable cell as —; the JSON gets the fits as univariable.")

    /// Each covariate fitted alone (without the predictions), refused under suppression as the
    /// multivariable model would be.
    func univariableFits(_ table: DataTable, suppression: Suppression) throws -> [UnivariableTable.FineGrayFit] {
        try eachAlone().map { name, request in
            var alone = request
            alone.predict = []
            alone.days = []
            return UnivariableTable.FineGrayFit(covariate: name, analysis: try alone.analyze(table, suppression: suppression))
        }
    }

    /// The side-by-side table first in `tables`, the fits in `json`.
    func addUnivariable(_ analysis: FineGrayAnalysis, input: AnalysisInput, tables: inout [ReportTable], json: inout String) throws {
        let fits = try univariableFits(input.table, suppression: input.style.suppression)
        tables.insert(UnivariableTable.make(multivariable: analysis, univariable: fits, labels: LogitRequest.covariateLabels(fits.map(\.covariate), in: input.table),
                                            formula: formula != nil, style: input.style), at: 0)
        json = FineGrayJSON.render(analysis, suppression: input.style.suppression, univariable: fits)
    }
}

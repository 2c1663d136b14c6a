import CohortData
import CohortStats

/// The hazard models' adapters of ``ForestPlot``: a Cox model's hazard ratios and a Fine-Gray
/// model's subdistribution hazard ratios, one row a coefficient (the reference level of a
/// categorical covariate as an open square at 1), the model and its counts in the caption.
extension ForestPlot {
    public static func svg(_ analysis: CoxAnalysis, title: String? = nil, termLabels: [String: String] = [:]) -> String {
        let fit = analysis.fit
        let rows = hazardRows(names: fit.coefficientNames, terms: fit.terms, estimates: fit.coefficients, intervals: analysis.intervals,
                              aliased: fit.aliased, monotone: HazardTable.monotoneTerms(fit.convergence), termLabels: termLabels)
        let competing = analysis.competingEvents.isEmpty ? "" : " (cause-specific: \(analysis.competingEvents.joined(separator: ", ")) censored)"
        var caption = [
            "Model: Cox proportional hazards regression of \(analysis.event)\(competing), \(fit.options.ties == .efron ? "Efron" : "Breslow") ties"
                + (analysis.strataColumn.map { ", stratified by \($0)" } ?? "") + (analysis.clusterColumn.map { ", robust SEs clustered on \($0)" } ?? "")
                + "; n = \(fit.nObservations) used, \(fit.excludedRows.count) dropped for missing values; \(fit.nEvents) events; "
                + HazardTable.convergenceLine(fit.convergence, rank: fit.degreesOfFreedom, of: fit.coefficients.count) + ".",
        ]
        caption += referenceAndWarningLines(terms: fit.terms, warnings: analysis.warnings)
        return svg(rows: rows, measure: .hazardRatio, level: analysis.level,
                   intervalMethod: analysis.intervalMethod == .profile ? "profile likelihood" : "Wald (estimate ± z·SE)",
                   title: title ?? "Hazard ratios for \(analysis.event)", caption: caption)
    }

    public static func svg(_ analysis: FineGrayAnalysis, title: String? = nil, termLabels: [String: String] = [:]) -> String {
        let fit = analysis.fit
        let rows = hazardRows(names: fit.coefficientNames, terms: fit.terms, estimates: fit.coefficients, intervals: analysis.intervals,
                              aliased: fit.aliased, monotone: HazardTable.monotoneTerms(fit.convergence), termLabels: termLabels)
        var caption = [
            "Model: Fine-Gray subdistribution hazards regression of \(analysis.event), competing: "
                + (analysis.competingEvents.isEmpty ? "none" : analysis.competingEvents.joined(separator: ", "))
                + " (\(fit.options.convention == .crr ? "cmprsk::crr" : "survival::finegray + coxph") conventions); n = \(fit.nObservations) used, "
                + "\(fit.excludedRows.count) dropped for missing values; \(fit.nEvents) events, \(fit.nCompeting) competing; "
                + HazardTable.convergenceLine(fit.convergence, rank: fit.degreesOfFreedom, of: fit.coefficients.count) + ".",
        ]
        caption += referenceAndWarningLines(terms: fit.terms, warnings: analysis.warnings)
        return svg(rows: rows, measure: .subdistributionHazardRatio, level: analysis.level, intervalMethod: "Wald (estimate ± z·SE, sandwich SE)",
                   title: title ?? "Subdistribution hazard ratios for \(analysis.event)", caption: caption)
    }

    /// One row a coefficient, a categorical covariate's reference level first as an open square.
    static func hazardRows(names: [String], terms: [ModelTerm], estimates: [Double], intervals: [ConfidenceInterval?], aliased: [Bool],
                           monotone: [String], termLabels: [String: String]) -> [Row] {
        var rows: [Row] = []
        for j in names.indices {
            if let term = terms.first(where: { $0.columns.lowerBound == j }), case .categorical(let reference, _) = term.kind {
                let name = ModelTerm.levelColumnName(term.name, reference)
                rows.append(.reference(termLabels[name] ?? name))
            }
            let label = termLabels[names[j]] ?? names[j]
            if aliased[j] { rows.append(Row(label: label, estimate: nil, note: "not estimable (aliased)")); continue }
            guard !estimates[j].isNaN else { rows.append(Row(label: label, estimate: nil, note: "not estimable")); continue }
            let interval = intervals[j].flatMap { ci -> (lower: Double, upper: Double)? in
                ci.lower.isNaN || ci.upper.isNaN ? nil : (PortableMath.exp(ci.lower), PortableMath.exp(ci.upper))
            }
            var notes: [String] = []
            if monotone.contains(names[j]) { notes.append("monotone likelihood") }
            if interval == nil { notes.append("CI not computed") }
            rows.append(Row(label: label, estimate: PortableMath.exp(estimates[j]), lower: interval?.lower, upper: interval?.upper,
                            note: notes.isEmpty ? nil : notes.joined(separator: "; ")))
        }
        return rows
    }

    static func referenceAndWarningLines(terms: [ModelTerm], warnings: [String]) -> [String] {
        var lines: [String] = []
        let references = terms.compactMap { term -> String? in
            if case .categorical(let reference, _) = term.kind { return "\(term.name): reference '\(reference)'" }
            return nil
        }
        if !references.isEmpty { lines.append("Reference levels: " + references.joined(separator: "; ") + ".") }
        lines += warnings.map { "Warning: " + ($0.hasSuffix(".") ? $0 : $0 + ".") }
        return lines
    }
}

import CohortData
import CohortStats

/// The tables of a Fine-Gray analysis: the coefficients as `summary(crr)` gives them (log
/// subdistribution hazard ratio, sandwich SE, z, Wald P, SHR and interval), with the header's event,
/// competing events, counts, conventions and convergence; and, when asked, the predicted cumulative
/// incidence of each covariate profile at the days given.
public enum FineGrayTable {
    public static func make(_ analysis: FineGrayAnalysis, style: NumberStyle = .standard) -> [ReportTable] {
        [coefficients(analysis, style: style)] + (analysis.predictions.isEmpty ? [] : [predictions(analysis, style: style)])
    }

    static func coefficients(_ analysis: FineGrayAnalysis, style: NumberStyle) -> ReportTable {
        let fit = analysis.fit
        let coefficients = HazardTable.Coefficients(
            names: fit.coefficientNames, terms: fit.terms, estimates: fit.coefficients, standardErrors: fit.standardErrors,
            otherStandardErrors: nil, z: fit.zStatistics, intervals: analysis.intervals, aliased: fit.aliased,
            monotone: Set(HazardTable.monotoneTerms(fit.convergence)))
        let columns = HazardTable.columns(coefficients, logHeader: "log SHR", ratioHeader: "SHR", level: analysis.level)
        let rows = HazardTable.rows(coefficients, columnCount: columns.count)
        let sample = self.sample(analysis)
        let preamble = [
            "event: \(analysis.event); competing: \(analysis.competingEvents.isEmpty ? "none" : analysis.competingEvents.joined(separator: ", ")); data: \(analysis.source)",
            HazardTable.sampleLine(sample, style: style),
            fit.options.convention == .crr
                ? "conventions: cmprsk::crr (Breslow ties; censoring distribution by Kaplan-Meier on the rows used; sandwich variance with the term for estimating it)"
                : "conventions: survival::finegray + coxph (Efron ties; events before censorings at tied times in the censoring distribution; robust variance without the term for estimating it)",
            HazardTable.convergenceLine(fit.convergence, rank: fit.degreesOfFreedom, of: fit.coefficients.count),
        ] + weightsLines(analysis) + [
            "log pseudo-likelihood = \(style.number(fit.logLikelihood)) (at β = 0: \(style.number(fit.nullLogLikelihood)))",
        ]
        var notes = [
            "log SHR, std. error: log subdistribution hazard ratio scale; std. error from \(fit.options.convention == .crr ? "crr's sandwich variance (Fine & Gray 1999)" : "coxph's robust variance over the patients"), which z, P and the CI use.",
            "P (Wald): two-sided normal test of estimate/SE. CI: Wald (estimate ± z·SE), exponentiated. The pseudo-likelihood gives no likelihood-ratio test.",
        ]
        notes += HazardTable.referenceNotes(fit.terms)
        notes += HazardTable.closingNotes(sample, parameters: fit.degreesOfFreedom, warnings: analysis.warnings, style: style)
        return ReportTable(title: "Fine-Gray subdistribution hazards regression", preamble: preamble, columns: columns, rows: rows,
                           notes: notes, style: style)
    }

    /// What the weights and the offset are, under each convention (issue 16).
    static func weightsLines(_ analysis: FineGrayAnalysis) -> [String] {
        var lines: [String] = []
        if let weights = analysis.weightColumn {
            lines.append(analysis.fit.options.convention == .crr
                ? "weights: \(weights), frequency weights (crr on the rows repeated: the censoring distribution, risk sets and sandwich weighted)"
                : "weights: \(weights), as survival::finegray(weights =): the censoring distribution unweighted, fgwt × \(weights) coxph's case weights, the robust variance from the weighted score residuals")
        }
        if let offset = analysis.offsetColumn {
            lines.append("offset: \(offset), added to the linear predictor with coefficient 1 (predictions at offset 0)")
        }
        return lines
    }

    static func predictions(_ analysis: FineGrayAnalysis, style: NumberStyle) -> ReportTable {
        let columns = [ReportTable.Column(key: "profile", header: "covariates", alignment: .left)]
            + analysis.days.map { ReportTable.Column(key: "day\(NumberText.shortest($0))", header: "day \(NumberText.shortest($0))") }
        let rows = analysis.predictions.map { prediction in
            [CellValue.text(prediction.label)] + prediction.cumulativeIncidence.map { CellValue.number($0) }
        }
        return ReportTable(title: "Predicted cumulative incidence of \(analysis.event) (Fine-Gray model)",
                           preamble: ["F(t | z) = 1 − exp(−exp(zᵀβ̂) Λ̂₀(t)), Λ̂₀ the Breslow-type baseline cumulative subdistribution hazard (as predict.crr)"],
                           columns: columns, rows: rows, notes: [], style: style)
    }

    static func sample(_ analysis: FineGrayAnalysis) -> HazardTable.Sample {
        let fit = analysis.fit
        return HazardTable.Sample(used: fit.nObservations, dropped: fit.excludedRows.count, events: fit.nEvents, competing: fit.nCompeting,
                                  censored: fit.nCensored, hasCompeting: true)
    }
}

/// The JSON of `cohort finegray --format json`: logit's coefficient schema (``CoefficientJSON``)
/// with `hazardRatio`/`hrLower`/`hrUpper` holding the subdistribution hazard ratio, and the model's
/// counts, convergence and predictions (docs/json.md).
public enum FineGrayJSON {
    public static func value(_ analysis: FineGrayAnalysis) -> JSONValue {
        let fit = analysis.fit
        let monotone = HazardTable.monotoneTerms(fit.convergence)
        let coefficients = HazardTable.coefficientsJSON(
            names: fit.coefficientNames, estimates: fit.coefficients, standardErrors: fit.standardErrors,
            naiveStandardErrors: fit.naiveStandardErrors, z: fit.zStatistics, intervals: analysis.intervals, aliased: fit.aliased,
            convergence: fit.convergence, method: .wald, level: analysis.level)
        let predictions: [JSONValue] = analysis.predictions.map { prediction in
            .object([
                ("profile", .string(prediction.label)),
                ("covariates", .object(zip(fit.coefficientNames, prediction.covariates).map { ($0, .number($1)) })),
                ("days", .array(analysis.days.map(JSONValue.number))),
                ("cumulativeIncidence", .array(prediction.cumulativeIncidence.map(JSONValue.number))),
            ])
        }
        return .object([
            ("model", .string("finegray")),
            ("convention", .string(fit.options.convention.rawValue)),
            ("event", .string(analysis.event)),
            ("competingEvents", .array(analysis.competingEvents.map(JSONValue.string))),
            ("weights", analysis.weightColumn.map(JSONValue.string) ?? .null),
            ("offset", analysis.offsetColumn.map(JSONValue.string) ?? .null),
        ] + HazardTable.sampleAndFitFields(FineGrayTable.sample(analysis), convergence: fit.convergence, tolerance: fit.options.tolerance,
                                           newtonDecrement: fit.newtonDecrement, rank: fit.degreesOfFreedom) + [
            ("logPseudoLikelihood", .optionalNumber(fit.logLikelihood)),
            ("nullLogPseudoLikelihood", .optionalNumber(fit.nullLogLikelihood)),
        ] + HazardTable.eventsPerVariableFields(events: fit.nEvents, parameters: fit.degreesOfFreedom) + [
            ("referenceLevels", HazardTable.referenceLevels(fit.terms)),
            ("coefficients", coefficients),
            ("monotoneTerms", .array(monotone.map(JSONValue.string))),
            ("predictions", .array(predictions)),
            ("warnings", .array(analysis.warnings.map(JSONValue.string))),
        ])
    }

    /// - Parameters:
    ///   - suppression: under it what the table's header hides is null and listed in
    ///     `suppression.hidden`, as for Cox (``HazardTable/hidden(_:rule:)``).
    public static func render(_ analysis: FineGrayAnalysis, suppression rule: Suppression = .none) -> String {
        value(analysis).suppressed(HazardTable.hidden(FineGrayTable.sample(analysis), rule: rule), rule: rule).rendered(indent: 2) + "\n"
    }
}

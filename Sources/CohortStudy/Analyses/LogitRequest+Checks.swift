import CohortData
import CohortReport
import CohortStats

/// Logit's model checks on request (issue 16): bootstrap validation (`validate`, as
/// `rms::validate`) and influence and residual summaries (`influence`). Kept apart from
/// ``LogitRequest``'s own fields and run so that the regression request stays small.
extension LogitRequest {
    static let checkFields: [FieldDoc] = [
        FieldDoc("validate", "a whole number from 1 to 100000", default: "none",
                 "Bootstrap validation as rms::validate (Efron-Gong optimism) from this many resamples: Dxy, C, R2, calibration intercept and slope and Brier score, apparent, optimism and optimism-corrected, with the resamples used; seeded by seed."),
        FieldDoc("influence", "true/false", default: "false",
                 "Add the influence and residual summary table (largest Pearson and deviance residuals, leverage and Cook's distance with their lines; rows above 2p/n leverage and other cut-offs), as R's residuals, hatvalues and cooks.distance of glm; each row's values with the command's --influence-out."),
        FieldDoc("roc", "true/false", default: "false",
                 "Also draw the ROC curve (sensitivity against 1 − specificity at every threshold, the C statistic with its DeLong CI in the caption) as a figure; not under suppression (it steps at every patient), not with case weights."),
        FieldDoc("calibration", "true/false", default: "false",
                 "Also draw the calibration plot (observed against fitted risk by Hosmer-Lemeshow group, a lowess smoother as R's, the ideal line) as a figure; not under suppression (it shows each group's events), not with case weights."),
    ]

    /// The rules of `validate`, `influence`, `roc` and `calibration`.
    func validateChecks() throws(RequestError) {
        if let validation { try InputRules.bootstrapReplicates.check("validate", validation) }
        if let by, let key = [("roc", roc), ("calibration", calibration)].first(where: \.1)?.0 {
            throw RequestError(key, value: "true", "draws a single fit, but {by} '\(by)' gives one per level: leave out one of them")
        }
    }

    /// The ROC curve and calibration plot asked for, in that order, titled by the outcome's label.
    /// - Throws: ``RequestError`` under suppression (the curve steps at every patient, the plot
    ///   shows each group's events) and when the model check was not computed (case weights).
    func checkFigures(_ figures: ModelCheckFigures?, input: AnalysisInput) throws -> [AnalysisResult.Figure] {
        let asked = [("roc", roc), ("calibration", calibration)].filter(\.1).map(\.0)
        guard let key = asked.first else { return [] }
        if input.style.suppression.isActive {
            throw RequestError(key, value: "true", "draws every patient's step or each group's events and cannot be suppressed; leave it out under small-cell suppression")
        }
        guard let figures else {
            throw RequestError(key, value: "true", "draws the model check, which is not computed with case (non-integer) weights; leave it out")
        }
        let outcome = FigureLabels.short(input.table, column: (try? outcomeColumn()) ?? self.outcome)
        return (roc ? [AnalysisResult.Figure(title: "ROC curve: \(outcome)", svg: figures.rocSVG(title: "ROC curve: \(outcome)"))] : [])
            + (calibration ? [AnalysisResult.Figure(title: "Calibration: \(outcome)", svg: figures.calibrationSVG(title: "Calibration: \(outcome)"))] : [])
    }

    /// The validation and influence tables and values asked for.
    /// - Throws: ``RequestError`` for `influence` under suppression (each row's residual gives its
    ///   outcome away); ``BootstrapError`` when too many validation resamples fail.
    func modelChecks(_ model: LogisticModel, _ analysis: LogisticAnalysis, input: AnalysisInput) throws
        -> (tables: [ReportTable], validation: LogisticValidation?, influence: InfluenceTable.Summary?, rows: ReportTable?) {
        let fit = analysis.fit
        var tables: [ReportTable] = []
        var validated: LogisticValidation?
        if let validation {
            let result = try fit.validation(model, options: BootstrapOptions(replicates: validation, seed: seed ?? 1), progress: input.progress)
            let rule = input.style.suppression
            let sample = rule.sample(fit)
            tables.append(ValidationTable.make(result, fit: fit, status: rule.sampleDerivedStatus(used: sample.used, events: sample.events), style: input.style))
            validated = result
        }
        guard influence else { return (tables, validated, nil, nil) }
        if input.style.suppression.isActive {
            throw RequestError("influence", value: "true", "lists each row's residual, leverage and line, which give its outcome away: it cannot be suppressed; leave it out under small-cell suppression")
        }
        guard let measures = InfluenceMeasures(fit, model: model) else {
            throw ModelError.singularInformation(method: "the influence measures (fitted risks of 0 or 1)")
        }
        // Each model row's line in the data file (no weights here: validate() refuses them).
        let lines = model.sourceRows.map { Int(input.table.lineNumbers[$0]) }
        let summary = InfluenceTable.Summary(measures, lines: lines)
        tables.append(InfluenceTable.summary(summary, fit: fit, style: input.style))
        return (tables, validated, summary, InfluenceTable.rows(measures, lines: lines, outcome: model.response, fit: fit))
    }
}

extension LogitRequest {
    /// With `influence`, each row's residual and line give its outcome away: a report under
    /// suppression leaves the output out and says so (the command refuses the flag).
    public var unsuppressible: String? {
        if influence { return "the influence table (each row's residual, leverage and line give its outcome away)" }
        if roc || calibration { return "the ROC curve and calibration plot (they show every patient's step and each group's events)" }
        return nil
    }
}

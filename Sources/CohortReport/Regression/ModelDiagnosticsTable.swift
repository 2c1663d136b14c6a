import CohortStats

/// A logistic fit's diagnostics as a two-column table (item, value): convergence with its
/// criterion, separation, aliased terms, n used and dropped, events, events per variable,
/// log-likelihood and AIC, then (with `check`) the C statistic, the Hosmer-Lemeshow test and the
/// calibration measures. `cohort logit --diagnostics` prints it under the coefficient table.
public enum ModelDiagnosticsTable {
    /// - Parameter check: the model check of the same fit (issue 16), as rows after AIC.
    public static func make(_ fit: LogisticFit, check: LogisticModelCheck? = nil, style: NumberStyle = .standard) -> ReportTable {
        let rule = style.suppression
        let sample = rule.sample(fit)
        // Issue 12: the rule and what it reached at the estimates.
        let reached = fit.criterion
        let scoreName = fit.method == .firth ? "modified score" : "score"
        let criterion = "Newton decrement √(Uᵀ I⁻¹ U) ≤ \(style.number(fit.options.tolerance)) (\(scoreName)); reached: "
            + "decrement \(NumberStyle(significantDigits: 2).number(reached.newtonDecrement)), "
            + "max |\(scoreName)| (working basis) \(NumberStyle(significantDigits: 2).number(reached.maxWorkingScore)), "
            + "relative \(fit.method == .firth ? "penalised " : "")deviance change \(NumberStyle(significantDigits: 2).number(reached.relativeObjectiveChange))"
        let convergence: String = switch fit.convergence {
        case .converged(let iterations): "converged in \(iterations) iterations (maximum \(fit.options.maxIterations))"
        case .maxIterationsReached(let iterations): "NOT converged after \(iterations) iterations"
        case .separation(_, let complete, let iterations): "NOT converged: \(complete ? "complete" : "quasi-complete") separation (stopped after \(iterations) iterations)"
        }
        let aliased = fit.coefficientNames.indices.filter { fit.aliased[$0] }.map { fit.coefficientNames[$0] }
        let epv = EventsPerVariable(fit)
        let epvWithheld = rule.eventsPerVariableStatus(used: sample.used, events: sample.events, survival: false) != .shown
        let epvText = epvWithheld ? style.missing : epv.value.map { value in
            rule.isSmall(min(epv.events, epv.nonEvents)) ? "<\(NumberStyle(significantDigits: 2).number(Double(rule.threshold) / Double(epv.parameters)))"
                : NumberStyle(significantDigits: 2).number(value) + (value < EventsPerVariable.threshold ? " (below 10)" : "")
        } ?? style.missing
        var rows: [[CellValue]] = [
            [.text("method"), .text(fit.method == .firth ? "Firth penalised likelihood" : "maximum likelihood")],
            [.text("convergence"), .text(convergence)],
            [.text("criterion"), .text(criterion)],
            [.text("separation"), .text(fit.separatedColumns.isEmpty ? "none detected" : fit.separatedColumns.joined(separator: ", "))],
            [.text("aliased terms"), .text(aliased.isEmpty ? "none" : aliased.joined(separator: ", "))],
            [.text("rank"), .text("\(fit.rank) of \(fit.coefficients.count)")],
            [.text("n used"), .count(fit.nObservations, .init(sample.used))],
            [.text("n dropped (missing values)"), .count(fit.nDropped, .init(sample.dropped))],
            [.text("events"), .count(fit.nEvents, .init(sample.events))],
            [.text("parameters (non-intercept)"), .count(epv.parameters)],
            [.text("events per variable"), .text(epvText)],
            [.text("log-likelihood"), .number(fit.logLikelihood)],
            [.text("AIC"), .number(fit.aic)],
        ]
        var notes = ["EPV = min(events, non-events) / non-intercept parameters; below 10 estimates may be biased (Peduzzi 1996). AIC = −2 log-likelihood + 2 × rank (unpenalised likelihood also for Firth)."]
        if let check {
            // Functions of n and events (and unrounded, of the outcome itself): hidden with either (issue 13).
            let shown = rule.sampleDerivedStatus(used: sample.used, events: sample.events)
            let (checkRows, checkNotes) = ModelCheckText.rows(check, status: shown, style: style)
            rows += checkRows
            notes += checkNotes
        }
        // The reasons for dropped rows carry counts per column; with suppression only the total (above) is kept.
        notes += fit.diagnostics.filter { d in if case .rowsDropped = d { !rule.isActive } else { true } }.map { "diagnostic: \($0)" }
        if let warning = epv.warning, !epvWithheld { notes.append("warning: " + warning) }
        if let note = rule.note(sample.printed, unprotectable: sample.unprotectable) { notes.append(note) }
        return ReportTable(title: "Model diagnostics: \(fit.outcome) (event = \(fit.eventLabel))",
                           columns: [.init(key: "item", header: "item", alignment: .left), .init(key: "value", header: "value", alignment: .left)],
                           rows: rows, notes: notes, style: style)
    }
}

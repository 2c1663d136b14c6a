import CohortStats

/// A model that small-cell suppression does not allow to be shared, and why.
public struct SuppressionError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

extension Suppression {
    /// Under suppression, a logistic model is refused when any of its outcome x level cells (see
    /// ``CohortStats/LogisticModel/outcomeCells``), or its event or non-event total, holds 1 to K − 1
    /// patients.
    ///
    /// Why refuse rather than hide a coefficient: the estimates are functions of those cells (with a
    /// single categorical covariate the OR of a level is exactly the cross-product ratio of its cells,
    /// and the intercept the log-odds of the reference), so with n and events printed a hidden
    /// coefficient could still be recovered from the others and the totals. Refusing names the term
    /// and the cell, and the user can merge levels or drop the term. (Issue 13: before this,
    /// `cohort logit --suppress-below` printed coefficients that revealed the hidden counts.)
    public func check(_ model: LogisticModel) throws(SuppressionError) {
        guard isActive else { return }
        try check(cells: model.outcomeCells, events: model.nEvents, nonEvents: model.nObservations - model.nEvents,
                  outcome: model.outcome, event: "\(model.outcome) = \(model.eventLabel)")
    }

    /// A Cox model under the same rule: its events of interest and the rows without one (censored
    /// or a competing event), in total and by level of each categorical or 0/1 term.
    public func check(_ model: CoxModel, event: String) throws(SuppressionError) {
        guard isActive else { return }
        try check(cells: model.outcomeCells, events: model.nEvents, nonEvents: model.nObservations - model.nEvents,
                  outcome: event, event: event)
    }

    /// A Fine-Gray model under the same rule (events of interest, and rows without one).
    public func check(_ model: FineGrayModel, event: String) throws(SuppressionError) {
        guard isActive else { return }
        try check(cells: model.outcomeCells, events: model.nEvents, nonEvents: model.nObservations - model.nEvents,
                  outcome: event, event: event)
    }

    /// What a linear or count model's outcome is, for ``check(_:outcome:)``.
    public enum RegressionOutcome: Sendable {
        /// `cohort linear`: a coefficient of a level is a difference in the mean of its rows.
        case continuous
        /// `cohort poisson`: a rate ratio of a level is a ratio of its summed counts.
        case count
        /// `cohort logbinomial`: a risk ratio of a level is a ratio of its events over its rows.
        case binary
    }

    /// Under suppression, a linear, Poisson or log-binomial model (issue 16) is refused as a logistic
    /// one is (``check(_:)-(LogisticModel)``), by the cells its coefficients are functions of, and
    /// also when fewer than K rows were left out: the residual df (n − rank), the t tests, the
    /// deviances' df and (for a linear model) the likelihood give n used back, and with the data's
    /// N the rows left out, so these models cannot hide n used as logit does.
    ///
    /// - Binary outcome: the events and non-events, in total and in every level cell (as logit).
    /// - Count: the summed count in total, and the rows with at least one event in every level cell
    ///   (fewer than K such rows holds whenever the cell's summed count is 1..K − 1: stricter than
    ///   the sum itself).
    /// - Continuous: the rows in every level cell.
    ///
    /// Rows are counted, not weights: a frequency-weighted row of weight w counts as one, the
    /// stricter reading.
    public func check(_ data: RegressionData, outcome kind: RegressionOutcome) throws(SuppressionError) {
        guard isActive else { return }
        let n = data.nObservations, dropped = data.excludedRows.count
        let rule = "{suppress_below=\(threshold)}"
        if isSmall(dropped) {
            throw SuppressionError(message: "\(rule): fewer than \(threshold) rows were left out of the fit; the model's residual df (n − rank) give n used back, and with the data's N that count. Complete or remove those rows first, or share the model only inside the institution")
        }
        if isSmall(n) { throw SuppressionError(message: "\(rule): the model is fitted to fewer than \(threshold) rows; it cannot be shared under this suppression") }
        let cells = data.outcomeCells
        switch kind {
        case .binary:
            let events = data.response.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
            try check(cells: cells, events: events, nonEvents: n - events, outcome: data.outcome, event: "\(data.outcome) = \(data.eventLabel ?? "1")")
        case .count:
            var total = 0.0
            for y in data.response { total += y }
            if total >= 1, total < Double(threshold) {
                throw SuppressionError(message: "\(rule): the model has fewer than \(threshold) events (total count of \(data.outcome)); it cannot be shared under this suppression")
            }
            for cell in cells where isSmall(cell.events) {
                throw SuppressionError(message: "\(rule): term '\(cell.term)': level '\(cell.level)' has fewer than \(threshold) rows with an event of \(data.outcome); its rate ratio (and the others, through the totals) would reveal its count. Merge the level with another, or leave the term out")
            }
        case .continuous:
            for cell in cells where isSmall(cell.events + cell.nonEvents) {
                throw SuppressionError(message: "\(rule): term '\(cell.term)': level '\(cell.level)' has fewer than \(threshold) rows; its coefficient (a difference in mean \(data.outcome)) would reveal those patients' values. Merge the level with another, or leave the term out")
            }
        }
    }

    private func check(cells: [OutcomeCell], events: Int, nonEvents: Int, outcome: String, event: String) throws(SuppressionError) {
        if isSmall(events) || isSmall(nonEvents) {
            throw SuppressionError(message: "{suppress_below=\(threshold)}: the model has \(isSmall(events) ? "fewer than \(threshold) events" : "fewer than \(threshold) non-events") of \(outcome); it cannot be shared under this suppression")
        }
        for cell in cells {
            for (count, kind) in [(cell.events, "with"), (cell.nonEvents, "without")] where isSmall(count) {
                throw SuppressionError(message: "{suppress_below=\(threshold)}: term '\(cell.term)': level '\(cell.level)' has fewer than \(threshold) patients \(kind) \(event); its coefficient (and the others, through the totals) would reveal that count. Merge the level with another, or leave the term out")
            }
        }
    }
}

extension Suppression {
    /// How a model's header prints its sample: n used, n dropped and events, as one table of counts
    /// whose used and dropped rows add up to the data's N (known to the reader; Table 1 prints it)
    /// and whose events and non-events (not printed) add up to the n used (issue 13).
    public func sample(_ fit: LogisticFit) -> (used: Status, dropped: Status, events: Status, printed: [Status], unprotectable: Int) {
        sample(used: fit.nObservations, dropped: fit.nDropped, events: fit.nEvents)
    }

    /// The same for any model's n used, n dropped and events (a survival model's events of interest).
    public func sample(used: Int, dropped: Int, events: Int) -> (used: Status, dropped: Status, events: Status, printed: [Status], unprotectable: Int) {
        let cells = [Cell(used), Cell(dropped), Cell(events), Cell(used - events, printed: false)]
        let (status, unprotectable) = statuses(cells, constraints: [.init(parts: [0, 1]), .init(parts: [2, 3], total: 0)])
        return (status[0], status[1], status[2], Array(status.prefix(3)), unprotectable.count)
    }
}

extension Suppression {
    /// A number of a logistic model that is a function of its n used and events alone (the null
    /// deviance, and with it the LR χ² = null deviance − deviance and its P, and BIC, whose
    /// penalty is k·log n): hidden when either count is, since it gives them back.
    public func sampleDerivedStatus(used: Status, events: Status) -> TableCell.Status {
        used == .shown && events == .shown ? .shown : .withheld
    }

    /// Events per variable: min(events, non-events) / p for a logistic model (non-events being n
    /// used − events, and which of the two is rarer itself telling), events / p for a survival one.
    public func eventsPerVariableStatus(used: Status, events: Status, survival: Bool) -> TableCell.Status {
        events == .shown && (survival || used == .shown) ? .shown : .withheld
    }
}

extension Suppression {
    /// The indices of `analysis`'s warnings that cannot be shared under suppression: the rows
    /// dropped with their count for each reason (`missing x: 2`), which the sample line hides. The
    /// diagnostics table leaves them out the same way.
    public func withheldWarnings(_ analysis: LogisticAnalysis) -> [Int] {
        guard isActive else { return [] }
        let dropped = Set(analysis.fit.diagnostics.compactMap { d -> String? in if case .rowsDropped = d { d.description } else { nil } })
        return analysis.warnings.indices.filter { dropped.contains(analysis.warnings[$0]) }
    }

    /// `analysis`'s warnings as they may be shared (``withheldWarnings(_:)`` left out).
    public func sharedWarnings(_ analysis: LogisticAnalysis) -> [String] {
        let withheld = Set(withheldWarnings(analysis))
        return analysis.warnings.indices.filter { !withheld.contains($0) }.map { analysis.warnings[$0] }
    }
}

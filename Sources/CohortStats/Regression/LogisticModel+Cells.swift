/// The outcome x level cells of a model's terms: how many events and non-events each level of a
/// categorical term, and each value of a 0/1 covariate, holds.
///
/// A logistic model's coefficients for such a term are functions of these counts (for a single
/// categorical term exactly: the OR of a level is the cross-product ratio of its cells), so a model
/// shared under small-cell suppression must not be fitted on a cell of 1..K-1 patients (issue 13).
public struct OutcomeCell: Sendable, Equatable {
    /// The term (variable) name, and the level (or `0` / `1` for a binary covariate).
    public let term: String
    public let level: String
    public let events: Int
    public let nonEvents: Int
}

extension LogisticModel {
    /// Every categorical term's levels (the reference level included) and every covariate whose
    /// values are all 0 or 1, with their event and non-event counts among the rows fitted.
    /// Continuous covariates have no cells.
    public var outcomeCells: [OutcomeCell] { design.outcomeCells { response[$0] == 1 } }
}

extension CoxModel {
    /// As ``LogisticModel/outcomeCells``, with events of interest and rows without one (censored,
    /// or a competing event): a hazard ratio of a level is driven by these counts as an odds ratio is.
    public var outcomeCells: [OutcomeCell] { design.outcomeCells { events[$0] } }
}

extension RegressionData {
    /// As ``LogisticModel/outcomeCells``, the rows of each level split by a response above 0: a
    /// binary outcome's events, a count's rows with at least one event; for a continuous outcome
    /// only the cell's rows (events + non-events) mean anything (issue 16: small-cell suppression
    /// of `cohort linear`, `poisson` and `logbinomial`).
    public var outcomeCells: [OutcomeCell] { design.outcomeCells { response[$0] > 0 } }
}

extension DesignMatrix {
    /// The cells of each categorical and 0/1 term, the rows split by `isEvent(row)`.
    func outcomeCells(isEvent: (Int) -> Bool) -> [OutcomeCell] {
        let n = rowCount
        var cells: [OutcomeCell] = []
        for term in terms {
            switch term.kind {
            case .intercept, .spline:
                continue
            case .interaction:
                // A product column of indicators (smoke:race[black]) is the cell of its combination.
                for column in term.columns {
                    if let cell = binaryCells(column: column, isEvent: isEvent) {
                        cells += cell.map { OutcomeCell(term: columnNames[column], level: $0.level, events: $0.events, nonEvents: $0.nonEvents) }
                    }
                }
            case .categorical(let reference, let levels):
                // Row i is at level L when L's indicator is 1; at the reference when all are 0.
                var events = [Int](repeating: 0, count: term.columns.count + 1), totals = events
                for i in 0..<n {
                    var slot = 0
                    for (offset, column) in term.columns.enumerated() where values[column * n + i] != 0 { slot = offset + 1 }
                    totals[slot] += 1
                    if isEvent(i) { events[slot] += 1 }
                }
                let names = [reference] + levels.filter { $0 != reference }
                for (slot, name) in names.enumerated() where slot < totals.count {
                    cells.append(OutcomeCell(term: term.name, level: name, events: events[slot], nonEvents: totals[slot] - events[slot]))
                }
            case .numeric:
                if let cell = binaryCells(column: term.columns.lowerBound, isEvent: isEvent) {
                    cells += cell.map { OutcomeCell(term: term.name, level: $0.level, events: $0.events, nonEvents: $0.nonEvents) }
                }
            }
        }
        return cells
    }

    /// The 0 and 1 cells of a column whose values are all 0 or 1; nil for any other column.
    private func binaryCells(column: Int, isEvent: (Int) -> Bool) -> [(level: String, events: Int, nonEvents: Int)]? {
        let n = rowCount
        var events = [0, 0], totals = [0, 0]
        for i in 0..<n {
            let value = values[column * n + i]
            guard value == 0 || value == 1 else { return nil }
            totals[Int(value)] += 1
            if isEvent(i) { events[Int(value)] += 1 }
        }
        return (0...1).map { (String($0), events[$0], totals[$0] - events[$0]) }
    }
}

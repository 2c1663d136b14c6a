import CohortData

/// What to fit: a binary response and a design matrix. A value; fitting it returns a ``LogisticFit``.
public struct LogisticModel: Sendable {
    /// The response, 1 for the event and 0 otherwise, one per design row.
    public let response: [Double]
    public let design: DesignMatrix
    /// The outcome variable's name and the value counted as the event (for headers and messages).
    public let outcome: String
    public let eventLabel: String
    /// Rows of the source left out of the fit, with the reason (complete-case analysis).
    public let excludedRows: [ExcludedRow]
    /// A known term added to each row's linear predictor (R's `offset`), or nil.
    public let offset: [Double]?
    /// Case (prior) weights, one per row, each finite and > 0, or nil (every row weighs 1): row i's
    /// log-likelihood, score and information are multiplied by wᵢ, as R's
    /// `glm(family = binomial, weights = w)` weighs them. Whole-number weights from a table are
    /// frequency weights instead (rows repeated, nil here); both give the same estimates.
    public let weights: [Double]?
    /// The column the offset came from, and the frequency-weight column, when built from a table.
    public internal(set) var offsetColumn: String?
    public internal(set) var weightColumn: String?
    /// The table row of each model row, when the model was built from a table (empty otherwise):
    /// predictions at counterfactual values read the patients' other covariates from there.
    public internal(set) var sourceRows: [Int] = []
    /// The column whose values cluster the rows (`--cluster`), and each design row's cluster code.
    public internal(set) var clusterColumn: String?
    public internal(set) var clusters: [Int]?

    /// - Throws: ``ModelError`` when the response is not 0/1, sizes disagree, the design is empty,
    ///   the outcome is constant, or there are more columns than observations.
    public init(response: [Double], design: DesignMatrix, outcome: String = "y", eventLabel: String = "1", excludedRows: [ExcludedRow] = [],
                offset: [Double]? = nil, weights: [Double]? = nil) throws(ModelError) {
        guard design.columnCount > 0 else { throw .emptyDesign }
        guard response.count == design.rowCount else {
            throw .dimensionMismatch("\(response.count) responses for \(design.rowCount) design rows")
        }
        if let offset {
            guard offset.count == response.count else { throw .dimensionMismatch("\(offset.count) offsets for \(response.count) rows") }
            if let bad = offset.firstIndex(where: { !$0.isFinite }) { throw .data("the offset of row \(bad + 1) is \(offset[bad]), not a finite number") }
        }
        if let weights {
            guard weights.count == response.count else { throw .dimensionMismatch("\(weights.count) weights for \(response.count) rows") }
            if let bad = weights.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
                throw .data("the weight of row \(bad + 1) is \(NumberText.shortest(weights[bad])), not a finite number > 0")
            }
        }
        if let bad = response.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw .outcomeNotBinary(source: "response", column: outcome, values: [NumberText.shortest(response[bad])])
        }
        let events = response.reduce(0, +)
        if events == 0 || Int(events) == response.count {
            throw .constantOutcome(column: outcome, value: events == 0 ? "0" : eventLabel, n: response.count)
        }
        guard design.columnCount <= response.count else {
            throw .tooFewObservations(n: response.count, parameters: design.columnCount)
        }
        self.response = response
        self.design = design
        self.outcome = outcome
        self.eventLabel = eventLabel
        self.excludedRows = excludedRows
        self.offset = offset
        self.weights = weights
        self.nEvents = Int(events)
    }

    public var nObservations: Int { response.count }
    /// The number of events (responses equal to 1), counted once at construction.
    public let nEvents: Int

    /// Σ wᵢ and Σ wᵢyᵢ in row order (n and the events without case weights).
    public var weightedTotals: (observations: Double, events: Double) {
        guard let weights else { return (Double(nObservations), Double(nEvents)) }
        var total = 0.0, events = 0.0
        for i in 0..<weights.count { total += weights[i]; events += weights[i] * response[i] }
        return (total, events)
    }
}

/// A source row left out of an analysis.
public struct ExcludedRow: Sendable, Equatable {
    /// The line of the source file the row starts on.
    public let line: Int
    public let reason: String
}

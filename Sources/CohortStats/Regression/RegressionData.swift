import CohortData

/// What a linear or generalised linear model (``LinearModel``, ``CountModel``) is fitted to: a
/// numeric response, a design, prior weights and an offset, one per design row, and the source rows
/// left out with their reasons.
///
/// The table → design step is in one place, ``init(table:outcome:covariates:referenceLevels:response:weights:exposure:offset:)``,
/// through ``DesignBuilder`` as ``LogisticModel/init(table:outcome:covariates:referenceLevels:eventLevel:)``
/// goes, so that another way of writing the design (a formula) replaces that one call.
public struct RegressionData: Sendable {
    /// What the outcome must hold.
    public enum ResponseKind: Sendable, Equatable {
        /// Any finite number (`cohort linear`).
        case continuous
        /// A whole number ≥ 0 (`cohort poisson`).
        case count
        /// 0/1, yes/no or two levels, one of them named the event (`cohort logbinomial`).
        case binary(eventLevel: String?)
    }

    public let response: [Double]
    public let design: DesignMatrix
    /// Prior weights (R's `weights=`), all 1 without a weights column; rows of weight 0 are left out.
    public let weights: [Double]
    /// Added to the linear predictor: log(exposure) plus any offset column; all 0 without either.
    public let offset: [Double]
    public let outcome: String
    /// The outcome value counted as the event (binary outcomes), else nil.
    public let eventLabel: String?
    public let excludedRows: [ExcludedRow]
    /// Column names, for statements: the weights, exposure and offset columns used.
    public let weightsColumn: String?
    public let exposureColumn: String?
    public let offsetColumn: String?
    /// The column whose values cluster the rows (`--cluster`), and each row's cluster code.
    public internal(set) var clusterColumn: String?
    public internal(set) var clusters: [Int]?

    /// The table row of each design row (empty for data not built from a table).
    public internal(set) var sourceRows: [Int] = []

    public var nObservations: Int { response.count }
    public var hasWeights: Bool { weightsColumn != nil }
    public var hasOffset: Bool { exposureColumn != nil || offsetColumn != nil }

    /// - Throws: ``ModelError`` when sizes disagree or there are more columns than rows.
    public init(response: [Double], design: DesignMatrix, weights: [Double]? = nil, offset: [Double]? = nil, outcome: String = "y",
                eventLabel: String? = nil, excludedRows: [ExcludedRow] = [], weightsColumn: String? = nil, exposureColumn: String? = nil,
                offsetColumn: String? = nil) throws(ModelError) {
        guard design.columnCount > 0 else { throw .emptyDesign }
        guard response.count == design.rowCount, weights.map({ $0.count == response.count }) ?? true,
              offset.map({ $0.count == response.count }) ?? true
        else { throw .dimensionMismatch("\(response.count) responses for \(design.rowCount) design rows") }
        guard design.columnCount <= response.count else {
            throw .tooFewObservations(n: response.count, parameters: design.columnCount)
        }
        self.response = response
        self.design = design
        self.weights = weights ?? [Double](repeating: 1, count: response.count)
        self.offset = offset ?? [Double](repeating: 0, count: response.count)
        self.outcome = outcome
        self.eventLabel = eventLabel
        self.excludedRows = excludedRows
        self.weightsColumn = weightsColumn
        self.exposureColumn = exposureColumn
        self.offsetColumn = offsetColumn
    }

    /// Builds the data from named columns of a table: complete cases (the outcome, every covariate,
    /// and the weights, exposure and offset columns), the response checked against `kind`, and a
    /// design with an intercept, numeric columns as they are and text columns treatment-coded
    /// (``DesignBuilder``, as every regression builds its design).
    ///
    /// - Parameters:
    ///   - weights: prior (frequency or case) weights, finite and ≥ 0; a row of weight 0 is left out
    ///     and counted ("weight 0"), as R's `lm`/`glm` give it no part in the fit or the df.
    ///   - exposure: person-time, finite and > 0; log(exposure) enters the offset.
    ///   - offset: a column added to the linear predictor as it is.
    /// - Throws: ``ModelError`` naming the column and, for a bad value, the file line.
    public init(table: DataTable, outcome: String, covariates: [String], referenceLevels: [String: String] = [:], response kind: ResponseKind,
                weights: String? = nil, exposure: String? = nil, offset: String? = nil, cluster: String? = nil) throws(ModelError) {
        for name in covariates where name == outcome { throw .outcomeAsCovariate(name) }
        let outcomeColumn = try DesignBuilder.lookup(table, outcome)
        for name in [weights, exposure, offset].compactMap({ $0 }) where covariates.contains(name) || name == outcome {
            throw .data("'\(name)' is the outcome or a covariate and cannot also be the weights, exposure or offset column")
        }
        let resolved = try DesignBuilder.resolve(table, covariates: covariates, referenceLevels: referenceLevels, outcomes: [outcome])
        try self.init(table: table, outcomeColumn: outcomeColumn, resolved: resolved, response: kind, weights: weights, exposure: exposure, offset: offset,
                      cluster: cluster)
    }

    /// The data of a model written as a formula (``ModelFormula``; its left side is the outcome).
    public init(table: DataTable, formula: ModelFormula, referenceLevels: [String: String] = [:], response kind: ResponseKind,
                weights: String? = nil, exposure: String? = nil, offset: String? = nil, cluster: String? = nil) throws(ModelError) {
        guard let outcome = formula.response else { throw .data("the formula '\(formula)' has no outcome: write it before '~'") }
        let outcomeColumn = try DesignBuilder.lookup(table, outcome)
        for name in [weights, exposure, offset].compactMap({ $0 }) where formula.variables.contains(name) || name == outcome {
            throw .data("'\(name)' is the outcome or a variable of the formula and cannot also be the weights, exposure or offset column")
        }
        let resolved = try DesignBuilder.resolve(table, formula: formula, referenceLevels: referenceLevels, outcomes: [outcome])
        try self.init(table: table, outcomeColumn: outcomeColumn, resolved: resolved, response: kind, weights: weights, exposure: exposure, offset: offset,
                      cluster: cluster)
    }

    private init(table: DataTable, outcomeColumn: Column, resolved: DesignBuilder.Resolved, response kind: ResponseKind,
                 weights: String?, exposure: String?, offset: String?, cluster: String?) throws(ModelError) {
        let outcome = outcomeColumn.name
        let covariateColumns = resolved.completeCaseColumns
        func numeric(_ name: String?, role: String) throws(ModelError) -> (name: String, column: Column, values: [Double])? {
            guard let name else { return nil }
            let column = try DesignBuilder.lookup(table, name)
            guard case .numeric(let values) = column.storage else { throw .columnNotNumeric(column: name, role: role) }
            return (name, column, values)
        }
        let weightColumn = try numeric(weights, role: "weights")
        let exposureColumn = try numeric(exposure, role: "exposure")
        let offsetColumn = try numeric(offset, role: "offset")
        // A row without its cluster is dropped and counted (sandwich::vcovCL needs every row's cluster).
        let clusterColumn = try cluster.map { name throws(ModelError) in try DesignBuilder.lookup(table, name) }

        // The response: numbers for linear and count models (checked below), a coding for binary ones.
        var coding: ResponseCoding?
        var outcomeValues: [Double] = []
        switch kind {
        case .binary(let eventLevel):
            coding = try ResponseCoding(column: outcomeColumn, eventLevel: eventLevel, source: table.source)
        case .continuous, .count:
            guard case .numeric(let values) = outcomeColumn.storage else {
                if let stray = outcomeColumn.firstNonNumeric, outcomeColumn.numericLikeCount > 0 {
                    throw .nonNumericValue(source: table.source, line: Int(table.lineNumbers[stray.row]), column: outcome, value: stray.value)
                }
                throw .outcomeNotNumeric(source: table.source, column: outcome)
            }
            outcomeValues = values
        }

        var included: [Int] = []
        included.reserveCapacity(table.rowCount)
        var excluded: [ExcludedRow] = []
        let extraColumns = [weightColumn, exposureColumn, offsetColumn].compactMap { $0 }
        for row in 0..<table.rowCount {
            let line = Int(table.lineNumbers[row])
            if outcomeColumn.isMissing(row) {
                excluded.append(ExcludedRow(line: line, reason: "missing \(outcome)"))
            } else if let missing = covariateColumns.first(where: { $0.isMissing(row) }) {
                excluded.append(ExcludedRow(line: line, reason: "missing \(missing.name)"))
            } else if let missing = extraColumns.first(where: { $0.column.isMissing(row) }) {
                excluded.append(ExcludedRow(line: line, reason: "missing \(missing.name)"))
            } else if let clusterColumn, clusterColumn.isMissing(row) {
                excluded.append(ExcludedRow(line: line, reason: "missing \(clusterColumn.name)"))
            } else {
                func bad(_ name: String, _ value: Double, _ expected: String) -> ModelError {
                    .invalidValue(source: table.source, line: line, column: name, value: NumberText.shortest(value), expected: expected)
                }
                if case .continuous = kind, !outcomeValues[row].isFinite { throw bad(outcome, outcomeValues[row], "the outcome must be a finite number") }
                if case .count = kind {
                    let y = outcomeValues[row]
                    guard y.isFinite, y >= 0, y.rounded() == y else {
                        throw bad(outcome, y, "a count outcome must be a whole number 0 or more (Poisson and negative binomial models count events)")
                    }
                }
                if let exposureColumn {
                    let t = exposureColumn.values[row]
                    guard t.isFinite, t > 0 else {
                        throw bad(exposureColumn.name, t, t == 0 ? "exposure must be positive (a row with no person-time has log exposure −∞; leave it out)" : "exposure (person-time) must be a positive finite number")
                    }
                }
                if let offsetColumn, !offsetColumn.values[row].isFinite { throw bad(offsetColumn.name, offsetColumn.values[row], "an offset must be finite") }
                if let weightColumn {
                    let w = weightColumn.values[row]
                    guard w.isFinite, w >= 0 else { throw bad(weightColumn.name, w, "weights must be finite and 0 or more") }
                    if w == 0 {
                        excluded.append(ExcludedRow(line: line, reason: "weight 0"))
                        continue
                    }
                }
                included.append(row)
            }
        }
        guard !included.isEmpty else { throw .noCompleteRows(source: table.source, n: table.rowCount) }

        let response = coding.map { coding in included.map { coding.isEvent($0) ? 1.0 : 0.0 } } ?? included.map { outcomeValues[$0] }
        let design = try DesignBuilder.build(resolved, rows: included)
        var offsetValues: [Double]?
        if exposureColumn != nil || offsetColumn != nil {
            offsetValues = included.map { row in
                (exposureColumn.map { log($0.values[row]) } ?? 0) + (offsetColumn.map { $0.values[row] } ?? 0)
            }
        }
        try self.init(response: response, design: design, weights: weightColumn.map { w in included.map { w.values[$0] } }, offset: offsetValues,
                      outcome: outcome, eventLabel: coding?.eventLabel, excludedRows: excluded, weightsColumn: weights,
                      exposureColumn: exposure, offsetColumn: offset)
        sourceRows = included
        if let clusterColumn {
            self.clusterColumn = cluster
            clusters = ClusterRobust.codes(clusterColumn, rows: included)
        }
    }

    /// The diagnostic of the rows left out, as the logistic fit states it.
    var droppedDiagnostic: FitDiagnostic? {
        guard !excludedRows.isEmpty else { return nil }
        return .rowsDropped(count: excludedRows.count, reasons: Dictionary(grouping: excludedRows, by: \.reason).mapValues(\.count))
    }
}

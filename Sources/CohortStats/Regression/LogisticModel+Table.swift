import CohortData

extension DesignBuilder {
    /// A numeric column that is not a covariate (weights, an offset) and its values; a text column is
    /// refused naming the first line whose value is not a number.
    /// - Parameter what: how a message names it ("the weights").
    static func numericColumn(_ table: DataTable, _ name: String, _ what: String) throws(ModelError) -> (column: Column, values: [Double]) {
        let column = try lookup(table, name)
        guard case .numeric(let values) = column.storage else {
            if case .text(let codes, let levels) = column.storage,
               let row = codes.indices.first(where: { codes[$0] >= 0 && Double(levels[Int(codes[$0])]) == nil }) {
                throw .data("\(table.source):\(table.lineNumbers[row]): \(what) column '\(name)' is not numeric: it holds '\(levels[Int(codes[row])])'")
            }
            throw .data("\(what) column '\(name)' is not numeric")
        }
        return (column, values)
    }
}

extension LogisticModel {
    /// Builds the model from named columns of a table: complete-case rows, a 0/1 response and a
    /// design with an intercept, numeric columns as they are and text columns treatment-coded.
    ///
    /// - Parameters:
    ///   - outcome: a column holding 0/1, true/false, yes/no (any case), or two levels of which
    ///     `eventLevel` is the event.
    ///   - covariates: column names as written in the header.
    ///   - referenceLevels: the reference level of a categorical covariate; by default its first level
    ///     in sorted (code-point) order, as R's `factor()` chooses.
    ///   - eventLevel: which outcome value is the event, when the outcome is not 0/1 or boolean words.
    /// - Throws: ``ModelError`` naming the column and, for bad values, the file line.
    public init(table: DataTable, outcome: String, covariates: [String], referenceLevels: [String: String] = [:], eventLevel: String? = nil,
                weights: String? = nil, offset: String? = nil, cluster: String? = nil) throws(ModelError) {
        // The outcome-as-covariate and repeated-covariate checks come before any lookup, as before.
        for name in covariates where name == outcome { throw .outcomeAsCovariate(name) }
        let outcomeColumn = try DesignBuilder.lookup(table, outcome)
        let resolved = try DesignBuilder.resolve(table, covariates: covariates, referenceLevels: referenceLevels,
                                                 outcomes: [outcome] + [weights, offset].compactMap { $0 })
        try self.init(table: table, outcomeColumn: outcomeColumn, resolved: resolved, eventLevel: eventLevel, weights: weights, offset: offset, cluster: cluster)
    }

    /// Builds the model of a formula, `low ~ age * smoke + rcs(lwt, 4)` (see ``ModelFormula``):
    /// complete-case rows for every column the formula reads.
    /// - Throws: ``ModelError`` when the formula has no outcome, or as the other initialiser.
    public init(table: DataTable, formula: ModelFormula, referenceLevels: [String: String] = [:], eventLevel: String? = nil,
                weights: String? = nil, offset: String? = nil, cluster: String? = nil) throws(ModelError) {
        guard let outcome = formula.response else { throw .data("the formula '\(formula)' has no outcome: write it before '~', e.g. 'low ~ age + smoke'") }
        let outcomeColumn = try DesignBuilder.lookup(table, outcome)
        let resolved = try DesignBuilder.resolve(table, formula: formula, referenceLevels: referenceLevels,
                                                 outcomes: [outcome] + [weights, offset].compactMap { $0 })
        try self.init(table: table, outcomeColumn: outcomeColumn, resolved: resolved, eventLevel: eventLevel, weights: weights, offset: offset, cluster: cluster)
    }

    /// - Parameters:
    ///   - weights: a column of weights ≥ 0 (a missing weight drops the row, as glm's na.action; a
    ///     weight of 0 drops it with that reason). When every weight is a whole number up to
    ///     1,000,000 they are frequency weights: row i counts wᵢ times, exactly as `glm(weights = w)`
    ///     weighs it and as the data with the row repeated wᵢ times (so n, the events, the bootstrap
    ///     and the model checks all count weighted rows). Otherwise they are case weights
    ///     (``LogisticModel/weights``): one model row per data row, each weighted in the likelihood as
    ///     glm's prior weights; the estimates are the same either way.
    ///   - offset: a column added to the linear predictor with coefficient 1 (`offset(o)`).
    private init(table: DataTable, outcomeColumn: Column, resolved: DesignBuilder.Resolved, eventLevel: String?,
                 weights: String? = nil, offset: String? = nil, cluster: String? = nil) throws(ModelError) {
        let outcome = outcomeColumn.name
        let coding = try ResponseCoding(column: outcomeColumn, eventLevel: eventLevel, source: table.source)
        let weightColumn = try weights.map { name throws(ModelError) in try DesignBuilder.numericColumn(table, name, "the weights") }
        let offsetColumn = try offset.map { name throws(ModelError) in try DesignBuilder.numericColumn(table, name, "the offset") }
        // A row without its cluster is dropped and counted, as any missing value (vcovCL needs every row's cluster).
        let clusterColumn = try cluster.map { name throws(ModelError) in try DesignBuilder.lookup(table, name) }
        let covariateColumns = resolved.completeCaseColumns + [weightColumn?.column, offsetColumn?.column, clusterColumn].compactMap { $0 }

        // Complete cases: the first missing variable is the reason a row is dropped.
        var included: [Int] = []
        included.reserveCapacity(table.rowCount)
        var excluded: [ExcludedRow] = []
        for row in 0..<table.rowCount {
            if outcomeColumn.isMissing(row) {
                excluded.append(ExcludedRow(line: Int(table.lineNumbers[row]), reason: "missing \(outcome)"))
            } else if let missing = covariateColumns.first(where: { $0.isMissing(row) }) {
                excluded.append(ExcludedRow(line: Int(table.lineNumbers[row]), reason: "missing \(missing.name)"))
            } else {
                included.append(row)
            }
        }
        var caseWeights: [Double]?
        if let (column, values) = weightColumn {
            for row in included where !(values[row] >= 0 && values[row].isFinite) {
                throw .data("\(table.source):\(table.lineNumbers[row]): weight '\(column.name)' is \(NumberText.shortest(values[row])); weights must be finite numbers ≥ 0")
            }
            for row in included where values[row] == 0 {
                excluded.append(ExcludedRow(line: Int(table.lineNumbers[row]), reason: "\(column.name) = 0"))
            }
            excluded.sort { $0.line < $1.line }
            let kept = included.filter { values[$0] > 0 }
            if kept.allSatisfy({ values[$0] == values[$0].rounded() && values[$0] <= 1e6 }) {
                // Frequency weights: row i repeated wᵢ times.
                included = kept.flatMap { repeatElement($0, count: Int(values[$0])) }
            } else {
                // Case weights in the likelihood (glm's prior weights), one model row per data row.
                included = kept
                caseWeights = kept.map { values[$0] }
            }
        }
        guard !included.isEmpty else { throw .noCompleteRows(source: table.source, n: table.rowCount) }

        let response = included.map { coding.isEvent($0) ? 1.0 : 0.0 }
        let design = try DesignBuilder.build(resolved, rows: included)
        try self.init(response: response, design: design, outcome: outcome, eventLabel: coding.eventLabel, excludedRows: excluded,
                      offset: offsetColumn.map { _, values in included.map { values[$0] } }, weights: caseWeights)
        sourceRows = included
        if let clusterColumn {
            self.clusterColumn = cluster
            clusters = ClusterRobust.codes(clusterColumn, rows: included)
        }
        self.weightColumn = weights
        self.offsetColumn = offset
    }
}

/// How a binary outcome column maps to event / non-event: 0/1, yes/no words (``BinaryWords``), or
/// two levels of which `eventLevel` names the event. Shared by models and incidence tables.
public struct ResponseCoding {
    /// The value that counts as the event, as the user would write it.
    public let eventLabel: String
    /// Whether row `row` (not missing) holds the event.
    public let isEvent: (Int) -> Bool

    public init(column: Column, eventLevel: String?, source: String) throws(ModelError) {
        switch column.storage {
        case .numeric(let values):
            let distinct = Array(Set(values.filter { !$0.isNaN })).sorted()
            let labels = distinct.map(NumberText.shortest)
            if let eventLevel {
                guard let target = Double(eventLevel), distinct.contains(target) else {
                    throw .unknownEventLevel(source: source, column: column.name, level: eventLevel, levels: labels)
                }
                guard distinct.count <= 2 else { throw .outcomeNotBinary(source: source, column: column.name, values: labels) }
                eventLabel = eventLevel
                isEvent = { values[$0] == target }
                return
            }
            guard distinct.allSatisfy({ $0 == 0 || $0 == 1 }) else {
                if distinct.count == 2 { throw .outcomeNeedsEventLevel(source: source, column: column.name, levels: labels) }
                throw .outcomeNotBinary(source: source, column: column.name, values: labels)
            }
            eventLabel = "1"
            isEvent = { values[$0] == 1 }
        case .text(let codes, let levels):
            let used = Set(codes.filter { $0 >= 0 })
            let present = levels.enumerated().filter { used.contains(Int32($0.offset)) }.map(\.element)
            let sortedLevels = present.sorted(by: { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) })
            if let eventLevel {
                guard let code = levels.firstIndex(of: eventLevel), used.contains(Int32(code)) else {
                    throw .unknownEventLevel(source: source, column: column.name, level: eventLevel, levels: sortedLevels)
                }
                guard present.count <= 2 else { throw .outcomeNotBinary(source: source, column: column.name, values: sortedLevels) }
                eventLabel = eventLevel
                let event = Int32(code)
                isEvent = { codes[$0] == event }
                return
            }
            guard present.count <= 2 else { throw .outcomeNotBinary(source: source, column: column.name, values: sortedLevels) }
            let lower = present.map { $0.lowercased() }
            guard lower.allSatisfy({ BinaryWords.present.contains($0) || BinaryWords.absent.contains($0) }),
                  Set(lower.map { BinaryWords.present.contains($0) }).count == lower.count
            else {
                throw .outcomeNeedsEventLevel(source: source, column: column.name, levels: sortedLevels)
            }
            let eventCodes = Set(levels.indices.filter { BinaryWords.present.contains(levels[$0].lowercased()) }.map(Int32.init))
            eventLabel = present.first { BinaryWords.present.contains($0.lowercased()) } ?? "true"
            isEvent = { eventCodes.contains(codes[$0]) }
        }
    }
}

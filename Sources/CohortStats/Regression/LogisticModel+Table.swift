import CohortData

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
    public init(table: DataTable, outcome: String, covariates: [String], referenceLevels: [String: String] = [:], eventLevel: String? = nil) throws(ModelError) {
        // The outcome-as-covariate and repeated-covariate checks come before any lookup, as before.
        for name in covariates where name == outcome { throw .outcomeAsCovariate(name) }
        let outcomeColumn = try DesignBuilder.lookup(table, outcome)
        let covariateColumns = try DesignBuilder.columns(table, covariates: covariates, referenceLevels: referenceLevels, outcomes: [outcome])

        let coding = try ResponseCoding(column: outcomeColumn, eventLevel: eventLevel, source: table.source)

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
        guard !included.isEmpty else { throw .noCompleteRows(source: table.source, n: table.rowCount) }

        let response = included.map { coding.isEvent($0) ? 1.0 : 0.0 }
        let design = try DesignBuilder.build(columns: covariateColumns, rows: included, referenceLevels: referenceLevels)
        try self.init(response: response, design: design, outcome: outcome, eventLabel: coding.eventLabel, excludedRows: excluded)
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

/// Turns covariate columns into design columns: intercept, numbers, treatment-coded levels.
/// Fills the column-major buffer in place, one column at a time, for the rows that are used.
enum DesignBuilder {
    /// The covariates' columns, checked: none repeated or also an outcome column (the response, or a
    /// survival model's time and status), every reference level on a text covariate of the table,
    /// no text column that is mostly numbers (a typo, not categories).
    static func columns(_ table: DataTable, covariates: [String], referenceLevels: [String: String], outcomes: [String]) throws(ModelError) -> [Column] {
        var seen = Set<String>()
        for name in covariates {
            if outcomes.contains(name) { throw .outcomeAsCovariate(name) }
            if !seen.insert(name).inserted { throw .duplicateCovariate(name) }
        }
        let columns = try covariates.map { name throws(ModelError) in try lookup(table, name) }
        for name in referenceLevels.keys.sorted() {
            // A reference level for a column that is not a covariate still names a real column.
            let column = try lookup(table, name)
            if covariates.contains(name), case .numeric = column.storage { throw .referenceForNumericColumn(column: name) }
        }
        for column in columns { try rejectStrayText(column, in: table) }
        return columns
    }

    static func lookup(_ table: DataTable, _ name: String) throws(ModelError) -> Column {
        do { return try table.column(named: name) } catch { throw .data(error.description) }
    }

    /// A text column whose values are mostly numbers has a typo, not categories: say where.
    private static func rejectStrayText(_ column: Column, in table: DataTable) throws(ModelError) {
        guard case .text(let codes, _) = column.storage, let stray = column.firstNonNumeric else { return }
        let nonMissing = codes.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        if column.numericLikeCount > 0, column.numericLikeCount * 2 >= nonMissing {
            throw .nonNumericValue(source: table.source, line: Int(table.lineNumbers[stray.row]), column: column.name, value: stray.value)
        }
    }

    /// - Parameter intercept: false for a model whose baseline takes the intercept's place (Cox, Fine-Gray).
    static func build(columns: [Column], rows: [Int], referenceLevels: [String: String], intercept: Bool = true) throws(ModelError) -> DesignMatrix {
        let n = rows.count
        var names = intercept ? [ModelTerm.interceptName] : []
        var terms = intercept ? [ModelTerm(name: ModelTerm.interceptName, kind: .intercept, columns: 0..<1)] : []
        // What each design column holds: a numeric source column, or a level indicator.
        enum Source { case intercept, numeric([Double]), indicator(codes: [Int32], code: Int32) }
        var sources: [Source] = intercept ? [.intercept] : []
        for column in columns {
            let start = names.count
            switch column.storage {
            case .numeric(let values):
                names.append(column.name)
                sources.append(.numeric(values))
                terms.append(ModelTerm(name: column.name, kind: .numeric, columns: start..<start + 1))
            case .text(let codes, let levels):
                var used = [Bool](repeating: false, count: levels.count)
                for row in rows { used[Int(codes[row])] = true }
                // A codebook's level order stands (its first level is the reference); otherwise sorted.
                let observed = levels.indices.filter { used[$0] }.map { levels[$0] }
                let present = column.hasDeclaredLevelOrder
                    ? observed : observed.sorted(by: { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) })
                let reference = referenceLevels[column.name] ?? present[0]
                guard present.contains(reference) else {
                    throw .unknownReferenceLevel(column: column.name, level: reference, levels: present)
                }
                guard present.count >= 2 else { throw .singleLevel(column: column.name, level: present[0], n: n) }
                for level in present where level != reference {
                    names.append(ModelTerm.levelColumnName(column.name, level))
                    sources.append(.indicator(codes: codes, code: Int32(levels.firstIndex(of: level)!)))
                }
                terms.append(ModelTerm(name: column.name, kind: .categorical(reference: reference, levels: present), columns: start..<names.count))
            }
        }
        let values = [Double](unsafeUninitializedCapacity: n * sources.count) { buffer, count in
            for (j, source) in sources.enumerated() {
                let target = buffer.baseAddress! + j * n
                switch source {
                case .intercept:
                    for i in 0..<n { target[i] = 1 }
                case .numeric(let column):
                    column.withUnsafeBufferPointer { c in for (i, row) in rows.enumerated() { target[i] = c[row] } }
                case .indicator(let codes, let code):
                    codes.withUnsafeBufferPointer { c in for (i, row) in rows.enumerated() { target[i] = c[row] == code ? 1 : 0 } }
                }
            }
            count = n * sources.count
        }
        return DesignMatrix(values: values, rowCount: n, columnNames: names, terms: terms)
    }
}

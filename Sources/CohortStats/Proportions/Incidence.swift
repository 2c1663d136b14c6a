import CohortData

/// Incidence n/N with a confidence interval, overall or by group: the first table of a cohort
/// paper ("bleeding occurred in 12 of 127 patients, 9.4%, 95% CI 5.0-15.9%").
public struct IncidenceResult: Sendable {
    public struct Row: Sendable {
        /// The group's value as written, or nil for the whole cohort.
        public let group: String?
        public let estimate: ProportionEstimate
    }

    public let source: String
    public let outcome: String
    public let eventLabel: String
    public let groupColumn: String?
    public let rows: [Row]
    /// Rows left out because the outcome (or the group) is missing.
    public let nDropped: Int
    public let method: BinomialInterval.Method
    public let level: Double
}

public enum Incidence {
    /// Events and rows of `outcome`, overall or for each value of `group`, each with its interval.
    ///
    /// Rows missing the outcome, or the group when one is given, are dropped and counted. Groups
    /// come in the codebook's level order, else sorted (numbers numerically); a group with no rows
    /// left is not shown.
    ///
    /// With `multiplicity`, row r of `table` stands for `multiplicity[r]` rows: a table of the
    /// distinct (outcome, group) values and their counts, as a database returns them (issue 17
    /// pushdown), gives the result of the rows themselves.
    /// - Throws: ``ModelError`` when the outcome is not binary or `eventLevel` is not one of its
    ///   values; `DataError` for an unknown column.
    public static func compute(table: DataTable, outcome: String, eventLevel: String? = nil, group: String? = nil,
                               method: BinomialInterval.Method = .clopperPearson, level: Double = 0.95,
                               multiplicity: [Int]? = nil) throws -> IncidenceResult {
        let weight = { (row: Int) in multiplicity?[row] ?? 1 }
        let outcomeColumn = try table.column(named: outcome)
        let coding = try ResponseCoding(column: outcomeColumn, eventLevel: eventLevel, source: table.source)
        let groupColumn = try group.map { try table.column(named: $0) }
        let kept = (0..<table.rowCount).filter { row in
            !outcomeColumn.isMissing(row) && !(groupColumn?.isMissing(row) ?? false)
        }
        var rows: [IncidenceResult.Row] = []
        for (label, members) in groups(groupColumn, kept) {
            let events = members.filter(coding.isEvent).reduce(0) { $0 + weight($1) }
            let n = members.reduce(0) { $0 + weight($1) }
            let estimate = try BinomialInterval.estimate(events: events, n: n, level: level, method: method)
            rows.append(IncidenceResult.Row(group: label, estimate: estimate))
        }
        return IncidenceResult(source: table.source, outcome: outcome, eventLabel: coding.eventLabel, groupColumn: group,
                               rows: rows, nDropped: (0..<table.rowCount).reduce(0) { $0 + weight($1) } - kept.reduce(0) { $0 + weight($1) }, method: method, level: level)
    }

    /// The kept rows split by group value, in display order; one unlabelled group without a column.
    private static func groups(_ column: Column?, _ rows: [Int]) -> [(String?, [Int])] {
        guard let column else { return [(nil, rows)] }
        return column.groups(of: rows).map { ($0.label, $0.rows) }
    }
}

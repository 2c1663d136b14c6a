import CohortData
import CohortReport
import CohortStats

/// `--by COL` of `logit` and `cox` (issue 17): the model fitted once per level of a column (each
/// centre alone), one row per level and coefficient: the estimate and SE on the model's scale (log
/// odds or log hazard ratio), the rows used and the events. Its CSV (columns `level`, `term`,
/// `estimate`, `std_error`, `n`, `n_dropped`, `events`) is what `cohort meta --estimate estimate
/// --std-error std_error --label level --where 'term == "NAME"'` pools.
///
/// Rows missing the `by` column are dropped and counted. A level whose fit fails (a centre without
/// events, a covariate constant within it) is listed with the reason and gives no rows; a level
/// refused by small-cell suppression refuses the whole output. Under `--suppress-below K`, an n or
/// events count of 1..K-1 is printed `<K` (null in the JSON).
public struct PerLevelEstimates: Sendable {
    /// One level's fit: its coefficients, or why there are none.
    public struct Level: Sendable {
        public var level: String
        public var terms: [String] = []
        public var estimates: [Double] = []
        public var standardErrors: [Double] = []
        public var n = 0
        public var nDropped = 0
        public var events = 0
        public var converged = true
        public var failure: String?
    }

    /// What one fit gives.
    public struct Fit: Sendable {
        public var terms: [String]
        public var estimates: [Double]
        public var standardErrors: [Double]
        public var n: Int
        public var nDropped: Int
        public var events: Int
        public var converged: Bool
    }

    public var by: String
    public var model: String
    public var method: String
    public var levels: [Level]
    /// Rows without a value of `by`.
    public var missingBy: Int

    /// Fits `fit` on each level's rows (levels in the column's order).
    static func run(_ table: DataTable, by: String, model: String, method: String, fit: (DataTable) throws -> Fit) throws -> PerLevelEstimates {
        let column = try table.column(named: by)
        let rows = (0..<table.rowCount).filter { !column.isMissing($0) }
        var levels: [Level] = []
        for (label, members) in column.groups(of: rows) {
            var level = Level(level: label)
            do {
                let made = try fit(table.keepingRows(members))
                level.terms = made.terms
                level.estimates = made.estimates
                level.standardErrors = made.standardErrors
                level.n = made.n
                level.nDropped = made.nDropped
                level.events = made.events
                level.converged = made.converged
            } catch let error as ModelError where Self.isFitFailure(error) {
                level.failure = FieldNames.written(error.description, .studyFile)
            }
            levels.append(level)
        }
        guard !levels.isEmpty else { throw ModelError.data("'\(by)' has no value in any row: there is no level to fit") }
        return PerLevelEstimates(by: by, model: model, method: method, levels: levels, missingBy: table.rowCount - rows.count)
    }

    /// The failures that belong to a level's data (too few rows or events, a constant outcome or
    /// covariate): listed. Any other error (a bad value, an unknown column, a suppression refusal)
    /// stops the whole output, as it would a single fit.
    static func isFitFailure(_ error: ModelError) -> Bool {
        switch error {
        case .constantOutcome, .tooFewObservations, .tooFewEvents, .singleLevel, .singularInformation, .noCompleteRows, .emptyDesign: true
        default: false
        }
    }

    public func table(style: NumberStyle) -> ReportTable {
        let rule = style.suppression
        let columns: [ReportTable.Column] = [
            .init(key: "level", header: by, alignment: .left), .init(key: "term", header: "term", alignment: .left),
            .init(key: "estimate", header: "estimate"), .init(key: "std_error", header: "std. error"),
            .init(key: "n", header: "n"), .init(key: "n_dropped", header: "dropped"), .init(key: "events", header: "events"),
        ]
        var rows: [[CellValue]] = []
        var notes = ["One \(model) fit per level of \(by) (\(method)); estimate and std. error on the model's scale, unrounded, for `cohort meta --estimate estimate --std-error std_error --label level` (CSV)."]
        for level in levels {
            if let failure = level.failure {
                notes.append("\(by) = \(level.level): not fitted: \(failure).")
                continue
            }
            if !level.converged { notes.append("\(by) = \(level.level): the fit did not converge; its estimates are not reliable.") }
            for (j, term) in level.terms.enumerated() {
                rows.append([.text(level.level), .text(term), .exactNumber(level.estimates[j]), .exactNumber(level.standardErrors[j]),
                             .count(level.n, rule.isSmall(level.n) ? .small : .shown), .count(level.nDropped, rule.isSmall(level.nDropped) ? .small : .shown),
                             .count(level.events, rule.isSmall(level.events) ? .small : .shown)])
            }
        }
        notes.append("Rows missing \(by): \(rule.isSmall(missingBy) ? "<\(rule.threshold)" : String(missingBy)) dropped before the fits.")
        if rule.isActive { notes.append("Small-cell suppression: counts of n, dropped and events from 1 to \(rule.threshold - 1) are printed <\(rule.threshold).") }
        return ReportTable(title: "\(model.prefix(1).uppercased() + model.dropFirst()) estimates by \(by)", preamble: [], columns: columns, rows: rows,
                           notes: notes, style: style)
    }

    /// `{"by", "model", "method", "missingBy", "levels": [{"level", "n", "nDropped", "events", "converged",
    /// "failure", "coefficients": [{"term", "estimate", "stdError"}]}]}`; a suppressed count is null.
    public func json(suppression rule: Suppression) -> String {
        func count(_ x: Int) -> JSONValue { rule.isSmall(x) ? .null : .integer(x) }
        let items: [JSONValue] = levels.map { level in
            .object([
                ("level", .string(level.level)), ("n", count(level.n)), ("nDropped", count(level.nDropped)), ("events", count(level.events)),
                ("converged", .bool(level.converged)), ("failure", level.failure.map { .string($0) } ?? .null),
                ("coefficients", .array(level.terms.indices.map { j in
                    .object([("term", .string(level.terms[j])), ("estimate", .optionalNumber(level.estimates[j])),
                             ("stdError", .optionalNumber(level.standardErrors[j]))])
                })),
            ])
        }
        return JSONValue.object([("by", .string(by)), ("model", .string(model)), ("method", .string(method)), ("missingBy", count(missingBy)),
                                 ("levels", .array(items))]).rendered(indent: 2) + "\n"
    }
}

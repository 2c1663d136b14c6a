import CohortData

extension MetaAnalysis {
    /// How a row gives its study's sampling variance: a variance column or a standard-error column
    /// (squared).
    public enum Spread: Sendable, Equatable {
        case variance(String)
        case standardError(String)

        var column: String {
            switch self {
            case .variance(let name), .standardError(let name): name
            }
        }
    }

    /// The studies of `table`, one a row, in file order. Nothing is dropped silently: a missing or
    /// non-numeric estimate or spread, a spread that is not positive, is an error naming the file,
    /// line and column. Labels: `label`'s value, else "line N".
    public static func studies(table: DataTable, estimate: String, spread: Spread, label: String?) throws -> [Study] {
        let estimates = try numbers(table, estimate, role: "estimate")
        let spreads = try numbers(table, spread.column, role: { if case .variance = spread { "variance" } else { "standard error" } }())
        let labels = try label.map { try table.column(named: $0) }
        guard table.rowCount > 0 else { throw ModelError.noCompleteRows(source: table.source, n: 0) }
        var studies: [Study] = []
        studies.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount {
            let y = estimates[row], s = spreads[row]
            if y.isNaN {
                throw ModelError.data("\(table.location(ofRow: row)): the estimate column '\(estimate)' is missing; every study needs an estimate (a meta-analysis drops no study silently: remove the row)")
            }
            if !y.isFinite {
                throw ModelError.invalidValue(source: table.source, line: Int(table.lineNumbers[row]), column: estimate, value: NumberText.shortest(y), expected: "an estimate must be finite")
            }
            switch spread {
            case .variance(let name), .standardError(let name):
                let what: String = if case .variance = spread { "variance" } else { "standard error" }
                if s.isNaN {
                    throw ModelError.data("\(table.location(ofRow: row)): the \(what) column '\(name)' is missing; every study needs its \(what) (a meta-analysis drops no study silently: remove the row)")
                }
                if !(s > 0) || !s.isFinite {
                    throw ModelError.invalidValue(source: table.source, line: Int(table.lineNumbers[row]), column: name, value: NumberText.shortest(s),
                                                  expected: "a \(what) must be a positive finite number")
                }
            }
            let variance: Double = if case .variance = spread { s } else { s * s }
            let name = labels.flatMap { $0.isMissing(row) ? nil : $0.displayValue(row) } ?? "line \(table.lineNumbers[row])"
            studies.append(Study(label: name, estimate: y, variance: variance))
        }
        return studies
    }

    private static func numbers(_ table: DataTable, _ name: String, role: String) throws -> [Double] {
        let column = try table.column(named: name)
        switch column.storage {
        case .numeric(let values): return values
        case .text:
            if let (row, value) = column.firstNonNumeric, column.numericLikeCount > 0 {
                throw ModelError.nonNumericValue(source: table.source, line: Int(table.lineNumbers[row]), column: name, value: value)
            }
            throw ModelError.columnNotNumeric(column: name, role: role)
        }
    }
}

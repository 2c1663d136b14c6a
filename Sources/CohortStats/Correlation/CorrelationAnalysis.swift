import CohortData

/// A correlation test between two columns of a data table, on the rows where both are present.
public struct CorrelationAnalysis: Sendable {
    public let source: String
    public let xColumn: String
    public let yColumn: String
    public let method: Correlation.Method
    /// Rows with both values present (the pairs tested).
    public let nUsed: Int
    /// Rows left out for a missing x or y.
    public let nDropped: Int
    public let test: TestResult

    /// Reads the two numeric columns, keeps the complete pairs and runs
    /// ``Correlation/test(_:_:method:alternative:exact:continuity:confidenceLevel:)`` on them.
    /// - Throws: `DataError` for an unknown column; ``GroupTestError`` for a text column, too few
    ///   complete pairs or a constant column (the message names the column).
    public static func run(table: DataTable, x: String, y: String, method: Correlation.Method,
                           alternative: TestResult.Alternative = .twoSided, confidenceLevel: Double = 0.95) throws -> CorrelationAnalysis {
        let xValues = try numbers(table, x), yValues = try numbers(table, y)
        let rows = (0..<table.rowCount).filter { !xValues[$0].isNaN && !yValues[$0].isNaN }
        let test: TestResult
        do {
            test = try Correlation.test(rows.map { xValues[$0] }, rows.map { yValues[$0] }, method: method, alternative: alternative,
                                        confidenceLevel: confidenceLevel)
        } catch {
            throw named(error, x: x, y: y, rows: rows.count)
        }
        return CorrelationAnalysis(source: table.source, xColumn: x, yColumn: y, method: method, nUsed: rows.count,
                                   nDropped: table.rowCount - rows.count, test: test)
    }

    /// The error with the column names in place of "x" and "y".
    private static func named(_ error: GroupTestError, x: String, y: String, rows: Int) -> GroupTestError {
        switch error {
        case let .constant(which, test):
            return .constant(what: "'\(which == "x" ? x : y)' on the \(rows) complete rows", test: test)
        case let .tooFewObservations(_, needed, got):
            return .tooFewObservations(what: "the complete pairs of '\(x)' and '\(y)'", needed: needed, got: got)
        default:
            return error
        }
    }

    /// The column's numbers with NaN for missing.
    private static func numbers(_ table: DataTable, _ name: String) throws -> [Double] {
        let column = try table.column(named: name)
        guard case .numeric(let values) = column.storage else { throw GroupTestError.notNumeric(source: table.source, column: name) }
        return values
    }
}

import CohortData

/// A binary outcome against each candidate factor, as the univariable screen of a cohort paper
/// ("bleeding by baseline platelets < 100: 6/20 vs 6/107, P = .01, Fisher's exact test").
public struct FactorComparison: Sendable {
    public struct Level: Sendable {
        public let label: String
        public let events: Int
        public let n: Int
    }

    public let factor: String
    public let levels: [Level]
    public let nUsed: Int
    /// Rows left out for a missing outcome or factor value.
    public let nDropped: Int
    /// The test, or nil when there is nothing to test (see `problem`).
    public let test: TestResult?
    public let problem: String?
}

public enum OutcomeComparison {
    /// Which test a comparison uses.
    public enum TestChoice: String, Sendable, CaseIterable {
        /// Pearson's chi-square without continuity correction when every expected count is at least
        /// 5, Fisher's exact test otherwise (gtsummary's rule).
        case auto
        case fisher
        case chisq
        case chisqYates = "chisq-yates"
    }

    /// The outcome against each factor, each on the rows where both are present.
    ///
    /// A factor's levels are a text column's levels (the codebook's order, else sorted) or the
    /// distinct values of a binary or grade variable, or of an undeclared number column holding at
    /// most 5 whole values. Other number columns are measurements: not compared here yet.
    /// - Throws: `ModelError` for an outcome that is not binary; `DataError` for an unknown column;
    ///   ``ComparisonError`` for a continuous factor.
    public static func compare(table: DataTable, outcome: String, eventLevel: String? = nil, factors: [String],
                               test choice: TestChoice = .auto) throws -> (eventLabel: String, comparisons: [FactorComparison]) {
        let outcomeColumn = try table.column(named: outcome)
        let coding = try ResponseCoding(column: outcomeColumn, eventLevel: eventLevel, source: table.source)
        var comparisons: [FactorComparison] = []
        for name in factors {
            let column = try table.column(named: name)
            let rows = (0..<table.rowCount).filter { !outcomeColumn.isMissing($0) && !column.isMissing($0) }
            let groups = try levels(of: column, rows: rows, source: table.source)
            let levels = groups.map { FactorComparison.Level(label: $0.label, events: $0.rows.filter(coding.isEvent).count, n: $0.rows.count) }
            var test: TestResult?
            var problem: String?
            if levels.count < 2 {
                problem = levels.isEmpty ? "no rows with both values present" : "one level only ('\(levels[0].label)'): nothing to compare"
            } else {
                let counts = levels.map { [$0.n - $0.events, $0.events] }
                let contingency = try ContingencyTable(counts)
                let useFisher: Bool
                switch choice {
                case .auto: useFisher = contingency.expectedCounts.joined().contains { $0 < 5 }
                case .fisher: useFisher = true
                case .chisq, .chisqYates: useFisher = false
                }
                do {
                    test = useFisher ? try contingency.fisherExactTest() : try contingency.chiSquareTest(correct: choice == .chisqYates)
                } catch {
                    problem = error.description
                }
            }
            comparisons.append(FactorComparison(factor: name, levels: levels, nUsed: rows.count, nDropped: table.rowCount - rows.count,
                                                test: test, problem: problem))
        }
        return (coding.eventLabel, comparisons)
    }

    private static func levels(of column: Column, rows: [Int], source: String) throws -> [(label: String, rows: [Int])] {
        if case .numeric(let values) = column.storage {
            let distinct = Set(rows.map { values[$0] })
            // Binary and grade variables are categories; other declared numbers are measurements; an
            // undeclared number column counts as categories when it holds at most 5 whole values.
            let categorical: Bool
            switch column.variable?.type {
            case .binary?, .grade?: categorical = true
            case .some: categorical = false
            case nil: categorical = distinct.count <= 5 && distinct.allSatisfy { $0 == $0.rounded() }
            }
            guard categorical else {
                throw ComparisonError.continuousFactor(source: source, column: column.name, distinct: distinct.count)
            }
        }
        return column.groups(of: rows)
    }
}

public enum ComparisonError: Error, Equatable, CustomStringConvertible {
    case continuousFactor(source: String, column: String, distinct: Int)

    public var description: String {
        switch self {
        case .continuousFactor(let source, let column, let distinct):
            "\(source): '\(column)' is continuous (\(distinct) distinct values); compare takes categorical factors (text, binary, grade, or at most 5 whole values without a codebook) until the rank-sum test lands; cut it with a derived variable such as below(\(column), 100)"
        }
    }
}

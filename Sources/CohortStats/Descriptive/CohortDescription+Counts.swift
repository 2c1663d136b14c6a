import CohortData

/// A description assembled from what a database returns instead of its rows (issue 17 pushdown):
/// categories from a table of the distinct (value, group) pairs and how many rows each stands for,
/// measurements from their sums and order statistics (``NumericSummary/init(n:missing:allWhole:roughMean:sumDeviations:sumSquares:orderStatistic:)``).
/// The same counts and sums give the same description as the rows, through the same code.
extension CohortDescription {
    /// A categorical variable's description from `table`, whose row r stands for `multiplicity[r]`
    /// rows: `column` its values, `groups` the table's rows in each group (the description's order).
    /// - Precondition: the column's role among the rows is categorical.
    public static func counted(_ column: Column, rows: [Int], groups: [[Int]], multiplicity: [Int], tests: GroupTests?, smd: Bool) -> VariableDescription {
        describe(column, rows: rows, groups: groups, tests: groups.isEmpty ? nil : tests, smd: smd, multiplicity: multiplicity)
    }

    /// A variable described by summaries computed elsewhere (measurements, dates, free text):
    /// `column` gives its name, label and unit. No test between groups is computed (a measurement's
    /// needs its values); with `tests`, dates and free text get the problem the rows would give.
    public static func summarized(_ column: Column, role: VariableRole, overall: VariableDescription.Summary,
                                  byGroup: [VariableDescription.Summary], tests: Bool, smd: Bool) -> VariableDescription {
        var problem: String?
        if tests, !byGroup.isEmpty {
            let withValues = byGroup.filter { $0.n > 0 }.count
            let error = withValues < 2 ? GroupTestError.fewerThanTwoGroups(withValues: withValues) : GroupTestError.noTest(kind: role.rawValue)
            problem = String(describing: error)
        }
        return VariableDescription(name: column.name, label: column.variable?.label, unit: column.variable?.unit, role: role,
                                   overall: overall, byGroup: byGroup, test: nil, testProblem: problem,
                                   eventLevel: nil, standardizedDifference: smd ? standardizedDifference(byGroup) : nil)
    }

    /// The description of `variables`, as ``describe(table:variables:by:tests:standardizedDifferences:)`` returns it.
    public static func assembled(source: String, rowCount: Int, groupColumn: String?, groups: [Group], rowsWithoutGroup: Int,
                                 variables: [VariableDescription], tests: GroupTests?, standardizedDifferences: Bool) -> CohortDescription {
        CohortDescription(source: source, rowCount: rowCount, groupColumn: groupColumn, groups: groups, rowsWithoutGroup: rowsWithoutGroup,
                          variables: variables, tests: groupColumn == nil ? nil : tests,
                          standardizedDifferences: groupColumn != nil && standardizedDifferences)
    }
}

extension CohortDescription.Group {
    public init(label: String, count: Int) {
        self.init(label: label, n: count)
    }
}

import CohortData

/// One variable of a descriptive table (Table 1): its summary overall and in each group, and the
/// test of a difference between the groups, named.
public struct VariableDescription: Sendable {
    public enum Summary: Sendable, Equatable {
        case numeric(NumericSummary)
        case categorical(CategoricalSummary)
        /// Dates: the first and last (days since 1970-01-01, shown as dates).
        case dates(NumericSummary)
        /// Free text: how many rows have a value and how many distinct values there are.
        case freeText(n: Int, missing: Int, distinct: Int)

        public var n: Int {
            switch self {
            case .numeric(let s), .dates(let s): s.n
            case .categorical(let s): s.n
            case .freeText(let n, _, _): n
            }
        }

        public var missing: Int {
            switch self {
            case .numeric(let s), .dates(let s): s.missing
            case .categorical(let s): s.missing
            case .freeText(_, let missing, _): missing
            }
        }
    }

    public let name: String
    public var label: String? { extras?.label }
    public var unit: String? { extras?.unit }
    public let role: VariableRole
    public let overall: Summary
    /// One summary a group, in the order of ``CohortDescription/groups``; empty without groups.
    public let byGroup: [Summary]
    /// The test between groups; nil without groups or when there is nothing to test (`testProblem`).
    public var test: TestResult? { extras?.test }
    public var testProblem: String? { extras?.testProblem }

    /// What most variables of a wide file lack (a codebook's label and unit, a test), boxed and nil
    /// when all of it is: inline, a test result alone made each variable some 380 bytes, 113 MB for
    /// a file of 300,000 columns (issue 12).
    private let extras: Extras?

    private final class Extras: Sendable {
        let label: String?, unit: String?, test: TestResult?, testProblem: String?
        init(label: String?, unit: String?, test: TestResult?, testProblem: String?) {
            (self.label, self.unit, self.test, self.testProblem) = (label, unit, test, testProblem)
        }
    }

    init(name: String, label: String?, unit: String?, role: VariableRole, overall: Summary, byGroup: [Summary], test: TestResult?, testProblem: String?) {
        self.name = name
        self.role = role
        self.overall = overall
        self.byGroup = byGroup
        let needed = label != nil || unit != nil || test != nil || testProblem != nil
        extras = needed ? Extras(label: label, unit: unit, test: test, testProblem: testProblem) : nil
    }
}

/// A descriptive summary of a cohort, overall and optionally by group: what `cohort describe`
/// prints. Each variable's role comes from the codebook (``CohortData/Column/role(among:maximumInferredLevels:)``).
public struct CohortDescription: Sendable {
    public struct Group: Sendable, Equatable {
        public let label: String
        public let n: Int
    }

    public let source: String
    public let rowCount: Int
    public let groupColumn: String?
    public let groups: [Group]
    /// Rows without a group value: in the Overall column, in no group and in no test.
    public let rowsWithoutGroup: Int
    public let variables: [VariableDescription]
    public let tests: GroupTests?

    /// Describes `variables` (default: every column except the group), overall and by `group`.
    ///
    /// Tests between groups, when `tests` is non-nil (``GroupTests/automatic`` by default,
    /// gtsummary's rules): for categories Pearson's chi-square when every expected count is at least
    /// 5, Fisher's exact test otherwise; for measurements the Wilcoxon rank-sum test for two groups
    /// and Kruskal-Wallis for more, which make no normality assumption; none for dates and free text.
    /// - Throws: `DataError` for an unknown column.
    public static func describe(table: DataTable, variables names: [String]? = nil, by group: String? = nil,
                                tests: GroupTests? = .automatic) throws -> CohortDescription {
        let groupColumn = try group.map { try table.column(named: $0) }
        let allRows = Array(0..<table.rowCount)
        var groupRows: [(label: String, rows: [Int])] = []
        if let groupColumn {
            groupRows = groupColumn.groups(of: allRows.filter { !groupColumn.isMissing($0) })
        }
        let grouped = groupRows.reduce(0) { $0 + $1.rows.count }
        let groupMembers = groupRows.map(\.rows)
        var descriptions: [VariableDescription] = []
        func describeColumn(named name: String) throws {
            descriptions.append(describe(try table.column(named: name), rows: allRows, groups: groupMembers, tests: groupColumn == nil ? nil : tests))
        }
        // Every column by default, by name from the table as it is: no list of 300,000 names and
        // copies of their columns made first (issue 12). By name, since a name repeated (a derived
        // variable) means its first column.
        if let names {
            descriptions.reserveCapacity(names.count)
            for name in names { try describeColumn(named: name) }
        } else {
            descriptions.reserveCapacity(table.columns.count)
            for column in table.columns where column.name != group { try describeColumn(named: column.name) }
        }
        return CohortDescription(source: table.source, rowCount: table.rowCount, groupColumn: group,
                                 groups: groupRows.map { Group(label: $0.label, n: $0.rows.count) },
                                 rowsWithoutGroup: groupColumn == nil ? 0 : table.rowCount - grouped,
                                 variables: descriptions, tests: groupColumn == nil ? nil : tests)
    }

    private static func describe(_ column: Column, rows: [Int], groups: [[Int]], tests: GroupTests?) -> VariableDescription {
        let present = rows.filter { !column.isMissing($0) }
        let role = column.role(among: present)
        let overall = summary(column, role: role, rows: rows)
        let byGroup = groups.map { summary(column, role: role, rows: $0) }
        var test: TestResult?
        var problem: String?
        if let tests, !groups.isEmpty {
            do {
                test = try betweenGroups(column, role: role, groups: groups, tests: tests)
            } catch {
                problem = String(describing: error)
            }
        }
        return VariableDescription(name: column.name, label: column.variable?.label, unit: column.variable?.unit, role: role,
                                   overall: overall, byGroup: byGroup, test: test, testProblem: problem)
    }

    private static func summary(_ column: Column, role: VariableRole, rows: [Int]) -> VariableDescription.Summary {
        let present = rows.filter { !column.isMissing($0) }
        let missing = rows.count - present.count
        switch role {
        case .categorical:
            return .categorical(CategoricalSummary(groups: column.groups(of: present).map { ($0.label, $0.rows.count) }, missing: missing))
        case .continuous, .date:
            guard case .numeric(let values) = column.storage else {
                return .freeText(n: present.count, missing: missing, distinct: column.groups(of: present).count)
            }
            let summary = NumericSummary(rows.lazy.map { values[$0] })
            return role == .date ? .dates(summary) : .numeric(summary)
        case .freeText:
            return .freeText(n: present.count, missing: missing, distinct: column.groups(of: present).count)
        }
    }
}

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
    /// A yes/no variable (codebook type `binary`, or a categorical variable whose values are one
    /// yes word and/or one no word, ``CohortData/BinaryWords``): the level counted as the event,
    /// which a compact Table 1 prints on the variable's one row. nil otherwise.
    public var eventLevel: String? { extras?.eventLevel }
    /// The standardised mean difference between the groups (``StandardizedDifference``), when asked
    /// for and defined; nil otherwise.
    public var standardizedDifference: Double? { extras?.smd }
    /// For a variable declared with `shown_if:` (REDCap branching logic), the rows whose blank is
    /// "not applicable": in neither its n nor its missing count (issue 18). nil for other variables.
    public internal(set) var notApplicable: Int?

    /// What most variables of a wide file lack (a codebook's label and unit, a test), boxed and nil
    /// when all of it is: inline, a test result alone made each variable some 380 bytes, 113 MB for
    /// a file of 300,000 columns (issue 12).
    private let extras: Extras?

    private final class Extras: Sendable {
        let label: String?, unit: String?, test: TestResult?, testProblem: String?, eventLevel: String?, smd: Double?
        init(label: String?, unit: String?, test: TestResult?, testProblem: String?, eventLevel: String?, smd: Double?) {
            (self.label, self.unit, self.test, self.testProblem) = (label, unit, test, testProblem)
            (self.eventLevel, self.smd) = (eventLevel, smd)
        }
    }

    init(name: String, label: String?, unit: String?, role: VariableRole, overall: Summary, byGroup: [Summary], test: TestResult?, testProblem: String?,
         eventLevel: String? = nil, standardizedDifference: Double? = nil) {
        self.name = name
        self.role = role
        self.overall = overall
        self.byGroup = byGroup
        let needed = label != nil || unit != nil || test != nil || testProblem != nil || eventLevel != nil || standardizedDifference != nil
        extras = needed ? Extras(label: label, unit: unit, test: test, testProblem: testProblem, eventLevel: eventLevel, smd: standardizedDifference) : nil
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
    /// Whether each variable's standardised mean difference between the groups was computed.
    public let standardizedDifferences: Bool

    /// Describes `variables` (default: every column except the group), overall and by `group`.
    ///
    /// Tests between groups, when `tests` is non-nil (``GroupTests/automatic`` by default,
    /// gtsummary's rules): for categories Pearson's chi-square when every expected count is at least
    /// 5, Fisher's exact test otherwise; for measurements the Wilcoxon rank-sum test for two groups
    /// and Kruskal-Wallis for more, which make no normality assumption; none for dates and free text.
    ///
    /// With `standardizedDifferences` (and groups) each variable gets its SMD between the groups
    /// (``StandardizedDifference``, tableone's formulas; the mean of the pairwise SMDs with more
    /// than two groups).
    /// - Throws: `DataError` for an unknown column.
    public static func describe(table: DataTable, variables names: [String]? = nil, by group: String? = nil,
                                tests: GroupTests? = .automatic, standardizedDifferences: Bool = false) throws -> CohortDescription {
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
            guard let flags = table.notApplicable[name] else {
                descriptions.append(describe(try table.column(named: name), rows: allRows, groups: groupMembers, tests: groupColumn == nil ? nil : tests,
                                             smd: groupColumn != nil && standardizedDifferences))
                return
            }
            // Rows where the variable does not apply are left out of its summaries and tests.
            var description = describe(try table.column(named: name), rows: allRows.filter { !flags[$0] }, groups: groupMembers.map { members in members.filter { !flags[$0] } },
                                       tests: groupColumn == nil ? nil : tests, smd: groupColumn != nil && standardizedDifferences)
            description.notApplicable = flags.reduce(0) { $0 + ($1 ? 1 : 0) }
            descriptions.append(description)
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
                                 variables: descriptions, tests: groupColumn == nil ? nil : tests,
                                 standardizedDifferences: groupColumn != nil && standardizedDifferences)
    }

    /// One variable's description; with `multiplicity`, row r stands for `multiplicity[r]` rows
    /// (categories only: ``counted(_:rows:groups:multiplicity:tests:smd:)``).
    static func describe(_ column: Column, rows: [Int], groups: [[Int]], tests: GroupTests?, smd: Bool,
                         multiplicity: [Int]? = nil) -> VariableDescription {
        let present = rows.filter { !column.isMissing($0) }
        let role = column.role(among: present)
        let overall = summary(column, role: role, rows: rows, multiplicity: multiplicity)
        let byGroup = groups.map { summary(column, role: role, rows: $0, multiplicity: multiplicity) }
        var test: TestResult?
        var problem: String?
        if let tests, !groups.isEmpty {
            do {
                test = try betweenGroups(column, role: role, groups: groups, tests: tests, multiplicity: multiplicity)
            } catch {
                problem = String(describing: error)
            }
        }
        let event = eventLevel(column, overall: overall)
        let difference = smd ? standardizedDifference(byGroup) : nil
        return VariableDescription(name: column.name, label: column.variable?.label, unit: column.variable?.unit, role: role,
                                   overall: overall, byGroup: byGroup, test: test, testProblem: problem,
                                   eventLevel: event, standardizedDifference: difference)
    }

    /// The event level of a yes/no variable: the codebook's `binary` type, or a categorical column
    /// whose values are at most one yes word and one no word (`0`/`1`, `no`/`yes`, ...). A grade is
    /// never one (grades 0 and 1 alone are still grades).
    static func eventLevel(_ column: Column, overall: VariableDescription.Summary) -> String? {
        guard case .categorical(let summary) = overall, column.variable?.type != .grade else { return nil }
        // Declared levels [absent, present] (REDCap's Unchecked/Checked, which are no yes/no words).
        if column.variable?.type == .binary, let levels = column.variable?.levels { return levels[1] }
        let labels = summary.levels.map(\.label)
        let values = labels.map(BinaryWords.value)
        guard !labels.isEmpty, values.allSatisfy({ $0 != nil }), Set(values).count == values.count else { return nil }
        if let k = values.firstIndex(of: 1) { return labels[k] }
        // Only the no word observed: the event level is the yes word of its spelling.
        let absent = labels[0]
        let pairs = ["0": "1", "false": "true", "no": "yes", "n": "y", "f": "t"]
        guard let present = pairs[absent.lowercased()] else { return nil }
        return absent == absent.uppercased() ? present.uppercased() : absent.first?.isUppercase == true ? present.capitalized : present
    }

    /// The SMD between the groups (nil when a group has no value or it is undefined).
    static func standardizedDifference(_ groups: [VariableDescription.Summary]) -> Double? {
        guard groups.count >= 2 else { return nil }
        switch groups[0] {
        case .numeric:
            let pairs = groups.compactMap { summary -> (mean: Double, sd: Double)? in
                guard case .numeric(let s) = summary, let mean = s.mean, let sd = s.standardDeviation else { return nil }
                return (mean, sd)
            }
            return pairs.count == groups.count ? StandardizedDifference.continuous(pairs) : nil
        case .categorical:
            // Every group on the levels of all of them, in first-seen order.
            var labels: [String] = []
            for case .categorical(let s) in groups { for level in s.levels where !labels.contains(level.label) { labels.append(level.label) } }
            let counts = groups.map { summary -> [Int] in
                guard case .categorical(let s) = summary else { return [] }
                return labels.map { label in s.levels.first { $0.label == label }?.count ?? 0 }
            }
            return counts.contains(where: \.isEmpty) ? nil : StandardizedDifference.categorical(counts)
        case .dates, .freeText:
            return nil
        }
    }

    private static func summary(_ column: Column, role: VariableRole, rows: [Int], multiplicity: [Int]? = nil) -> VariableDescription.Summary {
        let present = rows.filter { !column.isMissing($0) }
        let missing = rows.count - present.count
        switch role {
        case .categorical:
            if let multiplicity {
                let count = { (rows: [Int]) in rows.reduce(0) { $0 + multiplicity[$1] } }
                return .categorical(CategoricalSummary(groups: column.groups(of: present).map { ($0.label, count($0.rows)) },
                                                       missing: count(rows) - count(present)))
            }
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

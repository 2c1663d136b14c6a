import CohortData

extension CohortDescription {
    /// The test of a difference between groups for one variable, on the rows where it is present.
    /// With `multiplicity`, row r stands for `multiplicity[r]` rows (categories only).
    static func betweenGroups(_ column: Column, role: VariableRole, groups: [[Int]], tests: GroupTests, multiplicity: [Int]? = nil) throws -> TestResult {
        let present = groups.map { $0.filter { !column.isMissing($0) } }
        let tested = present.filter { !$0.isEmpty }
        guard tested.count >= 2 else {
            throw GroupTestError.fewerThanTwoGroups(withValues: tested.count)
        }
        switch role {
        case .categorical:
            let levels = column.groups(of: tested.flatMap { $0 })
            guard levels.count >= 2 else { throw GroupTestError.singleLevel(levels[0].label) }
            let index = Dictionary(uniqueKeysWithValues: levels.enumerated().flatMap { k, level in level.rows.map { ($0, k) } })
            // One pass over the rows: level × group counts.
            var counts = [[Int]](repeating: [Int](repeating: 0, count: tested.count), count: levels.count)
            for (g, rows) in tested.enumerated() {
                for row in rows { if let k = index[row] { counts[k][g] += multiplicity?[row] ?? 1 } }
            }
            return try ContingencyTable(counts).test(tests.categories)
        case .continuous:
            precondition(multiplicity == nil, "a measurement's test needs its values, not counts")
            guard case .numeric(let values) = column.storage else { throw GroupTestError.noTest(kind: "a measurement stored as text") }
            let samples = tested.map { $0.map { values[$0] } }
            return try tests.measurements.test(samples)
        case .date, .freeText:
            throw GroupTestError.noTest(kind: role.rawValue)
        }
    }
}

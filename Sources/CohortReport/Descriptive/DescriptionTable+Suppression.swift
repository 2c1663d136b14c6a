import CohortStats

extension DescriptionTable {
    /// What small-cell suppression hides in a description: the group sizes once, then each
    /// variable's counts. The one computation the table and the JSON (``DescriptionJSON``) both
    /// read (issue 13); without suppression nothing is solved (issue 12: 300,000 variables).
    public struct Statuses {
        let rule: Suppression
        let sizes: Sizes
        /// The group sizes' and the rows-without-a-group's statuses (for the table's note).
        let sizePrinted: [Suppression.Status]
        let sizeUnprotectable: Int

        public init(_ description: CohortDescription, rule: Suppression) {
            self.rule = rule
            // Overall then each group: how the header prints its N; the rows without a group value
            // as the preamble prints them.
            var groupSizeStatus: [Suppression.Status] = [.shown]
            var withoutGroupStatus = Suppression.Status.shown
            var printed: [Suppression.Status] = [], unprotectable = 0
            if description.groupColumn != nil {
                // Group sizes are counts too: suppressed as parts of the cohort's N, with the rows without a
                // group value as a part the preamble prints (0 when it says nothing).
                let cells = description.groups.map { Suppression.Cell($0.n) } + [.init(description.rowsWithoutGroup)]
                let (sizeStatus, sizeUnprotected) = rule.statuses(cells, constraints: [.init(parts: Array(cells.indices))])
                printed = sizeStatus
                groupSizeStatus = [.shown] + sizeStatus.dropLast()
                withoutGroupStatus = sizeStatus[cells.count - 1]
                unprotectable = sizeUnprotected.count
            }
            sizes = Sizes(counts: [description.rowCount] + description.groups.map(\.n), status: groupSizeStatus,
                          withoutGroup: description.rowsWithoutGroup, withoutGroupStatus: withoutGroupStatus)
            sizePrinted = printed
            sizeUnprotectable = unprotectable
        }

        /// Group k's N (0: the cohort's, always shown), as the header prints it.
        public func groupSize(_ k: Int) -> Suppression.Status { sizes.status[k] }
        /// The rows without a group value, as the preamble prints them.
        public var withoutGroup: Suppression.Status { sizes.withoutGroupStatus }

        /// The statuses of `variable`'s counts in every summary (overall, then each group).
        public func variable(_ variable: VariableDescription) -> VariableStatuses {
            let summaries = [variable.overall] + variable.byGroup
            switch variable.overall {
            case .numeric, .dates, .freeText:
                // n and missing are a grid of two rows whose columns add up to the group's N: a missing
                // count of 1..K − 1 is hidden like any count, and n with it when N would give it back.
                let free: Bool = if case .freeText = variable.overall { true } else { false }
                let (status, unprotectable) = DescriptionTable.grid([summaries.map(\.n), summaries.map(\.missing)], printedRows: [true, !free],
                                                                    sizes: sizes, rule: rule)
                return VariableStatuses(grid: status, columns: summaries.count, unprotectable: unprotectable, categorical: false,
                                        missingRow: 1, missingPrinted: !free, sizes: sizes.status, counts: [])
            case .categorical(let overall):
                let showMissing = summaries.contains(where: { $0.missing > 0 })
                // counts[r][c]: level r (then missing) in summary c; 0 where the summary has no levels.
                let counts: [[Int]] = overall.levels.map(\.label).map { label in
                    summaries.map { summary -> Int in
                        guard case .categorical(let s) = summary else { return 0 }
                        return s.levels.first(where: { $0.label == label })?.count ?? 0
                    }
                } + (showMissing ? [summaries.map { $0.missing }] : [])
                let (status, unprotectable) = DescriptionTable.grid(counts, sizes: sizes, rule: rule)
                return VariableStatuses(grid: status, columns: summaries.count, unprotectable: unprotectable, categorical: true,
                                        missingRow: showMissing ? counts.count - 1 : nil, missingPrinted: showMissing, sizes: sizes.status, counts: counts)
            }
        }
    }

    /// One variable's counts under suppression, summary by summary (c: 0 overall, then each group).
    public struct VariableStatuses {
        /// Row after row (n then missing; or each level then missing), one column a summary.
        let grid: [Suppression.Status]
        let columns: Int
        public let unprotectable: Int
        let categorical: Bool
        /// The grid row of the missing counts (nil: a categorical variable missing nowhere, no row).
        let missingRow: Int?
        /// Whether the table prints the missing counts (not for free text).
        let missingPrinted: Bool
        /// The summaries' N (the header's).
        let sizes: [Suppression.Status]
        /// A categorical variable's counts, `counts[r][c]` for level r (then missing) in summary c,
        /// as the grid was solved for (the table prints them; empty for a measurement).
        let counts: [[Int]]

        /// A count of the variable's is hidden: its test's P value (and statistic) is withheld, since
        /// with the margins shown an exact test's P pins a hidden cell.
        public var anyHidden: Bool { grid.contains { $0 != .shown } }

        public var showMissing: Bool { categorical && missingRow != nil }

        /// The missing count of summary c. Not printed (free text): hidden unless N − n gives it.
        public func missing(_ c: Int) -> Suppression.Status {
            guard let missingRow else { return .shown }
            guard missingPrinted else { return n(c) == .shown && sizes[c] == .shown ? .shown : .secondary }
            return grid[missingRow * columns + c]
        }

        /// The rows with a value in summary c: a measurement's printed n; a categorical variable's
        /// denominator N − missing, shown when N and the missing count are.
        public func n(_ c: Int) -> Suppression.Status {
            guard categorical else { return grid[c] }
            return missing(c) == .shown && sizes[c] == .shown ? .shown : .secondary
        }

        /// The denominator of a categorical summary's percentages.
        public func denominator(_ c: Int) -> Suppression.Status { n(c) }

        /// Level r's count in summary c.
        public func level(_ r: Int, _ c: Int) -> Suppression.Status { grid[r * columns + c] }
    }

    /// The group sizes as the header and preamble print them: overall then each group, and the
    /// rows without a group value (which the Overall column counts and no group does).
    struct Sizes {
        let counts: [Int]
        let status: [Suppression.Status]
        let withoutGroup: Int
        let withoutGroupStatus: Suppression.Status
    }

    /// The statuses of a grid of counts, `counts[r][c]` for row r in summary c (overall, then each
    /// group), row after row: each column adds up to its N (in the header), the group cells of a row
    /// to its overall cell (with the rows without a group value, a part the table never splits
    /// out), and the groups' N to the cohort's. Rows not printed (`printedRows`) are known to add
    /// up but never shown. Without suppression every count is shown: no grid to solve, which a file
    /// of 300,000 variables would otherwise set up 300,000 times (issue 12).
    static func grid(_ counts: [[Int]], printedRows: [Bool]? = nil, sizes: Sizes, rule: Suppression) -> ([Suppression.Status], Int) {
        let rowCount = counts.count, columns = sizes.counts.count
        guard rule.isActive else { return ([Suppression.Status](repeating: .shown, count: rowCount * columns), 0) }
        var cells = counts.enumerated().flatMap { r, row in row.map { Suppression.Cell($0, printed: printedRows?[r] ?? true) } }
        let sizeBase = cells.count
        cells += sizes.counts.map { Suppression.Cell($0) } + [.init(sizes.withoutGroup)]
        var fixed: [Int: Suppression.Status] = [sizeBase + columns: sizes.withoutGroupStatus]
        for (c, status) in sizes.status.enumerated() { fixed[sizeBase + c] = status }
        var constraints = (0..<columns).map { c in Suppression.Constraint(parts: (0..<rowCount).map { $0 * columns + c }, total: sizeBase + c) }
        if columns > 1 {
            constraints.append(.init(parts: Array(sizeBase + 1..<sizeBase + columns + 1), total: sizeBase))
            for r in 0..<rowCount {
                var parts = (1..<columns).map { r * columns + $0 }
                if sizes.withoutGroup > 0 {
                    parts.append(cells.count)
                    cells.append(.init(counts[r][0] - (1..<columns).reduce(0) { $0 + counts[r][$1] }, printed: false))
                }
                constraints.append(.init(parts: parts, total: r * columns))
            }
        }
        let (status, unprotectable) = rule.statuses(cells, constraints: constraints, fixed: fixed)
        return (Array(status.prefix(rowCount * columns)), unprotectable.count)
    }
}

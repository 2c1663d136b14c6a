import CohortData
import CohortStats

/// Table 1: each variable's summary, overall and by group, with the test between groups named
/// beside its P value. Measurements get four rows (n (missing), mean (SD), median [IQR], min–max),
/// categories one row a level with n (%) of the patients with a value, so every percentage has a
/// stated denominator.
public enum DescriptionTable {
    public static func make(_ description: CohortDescription, style: NumberStyle = .standard) -> ReportTable {
        let grouped = description.groupColumn != nil
        var suppressed: (statuses: [Suppression.Status], unprotectable: Int) = ([], 0)
        // Overall then each group: how the header prints its N.
        var groupSizeStatus: [Suppression.Status] = [.shown]
        // How the preamble prints the rows without a group value.
        var withoutGroupStatus = Suppression.Status.shown
        var columns = [ReportTable.Column(key: "characteristic", header: "characteristic", alignment: .left),
                       .init(key: "overall", header: "Overall (N = \(description.rowCount))")]
        if grouped {
            // Group sizes are counts too: suppressed as parts of the cohort's N, with the rows without a
            // group value as a part the preamble prints (0 when it says nothing).
            let sizes = description.groups.map { Suppression.Cell($0.n) } + [.init(description.rowsWithoutGroup)]
            let (sizeStatus, sizeUnprotected) = style.suppression.statuses(sizes, constraints: [.init(parts: Array(sizes.indices))])
            suppressed.statuses += sizeStatus
            groupSizeStatus = [.shown] + sizeStatus.dropLast()
            withoutGroupStatus = sizeStatus[sizes.count - 1]
            suppressed.unprotectable += sizeUnprotected.count
            columns += description.groups.enumerated().map { k, group in
                .init(key: "group\(k + 1)", header: "\(group.label) (N \(sizeStatus[k] == .shown ? "= \(group.n)" : style.suppression.text(group.n, sizeStatus[k]).replacingOccurrences(of: "<", with: "< ").replacingOccurrences(of: "≥", with: "≥ ")))")
            }
            columns += [.init(key: "p", header: "P"), .init(key: "test", header: "test", alignment: .left)]
        }
        let sizes = Sizes(counts: [description.rowCount] + description.groups.map(\.n), status: groupSizeStatus,
                          withoutGroup: description.rowsWithoutGroup, withoutGroupStatus: withoutGroupStatus)
        // The rows written into the table as they are made, reserved for the rows the variables
        // will make (a wide file's million rows are then one array made once; issue 12).
        var table = ReportTable(title: grouped ? "Characteristics by \(description.groupColumn ?? "")" : "Characteristics",
                                columns: columns, style: style)
        table.reserve(rows: description.variables.reduce(0) { $0 + rowCount($1) })
        var notes: [String] = []
        var pWithheld = false
        for variable in description.variables {
            let summaries = [variable.overall] + variable.byGroup
            var (block, hidden) = lines(variable, summaries: summaries, style: style, sizes: sizes, suppressed: &suppressed)
            if grouped {
                // With the margins shown, an exact test's P pins a hidden cell of its table (issue 13).
                let p = variable.test.map { CellValue.pValue($0.pValue, hidden ? .withheld : .shown) } ?? .empty
                pWithheld = pWithheld || hidden && variable.test != nil
                let test = variable.test?.method ?? (variable.testProblem ?? "")
                block = block.enumerated().map { k, line in line + (k == 0 ? [p, test.isEmpty ? .empty : .text(test)] : [.empty, .empty]) }
                for warning in variable.test?.warnings ?? [] { notes.append("\(variable.name): \(warning)") }
            }
            for line in block { table.append(row: line) }
        }
        var preamble = ["data: \(description.source); \(description.rowCount) row\(description.rowCount == 1 ? "" : "s")"]
        if let group = description.groupColumn {
            preamble[0] += "; by \(group)"
            if description.rowsWithoutGroup > 0 {
                let count = description.rowsWithoutGroup
                let shown = withoutGroupStatus == .shown
                preamble.append("\(style.suppression.text(count, withoutGroupStatus)) row\(shown && count == 1 ? "" : "s") without a \(group) value: in Overall only, in no test")
            }
        }
        notes.insert("Percentages are of the rows with a value (the n of the variable); missing values are counted separately. Median [IQR]: R's type-7 quantiles; SD with the n − 1 denominator.", at: 0)
        if grouped {
            notes.insert("Tests are two-sided, on the rows with a value: categories by Pearson's chi-square without continuity correction when every expected count is at least 5, else Fisher's exact test; measurements by the Wilcoxon rank-sum test (two groups) or Kruskal-Wallis (more).", at: 1)
        }
        if let note = style.suppression.note(suppressed.statuses, unprotectable: suppressed.unprotectable) { notes.append(note) }
        if style.suppression.isActive, description.variables.contains(where: { v in
            if case .categorical = v.overall { false } else if case .freeText = v.overall { false } else { true }
        }) {
            notes.append(extremesNote)
        }
        if pWithheld { notes.append(style.suppression.withheldPNote(missing: style.missing)) }
        table.preamble = preamble
        table.notes = notes
        return table
    }

    /// The rows `lines` makes for `variable` (for reserving; a wrong count costs only a copy).
    private static func rowCount(_ variable: VariableDescription) -> Int {
        switch variable.overall {
        case .numeric: 5
        case .dates: 3
        case .freeText: 1
        case .categorical(let overall):
            1 + overall.levels.count + (([variable.overall] + variable.byGroup).contains { $0.missing > 0 } ? 1 : 0)
        }
    }

    private static func heading(_ variable: VariableDescription, suffix: String) -> String {
        // The codebook's label is what a manuscript prints; the unit is added unless the label says it.
        var text = variable.label ?? variable.name
        if let unit = variable.unit, !text.contains(unit) { text += " (\(unit))" }
        return text + suffix
    }

    /// Under suppression, why the extremes are not shown (issue 13).
    static let extremesNote = "Under small-cell suppression min–max (first–last for dates) is not shown: each extreme is one patient's value."

    /// The group sizes as the header and preamble print them: overall then each group, and the
    /// rows without a group value (which the Overall column counts and no group does).
    struct Sizes {
        let counts: [Int]
        let status: [Suppression.Status]
        let withoutGroup: Int
        let withoutGroupStatus: Suppression.Status
    }

    /// The rows of `variable`, and whether any of its counts is hidden.
    private static func lines(_ variable: VariableDescription, summaries: [VariableDescription.Summary], style: NumberStyle,
                              sizes: Sizes, suppressed: inout (statuses: [Suppression.Status], unprotectable: Int)) -> ([[CellValue]], Bool) {
        let rule = style.suppression
        let columns = summaries.count
        switch variable.overall {
        case .numeric, .dates, .freeText:
            // n and missing are a grid of two rows whose columns add up to the group's N: a missing
            // count of 1..K − 1 is hidden like any count, and n with it when N would give it back.
            let free: Bool = if case .freeText = variable.overall { true } else { false }
            let (status, unprotectable) = grid([summaries.map(\.n), summaries.map(\.missing)], printedRows: [true, !free], sizes: sizes, rule: rule)
            suppressed.statuses += status
            suppressed.unprotectable += unprotectable
            let hidden = status.contains { $0 != .shown }
            func counts(_ c: Int) -> CellValue {
                .countMissing(summaries[c].n, summaries[c].missing, n: .init(status[c]), missing: .init(status[columns + c]))
            }
            let empties = [CellValue](repeating: .empty, count: columns)
            if case .freeText = variable.overall {
                return ([[.text(heading(variable, suffix: ", n (distinct values)"))] + summaries.indices.map { c in
                    guard case .freeText(let n, _, let distinct) = summaries[c] else { return .text("—") }
                    return .countDistinct(n, distinct, .init(status[c]))
                }], hidden)
            }
            // The extremes are single patients' values whatever the n: under suppression never shown.
            let extremes: TableCell.Status = rule.isActive ? .withheld : .shown
            if case .dates = variable.overall {
                return ([
                    [.text(heading(variable, suffix: ""))] + empties,
                    [.text("  n (missing)")] + summaries.indices.map(counts),
                    [.text("  first–last")] + summaries.map { summary in
                        guard case .dates(let s) = summary else { return .text("—") }
                        return .dateRange(s.minimum ?? .nan, s.maximum ?? .nan, extremes)
                    },
                ], hidden)
            }
            // A summary of 1..K − 1 values gives those values away.
            let whole = NumberStyle.Summary(summaries.compactMap { if case .numeric(let s) = $0 { s } else { nil } }).whole
            func cell(_ k: Int, _ body: (NumericSummary, TableCell.Status) -> CellValue) -> CellValue {
                guard case .numeric(let s) = summaries[k] else { return .text("—") }
                return body(s, status[k] == .small ? .withheld : .shown)
            }
            return ([
                [.text(heading(variable, suffix: ""))] + empties,
                [.text("  n (missing)")] + summaries.indices.map(counts),
                [.text("  mean (SD)")] + summaries.indices.map { cell($0) { .meanSD($0.mean ?? .nan, $0.standardDeviation ?? .nan, whole: whole, $1) } },
                [.text("  median [IQR]")] + summaries.indices.map {
                    cell($0) { .medianIQR($0.median ?? .nan, $0.lowerQuartile ?? .nan, $0.upperQuartile ?? .nan, whole: whole, $1) }
                },
                [.text("  min–max")] + summaries.indices.map { cell($0) { s, status in .range(s.minimum ?? .nan, s.maximum ?? .nan, whole: whole, extremes == .shown ? status : extremes) } },
            ], hidden)
        case .categorical(let overall):
            return categoricalLines(variable, overall: overall, summaries: summaries, style: style, sizes: sizes, suppressed: &suppressed)
        }
    }

    /// The statuses of a grid of counts, `counts[r][c]` for row r in summary c (overall, then each
    /// group), row after row: each column adds up to its N (in the header), the group cells of a row
    /// to its overall cell (with the rows without a group value, a part the table never splits
    /// out), and the groups' N to the cohort's. Rows not printed (`printedRows`) are known to add
    /// up but never shown. Without suppression every count is shown: no grid to solve, which a file
    /// of 300,000 variables would otherwise set up 300,000 times (issue 12).
    private static func grid(_ counts: [[Int]], printedRows: [Bool]? = nil, sizes: Sizes, rule: Suppression) -> ([Suppression.Status], Int) {
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

    /// One row a level (and a missing row), one column a summary; counts suppressed as a ``grid(_:printedRows:sizes:rule:)``.
    private static func categoricalLines(_ variable: VariableDescription, overall: CategoricalSummary, summaries: [VariableDescription.Summary],
                                         style: NumberStyle, sizes: Sizes, suppressed: inout (statuses: [Suppression.Status], unprotectable: Int)) -> ([[CellValue]], Bool) {
        let showMissing = summaries.contains(where: { $0.missing > 0 })
        let labels = overall.levels.map(\.label)
        // counts[r][c]: level r (then missing) in summary c; 0 where the summary has no levels.
        let counts: [[Int]] = labels.map { label in
            summaries.map { summary -> Int in
                guard case .categorical(let s) = summary else { return 0 }
                return s.levels.first(where: { $0.label == label })?.count ?? 0
            }
        } + (showMissing ? [summaries.map { $0.missing }] : [])
        let columns = summaries.count, rowCount = counts.count
        let (status, unprotectable) = grid(counts, sizes: sizes, rule: style.suppression)
        suppressed.statuses += status
        suppressed.unprotectable += unprotectable
        var block = [[CellValue.text(heading(variable, suffix: ", n (%)"))] + summaries.map { _ in .empty }]
        for (r, label) in labels.enumerated() {
            block.append([.text("  \(label)")] + summaries.enumerated().map { c, summary in
                guard case .categorical(let s) = summary else { return .text(summary.n > 0 ? "0 (0.0%)" : "—") }
                let count = counts[r][c]
                // A percentage needs its denominator N − missing: withheld when N or the missing count is hidden.
                let denominatorShown = (!showMissing || status[(rowCount - 1) * columns + c] == .shown) && sizes.status[c] == .shown
                return .countPercent(count, s.n > 0 ? Double(count) / Double(s.n) : .nan, count: .init(status[r * columns + c]),
                                     percent: denominatorShown ? .shown : .withheld)
            })
        }
        if showMissing {
            block.append([.text("  missing")] + summaries.indices.map { c in
                .count(summaries[c].missing, .init(status[(rowCount - 1) * columns + c]))
            })
        }
        return (block, status.contains { $0 != .shown })
    }
}

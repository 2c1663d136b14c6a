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
        var columns = [ReportTable.Column(key: "characteristic", header: "characteristic", alignment: .left),
                       .init(key: "overall", header: "Overall (N = \(description.rowCount))")]
        if grouped {
            // Group sizes are counts too: suppressed as parts of the cohort's N, with the rows without a
            // group value as a part the preamble prints (0 when it says nothing) and that stays shown.
            let sizes = description.groups.map { Suppression.Cell($0.n) } + [.init(description.rowsWithoutGroup)]
            let (sizeStatus, sizeUnprotected) = style.suppression.statuses(sizes, constraints: [.init(parts: Array(sizes.indices))],
                                                                           fixed: [sizes.count - 1: .shown])
            suppressed.statuses += sizeStatus.dropLast()
            groupSizeStatus = [.shown] + sizeStatus.dropLast()
            suppressed.unprotectable += sizeUnprotected.count
            columns += description.groups.enumerated().map { k, group in
                .init(key: "group\(k + 1)", header: "\(group.label) (N \(sizeStatus[k] == .shown ? "= \(group.n)" : style.suppression.text(group.n, sizeStatus[k]).replacingOccurrences(of: "<", with: "< ").replacingOccurrences(of: "≥", with: "≥ ")))")
            }
            columns += [.init(key: "p", header: "P"), .init(key: "test", header: "test", alignment: .left)]
        }
        // The cells row after row, reserved for the rows the variables will make (a wide file's
        // million rows are then one array made once; issue 12).
        var cells: [String] = []
        cells.reserveCapacity(description.variables.reduce(0) { $0 + rowCount($1) } * columns.count)
        var notes: [String] = []
        for variable in description.variables {
            let summaries = [variable.overall] + variable.byGroup
            var block = lines(variable, summaries: summaries, style: style, withoutGroup: description.rowsWithoutGroup,
                              sizes: [description.rowCount] + description.groups.map(\.n), sizeStatus: groupSizeStatus, suppressed: &suppressed)
            if grouped {
                let p = variable.test.map { style.pValue($0.pValue) } ?? ""
                let test = variable.test?.method ?? (variable.testProblem ?? "")
                block = block.enumerated().map { k, line in line + (k == 0 ? [p, test] : ["", ""]) }
                for warning in variable.test?.warnings ?? [] { notes.append("\(variable.name): \(warning)") }
            }
            for line in block { cells += line }
        }
        var preamble = ["data: \(description.source); \(description.rowCount) row\(description.rowCount == 1 ? "" : "s")"]
        if let group = description.groupColumn {
            preamble[0] += "; by \(group)"
            if description.rowsWithoutGroup > 0 {
                preamble.append("\(description.rowsWithoutGroup) row\(description.rowsWithoutGroup == 1 ? "" : "s") without a \(group) value: in Overall only, in no test")
            }
        }
        notes.insert("Percentages are of the rows with a value (the n of the variable); missing values are counted separately. Median [IQR]: R's type-7 quantiles; SD with the n − 1 denominator.", at: 0)
        if grouped {
            notes.insert("Tests are two-sided, on the rows with a value: categories by Pearson's chi-square without continuity correction when every expected count is at least 5, else Fisher's exact test; measurements by the Wilcoxon rank-sum test (two groups) or Kruskal-Wallis (more).", at: 1)
        }
        if let note = style.suppression.note(suppressed.statuses, unprotectable: suppressed.unprotectable) { notes.append(note) }
        return ReportTable(title: grouped ? "Characteristics by \(description.groupColumn ?? "")" : "Characteristics",
                           preamble: preamble, columns: columns, cells: cells, notes: notes)
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

    private static func lines(_ variable: VariableDescription, summaries: [VariableDescription.Summary], style: NumberStyle,
                              withoutGroup: Int, sizes: [Int], sizeStatus: [Suppression.Status], suppressed: inout (statuses: [Suppression.Status], unprotectable: Int)) -> [[String]] {
        switch variable.overall {
        case .numeric:
            let format = NumberStyle.Summary(summaries.compactMap { if case .numeric(let s) = $0 { s } else { nil } })
            // Under suppression a summary of 1..K − 1 values gives those values away: its n prints as
            // <K (the missing count with it, since the two add up to the group's N) and its summaries as —.
            let rule = style.suppression
            // A group whose N the header hides gets its n hidden too (n + missing = N).
            let small = summaries.indices.map { rule.isSmall(summaries[$0].n) }
            let sizeHidden = summaries.indices.map { $0 < sizeStatus.count && sizeStatus[$0] != .shown }
            suppressed.statuses += small.filter { $0 }.map { _ in .small }
            func cell(_ k: Int, _ body: (NumericSummary) -> String?) -> String { small[k] ? style.missing : numeric(summaries[k], body) }
            return [
                [heading(variable, suffix: "")] + summaries.map { _ in "" },
                ["  n (missing)"] + summaries.indices.map { k in
                    small[k] ? "<\(rule.threshold)" : sizeHidden[k] ? "≥\(rule.threshold)" : "\(summaries[k].n) (\(summaries[k].missing))"
                },
                ["  mean (SD)"] + summaries.indices.map { cell($0, format.meanSD) },
                ["  median [IQR]"] + summaries.indices.map { cell($0, format.medianIQR) },
                ["  min–max"] + summaries.indices.map { cell($0, format.minMax) },
            ]
        case .categorical(let overall):
            let (block, statuses, unprotectable) = categoricalLines(variable, overall: overall, summaries: summaries, style: style, withoutGroup: withoutGroup,
                                                                             sizes: sizes, sizeStatus: sizeStatus)
            suppressed.statuses += statuses
            suppressed.unprotectable += unprotectable
            return block
        case .dates:
            return [
                [heading(variable, suffix: "")] + summaries.map { _ in "" },
                ["  n (missing)"] + summaries.indices.map { k in
                    let rule = style.suppression
                    if rule.isSmall(summaries[k].n) { return "<\(rule.threshold)" }
                    return k < sizeStatus.count && sizeStatus[k] != .shown ? "≥\(rule.threshold)" : "\(summaries[k].n) (\(summaries[k].missing))"
                },
                ["  first–last"] + summaries.map { summary in
                    // The first and last dates of a handful of patients point at them.
                    if style.suppression.isSmall(summary.n) { return "—" }
                    guard case .dates(let s) = summary, let first = s.minimum, let last = s.maximum else { return "—" }
                    return "\(CalendarDate(daysSinceEpoch: Int(first))) to \(CalendarDate(daysSinceEpoch: Int(last)))"
                },
            ]
        case .freeText:
            return [[heading(variable, suffix: ", n (distinct values)")] + summaries.map { summary in
                guard case .freeText(let n, _, let distinct) = summary else { return "—" }
                return "\(n) (\(distinct))"
            }]
        }
    }

    private static func numeric(_ summary: VariableDescription.Summary, _ body: (NumericSummary) -> String?) -> String {
        guard case .numeric(let s) = summary else { return "—" }
        return body(s) ?? "—"
    }

    /// One row a level (and a missing row), one column a summary; counts suppressed as a grid whose
    /// columns add up to the group's N (in the header) and whose group cells add up to the overall cell.
    private static func categoricalLines(_ variable: VariableDescription, overall: CategoricalSummary, summaries: [VariableDescription.Summary],
                                         style: NumberStyle, withoutGroup: Int, sizes: [Int], sizeStatus: [Suppression.Status]) -> ([[String]], [Suppression.Status], Int) {
        let showMissing = summaries.contains(where: { $0.missing > 0 })
        let labels = overall.levels.map(\.label)
        // counts[r][c]: level r (then missing) in summary c; nil where the summary has no levels.
        let counts: [[Int?]] = labels.map { label in
            summaries.map { summary -> Int? in
                guard case .categorical(let s) = summary else { return nil }
                return s.levels.first(where: { $0.label == label })?.count ?? 0
            }
        } + (showMissing ? [summaries.map { $0.missing }] : [])
        let columns = summaries.count, rowCount = counts.count
        // Without suppression every count is shown (the header's too): no grid to solve, which a
        // file of 300,000 categories would otherwise set up 300,000 times (issue 12).
        let (status, unprotectable): ([Suppression.Status], [Int])
        if style.suppression.isActive {
            var cells = counts.flatMap { $0.map { Suppression.Cell($0 ?? 0) } }
            // Each column adds up to its N, a cell printed in the header as the header decided.
            let sizeBase = cells.count
            cells += sizes.map { Suppression.Cell($0) }
            var fixed: [Int: Suppression.Status] = [:]
            for (c, status) in sizeStatus.enumerated() { fixed[sizeBase + c] = status }
            var constraints = (0..<columns).map { c in Suppression.Constraint(parts: (0..<rowCount).map { $0 * columns + c }, total: sizeBase + c) }
            if columns > 1 {
                for r in 0..<rowCount {
                    var parts = (1..<columns).map { r * columns + $0 }
                    if withoutGroup > 0 {
                        // The overall count includes rows without a group value, which the table never splits out.
                        parts.append(cells.count)
                        cells.append(.init(counts[r][0].map { c in c - (1..<columns).reduce(0) { $0 + (counts[r][$1] ?? 0) } } ?? 0, printed: false))
                    }
                    constraints.append(.init(parts: parts, total: r * columns))
                }
            }
            (status, unprotectable) = style.suppression.statuses(cells, constraints: constraints, fixed: fixed)
        } else {
            (status, unprotectable) = ([Suppression.Status](repeating: .shown, count: rowCount * columns), [])
        }
        let printedStatus = Array(status.prefix(rowCount * columns))
        var block = [[heading(variable, suffix: ", n (%)")] + summaries.map { _ in "" }]
        for (r, label) in labels.enumerated() {
            block.append(["  \(label)"] + summaries.enumerated().map { c, summary in
                guard case .categorical(let s) = summary else { return summary.n > 0 ? "0 (0.0%)" : "—" }
                let count = counts[r][c] ?? 0
                let cellStatus = status[r * columns + c]
                guard cellStatus == .shown else { return style.suppression.text(count, cellStatus) }
                // A percentage needs its denominator (N − missing): hidden when the missing count is.
                let denominatorShown = !showMissing || status[(rowCount - 1) * columns + c] == .shown
                guard s.n > 0, denominatorShown else { return denominatorShown ? "\(count) (—)" : "\(count)" }
                return "\(count) (\(style.percent(Double(count) / Double(s.n)))%)"
            })
        }
        if showMissing {
            block.append(["  missing"] + summaries.indices.map { c in
                style.suppression.text(summaries[c].missing, status[(rowCount - 1) * columns + c])
            })
        }
        return (block, printedStatus, unprotectable.count)
    }
}

import CohortData
import CohortStats

extension DescriptionTable {
    /// Table 1 as compact as `gtsummary::tbl_summary`: one row a measurement (median [IQR], or
    /// mean (SD) when the test between groups compares means), one row a yes/no variable (n (%) of
    /// its event level), a category's levels indented under it, a Missing row only where a value is
    /// missing, each P value marked with its test's footnote, and the SMD column when computed.
    /// Suppression is the full layout's (``Statuses``): every count hidden as there, the rows not
    /// printed here (a measurement's n, the other level of a yes/no variable) solved as if printed,
    /// since the header's N and the Missing row give them back.
    static func makeCompact(_ description: CohortDescription, style: NumberStyle) -> ReportTable {
        let grouped = description.groupColumn != nil
        let rule = style.suppression
        let hiding = Statuses(description, rule: rule)
        let sizes = hiding.sizes
        var suppressed: (statuses: [Suppression.Status], unprotectable: Int) = (hiding.sizePrinted, hiding.sizeUnprotectable)
        var columns = [ReportTable.Column(key: "characteristic", header: "Characteristic", alignment: .left),
                       .init(key: "overall", header: "Overall (N = \(description.rowCount))")]
        if grouped {
            columns += description.groups.enumerated().map { k, group in
                let status = sizes.status[k + 1]
                return .init(key: "group\(k + 1)", header: "\(group.label) (N \(status == .shown ? "= \(group.n)" : rule.text(group.n, status).replacingOccurrences(of: "<", with: "< ").replacingOccurrences(of: "≥", with: "≥ ")))")
            }
            if description.tests != nil { columns.append(.init(key: "p", header: "P")) }
            if description.standardizedDifferences { columns.append(.init(key: "smd", header: "SMD")) }
        }
        let title = grouped ? "Characteristics by \(description.groupColumn ?? "")" : "Characteristics"
        var table = ReportTable(title: title, columns: columns, style: style)
        table.reserve(rows: description.variables.count * 2)
        // Each test's footnote mark, in the order the tests first appear.
        var marks: [String] = []
        var notes: [String] = [], problems: [String] = []
        var pWithheld = false, smdWithheld = false
        var statistics = Set<String>()
        let meansTested = description.tests?.measurements == .welch
        for variable in description.variables {
            let summaries = [variable.overall] + variable.byGroup
            let status = hiding.variable(variable)
            suppressed.statuses += status.grid
            suppressed.unprotectable += status.unprotectable
            var (block, statistic) = compactLines(variable, summaries: summaries, style: style, status: status, means: meansTested)
            statistics.insert(statistic)
            if grouped {
                var extra: [CellValue] = []
                if description.tests != nil {
                    if let test = variable.test {
                        if !marks.contains(test.method) { marks.append(test.method) }
                        let mark = (marks.firstIndex(of: test.method) ?? 0) + 1
                        extra.append(.markedPValue(test.pValue, mark: mark, status.anyHidden ? .withheld : .shown))
                        pWithheld = pWithheld || status.anyHidden
                        for warning in test.warnings { notes.append("\(variable.name): \(warning)") }
                    } else {
                        extra.append(.empty)
                        if let problem = variable.testProblem { problems.append("\(heading(variable, suffix: "")): \(problem).") }
                    }
                }
                if description.standardizedDifferences {
                    extra.append(smdCell(variable, status: status))
                    smdWithheld = smdWithheld || status.anyHidden && variable.standardizedDifference != nil
                }
                let empties = [CellValue](repeating: .empty, count: extra.count)
                block = block.enumerated().map { k, line in line + (k == 0 ? extra : empties) }
            }
            for line in block { table.append(row: line) }
        }
        var preamble = ["data: \(description.source); \(description.rowCount) row\(description.rowCount == 1 ? "" : "s")"]
        if let group = description.groupColumn {
            preamble[0] += "; by \(group)"
            if description.rowsWithoutGroup > 0 {
                let count = description.rowsWithoutGroup, status = sizes.withoutGroupStatus
                preamble.append("\(rule.text(count, status)) row\(status == .shown && count == 1 ? "" : "s") without a \(group) value: in Overall only, in no test")
            }
        }
        // The statistics in the order a reader meets them.
        let order = ["n (%)", "median [IQR]", "mean (SD)", "first–last", "n (distinct values)"]
        let used = order.filter(statistics.contains)
        var head = ["Statistics: \(used.joined(separator: "; ")). Percentages are of the rows with a value; missing values are counted apart, in a Missing row where there are any."]
        if statistics.contains("median [IQR]") { head[0] += " Median [IQR]: R's type-7 quantiles." }
        if statistics.contains("mean (SD)") { head[0] += " SD with the n − 1 denominator." }
        if grouped, description.tests != nil {
            head += marks.enumerated().map { k, method in ReportTable.superscript(k + 1) + " " + method }
            if !marks.isEmpty { head.append("Tests are two-sided, on the rows with a value.") }
        }
        notes = head + problems + notes
        if description.standardizedDifferences { notes.append(smdNote(description)) }
        if let note = notApplicableNote(description, suppressing: rule.isActive) { notes.append(note) }
        if let note = rule.note(suppressed.statuses, unprotectable: suppressed.unprotectable) { notes.append(note) }
        if rule.isActive, description.variables.contains(where: { if case .dates = $0.overall { true } else { false } }) {
            notes.append(extremesNote)
        }
        if pWithheld { notes.append(rule.withheldPNote(missing: style.missing)) }
        if smdWithheld { notes.append(smdWithheldNote(missing: style.missing)) }
        table.preamble = preamble
        table.notes = notes
        return table
    }

    /// The compact rows of `variable` and the statistic they print.
    private static func compactLines(_ variable: VariableDescription, summaries: [VariableDescription.Summary], style: NumberStyle,
                                     status: VariableStatuses, means: Bool) -> (rows: [[CellValue]], statistic: String) {
        let rule = style.suppression
        func missingRow(printed: Bool) -> [[CellValue]] {
            guard printed else { return [] }
            return [[.text("  Missing")] + summaries.indices.map { c in .count(summaries[c].missing, .init(status.missing(c))) }]
        }
        let anyMissing = summaries.contains { $0.missing > 0 }
        switch variable.overall {
        case .freeText:
            let statistic = "n (distinct values)"
            return ([[.text(heading(variable, suffix: ", " + statistic))] + summaries.indices.map { c in
                guard case .freeText(let n, _, let distinct) = summaries[c] else { return .text("—") }
                return .countDistinct(n, distinct, .init(status.n(c)))
            }], statistic)
        case .dates:
            let statistic = "first–last"
            return ([[.text(heading(variable, suffix: ", " + statistic))] + summaries.map { summary in
                guard case .dates(let s) = summary else { return .text("—") }
                return .dateRange(s.minimum ?? .nan, s.maximum ?? .nan, rule.extremesStatus)
            }] + missingRow(printed: anyMissing), statistic)
        case .numeric:
            let whole = NumberStyle.Summary(summaries.compactMap { if case .numeric(let s) = $0 { s } else { nil } }).whole
            let statistic = means ? "mean (SD)" : "median [IQR]"
            let row = [CellValue.text(heading(variable, suffix: ", " + statistic))] + summaries.indices.map { c -> CellValue in
                guard case .numeric(let s) = summaries[c] else { return .text("—") }
                let shown = rule.summaryStatus(status.n(c))
                return means ? .meanSD(s.mean ?? .nan, s.standardDeviation ?? .nan, whole: whole, shown)
                    : .medianIQR(s.median ?? .nan, s.lowerQuartile ?? .nan, s.upperQuartile ?? .nan, whole: whole, shown)
            }
            return ([row] + missingRow(printed: anyMissing), statistic)
        case .categorical(let overall):
            let labels = overall.levels.map(\.label)
            func cell(_ r: Int?, _ c: Int) -> CellValue {
                guard case .categorical(let s) = summaries[c] else { return .text(summaries[c].n > 0 ? "0 (0.0%)" : "—") }
                // A level no row holds (the event level of a variable all "no"): 0, shown.
                let count = r.map { status.counts[$0][c] } ?? 0
                let countStatus = r.map { TableCell.Status(status.level($0, c)) } ?? .shown
                return .countPercent(count, s.n > 0 ? Double(count) / Double(s.n) : .nan, count: countStatus,
                                     percent: status.denominator(c) == .shown ? .shown : .withheld)
            }
            if let event = variable.eventLevel {
                // Yes/no: one row, n (%) of the event level.
                let r = labels.firstIndex(of: event)
                return ([[.text(heading(variable, suffix: ", n (%)"))] + summaries.indices.map { cell(r, $0) }]
                        + missingRow(printed: status.showMissing), "n (%)")
            }
            var block = [[CellValue.text(heading(variable, suffix: ", n (%)"))] + summaries.map { _ in .empty }]
            for r in labels.indices { block.append([.text("  \(labels[r])")] + summaries.indices.map { cell(r, $0) }) }
            return (block + missingRow(printed: status.showMissing), "n (%)")
        }
    }
}

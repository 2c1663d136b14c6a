import CohortData
import CohortStats

/// Table 1: each variable's summary, overall and by group, with the test between groups named
/// beside its P value. Measurements get four rows (n (missing), mean (SD), median [IQR], min–max),
/// categories one row a level with n (%) of the patients with a value, so every percentage has a
/// stated denominator.
public enum DescriptionTable {
    /// How a Table 1 lays its variables out.
    public enum Layout: String, Sendable, CaseIterable, Codable {
        /// gtsummary's: a measurement on one row (median [IQR], or mean (SD) when the test compares
        /// means), a yes/no variable on one row (n (%) of its event level), levels indented under
        /// their variable, a Missing row only where values are missing, tests as footnotes marked
        /// on each P value, and the SMD when computed.
        case compact
        /// Every statistic: measurements on four rows (n (missing), mean (SD), median [IQR],
        /// min–max), every level of a category, the test named beside each P value.
        case full
    }

    public static func make(_ description: CohortDescription, style: NumberStyle = .standard, layout: Layout = .full) -> ReportTable {
        if layout == .compact { return makeCompact(description, style: style) }
        let grouped = description.groupColumn != nil
        let hiding = Statuses(description, rule: style.suppression)
        let sizes = hiding.sizes
        var suppressed: (statuses: [Suppression.Status], unprotectable: Int) = (hiding.sizePrinted, hiding.sizeUnprotectable)
        let withoutGroupStatus = sizes.withoutGroupStatus
        var columns = [ReportTable.Column(key: "characteristic", header: "characteristic", alignment: .left),
                       .init(key: "overall", header: "Overall (N = \(description.rowCount))")]
        if grouped {
            columns += description.groups.enumerated().map { k, group in
                let status = sizes.status[k + 1]
                return .init(key: "group\(k + 1)", header: "\(group.label) (N \(status == .shown ? "= \(group.n)" : style.suppression.text(group.n, status).replacingOccurrences(of: "<", with: "< ").replacingOccurrences(of: "≥", with: "≥ ")))")
            }
            columns += [.init(key: "p", header: "P"), .init(key: "test", header: "test", alignment: .left)]
            if description.standardizedDifferences { columns.append(.init(key: "smd", header: "SMD")) }
        }
        // The rows written into the table as they are made, reserved for the rows the variables
        // will make (a wide file's million rows are then one array made once; issue 12).
        var table = ReportTable(title: grouped ? "Characteristics by \(description.groupColumn ?? "")" : "Characteristics",
                                columns: columns, style: style)
        table.reserve(rows: description.variables.reduce(0) { $0 + rowCount($1) })
        var notes: [String] = []
        var pWithheld = false
        for variable in description.variables {
            let summaries = [variable.overall] + variable.byGroup
            let status = hiding.variable(variable)
            suppressed.statuses += status.grid
            suppressed.unprotectable += status.unprotectable
            var block = lines(variable, summaries: summaries, style: style, status: status)
            let hidden = status.anyHidden
            if grouped {
                // With the margins shown, an exact test's P pins a hidden cell of its table (issue 13).
                let p = variable.test.map { CellValue.pValue($0.pValue, hidden ? .withheld : .shown) } ?? .empty
                pWithheld = pWithheld || hidden && variable.test != nil
                let test = variable.test?.method ?? (variable.testProblem ?? "")
                var first = [p, test.isEmpty ? .empty : .text(test)], rest = [CellValue.empty, .empty]
                if description.standardizedDifferences {
                    first.append(smdCell(variable, status: status))
                    rest.append(.empty)
                }
                block = block.enumerated().map { k, line in line + (k == 0 ? first : rest) }
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
        if description.standardizedDifferences { notes.append(smdNote(description)) }
        if let note = notApplicableNote(description, suppressing: style.suppression.isActive) { notes.append(note) }
        if pWithheld { notes.append(style.suppression.withheldPNote(missing: style.missing)) }
        if description.standardizedDifferences, style.suppression.isActive, description.variables.contains(where: { hiding.variable($0).anyHidden }) {
            notes.append(smdWithheldNote(missing: style.missing))
        }
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

    /// The SMD of `variable`: withheld when any of its counts is hidden (the group proportions,
    /// means and SDs it is made of could then give a hidden count back, as a P value could).
    static func smdCell(_ variable: VariableDescription, status: VariableStatuses) -> CellValue {
        guard let smd = variable.standardizedDifference else { return .empty }
        return .fixedNumber(smd, decimals: 2, status.anyHidden ? .withheld : .shown)
    }

    static func smdNote(_ description: CohortDescription) -> String {
        "SMD: absolute standardised mean difference on the rows with a value, with tableone's formulas: measurements |m1 − m2| / sqrt((s1² + s2²) / 2); "
            + "categories the multivariate (Mahalanobis) form of Yang & Dalton, for two levels |p1 − p2| / sqrt((p1(1 − p1) + p2(1 − p2)) / 2)"
            + (description.groups.count > 2 ? "; with \(description.groups.count) groups the mean of the \(description.groups.count * (description.groups.count - 1) / 2) pairwise SMDs." : ".")
    }

    /// The variables with REDCap branching logic: how many rows each leaves out as "not applicable"
    /// (issue 18); counts withheld under small-cell suppression, where one would give away a hidden
    /// missing count.
    static func notApplicableNote(_ description: CohortDescription, suppressing: Bool) -> String? {
        let variables = description.variables.filter { ($0.notApplicable ?? 0) > 0 }
        guard !variables.isEmpty else { return nil }
        let intro = "Not applicable (blank where the field's branching logic, shown_if, is false): in neither n nor missing"
        if suppressing { return intro + " (\(variables.map { $0.label ?? $0.name }.joined(separator: ", ")); counts withheld under small-cell suppression)." }
        return intro + ": " + variables.map { "\($0.label ?? $0.name) \($0.notApplicable!)" }.joined(separator: "; ") + "."
    }

    static func smdWithheldNote(missing: String) -> String {
        "Small-cell suppression: an SMD is shown as \(missing) when its variable has a hidden count: the group proportions (means and SDs) it is made of could reveal it."
    }

    static func heading(_ variable: VariableDescription, suffix: String) -> String {
        // The codebook's label is what a manuscript prints; the unit is added unless the label says it.
        var text = variable.label ?? variable.name
        if let unit = variable.unit, !text.contains(unit) { text += " (\(unit))" }
        return text + suffix
    }

    /// Under suppression, why the extremes are not shown (issue 13).
    static let extremesNote = "Under small-cell suppression min–max (first–last for dates) is not shown: each extreme is one patient's value."

    /// The rows of `variable`, its counts hidden as `status` says.
    private static func lines(_ variable: VariableDescription, summaries: [VariableDescription.Summary], style: NumberStyle,
                              status: VariableStatuses) -> [[CellValue]] {
        let rule = style.suppression
        let columns = summaries.count
        switch variable.overall {
        case .numeric, .dates, .freeText:
            func counts(_ c: Int) -> CellValue {
                .countMissing(summaries[c].n, summaries[c].missing, n: .init(status.n(c)), missing: .init(status.missing(c)))
            }
            let empties = [CellValue](repeating: .empty, count: columns)
            if case .freeText = variable.overall {
                return [[.text(heading(variable, suffix: ", n (distinct values)"))] + summaries.indices.map { c in
                    guard case .freeText(let n, _, let distinct) = summaries[c] else { return .text("—") }
                    return .countDistinct(n, distinct, .init(status.n(c)))
                }]
            }
            // The extremes are single patients' values whatever the n: under suppression never shown.
            let extremes = rule.extremesStatus
            if case .dates = variable.overall {
                return [
                    [.text(heading(variable, suffix: ""))] + empties,
                    [.text("  n (missing)")] + summaries.indices.map(counts),
                    [.text("  first–last")] + summaries.map { summary in
                        guard case .dates(let s) = summary else { return .text("—") }
                        return .dateRange(s.minimum ?? .nan, s.maximum ?? .nan, extremes)
                    },
                ]
            }
            // A summary of 1..K − 1 values gives those values away.
            let whole = NumberStyle.Summary(summaries.compactMap { if case .numeric(let s) = $0 { s } else { nil } }).whole
            func cell(_ k: Int, _ body: (NumericSummary, TableCell.Status) -> CellValue) -> CellValue {
                guard case .numeric(let s) = summaries[k] else { return .text("—") }
                return body(s, rule.summaryStatus(status.n(k)))
            }
            return [
                [.text(heading(variable, suffix: ""))] + empties,
                [.text("  n (missing)")] + summaries.indices.map(counts),
                [.text("  mean (SD)")] + summaries.indices.map { cell($0) { .meanSD($0.mean ?? .nan, $0.standardDeviation ?? .nan, whole: whole, $1) } },
                [.text("  median [IQR]")] + summaries.indices.map {
                    cell($0) { .medianIQR($0.median ?? .nan, $0.lowerQuartile ?? .nan, $0.upperQuartile ?? .nan, whole: whole, $1) }
                },
                [.text("  min–max")] + summaries.indices.map { cell($0) { s, status in .range(s.minimum ?? .nan, s.maximum ?? .nan, whole: whole, extremes == .shown ? status : extremes) } },
            ]
        case .categorical(let overall):
            return categoricalLines(variable, overall: overall, summaries: summaries, status: status)
        }
    }

    /// One row a level (and a missing row), one column a summary.
    private static func categoricalLines(_ variable: VariableDescription, overall: CategoricalSummary, summaries: [VariableDescription.Summary],
                                         status: VariableStatuses) -> [[CellValue]] {
        var block = [[CellValue.text(heading(variable, suffix: ", n (%)"))] + summaries.map { _ in .empty }]
        for (r, label) in overall.levels.map(\.label).enumerated() {
            block.append([.text("  \(label)")] + summaries.enumerated().map { c, summary in
                guard case .categorical(let s) = summary else { return .text(summary.n > 0 ? "0 (0.0%)" : "—") }
                let count = status.counts[r][c]
                // A percentage needs its denominator N − missing: withheld when N or the missing count is hidden.
                return .countPercent(count, s.n > 0 ? Double(count) / Double(s.n) : .nan, count: .init(status.level(r, c)),
                                     percent: status.denominator(c) == .shown ? .shown : .withheld)
            })
        }
        if status.showMissing {
            block.append([.text("  missing")] + summaries.indices.map { c in .count(summaries[c].missing, .init(status.missing(c))) })
        }
        return block
    }
}

import CohortData
import CohortStats

/// Table 1: each variable's summary, overall and by group, with the test between groups named
/// beside its P value. Measurements get four rows (n (missing), mean (SD), median [IQR], min–max),
/// categories one row a level with n (%) of the patients with a value, so every percentage has a
/// stated denominator.
public enum DescriptionTable {
    public static func make(_ description: CohortDescription, style: NumberStyle = .standard) -> ReportTable {
        let grouped = description.groupColumn != nil
        var columns = [ReportTable.Column(key: "characteristic", header: "characteristic", alignment: .left),
                       .init(key: "overall", header: "Overall (N = \(description.rowCount))")]
        if grouped {
            columns += description.groups.enumerated().map { k, group in
                .init(key: "group\(k + 1)", header: "\(group.label) (N = \(group.n))")
            }
            columns += [.init(key: "p", header: "P"), .init(key: "test", header: "test", alignment: .left)]
        }
        var rows: [[String]] = []
        var notes: [String] = []
        for variable in description.variables {
            let summaries = [variable.overall] + variable.byGroup
            var block = lines(variable, summaries: summaries)
            if grouped {
                let p = variable.test.map { style.pValue($0.pValue) } ?? ""
                let test = variable.test?.method ?? (variable.testProblem ?? "")
                block = block.enumerated().map { k, line in line + (k == 0 ? [p, test] : ["", ""]) }
                for warning in variable.test?.warnings ?? [] { notes.append("\(variable.name): \(warning)") }
            }
            rows += block
        }
        var preamble = ["data: \(description.source); \(description.rowCount) rows"]
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
        return ReportTable(title: grouped ? "Characteristics by \(description.groupColumn ?? "")" : "Characteristics",
                           preamble: preamble, columns: columns, rows: rows, notes: notes)
    }

    private static func heading(_ variable: VariableDescription, suffix: String) -> String {
        // The codebook's label is what a manuscript prints; the unit is added unless the label says it.
        var text = variable.label ?? variable.name
        if let unit = variable.unit, !text.contains(unit) { text += " (\(unit))" }
        return text + suffix
    }

    private static func lines(_ variable: VariableDescription, summaries: [VariableDescription.Summary]) -> [[String]] {
        switch variable.overall {
        case .numeric:
            let format = NumberStyle.Summary(summaries.compactMap { if case .numeric(let s) = $0 { s } else { nil } })
            return [
                [heading(variable, suffix: "")] + summaries.map { _ in "" },
                ["  n (missing)"] + summaries.map { "\($0.n) (\($0.missing))" },
                ["  mean (SD)"] + summaries.map { numeric($0, format.meanSD) },
                ["  median [IQR]"] + summaries.map { numeric($0, format.medianIQR) },
                ["  min–max"] + summaries.map { numeric($0, format.minMax) },
            ]
        case .categorical(let overall):
            var block = [[heading(variable, suffix: ", n (%)")] + summaries.map { _ in "" }]
            for level in overall.levels {
                block.append(["  \(level.label)"] + summaries.map { summary in
                    guard case .categorical(let s) = summary, let match = s.levels.first(where: { $0.label == level.label }) else {
                        return summary.n > 0 ? "0 (0.0%)" : "—"
                    }
                    return "\(match.count) (\(match.percent.map { NumberStyle.fixed($0, decimals: 1) } ?? "—")%)"
                })
            }
            if summaries.contains(where: { $0.missing > 0 }) {
                block.append(["  missing"] + summaries.map { String($0.missing) })
            }
            return block
        case .dates:
            return [
                [heading(variable, suffix: "")] + summaries.map { _ in "" },
                ["  n (missing)"] + summaries.map { "\($0.n) (\($0.missing))" },
                ["  first–last"] + summaries.map { summary in
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
}

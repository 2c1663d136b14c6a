import CohortData
import CohortStats

/// What the lab tables and figure say about one measurement of a linked table: its name as asked
/// (`labs.platelets`), its codebook label and unit, and how its draws became values.
public struct LabMeasure: Sendable {
    /// `table.column`, as the request names it.
    public let reference: String
    public let label: AxisLabel
    /// The linked table's file.
    public let source: String
    /// Non-missing draws in the window and the patient-days with several (averaged); trajectories only.
    public let draws: Int
    public let daysAveraged: Int

    public init(reference: String, label: AxisLabel, source: String, draws: Int = 0, daysAveraged: Int = 0) {
        self.reference = reference
        self.label = label
        self.source = source
        self.draws = draws
        self.daysAveraged = daysAveraged
    }
}

/// The groups the lab tables split patients into: the `by` column, each group's patients and the
/// patients without a value of it (left out). Their counts are suppressed once, as parts of the
/// cohort's N (``Suppression/parts(_:)``), and every table of the request prints them alike.
public struct LabGroups: Sendable {
    public let column: String?
    public let labels: [String]
    public let sizes: [Int]
    public let withoutGroup: Int

    public init(column: String?, labels: [String], sizes: [Int], withoutGroup: Int) {
        self.column = column
        self.labels = labels
        self.sizes = sizes
        self.withoutGroup = withoutGroup
    }

    /// Statuses of the group sizes, then of the patients without a group.
    func statuses(_ rule: Suppression) -> (sizes: [Suppression.Status], without: Suppression.Status, printed: [Suppression.Status], unprotectable: Int) {
        guard column != nil else { return ([.shown], .shown, [], 0) }
        let (status, unprotectable) = rule.parts(sizes + [withoutGroup])
        return (Array(status.dropLast()), status[sizes.count], status, unprotectable)
    }

    /// "by icans_high: 0 (N = 104), 1 (N = 23); 0 patients without a value of icans_high, left out".
    func preamble(_ rule: Suppression) -> String? {
        guard let column else { return nil }
        let status = statuses(rule)
        let groups = zip(labels, zip(sizes, status.sizes)).map { "\($0) (N = \(rule.text($1.0, $1.1)))" }.joined(separator: ", ")
        return "by \(column): \(groups); \(rule.text(withoutGroup, status.without)) patients without a value of \(column), left out"
    }
}

/// `cohort labs`: the per-day table of a measurement's course (n, median [IQR] a day and group) and
/// the table of each patient's nadir or peak (or other window summary) by group with the test.
public enum LabCourseTable {
    /// The per-day table: one row a lab, group and day with a value.
    public static func course(_ labs: [(measure: LabMeasure, course: LabCourse)], groups: LabGroups, window: ClosedRange<Double>, dataSource: String,
                              style: NumberStyle = .standard) -> ReportTable {
        let rule = style.suppression
        var columns: [ReportTable.Column] = []
        if labs.count > 1 { columns.append(.init(key: "lab", header: "lab", alignment: .left)) }
        if let column = groups.column { columns.append(.init(key: "group", header: column, alignment: .left)) }
        columns += [.init(key: "day", header: "day"), .init(key: "n", header: "n"), .init(key: "median_iqr", header: "median [IQR]")]
        var rows: [[CellValue]] = []
        var statuses: [Suppression.Status] = []
        for (measure, course) in labs {
            let whole = NumberStyle.Summary(course.groups.flatMap { $0.days.map(\.summary) }).whole
            for group in course.groups {
                for day in group.days {
                    // A day's n is a count on its own: no total of the table adds the days up.
                    let status = rule.statuses([.init(day.summary.n)], constraints: []).statuses[0]
                    statuses.append(status)
                    let s = day.summary
                    var row: [CellValue] = labs.count > 1 ? [.text(measure.reference)] : []
                    if groups.column != nil { row.append(.label(group.label ?? "")) }
                    row += [.exactNumber(day.day), .count(s.n, .init(status)),
                            .medianIQR(s.median ?? .nan, s.lowerQuartile ?? .nan, s.upperQuartile ?? .nan, whole: whole, rule.summaryStatus(status))]
                    rows.append(row)
                }
            }
        }
        let groupStatus = groups.statuses(rule)
        let window = spoken(window)
        let title = labs.count == 1 ? "\(labs[0].measure.label.rendered): \(window) by day" : "Laboratory values, \(window), by day"
        let draws = labs.count == 1 ? "\(labs[0].measure.draws) draws with a value in the window"
            : "draws with a value in the window: " + labs.map { "\($0.measure.draws) of \($0.measure.reference)" }.joined(separator: ", ")
        var preamble = ["data: \(dataSource); " + sources(labs.map(\.measure)) + "; " + draws]
        if let line = groups.preamble(rule) { preamble.append(line) }
        let averaged = labs.map { "\($0.measure.daysAveraged) in \($0.measure.reference)" }.joined(separator: ", ")
        let notes = [
            "n: patients with a value that day. A patient with several draws on one day counts once, with the mean of that day's draws (patient-days with several draws: \(averaged)). Days without a value in a group are not listed.",
            "Median [IQR]: R's type-7 quantiles (quantile(x, c(0.25, 0.5, 0.75))) of the patients' values that day.",
        ] + [rule.note(statuses + groupStatus.printed, unprotectable: groupStatus.unprotectable).map {
            $0 + " A median [IQR] of fewer than \(rule.threshold) patients is not shown."
        }].compactMap { $0 }
        return ReportTable(title: title, preamble: preamble, columns: columns, rows: rows, notes: notes, style: style)
    }

    /// The summary table: one row a lab and group, n (missing), median [IQR], and with groups the
    /// rank-sum test of each lab, named.
    /// Each lab has its own summary (platelets' nadir beside D-dimer's peak, as a paper's table).
    public static func summary(_ labs: [(measure: LabMeasure, summary: WindowSummary, result: GroupedMeasurement)], groups: LabGroups,
                               window: ClosedRange<Double>, dataSource: String, style: NumberStyle = .standard) -> ReportTable {
        let rule = style.suppression
        let grouped = groups.column != nil
        let groupStatus = groups.statuses(rule)
        var columns: [ReportTable.Column] = [.init(key: "lab", header: "lab", alignment: .left)]
        if let column = groups.column { columns.append(.init(key: "group", header: column, alignment: .left)) }
        columns += [.init(key: "n_missing", header: "n (missing)"), .init(key: "median_iqr", header: "median [IQR]")]
        if grouped { columns += [.init(key: "p", header: "P"), .init(key: "test", header: "test", alignment: .left)] }
        var rows: [[CellValue]] = []
        var printed: [Suppression.Status] = []
        var unprotectable = groupStatus.unprotectable
        var withheldP = false
        for (measure, summary, result) in labs {
            // n and missing add up to the group's N (in the preamble): a grid whose sizes are fixed.
            var cells: [Suppression.Cell] = [], constraints: [Suppression.Constraint] = [], fixed: [Int: Suppression.Status] = [:]
            for (g, group) in result.groups.enumerated() {
                let base = cells.count
                cells += [.init(group.summary.n), .init(group.summary.missing), .init(group.summary.n + group.summary.missing)]
                fixed[base + 2] = grouped ? groupStatus.sizes[g] : .shown
                constraints.append(.init(parts: [base, base + 1], total: base + 2))
            }
            let (status, lost) = rule.statuses(cells, constraints: constraints, fixed: fixed)
            unprotectable += lost.count
            let anyHidden = result.groups.indices.contains { status[3 * $0] != .shown || status[3 * $0 + 1] != .shown }
            let whole = NumberStyle.Summary(result.groups.map(\.summary)).whole
            for (g, group) in result.groups.enumerated() {
                let s = group.summary, n = status[3 * g], missing = status[3 * g + 1]
                printed += [n, missing]
                let name = labs.count == 1 ? measure.label.rendered : "\(measure.label.rendered): \(Self.describe(summary).title.lowercased())"
                var row: [CellValue] = [.label(g == 0 ? name : "")]
                if grouped { row.append(.label(group.label ?? "")) }
                row += [.countMissing(s.n, s.missing, n: .init(n), missing: .init(missing)),
                        .medianIQR(s.median ?? .nan, s.lowerQuartile ?? .nan, s.upperQuartile ?? .nan, whole: whole, rule.summaryStatus(n))]
                if grouped {
                    if g == 0, let test = result.test {
                        // As Table 1: with a count hidden, the P value is withheld (issue 13).
                        row += [.pValue(test.pValue, anyHidden && rule.isActive ? .withheld : .shown), .text(test.method)]
                        withheldP = withheldP || (anyHidden && rule.isActive)
                    } else if g == 0, let problem = result.testProblem {
                        row += [.empty, .text("not tested: \(problem)")]
                    } else {
                        row += [.empty, .empty]
                    }
                }
                rows.append(row)
            }
        }
        let summaries = labs.map(\.summary).reduce(into: [WindowSummary]()) { if !$0.contains($1) { $0.append($1) } }
        let range = "\(NumberText.shortest(window.lowerBound))...\(NumberText.shortest(window.upperBound))"
        let window = spoken(window)
        var preamble = ["data: \(dataSource); " + sources(labs.map(\.measure))]
        if let line = groups.preamble(rule) { preamble.append(line) }
        var notes = summaries.map { summary in
            "\(Self.describe(summary).title): each patient's \(Self.describe(summary).phrase) over \(window) (inclusive), as the codebook formula \(summary.rawValue)(TABLE.COLUMN, days = \(range)) derives it; missing: patients with no value in the window."
        } + ["Median [IQR]: R's type-7 quantiles."]
        if grouped {
            notes.append("Tests are two-sided, on the patients with a value: the Wilcoxon rank-sum test for two groups (exact when both have fewer than 50 values and there are no ties, else the normal approximation with continuity correction, as R's wilcox.test), Kruskal-Wallis for more (as kruskal.test).")
        }
        if let note = rule.note(printed + groupStatus.printed, unprotectable: unprotectable) { notes.append(note) }
        if withheldP { notes.append(rule.withheldPNote(missing: style.missing)) }
        let what = summaries.count == 1 ? Self.describe(summaries[0]).title : summaries.enumerated().map { $0 == 0 ? Self.describe($1).title : Self.describe($1).title.lowercased() }.joined(separator: " and ")
        let title = (labs.count == 1 ? "\(what): \(labs[0].measure.label.rendered)" : "\(what) of laboratory values") + ", \(window)"
            + (groups.column.map { " by \($0)" } ?? "")
        return ReportTable(title: title, preamble: preamble, columns: columns, rows: rows, notes: notes, style: style)
    }

    /// "labs.platelets, labs.fibrinogen from labs.csv": each linked file once.
    static func sources(_ measures: [LabMeasure]) -> String {
        let files = measures.map(\.source).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return files.map { file in measures.filter { $0.source == file }.map(\.reference).joined(separator: ", ") + " from \(file)" }.joined(separator: "; ")
    }

    /// "days 0 to 28".
    public static func spoken(_ window: ClosedRange<Double>) -> String {
        "days \(NumberText.shortest(window.lowerBound)) to \(NumberText.shortest(window.upperBound))"
    }

    /// A window summary as a title names it and a note describes it.
    public static func describe(_ summary: WindowSummary) -> (title: String, phrase: String) {
        switch summary {
        case .min: ("Nadir", "nadir (lowest value of any draw)")
        case .max: ("Peak", "peak (highest value of any draw)")
        case .mean: ("Mean", "mean of every draw")
        case .first: ("First value", "first value (by day, then file order)")
        case .last: ("Last value", "last value (by day, then file order)")
        case .auc: ("Area under the curve", "area under the curve (trapezoid rule across the days with a value, each day's draws averaged)")
        case .count: ("Number of draws", "number of draws with a value")
        case .firstDay, .daysBelow: (summary.rawValue, summary.rawValue)
        }
    }
}

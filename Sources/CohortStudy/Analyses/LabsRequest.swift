import CohortData
import CohortReport
import CohortStats

/// `cohort labs`: a linked table's measurement over study days by group (issue 15). Without
/// `summary`, its course: per day and group the n, median and quartiles, and optionally the figure
/// (medians with IQR bands, or each patient's line); with `summary` (min, max, ...), each patient's
/// nadir or peak over the window by group with the rank-sum test, one row a lab and group.
public struct LabsRequest: AnalysisRequest {
    public static let kind = "labs"
    public static let summary = "A linked table's measurements over a window of study days by group: per-day n and median [IQR] with a figure (median lines and IQR bands, or each patient's course), or each patient's nadir or peak by group with the rank-sum test."

    /// Each patient's one value over the window (``LabCourseTable/describe(_:)``); the codebook's
    /// window summaries that need no threshold or condition.
    public enum Summary: String, Sendable, CaseIterable, Codable {
        case min, max, mean, first, last, auc

        var window: WindowSummary {
            switch self {
            case .min: .min
            case .max: .max
            case .mean: .mean
            case .first: .first
            case .last: .last
            case .auc: .auc
            }
        }
    }

    /// Linked-table columns as `table.column` (`labs.platelets`), in the table's order.
    public var lab: [String] = []
    public var by: String?
    public var days = DayWindow.standard
    /// nil: the per-day course; else one value a patient over the window: one summary for every
    /// lab, or one a lab in order (nadir of platelets beside peak of D-dimer).
    public var windowSummary: [Summary]?
    // The figure's keys are named as the curve figures' (svg, time_label, svg_time_step,
    // svg_bands) but are not CurveFigureFields: the window `days` is the day axis (no svg_max_day),
    // ticks count from the window's first day, and the bands are interquartile ranges.
    /// Draw the course of the (one) lab as a figure.
    public var svg = false
    /// The figure draws each patient's course as a thin line.
    public var spaghetti = false
    public var timeLabel: String?
    public var svgTimeStep: Double?
    /// nil: the IQR bands are drawn unless `spaghetti`.
    public var svgBands: Bool?

    /// The most groups `by` may give: the figure's palette has six colours and a dash each, and a
    /// continuous column by mistake would give a group a value.
    public static let maxGroups = 12

    public init() {}

    public enum Keys: String, CodingKey, CaseIterable {
        case lab, by, days, windowSummary = "summary", svg, spaghetti, timeLabel = "time_label", svgTimeStep = "svg_time_step", svgBands = "svg_bands"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        lab = try c.list(.lab) ?? []
        by = try c.value(.by)
        days = try c.value(.days) ?? .standard
        if c.contains(.windowSummary), let single = try? c.decode(Summary.self, forKey: .windowSummary) {
            windowSummary = [single]
        } else {
            windowSummary = try c.value(.windowSummary)
        }
        svg = try c.value(.svg) ?? false
        spaghetti = try c.value(.spaghetti) ?? false
        timeLabel = try c.value(.timeLabel)
        svgTimeStep = try c.value(.svgTimeStep)
        svgBands = try c.value(.svgBands)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(lab, forKey: .lab)
        try c.encodeIfPresent(by, forKey: .by)
        try c.encode(days, forKey: .days)
        try c.encodeIfPresent(windowSummary, forKey: .windowSummary)
        try c.encode(svg, forKey: .svg)
        try c.encode(spaghetti, forKey: .spaghetti)
        try c.encodeIfPresent(timeLabel, forKey: .timeLabel)
        try c.encodeIfPresent(svgTimeStep, forKey: .svgTimeStep)
        try c.encodeIfPresent(svgBands, forKey: .svgBands)
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("lab", "list of linked-table columns", default: "required",
                 "The measurements, each as TABLE.COLUMN of a table the codebook links under tables: (labs.platelets); several give one table (a row each with summary)."),
        FieldDoc("by", "column", default: "none", "A patient-table column to split by (at most \(maxGroups) values): one course, or one row, a value; patients without a value are left out and counted."),
        FieldDoc("days", "a window first...last", default: "0...28", "The study days (inclusive; day 0 = the index date), written as in a codebook formula: 0...28, -7...30."),
        FieldDoc("summary", "one of " + Summary.allCases.map(\.rawValue).joined(separator: ", ") + ", or a list of them", default: "none (the per-day course)",
                 "Instead of the course, each patient's value over the window (min: nadir, max: peak, as the codebook's min(labs.x, days = ...)) by group, with the Wilcoxon rank-sum (two groups) or Kruskal-Wallis test; one for every lab, or one a lab in order ([min, max])."),
        FieldDoc("svg", "true/false", default: "false", "Also draw the course as an SVG figure (a command writes it to the file --svg names): each group's daily median with its interquartile range shaded, and the patients with a value under the day axis; one lab, without summary."),
        FieldDoc("spaghetti", "true/false", default: "false", "The figure draws each patient's course as a thin line in its group's colour, under the medians (no identifiers); with svg."),
        FieldDoc("time_label", "text", default: "Study day", "The figure's day axis label; with svg."),
        FieldDoc("svg_time_step", "a number > 0", default: "7 for a window of 1 to 19 weeks, else nice ticks", "A tick, and a count of patients with a value, every this many days from the window's first, e.g. 7; at most \(Axis.maxTimeIntervals) intervals; with svg."),
        FieldDoc("svg_bands", "true/false", default: "true, false with spaghetti", "Shade each group's interquartile range; with svg."),
    ]

    public func validate() throws(RequestError) {
        if lab.isEmpty { throw RequestError("lab", "is missing: name a linked table's column as TABLE.COLUMN, such as labs.platelets") }
        if let repeated = lab.enumerated().first(where: { lab[..<$0.offset].contains($0.element) })?.element {
            throw RequestError("lab", "lists '\(repeated)' twice")
        }
        if let svgTimeStep {
            try InputRules.axisTickStep.check("svg_time_step", svgTimeStep)
            if let problem = Axis.tickStepProblem(svgTimeStep, axisEnd: days.last, axisStart: days.first) {
                throw RequestError("svg_time_step", "with {days} \(days): \(problem)")
            }
        }
        let figureOnly = [("spaghetti", spaghetti), ("time_label", timeLabel != nil), ("svg_time_step", svgTimeStep != nil), ("svg_bands", svgBands != nil)]
        if !svg, let key = figureOnly.first(where: \.1)?.0 { throw RequestError(key, "applies to the figure: add {svg}") }
        if let windowSummary {
            if windowSummary.isEmpty { throw RequestError("summary", "is empty; name min, max, mean, first, last or auc, or leave it out for the per-day course") }
            if windowSummary.count != 1, windowSummary.count != lab.count {
                throw RequestError("summary", "lists \(windowSummary.count) summaries for \(lab.count) \(lab.count == 1 ? "lab" : "labs"); give one for every lab, or one a lab in the order of {lab}")
            }
            if svg {
                throw RequestError("svg", "draws the per-day course; {summary} gives one value a patient instead: leave out one of them")
            }
        }
        if svg, lab.count > 1 { throw RequestError("svg", "draws one lab's course; {lab} names \(lab.count): give one, or leave out {svg} for the table of all") }
    }

    public var unsuppressible: String? { svg ? "a figure of lab courses (per-day medians of few patients, individual courses)" : nil }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let table = input.table
        let measures = try lab.map { try Self.resolve($0, in: table) }
        let (groups, groupOfPatient) = try patientGroups(table)
        let style = input.style
        if let windowSummary {
            let results = measures.enumerated().map { k, measure in
                let summary = windowSummary[windowSummary.count == 1 ? 0 : k].window
                return (measure: measure.description(), summary: summary, result: GroupedMeasurement(
                    values: measure.table.windowSummary(summary, of: measure.values, days: days.range),
                    groupOfPatient: groupOfPatient, labels: groups.labels))
            }
            let made = LabCourseTable.summary(results, groups: groups, window: days.range, dataSource: table.source, style: style)
            return AnalysisResult(tables: [made])
        }
        let courses = measures.map { measure -> (measure: LabMeasure, course: LabCourse) in
            let daily = measure.table.dailyMeans(of: measure.values, days: days.range)
            return (measure.description(draws: daily.draws, daysAveraged: daily.daysAveraged),
                    LabCourse(patient: daily.patient, day: daily.day, value: daily.value, patientCount: table.rowCount,
                              groupOfPatient: groupOfPatient, labels: groups.labels))
        }
        var result = AnalysisResult(tables: [LabCourseTable.course(courses, groups: groups, window: days.range, dataSource: table.source, style: style)])
        if svg, let (measure, course) = courses.first {
            let title = input.title ?? "\(measure.label.text): daily median" + (spaghetti ? " and individual courses" : " and IQR")
                + (by.map { " by \(FigureLabels.short(table, column: $0))" } ?? "")
            result.figures.append(.init(title: title, svg: LabCourseFigure.svg(
                course, measure: measure, title: title, timeAxis: AxisLabel(timeLabel ?? "Study day"), window: days.range,
                timeStep: svgTimeStep, bands: svgBands, spaghetti: spaghetti, groupLabel: by.map { FigureLabels.text(table, column: $0) })))
        }
        return result
    }

    /// The `by` groups (display order, as Table 1's) and each patient's group (-1: no value).
    func patientGroups(_ table: DataTable) throws -> (LabGroups, [Int]?) {
        guard let by else { return (LabGroups(column: nil, labels: [], sizes: [table.rowCount], withoutGroup: 0), nil) }
        let column = try table.column(named: by)
        let present = (0..<table.rowCount).filter { !column.isMissing($0) }
        let groups = column.groups(of: present)
        if groups.count > Self.maxGroups {
            throw RequestError("by", "'\(by)' has \(groups.count) values; a course by group takes at most \(Self.maxGroups) (is it a measurement? derive groups from it in the codebook)")
        }
        var groupOf = [Int](repeating: -1, count: table.rowCount)
        for (g, group) in groups.enumerated() { for row in group.rows { groupOf[row] = g } }
        return (LabGroups(column: by, labels: groups.map(\.label), sizes: groups.map(\.rows.count), withoutGroup: table.rowCount - present.count), groupOf)
    }

    /// A `table.column` the request names, found among the data's linked tables.
    struct Measure {
        let reference: String
        let table: LinkedTable
        let column: LinkedColumn
        let values: LinkedValues

        func description(draws: Int = 0, daysAveraged: Int = 0) -> LabMeasure {
            LabMeasure(reference: reference, label: AxisLabel(column.variable?.label ?? reference, unit: column.variable?.unit), source: table.source,
                       draws: draws, daysAveraged: daysAveraged)
        }
    }

    /// Finds `reference` (`labs.platelets`, read as a codebook formula reads it) among the linked
    /// tables, or says what it names instead and what there is.
    static func resolve(_ reference: String, in table: DataTable) throws(RequestError) -> Measure {
        let tables = table.linkedTables.map(\.name)
        let known = tables.isEmpty ? "the codebook links no table (declare one under tables: in the codebook)" : "the linked tables are \(tables.joined(separator: ", "))"
        let example = table.linkedTables.first.flatMap { t in t.columns.last.map { "\(t.name).\($0.name)" } } ?? "labs.platelets"
        guard let formula = try? DerivedFormula.parse(reference), case .linked(let tableName, let columnName) = formula.expression else {
            if (try? table.column(named: reference)) != nil {
                throw RequestError("lab", value: reference, "is a column of the patient table \(table.source), one value a patient; name a linked table's column as TABLE.COLUMN, such as \(example) (\(known))")
            }
            throw RequestError("lab", value: reference, "is not a linked table's column; write TABLE.COLUMN, such as \(example) (\(known))")
        }
        guard let linked = table.linkedTables.first(where: { $0.name == tableName }) else {
            throw RequestError("lab", value: reference, "names no linked table '\(tableName)'; \(known)")
        }
        guard let column = linked.column(named: columnName) else {
            throw RequestError("lab", value: reference, "names no column of the linked table '\(tableName)' (\(linked.source)); its columns are \(linked.columns.map(\.name).joined(separator: ", "))")
        }
        guard let values = column.numbers, column.variable?.type != .identifier else {
            throw RequestError("lab", value: reference, "holds text in \(linked.source); a course needs numbers (declare its type under tables: \(tableName): variables: in the codebook)")
        }
        return Measure(reference: reference, table: linked, column: column, values: values)
    }
}

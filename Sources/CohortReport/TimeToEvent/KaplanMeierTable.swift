import CohortData
import CohortStats

/// The Kaplan-Meier table: one row a group × day with the number at risk, the event-free survival,
/// its Greenwood standard error and interval (percent); the data used and dropped and the method
/// above, and why any cell is not estimable below.
public enum KaplanMeierTable {
    public static func make(_ analysis: SurvivalAnalysis, style: NumberStyle = .standard) -> ReportTable {
        let levelText = NumberStyle.levelPercent(analysis.level)
        var columns = [ReportTable.Column]()
        if analysis.groupColumn != nil { columns.append(.init(key: "group", header: analysis.groupColumn ?? "group", alignment: .left)) }
        columns += [
            .init(key: "day", header: "day"),
            .init(key: "at_risk", header: "at risk"),
            .init(key: "survival", header: "event-free (%)"),
            .init(key: "se", header: "SE (%)"),
            .init(key: "ci", header: "\(levelText) CI (%)"),
        ]
        var notes = OrderedNotes()
        let percent = { (x: Double) in NumberStyle.fixed(x * 100, decimals: 1) }
        let rows = analysis.rows.map { row -> [String] in
            var cells = analysis.groupColumn == nil ? [] : [row.group]
            cells += [NumberText.shortest(row.reading.day), String(row.reading.atRisk)]
            let label = (analysis.groupColumn == nil ? "" : "\(row.group), ") + "day \(NumberText.shortest(row.reading.day))"
            switch row.reading.value {
            case .estimate(let estimate, _):
                if let problem = row.intervalProblem { notes.add("\(label): no interval: \(problem).") }
                cells += [percent(estimate), row.reading.standardError.map { NumberStyle.fixed($0 * 100, decimals: 2) } ?? style.missing,
                          row.interval.map { percent($0.lower) + "–" + percent($0.upper) } ?? "not estimable"]
            case .notEstimable(let reason):
                notes.add("\(label): not estimable: \(reason).")
                cells += ["not estimable", style.missing, style.missing]
            }
            return cells
        }
        var preamble = ["data: \(analysis.source); n = \(analysis.nUsed) used, \(analysis.nDropped) dropped"
            + (analysis.dropped.isEmpty ? "" : " (" + analysis.dropped.map { "\($0.count) \($0.reason)" }.joined(separator: "; ") + ")")]
        for group in analysis.groups {
            let counts = zip(analysis.eventTypes, group.events).map { "\($0) \($1)" }.joined(separator: ", ")
            preamble.append((analysis.groupColumn == nil ? "all" : "\(analysis.groupColumn ?? "") = \(group.label)") + ": n = \(group.n); events: \(counts)")
        }
        preamble.append("method: Kaplan-Meier (survival::survfit), any of \(analysis.eventTypes.joined(separator: ", ")) ends event-free survival; "
            + "Greenwood variance; \(levelText) CI \(analysis.interval.displayName) (R's default is log); "
            + "read off at the last time <= each day (summary(fit, times =))")
        return ReportTable(title: "Kaplan-Meier: free of \(analysis.eventTypes.joined(separator: " and "))", preamble: preamble,
                           columns: columns, rows: rows, notes: notes.lines + (style.suppression.isActive ? [Suppression.notAppliedNote] : []))
    }
}

/// `cohort km --format json`: `{"source", "eventTypes", "groupColumn", "nUsed", "nDropped", "dropped",
/// "method", "interval", "level", "groups", "estimates": [{"group", "day", "atRisk", "survival",
/// "standardError", "ciLower", "ciUpper", "notEstimable", "ciNotEstimable"}]}`; numbers unrounded, absent
/// values null; `ciNotEstimable` says why an estimate has no interval (e.g. log-log at S = 1 after a
/// censoring, where R's survfit gives NA), null otherwise.
public enum KaplanMeierJSON {
    public static func render(_ analysis: SurvivalAnalysis) -> String {
        let estimates = analysis.rows.map { row -> JSONValue in
            var reason: String?
            if case .notEstimable(let why) = row.reading.value { reason = why }
            return .object([
                ("group", .string(row.group)), ("day", .number(row.reading.day)), ("atRisk", .integer(row.reading.atRisk)),
                ("survival", .optionalNumber(row.reading.estimate)), ("standardError", .optionalNumber(row.reading.standardError)),
                ("ciLower", .optionalNumber(row.interval?.lower)), ("ciUpper", .optionalNumber(row.interval?.upper)),
                ("notEstimable", reason.map { .string($0) } ?? .null),
                ("ciNotEstimable", row.intervalProblem.map { .string($0) } ?? .null),
            ])
        }
        let groups = analysis.groups.map { group -> JSONValue in
            .object([("group", .string(group.label)), ("n", .integer(group.n)),
                     ("events", .object(zip(analysis.eventTypes, group.events).map { ($0, .integer($1)) }))])
        }
        return JSONValue.object([
            ("source", .string(analysis.source)),
            ("eventTypes", .array(analysis.eventTypes.map { .string($0) })),
            ("groupColumn", analysis.groupColumn.map { .string($0) } ?? .null),
            ("nUsed", .integer(analysis.nUsed)),
            ("nDropped", .integer(analysis.nDropped)),
            ("dropped", .array(analysis.dropped.map { .object([("reason", .string($0.reason)), ("count", .integer($0.count))]) })),
            ("method", .string("Kaplan-Meier, Greenwood variance")),
            ("interval", .string(analysis.interval.rawValue)),
            ("level", .number(analysis.level)),
            ("groups", .array(groups)),
            ("estimates", .array(estimates)),
        ]).rendered(indent: 2) + "\n"
    }
}

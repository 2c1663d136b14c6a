import CohortData
import CohortStats

/// The Kaplan-Meier table: one row a group × day with the number at risk, the event-free survival,
/// its Greenwood standard error and interval (percent); the data used and dropped and the method
/// above, and why any cell is not estimable below.
///
/// Typed cells (issue 13): the day as asked, the count at risk, the proportions as percentages to
/// fixed decimals (1, the SE 2; rounded as C's `printf`, whatever the style's `percentDecimals`),
/// "not estimable" as text.
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
        let rows = analysis.rows.map { row -> [CellValue] in
            var cells: [CellValue] = analysis.groupColumn == nil ? [] : [.label(row.group)]
            cells += [.exactNumber(row.reading.day), .count(row.reading.atRisk)]
            let label = (analysis.groupColumn == nil ? "" : "\(row.group), ") + "day \(NumberText.shortest(row.reading.day))"
            switch row.reading.value {
            case .estimate(let estimate, _):
                if let problem = row.intervalProblem { notes.add("\(label): no interval: \(problem).") }
                cells += [.fixedPercent(estimate, decimals: 1), .fixedPercent(row.reading.standardError ?? .nan, decimals: 2),
                          row.interval.map { .fixedPercentInterval($0.lower, $0.upper, decimals: 1) } ?? .text("not estimable")]
            case .notEstimable(let reason):
                notes.add("\(label): not estimable: \(reason).")
                cells += [.text("not estimable"), .fixedPercent(.nan, decimals: 2), .fixedPercentInterval(.nan, .nan, decimals: 1)]
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
                           columns: columns, rows: rows, notes: notes.lines + (style.suppression.isActive ? [Suppression.notAppliedNote] : []),
                           style: style.unsuppressed)
    }
}

/// `cohort km --format json`: `{"source", "eventTypes", "groupColumn", "nUsed", "nDropped", "dropped",
/// "method", "interval", "level", "groups": [{"group", "n", "events", "median", "medianLower",
/// "medianUpper", "quantiles": [{"probability", "time", "lower", "upper"}], "rmst": {"day",
/// "estimate", "stdError", "lower", "upper", "extendsPastLastFollowUp"} or null}], "estimates":
/// [{"group", "day", "atRisk", "survival", "standardError", "ciLower", "ciUpper", "notEstimable",
/// "ciNotEstimable"}], "logRank": {...} or null}`; numbers unrounded, absent values null (a median
/// not reached: null, as R's NA); `ciNotEstimable` says why an estimate has no interval (e.g.
/// log-log at S = 1 after a censoring, where R's survfit gives NA), null otherwise. `logRank` (with
/// groups): see ``KaplanMeierSummaryJSON/logRank(_:_:)``.
public enum KaplanMeierJSON {
    public static func render(_ analysis: SurvivalAnalysis, summary: KaplanMeierSummary) -> String {
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
                     ("events", .object(zip(analysis.eventTypes, group.events).map { ($0, .integer($1)) }))]
                    + KaplanMeierSummaryJSON.groupFields(summary.groups.first { $0.group == group.label }, level: analysis.level))
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
            ("logRank", KaplanMeierSummaryJSON.logRank(summary, analysis)),
        ]).rendered(indent: 2) + "\n"
    }
}

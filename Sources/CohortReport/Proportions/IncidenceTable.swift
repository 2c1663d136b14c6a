import CohortStats

/// The incidence table: one row a group (or the cohort), events, n, % and the interval, with the
/// method, level and rows dropped stated above and below it.
public enum IncidenceTable {
    public static func make(_ result: IncidenceResult, style: NumberStyle = .standard) -> ReportTable {
        let levelText = NumberStyle.levelPercent(result.level)
        var columns = [ReportTable.Column]()
        if let group = result.groupColumn { columns.append(.init(key: "group", header: group, alignment: .left)) }
        columns += [
            .init(key: "events", header: "events"),
            .init(key: "n", header: "n"),
            .init(key: "percent", header: "%"),
            .init(key: "ci", header: "\(levelText) CI (%)"),
        ]
        let rows = result.rows.map { row -> [String] in
            let e = row.estimate
            let cells = [String(e.events), String(e.n), NumberStyle.fixed(e.proportion * 100, decimals: 1),
                         NumberStyle.fixed(e.lower * 100, decimals: 1) + "–" + NumberStyle.fixed(e.upper * 100, decimals: 1)]
            return (result.groupColumn == nil ? [] : [row.group ?? ""]) + cells
        }
        let dropped = result.nDropped == 1 ? "1 row" : "\(result.nDropped) rows"
        return ReportTable(
            title: "Incidence of \(result.outcome) (event = \(result.eventLabel))",
            preamble: ["data: \(result.source); \(dropped) dropped for a missing \(result.groupColumn == nil ? "outcome" : "outcome or group")"],
            columns: columns, rows: rows,
            notes: ["CI: \(result.method.displayName), two-sided \(levelText); % and limits rounded to 0.1."])
    }
}

/// `cohort incidence --format json`, a stable interface:
/// `{"outcome", "event", "group", "nDropped", "level", "rows": [{"group", "events", "n", "proportion",
/// "ciLower", "ciUpper", "method"}]}`; proportions and limits unrounded, `group` null without `--by`.
public enum IncidenceJSON {
    public static func render(_ result: IncidenceResult) -> String {
        let rows = result.rows.map { row -> JSONValue in
            .object([
                ("group", row.group.map { .string($0) } ?? .null),
                ("events", .integer(row.estimate.events)),
                ("n", .integer(row.estimate.n)),
                ("proportion", .number(row.estimate.proportion)),
                ("ciLower", .number(row.estimate.lower)),
                ("ciUpper", .number(row.estimate.upper)),
                ("method", .string(row.estimate.method.displayName)),
            ])
        }
        return JSONValue.object([
            ("outcome", .string(result.outcome)),
            ("event", .string(result.eventLabel)),
            ("group", result.groupColumn.map { .string($0) } ?? .null),
            ("nDropped", .integer(result.nDropped)),
            ("level", .number(result.level)),
            ("rows", .array(rows)),
        ]).rendered(indent: 2) + "\n"
    }
}

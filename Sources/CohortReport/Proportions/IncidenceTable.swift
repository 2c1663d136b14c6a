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
        let rule = style.suppression
        let status = rule.eventsOutOf(result.rows.map { ($0.estimate.events, $0.estimate.n) }, dropped: result.nDropped)
        let rows = result.rows.enumerated().map { r, row -> [CellValue] in
            let e = row.estimate
            // A percentage or interval of a hidden count gives it back.
            let shown: TableCell.Status = status.events[r] == .shown && status.n[r] == .shown ? .shown : .withheld
            let cells: [CellValue] = [.count(e.events, .init(status.events[r])), .count(e.n, .init(status.n[r])),
                                      .percent(e.proportion, shown), .percentInterval(e.lower, e.upper, shown)]
            return (result.groupColumn == nil ? [] : [.text(row.group ?? "")]) + cells
        }
        let dropped = rule.text(result.nDropped, status.dropped) + (result.nDropped == 1 && status.dropped == .shown ? " row" : " rows")
        return ReportTable(
            title: "Incidence of \(result.outcome) (event = \(result.eventLabel))",
            preamble: ["data: \(result.source); \(dropped) dropped for a missing \(result.groupColumn == nil ? "outcome" : "outcome or group")"],
            columns: columns, rows: rows,
            notes: ["CI: \(result.method.displayName), two-sided \(levelText); % and limits rounded to \(rounding(style))."]
                + [rule.note(status.printed, unprotectable: status.unprotectable)].compactMap { $0 },
            style: style)
    }
}

/// "0.1" for one decimal, "1" for none: the rounding a note states.
func rounding(_ style: NumberStyle) -> String {
    style.percentDecimals <= 0 ? "1" : "0." + String(repeating: "0", count: style.percentDecimals - 1) + "1"
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

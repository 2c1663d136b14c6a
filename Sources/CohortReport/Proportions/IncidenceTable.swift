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
        let status = statuses(result, rule: rule)
        let rows = result.rows.enumerated().map { r, row -> [CellValue] in
            let e = row.estimate
            // A percentage or interval of a hidden count gives it back.
            let shown = rule.rateStatus(status.events[r], of: status.n[r])
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

extension IncidenceTable {
    /// What small-cell suppression hides in `result`: the one computation the table and the JSON
    /// (``IncidenceJSON``) both read (issue 13).
    public static func statuses(_ result: IncidenceResult, rule: Suppression)
        -> (events: [Suppression.Status], n: [Suppression.Status], dropped: Suppression.Status, printed: [Suppression.Status], unprotectable: Int) {
        rule.eventsOutOf(result.rows.map { ($0.estimate.events, $0.estimate.n) }, dropped: result.nDropped)
    }
}

/// "0.1" for one decimal, "1" for none: the rounding a note states.
func rounding(_ style: NumberStyle) -> String {
    style.percentDecimals <= 0 ? "1" : "0." + String(repeating: "0", count: style.percentDecimals - 1) + "1"
}

/// `cohort incidence --format json`, a stable interface:
/// `{"outcome", "event", "group", "nDropped", "level", "rows": [{"group", "events", "n", "proportion",
/// "ciLower", "ciUpper", "method"}], "suppression"}`; proportions and limits unrounded, `group` null
/// without `--by`. Under `suppression` the counts the table hides, and the proportion and limits of
/// a row with one, are null and listed in `suppression.hidden`.
public enum IncidenceJSON {
    public static func render(_ result: IncidenceResult, suppression rule: Suppression = .none) -> String {
        let status = IncidenceTable.statuses(result, rule: rule)
        var hidden = Set<String>()
        if status.dropped != .shown { hidden.insert(JSONValue.pointer("nDropped")) }
        for r in result.rows.indices {
            if status.events[r] != .shown { hidden.insert(JSONValue.pointer("rows", r, "events")) }
            if status.n[r] != .shown { hidden.insert(JSONValue.pointer("rows", r, "n")) }
            if rule.rateStatus(status.events[r], of: status.n[r]) != .shown {
                for key in ["proportion", "ciLower", "ciUpper"] { hidden.insert(JSONValue.pointer("rows", r, key)) }
            }
        }
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
        ]).suppressed(hidden, rule: rule).rendered(indent: 2) + "\n"
    }
}

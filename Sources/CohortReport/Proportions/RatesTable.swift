import CohortData
import CohortStats

/// The person-time rates table (`cohort rates`): one row a group (or the cohort) with its patients,
/// events, person-time, rate and exact interval, and, by group, each group's rate ratio (exact
/// conditional CI and P) and rate difference (Wald CI) against the reference row.
public enum RatesTable {
    public static func make(_ result: PersonTimeRates, style: NumberStyle = .standard) -> ReportTable {
        let levelText = NumberStyle.levelPercent(result.level)
        let perText = perLabel(result)
        var columns = [ReportTable.Column]()
        if let group = result.groupColumn { columns.append(.init(key: "group", header: group, alignment: .left)) }
        columns += [
            .init(key: "patients", header: "patients"),
            .init(key: "events", header: "events"),
            .init(key: "person_time", header: "person-time"),
            .init(key: "rate", header: "rate per \(perText)"),
            .init(key: "rate_ci", header: "\(levelText) CI"),
        ]
        let comparing = result.groupColumn != nil && result.rows.count > 1
        if comparing {
            columns += [
                .init(key: "rate_ratio", header: "rate ratio"),
                .init(key: "rate_ratio_ci", header: "\(levelText) CI"),
                .init(key: "p", header: "P"),
                .init(key: "rate_difference", header: "rate difference per \(perText)"),
                .init(key: "rate_difference_ci", header: "\(levelText) CI"),
            ]
        }
        let status = statuses(result, rule: style.suppression)
        var rows: [[CellValue]] = []
        for (r, row) in result.rows.enumerated() {
            var cells: [CellValue] = result.groupColumn == nil ? [] : [.text(row.group ?? "")]
            cells += [.count(row.patients, .init(status.patients[r])), .count(row.events, .init(status.events[r])),
                      .number(row.personTime, digits: nil, status.personTime[r]), .number(row.rate, digits: nil, status.rate[r]),
                      .interval(row.lower, row.upper, status.rate[r])]
            if comparing {
                if let c = result.comparisons.firstIndex(where: { $0.group == row.group }) {
                    let comparison = result.comparisons[c], shown = status.comparison[c]
                    cells += [.number(comparison.ratio, digits: nil, shown), .interval(comparison.ratioLower, comparison.ratioUpper, shown),
                              .pValue(comparison.p, shown), .number(comparison.difference, digits: nil, shown),
                              .interval(comparison.differenceLower, comparison.differenceUpper, shown)]
                } else {
                    cells += [.text("reference"), .empty, .empty, .empty, .empty]
                }
            }
            rows.append(cells)
        }
        let rule = style.suppression
        let dropped = rule.text(result.nDropped, status.dropped) + (result.nDropped == 1 && status.dropped == .shown ? " row" : " rows")
        var notes = [
            "Person-time: the sum of \(result.personTimeColumn) \(unitText(result)); rates per \(perText).",
            "Rate CI: \(PersonTimeRates.rateMethod), two-sided \(levelText).",
        ]
        if comparing {
            notes += [
                "Rate ratio and rate difference: each group against \(result.reference ?? "") (reference); ratio CI and P \(PersonTimeRates.ratioMethod); difference CI \(PersonTimeRates.differenceMethod).",
            ]
        }
        if let note = rule.note(status.printed, unprotectable: status.unprotectable) {
            notes.append(note + " Person-time is hidden with a hidden number of patients, and a rate, ratio or difference with a hidden count.")
        }
        return ReportTable(
            title: "Incidence rates of \(result.eventsColumn) per \(perText)",
            preamble: ["data: \(result.source); \(dropped) dropped for missing \(result.groupColumn.map { "\(result.eventsColumn), \(result.personTimeColumn) or \($0)" } ?? "\(result.eventsColumn) or \(result.personTimeColumn)")"],
            columns: columns, rows: rows, notes: notes, style: style)
    }

    /// "1000 person-days", "person-day", "1000 units of days" ...
    static func perLabel(_ result: PersonTimeRates) -> String {
        let one = result.per == 1
        let amount = one ? "" : NumberText.shortest(result.per) + " "
        if let unit = result.unit {
            let singular = unit.hasSuffix("s") ? String(unit.dropLast()) : unit
            return amount + "person-" + (one ? singular : singular + "s")
        }
        return amount + (one ? "unit" : "units") + " of \(result.personTimeColumn)"
    }

    static func unitText(_ result: PersonTimeRates) -> String {
        result.unit.map { "(unit: \($0), from the codebook)" } ?? "(in the data's own unit: the codebook declares none)"
    }

    /// What small-cell suppression hides: the events and patients of each group (a group's events
    /// summing to a known total, its patients and the rows dropped to the data's N), the person-time
    /// of a group whose patients are hidden, and every rate and comparison of a group with a hidden count.
    public static func statuses(_ result: PersonTimeRates, rule: Suppression)
        -> (events: [Suppression.Status], patients: [Suppression.Status], dropped: Suppression.Status, personTime: [TableCell.Status],
            rate: [TableCell.Status], comparison: [TableCell.Status], printed: [Suppression.Status], unprotectable: Int) {
        let g = result.rows.count
        var cells: [Suppression.Cell] = result.rows.map { .init($0.events) } + result.rows.map { .init($0.patients) }
        cells.append(.init(result.nDropped))
        var constraints: [Suppression.Constraint] = [.init(parts: Array(g..<(2 * g + 1)))]
        if g > 1 { constraints.append(.init(parts: Array(0..<g))) }
        let (status, unprotectable) = rule.statuses(cells, constraints: constraints)
        let events = Array(status[0..<g]), patients = Array(status[g..<(2 * g)])
        let personTime = patients.map { $0 == .shown ? TableCell.Status.shown : .withheld }
        let rate = (0..<g).map { rule.rateStatus(events[$0], of: patients[$0]) }
        let referenceIndex = result.rows.firstIndex { $0.group == result.reference }
        let comparison = result.comparisons.map { c -> TableCell.Status in
            guard let r = result.rows.firstIndex(where: { $0.group == c.group }), let reference = referenceIndex else { return .shown }
            return rate[r] == .shown && rate[reference] == .shown ? .shown : .withheld
        }
        return (events, patients, status[2 * g], personTime, rate, comparison, status, unprotectable.count)
    }
}

/// `cohort rates --format json`, a stable interface:
/// `{"events", "personTime", "unit", "group", "reference", "per", "level", "nDropped", "rows": [{"group",
/// "patients", "events", "personTime", "rate", "ciLower", "ciUpper"}], "comparisons": [{"group",
/// "reference", "rateRatio", "rateRatioLower", "rateRatioUpper", "p", "rateDifference",
/// "rateDifferenceLower", "rateDifferenceUpper"}], "methods", "suppression"}`; rates and differences
/// per `per` units of person-time, unrounded; an infinite ratio or limit is null. Under suppression
/// what the table hides is null and listed in `suppression.hidden`.
public enum RatesJSON {
    public static func render(_ result: PersonTimeRates, suppression rule: Suppression = .none) -> String {
        let status = RatesTable.statuses(result, rule: rule)
        var hidden = Set<String>()
        if status.dropped != .shown { hidden.insert(JSONValue.pointer("nDropped")) }
        for r in result.rows.indices {
            if status.events[r] != .shown { hidden.insert(JSONValue.pointer("rows", r, "events")) }
            if status.patients[r] != .shown { hidden.insert(JSONValue.pointer("rows", r, "patients")) }
            if status.personTime[r] != .shown { hidden.insert(JSONValue.pointer("rows", r, "personTime")) }
            if status.rate[r] != .shown { for key in ["rate", "ciLower", "ciUpper"] { hidden.insert(JSONValue.pointer("rows", r, key)) } }
        }
        for c in result.comparisons.indices where status.comparison[c] != .shown {
            for key in ["rateRatio", "rateRatioLower", "rateRatioUpper", "p", "rateDifference", "rateDifferenceLower", "rateDifferenceUpper"] {
                hidden.insert(JSONValue.pointer("comparisons", c, key))
            }
        }
        let rows = result.rows.map { row -> JSONValue in
            .object([
                ("group", row.group.map { .string($0) } ?? .null),
                ("patients", .integer(row.patients)),
                ("events", .integer(row.events)),
                ("personTime", .number(row.personTime)),
                ("rate", .number(row.rate)),
                ("ciLower", .number(row.lower)),
                ("ciUpper", .number(row.upper)),
            ])
        }
        let comparisons = result.comparisons.map { c -> JSONValue in
            .object([
                ("group", .string(c.group)),
                ("reference", .string(c.reference)),
                ("rateRatio", .number(c.ratio)),
                ("rateRatioLower", .number(c.ratioLower)),
                ("rateRatioUpper", .number(c.ratioUpper)),
                ("p", .number(c.p)),
                ("rateDifference", .number(c.difference)),
                ("rateDifferenceLower", .number(c.differenceLower)),
                ("rateDifferenceUpper", .number(c.differenceUpper)),
            ])
        }
        return JSONValue.object([
            ("events", .string(result.eventsColumn)),
            ("personTime", .string(result.personTimeColumn)),
            ("unit", result.unit.map { .string($0) } ?? .null),
            ("group", result.groupColumn.map { .string($0) } ?? .null),
            ("reference", result.reference.map { .string($0) } ?? .null),
            ("per", .number(result.per)),
            ("level", .number(result.level)),
            ("nDropped", .integer(result.nDropped)),
            ("rows", .array(rows)),
            ("comparisons", .array(comparisons)),
            ("methods", .object([("rate", .string(PersonTimeRates.rateMethod)), ("rateRatio", .string(PersonTimeRates.ratioMethod)),
                                 ("rateDifference", .string(PersonTimeRates.differenceMethod))])),
        ]).suppressed(hidden, rule: rule).rendered(indent: 2) + "\n"
    }
}

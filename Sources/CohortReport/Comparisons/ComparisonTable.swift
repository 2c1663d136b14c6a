import CohortStats

/// The univariable screen: for each factor, each level's events / n (%), then the P value with the
/// test that produced it named beside it.
public enum ComparisonTable {
    public static func make(outcome: String, eventLabel: String, source: String, comparisons: [FactorComparison],
                            style: NumberStyle = .standard) -> ReportTable {
        let columns = [
            ReportTable.Column(key: "factor", header: "factor", alignment: .left),
            .init(key: "level", header: "level", alignment: .left),
            .init(key: "events", header: "\(outcome) = \(eventLabel)"),
            .init(key: "p", header: "P"),
            .init(key: "test", header: "test", alignment: .left),
        ]
        var rows: [[String]] = []
        var notes: [String] = []
        var allStatuses: [Suppression.Status] = []
        var unprotectedCount = 0
        for comparison in comparisons {
            let p = comparison.test.map { style.pValue($0.pValue) } ?? style.missing
            let test = comparison.test?.method ?? (comparison.problem ?? "")
            if let measurement = comparison.measurement {
                let format = NumberStyle.Summary([measurement.withoutEvent, measurement.withEvent])
                // Under suppression a small group's size is hidden and so is its summary (a median of
                // two patients gives their values away); the other group follows, since the two add
                // up to the rows used.
                let rule = style.suppression
                let hide = rule.isSmall(measurement.withoutEvent.n) || rule.isSmall(measurement.withEvent.n)
                func size(_ n: Int) -> String { hide ? (rule.isSmall(n) ? "n < \(rule.threshold)" : "n ≥ \(rule.threshold)") : "n = \(n)" }
                func summary(_ s: NumericSummary) -> String { hide && rule.isSmall(s.n) ? style.missing : format.medianIQR(s) ?? style.missing }
                if hide { allStatuses.append(.secondary) }
                rows.append([comparison.factor, "without event (\(size(measurement.withoutEvent.n)))",
                             summary(measurement.withoutEvent), p, test])
                rows.append(["", "with event (\(size(measurement.withEvent.n)))", summary(measurement.withEvent), "", ""])
            }
            let (status, unprotectable) = suppression(comparison, style.suppression)
            allStatuses += status
            unprotectedCount += unprotectable
            for (k, level) in comparison.levels.enumerated() {
                let events = status[3 * k], n = status[3 * k + 2]
                let percent = level.n > 0 && events == .shown && n == .shown ? style.percent(Double(level.events) / Double(level.n)) + "%" : "—"
                let first = k == 0
                rows.append([first ? comparison.factor : "", level.label,
                             "\(style.suppression.text(level.events, events))/\(style.suppression.text(level.n, n)) (\(percent))",
                             first ? p : "", first ? test : ""])
            }
            if comparison.levels.isEmpty, comparison.measurement == nil { rows.append([comparison.factor, "", "", style.missing, test]) }
            if comparison.nDropped > 0 {
                notes.append("\(comparison.factor): \(comparison.nDropped) row\(comparison.nDropped == 1 ? "" : "s") dropped for a missing outcome or factor value.")
            }
            for warning in comparison.test?.warnings ?? [] { notes.append("\(comparison.factor): \(warning)") }
        }
        notes.insert("Categories: events/n (%) at each level; measurements: median [IQR] among the rows without and with the event. Tests are two-sided. Automatic choice: Pearson's chi-square without continuity correction when every expected count is at least 5, Fisher's exact test otherwise; the Wilcoxon rank-sum test for measurements.", at: 0)
        if let note = style.suppression.note(allStatuses, unprotectable: unprotectedCount) { notes.append(note) }
        return ReportTable(title: "\(outcome) by candidate factor", preamble: ["data: \(source)"], columns: columns, rows: rows, notes: notes)
    }
}

extension ComparisonTable {
    /// Cells per level: events, non-events (not printed), n; the reader knows events + non-events =
    /// n per level and the sums over the levels (the factor's events and n used).
    static func suppression(_ comparison: FactorComparison, _ rule: Suppression) -> ([Suppression.Status], Int) {
        var cells: [Suppression.Cell] = []
        var constraints: [Suppression.Constraint] = []
        for level in comparison.levels {
            let base = cells.count
            cells += [.init(level.events), .init(level.n - level.events, printed: false), .init(level.n)]
            constraints.append(.init(parts: [base, base + 1], total: base + 2))
        }
        if comparison.levels.count > 1 {
            for offset in 0..<3 { constraints.append(.init(parts: comparison.levels.indices.map { 3 * $0 + offset })) }
        }
        let (status, unprotectable) = rule.statuses(cells, constraints: constraints)
        return (status, unprotectable.count)
    }
}

/// `cohort compare --format json`: `{"outcome", "event", "factors": [{"factor", "nUsed", "nDropped",
/// "test", "statistic", "df", "p", "problem", "levels": [{"level", "events", "n"}], "measurement"}]}`;
/// `measurement` is null for a categorical factor, else `{"withoutEvent", "withEvent"}`, each
/// `{"n", "mean", "sd", "median", "q1", "q3", "min", "max"}`.
public enum ComparisonJSON {
    public static func render(outcome: String, eventLabel: String, comparisons: [FactorComparison]) -> String {
        let factors = comparisons.map { c -> JSONValue in
            .object([
                ("factor", .string(c.factor)),
                ("nUsed", .integer(c.nUsed)),
                ("nDropped", .integer(c.nDropped)),
                ("test", c.test.map { .string($0.method) } ?? .null),
                ("statistic", .optionalNumber(c.test?.statistic)),
                ("df", .optionalNumber(c.test?.df)),
                ("p", .optionalNumber(c.test?.pValue)),
                ("problem", c.problem.map { .string($0) } ?? .null),
                ("levels", .array(c.levels.map { .object([("level", .string($0.label)), ("events", .integer($0.events)), ("n", .integer($0.n))]) })),
                ("measurement", c.measurement.map { .object([("withoutEvent", summary($0.withoutEvent)), ("withEvent", summary($0.withEvent))]) } ?? .null),
            ])
        }
        return JSONValue.object([("outcome", .string(outcome)), ("event", .string(eventLabel)), ("factors", .array(factors))])
            .rendered(indent: 2) + "\n"
    }

    static func summary(_ s: NumericSummary) -> JSONValue {
        .object([
            ("n", .integer(s.n)), ("mean", .optionalNumber(s.mean)), ("sd", .optionalNumber(s.standardDeviation)),
            ("median", .optionalNumber(s.median)), ("q1", .optionalNumber(s.lowerQuartile)), ("q3", .optionalNumber(s.upperQuartile)),
            ("min", .optionalNumber(s.minimum)), ("max", .optionalNumber(s.maximum)),
        ])
    }
}

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
        var rows: [[CellValue]] = []
        var notes: [String] = []
        var allStatuses: [Suppression.Status] = []
        var unprotectedCount = 0
        let rule = style.suppression
        var withheld = false
        for comparison in comparisons {
            let test = comparison.test?.method ?? (comparison.problem ?? "")
            // Counts of the factor's table: a level's events and n, or a measurement's two groups,
            // with the rows dropped (which the data's N gives back from the rows used).
            let dropped: Suppression.Status
            var hidden: Bool
            var lines: [[CellValue]] = []
            if let measurement = comparison.measurement {
                let format = NumberStyle.Summary([measurement.withoutEvent, measurement.withEvent])
                let (status, unprotectable) = rule.parts([measurement.withoutEvent.n, measurement.withEvent.n, comparison.nDropped])
                allStatuses += status
                unprotectedCount += unprotectable
                dropped = status[2]
                hidden = status.contains { $0 != .shown }
                // A small group's summary is hidden too (a median of two patients gives their values away).
                func size(_ k: Int, _ n: Int) -> String {
                    switch status[k] { case .shown: "n = \(n)"; case .small: "n < \(rule.threshold)"; case .secondary: "n ≥ \(rule.threshold)" }
                }
                func summary(_ k: Int, _ s: NumericSummary) -> CellValue {
                    .medianIQR(s.median ?? .nan, s.lowerQuartile ?? .nan, s.upperQuartile ?? .nan, whole: format.whole, status[k] == .small ? .withheld : .shown)
                }
                lines.append([.text(comparison.factor), .text("without event (\(size(0, measurement.withoutEvent.n)))"), summary(0, measurement.withoutEvent)])
                lines.append([.empty, .text("with event (\(size(1, measurement.withEvent.n)))"), summary(1, measurement.withEvent)])
            } else {
                let status = rule.eventsOutOf(comparison.levels.map { ($0.events, $0.n) }, dropped: comparison.nDropped)
                allStatuses += status.printed
                unprotectedCount += status.unprotectable
                dropped = status.dropped
                hidden = status.printed.contains { $0 != .shown }
                for (k, level) in comparison.levels.enumerated() {
                    lines.append([k == 0 ? .text(comparison.factor) : .empty, .text(level.label),
                                  .eventsOfN(level.events, level.n, events: .init(status.events[k]), n: .init(status.n[k]))])
                }
            }
            // With the margins shown, an exact test's P pins a hidden cell of its table (issue 13).
            let p = CellValue.pValue(comparison.test?.pValue ?? .nan, hidden ? .withheld : .shown)
            withheld = withheld || hidden && comparison.test != nil
            rows += lines.enumerated().map { k, line in line + (k == 0 ? [p, .text(test)] : [.empty, .empty]) }
            if comparison.levels.isEmpty, comparison.measurement == nil { rows.append([.text(comparison.factor), .empty, .empty, .pValue(.nan), .text(test)]) }
            if comparison.nDropped > 0 {
                let shown = dropped == .shown
                notes.append("\(comparison.factor): \(rule.text(comparison.nDropped, dropped)) row\(shown && comparison.nDropped == 1 ? "" : "s") dropped for a missing outcome or factor value.")
            }
            for warning in comparison.test?.warnings ?? [] { notes.append("\(comparison.factor): \(warning)") }
        }
        notes.insert("Categories: events/n (%) at each level; measurements: median [IQR] among the rows without and with the event. Tests are two-sided. Automatic choice: Pearson's chi-square without continuity correction when every expected count is at least 5, Fisher's exact test otherwise; the Wilcoxon rank-sum test for measurements.", at: 0)
        if let note = rule.note(allStatuses, unprotectable: unprotectedCount) { notes.append(note) }
        if withheld { notes.append(rule.withheldPNote(missing: style.missing)) }
        return ReportTable(title: "\(outcome) by candidate factor", preamble: ["data: \(source)"], columns: columns, rows: rows, notes: notes, style: style)
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

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
        for comparison in comparisons {
            let p = comparison.test.map { style.pValue($0.pValue) } ?? style.missing
            let test = comparison.test?.method ?? (comparison.problem ?? "")
            if let measurement = comparison.measurement {
                let format = NumberStyle.Summary([measurement.withoutEvent, measurement.withEvent])
                rows.append([comparison.factor, "without event (n = \(measurement.withoutEvent.n))",
                             format.medianIQR(measurement.withoutEvent) ?? style.missing, p, test])
                rows.append(["", "with event (n = \(measurement.withEvent.n))", format.medianIQR(measurement.withEvent) ?? style.missing, "", ""])
            }
            for (k, level) in comparison.levels.enumerated() {
                let percent = level.n > 0 ? NumberStyle.fixed(Double(level.events) / Double(level.n) * 100, decimals: 1) : "—"
                let first = k == 0
                rows.append([first ? comparison.factor : "", level.label, "\(level.events)/\(level.n) (\(percent)%)",
                             first ? p : "", first ? test : ""])
            }
            if comparison.levels.isEmpty, comparison.measurement == nil { rows.append([comparison.factor, "", "", style.missing, test]) }
            if comparison.nDropped > 0 {
                notes.append("\(comparison.factor): \(comparison.nDropped) row\(comparison.nDropped == 1 ? "" : "s") dropped for a missing outcome or factor value.")
            }
            for warning in comparison.test?.warnings ?? [] { notes.append("\(comparison.factor): \(warning)") }
        }
        notes.insert("Categories: events/n (%) at each level; measurements: median [IQR] among the rows without and with the event. Tests are two-sided. Automatic choice: Pearson's chi-square without continuity correction when every expected count is at least 5, Fisher's exact test otherwise; the Wilcoxon rank-sum test for measurements.", at: 0)
        return ReportTable(title: "\(outcome) by candidate factor", preamble: ["data: \(source)"], columns: columns, rows: rows, notes: notes)
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

import CohortStats

/// The univariable screen: for each factor, each level's events / n (%), then the P value with the
/// test that produced it named beside it.
public enum ComparisonTable {
    public static func make(outcome: String, eventLabel: String, source: String, comparisons: [FactorComparison],
                            style: NumberStyle = .standard) -> ReportTable {
        // Two-level factors add their measures of association (issue 16); a table without one keeps its columns.
        let measures = comparisons.contains { $0.association != nil }
        let strata = comparisons.contains { $0.stratified != nil }
        let columns = [
            ReportTable.Column(key: "factor", header: "factor", alignment: .left),
            .init(key: "level", header: "level", alignment: .left),
            .init(key: "events", header: "\(outcome) = \(eventLabel)"),
        ] + (measures ? associationColumns(strata: strata) : []) + [
            .init(key: "p", header: "P"),
            .init(key: "test", header: "test", alignment: .left),
        ]
        let blank: [CellValue] = measures ? Array(repeating: .empty, count: strata ? 6 : 4) : []
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
            let status = statuses(comparison, rule: rule)
            allStatuses += status.printed
            unprotectedCount += status.unprotectable
            let dropped = status.dropped
            let hidden = status.anyHidden
            var lines: [[CellValue]] = []
            if let measurement = comparison.measurement {
                let format = NumberStyle.Summary([measurement.withoutEvent, measurement.withEvent])
                // A small group's summary is hidden too (a median of two patients gives their values away).
                func size(_ k: Int, _ n: Int) -> String {
                    switch status.groups[k] { case .shown: "n = \(n)"; case .small: "n < \(rule.threshold)"; case .secondary: "n ≥ \(rule.threshold)" }
                }
                func summary(_ k: Int, _ s: NumericSummary) -> CellValue {
                    .medianIQR(s.median ?? .nan, s.lowerQuartile ?? .nan, s.upperQuartile ?? .nan, whole: format.whole, rule.summaryStatus(status.groups[k]))
                }
                lines.append([.text(comparison.factor), .text("without event (\(size(0, measurement.withoutEvent.n)))"), summary(0, measurement.withoutEvent)])
                lines.append([.empty, .text("with event (\(size(1, measurement.withEvent.n)))"), summary(1, measurement.withEvent)])
            } else {
                for (k, level) in comparison.levels.enumerated() {
                    lines.append([k == 0 ? .text(comparison.factor) : .empty, .text(level.label),
                                  .eventsOfN(level.events, level.n, events: .init(status.events[k]), n: .init(status.n[k]))])
                }
            }
            // With the margins shown, an exact test's P pins a hidden cell of its table (issue 13).
            let p = CellValue.pValue(comparison.test?.pValue ?? .nan, hidden ? .withheld : .shown)
            withheld = withheld || hidden && comparison.test != nil
            let measuresWithheld = associationWithheld(status, rule: rule), stratifiedHidden = stratifiedWithheld(comparison, status, rule: rule)
            rows += lines.enumerated().map { k, line in
                line + (measures ? associationCells(comparison, line: k, withheld: measuresWithheld, stratifiedWithheld: stratifiedHidden, strata: strata) : [])
                    + (k == 0 ? [p, .text(test)] : [.empty, .empty])
            }
            if comparison.levels.isEmpty, comparison.measurement == nil { rows.append([.text(comparison.factor), .empty, .empty] + blank + [.pValue(.nan), .text(test)]) }
            if comparison.nDropped > 0 {
                let shown = dropped == .shown
                notes.append("\(comparison.factor): \(rule.text(comparison.nDropped, dropped)) row\(shown && comparison.nDropped == 1 ? "" : "s") dropped for a missing outcome or factor value.")
            }
            for warning in comparison.test?.warnings ?? [] { notes.append("\(comparison.factor): \(warning)") }
            notes += associationNotes(comparison, withheld: measuresWithheld, stratifiedWithheld: stratifiedHidden, style: style)
        }
        notes.insert("Categories: events/n (%) at each level; measurements: median [IQR] among the rows without and with the event. Tests are two-sided. Automatic choice: Pearson's chi-square without continuity correction when every expected count is at least 5, Fisher's exact test otherwise; the Wilcoxon rank-sum test for measurements.", at: 0)
        if measures {
            notes.insert("RR: risk ratio, Wald interval on the log scale; RD: risk difference (a proportion), Newcombe's hybrid score interval"
                         + (strata ? "; MH OR: Mantel-Haenszel odds ratio over the strata, Robins-Breslow-Greenland interval" : "")
                         + ". Each for a factor of two levels: the second level against the first (the reference), n = the rows used; the JSON adds the odds ratio (Wald, and conditional MLE with Fisher's exact interval).", at: 1)
        }
        if let note = rule.note(allStatuses, unprotectable: unprotectedCount) { notes.append(note) }
        if withheld { notes.append(rule.withheldPNote(missing: style.missing)) }
        return ReportTable(title: "\(outcome) by candidate factor", preamble: ["data: \(source)"], columns: columns, rows: rows, notes: notes, style: style)
    }

    /// What small-cell suppression hides in one factor's table: the one computation the table and
    /// the JSON (``ComparisonJSON``) both read (issue 13).
    public struct FactorStatuses: Sendable {
        /// A categorical factor's events and n at each level (empty for a measurement).
        public var events: [Suppression.Status] = []
        public var n: [Suppression.Status] = []
        /// A measurement's rows without and with the event (empty for a categorical factor).
        public var groups: [Suppression.Status] = []
        /// The rows dropped (with the data's N known, they give the rows used back).
        public var dropped: Suppression.Status
        /// Every printed count's status (for ``Suppression/note(_:unprotectable:)``).
        public var printed: [Suppression.Status]
        public var unprotectable: Int
        /// A count of the factor's table is hidden: its test's P value (and statistic) is withheld,
        /// since with the margins shown an exact test's P pins a hidden cell.
        public var anyHidden: Bool { printed.contains { $0 != .shown } }
    }

    /// The counts of `comparison`'s table: a level's events and n, or a measurement's two groups,
    /// with the rows dropped (which the data's N gives back from the rows used).
    public static func statuses(_ comparison: FactorComparison, rule: Suppression) -> FactorStatuses {
        if let measurement = comparison.measurement {
            let (status, unprotectable) = rule.parts([measurement.withoutEvent.n, measurement.withEvent.n, comparison.nDropped])
            return FactorStatuses(groups: Array(status.prefix(2)), dropped: status[2], printed: status, unprotectable: unprotectable)
        }
        let status = rule.eventsOutOf(comparison.levels.map { ($0.events, $0.n) }, dropped: comparison.nDropped)
        return FactorStatuses(events: status.events, n: status.n, dropped: status.dropped, printed: status.printed, unprotectable: status.unprotectable)
    }
}

/// `cohort compare --format json`: `{"outcome", "event", "factors": [{"factor", "nUsed", "nDropped",
/// "test", "statistic", "df", "p", "problem", "levels": [{"level", "events", "n"}], "measurement",
/// "association", "stratified"}]}` (the last two: a two-level factor's measures, and over strata
/// its Mantel-Haenszel analysis, else null; docs/json.md);
/// `measurement` is null for a categorical factor, else `{"withoutEvent", "withEvent"}`, each
/// `{"n", "mean", "sd", "median", "q1", "q3", "min", "max"}`; then `"suppression"`. Under suppression
/// the counts the table hides are null and listed in `suppression.hidden`, with what gives them
/// back: `nUsed` when the rows dropped are hidden (the data's N is known), the test's statistic and
/// P when the factor's table has a hidden count, a measurement group's summaries when its n is
/// hidden, and every minimum and maximum (one patient's value).
public enum ComparisonJSON {
    public static func render(outcome: String, eventLabel: String, comparisons: [FactorComparison], suppression rule: Suppression = .none) -> String {
        var hidden = Set<String>()
        for (f, comparison) in comparisons.enumerated() where rule.isActive {
            let status = ComparisonTable.statuses(comparison, rule: rule)
            func hide(_ tokens: any CustomStringConvertible...) { hidden.insert(tokens.map { JSONValue.pointer($0) }.joined()) }
            if status.dropped != .shown {
                hide("factors", f, "nDropped")
                hide("factors", f, "nUsed")
            }
            if status.anyHidden, comparison.test != nil {
                hide("factors", f, "statistic")
                hide("factors", f, "p")
            }
            for pointer in hiddenAssociation(comparison, factor: f, status: status, rule: rule) { hidden.insert(pointer) }
            for k in comparison.levels.indices {
                if status.events[k] != .shown { hide("factors", f, "levels", k, "events") }
                if status.n[k] != .shown { hide("factors", f, "levels", k, "n") }
            }
            if comparison.measurement != nil {
                for (k, group) in ["withoutEvent", "withEvent"].enumerated() {
                    if status.groups[k] != .shown { hide("factors", f, "measurement", group, "n") }
                    if rule.exactSummaryStatus(status.groups[k]) != .shown {
                        for key in ["mean", "sd", "median", "q1", "q3"] { hide("factors", f, "measurement", group, key) }
                    }
                    if rule.extremesStatus != .shown {
                        for key in ["min", "max"] { hide("factors", f, "measurement", group, key) }
                    }
                }
            }
        }
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
                ("association", association(c)),
                ("stratified", stratified(c)),
            ])
        }
        return JSONValue.object([("outcome", .string(outcome)), ("event", .string(eventLabel)), ("factors", .array(factors))])
            .suppressed(hidden, rule: rule).rendered(indent: 2) + "\n"
    }

    static func summary(_ s: NumericSummary) -> JSONValue {
        .object([
            ("n", .integer(s.n)), ("mean", .optionalNumber(s.mean)), ("sd", .optionalNumber(s.standardDeviation)),
            ("median", .optionalNumber(s.median)), ("q1", .optionalNumber(s.lowerQuartile)), ("q3", .optionalNumber(s.upperQuartile)),
            ("min", .optionalNumber(s.minimum)), ("max", .optionalNumber(s.maximum)),
        ])
    }
}

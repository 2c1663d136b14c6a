import CohortData
import CohortStats

/// The cumulative incidence table: one row a group × event type × day with the number at risk,
/// the estimate, its standard error and interval (percent); above it the data used and dropped and
/// the method, below it Gray's test per event type and why any cell is not estimable. Its cells are
/// typed as ``KaplanMeierTable``'s.
public enum CumulativeIncidenceTable {
    public static func make(_ analysis: CompetingRisksAnalysis, style: NumberStyle = .standard) -> ReportTable {
        let levelText = NumberStyle.levelPercent(analysis.level)
        var columns = [ReportTable.Column]()
        if analysis.groupColumn != nil { columns.append(.init(key: "group", header: analysis.groupColumn ?? "group", alignment: .left)) }
        columns += [
            .init(key: "event", header: "event", alignment: .left),
            .init(key: "day", header: "day"),
            .init(key: "at_risk", header: "at risk"),
            .init(key: "estimate", header: "cum. inc. (%)"),
            .init(key: "se", header: "SE (%)"),
            .init(key: "ci", header: "\(levelText) CI (%)"),
        ]
        var notes = OrderedNotes()
        var zeroWithoutInterval = false
        let rows = analysis.rows.map { row -> [CellValue] in
            var cells: [CellValue] = analysis.groupColumn == nil ? [] : [.label(row.group)]
            cells += [.label(row.eventType), .exactNumber(row.reading.day), .count(row.reading.atRisk)]
            switch row.reading.value {
            case .estimate(let estimate, _):
                var ci: CellValue = row.interval.map { .fixedPercentInterval($0.lower, $0.upper, decimals: 1) } ?? .text("not estimable")
                if row.interval == nil, estimate == 0 {
                    ci = .fixedPercentInterval(.nan, .nan, decimals: 1)
                    zeroWithoutInterval = true
                } else if let problem = row.intervalProblem {
                    notes.add("\(cellLabel(row, analysis)): no interval: \(problem).")
                }
                cells += [.fixedPercent(estimate, decimals: 1), .fixedPercent(row.reading.standardError ?? .nan, decimals: 2), ci]
            case .notEstimable(let reason):
                // The reason is the group's (its last follow-up), the same for every event type.
                notes.add((analysis.groupColumn == nil ? "" : "\(row.group), ") + "day \(NumberText.shortest(row.reading.day)): not estimable: \(reason).")
                cells += [.text("not estimable"), .fixedPercent(.nan, decimals: 2), .fixedPercentInterval(.nan, .nan, decimals: 1)]
            }
            return cells
        }
        var lines = notes.lines
        if zeroWithoutInterval {
            lines.insert("\(style.missing) in the CI column: no events by that day (estimate 0), where the \(analysis.interval.rawValue) interval is not defined.", at: 0)
        }
        lines.insert(contentsOf: testNotes(analysis, style: style), at: 0)
        if analysis.isOneMinusKaplanMeier {
            lines.append("No competing event type: the cumulative incidence equals 1 - Kaplan-Meier (variance still cmprsk's, not Greenwood's).")
        }
        if style.suppression.isActive { lines.append(Suppression.notAppliedNote) }
        return ReportTable(title: title(analysis), preamble: preamble(analysis, levelText: levelText), columns: columns, rows: rows, notes: lines,
                           style: style.unsuppressed)
    }

    static func title(_ analysis: CompetingRisksAnalysis) -> String {
        let others = analysis.eventTypes.dropFirst()
        return "Cumulative incidence of \(analysis.eventTypes.joined(separator: ", "))"
            + (others.isEmpty ? " (no competing event)" : " (competing risks)")
    }

    static func preamble(_ analysis: CompetingRisksAnalysis, levelText: String) -> [String] {
        var lines = ["data: \(analysis.source); n = \(analysis.nUsed) used, \(analysis.nDropped) dropped"
            + (analysis.dropped.isEmpty ? "" : " (" + analysis.dropped.map { "\($0.count) \($0.reason)" }.joined(separator: "; ") + ")")]
        for group in analysis.groups {
            let counts = zip(analysis.eventTypes, group.events).map { "\($0) \($1)" }.joined(separator: ", ")
            lines.append((analysis.groupColumn == nil ? "all" : "\(analysis.groupColumn ?? "") = \(group.label)") + ": n = \(group.n); events: \(counts)")
        }
        lines.append("method: Aalen-Johansen estimate (cmprsk::cuminc); variance as cmprsk (Gray's delta method); "
            + "\(levelText) CI \(intervalFormula(analysis.interval)); read off at the last event time <= each day (cmprsk::timepoints)")
        return lines
    }

    static func intervalFormula(_ interval: CurveInterval) -> String {
        switch interval {
        case .logLog: "log(-log) transformed, F^exp(±z·SE/(F·log F))"
        case .log: "log transformed, F·exp(±z·SE/F)"
        case .plain: "plain, F ± z·SE cut to [0, 1]"
        }
    }

    static func testNotes(_ analysis: CompetingRisksAnalysis, style: NumberStyle) -> [String] {
        analysis.tests.map { test in
            if let statistic = test.statistic, let p = test.pValue {
                let strata = analysis.strataColumn.map { ", stratified by \($0)" } ?? ""
                return "Gray's test, \(test.eventType) (rho = \(NumberText.shortest(test.rho))\(strata)): chi-square = \(style.number(statistic)) on \(test.df) df, \(style.pStatement(p))."
            }
            return "Gray's test, \(test.eventType): not applicable: \(test.problem ?? "no statistic")."
        }
    }

    private static func cellLabel(_ row: CompetingRisksAnalysis.Row, _ analysis: CompetingRisksAnalysis) -> String {
        (analysis.groupColumn == nil ? "" : "\(row.group), ") + "\(row.eventType), day \(NumberText.shortest(row.reading.day))"
    }
}

/// Table notes in the order first written, each once.
struct OrderedNotes {
    private(set) var lines: [String] = []
    private var seen: Set<String> = []
    mutating func add(_ line: String) {
        if seen.insert(line).inserted { lines.append(line) }
    }
}

/// `cohort cuminc --format json`, a stable interface: `{"source", "eventTypes", "groupColumn", "nUsed",
/// "nDropped", "dropped": [{"reason", "count"}], "method", "variance", "strata", "interval", "level",
/// "groups": [{"group", "n", "events": {type: count}}], "estimates": [{"group", "eventType", "day",
/// "atRisk", "estimate", "standardError", "ciLower", "ciUpper", "notEstimable"}], "grayTests":
/// [{"eventType", "statistic", "df", "pValue", "rho", "method", "problem"}]}`; numbers unrounded,
/// absent values null, `notEstimable` null or the reason.
public enum CumulativeIncidenceJSON {
    public static func render(_ analysis: CompetingRisksAnalysis) -> String {
        let estimates = analysis.rows.map { row -> JSONValue in
            var reason: String?
            if case .notEstimable(let why) = row.reading.value { reason = why }
            return .object([
                ("group", .string(row.group)),
                ("eventType", .string(row.eventType)),
                ("day", .number(row.reading.day)),
                ("atRisk", .integer(row.reading.atRisk)),
                ("estimate", .optionalNumber(row.reading.estimate)),
                ("standardError", .optionalNumber(row.reading.standardError)),
                ("ciLower", .optionalNumber(row.interval?.lower)),
                ("ciUpper", .optionalNumber(row.interval?.upper)),
                ("notEstimable", reason.map { .string($0) } ?? .null),
            ])
        }
        let groups = analysis.groups.map { group -> JSONValue in
            .object([("group", .string(group.label)), ("n", .integer(group.n)),
                     ("events", .object(zip(analysis.eventTypes, group.events).map { ($0, .integer($1)) }))])
        }
        let tests = analysis.tests.map { test -> JSONValue in
            .object([("eventType", .string(test.eventType)), ("statistic", .optionalNumber(test.statistic)), ("df", .integer(test.df)),
                     ("pValue", .optionalNumber(test.pValue)), ("rho", .number(test.rho)), ("method", .string(test.method)),
                     ("problem", test.problem.map { .string($0) } ?? .null)])
        }
        return JSONValue.object([
            ("source", .string(analysis.source)),
            ("eventTypes", .array(analysis.eventTypes.map { .string($0) })),
            ("groupColumn", analysis.groupColumn.map { .string($0) } ?? .null),
            ("nUsed", .integer(analysis.nUsed)),
            ("nDropped", .integer(analysis.nDropped)),
            ("dropped", .array(analysis.dropped.map { .object([("reason", .string($0.reason)), ("count", .integer($0.count))]) })),
            ("method", .string(analysis.isOneMinusKaplanMeier ? "Aalen-Johansen (one event type: 1 - Kaplan-Meier)" : "Aalen-Johansen")),
            ("variance", .string("cmprsk::cuminc (Gray)")),
            ("strata", analysis.strataColumn.map { .string($0) } ?? .null),
            ("interval", .string(analysis.interval.rawValue)),
            ("level", .number(analysis.level)),
            ("groups", .array(groups)),
            ("estimates", .array(estimates)),
            ("grayTests", .array(tests)),
        ]).rendered(indent: 2) + "\n"
    }
}

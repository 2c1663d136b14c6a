import CohortData
import CohortStats

/// The tables `cohort km` prints after its readings (issue 14), as R prints a fit and a test:
///
/// - the summary, one row a group as `print(survfit(...), rmean = D)`: n, events, the median with
///   its confidence limits (`NR`: not reached, R's NA) and, with a restricted-mean day, the
///   restricted mean with its SE and normal interval;
/// - with quantiles asked for, one row a group × probability as `quantile(fit, probs =)`;
/// - with groups, the G-rho test as `print(survdiff(...))`: per group N, observed, expected,
///   (O-E)^2/E and (O-E)^2/V, and the chi-square, df and P below.
///
/// Times are numbers in their shortest form (a median is a time of the data or the midpoint of two);
/// the restricted mean, its SE and the test's columns use the style's digits.
public enum KaplanMeierSummaryTable {
    /// The summary table, the quantile table when quantiles were asked for, and the test's table
    /// when there are groups.
    public static func make(_ analysis: SurvivalAnalysis, _ summary: KaplanMeierSummary, style: NumberStyle = .standard) -> [ReportTable] {
        var tables = [summaryTable(analysis, summary, style: style)]
        if !summary.quantiles.isEmpty { tables.append(quantileTable(analysis, summary, style: style)) }
        if let test = summary.test { tables.append(testTable(analysis, summary, test, style: style)) }
        return tables
    }

    /// The text of a time that may not be reached: `NR` for R's NA.
    static func time(_ value: Double?) -> CellValue { value.map { .exactNumber($0) } ?? .text("NR") }

    static func groupColumn(_ analysis: SurvivalAnalysis) -> [ReportTable.Column] {
        analysis.groupColumn.map { [.init(key: "group", header: $0, alignment: .left)] } ?? []
    }

    static func groupCell(_ analysis: SurvivalAnalysis, _ group: String) -> [CellValue] {
        analysis.groupColumn == nil ? [] : [.label(group)]
    }

    static func limitsText(_ analysis: SurvivalAnalysis) -> String {
        "\(NumberStyle.levelPercent(analysis.level)) limits where the \(analysis.interval.displayName) pointwise limits of S cross the line "
            + "(Brookmeyer & Crowley; survfit conf.type = \"\(analysis.interval.rawValue)\")"
    }

    static func summaryTable(_ analysis: SurvivalAnalysis, _ summary: KaplanMeierSummary, style: NumberStyle) -> ReportTable {
        let levelText = NumberStyle.levelPercent(analysis.level)
        var columns = groupColumn(analysis) + [
            .init(key: "n", header: "n"), .init(key: "events", header: "events"),
            .init(key: "median", header: "median"), .init(key: "median_lower", header: "\(levelText) LCL"),
            .init(key: "median_upper", header: "\(levelText) UCL"),
        ]
        if let day = summary.restrictedMeanDay {
            columns += [.init(key: "rmst", header: "RMST to day \(NumberText.shortest(day))"), .init(key: "rmst_se", header: "SE"),
                        .init(key: "rmst_ci", header: "\(levelText) CI")]
        }
        var notes = OrderedNotes()
        var notReached = false
        let rows = summary.groups.map { group -> [CellValue] in
            let median = group.median
            if median.time == nil || median.lower == nil || median.upper == nil { notReached = true }
            var cells = groupCell(analysis, group.group) + [.count(group.n), .count(group.events), time(median.time), time(median.lower), time(median.upper)]
            if let mean = group.restrictedMean {
                let ci = mean.interval(level: analysis.level)
                cells += [.number(mean.estimate), .number(mean.standardError), .interval(ci.lower, ci.upper)]
                if mean.extendsPastLastFollowUp, let curve = analysis.curves.first(where: { $0.group == group.group }) {
                    notes.add((analysis.groupColumn == nil ? "" : "\(group.group): ")
                        + "day \(NumberText.shortest(mean.tau)) is after the last follow-up (day \(NumberText.shortest(curve.lastFollowUp))): "
                        + "the curve is held at its last value up to it, as survfit does.")
                }
            } else if summary.restrictedMeanDay != nil {
                cells += [.number(.nan), .number(.nan), .interval(.nan, .nan)]
            }
            return cells
        }
        var preamble = ["median as print(survfit): the first time S falls to 0.5 or below (the midpoint of a stretch at exactly 0.5); "
            + limitsText(analysis)]
        if let day = summary.restrictedMeanDay {
            preamble.append("RMST: restricted mean survival time, the area under the curve from day 0 to day \(NumberText.shortest(day)), "
                + "as print(survfit, rmean = \(NumberText.shortest(day))); SE as survfit's; \(levelText) CI RMST ± z·SE")
        }
        var lines = notes.lines
        if notReached { lines.insert("NR: not reached (the curve, or its confidence limit, does not fall to 0.5 by the last follow-up; R: NA).", at: 0) }
        return ReportTable(title: "Kaplan-Meier summary: free of \(analysis.eventTypes.joined(separator: " and "))", preamble: preamble,
                           columns: columns, rows: rows, notes: lines, style: style.unsuppressed)
    }

    static func quantileTable(_ analysis: SurvivalAnalysis, _ summary: KaplanMeierSummary, style: NumberStyle) -> ReportTable {
        let levelText = NumberStyle.levelPercent(analysis.level)
        let columns = groupColumn(analysis) + [
            .init(key: "p", header: "p"), .init(key: "time", header: "time"),
            .init(key: "lower", header: "\(levelText) LCL"), .init(key: "upper", header: "\(levelText) UCL"),
        ]
        var notReached = false
        let rows = summary.groups.flatMap { group in
            group.quantiles.map { q -> [CellValue] in
                if q.time == nil || q.lower == nil || q.upper == nil { notReached = true }
                return groupCell(analysis, group.group) + [.exactNumber(q.probability), time(q.time), time(q.lower), time(q.upper)]
            }
        }
        let preamble = ["quantile(fit, probs = p) (survival::quantile.survfit): the time by which a fraction p had an event, "
            + "where S falls to 1 - p (the midpoint of a stretch at exactly 1 - p); " + limitsText(analysis)]
        return ReportTable(title: "Kaplan-Meier quantiles: free of \(analysis.eventTypes.joined(separator: " and "))", preamble: preamble,
                           columns: columns, rows: rows,
                           notes: notReached ? ["NR: not reached (the curve, or its confidence limit, does not fall to 1 - p by the last follow-up; R: NA)."] : [],
                           style: style.unsuppressed)
    }

    /// "log-rank", "Peto-Peto (rho = 1)" or "G-rho (rho = 0.5)": the test's name in the JSON and the title.
    public static func testName(rho: Double) -> String {
        rho == 0 ? "log-rank" : rho == 1 ? "Peto-Peto (rho = 1)" : "G-rho (rho = \(NumberText.shortest(rho)))"
    }

    static func testTable(_ analysis: SurvivalAnalysis, _ summary: KaplanMeierSummary, _ test: LogRankTestResult,
                          style: NumberStyle) -> ReportTable {
        let by = analysis.groupColumn ?? "group"
        let columns: [ReportTable.Column] = [
            .init(key: "group", header: by, alignment: .left), .init(key: "n", header: "N"),
            .init(key: "observed", header: "observed"), .init(key: "expected", header: "expected"),
            .init(key: "oe2_e", header: "(O-E)^2/E"), .init(key: "oe2_v", header: "(O-E)^2/V"),
        ]
        let k = test.groups.count
        let rows = test.groups.indices.map { g -> [CellValue] in
            let n = analysis.groups.first { $0.label == test.groups[g] }?.n ?? 0
            let o = test.observed[g], e = test.expected[g], v = test.variance.count == k * k ? test.variance[g * k + g] : .nan
            let observed: CellValue = test.rho == 0 ? .count(Int(o.rounded())) : .number(o)
            return [.label(test.groups[g]), .count(n), observed, .number(e),
                    .number(e > 0 ? (o - e) * (o - e) / e : .nan), .number(v > 0 ? (o - e) * (o - e) / v : .nan)]
        }
        let strata = summary.strataColumn.map { " + strata(\($0))" } ?? ""
        var preamble = ["method: survival::survdiff(Surv(time, event) ~ \(by)\(strata), rho = \(NumberText.shortest(test.rho))); "
            + (analysis.eventTypes.count == 1 ? "\(analysis.eventTypes[0]) is the event" : "any of \(analysis.eventTypes.joined(separator: ", ")) is the event")]
        if test.rho != 0 {
            preamble.append("observed and expected are weighted by S(t-)^\(NumberText.shortest(test.rho)), the pooled Kaplan-Meier just before each time"
                + (summary.strataColumn == nil ? "" : " in its stratum"))
        }
        if let column = summary.strataColumn {
            preamble.append("stratified by \(column): observed, expected and the variance summed over its strata")
        }
        var notes: [String]
        if let statistic = test.statistic, let p = test.pValue {
            notes = ["Chi-square = \(style.number(statistic)) on \(test.df) df, \(style.pStatement(p))."]
        } else {
            notes = ["No test: \(test.problem ?? "no statistic")."]
        }
        if zip(test.expected, test.groups).contains(where: { $0.0 == 0 }) {
            notes.append("A group without expected events (every row censored before the first event) is left out of the test, as survdiff does.")
        }
        let title = (summary.strataColumn == nil ? "" : "Stratified ") + testName(rho: test.rho) + " test: \(by)"
        return ReportTable(title: title.prefix(1).uppercased() + title.dropFirst(), preamble: preamble, columns: columns, rows: rows,
                           notes: notes, style: style.unsuppressed)
    }
}

/// The JSON of ``KaplanMeierSummary`` inside `cohort km --format json` (see ``KaplanMeierJSON``).
enum KaplanMeierSummaryJSON {
    /// A group's `median`, `medianLower`, `medianUpper`, `quantiles` and `rmst`.
    static func groupFields(_ group: GroupSurvivalSummary?, level: Double) -> [(String, JSONValue)] {
        let rmst: JSONValue = group?.restrictedMean.map { mean in
            let ci = mean.interval(level: level)
            return .object([("day", .number(mean.tau)), ("estimate", .number(mean.estimate)), ("stdError", .number(mean.standardError)),
                            ("lower", .number(ci.lower)), ("upper", .number(ci.upper)),
                            ("extendsPastLastFollowUp", .bool(mean.extendsPastLastFollowUp))])
        } ?? .null
        let quantiles = (group?.quantiles ?? []).map { q -> JSONValue in
            .object([("probability", .number(q.probability)), ("time", .optionalNumber(q.time)),
                     ("lower", .optionalNumber(q.lower)), ("upper", .optionalNumber(q.upper))])
        }
        return [("median", .optionalNumber(group?.median.time)), ("medianLower", .optionalNumber(group?.median.lower)),
                ("medianUpper", .optionalNumber(group?.median.upper)), ("quantiles", .array(quantiles)), ("rmst", rmst)]
    }

    /// `{"test", "rho", "strata", "chiSquare", "df", "p", "problem", "groups": [{"group", "n",
    /// "observed", "expected", "variance"}]}`, or null without groups.
    static func logRank(_ summary: KaplanMeierSummary, _ analysis: SurvivalAnalysis) -> JSONValue {
        guard let test = summary.test else { return .null }
        let k = test.groups.count
        let groups = test.groups.indices.map { g -> JSONValue in
            .object([("group", .string(test.groups[g])), ("n", .integer(analysis.groups.first { $0.label == test.groups[g] }?.n ?? 0)),
                     ("observed", .number(test.observed[g])), ("expected", .number(test.expected[g])),
                     ("variance", .optionalNumber(test.variance.count == k * k ? test.variance[g * k + g] : nil))])
        }
        return .object([
            ("test", .string(KaplanMeierSummaryTable.testName(rho: test.rho))), ("rho", .number(test.rho)),
            ("strata", summary.strataColumn.map { .string($0) } ?? .null),
            ("chiSquare", .optionalNumber(test.statistic)), ("df", .integer(test.df)), ("p", .optionalNumber(test.pValue)),
            ("problem", test.problem.map { .string($0) } ?? .null), ("groups", .array(groups)),
        ])
    }
}

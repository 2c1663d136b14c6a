import CohortData
import CohortStats

/// `cohort describe --format json`: `{"source", "rows", "group", "groups": [{"label", "n"}],
/// "rowsWithoutGroup", "variables": [{"name", "label", "unit", "role", "overall", "groups",
/// "test", "statistic", "df", "p", "problem", "eventLevel", "smd"}]}`, each summary unrounded
/// (`eventLevel`: a yes/no variable's event level, else null; `smd`: the absolute standardised mean
/// difference between the groups, tableone's formulas, null when not computed or undefined):
/// measurements `{"n", "missing", "mean", "sd", "median", "q1", "q3", "min", "max"}`, categories
/// `{"n", "missing", "levels": [{"level", "count", "percent"}]}`, dates `{"n", "missing", "first",
/// "last"}`, free text `{"n", "missing",
/// "distinct"}`; then `"suppression"`. A value that does not exist (the SD of one value) is null.
///
/// Under suppression the counts the table hides (``DescriptionTable/Statuses``: group sizes, n,
/// missing, level counts) are null and listed in `suppression.hidden`, with what gives them back: a
/// level's percentage when its count or denominator is hidden, a categorical summary's n (N −
/// missing) when N or missing is, a measurement's mean, SD, median and quartiles when its n is
/// hidden (written unrounded, a mean of whole numbers gives its n back), free text's distinct count
/// and missing count with its n, the test's statistic and P and the SMD when the variable has a hidden count,
/// and every minimum and maximum, first and last date (one patient's value).
public enum DescriptionJSON {
    public static func render(_ description: CohortDescription, suppression rule: Suppression = .none) -> String {
        let statuses = rule.isActive ? DescriptionTable.Statuses(description, rule: rule) : nil
        var hidden: [String] = []
        func variable(_ v: VariableDescription) -> JSONValue {
            // Only a variable with branching logic has the key: other variables' JSON is unchanged.
            var fields: [(String, JSONValue)] = [
                ("name", .string(v.name)),
                ("label", v.label.map { .string($0) } ?? .null),
                ("unit", v.unit.map { .string($0) } ?? .null),
                ("role", .string(v.role.rawValue)),
                ("overall", summary(v.overall)),
                ("groups", .array(v.byGroup.map(summary))),
                ("test", v.test.map { .string($0.method) } ?? .null),
                ("statistic", .optionalNumber(v.test?.statistic)),
                ("df", .optionalNumber(v.test?.df.map { Double($0) })),
                ("p", .optionalNumber(v.test?.pValue)),
                ("problem", v.testProblem.map { .string($0) } ?? .null),
                ("eventLevel", v.eventLevel.map { .string($0) } ?? .null),
                ("smd", .optionalNumber(v.standardizedDifference)),
            ]
            if let count = v.notApplicable { fields.append(("notApplicable", .integer(count))) }
            return .object(fields)
        }
        // The variables one at a time, into a string reserved for about 1 KB each (a measurement
        // without groups takes some 500 bytes): never the tree of them all (issue 12).
        let variables = description.variables
        let groups = 1 + description.groups.count
        var head = Set<String>()
        if let statuses {
            for k in description.groups.indices where statuses.groupSize(k + 1) != .shown { head.insert(JSONValue.pointer("groups", k, "n")) }
            if statuses.withoutGroup != .shown { head.insert(JSONValue.pointer("rowsWithoutGroup")) }
        }
        let (top, topHidden) = JSONValue.object([
            ("source", .string(description.source)),
            ("rows", .integer(description.rowCount)),
            ("group", description.groupColumn.map { .string($0) } ?? .null),
            ("groups", .array(description.groups.map { .object([("label", .string($0.label)), ("n", .integer($0.n))]) })),
            ("rowsWithoutGroup", .integer(description.rowsWithoutGroup)),
        ]).hiding(head)
        hidden += topHidden
        var text = top.rendered(indent: 2, appendingArray: "variables", count: variables.count, reserving: 4096 + variables.count * 700 * groups, item: { i in
            guard let statuses else { return variable(variables[i]) }
            let (value, found) = variable(variables[i]).hiding(pointers(variables[i], statuses.variable(variables[i]), rule: rule),
                                                              prefix: JSONValue.pointer("variables", i))
            hidden += found
            return value
        }, then: { [("suppression", .suppression(rule, hidden: hidden))] })
        text += "\n"
        return text
    }

    /// The pointers, within `variable`'s object, of what `status` hides.
    static func pointers(_ variable: VariableDescription, _ status: DescriptionTable.VariableStatuses, rule: Suppression) -> Set<String> {
        var hidden = Set<String>()
        if status.anyHidden, variable.test != nil { hidden.formUnion([JSONValue.pointer("statistic"), JSONValue.pointer("p")]) }
        if status.anyHidden, variable.standardizedDifference != nil { hidden.insert(JSONValue.pointer("smd")) }
        // With N, n and missing shown it would give away a hidden count: withheld under any suppression.
        if variable.notApplicable != nil { hidden.insert(JSONValue.pointer("notApplicable")) }
        let summaries = [variable.overall] + variable.byGroup
        let labels: [String] = if case .categorical(let overall) = variable.overall { overall.levels.map(\.label) } else { [] }
        for (c, summary) in summaries.enumerated() {
            let base = c == 0 ? JSONValue.pointer("overall") : JSONValue.pointer("groups", c - 1)
            func hide(_ keys: String...) { for key in keys { hidden.insert(base + JSONValue.pointer(key)) } }
            if status.n(c) != .shown { hide("n") }
            if status.missing(c) != .shown { hide("missing") }
            switch summary {
            case .numeric:
                if rule.exactSummaryStatus(status.n(c)) != .shown { hide("mean", "sd", "median", "q1", "q3") }
                if rule.extremesStatus != .shown { hide("min", "max") }
            case .dates:
                if rule.extremesStatus != .shown { hide("first", "last") }
            case .freeText:
                if status.n(c) != .shown { hide("distinct") }
            case .categorical(let s):
                for (j, level) in s.levels.enumerated() {
                    guard let r = labels.firstIndex(of: level.label) else { continue }
                    let count = status.level(r, c)
                    if count != .shown { hidden.insert(base + JSONValue.pointer("levels", j, "count")) }
                    if rule.rateStatus(count, of: status.denominator(c)) != .shown { hidden.insert(base + JSONValue.pointer("levels", j, "percent")) }
                }
            }
        }
        return hidden
    }

    private static func summary(_ summary: VariableDescription.Summary) -> JSONValue {
        switch summary {
        case .dates(let s):
            let date = { (days: Double?) -> JSONValue in days.map { .string(CalendarDate(daysSinceEpoch: Int($0)).description) } ?? .null }
            return .object([("n", .integer(s.n)), ("missing", .integer(s.missing)), ("first", date(s.minimum)), ("last", date(s.maximum))])
        case .numeric(let s):
            return .object([
                ("n", .integer(s.n)), ("missing", .integer(s.missing)),
                ("mean", .optionalNumber(s.mean)), ("sd", .optionalNumber(s.standardDeviation)),
                ("median", .optionalNumber(s.median)), ("q1", .optionalNumber(s.lowerQuartile)), ("q3", .optionalNumber(s.upperQuartile)),
                ("min", .optionalNumber(s.minimum)), ("max", .optionalNumber(s.maximum)),
            ])
        case .categorical(let s):
            return .object([
                ("n", .integer(s.n)), ("missing", .integer(s.missing)),
                ("levels", .array(s.levels.map { .object([("level", .string($0.label)), ("count", .integer($0.count)), ("percent", .optionalNumber($0.percent))]) })),
            ])
        case .freeText(let n, let missing, let distinct):
            return .object([("n", .integer(n)), ("missing", .integer(missing)), ("distinct", .integer(distinct))])
        }
    }
}

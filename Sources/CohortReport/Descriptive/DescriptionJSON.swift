import CohortData
import CohortStats

/// `cohort describe --format json`: `{"source", "rows", "group", "groups": [{"label", "n"}],
/// "rowsWithoutGroup", "variables": [{"name", "label", "unit", "role", "overall", "groups",
/// "test", "statistic", "df", "p", "problem"}]}`, each summary unrounded:
/// measurements `{"n", "missing", "mean", "sd", "median", "q1", "q3", "min", "max"}`, categories
/// `{"n", "missing", "levels": [{"level", "count", "percent"}]}`, dates `{"n", "missing", "first",
/// "last"}`, free text `{"n", "missing",
/// "distinct"}`. A value that does not exist (the SD of one value) is null.
public enum DescriptionJSON {
    public static func render(_ description: CohortDescription) -> String {
        func variable(_ v: VariableDescription) -> JSONValue {
            .object([
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
            ])
        }
        // The variables one at a time, into a string reserved for about 1 KB each (a measurement
        // without groups takes some 500 bytes): never the tree of them all (issue 12).
        let variables = description.variables
        let groups = 1 + description.groups.count
        var text = JSONValue.object([
            ("source", .string(description.source)),
            ("rows", .integer(description.rowCount)),
            ("group", description.groupColumn.map { .string($0) } ?? .null),
            ("groups", .array(description.groups.map { .object([("label", .string($0.label)), ("n", .integer($0.n))]) })),
            ("rowsWithoutGroup", .integer(description.rowsWithoutGroup)),
        ]).rendered(indent: 2, appendingArray: "variables", count: variables.count, reserving: 4096 + variables.count * 700 * groups) {
            variable(variables[$0])
        }
        text += "\n"
        return text
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

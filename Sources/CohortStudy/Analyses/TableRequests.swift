import CohortData
import CohortReport
import CohortStats

/// `cohort describe`: Table 1, overall and by group, with tests between the groups.
public struct DescribeRequest: AnalysisRequest {
    public static let kind = "describe"
    public static let summary = "Table 1: each variable's summary, overall and by group, with the test between groups named beside its P value."

    /// The columns to describe; nil: every column.
    public var variables: [String]?
    public var by: String?
    /// Tests between the `by` groups.
    public var tests = true
    /// nil: auto (chi-square when every expected count is at least 5, else Fisher).
    public var test: ContingencyTable.TestChoice?
    /// nil: rank-sum.
    public var measurementTest: MeasurementTest?
    /// How the table lays the variables out (compact: gtsummary's).
    public var layout: DescriptionTable.Layout = .compact
    /// Standardised mean differences between the `by` groups; nil: with two groups.
    public var smd: Bool?

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case variables, by, tests, test, measurementTest = "measurement_test", layout, smd
    }
    public typealias Keys = CodingKeys

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        variables = try c.list(.variables)
        by = try c.value(.by)
        tests = try c.value(.tests) ?? true
        test = try c.value(.test)
        measurementTest = try c.value(.measurementTest)
        layout = try c.value(.layout) ?? .compact
        smd = try c.value(.smd)
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("variables", "list of columns", default: "every column", "The columns to describe, in this order."),
        FieldDoc("by", "column", default: "none", "A column to split by: one summary column a value, and a test between them."),
        FieldDoc("tests", "true/false", default: "true", "Tests between the by groups."),
        FieldDoc("test", "one of " + ContingencyTable.TestChoice.allCases.map(\.rawValue).joined(separator: ", "), default: "auto", "Which test for categories; with by."),
        FieldDoc("measurement_test", "one of " + MeasurementTest.allCases.map(\.rawValue).joined(separator: ", "), default: "rank-sum", "Which test for measurements (welch: two groups only); with by."),
        FieldDoc("layout", "one of " + DescriptionTable.Layout.allCases.map(\.rawValue).joined(separator: ", "), default: "compact",
                 "compact: gtsummary's Table 1 (a measurement on one row as median [IQR], or mean (SD) with measurement_test welch; a yes/no variable on one row; levels indented; a Missing row only where values are missing; tests as footnotes); full: n (missing), mean (SD), median [IQR] and min-max of each measurement, every level, each test named beside its P."),
        FieldDoc("smd", "true/false", default: "true with two by groups, else false",
                 "Standardised mean differences between the by groups (tableone's formulas; with more than two groups the mean of the pairwise SMDs); with by."),
    ]

    public func validate() throws(RequestError) {
        if variables?.isEmpty == true { throw RequestError("variables", "is empty; list the columns, or leave it out for every column") }
        // The test keys choose the tests between groups (issue 12).
        if let (key, value) = test.map({ ("test", $0.rawValue) }) ?? measurementTest.map({ ("measurement_test", $0.rawValue) }) {
            if by == nil { throw RequestError(key, value: value, "applies to the tests between groups: add {by}") }
            if !tests { throw RequestError(key, value: value, "and {tests=false} contradict each other") }
        }
        if !tests, by == nil { throw RequestError("tests", value: "false", "applies to the tests between groups: add {by}") }
        if let smd, by == nil { throw RequestError("smd", value: String(smd), "applies to comparisons between groups: add {by}") }
    }

    /// The description, as the table and the JSON show it.
    public func analyze(_ table: DataTable) throws -> CohortDescription {
        let groupCount = try by.map { try table.column(named: $0) }.map { column in
            column.groups(of: (0..<table.rowCount).filter { !column.isMissing($0) }).count
        } ?? 0
        let description = try CohortDescription.describe(table: table, variables: variables, by: by, tests: groupTests,
                                                         standardizedDifferences: standardizedDifferences(groups: groupCount))
        try checkTestsApply(description)
        return description
    }

    /// The tests between groups the request asks for, nil without them.
    public var groupTests: GroupTests? {
        tests ? GroupTests(categories: test ?? .auto, measurements: measurementTest ?? .rankSum) : nil
    }

    /// Whether SMDs are computed among `groups` groups: by default with two groups only (tableone
    /// shows the mean of the pairwise SMDs with more; asked for with smd).
    public func standardizedDifferences(groups: Int) -> Bool { smd ?? (groups == 2) }

    /// The test keys, when no variable described is of the kind they test: a rule only the data can check.
    public func checkTestsApply(_ description: CohortDescription) throws(RequestError) {
        if let test, !description.variables.contains(where: { if case .categorical = $0.overall { true } else { false } }) {
            throw RequestError("test", value: test.rawValue, "does not apply: no variable described is categorical")
        }
        if let measurementTest, !description.variables.contains(where: { if case .numeric = $0.overall { true } else { false } }) {
            throw RequestError("measurement_test", value: measurementTest.rawValue, "does not apply: no variable described is a measurement")
        }
    }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        result(try analyze(input.table), style: input.style)
    }

    /// The tables and JSON of `description` (from the rows, or from a database's counts and sums).
    public func result(_ description: CohortDescription, style: NumberStyle) -> AnalysisResult {
        // Made when asked: a file of 300,000 columns is described once, as a table or as JSON (issue 12).
        let layout = layout
        return AnalysisResult(lazyTables: { [DescriptionTable.make(description, style: style, layout: layout)] },
                              json: { DescriptionJSON.render(description, suppression: style.suppression) })
    }
}

/// `cohort incidence`: events / patients with a confidence interval, overall or by group.
public struct IncidenceRequest: AnalysisRequest {
    public static let kind = "incidence"
    public static let summary = "Incidence (events / patients) with an exact or approximate confidence interval, overall or by group."

    public var outcome = ""
    public var event: String?
    public var by: String?
    public var method: IntervalMethodChoice = .clopperPearson
    public var level = 0.95

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable { case outcome, event, by, method, level }
    public typealias Keys = CodingKeys

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        outcome = try c.value(.outcome) ?? ""
        event = try c.value(.event)
        by = try c.value(.by)
        method = try c.value(.method) ?? .clopperPearson
        level = try c.value(.level) ?? 0.95
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("outcome", "column", default: "required", "The outcome: a 0/1 column, or a column whose event level event names."),
        FieldDoc("event", "text", default: "none", "The outcome's level that counts as the event."),
        FieldDoc("by", "column", default: "none", "A column to split by: one row a value."),
        FieldDoc("method", "one of " + IntervalMethodChoice.allCases.map(\.rawValue).joined(separator: ", "), default: "clopper-pearson", "Interval method."),
        FieldDoc("level", "a number between 0 and 1", default: "0.95 (a study's options: level)", "Confidence level."),
    ]

    public func validate() throws(RequestError) {
        if outcome.isEmpty { throw RequestError("outcome", "is missing: name the outcome column") }
        try InputRules.confidenceLevel.check("level", level)
    }

    public func analyze(_ table: DataTable) throws -> IncidenceResult {
        try Incidence.compute(table: table, outcome: outcome, eventLevel: event, group: by, method: method.method, level: level)
    }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        Self.result(try analyze(input.table), style: input.style)
    }

    /// The table and JSON of `result` (from the rows, or from a database's counts).
    public static func result(_ result: IncidenceResult, style: NumberStyle) -> AnalysisResult {
        AnalysisResult(tables: [IncidenceTable.make(result, style: style)], json: IncidenceJSON.render(result, suppression: style.suppression))
    }
}

/// `cohort compare`: the outcome by each factor, with the test between the levels.
public struct CompareRequest: AnalysisRequest {
    public static let kind = "compare"
    public static let summary = "Univariable comparisons: the outcome by each factor (n (%) or median [IQR]) with the test between levels."

    public var outcome = ""
    public var event: String?
    public var factors: [String] = []
    /// nil: auto.
    public var test: ContingencyTable.TestChoice?
    /// nil: rank-sum.
    public var measurementTest: MeasurementTest?
    /// Cochran-Armitage trend test for ordered categorical factors.
    public var trend = false
    /// A categorical column: two-level factors add the Mantel-Haenszel analysis over its levels.
    public var strata: String?

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable { case outcome, event, factors, test, measurementTest = "measurement_test", trend, strata }
    public typealias Keys = CodingKeys

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        outcome = try c.value(.outcome) ?? ""
        event = try c.value(.event)
        factors = try c.list(.factors) ?? []
        test = try c.value(.test)
        measurementTest = try c.value(.measurementTest)
        trend = try c.value(.trend) ?? false
        strata = try c.value(.strata)
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("outcome", "column", default: "required", "The outcome: a 0/1 column, or a column whose event level event names."),
        FieldDoc("event", "text", default: "none", "The outcome's level that counts as the event."),
        FieldDoc("factors", "list of columns", default: "required", "The factors, each compared on its own; one of two levels also gets its risk ratio, risk difference and odds ratios (the second level against the first)."),
        FieldDoc("test", "one of " + ContingencyTable.TestChoice.allCases.map(\.rawValue).joined(separator: ", "), default: "auto", "Which test for categorical factors."),
        FieldDoc("measurement_test", "one of " + MeasurementTest.allCases.map(\.rawValue).joined(separator: ", "), default: "rank-sum", "Which test for measurements."),
        FieldDoc("trend", "true/false", default: "false", "Cochran-Armitage trend test for ordered categorical factors (grades, numbers, declared levels)."),
        FieldDoc("strata", "column", default: "none", "A categorical column: each factor of two levels also gets the Mantel-Haenszel odds ratio and risk ratio over its strata, the Mantel-Haenszel test and the Breslow-Day test of homogeneity."),
    ]

    public func validate() throws(RequestError) {
        if outcome.isEmpty { throw RequestError("outcome", "is missing: name the outcome column") }
        if factors.isEmpty { throw RequestError("factors", "must name at least one factor") }
        if trend, let test { throw RequestError("test", value: test.rawValue, "does not apply with {trend=true}: ordered factors get the Cochran-Armitage trend test") }
        if let strata {
            if strata.isEmpty { throw RequestError("strata", "is empty: name a categorical column, or leave it out") }
            if strata == outcome { throw RequestError("strata", value: strata, "is the outcome; stratify by another column") }
            if factors.contains(strata) { throw RequestError("strata", value: strata, "is also one of {factors}; stratify by another column") }
        }
    }

    /// The comparisons, with the label of the outcome's event.
    public func analyze(_ table: DataTable) throws -> (eventLabel: String, comparisons: [FactorComparison]) {
        let (eventLabel, comparisons) = try OutcomeComparison.compare(table: table, outcome: outcome, eventLevel: event, factors: factors,
                                                                      tests: GroupTests(categories: test ?? .auto, measurements: measurementTest ?? .rankSum),
                                                                      trend: trend, strata: strata)
        try checkOptionsApply(comparisons)
        return (eventLabel, comparisons)
    }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let table = input.table
        let (eventLabel, comparisons) = try analyze(table)
        return AnalysisResult(tables: [ComparisonTable.make(outcome: outcome, eventLabel: eventLabel, source: table.source, comparisons: comparisons, style: input.style)],
                              json: ComparisonJSON.render(outcome: outcome, eventLabel: eventLabel, comparisons: comparisons, suppression: input.style.suppression))
    }

    /// Refuses an option the factors, as the data and codebook type them, leave unused (issue 12):
    /// only the data says which factors are measurements.
    func checkOptionsApply(_ comparisons: [FactorComparison]) throws(RequestError) {
        let measurements = comparisons.filter { $0.measurement != nil }.map(\.factor)
        let categories = comparisons.filter { $0.measurement == nil }.map(\.factor)
        if trend, let first = measurements.first {
            throw RequestError("trend", value: "true", "applies to ordered categorical factors (grades, 0/1, declared levels); '\(first)' is a measurement; leave it out or drop {trend}")
        }
        if let test, categories.isEmpty {
            throw RequestError("test", value: test.rawValue, "does not apply: every factor (\(measurements.joined(separator: ", "))) is a measurement")
        }
        if let strata, !comparisons.contains(where: { $0.association != nil }) {
            throw RequestError("strata", value: strata, "applies to factors of two levels (a binary exposure); none of \(comparisons.map(\.factor).joined(separator: ", ")) has two levels")
        }
        if let measurementTest, measurements.isEmpty {
            throw RequestError("measurement_test", value: measurementTest.rawValue, "does not apply: no factor is a measurement (categorical: \(categories.joined(separator: ", ")))")
        }
    }
}

/// `cohort correlate`: Spearman, Kendall or Pearson correlation of two columns with its test.
public struct CorrelateRequest: AnalysisRequest {
    public static let kind = "correlate"
    public static let summary = "Correlation of two columns (Spearman, Kendall or Pearson) with its test, as R's cor.test."

    public var x = ""
    public var y = ""
    public var method: Correlation.Method = .spearman
    public var alternative: TestResult.Alternative = .twoSided
    /// Pearson's interval only; nil: 0.95.
    public var level: Double?

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable { case x, y, method, alternative, level }
    public typealias Keys = CodingKeys

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        x = try c.value(.x) ?? ""
        y = try c.value(.y) ?? ""
        method = try c.value(.method) ?? .spearman
        alternative = try c.value(.alternative) ?? .twoSided
        level = try c.value(.level)
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("x", "column", default: "required", "The first column."),
        FieldDoc("y", "column", default: "required", "The second column."),
        FieldDoc("method", "one of " + Correlation.Method.allCases.map(\.rawValue).joined(separator: ", "), default: "spearman", "Correlation coefficient."),
        FieldDoc("alternative", "one of " + TestResult.Alternative.allCases.map(\.rawValue).joined(separator: ", "), default: "two.sided", "Alternative hypothesis."),
        FieldDoc("level", "a number between 0 and 1", default: "0.95", "Confidence level of Pearson's interval (Spearman and Kendall have none)."),
    ]

    public func validate() throws(RequestError) {
        if x.isEmpty { throw RequestError("x", "is missing: name the first column") }
        if y.isEmpty { throw RequestError("y", "is missing: name the second column") }
        if let level {
            try InputRules.confidenceLevel.check("level", level)
            if method != .pearson { throw RequestError("level", "does not apply to \(method.rawValue): only Pearson's correlation has a confidence interval (add {method=pearson})") }
        }
        if x == y { throw RequestError("x", "and {y} name the same column '\(x)'") }
    }

    public var unsuppressible: String? { "a correlation (its n and ranks)" }

    /// Its level is Pearson's only, refused for the other methods: a study-wide level does not set it.
    public static var usesStudyLevel: Bool { false }

    public func analyze(_ table: DataTable) throws -> CorrelationAnalysis {
        try CorrelationAnalysis.run(table: table, x: x, y: y, method: method, alternative: alternative, confidenceLevel: level ?? 0.95)
    }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let analysis = try analyze(input.table)
        return AnalysisResult(tables: [CorrelationTable.make(analysis, style: input.style)], json: CorrelationJSON.render(analysis))
    }
}

/// `cohort event-types`: how many patients had each type of event.
public struct EventTypesRequest: AnalysisRequest {
    public static let kind = "event-types"
    public static let summary = "Counts and percentages of each event type in a categorical column."

    public var column = ""

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable { case column }
    public typealias Keys = CodingKeys

    public init(from decoder: any Decoder) throws {
        column = try decoder.container(keyedBy: Keys.self).value(.column) ?? ""
    }

    public static let fields: [FieldDoc] = [FieldDoc("column", "column", default: "required", "The categorical column holding each patient's event type.")]

    public func validate() throws(RequestError) {
        if column.isEmpty { throw RequestError("column", "is missing: name the event-type column") }
    }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        AnalysisResult(tables: [EventTypesTable.make(try EventTypeCounts.count(table: input.table, column: column), style: input.style)])
    }
}

/// `cohort plot bars`: a bar chart of the levels of a column, beside the table of its counts.
public struct BarsRequest: AnalysisRequest {
    public static let kind = "bars"
    public static let summary = "A bar chart of the levels of a categorical column (event sites, event types), with its table of counts."

    public enum PercentBase: String, Sendable, CaseIterable, Codable {
        /// Percentages of every row.
        case all
        /// Of the rows with a value.
        case nonmissing
        /// No percentages.
        case none
    }

    public var column = ""
    public var percentOf: PercentBase = .all
    public var unitLabel = "Patients"

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable { case column, percentOf = "percent_of", unitLabel = "unit_label" }
    public typealias Keys = CodingKeys

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        column = try c.value(.column) ?? ""
        percentOf = try c.value(.percentOf) ?? .all
        unitLabel = try c.value(.unitLabel) ?? "Patients"
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("column", "column", default: "required", "The column whose values are counted."),
        FieldDoc("percent_of", "one of " + PercentBase.allCases.map(\.rawValue).joined(separator: ", "), default: "all", "What the percentages are of: every row, the rows with a value, or none."),
        FieldDoc("unit_label", "text", default: "Patients", "What a count counts, for the axis."),
    ]

    public func validate() throws(RequestError) {
        if column.isEmpty { throw RequestError("column", "is missing: name the column to count") }
    }

    public var unsuppressible: String? { "a bar chart of counts" }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let table = input.table
        let values = try table.column(named: column)
        // One bar a value, in the codebook's level order (else sorted); missing values are not counted.
        let present = (0..<table.rowCount).filter { !values.isMissing($0) }
        let categories = values.groups(of: present).map { (label: $0.label, count: $0.rows.count) }
        let denominator: Int? = switch percentOf {
        case .all: table.rowCount
        case .nonmissing: present.count
        case .none: nil
        }
        let title = input.title ?? FigureLabels.text(table, column: column)
        // The counts beside the figure, as Table 1 gives them.
        let description = try CohortDescription.describe(table: table, variables: [column], by: nil, tests: nil)
        let style = input.style
        var result = AnalysisResult(lazyTables: { [DescriptionTable.make(description, style: style)] }, json: { DescriptionJSON.render(description) })
        result.figures = [.init(title: title, svg: BarChart.svg(title: title, categories: categories, valueAxis: AxisLabel(unitLabel),
                                                                 denominator: denominator, missing: table.rowCount - present.count))]
        return result
    }
}

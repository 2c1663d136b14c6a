import CohortData
import CohortReport
import CohortStats

/// `cohort rates`: person-time incidence rates with exact Poisson intervals, overall or by group,
/// and each group's rate ratio (exact conditional) and rate difference (Wald) against a reference.
public struct RatesRequest: AnalysisRequest {
    public static let kind = "rates"
    public static let summary = "Person-time incidence rates with exact Poisson CIs (as R poisson.test), overall or by group, with each group's rate ratio (exact CI and P) and rate difference (Wald CI) against the reference."

    /// The events: a count per row, or 0/1.
    public var events = ""
    /// Each row's person-time, in the data's unit.
    public var personTime = ""
    public var by: String?
    /// The reference group; nil: the first.
    public var reference: String?
    /// Rates per this much person-time (1000: per 1,000 person-days when the unit is days).
    public var per = 1.0
    public var level = 0.95

    /// `per`: any positive amount of person-time.
    static let perRule = NumberRule.atLeast(0, includingIt: false)

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable { case events, personTime = "person_time", by, reference, per, level }
    public typealias Keys = CodingKeys

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        events = try c.value(.events) ?? ""
        personTime = try c.value(.personTime) ?? ""
        by = try c.value(.by)
        reference = try c.value(.reference)
        per = try c.value(.per) ?? 1
        level = try c.value(.level) ?? 0.95
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("events", "column", default: "required", "Each row's events: a count (whole number ≥ 0) or 0/1."),
        FieldDoc("person_time", "column", default: "required", "Each row's person-time (≥ 0), in the data's unit (the codebook's unit of the column, stated in the table)."),
        FieldDoc("by", "column", default: "none", "A column to split by: one row a value, each compared with the reference."),
        FieldDoc("reference", "text", default: "the first group", "The group the others are compared with; with by."),
        FieldDoc("per", "a number above 0", default: "1", "Rates and rate differences per this much person-time (1000: per 1,000 person-days when the unit is days)."),
        FieldDoc("level", "a number between 0 and 1", default: "0.95 (a study's options: level)", "Confidence level."),
    ]

    public func validate() throws(RequestError) {
        if events.isEmpty { throw RequestError("events", "is missing: name the column of event counts") }
        if personTime.isEmpty { throw RequestError("person_time", "is missing: name the column of person-time") }
        if events == personTime { throw RequestError("events", "and {person_time} name the same column '\(events)'") }
        if let by, by == events || by == personTime { throw RequestError("by", value: by, "is the events or person-time column; split by another column") }
        if reference != nil, by == nil { throw RequestError("reference", "applies to the groups of {by}; add {by}") }
        try Self.perRule.check("per", per)
        try InputRules.confidenceLevel.check("level", level)
    }

    public func analyze(_ table: DataTable) throws -> PersonTimeRates {
        try PersonTimeRates.compute(table: table, events: events, personTime: personTime, group: by, reference: reference, per: per, level: level)
    }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let result = try analyze(input.table)
        return AnalysisResult(tables: [RatesTable.make(result, style: input.style)], json: RatesJSON.render(result, suppression: input.style.suppression))
    }
}

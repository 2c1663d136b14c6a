import CohortData
import CohortReport
import CohortStats

/// `cohort cuminc`: cumulative incidence with competing risks (Aalen-Johansen, as cmprsk::cuminc),
/// by group, with Gray's test; optionally the curves as a figure.
public struct CumincRequest: AnalysisRequest {
    public static let kind = "cuminc"
    public static let summary = "Cumulative incidence with competing risks (Aalen-Johansen, as cmprsk::cuminc), read off at days, by group with Gray's test."

    public var times = EventTimes()
    /// Gray's test stratified by this column (as cuminc's strata; the curves are not stratified).
    public var strata: String?
    /// Gray's test weight (1 - F(t-))^rho; nil: 0.
    public var rho: Double?
    /// Draw the curves of `event` as a figure.
    public var svg = false
    public var timeLabel: String?
    public var svgMaxDay: Double?

    public init() {}

    public enum Keys: String, CodingKey, CaseIterable {
        case eventDay = "event_day", eventType = "event_type", followupDay = "followup_day", eventDays = "event_days"
        case indexDate = "index_date", eventDate = "event_date", followupDate = "followup_date", time, status
        case event, competing, noEvent = "no_event", days, by, ci, level
        case strata, rho, svg, timeLabel = "time_label", svgMaxDay = "svg_max_day"
    }

    public init(from decoder: any Decoder) throws {
        times = try EventTimes(from: decoder)
        let c = try decoder.container(keyedBy: Keys.self)
        strata = try c.value(.strata)
        rho = try c.value(.rho)
        svg = try c.value(.svg) ?? false
        timeLabel = try c.value(.timeLabel)
        svgMaxDay = try c.value(.svgMaxDay)
    }

    public func encode(to encoder: any Encoder) throws {
        try times.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encodeIfPresent(strata, forKey: .strata)
        try c.encodeIfPresent(rho, forKey: .rho)
        try c.encode(svg, forKey: .svg)
        try c.encodeIfPresent(timeLabel, forKey: .timeLabel)
        try c.encodeIfPresent(svgMaxDay, forKey: .svgMaxDay)
    }

    public static let fields: [FieldDoc] = EventTimes.fields + [
        FieldDoc("strata", "column", default: "none", "Stratify Gray's test by this column (as cuminc's strata; the curves are not stratified); with by."),
        FieldDoc("rho", "a number from -10 to 10", default: "0", "Gray's test weight (1 - F(t-))^rho, as cuminc's rho; with by."),
        FieldDoc("svg", "true/false", default: "false", "Also draw the curves of event as an SVG figure (a command writes it to the file --svg names)."),
        FieldDoc("time_label", "text", default: "the time column's codebook label, else Days since the index date, else Days since day 0", "The figure's time axis label; with svg."),
        FieldDoc("svg_max_day", "a number > 0", default: "the last follow-up", "End the figure's time axis at this day; with svg."),
    ]

    public func validate() throws(RequestError) {
        try times.validate()
        if let rho { try InputRules.grayRho.check("rho", rho) }
        if let svgMaxDay { try InputRules.axisEndDay.check("svg_max_day", svgMaxDay) }
        if !svg, let key = timeLabel != nil ? "time_label" : svgMaxDay != nil ? "svg_max_day" : nil {
            throw RequestError(key, "applies to the figure: add {svg}")
        }
        if strata != nil, times.by == nil { throw RequestError("strata", "stratifies Gray's test between the {by} groups: give {by} too") }
        if rho != nil, times.by == nil { throw RequestError("rho", "weights Gray's test between the {by} groups: give {by} too") }
    }

    public var unsuppressible: String? { "cumulative-incidence curves and their numbers at risk" }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let table = input.table
        let analysis = CompetingRisksAnalysis.run(try times.data(from: table, strata: strata), days: times.days, interval: times.ci,
                                                  level: times.level, rho: rho ?? 0)
        var result = AnalysisResult(tables: [CumulativeIncidenceTable.make(analysis, style: input.style)], json: CumulativeIncidenceJSON.render(analysis))
        if svg {
            let title = input.title ?? "Cumulative incidence of \(times.event)" + (times.by.map { " by \(FigureLabels.short(table, column: $0))" } ?? "")
            result.figures.append(.init(title: title, svg: CumulativeIncidenceFigure.svg(
                analysis, eventType: times.event, title: title, timeAxis: timeAxis(table),
                groupLabel: times.by.map { FigureLabels.text(table, column: $0) }, maxDay: svgMaxDay)))
        }
        return result
    }

    /// `time_label`, else the codebook's label of the time (time form) or index date (date form).
    func timeAxis(_ table: DataTable) -> AxisLabel {
        if let timeLabel { return AxisLabel(timeLabel) }
        if let time = times.time, let label = FigureLabels.axis(table, column: time) { return label }
        if let index = times.indexDate { return AxisLabel("Days since \(FigureLabels.text(table, column: index))") }
        return AxisLabel("Days since day 0")
    }
}

/// `cohort km`: Kaplan-Meier curves read off at days, by group.
public struct KmRequest: AnalysisRequest {
    public static let kind = "km"
    public static let summary = "Kaplan-Meier survival read off at days, by group, with Greenwood standard errors."

    public var times = EventTimes()

    public init() {}

    /// The time-to-event keys and nothing else.
    public typealias Keys = EventTimes.CodingKeys

    public init(from decoder: any Decoder) throws { times = try EventTimes(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try times.encode(to: encoder) }

    public static let fields: [FieldDoc] = EventTimes.fields

    public func validate() throws(RequestError) { try times.validate() }

    public var unsuppressible: String? { "Kaplan-Meier curves and their numbers at risk" }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let analysis = SurvivalAnalysis.run(try times.data(from: input.table), days: times.days, interval: times.ci, level: times.level)
        return AnalysisResult(tables: [KaplanMeierTable.make(analysis, style: input.style)], json: KaplanMeierJSON.render(analysis))
    }
}

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
    /// Draw the curves of `event` as a figure, and how (``CurveFigureFields``).
    public var figure = CurveFigureFields()

    public init() {}

    public enum Keys: String, CodingKey, CaseIterable {
        case eventDay = "event_day", eventType = "event_type", followupDay = "followup_day", eventDays = "event_days"
        case indexDate = "index_date", eventDate = "event_date", followupDate = "followup_date", time, status
        case event, competing, noEvent = "no_event", days, by, ci, level
        case strata, rho, svg, timeLabel = "time_label", svgMaxDay = "svg_max_day", svgTimeStep = "svg_time_step", svgBands = "svg_bands"
    }

    public init(from decoder: any Decoder) throws {
        times = try EventTimes(from: decoder)
        let c = try decoder.container(keyedBy: Keys.self)
        strata = try c.value(.strata)
        rho = try c.value(.rho)
        figure = try CurveFigureFields(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try times.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encodeIfPresent(strata, forKey: .strata)
        try c.encodeIfPresent(rho, forKey: .rho)
        try figure.encode(to: encoder)
    }

    public static let fields: [FieldDoc] = EventTimes.fields + [
        FieldDoc("strata", "column", default: "none", "Stratify Gray's test by this column (as cuminc's strata; the curves are not stratified); with by."),
        FieldDoc("rho", "a number from -10 to 10", default: "0", "Gray's test weight (1 - F(t-))^rho, as cuminc's rho; with by."),
    ] + CurveFigureFields.fields(drawing: "the cumulative incidence curves of event")

    public func validate() throws(RequestError) {
        try times.validate()
        if let rho { try InputRules.grayRho.check("rho", rho) }
        try figure.validate()
        if strata != nil, times.by == nil { throw RequestError("strata", "stratifies Gray's test between the {by} groups: give {by} too") }
        if rho != nil, times.by == nil { throw RequestError("rho", "weights Gray's test between the {by} groups: give {by} too") }
    }

    public var unsuppressible: String? { "cumulative-incidence curves and their numbers at risk" }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let table = input.table
        let analysis = CompetingRisksAnalysis.run(try times.data(from: table, strata: strata), days: times.days, interval: times.ci,
                                                  level: times.level, rho: rho ?? 0)
        var result = AnalysisResult(tables: [CumulativeIncidenceTable.make(analysis, style: input.style)], json: CumulativeIncidenceJSON.render(analysis))
        if figure.svg {
            let title = input.title ?? "Cumulative incidence of \(times.event)" + (times.by.map { " by \(FigureLabels.short(table, column: $0))" } ?? "")
            result.figures.append(.init(title: title, svg: CumulativeIncidenceFigure.svg(
                analysis, eventType: times.event, title: title, timeAxis: figure.timeAxis(table, times: times),
                groupLabel: times.by.map { FigureLabels.text(table, column: $0) }, maxDay: figure.svgMaxDay,
                timeStep: figure.svgTimeStep, bands: figure.svgBands)))
        }
        return result
    }
}

/// `cohort km`: Kaplan-Meier curves read off at days, by group.
public struct KmRequest: AnalysisRequest {
    public static let kind = "km"
    public static let summary = "Kaplan-Meier survival read off at days, by group, with Greenwood standard errors."

    public var times = EventTimes()
    /// Draw the Kaplan-Meier curves as a figure, and how (``CurveFigureFields``).
    public var figure = CurveFigureFields()

    public init() {}

    /// The time-to-event keys, then the figure's.
    public typealias Keys = JoinedKeys<EventTimes.CodingKeys, CurveFigureFields.CodingKeys>

    public init(from decoder: any Decoder) throws {
        times = try EventTimes(from: decoder)
        figure = try CurveFigureFields(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try times.encode(to: encoder)
        try figure.encode(to: encoder)
    }

    public static let fields: [FieldDoc] = EventTimes.fields + CurveFigureFields.fields(drawing: "the Kaplan-Meier curves")

    public func validate() throws(RequestError) {
        try times.validate()
        try figure.validate()
    }

    public var unsuppressible: String? { "Kaplan-Meier curves and their numbers at risk" }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let table = input.table
        let analysis = SurvivalAnalysis.run(try times.data(from: table), days: times.days, interval: times.ci, level: times.level)
        var result = AnalysisResult(tables: [KaplanMeierTable.make(analysis, style: input.style)], json: KaplanMeierJSON.render(analysis))
        if figure.svg {
            let title = input.title ?? "Survival free of \(KaplanMeierFigure.freeOf(analysis.eventTypes))" + (times.by.map { " by \(FigureLabels.short(table, column: $0))" } ?? "")
            result.figures.append(.init(title: title, svg: KaplanMeierFigure.svg(
                analysis, title: title, timeAxis: figure.timeAxis(table, times: times),
                groupLabel: times.by.map { FigureLabels.text(table, column: $0) }, maxDay: figure.svgMaxDay,
                timeStep: figure.svgTimeStep, bands: figure.svgBands)))
        }
        return result
    }
}

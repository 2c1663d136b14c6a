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

/// `cohort km`: Kaplan-Meier curves read off at days, by group; each group's median (and other
/// quantiles) with limits and restricted mean; with groups the log-rank (G-rho) test.
public struct KmRequest: AnalysisRequest {
    public static let kind = "km"
    public static let summary = "Kaplan-Meier survival read off at days, by group, with Greenwood standard errors; medians, quantiles and restricted means; with by the log-rank (G-rho) test."

    public var times = EventTimes()
    /// The test's weight S(t-)^rho, as survdiff's rho; nil: 0 (log-rank).
    public var rho: Double?
    /// The test stratified by this column, as survdiff's `+ strata(column)`.
    public var strata: String?
    /// Quantiles besides the median (p of F = 1 - S, as quantile.survfit's probs); nil: none.
    public var quantiles: [Double]?
    /// The day the restricted mean survival time runs to; nil: none.
    public var rmstDay: Double?
    /// Draw the Kaplan-Meier curves as a figure, and how (``CurveFigureFields``).
    public var figure = CurveFigureFields()

    public init() {}

    /// The time-to-event keys, then the summaries' and the test's (``OwnKeys``), then the figure's.
    public typealias Keys = JoinedKeys<JoinedKeys<EventTimes.CodingKeys, OwnKeys>, CurveFigureFields.CodingKeys>

    public enum OwnKeys: String, CodingKey, CaseIterable {
        case rho, strata, quantiles, rmstDay = "rmst_day"
    }

    public init(from decoder: any Decoder) throws {
        times = try EventTimes(from: decoder)
        let c = try decoder.container(keyedBy: OwnKeys.self)
        rho = try c.value(.rho)
        strata = try c.value(.strata)
        quantiles = try c.numbers(.quantiles)
        rmstDay = try c.value(.rmstDay)
        figure = try CurveFigureFields(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try times.encode(to: encoder)
        var c = encoder.container(keyedBy: OwnKeys.self)
        try c.encodeIfPresent(rho, forKey: .rho)
        try c.encodeIfPresent(strata, forKey: .strata)
        try c.encodeIfPresent(quantiles, forKey: .quantiles)
        try c.encodeIfPresent(rmstDay, forKey: .rmstDay)
        try figure.encode(to: encoder)
    }

    public static let fields: [FieldDoc] = EventTimes.fields + [
        FieldDoc("rho", "a number from 0 to 10", default: "0",
                 "The test between the by groups weighs each time by S(t-)^rho, as survdiff's rho: 0 the log-rank test, 1 Peto & Peto's; with by."),
        FieldDoc("strata", "column", default: "none",
                 "Stratify the test between the by groups by this column, as survdiff's + strata(column) (rows missing it are dropped); with by."),
        FieldDoc("quantiles", "list of numbers between 0 and 1", default: "none (the median only)",
                 "Also give these quantiles with their limits, e.g. [0.25, 0.75]: the time by which a fraction p had an event, as quantile(fit, probs =)."),
        FieldDoc("rmst_day", "a number > 0", default: "none",
                 "Also give the restricted mean survival time to this day with its SE and interval, as print(survfit, rmean =)."),
    ] + CurveFigureFields.fields(drawing: "the Kaplan-Meier curves")

    public func validate() throws(RequestError) {
        try times.validate()
        try figure.validate()
        if let rho { try InputRules.logRankRho.check("rho", rho) }
        if let quantiles {
            if quantiles.isEmpty { throw RequestError("quantiles", "must list at least one probability between 0 and 1, e.g. 0.25,0.75") }
            for p in quantiles { try InputRules.survivalQuantile.check("quantiles", p) }
            if let repeated = quantiles.enumerated().first(where: { quantiles[..<$0.offset].contains($0.element) })?.element {
                throw RequestError("quantiles", "lists \(NumberText.shortest(repeated)) twice")
            }
        }
        if let rmstDay { try InputRules.restrictedMeanDay.check("rmst_day", rmstDay) }
        if rho != nil, times.by == nil { throw RequestError("rho", "weights the test between the {by} groups: give {by} too") }
        if let strata {
            guard times.by != nil else { throw RequestError("strata", "stratifies the test between the {by} groups: give {by} too") }
            if strata == times.by { throw RequestError("strata", "names the {by} column: stratify by another column") }
        }
    }

    public var unsuppressible: String? { "Kaplan-Meier curves and their numbers at risk" }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let table = input.table
        let data = try times.data(from: table, strata: strata)
        let analysis = SurvivalAnalysis.run(data, days: times.days, interval: times.ci, level: times.level)
        let summary = analysis.summary(of: data, quantiles: quantiles ?? [], restrictedMeanTo: rmstDay, rho: rho ?? 0)
        var result = AnalysisResult(tables: [KaplanMeierTable.make(analysis, style: input.style)] + KaplanMeierSummaryTable.make(analysis, summary, style: input.style),
                                    json: KaplanMeierJSON.render(analysis, summary: summary))
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

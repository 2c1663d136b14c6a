import CohortData
import CohortReport
import CohortStats

/// The figure keys of the curve analyses (`cuminc`, `km`): whether to draw the curves and how to
/// lay out the time axis and bands. One set of keys, decoded, documented and checked once for both
/// requests (``SurvivalCurveFigure`` draws both figures).
public struct CurveFigureFields: Sendable, Equatable, Codable {
    /// Draw the curves as a figure.
    public var svg = false
    public var timeLabel: String?
    public var svgMaxDay: Double?
    public var svgTimeStep: Double?
    /// nil: bands only for a single curve.
    public var svgBands: Bool?

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case svg, timeLabel = "time_label", svgMaxDay = "svg_max_day", svgTimeStep = "svg_time_step", svgBands = "svg_bands"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        svg = try c.value(.svg) ?? false
        timeLabel = try c.value(.timeLabel)
        svgMaxDay = try c.value(.svgMaxDay)
        svgTimeStep = try c.value(.svgTimeStep)
        svgBands = try c.value(.svgBands)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(svg, forKey: .svg)
        try c.encodeIfPresent(timeLabel, forKey: .timeLabel)
        try c.encodeIfPresent(svgMaxDay, forKey: .svgMaxDay)
        try c.encodeIfPresent(svgTimeStep, forKey: .svgTimeStep)
        try c.encodeIfPresent(svgBands, forKey: .svgBands)
    }

    /// `what`: what the figure draws ("the curves of event", "the Kaplan-Meier curves").
    static func fields(drawing what: String) -> [FieldDoc] {
        [
            FieldDoc("svg", "true/false", default: "false", "Also draw \(what) as an SVG figure (a command writes it to the file --svg names): step curves with censoring marks, confidence bands and a numbers-at-risk table under the time axis's ticks."),
            FieldDoc("time_label", "text", default: "the time column's codebook label, else Days since the index date, else Days since day 0", "The figure's time axis label; with svg."),
            FieldDoc("svg_max_day", "a number > 0", default: "the last follow-up", "End the figure's time axis at the first tick at or after this day; with svg."),
            FieldDoc("svg_time_step", "a number > 0", default: "nice ticks (about 8)", "A tick, and a numbers-at-risk column, every this many days, e.g. 30; at most \(Axis.maxTimeIntervals) intervals; with svg."),
            FieldDoc("svg_bands", "true/false", default: "true for one curve, false for several", "Draw the pointwise confidence bands (shaded, step-shaped); with svg."),
        ]
    }

    func validate() throws(RequestError) {
        if let svgMaxDay { try InputRules.axisEndDay.check("svg_max_day", svgMaxDay) }
        if let svgTimeStep {
            try InputRules.axisTickStep.check("svg_time_step", svgTimeStep)
            // Known only with svg_max_day; without it the figure says so (the axis ends at the data's last follow-up).
            if let problem = Axis.tickStepProblem(svgTimeStep, axisEnd: svgMaxDay) {
                throw RequestError("svg_time_step", "with {svg_max_day} \(NumberText.shortest(svgMaxDay ?? 0)): \(problem)")
            }
        }
        let figureOnly = [("time_label", timeLabel != nil), ("svg_max_day", svgMaxDay != nil), ("svg_time_step", svgTimeStep != nil),
                          ("svg_bands", svgBands != nil)]
        if !svg, let key = figureOnly.first(where: \.1)?.0 {
            throw RequestError(key, "applies to the figure: add {svg}")
        }
    }

    /// `time_label`, else the codebook's label of the time (time form) or index date (date form).
    func timeAxis(_ table: DataTable, times: EventTimes) -> AxisLabel {
        if let timeLabel { return AxisLabel(timeLabel) }
        if let time = times.time, let label = FigureLabels.axis(table, column: time) { return label }
        if let index = times.indexDate { return AxisLabel("Days since \(FigureLabels.text(table, column: index))") }
        return AxisLabel("Days since day 0")
    }
}

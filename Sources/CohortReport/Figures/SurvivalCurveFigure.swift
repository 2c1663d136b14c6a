import CohortData
import CohortStats

/// Step curves over time, one a group, with censoring marks, pointwise confidence bands and a
/// numbers-at-risk table under the time axis: the one drawing behind the Kaplan-Meier figure
/// (``KaplanMeierFigure``, survival falling from 1) and the cumulative-incidence figure
/// (``CumulativeIncidenceFigure``, incidence rising from 0). The adapters turn their analysis into
/// plain ``Curve`` values and sentences; everything drawn comes from those values.
///
/// - Steps: right-continuous, from (0, ``Curve/start``) through each ``Curve/times`` jump to the
///   group's last follow-up (or the axis end), as `plot(survfit)`.
/// - Censoring marks: a short vertical tick on the curve at each distinct censored time (the value
///   there, after any jump that day), as `plot(survfit, mark.time = TRUE)` and `ggsurvplot`.
/// - Bands: step-shaped, each segment the interval of the estimate on it; broken where the interval
///   is undefined. On by default for a single curve (several overlapping bands hide each other);
///   ``Options/bands`` sets it.
/// - Numbers at risk: ``AtRiskTable``, one column under each x tick (the same `x` mapping).
/// - Time axis: nice ticks to the last follow-up; ``Options/maxDay`` ends it at the first tick at or
///   after that day, ``Options/timeStep`` puts a tick every so many days. Everything drawn stops at
///   the axis end.
public enum SurvivalCurveFigure {
    static let width = 760.0
    static let plotHeight = 300.0
    static let rowHeight = 18.0
    /// Half the height of a censoring mark.
    static let markHalfHeight = 5.0

    /// What the user chooses about a curve figure's time axis and bands (`svg_max_day`,
    /// `svg_time_step`, `svg_bands`).
    public struct Options: Sendable, Equatable {
        /// End the time axis at the first tick at or after this day (nil: the last follow-up).
        public var maxDay: Double?
        /// A tick every so many days (nil: nice ticks).
        public var timeStep: Double?
        /// Draw the confidence bands (nil: only when there is one curve).
        public var bands: Bool?

        public init(maxDay: Double? = nil, timeStep: Double? = nil, bands: Bool? = nil) {
            self.maxDay = maxDay
            self.timeStep = timeStep
            self.bands = bands
        }
    }

    /// One group's curve, as plain numbers.
    public struct Curve: Sendable {
        public var group: String
        /// The value before the first jump: 1 for survival, 0 for cumulative incidence.
        public var start: Double
        /// The days the estimate changes, ascending, and the estimate just after each.
        public var times: [Double]
        public var estimates: [Double]
        /// The pointwise interval of each estimate (nil where undefined: no band there).
        public var limits: [(lower: Double, upper: Double)?]
        /// The distinct days with a censored observation.
        public var censoredTimes: [Double]
        /// The group's largest time; the curve is drawn to it.
        public var lastFollowUp: Double
        public var n: Int
        /// The legend's text ("group (n = 89, 10 events)").
        public var legend: String

        public init(group: String, start: Double, times: [Double], estimates: [Double], limits: [(lower: Double, upper: Double)?],
                    censoredTimes: [Double], lastFollowUp: Double, n: Int, legend: String) {
            self.group = group
            self.start = start
            self.times = times
            self.estimates = estimates
            self.limits = limits
            self.censoredTimes = censoredTimes
            self.lastFollowUp = lastFollowUp
            self.n = n
            self.legend = legend
        }

        /// The estimate on `day` (right-continuous: after that day's jump).
        public func value(onDay day: Double) -> Double {
            times.lastIndex(where: { $0 <= day }).map { estimates[$0] } ?? start
        }
    }

    /// What the adapter says about its analysis: the words around the curves.
    struct Frame {
        var title: String
        /// The y axis's label ("Cumulative incidence of bleeding").
        var valueLabel: String
        var timeAxis: AxisLabel
        /// The legend's heading (the group column's label), or nil for no heading.
        var groupLabel: String?
        var showLegend: Bool
        /// true: the y axis runs 0–100% (survival); false: from 0 to what is drawn (incidence).
        var fullValueAxis: Bool
        /// What the curves are called in their groups' labels ("cumulative incidence").
        var curveName: String
        /// What a band is called in its group's label ("95% confidence band").
        var bandName: String
        /// The caption's sentences, for an axis ending at the given day (before the at-risk note).
        var caption: (_ axisEnd: Double, _ bandsDrawn: Bool) -> [String]
        /// The description's opening sentence (saying whether bands are drawn).
        var summary: (_ bandsDrawn: Bool) -> String
        /// Patients of a group at risk on a day.
        var atRisk: (_ day: Double, _ group: String) -> Int
    }

    static func svg(_ curves: [Curve], frame: Frame, options: Options) -> String {
        let heading = frame.title
        if let maxDay = options.maxDay, let problem = Axis.timeLimitProblem(maxDay) {
            // Drawn rather than replaced by a default, so a bad limit is never silently ignored.
            return MessageFigure.svg(title: heading, message: "The time axis cannot end at day \(NumberText.shortest(maxDay)): \(problem).")
        }
        let lastFollowUp = curves.map(\.lastFollowUp).max() ?? 0
        let end = max(options.maxDay ?? lastFollowUp, 1)
        if let step = options.timeStep, let problem = Axis.tickStepProblem(step, axisEnd: end) {
            return MessageFigure.svg(title: heading, message: "The time axis cannot have a tick every \(NumberText.shortest(step)) \(step == 1 ? "day" : "days"): \(problem).")
        }
        let xAxis = options.timeStep.map { Axis.stepped(to: end, step: $0) } ?? Axis.linear(from: 0, to: end, maxTicks: 8)
        let drawBands = options.bands ?? (curves.count == 1)

        let right = width - 28
        let legendItems = frame.showLegend ? curves.map(\.legend) : []
        let legendTitle = frame.showLegend ? frame.groupLabel.map { FigureStyle.wrap($0, width: Int((width - 40) / 7.2)) } ?? [] : []
        let legendRows = legendLayout(legendItems, from: 20, to: right)
        let shift = SVGDocument.titleShift(heading, width: width)
        let plotTop = 44 + shift + 16 * Double(legendTitle.count) + 17 * Double(legendRows.last.map { $0.row + 1 } ?? 0) + 14
        let bottom = plotTop + plotHeight

        // The at-risk table decides the left margin: its names must clear the day-0 counts.
        let atRisk = AtRiskTable(groups: curves.map(\.group),
                                 counts: curves.map { curve in xAxis.ticks.map { frame.atRisk($0, curve.group) } },
                                 minimumLeft: 72)
        let left = atRisk.left
        let bands = curves.map { segments($0).filter { $0.from < xAxis.upper } }
        let yAxis: Axis
        if frame.fullValueAxis {
            yAxis = Axis.linear(from: 0, to: 1, maxTicks: 6)
        } else {
            // The y axis fits what is drawn: estimates after the axis end (cut by maxDay) do not stretch it.
            let highest = zip(curves, bands).map { curve, band in
                max(stepPoints(curve, upTo: xAxis.upper).map(\.value).max() ?? 0,
                    drawBands ? band.compactMap { $0.interval?.upper }.max() ?? 0 : 0)
            }.max() ?? 0
            yAxis = Axis.linear(from: 0, to: min(max(highest, 0.1), 1), maxTicks: 6)
        }
        let x = { (day: Double) in xAxis.position(min(max(day, xAxis.lower), xAxis.upper), from: left, to: right) }
        let y = { (p: Double) in yAxis.position(min(max(p, yAxis.lower), yAxis.upper), from: bottom, to: plotTop) }

        let captionLines = frame.caption(xAxis.upper, drawBands).flatMap { FigureStyle.wrap($0, width: Int((width - 40) / 6.2)) }
        let tableTop = bottom + 62
        let captionTop = tableTop + rowHeight * Double(curves.count) + 24
        var doc = SVGDocument(width: width, height: captionTop + 14 * Double(captionLines.count) + 10)
        doc.title(heading)

        // Grid and axes; tick labels and at-risk columns thinned alike when neighbours would touch (every tick mark stays).
        let stride = AtRiskTable.stride(texts: xAxis.ticks.map(Axis.label) + atRisk.countTexts, ticks: xAxis.ticks, x: x)
        let plot = TimePlotParts.Frame(xAxis: xAxis, yAxis: yAxis, x: x, y: y, left: left, right: right, plotTop: plotTop, bottom: bottom)
        TimePlotParts.axes(&doc, plot, yLabel: { Axis.label($0 * 100) + "%" }, stride: stride, timeTitle: frame.timeAxis.rendered, valueTitle: frame.valueLabel)

        // Bands first, then the curves and their censoring marks on top.
        if drawBands {
            for (i, curve) in curves.enumerated() {
                let colour = FigureStyle.series(i).colour
                doc.beginGroup("\(curve.group): \(frame.bandName)")
                for run in bandRuns(bands[i]) {
                    let upper = run.flatMap { [(x: x($0.from), y: y($0.interval?.upper ?? 0)), (x: x(min($0.to, xAxis.upper)), y: y($0.interval?.upper ?? 0))] }
                    let lower = run.reversed().flatMap { [(x: x(min($0.to, xAxis.upper)), y: y($0.interval?.lower ?? 0)), (x: x($0.from), y: y($0.interval?.lower ?? 0))] }
                    doc.path(upper + lower, fill: colour, fillOpacity: 0.15, closed: true)
                }
                doc.endGroup()
            }
        }
        for (i, curve) in curves.enumerated() {
            let (colour, dash) = FigureStyle.series(i)
            let points = stepPoints(curve, upTo: xAxis.upper).map { (x: x($0.day), y: y($0.value)) }
            doc.beginGroup("\(curve.group): \(frame.curveName)")
            doc.path(points, stroke: colour, width: 2, dash: dash)
            for day in curve.censoredTimes where day <= xAxis.upper && day <= curve.lastFollowUp {
                let markY = y(curve.value(onDay: day))
                doc.line(x(day), markY - markHalfHeight, x(day), markY + markHalfHeight, stroke: colour, width: 1.5, className: "censor")
            }
            doc.endGroup()
        }

        TimePlotParts.legend(&doc, heading: legendTitle, items: legendItems, rows: legendRows, shift: shift, lineWidth: 2)

        // Numbers at risk, one row a group, under the x ticks.
        atRisk.draw(into: &doc, top: tableTop, rowHeight: rowHeight, ticks: xAxis.ticks, x: x, stride: stride)
        for (i, line) in captionLines.enumerated() {
            doc.text(20, captionTop + 14 * Double(i), line, className: "caption")
        }
        return doc.rendered(title: heading, description: description(curves, summary: frame.summary(drawBands), axisEnd: xAxis.upper))
    }

    /// The corners of the step function in data units (day, value): from (0, start), at each jump a
    /// vertical pair at the jump day, flat to the group's last follow-up or `end`. Right-continuous:
    /// at a jump day the last point of that day holds the new value.
    static func stepPoints(_ curve: Curve, upTo end: Double) -> [(day: Double, value: Double)] {
        var points: [(day: Double, value: Double)] = [(0, curve.start)]
        var previous = curve.start
        for (t, f) in zip(curve.times, curve.estimates) where t <= end {
            points.append((t, previous))
            points.append((t, f))
            previous = f
        }
        points.append((min(curve.lastFollowUp, end), previous))
        return points
    }

    /// One stretch of a curve between jumps: the estimate holds from `from` to `to`.
    struct Segment {
        let from: Double
        let to: Double
        let interval: (lower: Double, upper: Double)?
    }

    /// The band segments of `curve`: from each jump to the next (the last to the group's last follow-up).
    static func segments(_ curve: Curve) -> [Segment] {
        curve.times.indices.map { i in
            let end = i + 1 < curve.times.count ? curve.times[i + 1] : curve.lastFollowUp
            let interval = curve.limits.indices.contains(i) ? curve.limits[i] : nil
            return Segment(from: curve.times[i], to: end, interval: interval.flatMap { $0.lower.isFinite && $0.upper.isFinite ? $0 : nil })
        }
    }

    /// Consecutive segments that have an interval (a band is broken where one is undefined).
    static func bandRuns(_ segments: [Segment]) -> [[Segment]] {
        var runs: [[Segment]] = [], current: [Segment] = []
        for segment in segments {
            if segment.interval == nil {
                if !current.isEmpty { runs.append(current) }
                current = []
            } else {
                current.append(segment)
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// Legend items placed left to right, wrapping to a new row when the next would pass `right`.
    static func legendLayout(_ items: [String], from left: Double, to right: Double) -> [(x: Double, row: Int)] {
        var placed: [(x: Double, row: Int)] = []
        var x = left, row = 0
        for item in items {
            let itemWidth = 38 + FigureStyle.textWidth(item) + 24
            if x > left, x + itemWidth > right { x = left; row += 1 }
            placed.append((x, row))
            x += itemWidth
        }
        return placed
    }

    /// "Ticks on a curve: censored observations." when a mark is drawn, for the captions.
    static func censoringNote(_ curves: [Curve], axisEnd: Double) -> String? {
        curves.contains { $0.censoredTimes.contains { $0 <= axisEnd } } ? "Vertical ticks on the curves: censored patients (one tick on each day with any censoring)." : nil
    }

    /// The sentence a reader of a cut axis needs, or nil when the axis shows the whole follow-up.
    static func cutAxisNote(_ curves: [Curve], axisEnd: Double, legendCounts: String) -> String? {
        let lastFollowUp = curves.map(\.lastFollowUp).max() ?? 0
        guard lastFollowUp > axisEnd else { return nil }
        return "The time axis ends at day \(NumberText.shortest(axisEnd)) (follow-up to day \(NumberText.shortest(lastFollowUp))): curves, bands and numbers at risk are shown to that day; \(legendCounts)."
    }

    /// A sentence a screen reader can read instead of the picture: each group's last value drawn
    /// (at its last follow-up, or at the end of a time axis that cuts it).
    static func description(_ curves: [Curve], summary: String, axisEnd: Double) -> String {
        let parts = curves.map { curve in
            let final = stepPoints(curve, upTo: axisEnd).last?.value ?? curve.start
            return "\(curve.group): \(NumberStyle.fixed(final * 100, decimals: 1))% by day \(NumberText.shortest(min(curve.lastFollowUp, axisEnd))) (n = \(curve.n))"
        }
        return summary + " " + parts.joined(separator: "; ") + "."
    }
}

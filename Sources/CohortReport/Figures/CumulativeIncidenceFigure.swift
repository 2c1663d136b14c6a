import CohortData
import CohortStats

/// Cumulative incidence curves of one event type, one step curve a group, with pointwise
/// confidence bands and a numbers-at-risk table under the time axis.
///
/// Every number drawn comes from the ``CompetingRisksAnalysis``: the steps are the curve's jumps
/// (``IncidenceCurve/times`` and ``IncidenceCurve/estimates``, right-continuous, drawn to the
/// group's last follow-up), each band segment is the analysis's interval (``CurveInterval``, at
/// its level) of the estimate on that segment, and the number at risk on a tick day t is the group's
/// patients with time >= t (``CompetingRisksAnalysis/atRisk(onDay:group:)``). Where an interval is
/// not defined (before the first event; log-log at an estimate of 1) no band is drawn.
public enum CumulativeIncidenceFigure {
    static let width = 760.0
    static let plotHeight = 300.0
    static let rowHeight = 18.0

    /// Step curves of the cumulative incidence of `eventType` (default: the first event type) per group, with CI bands
    /// (the analysis's interval method), and a numbers-at-risk table under the x axis at regular days.
    /// - Parameter maxDay: the time axis ends at the first nice tick at or after this day (default:
    ///   the last follow-up of any group); everything drawn honours that end: the curves and bands
    ///   are cut there, the y axis is scaled to what is left, the ticks and the at-risk columns stop
    ///   there, and the description reads the curves there. A day that is not finite and > 0 gives a
    ///   figure saying so (`--svg-max-day` and the study key `svg_max_day` refuse it first).
    public static func svg(_ analysis: CompetingRisksAnalysis, eventType: String? = nil, title: String? = nil,
                           timeAxis: AxisLabel = AxisLabel("Days since infusion"), groupLabel: String? = nil,
                           maxDay: Double? = nil) -> String {
        let type = eventType ?? analysis.eventTypes.first ?? ""
        let curves = analysis.curves.filter { $0.eventType == type }
        let heading = title ?? "Cumulative incidence of \(type)" + ((groupLabel ?? analysis.groupColumn).map { " by \($0)" } ?? "")
        guard !curves.isEmpty else {
            return MessageFigure.svg(title: heading, message: "No curve for event type '\(type)' (event types: \(analysis.eventTypes.joined(separator: ", "))).")
        }
        if let maxDay, let problem = Axis.timeLimitProblem(maxDay) {
            // Drawn rather than replaced by a default, so a bad limit is never silently ignored.
            return MessageFigure.svg(title: heading, message: "The time axis cannot end at day \(NumberText.shortest(maxDay)): \(problem).")
        }
        let showLegend = curves.count > 1 || analysis.groupColumn != nil
        let right = width - 28
        let legendItems = showLegend ? legendEntries(curves, analysis: analysis, type: type) : []
        let legendTitle = showLegend ? (groupLabel ?? analysis.groupColumn).map { FigureStyle.wrap($0, width: Int((width - 40) / 7.2)) } ?? [] : []
        let legendRows = legendLayout(legendItems, from: 20, to: right)
        let shift = SVGDocument.titleShift(heading, width: width)
        let plotTop = 44 + shift + 16 * Double(legendTitle.count) + 17 * Double(legendRows.last.map { $0.row + 1 } ?? 0) + 14
        let bottom = plotTop + plotHeight

        let lastFollowUp = curves.map(\.lastFollowUp).max() ?? 0
        let xAxis = Axis.linear(from: 0, to: max(maxDay ?? lastFollowUp, 1), maxTicks: 8)
        // The at-risk table decides the left margin: its names must clear the day-0 counts.
        let atRisk = AtRiskTable(groups: curves.map(\.group),
                                 counts: curves.map { curve in xAxis.ticks.map { analysis.atRisk(onDay: $0, group: curve.group) } },
                                 minimumLeft: 72)
        let left = atRisk.left
        let bands = curves.map { segments($0, analysis).filter { $0.from < xAxis.upper } }
        // The y axis fits what is drawn: estimates after the axis end (cut by maxDay) do not stretch it.
        let highest = zip(curves, bands).map { curve, band in
            max(stepPoints(curve, upTo: xAxis.upper).map(\.value).max() ?? 0, band.compactMap { $0.interval?.upper }.max() ?? 0)
        }.max() ?? 0
        let yAxis = Axis.linear(from: 0, to: min(max(highest, 0.1), 1), maxTicks: 6)
        let x = { (day: Double) in xAxis.position(min(max(day, xAxis.lower), xAxis.upper), from: left, to: right) }
        let y = { (p: Double) in yAxis.position(min(max(p, yAxis.lower), yAxis.upper), from: bottom, to: plotTop) }

        let captionLines = caption(analysis, type: type, axisEnd: xAxis.upper).flatMap { FigureStyle.wrap($0, width: Int((width - 40) / 6.2)) }
        let tableTop = bottom + 62
        let captionTop = tableTop + rowHeight * Double(curves.count) + 24
        var doc = SVGDocument(width: width, height: captionTop + 14 * Double(captionLines.count) + 10)
        doc.title(heading)

        // Grid and axes.
        for tick in yAxis.ticks {
            doc.line(left, y(tick), right, y(tick), stroke: "#dddddd", width: 0.75)
            doc.text(left - 8, y(tick) + 4, Axis.label(tick * 100) + "%", anchor: .end, className: "tick")
        }
        for tick in xAxis.ticks {
            doc.line(x(tick), bottom, x(tick), bottom + 5, stroke: "#000000")
            doc.text(x(tick), bottom + 18, Axis.label(tick), anchor: .middle, className: "tick")
        }
        doc.line(left, bottom, right, bottom)
        doc.line(left, plotTop, left, bottom)
        doc.text(left + (right - left) / 2, bottom + 38, timeAxis.rendered, anchor: .middle)
        doc.text(18, plotTop + plotHeight / 2, "Cumulative incidence of \(type)", anchor: .middle, rotate: -90)

        // Bands first, then the curves on top.
        for (i, curve) in curves.enumerated() {
            let colour = FigureStyle.series(i).colour
            doc.beginGroup("\(curve.group): \(NumberStyle.levelPercent(analysis.level)) confidence band")
            for run in bandRuns(bands[i]) {
                let upper = run.flatMap { [(x: x($0.from), y: y($0.interval?.upper ?? 0)), (x: x($0.to), y: y($0.interval?.upper ?? 0))] }
                let lower = run.reversed().flatMap { [(x: x($0.to), y: y($0.interval?.lower ?? 0)), (x: x($0.from), y: y($0.interval?.lower ?? 0))] }
                doc.path(upper + lower, fill: colour, fillOpacity: 0.15, closed: true)
            }
            doc.endGroup()
        }
        for (i, curve) in curves.enumerated() {
            let (colour, dash) = FigureStyle.series(i)
            let points = stepPoints(curve, upTo: xAxis.upper).map { (x: x($0.day), y: y($0.value)) }
            doc.beginGroup("\(curve.group): cumulative incidence")
            doc.path(points, stroke: colour, width: 2, dash: dash)
            doc.endGroup()
        }

        // The legend sits between the title and the plot, so it never covers a curve or band.
        for (i, line) in legendTitle.enumerated() { doc.text(20, 52 + shift + 16 * Double(i), line, bold: true) }
        let legendTop = 52 + shift + 16 * Double(legendTitle.count)
        for (i, item) in legendRows.enumerated() {
            let (colour, dash) = FigureStyle.series(i)
            let rowY = legendTop + 17 * Double(item.row)
            doc.line(item.x, rowY - 4, item.x + 30, rowY - 4, stroke: colour, width: 2, dash: dash)
            doc.text(item.x + 38, rowY, legendItems[i])
        }

        // Numbers at risk, one row a group, under the x ticks.
        atRisk.draw(into: &doc, top: tableTop, rowHeight: rowHeight, ticks: xAxis.ticks, x: x)
        for (i, line) in captionLines.enumerated() {
            doc.text(20, captionTop + 14 * Double(i), line, className: "caption")
        }
        return doc.rendered(title: heading, description: description(curves, analysis: analysis, type: type, axisEnd: xAxis.upper))
    }

    /// The corners of the step function in data units (day, cumulative incidence): from (0, 0), up at
    /// each jump (a vertical pair at the jump day), flat to the group's last follow-up or `end`.
    /// Right-continuous: at a jump day the last point of that day holds the new value, as
    /// ``IncidenceCurve/reading(onDay:atRisk:)`` reads it.
    static func stepPoints(_ curve: IncidenceCurve, upTo end: Double) -> [(day: Double, value: Double)] {
        var points: [(day: Double, value: Double)] = [(0, 0)]
        var previous = 0.0
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
    static func segments(_ curve: IncidenceCurve, _ analysis: CompetingRisksAnalysis) -> [Segment] {
        curve.times.indices.map { i in
            let end = i + 1 < curve.times.count ? curve.times[i + 1] : curve.lastFollowUp
            let v = curve.variances[i]
            let interval = v.isFinite && v >= 0
                ? analysis.interval.interval(estimate: curve.estimates[i], standardError: v.squareRoot(), level: analysis.level)
                : nil
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

    /// "group (n = 89, 10 events)" for each curve.
    static func legendEntries(_ curves: [IncidenceCurve], analysis: CompetingRisksAnalysis, type: String) -> [String] {
        let k = analysis.eventTypes.firstIndex(of: type) ?? 0
        return curves.map { curve in
            let counts = analysis.groups.first { $0.label == curve.group }?.events ?? []
            let events = counts.indices.contains(k) ? counts[k] : curve.times.count
            return "\(curve.group) (n = \(curve.n), \(events) \(events == 1 ? "event" : "events"))"
        }
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

    /// The method, interval, competing events, n, where the time axis cuts the follow-up (when it
    /// does) and Gray's test, as sentences.
    static func caption(_ analysis: CompetingRisksAnalysis, type: String, axisEnd: Double) -> [String] {
        let others = analysis.eventTypes.filter { $0 != type }
        var lines = [others.isEmpty
            ? "Cumulative incidence of \(type) (Aalen-Johansen; with no competing event this is 1 - Kaplan-Meier)."
            : "Cumulative incidence of \(type) (Aalen-Johansen, as cmprsk::cuminc) with \(others.joined(separator: ", ")) as competing \(others.count == 1 ? "event" : "events")."]
        let undefined = analysis.interval == .plain ? "" : "; none where undefined (before the first event)"
        lines.append("Shaded: pointwise \(NumberStyle.levelPercent(analysis.level)) confidence intervals, \(analysis.interval.displayName), from cmprsk's variance\(undefined).")
        lines.append("n = \(analysis.nUsed) used, \(analysis.nDropped) dropped for missing values. Number at risk: patients still followed and free of every event type on that day.")
        let lastFollowUp = analysis.curves.filter { $0.eventType == type }.map(\.lastFollowUp).max() ?? 0
        if lastFollowUp > axisEnd {
            // Said, so a reader of a cut axis knows the legend's event counts include later events.
            lines.append("The time axis ends at day \(NumberText.shortest(axisEnd)) (follow-up to day \(NumberText.shortest(lastFollowUp))): curves, bands and numbers at risk are shown to that day; the legend counts events over the whole follow-up.")
        }
        if let test = analysis.tests.first(where: { $0.eventType == type }) {
            if let statistic = test.statistic, let p = test.pValue, statistic.isFinite, p.isFinite {
                let strata = analysis.strataColumn.map { ", stratified by \($0)" } ?? ""
                lines.append("Gray's test (rho = \(NumberText.shortest(test.rho))\(strata)): chi-square = \(NumberStyle.standard.number(statistic)) on \(test.df) df, \(NumberStyle.standard.pStatement(p)).")
            } else {
                lines.append("Gray's test: not applicable: \(test.problem ?? "no statistic").")
            }
        }
        return lines
    }

    /// A sentence a screen reader can read instead of the picture: each group's last estimate drawn
    /// (at its last follow-up, or at the end of a time axis that cuts it).
    static func description(_ curves: [IncidenceCurve], analysis: CompetingRisksAnalysis, type: String, axisEnd: Double) -> String {
        let parts = curves.map { curve in
            let final = stepPoints(curve, upTo: axisEnd).last?.value ?? 0
            return "\(curve.group): \(NumberStyle.fixed(final * 100, decimals: 1))% by day \(NumberText.shortest(min(curve.lastFollowUp, axisEnd))) (n = \(curve.n))"
        }
        return "Step curves of the cumulative incidence of \(type) with \(NumberStyle.levelPercent(analysis.level)) confidence bands (\(analysis.interval.rawValue)). " + parts.joined(separator: "; ") + "."
    }
}

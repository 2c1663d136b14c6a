import CohortData
import CohortStats

/// A measurement's course over study days by group (issue 15): each group's daily median as a line
/// with its interquartile range shaded, or with `spaghetti` one thin line a patient under the
/// medians; under the day axis, each group's patients with a value on each tick day.
///
/// Every number drawn comes from the ``LabCourse``: the median and quartiles of a day are those of
/// the per-day table (``DailySummary``), a patient's line joins the days they have a value (the
/// day's mean of several draws). Lines carry no identifier: a course is a list of points in the
/// patient table's order, grouped under its group's name. The day axis is the window, with nice
/// ticks or a tick every `timeStep` days (``Axis/stepped(from:to:step:)``, as the curve figures'
/// `svg_time_step`); the value axis fits what is drawn. Colours and dashes are the curve figures'
/// (``FigureStyle``), and the count table under the ticks is their numbers-at-risk table
/// (``AtRiskTable``).
public enum LabCourseFigure {
    static let width = 760.0
    static let plotHeight = 300.0
    static let rowHeight = 18.0

    /// - Parameters:
    ///   - groupLabel: the legend's heading (the `by` column's label), nil without groups.
    ///   - bands: shade each group's interquartile range (default: unless drawing individual lines).
    ///   - spaghetti: draw each patient's course as a thin line under the medians.
    public static func svg(_ course: LabCourse, measure: LabMeasure, title: String, timeAxis: AxisLabel, window: ClosedRange<Double>,
                           timeStep: Double? = nil, bands: Bool? = nil, spaghetti: Bool = false, groupLabel: String? = nil) -> String {
        let groups = course.groups
        guard groups.contains(where: { !$0.days.isEmpty }) else {
            return MessageFigure.svg(title: title, message: "No value of \(measure.reference) in \(LabCourseTable.spoken(window)).")
        }
        if let step = timeStep, let problem = Axis.tickStepProblem(step, axisEnd: window.upperBound, axisStart: window.lowerBound) {
            return MessageFigure.svg(title: title, message: "The day axis cannot have a tick every \(NumberText.shortest(step)) \(step == 1 ? "day" : "days"): \(problem).")
        }
        let drawBands = bands ?? !spaghetti
        let xAxis = (timeStep ?? defaultStep(window)).map { Axis.stepped(from: window.lowerBound, to: window.upperBound, step: $0) }
            ?? Axis.linear(from: window.lowerBound, to: window.upperBound, maxTicks: 8)
        // The value axis fits what is drawn: the patients' values, or the bands, or the medians.
        let drawn = groups.flatMap { group -> [Double] in
            let medians = group.days.compactMap(\.summary.median)
            let quartiles = drawBands ? group.days.flatMap { [$0.summary.lowerQuartile, $0.summary.upperQuartile].compactMap { $0 } } : []
            let points = spaghetti ? group.courses.flatMap { $0.map(\.value) } : []
            return medians + quartiles + points
        }
        let yAxis = Axis.linear(from: drawn.min() ?? 0, to: drawn.max() ?? 1, maxTicks: 6)

        let right = width - 28
        let legendItems = groups.map { group in
            "\(group.label ?? "All patients") (N = \(group.patients); \(group.patientsWithValues) with a value)"
        }
        let legendTitle = groupLabel.map { FigureStyle.wrap($0, width: Int((width - 40) / 7.2)) } ?? []
        let legendRows = SurvivalCurveFigure.legendLayout(legendItems, from: 20, to: right)
        let shift = SVGDocument.titleShift(title, width: width)
        let plotTop = 44 + shift + 16 * Double(legendTitle.count) + 17 * Double((legendRows.last?.row ?? 0) + 1) + 14
        let bottom = plotTop + plotHeight
        let counts = groups.map { group in
            xAxis.ticks.map { tick in group.days.first { $0.day == tick }?.summary.n ?? 0 }
        }
        let table = AtRiskTable(groups: groups.map { $0.label ?? "All patients" }, counts: counts, minimumLeft: 72)
        let left = table.left
        let x = { (day: Double) in xAxis.position(min(max(day, xAxis.lower), xAxis.upper), from: left, to: right) }
        let y = { (v: Double) in yAxis.position(min(max(v, yAxis.lower), yAxis.upper), from: bottom, to: plotTop) }

        let captionLines = caption(course, measure: measure, window: window, bands: drawBands, spaghetti: spaghetti)
            .flatMap { FigureStyle.wrap($0, width: Int((width - 40) / 6.2)) }
        let tableTop = bottom + 62
        let captionTop = tableTop + rowHeight * Double(groups.count) + 24
        var doc = SVGDocument(width: width, height: captionTop + 14 * Double(captionLines.count) + 10)
        doc.title(title)

        let stride = AtRiskTable.stride(texts: xAxis.ticks.map(Axis.label) + table.countTexts, ticks: xAxis.ticks, x: x)
        let plot = TimePlotParts.Frame(xAxis: xAxis, yAxis: yAxis, x: x, y: y, left: left, right: right, plotTop: plotTop, bottom: bottom)
        TimePlotParts.axes(&doc, plot, yLabel: Axis.label, stride: stride, timeTitle: timeAxis.rendered, valueTitle: measure.label.rendered)

        // Individual lines first, then bands, then the medians on top.
        if spaghetti {
            for (i, group) in groups.enumerated() {
                let colour = FigureStyle.series(i).colour
                doc.beginGroup("\(group.label ?? "All patients"): individual courses")
                for points in group.courses {
                    if points.count == 1, let only = points.first {
                        // One day: a short dash, so a patient with one value is still seen.
                        doc.line(x(only.day) - 2, y(only.value), x(only.day) + 2, y(only.value), stroke: colour, width: 0.75)
                    } else {
                        doc.path(points.map { (x: x($0.day), y: y($0.value)) }, stroke: colour, width: 0.75, strokeOpacity: 0.45)
                    }
                }
                doc.endGroup()
            }
        }
        if drawBands {
            for (i, group) in groups.enumerated() where !group.days.isEmpty {
                let upper = group.days.map { (x: x($0.day), y: y($0.summary.upperQuartile ?? 0)) }
                let lower = group.days.reversed().map { (x: x($0.day), y: y($0.summary.lowerQuartile ?? 0)) }
                doc.beginGroup("\(group.label ?? "All patients"): interquartile range")
                doc.path(upper + lower, fill: FigureStyle.series(i).colour, fillOpacity: 0.15, closed: true)
                doc.endGroup()
            }
        }
        for (i, group) in groups.enumerated() where !group.days.isEmpty {
            let (colour, dash) = FigureStyle.series(i)
            doc.beginGroup("\(group.label ?? "All patients"): daily median")
            doc.path(group.days.map { (x: x($0.day), y: y($0.summary.median ?? 0)) }, stroke: colour, width: 2.5, dash: dash)
            doc.endGroup()
        }

        TimePlotParts.legend(&doc, heading: legendTitle, items: legendItems, rows: legendRows, shift: shift, lineWidth: 2.5)
        table.draw(into: &doc, top: tableTop, rowHeight: rowHeight, ticks: xAxis.ticks, x: x, stride: stride, heading: "Patients with a value")
        for (i, line) in captionLines.enumerated() { doc.text(20, captionTop + 14 * Double(i), line, className: "caption") }
        return doc.rendered(title: title, description: description(course, measure: measure, spaghetti: spaghetti))
    }

    /// A tick every 7 days for a window of one to nineteen weeks: clinical courses are read in weeks
    /// (day 7, 14, 21, 28), where nice ticks would put them at 5, 10, ... and past the window's end.
    /// nil (nice ticks) for other windows.
    public static func defaultStep(_ window: ClosedRange<Double>) -> Double? {
        let span = window.upperBound - window.lowerBound
        // One week less than the most intervals: a window not starting on a multiple of 7 takes one more.
        return span >= 7 && span <= 7 * Double(Axis.maxTimeIntervals - 1) ? 7 : nil
    }

    /// The method in sentences: what a line, a band and a thin line are, and how draws became values.
    static func caption(_ course: LabCourse, measure: LabMeasure, window: ClosedRange<Double>, bands: Bool, spaghetti: Bool) -> [String] {
        var lines = ["\(measure.reference), \(LabCourseTable.spoken(window)). Thick lines: each group's median of the patients' values that day"
            + (bands ? "; shaded: the interquartile range (R's type-7 quartiles)." : ".")]
        if spaghetti { lines.append("Thin lines: one patient's course each, joining the days with a value (no identifiers are drawn).") }
        lines.append("A patient with several draws on one day counts once, with the mean of that day's draws (\(measure.daysAveraged) such patient-days of \(measure.draws) draws). Patients with a value: on each tick day.")
        return lines
    }

    /// A sentence a screen reader reads instead of the picture: each group's first and last median.
    static func description(_ course: LabCourse, measure: LabMeasure, spaghetti: Bool) -> String {
        let parts = course.groups.map { group -> String in
            guard let first = group.days.first, let last = group.days.last else { return "\(group.label ?? "All patients"): no value" }
            // As the per-day table prints a median (whole data stay whole; else 3 significant digits).
            let style = NumberStyle.Summary(group.days.map(\.summary))
            let value = { (d: DailySummary.Day) in style.value(d.summary.median) }
            let span = first.day == last.day ? "" : ", \(value(last)) on day \(NumberText.shortest(last.day))"
            return "\(group.label ?? "All patients"): median \(value(first)) on day \(NumberText.shortest(first.day))\(span) (\(group.patientsWithValues) \(group.patientsWithValues == 1 ? "patient" : "patients") with a value)"
        }
        return "Daily medians of \(measure.label.rendered)" + (spaghetti ? " over each patient's course" : "") + ". " + parts.joined(separator: "; ") + "."
    }
}

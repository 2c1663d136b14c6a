import CohortData
import CohortStats

/// Cumulative incidence curves of one event type, one step curve a group, with censoring marks,
/// pointwise confidence bands and a numbers-at-risk table under the time axis
/// (``SurvivalCurveFigure`` draws them).
///
/// Every number drawn comes from the ``CompetingRisksAnalysis``: the steps are the curve's jumps
/// (``IncidenceCurve/times`` and ``IncidenceCurve/estimates``, right-continuous, drawn to the
/// group's last follow-up), each band segment is the analysis's interval (``CurveInterval``, at
/// its level) of the estimate on that segment, a censoring mark sits at each day a patient of the
/// group was censored (no event of any type; ``CompetingRisksAnalysis/censoredTimes(group:)``), and
/// the number at risk on a tick day t is the group's patients with time >= t
/// (``CompetingRisksAnalysis/atRisk(onDay:group:)``). Where an interval is not defined (before the
/// first event; log-log at an estimate of 1) no band is drawn.
public enum CumulativeIncidenceFigure {
    /// Step curves of the cumulative incidence of `eventType` (default: the first event type) per group, with CI bands
    /// (the analysis's interval method), censoring marks and a numbers-at-risk table under the x axis.
    /// - Parameters:
    ///   - maxDay: the time axis ends at the first tick at or after this day (default: the last
    ///     follow-up of any group); everything drawn honours that end: the curves, marks and bands
    ///     are cut there, the y axis is scaled to what is left, the ticks and the at-risk columns stop
    ///     there, and the description reads the curves there. A day that is not finite and > 0 gives a
    ///     figure saying so (`--svg-max-day` and the study key `svg_max_day` refuse it first).
    ///   - timeStep: a tick (and an at-risk column) every so many days (default: nice ticks); a
    ///     step giving more than ``Axis/maxTimeIntervals`` intervals gives a figure saying so.
    ///   - bands: draw the confidence bands (default: only for a single curve).
    public static func svg(_ analysis: CompetingRisksAnalysis, eventType: String? = nil, title: String? = nil,
                           timeAxis: AxisLabel = AxisLabel("Days since infusion"), groupLabel: String? = nil,
                           maxDay: Double? = nil, timeStep: Double? = nil, bands: Bool? = nil) -> String {
        let type = eventType ?? analysis.eventTypes.first ?? ""
        let incidence = analysis.curves.filter { $0.eventType == type }
        let heading = title ?? "Cumulative incidence of \(type)" + ((groupLabel ?? analysis.groupColumn).map { " by \($0)" } ?? "")
        guard !incidence.isEmpty else {
            return MessageFigure.svg(title: heading, message: "No curve for event type '\(type)' (event types: \(analysis.eventTypes.joined(separator: ", "))).")
        }
        let curves = plainCurves(analysis, type: type)
        let level = NumberStyle.levelPercent(analysis.level)
        let frame = SurvivalCurveFigure.Frame(
            title: heading, valueLabel: "Cumulative incidence of \(type)", timeAxis: timeAxis, groupLabel: groupLabel ?? analysis.groupColumn,
            showLegend: incidence.count > 1 || analysis.groupColumn != nil, fullValueAxis: false,
            curveName: "cumulative incidence", bandName: "\(level) confidence band",
            caption: { axisEnd, bandsDrawn in caption(analysis, curves: curves, type: type, axisEnd: axisEnd, bandsDrawn: bandsDrawn) },
            summary: { bandsDrawn in
                "Step curves of the cumulative incidence of \(type)" + (bandsDrawn ? " with \(level) confidence bands (\(analysis.interval.rawValue))." : ".")
            },
            atRisk: { analysis.atRisk(onDay: $0, group: $1) })
        return SurvivalCurveFigure.svg(curves, frame: frame, options: .init(maxDay: maxDay, timeStep: timeStep, bands: bands))
    }

    /// The curves of `type`, one a group, as the figure draws them.
    static func plainCurves(_ analysis: CompetingRisksAnalysis, type: String) -> [SurvivalCurveFigure.Curve] {
        let incidence = analysis.curves.filter { $0.eventType == type }
        let legends = legendEntries(incidence, analysis: analysis, type: type)
        return zip(incidence, legends).map { curve, legend in
            SurvivalCurveFigure.Curve(group: curve.group, start: 0, times: curve.times, estimates: curve.estimates,
                                      limits: limits(curve, analysis), censoredTimes: analysis.censoredTimes(group: curve.group),
                                      lastFollowUp: curve.lastFollowUp, n: curve.n, legend: legend)
        }
    }

    /// The interval of each estimate of `curve` (the analysis's method and level), nil where undefined.
    static func limits(_ curve: IncidenceCurve, _ analysis: CompetingRisksAnalysis) -> [(lower: Double, upper: Double)?] {
        curve.times.indices.map { i in
            let v = curve.variances[i]
            return v.isFinite && v >= 0
                ? analysis.interval.interval(estimate: curve.estimates[i], standardError: v.squareRoot(), level: analysis.level)
                : nil
        }
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

    /// The method, interval, competing events, n, the censoring marks, where the time axis cuts the
    /// follow-up (when it does) and Gray's test, as sentences.
    static func caption(_ analysis: CompetingRisksAnalysis, curves: [SurvivalCurveFigure.Curve], type: String, axisEnd: Double,
                        bandsDrawn: Bool) -> [String] {
        let others = analysis.eventTypes.filter { $0 != type }
        var lines = [others.isEmpty
            ? "Cumulative incidence of \(type) (Aalen-Johansen; with no competing event this is 1 - Kaplan-Meier)."
            : "Cumulative incidence of \(type) (Aalen-Johansen, as cmprsk::cuminc) with \(others.joined(separator: ", ")) as competing \(others.count == 1 ? "event" : "events")."]
        let level = NumberStyle.levelPercent(analysis.level)
        if bandsDrawn {
            let undefined = analysis.interval == .plain ? "" : "; none where undefined (before the first event)"
            lines.append("Shaded: pointwise \(level) confidence intervals, \(analysis.interval.displayName), from cmprsk's variance\(undefined).")
        } else {
            lines.append("Confidence bands not drawn (they would cover each other); the table gives the pointwise \(level) confidence intervals, \(analysis.interval.displayName).")
        }
        lines.append("n = \(analysis.nUsed) used, \(analysis.nDropped) dropped for missing values. Number at risk: patients still followed and free of every event type on that day.")
        if let note = SurvivalCurveFigure.censoringNote(curves, axisEnd: axisEnd) { lines.append(note) }
        if let note = SurvivalCurveFigure.cutAxisNote(curves, axisEnd: axisEnd, legendCounts: "the legend counts events over the whole follow-up") {
            // Said, so a reader of a cut axis knows the legend's event counts include later events.
            lines.append(note)
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
}

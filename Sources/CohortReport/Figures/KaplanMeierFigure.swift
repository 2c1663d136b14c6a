import CohortData
import CohortStats

/// Kaplan-Meier curves of event-free survival, one step curve a group, with censoring marks,
/// pointwise confidence bands and a numbers-at-risk table under the time axis
/// (``SurvivalCurveFigure`` draws them), as `plot(survfit(...), mark.time = TRUE, conf.int = TRUE)`.
///
/// The figure draws what `cohort km` estimates: S(t), the probability of being free of every event
/// type named, falling from 1 (not 1 - S: for one event type among competing ones that overstates
/// its incidence, and `cohort cuminc` draws the cumulative incidence). Every number drawn comes
/// from the ``SurvivalAnalysis``: the steps are the curve's event times
/// (``KaplanMeierCurve/survival``), each band segment is the analysis's interval of S on it (its
/// method and level, Greenwood variance, ``KaplanMeierCurve/pointwiseLimits(_:level:)``), a censoring
/// mark sits at each time with a censored patient (``KaplanMeierCurve/censored``), and the number at
/// risk on a tick day t is the group's patients with time >= t. The y axis runs from 0 to 100%,
/// labelled "Probability free of EVENT" for one event type and "Event-free probability" for several
/// (the title and caption name them; a long list cut on the axis, seen in Chromium, said nothing).
public enum KaplanMeierFigure {
    /// Kaplan-Meier step curves per group with CI bands, censoring marks and a numbers-at-risk table.
    /// `maxDay`, `timeStep` and `bands` as in ``CumulativeIncidenceFigure/svg(_:eventType:title:timeAxis:groupLabel:maxDay:timeStep:bands:)``.
    public static func svg(_ analysis: SurvivalAnalysis, title: String? = nil, timeAxis: AxisLabel = AxisLabel("Days since infusion"),
                           groupLabel: String? = nil, maxDay: Double? = nil, timeStep: Double? = nil, bands: Bool? = nil) -> String {
        let free = freeOf(analysis.eventTypes)
        let heading = title ?? "Survival free of \(free)" + ((groupLabel ?? analysis.groupColumn).map { " by \($0)" } ?? "")
        guard !analysis.curves.isEmpty, analysis.nUsed > 0 else {
            return MessageFigure.svg(title: heading, message: "No patients to draw: every row was dropped for missing values.")
        }
        let curves = analysis.curves.map { curve(for: $0, analysis: analysis) }
        let level = NumberStyle.levelPercent(analysis.level)
        let frame = SurvivalCurveFigure.Frame(
            title: heading, valueLabel: analysis.eventTypes.count == 1 ? "Probability free of \(free)" : "Event-free probability", timeAxis: timeAxis, groupLabel: groupLabel ?? analysis.groupColumn,
            showLegend: curves.count > 1 || analysis.groupColumn != nil, fullValueAxis: true,
            curveName: "Kaplan-Meier survival", bandName: "\(level) confidence band",
            caption: { axisEnd, bandsDrawn in caption(analysis, curves: curves, axisEnd: axisEnd, bandsDrawn: bandsDrawn) },
            summary: { bandsDrawn in
                "Kaplan-Meier step curves of survival free of \(free)" + (bandsDrawn ? " with \(level) confidence bands (\(analysis.interval.rawValue))." : ".")
            },
            atRisk: { day, group in
                guard let curve = analysis.curves.first(where: { $0.group == group }) else { return 0 }
                return curve.times.firstIndex(where: { $0 >= day }).map { curve.atRisk[$0] } ?? 0
            })
        return SurvivalCurveFigure.svg(curves, frame: frame, options: .init(maxDay: maxDay, timeStep: timeStep, bands: bands))
    }

    /// "death", "bleeding or death", "bleeding, thrombosis or death".
    public static func freeOf(_ types: [String]) -> String {
        guard let last = types.last else { return "events" }
        return types.count == 1 ? last : types.dropLast().joined(separator: ", ") + " or " + last
    }

    /// The plain curve of `curve`: its event times only (S and its interval change nowhere else).
    static func curve(for curve: KaplanMeierCurve, analysis: SurvivalAnalysis) -> SurvivalCurveFigure.Curve {
        let limits = curve.pointwiseLimits(analysis.interval, level: analysis.level)
        let jumps = curve.times.indices.filter { curve.events[$0] > 0 }
        let events = curve.events.reduce(0, +)
        return SurvivalCurveFigure.Curve(
            group: curve.group, start: 1, times: jumps.map { curve.times[$0] }, estimates: jumps.map { curve.survival[$0] },
            limits: jumps.map { limits[$0] }, censoredTimes: curve.times.indices.filter { curve.censored[$0] > 0 }.map { curve.times[$0] },
            lastFollowUp: curve.lastFollowUp, n: curve.n, legend: "\(curve.group) (n = \(curve.n), \(events) \(events == 1 ? "event" : "events"))")
    }

    static func caption(_ analysis: SurvivalAnalysis, curves: [SurvivalCurveFigure.Curve], axisEnd: Double, bandsDrawn: Bool) -> [String] {
        let level = NumberStyle.levelPercent(analysis.level)
        var lines = ["Kaplan-Meier estimate (as survival::survfit) of survival free of \(freeOf(analysis.eventTypes))"
                     + (analysis.eventTypes.count > 1 ? " (the first of these events ends it)." : ".")]
        lines.append(bandsDrawn
            ? "Shaded: pointwise \(level) confidence intervals, \(analysis.interval.displayName), from Greenwood's variance; none where undefined."
            : "Confidence bands not drawn (they would cover each other); the table gives the pointwise \(level) confidence intervals, \(analysis.interval.displayName).")
        lines.append("n = \(analysis.nUsed) used, \(analysis.nDropped) dropped for missing values. Number at risk: patients still followed and event-free on that day.")
        if let note = SurvivalCurveFigure.censoringNote(curves, axisEnd: axisEnd) { lines.append(note) }
        if let note = SurvivalCurveFigure.cutAxisNote(curves, axisEnd: axisEnd, legendCounts: "the legend counts events over the whole follow-up") {
            lines.append(note)
        }
        return lines
    }
}

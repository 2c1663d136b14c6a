import CohortData
import CohortStats

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forest plot of a logistic model's odds ratios: one row a term (the intercept left out), the
/// odds ratio exp(β) as a square and its confidence interval (the analysis's method and level,
/// exponentiated) as a line, on a log axis with a dashed reference line at OR = 1.
///
/// The axis covers every finite odds ratio and limit and 0.8 … 1.25 (so the reference line is never
/// at an edge), but never beyond 1/1000 … 1000: a limit
/// outside (or an infinite one, or an odds ratio of 0 or ∞ under separation) is drawn as an arrow
/// at the edge of the axis, and its number is still printed in the right-hand column. An aliased
/// term is listed as "not estimable", a term without an interval as "CI not computed"; the caption
/// names the interval method and level, the model (ML or Firth), n, dropped rows and events.
public enum ForestPlot {
    static let width = 760.0
    static let rowHeight = 26.0
    /// The widest axis drawn: beyond this an odds ratio is an arrow.
    static let axisLimit = 1000.0

    /// One row of the plot, the numbers it draws already checked.
    struct Row {
        let label: String
        /// exp(β), or nil when not estimable (aliased, or β not finite).
        let oddsRatio: Double?
        let interval: (lower: Double, upper: Double)?
        let note: String?
    }

    /// Odds ratios with their CIs on a log axis, one row a term (aliased/unestimable terms listed as "not estimable"), a line at OR = 1, the CI method and model (ML/Firth, n, events) in a caption.
    public static func svg(_ analysis: LogisticAnalysis, title: String? = nil, termLabels: [String: String] = [:]) -> String {
        let fit = analysis.fit
        let heading = title ?? "Odds ratios for \(fit.outcome)"
        let rows = self.rows(analysis, termLabels: termLabels)
        guard !rows.isEmpty else {
            return MessageFigure.svg(title: heading, message: "The model has no terms besides the intercept: no odds ratios to plot.")
        }
        let style = NumberStyle(significantDigits: 3)
        let plotTop = 62 + SVGDocument.titleShift(heading, width: width)
        let drawn: [Double] = rows.flatMap { [$0.oddsRatio, $0.interval?.lower, $0.interval?.upper].compactMap { $0 } }
        let values: [Double] = drawn.filter { $0 > 0 && $0.isFinite }.map { min(max($0, 1 / axisLimit), axisLimit) } + [0.8, 1.25]
        let axis = Axis.log(from: values.min() ?? 0.5, to: values.max() ?? 2)

        let labelWidth = min(max(rows.map { FigureStyle.textWidth($0.label) }.max() ?? 0, 120), 300)
        let left = 20 + labelWidth + 16
        let textColumn = width - 190
        let right = textColumn - 20
        let bottom = plotTop + rowHeight * Double(rows.count) + 6
        let x = { (v: Double) in axis.position(v, from: left, to: right) }

        let captionLines = caption(analysis).flatMap { FigureStyle.wrap($0, width: Int((width - 40) / 6.2)) }
        let captionTop = bottom + 62
        var doc = SVGDocument(width: width, height: captionTop + 14 * Double(captionLines.count) + 10)
        doc.title(heading)
        doc.text(20, plotTop - 12, "Term", bold: true)
        doc.text(textColumn, plotTop - 12, "OR (\(NumberStyle.levelPercent(analysis.level)) CI)", bold: true)

        for tick in axis.ticks {
            doc.line(x(tick), plotTop - 4, x(tick), bottom, stroke: "#eeeeee", width: 0.75)
            doc.line(x(tick), bottom, x(tick), bottom + 5)
            doc.text(x(tick), bottom + 18, Axis.label(tick), anchor: .middle, className: "tick")
        }
        doc.line(left, bottom, right, bottom)
        doc.line(x(1), plotTop - 4, x(1), bottom, stroke: "#555555", width: 1, dash: "4 3", className: "reference")
        doc.text(left + (right - left) / 2, bottom + 38, "Odds ratio (log scale)", anchor: .middle)

        for (i, row) in rows.enumerated() {
            let y = plotTop + rowHeight * (Double(i) + 0.5)
            doc.beginGroup(row.label)
            doc.text(20, y + 4, FigureStyle.truncated(row.label, toWidth: labelWidth))
            guard let or = row.oddsRatio else {
                doc.text(left + 8, y + 4, row.note ?? "not estimable", className: "tick", fill: "#555555")
                doc.text(textColumn, y + 4, "not estimable", className: "tick")
                doc.endGroup()
                continue
            }
            if let interval = row.interval {
                let lo = x(clamped(interval.lower, axis)), hi = x(clamped(interval.upper, axis))
                doc.line(lo, y, hi, y, width: 1.5)
                if interval.lower >= axis.lower { doc.line(lo, y - 5, lo, y + 5, width: 1.5) } else { arrow(&doc, at: lo, y: y, pointing: -1) }
                if interval.upper <= axis.upper { doc.line(hi, y - 5, hi, y + 5, width: 1.5) } else { arrow(&doc, at: hi, y: y, pointing: 1) }
            }
            if or < axis.lower || or > axis.upper {
                arrow(&doc, at: x(clamped(or, axis)), y: y, pointing: or < axis.lower ? -1 : 1)
            } else {
                doc.rect(x(or) - 4.5, y - 4.5, 9, 9, fill: FigureStyle.palette[0])
            }
            let interval = row.interval.map { " (\(ratio($0.lower, style))–\(ratio($0.upper, style)))" } ?? ""
            doc.text(textColumn, y + 4, ratio(or, style) + interval, className: "tick")
            if let note = row.note { doc.text(textColumn, y + 15, note, className: "small", fill: "#555555") }
            doc.endGroup()
        }
        for (i, line) in captionLines.enumerated() {
            doc.text(20, captionTop + 14 * Double(i), line, className: "caption")
        }
        return doc.rendered(title: heading, description: description(rows, analysis: analysis, style: style))
    }

    /// Every coefficient but the intercept, in the model's order, with what can be drawn.
    static func rows(_ analysis: LogisticAnalysis, termLabels: [String: String]) -> [Row] {
        let fit = analysis.fit
        let separated = Set(fit.separatedColumns)
        return fit.coefficientNames.indices.compactMap { j in
            if fit.terms.first(where: { $0.columns.contains(j) })?.kind == .intercept { return nil }
            let name = fit.coefficientNames[j]
            let label = termLabels[name] ?? name
            if fit.aliased[j] { return Row(label: label, oddsRatio: nil, interval: nil, note: "not estimable (aliased)") }
            let beta = fit.coefficients[j]
            guard !beta.isNaN else { return Row(label: label, oddsRatio: nil, interval: nil, note: "not estimable") }
            let interval = analysis.intervals[j].flatMap { ci -> (lower: Double, upper: Double)? in
                ci.lower.isNaN || ci.upper.isNaN ? nil : (PortableMath.exp(ci.lower), PortableMath.exp(ci.upper))
            }
            var notes: [String] = []
            if separated.contains(name) { notes.append("separation") }
            if interval == nil { notes.append("CI not computed") }
            return Row(label: label, oddsRatio: PortableMath.exp(beta), interval: interval, note: notes.isEmpty ? nil : notes.joined(separator: "; "))
        }
    }

    static func clamped(_ value: Double, _ axis: Axis) -> Double {
        value.isNaN ? 1 : min(max(value, axis.lower), axis.upper)
    }

    /// An arrowhead at the axis edge: the value lies beyond it.
    static func arrow(_ doc: inout SVGDocument, at x: Double, y: Double, pointing direction: Double) {
        doc.polygon([(x + 6 * direction, y), (x - 3 * direction, y - 5), (x - 3 * direction, y + 5)], fill: "#000000")
    }

    /// An odds ratio or limit as printed: 3 significant digits, "0" and "∞" for the ends.
    static func ratio(_ value: Double, _ style: NumberStyle) -> String {
        if value == 0 { return "0" }
        if value.isInfinite { return "∞" }
        return style.number(value)
    }

    static func caption(_ analysis: LogisticAnalysis) -> [String] {
        let fit = analysis.fit
        let method = analysis.intervalMethod == .profile
            ? (fit.method == .firth ? "profile penalised likelihood" : "profile likelihood") : "Wald (estimate ± z·SE)"
        let model = fit.method == .firth ? "Firth penalised logistic regression" : "logistic regression (maximum likelihood)"
        var lines = [
            "Squares: odds ratios; lines: \(NumberStyle.levelPercent(analysis.level)) confidence intervals (\(method)), on a log scale; dashed line: OR = 1. Arrows: beyond the axis.",
            "Model: \(model) of \(fit.outcome) (event = \(fit.eventLabel)); n = \(fit.nObservations) used, \(fit.nDropped) dropped for missing values; \(fit.nEvents) events; \(CoefficientTable.convergenceLine(fit)).",
        ]
        let references = fit.terms.compactMap { term -> String? in
            if case .categorical(let reference, _) = term.kind { return "\(term.name): reference '\(reference)'" }
            return nil
        }
        if !references.isEmpty { lines.append("Reference levels: " + references.joined(separator: "; ") + ".") }
        lines += analysis.warnings.map { "Warning: " + ($0.hasSuffix(".") ? $0 : $0 + ".") }
        return lines
    }

    static func description(_ rows: [Row], analysis: LogisticAnalysis, style: NumberStyle) -> String {
        let parts = rows.map { row -> String in
            guard let or = row.oddsRatio else { return "\(row.label): not estimable" }
            let interval = row.interval.map { " (\(ratio($0.lower, style)) to \(ratio($0.upper, style)))" } ?? " (no CI)"
            return "\(row.label): OR \(ratio(or, style))" + interval
        }
        return "Forest plot of odds ratios with \(NumberStyle.levelPercent(analysis.level)) confidence intervals. " + parts.joined(separator: "; ") + "."
    }
}

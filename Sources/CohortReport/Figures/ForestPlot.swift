import CohortData
import CohortStats

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forest plot of ratio estimates (odds ratios, hazard ratios, subdistribution hazard ratios):
/// one row a term, the estimate as a square and its confidence interval as a line, on a log axis
/// with a dashed reference line at 1. The figure takes plain ``Row`` values and the ``Measure``'s
/// name; a model's adapter turns its fit into rows and its caption (the logistic one is
/// ``svg(_:title:termLabels:)``; Cox and Fine-Gray call ``svg(rows:measure:level:intervalMethod:title:caption:rowHeading:)``).
///
/// The axis covers every finite estimate and limit and 0.8 … 1.25 (so the reference line is never
/// at an edge), but never beyond 1/1000 … 1000: a limit outside (or an infinite one, or an estimate
/// of 0 or ∞ under separation) is drawn as an arrow at the edge of the axis, and its number is still
/// printed in the right-hand column. A row without an estimate is listed as "not estimable" (its
/// note saying why), a row without an interval says so in its note, and a reference row (a
/// categorical covariate's reference level) is drawn as an open square on the line at 1.
public enum ForestPlot {
    static let width = 760.0
    static let rowHeight = 26.0
    /// The widest axis drawn: beyond this an estimate is an arrow.
    static let axisLimit = 1000.0

    /// What is plotted: the axis title's name ("Hazard ratio") and the column's abbreviation ("HR").
    public struct Measure: Sendable, Equatable {
        public var name: String
        public var abbreviation: String

        public init(name: String, abbreviation: String) {
            self.name = name
            self.abbreviation = abbreviation
        }

        public static let oddsRatio = Measure(name: "Odds ratio", abbreviation: "OR")
        public static let hazardRatio = Measure(name: "Hazard ratio", abbreviation: "HR")
        public static let subdistributionHazardRatio = Measure(name: "Subdistribution hazard ratio", abbreviation: "SHR")

        /// "odds ratios", for sentences.
        var plural: String { name.lowercased() + "s" }
    }

    /// One row of the plot: a term with its ratio (already exponentiated) and interval.
    public struct Row: Sendable, Equatable {
        public var label: String
        /// The ratio, or nil when it is not estimable (aliased, β not finite).
        public var estimate: Double?
        /// The interval's limits; nil (either) when there is none.
        public var lower: Double?
        public var upper: Double?
        /// Printed under the numbers ("separation"; for a row without an estimate, why: "not estimable (aliased)").
        public var note: String?
        /// A categorical covariate's reference level: drawn at 1, printed "1 (reference)".
        public var isReference: Bool

        public init(label: String, estimate: Double?, lower: Double? = nil, upper: Double? = nil, note: String? = nil, isReference: Bool = false) {
            self.label = label
            self.estimate = estimate
            self.lower = lower
            self.upper = upper
            self.note = note
            self.isReference = isReference
        }

        /// The reference level of a categorical covariate.
        public static func reference(_ label: String) -> Row { Row(label: label, estimate: 1, isReference: true) }

        /// Both limits, when both are given and not NaN.
        var interval: (lower: Double, upper: Double)? {
            guard let lower, let upper, !lower.isNaN, !upper.isNaN else { return nil }
            return (lower, upper)
        }
    }

    /// Odds ratios with their CIs on a log axis, one row a term (aliased/unestimable terms listed as "not estimable"), a line at OR = 1, the CI method and model (ML/Firth, n, events) in a caption.
    public static func svg(_ analysis: LogisticAnalysis, title: String? = nil, termLabels: [String: String] = [:]) -> String {
        let fit = analysis.fit
        let heading = title ?? "Odds ratios for \(fit.outcome)"
        let rows = self.rows(analysis, termLabels: termLabels)
        guard !rows.isEmpty else {
            return MessageFigure.svg(title: heading, message: "The model has no terms besides the intercept: no odds ratios to plot.")
        }
        let method = analysis.intervalMethod == .profile
            ? (fit.method == .firth ? "profile penalised likelihood" : "profile likelihood") : "Wald (estimate ± z·SE)"
        return svg(rows: rows, measure: .oddsRatio, level: analysis.level, intervalMethod: method, title: heading, caption: caption(analysis))
    }

    /// Ratios with their confidence intervals on a log axis, one row a term, with a dashed line at 1.
    ///
    /// - Parameters:
    ///   - rows: the terms, top to bottom, estimates and limits on the ratio scale.
    ///   - measure: names the axis ("Hazard ratio (log scale)"), the column ("HR (95% CI)") and the captions.
    ///   - level: the intervals' confidence level.
    ///   - intervalMethod: how the intervals were computed ("Wald (estimate ± z·SE)", "profile likelihood").
    ///   - title: the figure's title.
    ///   - caption: sentences after the figure's own reading guide: the model, n, events, convergence,
    ///     reference levels, warnings.
    ///   - rowHeading: the heading of the label column.
    /// - Returns: the SVG document; with no rows, a figure saying there is nothing to plot.
    public static func svg(rows: [Row], measure: Measure, level: Double, intervalMethod: String, title: String, caption: [String] = [],
                           rowHeading: String = "Term") -> String {
        let heading = title
        guard !rows.isEmpty else {
            return MessageFigure.svg(title: heading, message: "No terms: no \(measure.plural) to plot.")
        }
        let style = NumberStyle(significantDigits: 3)
        let plotTop = 62 + SVGDocument.titleShift(heading, width: width)
        let drawn: [Double] = rows.filter { !$0.isReference }.flatMap { [$0.estimate, $0.interval?.lower, $0.interval?.upper].compactMap { $0 } }
        let values: [Double] = drawn.filter { $0 > 0 && $0.isFinite }.map { min(max($0, 1 / axisLimit), axisLimit) } + [0.8, 1.25]
        let axis = Axis.log(from: values.min() ?? 0.5, to: values.max() ?? 2)

        let labelWidth = min(max(rows.map { FigureStyle.textWidth($0.label) }.max() ?? 0, 120), 300)
        let left = 20 + labelWidth + 16
        let textColumn = width - 190
        let right = textColumn - 20
        let bottom = plotTop + rowHeight * Double(rows.count) + 6
        let x = { (v: Double) in axis.position(v, from: left, to: right) }

        let levelText = NumberStyle.levelPercent(level)
        let guide = "Squares: \(measure.plural); lines: \(levelText) confidence intervals (\(intervalMethod)), on a log scale; dashed line: \(measure.abbreviation) = 1. Arrows: beyond the axis."
            + (rows.contains(where: \.isReference) ? " Open squares: reference levels." : "")
        let captionLines = ([guide] + caption).flatMap { FigureStyle.wrap($0, width: Int((width - 40) / 6.2)) }
        let captionTop = bottom + 62
        var doc = SVGDocument(width: width, height: captionTop + 14 * Double(captionLines.count) + 10)
        doc.title(heading)
        doc.text(20, plotTop - 12, rowHeading, bold: true)
        doc.text(textColumn, plotTop - 12, "\(measure.abbreviation) (\(levelText) CI)", bold: true)

        for tick in axis.ticks {
            doc.line(x(tick), plotTop - 4, x(tick), bottom, stroke: "#eeeeee", width: 0.75)
            doc.line(x(tick), bottom, x(tick), bottom + 5)
            doc.text(x(tick), bottom + 18, Axis.label(tick), anchor: .middle, className: "tick")
        }
        doc.line(left, bottom, right, bottom)
        doc.line(x(1), plotTop - 4, x(1), bottom, stroke: "#555555", width: 1, dash: "4 3", className: "reference")
        doc.text(left + (right - left) / 2, bottom + 38, "\(measure.name) (log scale)", anchor: .middle)

        for (i, row) in rows.enumerated() {
            let y = plotTop + rowHeight * (Double(i) + 0.5)
            doc.beginGroup(row.label)
            doc.text(20, y + 4, FigureStyle.truncated(row.label, toWidth: labelWidth))
            if row.isReference {
                doc.rect(x(1) - 4.5, y - 4.5, 9, 9, fill: "#ffffff", stroke: FigureStyle.palette[0])
                doc.text(textColumn, y + 4, "1 (reference)", className: "tick")
                doc.endGroup()
                continue
            }
            guard let estimate = row.estimate, !estimate.isNaN else {
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
            if estimate < axis.lower || estimate > axis.upper {
                arrow(&doc, at: x(clamped(estimate, axis)), y: y, pointing: estimate < axis.lower ? -1 : 1)
            } else {
                doc.rect(x(estimate) - 4.5, y - 4.5, 9, 9, fill: FigureStyle.palette[0])
            }
            let interval = row.interval.map { " (\(ratio($0.lower, style))–\(ratio($0.upper, style)))" } ?? ""
            doc.text(textColumn, y + 4, ratio(estimate, style) + interval, className: "tick")
            if let note = row.note { doc.text(textColumn, y + 15, note, className: "small", fill: "#555555") }
            doc.endGroup()
        }
        for (i, line) in captionLines.enumerated() {
            doc.text(20, captionTop + 14 * Double(i), line, className: "caption")
        }
        return doc.rendered(title: heading, description: description(rows, measure: measure, level: level, style: style))
    }

    /// Every coefficient but the intercept, in the model's order, with what can be drawn.
    static func rows(_ analysis: LogisticAnalysis, termLabels: [String: String]) -> [Row] {
        let fit = analysis.fit
        let separated = Set(fit.separatedColumns)
        return fit.coefficientNames.indices.compactMap { j in
            if fit.terms.first(where: { $0.columns.contains(j) })?.kind == .intercept { return nil }
            let name = fit.coefficientNames[j]
            let label = termLabels[name] ?? name
            if fit.aliased[j] { return Row(label: label, estimate: nil, note: "not estimable (aliased)") }
            let beta = fit.coefficients[j]
            guard !beta.isNaN else { return Row(label: label, estimate: nil, note: "not estimable") }
            let interval = analysis.intervals[j].flatMap { ci -> (lower: Double, upper: Double)? in
                ci.lower.isNaN || ci.upper.isNaN ? nil : (PortableMath.exp(ci.lower), PortableMath.exp(ci.upper))
            }
            var notes: [String] = []
            if separated.contains(name) { notes.append("separation") }
            if interval == nil { notes.append("CI not computed") }
            return Row(label: label, estimate: PortableMath.exp(beta), lower: interval?.lower, upper: interval?.upper,
                       note: notes.isEmpty ? nil : notes.joined(separator: "; "))
        }
    }

    static func clamped(_ value: Double, _ axis: Axis) -> Double {
        value.isNaN ? 1 : min(max(value, axis.lower), axis.upper)
    }

    /// An arrowhead at the axis edge: the value lies beyond it.
    static func arrow(_ doc: inout SVGDocument, at x: Double, y: Double, pointing direction: Double) {
        doc.polygon([(x + 6 * direction, y), (x - 3 * direction, y - 5), (x - 3 * direction, y + 5)], fill: "#000000")
    }

    /// A ratio or limit as printed: 3 significant digits, "0" and "∞" for the ends.
    static func ratio(_ value: Double, _ style: NumberStyle) -> String {
        if value == 0 { return "0" }
        if value.isInfinite { return "∞" }
        return style.number(value)
    }

    /// The logistic model's sentences after the reading guide: model, n, events, convergence,
    /// reference levels and warnings.
    static func caption(_ analysis: LogisticAnalysis) -> [String] {
        let fit = analysis.fit
        let model = fit.method == .firth ? "Firth penalised logistic regression" : "logistic regression (maximum likelihood)"
        var lines = [
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

    /// A sentence a screen reader can read instead of the picture: every row's numbers.
    static func description(_ rows: [Row], measure: Measure, level: Double, style: NumberStyle) -> String {
        let parts = rows.map { row -> String in
            if row.isReference { return "\(row.label): reference" }
            guard let estimate = row.estimate, !estimate.isNaN else { return "\(row.label): not estimable" }
            let interval = row.interval.map { " (\(ratio($0.lower, style)) to \(ratio($0.upper, style)))" } ?? " (no CI)"
            return "\(row.label): \(measure.abbreviation) \(ratio(estimate, style))" + interval
        }
        return "Forest plot of \(measure.plural) with \(NumberStyle.levelPercent(level)) confidence intervals. " + parts.joined(separator: "; ") + "."
    }
}

import CohortData
import CohortStats

/// The forest plot of a meta-analysis (`cohort meta --svg`): one row a study, its estimate as a
/// square whose side grows with the square root of its weight and its CI as a line, then the pooled
/// estimate as a diamond spanning its CI, with a dashed line at no effect (0, or 1 on the ratio
/// scale when `exponentiate`, on a log axis). The right-hand columns print each row's estimate and CI
/// and its weight; the caption states the method, k, τ², I² and Q (``MetaTable/summary``). The
/// styles, fonts and the determinism of ``ForestPlot`` (same ``SVGDocument``; numbers at fixed
/// significant digits).
public enum MetaForestPlot {
    static let width = 760.0
    static let rowHeight = 24.0

    public static func svg(_ result: MetaAnalysis.Result, estimateColumn: String, source: String, exponentiate: Bool = false, title: String? = nil) -> String {
        let heading = title ?? "Meta-analysis of \(estimateColumn)"
        let style = NumberStyle(significantDigits: 3)
        let z = Normal.quantile((1 + result.level) / 2)
        let transform = { (x: Double) in exponentiate ? PortableMath.exp(x) : x }
        struct Row { let label: String; let estimate: Double; let lower: Double; let upper: Double; let weight: Double }
        let rows = result.studies.enumerated().map { i, s in
            Row(label: s.label, estimate: transform(s.estimate), lower: transform(s.estimate - z * s.standardError),
                upper: transform(s.estimate + z * s.standardError), weight: result.weights[i])
        }
        let pooled = Row(label: MetaTable.pooledLabel(result), estimate: transform(result.estimate), lower: transform(result.lower),
                         upper: transform(result.upper), weight: 100)
        let null = exponentiate ? 1.0 : 0.0
        let values = (rows + [pooled]).flatMap { [$0.lower, $0.upper] }.filter { $0.isFinite && (!exponentiate || $0 > 0) } + [null]
        let axis = exponentiate
            ? Axis.log(from: max(values.min() ?? 0.5, 1 / ForestPlot.axisLimit), to: min(values.max() ?? 2, ForestPlot.axisLimit))
            : Axis.linear(from: values.min() ?? -1, to: values.max() ?? 1)

        let plotTop = 62 + SVGDocument.titleShift(heading, width: width)
        let labelWidth = min(max((rows + [pooled]).map { FigureStyle.textWidth($0.label) }.max() ?? 0, 100), 260)
        let left = 20 + labelWidth + 16
        // 235: room for the bold "exp(estimate) (95% CI)" header before "Weight".
        let textColumn = width - 235, weightColumn = width - 24
        let right = textColumn - 20
        let pooledY = plotTop + rowHeight * (Double(rows.count) + 0.9)
        let bottom = pooledY + rowHeight * 0.6
        let x = { (v: Double) in axis.position(min(max(v, axis.lower), axis.upper), from: left, to: right) }
        let levelText = NumberStyle.levelPercent(result.level)
        let scale = exponentiate ? "exp(\(estimateColumn)), log scale" : estimateColumn
        let guide = "Squares: study estimates (area by weight); lines: \(levelText) CIs (estimate ± z·SE); diamond: the pooled estimate and its CI; dashed line: \(exponentiate ? "1" : "0") (no effect)."
        let captionLines = ([guide] + MetaTable.summary(result, estimateColumn: estimateColumn, source: source, style: style))
            .flatMap { FigureStyle.wrap($0, width: Int((width - 40) / 6.2)) }
        let captionTop = bottom + 62
        var doc = SVGDocument(width: width, height: captionTop + 14 * Double(captionLines.count) + 10)
        doc.title(heading)
        doc.text(20, plotTop - 12, "Study", bold: true)
        doc.text(textColumn, plotTop - 12, "\(exponentiate ? "exp(estimate)" : "Estimate") (\(levelText) CI)", bold: true)
        doc.text(weightColumn, plotTop - 12, "Weight", anchor: .end, bold: true)
        for tick in axis.ticks {
            doc.line(x(tick), plotTop - 4, x(tick), bottom, stroke: "#eeeeee", width: 0.75)
            doc.line(x(tick), bottom, x(tick), bottom + 5)
            doc.text(x(tick), bottom + 18, Axis.label(tick), anchor: .middle, className: "tick")
        }
        doc.line(left, bottom, right, bottom)
        doc.line(x(null), plotTop - 4, x(null), bottom, stroke: "#555555", width: 1, dash: "4 3", className: "reference")
        doc.text(left + (right - left) / 2, bottom + 38, scale, anchor: .middle)

        let maxWeight = rows.map(\.weight).max() ?? 1
        for (i, row) in rows.enumerated() {
            let y = plotTop + rowHeight * (Double(i) + 0.5)
            doc.beginGroup(row.label)
            doc.text(20, y + 4, FigureStyle.truncated(row.label, toWidth: labelWidth))
            let lo = x(row.lower), hi = x(row.upper)
            doc.line(lo, y, hi, y, width: 1.5)
            if row.lower >= axis.lower { doc.line(lo, y - 4, lo, y + 4, width: 1.5) } else { ForestPlot.arrow(&doc, at: lo, y: y, pointing: -1) }
            if row.upper <= axis.upper { doc.line(hi, y - 4, hi, y + 4, width: 1.5) } else { ForestPlot.arrow(&doc, at: hi, y: y, pointing: 1) }
            let side = 4 + 10 * (row.weight / maxWeight).squareRoot()
            doc.rect(x(row.estimate) - side / 2, y - side / 2, side, side, fill: FigureStyle.palette[0])
            doc.text(textColumn, y + 4, "\(style.number(row.estimate)) (\(style.interval(row.lower, row.upper)))", className: "tick")
            doc.text(weightColumn, y + 4, NumberStyle.fixed(row.weight, decimals: 1) + "%", anchor: .end, className: "tick")
            doc.endGroup()
        }
        doc.line(20, pooledY - rowHeight * 0.55, weightColumn, pooledY - rowHeight * 0.55, stroke: "#999999", width: 0.75)
        doc.beginGroup(pooled.label)
        doc.text(20, pooledY + 4, FigureStyle.truncated(pooled.label, toWidth: labelWidth), bold: true)
        doc.polygon([(x(pooled.lower), pooledY), (x(pooled.estimate), pooledY - 7), (x(pooled.upper), pooledY), (x(pooled.estimate), pooledY + 7)],
                    fill: "#000000")
        doc.text(textColumn, pooledY + 4, "\(style.number(pooled.estimate)) (\(style.interval(pooled.lower, pooled.upper)))", className: "tick", bold: true)
        doc.text(weightColumn, pooledY + 4, "100%", anchor: .end, className: "tick", bold: true)
        doc.endGroup()
        for (i, line) in captionLines.enumerated() {
            doc.text(20, captionTop + 14 * Double(i), line, className: "caption")
        }
        let described = (rows + [pooled]).map { "\($0.label): \(style.number($0.estimate)) (\(style.interval($0.lower, $0.upper)))" }
        return doc.rendered(title: heading, description: "Forest plot of \(result.k) studies with \(levelText) confidence intervals and the pooled estimate. "
                            + described.joined(separator: "; ") + ".")
    }
}

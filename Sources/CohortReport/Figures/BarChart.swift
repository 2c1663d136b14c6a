/// Horizontal bars of counts, one a category in the order given, with the count (and its
/// percentage of a denominator) printed at the end of each bar and a linear count axis from 0.
///
/// The rows without a value are not a bar, but they are never dropped unsaid: the figure's note and
/// description give "n missing = K" (issue 13), so a reader can check the bars against the table
/// beside them (whose "missing" row gives the same K).
///
/// An empty category list, or counts that are all 0, gives a figure that says "no events" rather
/// than an empty plot. Negative counts are drawn as 0 (counts cannot be negative; the label still
/// prints the number given, so the mistake stays visible).
public enum BarChart {
    static let width = 680.0
    static let barHeight = 20.0
    static let gap = 10.0

    /// Horizontal bars of counts (e.g. bleeding sites or thrombosis types), the count (and % of `denominator` when given) printed at each bar.
    /// - Parameter missing: the rows counted in no bar because they have no value; required, so that
    ///   no caller can leave them out without saying so (0 when every row has a value).
    public static func svg(title: String, categories: [(label: String, count: Int)], valueAxis: AxisLabel = AxisLabel("Patients"), denominator: Int? = nil,
                           missing: Int) -> String {
        let total = categories.reduce(0) { $0 + max($1.count, 0) }
        let missingNote = "n missing = \(missing) (rows with no value; not drawn)."
        guard total > 0 else {
            return MessageFigure.svg(title: title, message: (categories.isEmpty ? "No events: there are no categories to show."
                                                                                : "No events: every category has a count of 0.") + " " + missingNote)
        }
        let shift = SVGDocument.titleShift(title, width: width)
        let plotTop = 48 + shift
        let labelWidth = min(max(categories.map { FigureStyle.textWidth($0.label) }.max() ?? 0, 80), 260)
        let left = 20 + labelWidth + 12
        let right = width - 110
        let bottom = plotTop + (barHeight + gap) * Double(categories.count) + gap / 2
        let axis = Axis.linear(from: 0, to: Double(categories.map(\.count).max() ?? 1), maxTicks: 6)
        let x = { (v: Double) in axis.position(max(v, 0), from: left, to: right) }
        let denominatorNote = denominator.map { "Percentages of \($0) \(valueAxis.text.lowercased())." }
        var doc = SVGDocument(width: width, height: bottom + 66 + (denominatorNote == nil ? 0 : 16))
        doc.title(title)
        for tick in axis.ticks where tick == tick.rounded() {
            doc.line(x(tick), plotTop - 4, x(tick), bottom, stroke: "#eeeeee", width: 0.75)
            doc.line(x(tick), bottom, x(tick), bottom + 5)
            doc.text(x(tick), bottom + 18, Axis.label(tick), anchor: .middle, className: "tick")
        }
        doc.line(left, plotTop - 4, left, bottom)
        doc.line(left, bottom, right, bottom)
        doc.text(left + (right - left) / 2, bottom + 38, valueAxis.rendered, anchor: .middle)
        for (i, category) in categories.enumerated() {
            let top = plotTop + gap / 2 + (barHeight + gap) * Double(i)
            doc.beginGroup(category.label)
            doc.text(left - 8, top + barHeight / 2 + 4, FigureStyle.truncated(category.label, toWidth: labelWidth), anchor: .end)
            doc.rect(left, top, x(Double(category.count)) - left, barHeight, fill: FigureStyle.palette[0])
            doc.text(x(Double(category.count)) + 6, top + barHeight / 2 + 4, valueText(category.count, denominator: denominator), className: "tick")
            doc.endGroup()
        }
        let notes = [denominatorNote, missingNote].compactMap { $0 }
        for (i, note) in notes.enumerated() { doc.text(20, bottom + 58 + 16 * Double(i), note, className: "caption") }
        let parts = categories.map { "\($0.label): \(valueText($0.count, denominator: denominator))" }
        return doc.rendered(title: title, description: "Bar chart of \(valueAxis.text.lowercased()) by category. " + parts.joined(separator: "; ") + ". " + missingNote)
    }

    /// "12" or "12 (34.3%)"; no percentage for a denominator of 0 or less.
    static func valueText(_ count: Int, denominator: Int?) -> String {
        guard let denominator, denominator > 0 else { return String(count) }
        return "\(count) (\(NumberStyle.fixed(100 * Double(count) / Double(denominator), decimals: 1))%)"
    }
}

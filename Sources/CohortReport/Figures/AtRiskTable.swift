/// The numbers-at-risk table under a time axis: one row a group, with the group's line sample, its
/// name, and its number at risk under each x tick. Shared by every figure with such a table (the
/// cumulative incidence curves today), so its layout rule is written once.
///
/// Layout (issue 13: names ran into the day-0 counts). The first count of each row is centred on
/// the axis start `left`; the names are right-aligned so that they end at least ``gap`` px (by
/// ``FigureStyle/textWidth(_:fontSize:)``, an over-estimate) before the widest first count begins,
/// and never closer to the axis than ``axisClearance`` px, like the y tick labels. `left` moves right
/// to make room, so neither a long name nor a four-digit count can overlap; a name wider than
/// ``maxLabelWidth`` is cut with "…" (the legend keeps the full name), so the plot keeps its width.
struct AtRiskTable {
    static let fontSize = 11.0
    /// The line sample of each row runs from x 20 to 34; names start no further left than 6 px after it.
    static let sampleStart = 20.0
    static let sampleEnd = 34.0
    static let gap = 4.0
    static let axisClearance = 12.0
    static let maxLabelWidth = 200.0

    /// The group names as drawn (cut to ``maxLabelWidth``).
    let labels: [String]
    /// `counts[row][column]`: the number at risk of group `row` on tick `column`.
    let counts: [[Int]]
    /// The x of the axis start, where the first column is centred.
    let left: Double
    /// Where the right-aligned names end.
    let labelEnd: Double

    /// - Parameters:
    ///   - groups: one name a row.
    ///   - counts: one list a row, one count a tick, the first at the axis start.
    ///   - minimumLeft: the axis start when nothing in the table needs more room (the figure's own margin).
    init(groups: [String], counts: [[Int]], minimumLeft: Double) {
        labels = groups.map { FigureStyle.truncated($0, toWidth: Self.maxLabelWidth, fontSize: Self.fontSize) }
        self.counts = counts
        let labelWidth = labels.map { FigureStyle.textWidth($0, fontSize: Self.fontSize) }.max() ?? 0
        let firstHalf = counts.compactMap(\.first).map { FigureStyle.textWidth(String($0), fontSize: Self.fontSize) / 2 }.max() ?? 0
        let clearance = max(Self.axisClearance, firstHalf + Self.gap)
        left = max(minimumLeft, Self.sampleEnd + 6 + labelWidth + clearance)
        labelEnd = left - clearance
    }

    /// Which of evenly spaced ticks get a text: every one, or every `k`-th (from the first) when
    /// neighbouring texts would touch (a long name narrows the axis, and up to 20 ticks may be asked
    /// for): the widest text plus ``columnGap`` must fit between two.
    static func stride(texts: [String], ticks: [Double], x: (Double) -> Double) -> Int {
        guard ticks.count > 1 else { return 1 }
        let spacing = x(ticks[1]) - x(ticks[0])
        let widest = texts.map { FigureStyle.textWidth($0, fontSize: fontSize) }.max() ?? 0
        guard spacing > 0, widest + columnGap > spacing else { return 1 }
        return Int((widest + columnGap) / spacing) + 1
    }

    /// The least space between two neighbouring numbers of a row (or tick labels), by the text-width
    /// estimate: about a digit, so "252 288" never reads as "252288" (seen in Chromium).
    static let columnGap = 8.0

    /// Every count as printed, for ``stride(texts:ticks:x:)``.
    var countTexts: [String] { counts.flatMap { $0 }.map(String.init) }

    /// The heading and the rows, the first row's baseline at `top + 10`, one row every `rowHeight`;
    /// column `k` is centred on `x(ticks[k])`, for every `stride`-th tick (the figure's tick labels
    /// use the same, so each column sits under a labelled tick).
    /// `heading`: what the counts are ("Patients with a value" under a lab course).
    func draw(into doc: inout SVGDocument, top: Double, rowHeight: Double, ticks: [Double], x: (Double) -> Double, stride: Int = 1,
              heading: String = "Number at risk") {
        doc.text(Self.sampleStart, top - 6, heading, bold: true)
        for (i, label) in labels.enumerated() {
            let rowY = top + rowHeight * Double(i) + 10
            let (colour, dash) = FigureStyle.series(i)
            doc.line(Self.sampleStart, rowY - 4, Self.sampleEnd, rowY - 4, stroke: colour, width: 2, dash: dash)
            doc.text(labelEnd, rowY, label, anchor: .end, className: "tick", fill: colour)
            for (k, (tick, count)) in zip(ticks, counts[i]).enumerated() where k % stride == 0 {
                doc.text(x(tick), rowY, String(count), anchor: .middle, className: "tick")
            }
        }
    }
}

/// The parts every figure over days draws alike: the grid, ticks and axis titles of a plot whose x
/// axis is time, and the legend between the title and the plot. Shared by the curve figures
/// (``SurvivalCurveFigure``) and the lab course figure (``LabCourseFigure``), so both read the same
/// and a layout fix reaches both.
enum TimePlotParts {
    /// Where a plot sits and how data map onto it.
    struct Frame {
        let xAxis: Axis
        let yAxis: Axis
        let x: (Double) -> Double
        let y: (Double) -> Double
        let left: Double
        let right: Double
        let plotTop: Double
        let bottom: Double
    }

    /// Horizontal grid lines with the y tick labels (`yLabel` of each tick), the x tick marks with
    /// every `stride`-th labelled, the two axis lines, the time axis title under the ticks and the
    /// value axis title rotated along the y axis (cut to the plot's height, so a long label never
    /// reaches the legend or title).
    static func axes(_ doc: inout SVGDocument, _ frame: Frame, yLabel: (Double) -> String, stride: Int, timeTitle: String, valueTitle: String) {
        let (x, y) = (frame.x, frame.y)
        for tick in frame.yAxis.ticks {
            doc.line(frame.left, y(tick), frame.right, y(tick), stroke: "#dddddd", width: 0.75)
            doc.text(frame.left - 8, y(tick) + 4, yLabel(tick), anchor: .end, className: "tick")
        }
        for (k, tick) in frame.xAxis.ticks.enumerated() {
            doc.line(x(tick), frame.bottom, x(tick), frame.bottom + 5, stroke: "#000000")
            if k % stride == 0 { doc.text(x(tick), frame.bottom + 18, Axis.label(tick), anchor: .middle, className: "tick") }
        }
        doc.line(frame.left, frame.bottom, frame.right, frame.bottom)
        doc.line(frame.left, frame.plotTop, frame.left, frame.bottom)
        doc.text(frame.left + (frame.right - frame.left) / 2, frame.bottom + 38, timeTitle, anchor: .middle)
        let plotHeight = frame.bottom - frame.plotTop
        doc.text(18, frame.plotTop + plotHeight / 2, FigureStyle.truncated(valueTitle, toWidth: plotHeight), anchor: .middle, rotate: -90)
    }

    /// The legend between the title and the plot (so it never covers a curve or band): its heading's
    /// lines in bold, then each item's line sample (the series' colour and dash, `lineWidth` wide)
    /// and text, placed by ``SurvivalCurveFigure/legendLayout(_:from:to:)``. `shift`: how far a
    /// wrapped title pushed everything down.
    static func legend(_ doc: inout SVGDocument, heading: [String], items: [String], rows: [(x: Double, row: Int)], shift: Double, lineWidth: Double) {
        for (i, line) in heading.enumerated() { doc.text(20, 52 + shift + 16 * Double(i), line, bold: true) }
        let top = 52 + shift + 16 * Double(heading.count)
        for (i, item) in rows.enumerated() {
            let (colour, dash) = FigureStyle.series(i)
            let rowY = top + 17 * Double(item.row)
            doc.line(item.x, rowY - 4, item.x + 30, rowY - 4, stroke: colour, width: lineWidth, dash: dash)
            doc.text(item.x + 38, rowY, items[i])
        }
    }
}

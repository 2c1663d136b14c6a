/// A small figure that says why there is nothing to draw ("no events", an unknown event type), so a
/// report still gets a readable file in place of a plot.
public enum MessageFigure {
    public static func svg(title: String, message: String, width: Double = 560) -> String {
        let lines = FigureStyle.wrap(message, width: Int((width - 40) / 7))
        var doc = SVGDocument(width: width, height: 70 + 18 * Double(lines.count))
        let shift = doc.title(title)
        doc.height += shift
        for (i, line) in lines.enumerated() { doc.text(20, 58 + shift + 18 * Double(i), line) }
        return doc.rendered(title: title, description: message)
    }
}

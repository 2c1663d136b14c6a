/// A standalone SVG 1.1 document built element by element: the one place that formats numbers and
/// escapes text for the figures.
///
/// Conventions (see the Figures article in `Documentation.docc`):
/// - coordinates are written with two decimals (`NumberStyle.fixed`, C locale), so the same figure
///   gives the same bytes on every machine; a non-finite coordinate is written as 0 (callers clamp
///   before drawing, this is the last guard so that `NaN` never reaches the file);
/// - text is XML-escaped (`&`, `<`, `>`, `"`, `'`);
/// - the document carries `<title>` and `<desc>` (read by screen readers), one `<style>` with a
///   system font stack, and no scripts, links or external references.
public struct SVGDocument: Sendable {
    public let width: Double
    /// Settable: a figure may grow once its text has been laid out.
    public var height: Double
    private var elements: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// The font stack of every figure: the platform's UI font, then common sans-serif fallbacks.
    public static let fontStack = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

    /// A coordinate or length: two decimals, `-0.00` written as `0.00`.
    public static func number(_ x: Double) -> String {
        NumberStyle.fixed(x.isFinite ? x : 0, decimals: 2)
    }

    /// `text` with the five XML special characters replaced by entities (valid in content and in
    /// double- or single-quoted attributes).
    public static func escape(_ text: String) -> String { MarkupEscaping.escaped(text, apostrophe: true) }

    /// Attributes in the given order (stable output), values escaped.
    static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    public mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#000000",
                              width: Double = 1, dash: String? = nil, className: String? = nil) {
        var pairs = [("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)), ("y2", Self.number(y2)),
                     ("stroke", stroke), ("stroke-width", Self.number(width))]
        if let dash { pairs.append(("stroke-dasharray", dash)) }
        if let className { pairs.append(("class", className)) }
        elements.append("<line\(Self.attributes(pairs))/>")
    }

    public mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
                              opacity: Double? = nil) {
        var pairs = [("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(max(w, 0))),
                     ("height", Self.number(max(h, 0))), ("fill", fill)]
        if let stroke { pairs.append(("stroke", stroke)) }
        if let opacity { pairs.append(("fill-opacity", Self.number(opacity))) }
        elements.append("<rect\(Self.attributes(pairs))/>")
    }

    /// A path from points: `M` to the first, `L` to the rest.
    public mutating func path(_ points: [(x: Double, y: Double)], stroke: String = "none", fill: String = "none",
                              width: Double = 1, dash: String? = nil, fillOpacity: Double? = nil, strokeOpacity: Double? = nil, closed: Bool = false) {
        guard let first = points.first else { return }
        var d = "M\(Self.number(first.x)),\(Self.number(first.y))"
        for p in points.dropFirst() { d += " L\(Self.number(p.x)),\(Self.number(p.y))" }
        if closed { d += " Z" }
        var pairs = [("d", d), ("fill", fill), ("stroke", stroke)]
        if stroke != "none" { pairs.append(("stroke-width", Self.number(width))) }
        if let dash { pairs.append(("stroke-dasharray", dash)) }
        if let fillOpacity { pairs.append(("fill-opacity", Self.number(fillOpacity))) }
        if let strokeOpacity { pairs.append(("stroke-opacity", Self.number(strokeOpacity))) }
        elements.append("<path\(Self.attributes(pairs))/>")
    }

    public enum Anchor: String, Sendable { case start, middle, end }

    /// Text at (x, y) (the baseline), in the class's style (`label`, `tick`, `title`, `caption`, `small`).
    public mutating func text(_ x: Double, _ y: Double, _ content: String, anchor: Anchor = .start, className: String = "label",
                              fill: String? = nil, bold: Bool = false, rotate: Double? = nil) {
        var pairs = [("x", Self.number(x)), ("y", Self.number(y)), ("class", className)]
        if anchor != .start { pairs.append(("text-anchor", anchor.rawValue)) }
        if let fill { pairs.append(("fill", fill)) }
        if bold { pairs.append(("font-weight", "bold")) }
        if let rotate { pairs.append(("transform", "rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))")) }
        elements.append("<text\(Self.attributes(pairs))>\(Self.escape(content))</text>")
    }

    /// A polygon (for arrowheads and markers).
    public mutating func polygon(_ points: [(x: Double, y: Double)], fill: String) {
        let list = points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
        elements.append("<polygon\(Self.attributes([("points", list), ("fill", fill)]))/>")
    }

    /// The figure's title at the top left, wrapped to the document's width (about 9 px a character
    /// at 15 px bold); returns how far below a one-line title the rest of the figure must start.
    @discardableResult
    public mutating func title(_ text: String) -> Double {
        for (i, line) in Self.titleLines(text, width: width).enumerated() { self.text(20, 26 + 19 * Double(i), line, className: "title") }
        return Self.titleShift(text, width: width)
    }

    /// The title's lines in a document `width` wide.
    static func titleLines(_ text: String, width: Double) -> [String] {
        FigureStyle.wrap(text, width: max(Int((width - 40) / 9), 20))
    }

    /// The extra height a wrapped title takes (0 for one line), known before the document is made.
    public static func titleShift(_ text: String, width: Double) -> Double {
        19 * Double(max(titleLines(text, width: width).count, 1) - 1)
    }

    /// Opens a group (`<g>`), e.g. one per curve, so a reader can tell the parts apart.
    public mutating func beginGroup(_ label: String) {
        elements.append("<g\(Self.attributes([("aria-label", label)]))>")
    }

    public mutating func endGroup() { elements.append("</g>") }

    /// The whole document, newline-terminated.
    public func rendered(title: String, description: String) -> String {
        let w = Self.number(width), h = Self.number(height)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" role=\"img\">\n"
        out += "<title>\(Self.escape(title))</title>\n"
        out += "<desc>\(Self.escape(description))</desc>\n"
        out += "<style type=\"text/css\">"
        out += "text{font-family:\(Self.fontStack);fill:#000000}"
        out += ".title{font-size:15px;font-weight:bold}.label{font-size:12px}.tick{font-size:11px}"
        out += ".caption{font-size:11px;fill:#333333}.small{font-size:10px}"
        out += "</style>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
        for element in elements { out += element + "\n" }
        out += "</svg>\n"
        return out
    }
}

/// Colours, dash patterns and text measures shared by the figures.
///
/// Colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), distinguishable
/// under the common colour-vision deficiencies; each series also gets its own dash pattern, so
/// groups stay apart when printed in greyscale.
public enum FigureStyle {
    /// Okabe–Ito, without yellow (too light on white) and black (kept for axes): blue, vermillion,
    /// bluish green, reddish purple, orange, sky blue.
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]

    /// Solid, dashed, dotted, dash-dot, long dash, dash-dot-dot (stroke-dasharray; nil = solid).
    public static let dashes: [String?] = [nil, "8 4", "2 3", "8 3 2 3", "14 4", "8 3 2 3 2 3"]

    /// The colour and dash of series `i` (cycling).
    public static func series(_ i: Int) -> (colour: String, dash: String?) {
        (palette[i % palette.count], dashes[i % dashes.count])
    }

    /// A deliberately rough width of `text` at `fontSize` px in a sans-serif font (0.6 em a
    /// character, wider than most glyphs), for laying out margins without measuring fonts: an
    /// over-estimate leaves space rather than clipping.
    public static func textWidth(_ text: String, fontSize: Double = 12) -> Double {
        Double(text.count) * fontSize * 0.6
    }

    /// The horizontal span `text` covers when drawn at `x` with `anchor`, by ``textWidth(_:fontSize:)``:
    /// what layouts compare to keep two texts apart (and what tests measure to check they are).
    public static func textExtent(_ text: String, at x: Double, anchor: SVGDocument.Anchor = .start,
                                  fontSize: Double = 12) -> ClosedRange<Double> {
        let w = textWidth(text, fontSize: fontSize)
        switch anchor {
        case .start: return x...(x + w)
        case .middle: return (x - w / 2)...(x + w / 2)
        case .end: return (x - w)...x
        }
    }

    /// `text` cut to fit `width` px (by ``textWidth(_:fontSize:)``) with a trailing "…"; unchanged when
    /// it fits. Figures keep the full text in the element's `aria-label` and the `<desc>`.
    public static func truncated(_ text: String, toWidth width: Double, fontSize: Double = 12) -> String {
        guard textWidth(text, fontSize: fontSize) > width else { return text }
        let keep = max(Int(width / (fontSize * 0.6)) - 1, 1)
        return String(text.prefix(keep)) + "…"
    }

    /// `text` split into lines of at most `width` characters at spaces (a word longer than the line
    /// gets a line of its own).
    public static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}

/// Labels a figure takes from the codebook (label + unit), supplied by the caller.
public struct AxisLabel: Sendable, Equatable {
    public var text: String
    public var unit: String?

    public init(_ text: String, unit: String? = nil) {
        self.text = text
        self.unit = unit
    }

    /// "Label (unit)", or the label alone.
    public var rendered: String {
        guard let unit, !unit.isEmpty else { return text }
        return "\(text) (\(unit))"
    }
}

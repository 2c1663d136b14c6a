import CohortData

/// Escaping text for HTML and SVG, the one implementation both use.
enum MarkupEscaping {
    /// `text` with `&`, `<`, `>` and `"` replaced by entities (safe in content and in double-quoted
    /// attributes); with `apostrophe`, `'` too (for single-quoted attributes, as SVG may use).
    /// Control characters are first shown as escapes (``TerminalText``): XML forbids most of them,
    /// so an SVG holding one does not open, and a page printed to a terminal would obey them.
    static func escaped(_ text: String, apostrophe: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in TerminalText.escaped(text) {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'" where apostrophe: out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }
}

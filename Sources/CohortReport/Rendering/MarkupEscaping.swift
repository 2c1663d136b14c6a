/// Escaping text for HTML and SVG, the one implementation both use.
enum MarkupEscaping {
    /// `text` with `&`, `<`, `>` and `"` replaced by entities (safe in content and in double-quoted
    /// attributes); with `apostrophe`, `'` too (for single-quoted attributes, as SVG may use).
    static func escaped(_ text: String, apostrophe: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
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

/// Text from a data file made safe to print: the one escaping of control characters every
/// human-readable output uses (messages, validation reports, text, Markdown, LaTeX and HTML tables).
///
/// A column name or value is whatever the file holds. Printed as is, `ESC [ 31 m` recolours the
/// terminal, `ESC ] 0 ;` retitles the window, BEL rings, a C1 `CSI` (U+009B) does what `ESC [` does
/// in some terminals, and a line break splits one message into two that look like separate
/// problems (issue 12). Each such character is shown as an escape instead: `\n`, `\r`, `\t`, and
/// `\x1b`-style for the other C0 controls, DEL and the C1 controls.
public enum TerminalText {
    /// `text` with its control characters escaped; with `keepingLineBreaks`, `\n` stays a line
    /// break (a message of several lines, each already built from escaped parts or safe text).
    public static func escaped(_ text: String, keepingLineBreaks: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) && !(keepingLineBreaks && $0 == "\n") }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where keepingLineBreaks: result.unicodeScalars.append(scalar)
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where isControl(scalar):
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count < 2 ? "0" : "") + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F).
    @inline(__always)
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

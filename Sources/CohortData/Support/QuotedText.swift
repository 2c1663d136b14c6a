/// Text in double quotes with `"`, `\` and control characters escaped (`\n`, `\r`, `\t`,
/// `\u00XX`, DEL and the C1 controls included: ``TerminalText/isControl(_:)``, so that JSON printed
/// to a terminal cannot drive it): a JSON string, and equally a YAML double-quoted scalar, which
/// accepts the same escapes.
public enum QuotedText {
    public static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where TerminalText.isControl(scalar):
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Writes codebook declarations as the YAML that ``CodebookFile`` reads back: one emitter for the
/// starter codebook (`cohort codebook DATA.csv`) and the REDCap one (`--from-redcap`), so the two
/// cannot drift apart in quoting or key order.
public enum CodebookYAML {
    /// The lines of one `variables:` entry (indented two spaces), with `comment` after the key.
    ///
    /// A variable with only a type is still written as a mapping: the user edits it by adding
    /// keys, and a comment needs a line of its own.
    public static func variable(_ spec: VariableSpec, comment: String?) -> [String] {
        // Comments quote values from files: escaped, so a line break cannot end the comment.
        var lines = ["  \(key(spec.name)):" + (comment.map { "   # \(TerminalText.escaped($0))" } ?? "")]
        lines.append("    type: \(spec.type.rawValue)")
        if let label = spec.label { lines.append("    label: \(quoted(label))") }
        if let unit = spec.unit { lines.append("    unit: \(quoted(unit))") }
        if let range = spec.range { lines.append("    range: \(bounds(range))") }
        if let typical = spec.typical { lines.append("    typical: \(bounds(typical))") }
        if let levels = spec.levels { lines.append("    levels: \(list(levels))") }
        if let codes = spec.codes { lines.append("    codes: \(list(codes))") }
        if !spec.missing.isEmpty { lines.append("    missing: \(list(spec.missing))") }
        if let note = spec.note { lines.append("    note: \(quoted(note))") }
        if let shownIf = spec.shownIf { lines.append("    shown_if: \(quoted(shownIf))") }
        return lines
    }

    /// A YAML flow list of quoted scalars.
    static func list(_ values: [String]) -> String { "[\(values.map(quoted).joined(separator: ", "))]" }

    static func bounds(_ range: ClosedRange<Double>) -> String {
        "[\(NumberText.shortest(range.lowerBound)), \(NumberText.shortest(range.upperBound))]"
    }

    /// A YAML key: plain when it is a simple name, double-quoted otherwise.
    static func key(_ name: String) -> String {
        let plain = name.first.map { $0.isLetter || $0 == "_" } ?? false
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        return plain ? name : quoted(name)
    }

    /// A double-quoted YAML scalar (always quoted: values such as `no`, `1` or `NA` stay text).
    static func quoted(_ text: String) -> String { QuotedText.doubleQuoted(text) }
}

import CohortData

/// The output formats every table can be rendered to.
public enum TableFormat: String, Sendable, CaseIterable {
    case text
    case md
    case csv
    case json
    case latex
    case html
    /// A Word document: binary, so `render` gives only its `word/document.xml` and
    /// ``DocxPackage`` makes the file around it; written to a file, never to a terminal.
    case docx

    /// Renders `table` in this format. Output ends with a newline and depends only on the table.
    ///
    /// Names and levels come from the data file: text, Markdown and LaTeX show their control
    /// characters escaped (``TerminalText``), HTML too (``MarkupEscaping``), JSON as `\u001b`
    /// escapes; CSV, data for another program, carries them as they are, quoted (issue 12).
    public func render(_ table: ReportTable) -> String {
        switch self {
        case .text: TextRenderer.render(table.controlsEscaped)
        case .md: MarkdownRenderer.render(table.controlsEscaped)
        case .csv: CSVRenderer.render(table)
        case .json: JSONRenderer.render(table)
        case .latex: LaTeXRenderer.render(table.controlsEscaped)
        case .html: HTMLRenderer.document(table)
        case .docx: DocxRenderer.document([.table(table)])
        }
    }

    /// Several tables as one output: text, Markdown and LaTeX one after another with a blank line
    /// between; HTML and Word one document holding every table; JSON an array of the tables' objects; CSV
    /// (one header row a file) only the first table, so callers write one table a CSV file.
    public func render(_ tables: [ReportTable]) -> String {
        // No tables: nothing, except a Word document, which must still be a whole (empty) document.
        guard tables.count > 1 else { return tables.first.map(render) ?? (self == .docx ? DocxRenderer.document([]) : "") }
        switch self {
        case .text, .md, .latex: return tables.map(render).joined(separator: "\n")
        case .csv: return render(tables[0])
        case .json: return "[\n" + tables.map { JSONRenderer.render($0).trailingNewlineRemoved }.joined(separator: ",\n") + "\n]\n"
        case .html: return HTMLRenderer.document(tables)
        case .docx: return DocxRenderer.document(tables.map(DocxBlock.table))
        }
    }

    /// The table as an HTML `<table>` element only, for embedding in a larger page (batch reports);
    /// `render` in `.html` wraps it in a standalone document.
    public static func htmlFragment(_ table: ReportTable) -> String {
        HTMLRenderer.render(table)
    }
}

extension ReportTable {
    /// Every title, header, cell and note with its control characters escaped; the table itself
    /// when none holds one (the usual case: no copy of a table of a million rows).
    var controlsEscaped: ReportTable {
        func holds(_ text: String) -> Bool { text.unicodeScalars.contains(where: TerminalText.isControl) }
        let headings = [title ?? ""] + preamble + columns.map(\.header) + notes
        guard headings.contains(where: holds) || texts.contains(where: holds) else { return self }
        return mappingText { TerminalText.escaped($0) }
    }

    /// About the UTF-8 bytes of every cell: what a renderer reserves for them, so that the output
    /// of a table of a million rows is one allocation, not a string doubled twenty times (issue 12).
    var cellBytes: Int { texts.reduce(0) { $0 + $1.utf8.count } + 8 * numbers.count }

    /// Row `r`'s cell numbers (indices into ``cells``).
    func row(_ r: Int) -> Range<Int> { r * columns.count..<(r + 1) * columns.count }
}

/// Plain text with columns padded to their widest cell; no terminal-width dependence.
///
/// Written into one string reserved up front (its size is known once the widths are), line by
/// line, rather than as an array of lines joined: a Table 1 of 300,000 variables is 29 MB of text,
/// which the array and the join held three times over (issue 12).
enum TextRenderer {
    static func render(_ table: ReportTable) -> String {
        let n = table.columns.count
        // Widths in characters, as a reader counts them; and the UTF-8 bytes beyond one a character.
        var widths = table.columns.map(\.header.count)
        var extraBytes = table.columns.reduce(0) { $0 + $1.header.utf8.count - $1.header.count }
        for k in table.cells.indices {
            let cell = table.text(ofCell: k)
            let count = cell.count
            if count > widths[k % n] { widths[k % n] = count }
            extraBytes += cell.utf8.count - count
        }
        let texts = [table.title].compactMap { $0 } + table.preamble + table.notes
        // Each line is at most the widths, the separators and its characters' extra bytes long.
        let lineBytes = widths.reduce(0, +) + 2 * max(n - 1, 0) + 1
        var out = ""
        out.reserveCapacity((table.rowCount + 2) * lineBytes + extraBytes + texts.reduce(0) { $0 + $1.utf8.count + 1 } + 2)
        if let title = table.title { out += title + "\n" }
        for line in table.preamble { out += line + "\n" }
        if table.title != nil || !table.preamble.isEmpty { out += "\n" }
        // Runs of spaces made once (up to 64; longer ones when needed).
        let runs = (0...64).map { String(repeating: " ", count: $0) }
        func spaces(_ count: Int) {
            var left = count
            while left > 0 {
                out += runs[min(left, 64)]
                left -= 64
            }
        }
        func line(_ cell: (Int) -> String) {
            // Padding and separators wait until text follows them: what ends a line is dropped, as
            // trailing spaces are, without writing and removing it.
            var pending = 0
            for c in 0..<n {
                if c > 0 { pending += 2 }
                let text = cell(c)
                let pad = widths[c] - text.count
                if table.columns[c].alignment == .right { pending += pad }
                if !text.isEmpty {
                    spaces(pending)
                    pending = 0
                    out += text
                }
                if table.columns[c].alignment == .left { pending += pad }
            }
            // A space after a non-ASCII scalar may belong to its character (after a prepended
            // mark): then written, and removed only as whole characters that are spaces, as before.
            if pending > 0, let last = out.utf8.last, last >= 0x80 {
                spaces(pending)
            }
            // The cells' own trailing spaces, rare, by character (the line's start follows a line break).
            if out.utf8.last == UInt8(ascii: " ") {
                while out.last == " " { out.removeLast() }
            }
            out += "\n"
        }
        line { table.columns[$0].header }
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for r in 0..<table.rowCount {
            let base = r * n
            line { table.text(ofCell: base + $0) }
        }
        if !table.notes.isEmpty { out += "\n" }
        for note in table.notes { out += note + "\n" }
        return out
    }
}

enum MarkdownRenderer {
    static func escape(_ text: String) -> String {
        text.utf8.contains(UInt8(ascii: "|")) ? text.replacingAll("|", with: "\\|") : text
    }

    static func render(_ table: ReportTable) -> String {
        var out = ""
        out.reserveCapacity(table.cellBytes + table.rowCount * (3 * table.columns.count + 2) + 4096)
        if let title = table.title { out += "**\(escape(title))**\n\n" }
        if !table.preamble.isEmpty {
            for line in table.preamble { out += escape(line) + "  \n" }
            out += "\n"
        }
        out += "| " + table.columns.map { escape($0.header) }.joined(separator: " | ") + " |\n"
        out += "|" + table.columns.map { $0.alignment == .left ? ":---|" : "---:|" }.joined() + "\n"
        for r in 0..<table.rowCount {
            out += "| "
            for (column, k) in zip(table.columns, table.row(r)) {
                if k > table.row(r).lowerBound { out += " | " }
                var text = table.text(ofCell: k)
                // A row indented under its variable: Markdown drops a cell's leading spaces, so
                // each becomes two no-break spaces (as entities, visible in the source).
                let indent = column.alignment == .left ? text.prefix { $0 == " " }.count : 0
                if indent > 0 {
                    text.removeFirst(indent)
                    out += String(repeating: "&nbsp;&nbsp;", count: indent)
                }
                out += escape(text)
            }
            out += " |\n"
        }
        if !table.notes.isEmpty { out += "\n" }
        for note in table.notes { out += escape(note) + "  \n" }
        return out
    }
}

/// A booktabs `tabular`, ready to paste into a manuscript.
enum LaTeXRenderer {
    static func escape(_ text: String) -> String {
        var out = ""
        var previous: Character = " "
        for ch in text {
            defer { previous = ch }
            switch ch {
            case "\\": out += "\\textbackslash{}"
            case "&", "%", "$", "#", "_", "{", "}": out += "\\" + String(ch)
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            case "|": out += "\\textbar{}"
            case "\"": out += "\\textquotedbl{}"
            case "<": out += "\\textless{}"
            case ">": out += "\\textgreater{}"
            case "—": out += "---"
            case "–": out += "--"
            case "≥": out += "$\\geq$"
            case "≤": out += "$\\leq$"
            case "χ": out += "$\\chi$"
            case "²": out += "\\textsuperscript{2}"
            // A footnote mark (`0.003¹`); an exponent such as I⁻¹ is left as written.
            case "¹" where previous != "⁻": out += "\\textsuperscript{1}"
            case "³": out += "\\textsuperscript{3}"
            case "⁴", "⁵", "⁶", "⁷", "⁸", "⁹", "⁰":
                out += "\\textsuperscript{\(["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"].firstIndex(of: ch) ?? 0)}"
            default: out.append(ch)
            }
        }
        return out
    }

    static func render(_ table: ReportTable) -> String {
        var lines: [String] = []
        if let title = table.title { lines.append("% \(title)") }
        lines.append("\\begin{tabular}{" + table.columns.map { $0.alignment == .left ? "l" : "r" }.joined() + "}")
        lines.append("\\toprule")
        lines.append(table.columns.map { escape($0.header) }.joined(separator: " & ") + " \\\\")
        lines.append("\\midrule")
        // The rows written straight into the output, reserved for their cells: not a line a row
        // joined at the end (issue 12).
        var out = lines.joined(separator: "\n") + "\n"
        out.reserveCapacity(out.utf8.count + table.cellBytes + table.rowCount * (3 * table.columns.count + 4) + 4096)
        for r in 0..<table.rowCount {
            for k in table.row(r) {
                if k > table.row(r).lowerBound { out += " & " }
                out += escape(table.text(ofCell: k))
            }
            out += " \\\\\n"
        }
        out += "\\bottomrule\n\\end{tabular}\n"
        for note in table.notes { out += "% " + note + "\n" }
        return out
    }
}

/// HTML: a `<table>` with caption and notes, no scripts; `document` wraps it in a standalone page
/// (UTF-8, a title, a small inline style sheet, no external resources).
enum HTMLRenderer {
    static func document(_ table: ReportTable) -> String { document([table]) }

    static func document(_ tables: [ReportTable]) -> String {
        let title = escape(tables.first?.title ?? "CohortKit table")
        let head = [
            "<!DOCTYPE html>",
            "<html lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<title>\(title)</title>",
            "<style>table.cohortkit{border-collapse:collapse;font-family:sans-serif;font-size:0.9em}"
                + "table.cohortkit caption{font-weight:bold;text-align:left}"
                + "table.cohortkit th,table.cohortkit td{padding:2px 8px}"
                + "table.cohortkit thead tr:last-child th{border-top:2px solid #000;border-bottom:1px solid #000}"
                + "table.cohortkit tbody tr:last-child td{border-bottom:2px solid #000}"
                + "table.cohortkit tfoot td{font-size:0.85em}</style>",
            "</head>",
            "<body>",
        ].joined(separator: "\n") + "\n"
        // Each table written into the document itself, not rendered and then copied in.
        var out = head
        for table in tables { write(table, into: &out) }
        out += "</body>\n</html>\n"
        return out
    }

    static func escape(_ text: String) -> String { MarkupEscaping.escaped(text) }

    static func render(_ table: ReportTable) -> String {
        var out = ""
        write(table, into: &out)
        return out
    }

    /// `render(table)` appended to `out`.
    static func write(_ table: ReportTable, into out: inout String) {
        var lines = ["<table class=\"cohortkit\">"]
        if let title = table.title { lines.append("<caption>\(escape(title))</caption>") }
        if !table.preamble.isEmpty {
            lines.append("<thead><tr><td colspan=\"\(table.columns.count)\">" + table.preamble.map(escape).joined(separator: "<br>") + "</td></tr>")
        } else {
            lines.append("<thead>")
        }
        // Headers aligned with their column, so a number column's header sits over its numbers.
        lines.append("<tr>" + table.columns.map { "<th style=\"text-align:\($0.alignment == .left ? "left" : "right")\">\(escape($0.header))</th>" }.joined() + "</tr></thead>")
        lines.append("<tbody>")
        // The rows written straight into the output, reserved for their cells: not a line a row
        // joined at the end (issue 12).
        out.reserveCapacity(out.utf8.count + lines.reduce(0) { $0 + $1.utf8.count + 1 } + table.cellBytes + table.rowCount * (40 * table.columns.count + 10) + 4096)
        out += lines.joined(separator: "\n") + "\n"
        lines = []
        for r in 0..<table.rowCount {
            out += "<tr>"
            for (column, k) in zip(table.columns, table.row(r)) {
                var text = table.text(ofCell: k)
                if column.alignment == .left {
                    // A row indented under its variable (a level, "Missing"): HTML collapses the
                    // leading spaces the text formats print, so they become a left padding.
                    let indent = text.prefix { $0 == " " }.count
                    if indent > 0 {
                        text.removeFirst(indent)
                        out += "<td style=\"text-align:left;padding-left:\(NumberText.shortest(0.5 + Double(indent) * 0.5))em\">"
                    } else {
                        out += "<td style=\"text-align:left\">"
                    }
                } else {
                    out += "<td style=\"text-align:right\">"
                }
                out += escape(text)
                out += "</td>"
            }
            out += "</tr>\n"
        }
        lines.append("</tbody>")
        if !table.notes.isEmpty {
            lines.append("<tfoot><tr><td colspan=\"\(table.columns.count)\">" + table.notes.map(escape).joined(separator: "<br>") + "</td></tr></tfoot>")
        }
        lines.append("</table>")
        out += lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    var trailingNewlineRemoved: String {
        hasSuffix("\n") ? String(dropLast()) : self
    }

    var trailingSpacesRemoved: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}

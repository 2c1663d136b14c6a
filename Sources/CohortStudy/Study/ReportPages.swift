import CohortData
import CohortReport

/// The two pages that gather a report: `index.html` (standalone, no JavaScript: the tables as HTML,
/// the figures by relative `<img>` so each SVG keeps its own ids) and `summary.md` (every table in
/// Markdown, links to the figures). Both open with the provenance.
enum ReportPages {
    static func heading(_ output: ComputedOutput) -> String {
        output.output.title ?? output.tables.first?.title ?? output.result.figures.first?.title ?? output.output.name
    }

    /// The parameters beside a heading (the title is the heading itself).
    static func shownParameters(_ output: ComputedOutput) -> [(key: String, value: String)] {
        output.output.parameters.filter { $0.key != "title" }
    }

    static func figurePath(_ output: ComputedOutput, _ index: Int) -> String {
        "figures/" + output.output.name + (output.result.figures.count > 1 ? "-\(index + 1)" : "") + ".svg"
    }

    static func summary(study: StudyFile, computed: [ComputedOutput], provenance: Provenance) -> String {
        let md = ReportFragments.markdownEscaped
        var lines = ["# \(md(study.title.isEmpty ? study.study : study.title))", ""]
        lines += ["Report of study `\(study.study)` written by CohortKit \(provenance.toolkitVersion)" + (provenance.date.map { " on \($0)" } ?? "") + ".", ""]
        lines += ["| input | file | SHA-256 |", "|:---|:---|:---|"]
        lines += provenance.inputs.map { "| \($0.what) | `\($0.path)` | `\($0.sha256)` |" }
        lines += ["", "Options: " + provenance.options.map { "\($0.key) = \(md($0.value))" }.joined(separator: "; ") + ".  "]
        if !provenance.derived.isEmpty {
            lines.append("Derived in the study file: " + provenance.derived.map { "`\($0.name) = \($0.formula)`" }.joined(separator: ", ") + ".  ")
        }
        lines += provenance.notes.map { "Note: \(md($0)).  " }
        lines.append("Every output's parameters and files: `provenance.json`.")
        for output in computed {
            lines += ["", "## \(md(heading(output)))", "", "Output `\(output.output.name)` (\(shownParameters(output).map { "\($0.key): \(md($0.value))" }.joined(separator: "; "))).", ""]
            for table in output.tables { lines += [ReportFragments.trimmed(ReportFragments.markdown(table)), ""] }
            for (index, figure) in output.result.figures.enumerated() { lines += ["![\(md(figure.title))](\(figurePath(output, index)))", ""] }
            if !output.warnings.isEmpty { lines += output.warnings.map { "Warning: \(md($0))  " } + [""] }
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    static let style = """
        body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}\
        h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}\
        table{border-collapse:collapse;margin:.8em 0;font-size:.9em}caption{font-weight:bold;text-align:left;padding:.3em 0}\
        th,td{padding:.25em .6em;border-bottom:1px solid #e2e2e2;vertical-align:top}th{border-bottom:2px solid #444;text-align:left}\
        thead td,tfoot td{font-size:.9em;color:#555;border:none}code{font-family:monospace,monospace;font-size:.85em}\
        tbody td{white-space:pre-wrap}tbody td[style*="right"]{white-space:nowrap}\
        .provenance td{border:none;padding:.1em .6em}.files{font-size:.85em;color:#555}img{max-width:100%;height:auto;display:block;margin:.8em 0}\
        nav li{margin:.1em 0}.warning{color:#8a4b00}figure{margin:1em 0}
        """

    static func index(study: StudyFile, computed: [ComputedOutput], provenance: Provenance) -> String {
        let h = ReportFragments.htmlEscaped
        let title = study.title.isEmpty ? study.study : study.title
        var lines = ["<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">", "<title>\(h(title))</title>",
                     "<style>\(style)</style>", "</head>", "<body>", "<h1>\(h(title))</h1>"]
        lines.append("<p>Report of study <code>\(h(study.study))</code> written by CohortKit \(h(provenance.toolkitVersion))"
                     + (provenance.date.map { " on \(h($0))" } ?? "") + ".</p>")
        lines.append("<table class=\"provenance\"><tr><th>input</th><th>file</th><th>SHA-256</th></tr>")
        lines += provenance.inputs.map { "<tr><td>\(h($0.what))</td><td><code>\(h($0.path))</code></td><td><code>\($0.sha256)</code></td></tr>" }
        lines.append("</table>")
        let options: String = provenance.options.map { "\(h($0.key)) = \(h($0.value))" }.joined(separator: "; ")
        let derived: String = provenance.derived.isEmpty ? "" : "Derived in the study file: " + provenance.derived.map { "<code>\(h($0.name)) = \(h($0.formula))</code>" }.joined(separator: ", ") + ". "
        let notes = provenance.notes.map { "Note: \(h($0)). " }.joined()
        lines.append("<p>Options: " + options + ". " + derived + notes
                     + "Every output's parameters and files: <a href=\"provenance.json\">provenance.json</a>; Markdown: <a href=\"summary.md\">summary.md</a>.</p>")
        lines.append("<nav><ol>")
        lines += computed.map { "<li><a href=\"#\(h($0.output.name))\">\(h(heading($0)))</a></li>" }
        lines.append("</ol></nav>")
        for output in computed {
            lines.append("<section id=\"\(h(output.output.name))\">")
            lines.append("<h2>\(h(heading(output)))</h2>")
            lines.append("<p class=\"files\">Output <code>\(h(output.output.name))</code>: "
                         + shownParameters(output).map { "\(h($0.key)): \(h($0.value))" }.joined(separator: "; ") + "</p>")
            for table in output.tables { lines.append(ReportFragments.trimmed(ReportFragments.html(table))) }
            for (index, figure) in output.result.figures.enumerated() {
                let path = figurePath(output, index)
                lines.append("<figure><img src=\"\(h(path))\" alt=\"\(h(figure.title))\"><figcaption class=\"files\"><a href=\"\(h(path))\">\(h(path))</a></figcaption></figure>")
            }
            lines += output.warnings.map { "<p class=\"warning\">Warning: \(h($0))</p>" }
            lines.append("</section>")
        }
        lines += ["</body>", "</html>"]
        return lines.joined(separator: "\n") + "\n"
    }
}


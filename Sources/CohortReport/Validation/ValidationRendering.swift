import CohortData

/// `cohort validate`'s output: the summary line, then every error, then every warning.
public enum ValidationText {
    public static func render(_ report: ValidationReport) -> String {
        var lines = [report.summary]
        for table in report.linked {
            lines.append(TerminalText.escaped("Linked table '\(table.name)': \(table.source), \(table.rows) row\(table.rows == 1 ? "" : "s") matched to patients."))
        }
        func section(_ title: String, _ problems: [DataProblem], omitted: Int) {
            guard !problems.isEmpty else { return }
            lines.append("")
            lines.append("\(title) (\(problems.count + omitted)):")
            lines += problems.map { "  \($0)" }
            if omitted > 0 { lines.append("  ... and \(omitted) more") }
        }
        section("Errors", report.errors, omitted: report.errorsOmitted)
        section("Warnings", report.warnings, omitted: report.warningsOmitted)
        if !report.notes.isEmpty {
            lines.append("")
            lines.append("Notes:")
            lines += report.notes.map { "  " + TerminalText.escaped($0) }
        }
        lines.append("")
        lines.append(report.isValid
            ? (report.warningCount == 0 ? "Valid." : "Valid, with warnings to check.")
            : "Not valid: every command that reads this file will stop until the errors are fixed.")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The same report as JSON, a stable interface for scripts:
/// `{"source", "codebook", "rows", "columns", "valid", "errorCount", "warningCount",
///   "errors": [{"line", "column", "value", "message", "text"}], "warnings": [...],
///   "linkedTables": [{"name", "source", "rows"}], "notes": [text]}`
/// (`line`, `column` and `value` are null when they do not apply; `text` is the printed line).
public enum ValidationJSON {
    public static func render(_ report: ValidationReport) -> String {
        func problem(_ p: DataProblem) -> JSONValue {
            .object([
                ("source", .string(p.source)),
                ("line", p.line.map { .integer($0) } ?? .null),
                ("column", p.column.map { .string($0) } ?? .null),
                ("value", p.value.map { .string($0) } ?? .null),
                ("message", .string(p.message)),
                ("text", .string(p.description)),
            ])
        }
        let value = JSONValue.object([
            ("source", .string(report.source)),
            ("codebook", report.codebookSource.map { .string($0) } ?? .null),
            ("rows", .integer(report.rows)),
            ("columns", .integer(report.columns)),
            ("valid", .bool(report.isValid)),
            ("errorCount", .integer(report.errorCount)),
            ("warningCount", .integer(report.warningCount)),
            ("errors", .array(report.errors.map(problem))),
            ("warnings", .array(report.warnings.map(problem))),
            ("linkedTables", .array(report.linked.map { .object([("name", .string($0.name)), ("source", .string($0.source)), ("rows", .integer($0.rows))]) })),
            ("notes", .array(report.notes.map(JSONValue.string))),
        ])
        return value.rendered(indent: 2) + "\n"
    }
}

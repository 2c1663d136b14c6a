import CohortReport
/// `cohort reproduce`'s table: one row a figure, published beside computed, and whether they match.
/// The computed column is typed (issue 13): the text the figure is compared by, over the unrounded
/// number behind it (a count, k/n, a median, a P value), which JSON and CSV carry.
public enum ReproductionTable {
    public static func make(_ figures: [ReproducedFigure], studies: [PublishedStudy]) -> ReportTable {
        let columns = [
            ReportTable.Column(key: "study", header: "study", alignment: .left),
            .init(key: "figure", header: "figure", alignment: .left),
            .init(key: "published", header: "published", alignment: .left),
            .init(key: "computed", header: "computed", alignment: .left),
            .init(key: "match", header: "match", alignment: .left),
        ]
        let rows = figures.map { f -> [CellValue] in
            // The computed figure as the journal printed it, over its unrounded number; a figure
            // whose analysis failed has only the reason.
            [.label(f.study), .label(f.figure), .label(f.published + (f.criterion.map { " (\($0))" } ?? "")),
             f.value.map { .figure($0, printed: f.computed) } ?? .label(f.computed), .label(f.match ? "yes" : "NO")]
        }
        let failed = figures.filter { !$0.match }
        var notes = ["\(figures.count - failed.count) of \(figures.count) figures match. A figure with a format matches when the computed value, formatted as the journal printed it, is the same text; a figure printed as words matches when the test result meets the condition in brackets."]
        notes += studies.map { "\($0.study): \($0.title); data \($0.dataPath) (synthetic reconstruction, not patient data), codebook \($0.codebookPath)." }
        if !failed.isEmpty { notes.append("Not reproduced: " + failed.map { "\($0.study)/\($0.figure)" }.joined(separator: ", ") + ".") }
        return ReportTable(title: "Published figures reproduced", preamble: [], columns: columns, rows: rows, notes: notes)
    }
}

/// `cohort reproduce --format json`: `[{"study", "figure", "published", "computed", "match"}]`,
/// plus `"description"`, `"criterion"` (figures printed as words) and `"value"`, the unrounded
/// number (a count, k/n, a median or a P value).
public enum ReproductionJSON {
    public static func render(_ figures: [ReproducedFigure]) -> String {
        JSONValue.array(figures.map { f in
            .object([
                ("study", .string(f.study)), ("figure", .string(f.figure)), ("published", .string(f.published)),
                ("computed", .string(f.computed)), ("match", .bool(f.match)),
                ("description", .string(f.description)), ("criterion", f.criterion.map { .string($0) } ?? .null), ("value", .optionalNumber(f.value)),
            ])
        }).rendered(indent: 2) + "\n"
    }
}

import CohortData

/// Figure labels taken from the codebook: a column's `label` and `unit` when it declares them, else
/// its name. The one lookup used by the commands that write `--svg` and by `cohort report`'s
/// figures (issue 13: report forest plots showed bare term names while `logit --svg` showed labels).
public enum FigureLabels {
    /// The column's codebook label and unit, or its name; nil for a column the table lacks.
    public static func axis(_ table: DataTable, column name: String) -> AxisLabel? {
        guard let column = try? table.column(named: name) else { return nil }
        return AxisLabel(column.variable?.label ?? name, unit: column.variable?.unit)
    }

    /// The codebook label, or the name when there is none.
    public static func text(_ table: DataTable, column name: String) -> String {
        axis(table, column: name)?.text ?? name
    }

    /// The column's label when it is short enough for a figure title (long codebook labels explain
    /// codes and belong in legends), else its name.
    public static func short(_ table: DataTable, column name: String, limit: Int = 48) -> String {
        let label = text(table, column: name)
        return label.count <= limit ? label : name
    }

    /// Labels for a model's terms: a covariate's codebook label, and "label: LEVEL" for a level of a
    /// categorical covariate (term NAME[LEVEL]).
    public static func terms(_ table: DataTable, names: [String]) -> [String: String] {
        var labels: [String: String] = [:]
        for name in names {
            if let open = name.firstIndex(of: "["), name.hasSuffix("]") {
                let column = String(name[..<open]), level = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
                if let label = axis(table, column: column), label.text != column { labels[name] = "\(label.text): \(level)" }
            } else if let label = axis(table, column: name), label.text != name {
                labels[name] = label.rendered
            }
        }
        return labels
    }
}

/// The analysis-ready table `cohort derive` writes: the patient table's rows in input order, its
/// columns in their order (typed: codes as their levels, dates as ISO 8601, numbers in the
/// shortest form that reads back to the same value), then one column a derived variable. Missing
/// is an empty field.
///
/// It is data for the toolkit (or R, Stata) to read back, so fields are quoted by RFC 4180 and
/// otherwise written exactly: no spreadsheet-formula neutralising, which would change the values.
public enum AnalysisReadyCSV {
    public static func render(_ loaded: LoadedData) -> String {
        let table = loaded.table
        let derivedNames = Set(loaded.codebook?.derived.map(\.name) ?? [])
        var columns: [Column] = []
        for name in loaded.columnOrder {
            if let identifier = loaded.identifierColumns.first(where: { $0.name == name }) {
                columns.append(identifier)
            } else if let column = try? table.column(named: name) {
                columns.append(column)
            }
        }
        columns += table.columns.filter { derivedNames.contains($0.name) }
        var text = columns.map { field($0.name) }.joined(separator: ",") + "\n"
        text.reserveCapacity(table.rowCount * columns.count * 6)
        let writers = columns.map(writer)
        for r in 0..<table.rowCount {
            for (k, write) in writers.enumerated() {
                if k > 0 { text += "," }
                text += write(r)
            }
            text += "\n"
        }
        return text
    }

    private static func writer(_ column: Column) -> (Int) -> String {
        switch column.storage {
        case .numeric(let values):
            if column.variable?.type == .date {
                return { r in values[r].isNaN ? "" : CalendarDate(daysSinceEpoch: Int(values[r])).description }
            }
            return { r in values[r].isNaN ? "" : NumberText.shortest(values[r]) }
        case .text(let codes, let levels):
            let fields = levels.map(field)
            return { r in codes[r] < 0 ? "" : fields[Int(codes[r])] }
        }
    }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.hasPrefix(" ") || text.hasSuffix(" ") else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}

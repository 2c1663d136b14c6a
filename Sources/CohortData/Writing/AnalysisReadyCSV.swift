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
        // Written as bytes (one buffer, no String per field), then made a String once.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(table.rowCount * (columns.count * 6 + 1) + 256)
        bytes.append(contentsOf: columns.map { field($0.name) }.joined(separator: ",").utf8)
        bytes.append(UInt8(ascii: "\n"))
        let writers = columns.map(writer)
        for r in 0..<table.rowCount {
            for (k, write) in writers.enumerated() {
                if k > 0 { bytes.append(UInt8(ascii: ",")) }
                write(r, &bytes)
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func writer(_ column: Column) -> (Int, inout [UInt8]) -> Void {
        switch column.storage {
        case .numeric(let values):
            if column.variable?.type == .date {
                return { r, out in if !values[r].isNaN { out.append(contentsOf: CalendarDate(daysSinceEpoch: Int(values[r])).description.utf8) } }
            }
            return { r, out in if !values[r].isNaN { appendShortest(values[r], to: &out) } }
        case .text(let codes, let levels):
            let fields = levels.map { Array(field($0).utf8) }
            return { r, out in if codes[r] >= 0 { out.append(contentsOf: fields[Int(codes[r])]) } }
        }
    }

    /// `NumberText.shortest(x)` as UTF-8, without making a String for the usual whole number.
    static func appendShortest(_ x: Double, to out: inout [UInt8]) {
        // Whole numbers below 1e15 as NumberText writes them (Int64(x) truncates; no libm call).
        guard abs(x) < 1e15, Double(Int64(x)) == x else {
            out.append(contentsOf: x.isFinite ? x.description.utf8 : NumberText.shortest(x).utf8)
            return
        }
        var n = Int64(x)
        if n < 0 { out.append(UInt8(ascii: "-")); n = -n }
        let start = out.count
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(n % 10))
            n /= 10
        } while n > 0
        out[start...].reverse()
    }

    /// One CSV field: quoted when it holds a comma, a quote, a line break or surrounding spaces.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.hasPrefix(" ") || text.hasSuffix(" ") else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}

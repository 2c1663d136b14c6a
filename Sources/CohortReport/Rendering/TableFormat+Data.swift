import CohortData

/// RFC 4180: one header row of column keys, fields quoted when they need it. Title, preamble and
/// notes are left out: a CSV file is data for another program (docs/table-json.md).
///
/// Numbers are written as numbers a spreadsheet reads, with the digits the table prints: a count
/// `12`, a percentage `9.4` (no `%`), an interval as two columns `<key>Lower` and `<key>Upper`. A
/// cell the suppression rule hid is an empty field, and under suppression a last column
/// `suppressed` names the row's hidden cells by key (`n;percentOfEvents`): a `<5` in a count
/// column would turn the whole column into text.
///
/// A spreadsheet opening the file runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or
/// carriage return), after any leading spaces, as a formula: a level or column name taken from the
/// data could call out to the network or the shell (CSV injection). Such a cell is written with a
/// leading `'`, which spreadsheets show as text, unless it is a plain number (`-0.42` stays a number).
enum CSVRenderer {
    static func field(_ text: String) -> String {
        let safe = neutralised(text)
        guard safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return safe }
        return "\"" + safe.replacingAll("\"", with: "\"\"") + "\""
    }

    static func neutralised(_ text: String) -> String {
        let body = text.drop { $0 == " " }
        guard let first = body.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        if Double(body) != nil, body.unicodeScalars.allSatisfy({ "+-0123456789.eE".unicodeScalars.contains($0) }) { return text }
        return "'" + text
    }

    /// The CSV name of a part: a kind's single value, or a text, under the column's key; the
    /// parts of a composite as `<key><Part>` (`eventsEvents`, `ciLower`), a proportion as the
    /// percentage the table prints (`<key>Percent`).
    static func fieldName(_ key: String, part: String) -> String {
        switch part {
        case "value": key
        case "proportion": key + "Percent"
        case "sd": key + "SD"
        case "q1": key + "Q1"
        case "q3": key + "Q3"
        default: key + part.prefix(1).uppercased() + part.dropFirst()
        }
    }

    /// The parts column `c` is written as: every part of every kind it holds, in order of first
    /// appearance (a text cell and a count share the column's own field).
    static func parts(_ table: ReportTable, column c: Int) -> [String] {
        var seen: [String] = []
        var kinds = Set<TableCell.Kind>()
        for k in stride(from: c, to: table.cells.count, by: table.columns.count) where kinds.insert(table.cells[k].kind).inserted {
            let kind = table.cells[k].kind
            for part in kind == .text ? ["value"] : TableCell.parts(kind) where !seen.contains(part) { seen.append(part) }
        }
        return seen.isEmpty ? ["value"] : seen
    }

    /// Part `part` of cell `k` as CSV writes it: as the table prints it, without `%`, `<K` or a
    /// range's dash; a P value and a figure unrounded (`<0.001`, `9.4%` are not numbers); empty
    /// when hidden or absent.
    static func field(_ table: ReportTable, _ k: Int, part: String) -> String {
        let cell = table.cells[k]
        if cell.kind == .text { return part == "value" ? table.text(ofCell: k) : "" }
        guard let p = TableCell.parts(cell.kind).firstIndex(of: part), cell.status(ofPart: p) == .shown else { return "" }
        let x = table.numbers(ofCell: k)[Int(cell.slot) + p]
        guard x.isFinite else { return "" }
        let style = table.style
        switch (cell.kind, part) {
        case (.count, _), (_, "count"), (_, "events"), (_, "n"), (_, "missing"), (_, "distinct"): return String(Int(x))
        case (.dateRange, _): return CalendarDate(daysSinceEpoch: Int(x)).description
        case (.percent, _), (.percentInterval, _):
            return cell.format > 0 ? NumberStyle.fixed(x * 100, decimals: Int(cell.format) - 1) : style.percent(x)
        case (_, "proportion"): return style.percent(x)
        case (.pValue, _), (.figure, _): return NumberText.shortest(x)
        case (.number, _) where cell.format == TableCell.shortestDigits: return NumberText.shortest(x)
        case (.number, _) where cell.format >= TableCell.fixedDecimalsBase: return NumberStyle.fixed(x, decimals: Int(cell.format - TableCell.fixedDecimalsBase))
        case (.number, _), (.interval, _):
            var digits = style
            if cell.format > 0 { digits.significantDigits = Int(cell.format) }
            return digits.number(x)
        default:
            let summary = NumberStyle.Summary(whole: cell.format == 1)
            return cell.kind == .meanSD ? summary.number(x) : summary.value(x)
        }
    }

    static func render(_ table: ReportTable) -> String {
        var out = ""
        out.reserveCapacity(table.cellBytes + table.rowCount * table.columns.count + 4096)
        let columnParts = table.columns.indices.map { parts(table, column: $0) }
        let marked = table.style.suppression.isActive
        func line(_ fields: some Sequence<String>) {
            for (k, text) in fields.enumerated() {
                if k > 0 { out += "," }
                out += field(text)
            }
            out += "\n"
        }
        line(zip(table.columns, columnParts).flatMap { column, parts in parts.map { fieldName(column.key, part: $0) } } + (marked ? ["suppressed"] : []))
        for r in 0..<table.rowCount {
            let cells = table.row(r)
            var fields = zip(cells, columnParts).flatMap { k, parts in parts.map { field(table, k, part: $0) } }
            if marked {
                fields.append(zip(cells, table.columns).filter { table.cells[$0.0].isSuppressed }.map { $0.1.key }.joined(separator: ";"))
            }
            line(fields)
        }
        return out
    }
}

/// The table as JSON (docs/table-json.md): title, preamble, columns, `suppressBelow` (K, or null
/// without suppression), rows of cells keyed by column, notes. Every cell is an object with its
/// kind, its numbers unrounded, the text the table prints and whether it is suppressed; a
/// suppressed cell keeps its keys with null numbers, so the schema is one with and without
/// suppression (issue 13).
enum JSONRenderer {
    /// Written a row at a time into one string reserved up front, the same text as the whole as
    /// one `JSONValue` rendered: a Table 1 of 300,000 variables held as a tree of cell objects
    /// took over a gigabyte (issue 12's lesson, again for issue 13's cells).
    static func render(_ table: ReportTable) -> String {
        var out = "{"
        out.reserveCapacity(table.cellBytes + table.cells.count * 64 + 4096)
        func pair(_ key: String, _ value: JSONValue) {
            if out.utf8.count > 1 { out += "," }
            out += JSONValue.quote(key) + ":" + value.rendered()
        }
        if let title = table.title { pair("title", .string(title)) }
        pair("preamble", .array(table.preamble.map(JSONValue.string)))
        pair("columns", .array(table.columns.map { .object([("key", .string($0.key)), ("header", .string($0.header))]) }))
        pair("suppressBelow", table.style.suppression.isActive ? .integer(table.style.suppression.threshold) : .null)
        out += ",\"rows\":["
        for r in 0..<table.rowCount {
            if r > 0 { out += "," }
            out += JSONValue.object(zip(table.columns, table.row(r)).map { ($0.key, cell(table, $1)) }).rendered()
        }
        out += "]"
        pair("notes", .array(table.notes.map(JSONValue.string)))
        return out + "}\n"
    }

    static func cell(_ table: ReportTable, _ k: Int) -> JSONValue {
        let cell = table.cells[k]
        let numbers = table.numbers(ofCell: k)
        var pairs: [(String, JSONValue)] = [("kind", .string(String(describing: cell.kind)))]
        for (p, part) in TableCell.parts(cell.kind).enumerated() {
            let x = numbers[numbers.startIndex + p]
            let whole = cell.kind == .count || cell.kind == .dateRange || ["count", "events", "n", "missing", "distinct"].contains(part)
            pairs.append((part, cell.status(ofPart: p) != .shown || !x.isFinite ? .null : whole ? .integer(Int(x)) : .number(x)))
        }
        pairs += [("text", .string(table.text(ofCell: k))), ("suppressed", .bool(cell.isSuppressed))]
        return .object(pairs)
    }
}

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Reads one worksheet of an Excel workbook (`.xlsx`, Office Open XML) as the comma-separated text
/// that Excel's "Save as CSV" writes, which ``CSVReader`` then reads like any CSV file: the types,
/// the missing values, the codebook and every message are the CSV reader's, so a workbook and the
/// same data saved as CSV give the same results (issue 18).
///
/// - The container is read with ZIPFoundation; the XML with Foundation's event-driven `XMLParser`
///   (no document tree is built; the sheet's XML is held uncompressed while it is parsed).
/// - Cells: shared strings (`t="s"`, rich-text runs joined, phonetic runs left out), inline strings
///   (`t="inlineStr"`), formula strings (`t="str"`), booleans (`TRUE`/`FALSE`), error values as
///   Excel shows them (`#N/A`), numbers in shortest round-trip form, and formulas through the value
///   Excel cached when it last saved (a formula without one is an empty cell).
/// - A number under a date format (built-in formats 14-22, 27-36, 45-47, 50-58, or a custom format
///   with d, m, y, h or s outside quotes and brackets) is a date: serial day `s` is
///   1899-12-30 + `s` days in the 1900 date system (1899-12-31 + `s` before 1900-03-01, Excel's
///   phantom 1900-02-29 being day 60) and 1904-01-01 + `s` days in the 1904 system
///   (`<workbookPr date1904="1"/>`). A whole day is written `YYYY-MM-DD`, a time `YYYY-MM-DD hh:mm:ss`.
/// - The header is the first row with a value; rows keep their sheet numbers as "lines", so a
///   message names the row to open. Rows without a value are skipped, as blank lines are in CSV.
/// - Merged cells are refused, naming the range: a merged header names one column of several, and a
///   merged body cell leaves its other cells empty.
enum WorkbookReader {
    /// The sheet as CSV bytes and the name messages use: `FILE[SHEET]`.
    static func csv(path: String, sheet: String?) throws(DataError) -> (bytes: [UInt8], source: String) {
        let archive = try open(path)
        let workbook = try parse(path, archive, entry: "xl/workbook.xml", into: WorkbookHandler())
        let relations = try parse(path, archive, entry: "xl/_rels/workbook.xml.rels", into: RelationsHandler())
        guard !workbook.sheets.isEmpty else { throw .inputFormat(source: path, message: "the workbook has no worksheets") }
        let chosen: (name: String, relation: String)
        if let sheet {
            guard let found = workbook.sheets.first(where: { $0.name == sheet }) else {
                throw .inputFormat(source: path, message: "no sheet named '\(sheet)'; the sheets are: "
                    + workbook.sheets.map { "'\($0.name)'" }.joined(separator: ", "))
            }
            chosen = found
        } else {
            chosen = workbook.sheets[0]
        }
        let source = "\(path)[\(chosen.name)]"
        guard let target = relations.targets[chosen.relation] else {
            throw .inputFormat(source: source, message: "the workbook names no part for this sheet (relation \(chosen.relation)); the file is damaged")
        }
        var strings: [String] = [], dateStyles: [Bool] = []
        if let part = relations.target(ofTypeEnding: "/sharedStrings") { strings = try parse(path, archive, entry: part, into: SharedStringsHandler()).strings }
        if let part = relations.target(ofTypeEnding: "/styles") { dateStyles = try parse(path, archive, entry: part, into: StylesHandler()).dateStyles }
        let handler = SheetHandler(strings: strings, dateStyles: dateStyles, date1904: workbook.date1904, source: source)
        let parsed = try parse(source, archive, entry: RelationsHandler.resolved(target), into: handler)
        if let merged = parsed.merged.first {
            let header = parsed.headerRow.map { merged.rows.contains($0) } ?? false
            throw .inputFormat(source: source, message: "cells \(merged.text) are merged\(header ? " in the header row" : ""); "
                + "unmerge them and give every column its own name and every row its own value")
        }
        return (parsed.output, source)
    }

    /// The archive, or a message saying what the file is instead: an encrypted workbook (an OLE
    /// compound file holding `EncryptionInfo`), an Excel 97-2003 `.xls`, or not a ZIP container.
    private static func open(_ path: String) throws(DataError) -> Archive {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .fileUnreadable(source: path, reason: "no such file, or it cannot be opened")
        }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        if Array(head) == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
            let whole = (try? handle.readToEnd()) ?? Data()
            try? handle.close()
            let marker = Data("EncryptionInfo".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            if whole.range(of: marker) != nil {
                throw .inputFormat(source: path, message: "the workbook is password-protected (encrypted); open it in Excel, remove the password (File > Info > Protect Workbook) and save it again")
            }
            throw .inputFormat(source: path, message: "an Excel 97-2003 workbook (.xls, an OLE container), not .xlsx; save it as an Excel Workbook (.xlsx) or as CSV")
        }
        try? handle.close()
        do {
            return try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw .inputFormat(source: path, message: "not a readable .xlsx workbook (its ZIP container is damaged or it is another kind of file)")
        }
    }

    /// Parses one part of the archive with `handler`; a missing part or XML that is not well formed
    /// is a damaged workbook, named with the part (and the line of the XML).
    private static func parse<H: WorkbookPartHandler>(_ source: String, _ archive: Archive, entry path: String, into handler: H) throws(DataError) -> H {
        guard let entry = archive[path] else {
            throw .inputFormat(source: source, message: "the workbook has no part \(path); the file is damaged or not an Excel workbook")
        }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
        } catch {
            throw .inputFormat(source: source, message: "the workbook's part \(path) cannot be decompressed; the file is damaged")
        }
        // Parsed from a stream, which XMLParser feeds to libxml2 in chunks: given the data whole, it
        // reported a sheet of 94 MB of XML (100,000 rows) as not well-formed after its last element.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.delegate = handler
        let ok = parser.parse()
        if let failure = handler.failure { throw failure }
        guard ok else {
            throw .inputFormat(source: source, message: "the workbook's part \(path) is not well-formed XML (line \(parser.lineNumber)); the file is damaged")
        }
        return handler
    }
}

/// A delegate that may stop the parse with a message. The three events are declared here and
/// overridden: a protocol's witnesses are the conforming class's own (no Objective-C dispatch on
/// Linux), so methods only a subclass declares would never be called.
class WorkbookPartHandler: NSObject, XMLParserDelegate {
    var failure: DataError?

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {}
    func parser(_ parser: XMLParser, foundCharacters string: String) {}
    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {}

    func fail(_ parser: XMLParser, _ error: DataError) {
        if failure == nil { failure = error }
        parser.abortParsing()
    }
}

/// `xl/workbook.xml`: the sheets in order, and the date system.
final class WorkbookHandler: WorkbookPartHandler {
    var sheets: [(name: String, relation: String)] = []
    var date1904 = false

    override func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch element {
        case "sheet":
            let relation = attributes["r:id"] ?? attributes.first { $0.key.hasSuffix(":id") }?.value ?? ""
            sheets.append((attributes["name"] ?? "", relation))
        case "workbookPr":
            let flag = attributes["date1904"] ?? "0"
            date1904 = flag == "1" || flag.lowercased() == "true"
        default: break
        }
    }
}

/// `xl/_rels/workbook.xml.rels`: relation id to part.
final class RelationsHandler: WorkbookPartHandler {
    var targets: [String: String] = [:]
    var types: [(type: String, target: String)] = []

    override func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        guard element == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        targets[id] = target
        types.append((attributes["Type"] ?? "", target))
    }

    func target(ofTypeEnding suffix: String) -> String? {
        types.first { $0.type.hasSuffix(suffix) }.map { Self.resolved($0.target) }
    }

    /// A target relative to `xl/`, or absolute within the package.
    static func resolved(_ target: String) -> String {
        target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }
}

/// `xl/sharedStrings.xml`: each `<si>`'s text, its runs joined, phonetic runs (`<rPh>`) left out.
final class SharedStringsHandler: WorkbookPartHandler {
    var strings: [String] = []
    private var current = ""
    private var inText = false
    private var phonetic = 0

    override func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch element {
        case "si": current = ""
        case "t": inText = phonetic == 0
        case "rPh": phonetic += 1
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }

    override func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        switch element {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": phonetic -= 1
        default: break
        }
    }
}

/// `xl/styles.xml`: which cell formats (`<cellXfs>` entries, by index) show a number as a date.
final class StylesHandler: WorkbookPartHandler {
    var dateStyles: [Bool] = []
    private var customDates: [Int: Bool] = [:]
    private var inCellFormats = false

    override func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch element {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init) { customDates[id] = Self.isDateFormat(attributes["formatCode"] ?? "") }
        case "cellXfs": inCellFormats = true
        case "xf" where inCellFormats:
            let id = attributes["numFmtId"].flatMap(Int.init) ?? 0
            dateStyles.append(customDates[id] ?? Self.builtInDates.contains(id))
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        if element == "cellXfs" { inCellFormats = false }
    }

    /// Excel's built-in date and time formats (ECMA-376 part 1, 18.8.30, and the East Asian ones).
    static let builtInDates: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// A custom format shows a date or time when d, m, y, h or s (any case) stands outside quoted
    /// text, `[...]` sections (colours, conditions, elapsed-time brackets aside) and escaped characters.
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false, bracket = false, escaped = false
        for ch in code {
            if escaped { escaped = false; continue }
            switch ch {
            case "\\" where !quoted: escaped = true
            case "\"": quoted.toggle()
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            default:
                if !quoted, !bracket, "dmyhsDMYHS".contains(ch) { return true }
            }
        }
        return false
    }
}

/// One worksheet, row by row, written out as CSV as it is parsed.
final class SheetHandler: WorkbookPartHandler {
    private let strings: [String]
    private let dateStyles: [Bool]
    private let date1904: Bool
    private let source: String

    private(set) var output: [UInt8] = []
    private(set) var headerRow: Int?
    private(set) var merged: [(text: String, rows: ClosedRange<Int>)] = []
    private var width = 0
    private var linesWritten = 0

    private var row = 0
    private var cells: [(column: Int, text: String)] = []
    private var column = -1
    private var type = ""
    private var style = 0
    private var value = ""
    private var collecting = false
    private var hasValue = false
    private var phonetic = 0

    init(strings: [String], dateStyles: [Bool], date1904: Bool, source: String) {
        self.strings = strings
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.source = source
    }

    override func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch element {
        case "row":
            row = attributes["r"].flatMap(Int.init) ?? row + 1
            cells.removeAll(keepingCapacity: true)
            column = -1
        case "c":
            if let reference = attributes["r"] {
                guard let parsed = Self.columnIndex(reference) else {
                    return fail(parser, .inputFormat(source: source, message: "row \(row): a cell reference '\(reference)' that is not a cell; the file is damaged"))
                }
                column = parsed
            } else {
                column += 1
            }
            type = attributes["t"] ?? "n"
            style = attributes["s"].flatMap(Int.init) ?? 0
            value = ""
            hasValue = false
        case "v":
            collecting = true
            hasValue = true
        case "t":
            if phonetic == 0 { collecting = true; hasValue = true }
        case "rPh": phonetic += 1
        case "mergeCell":
            if let reference = attributes["ref"] { merged.append((reference, Self.rows(of: reference))) }
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if collecting { value += string }
    }

    override func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        switch element {
        case "v", "t": collecting = false
        case "rPh": phonetic -= 1
        case "c":
            guard hasValue else { return }
            do throws(DataError) {
                let text = try cellText()
                if !text.isEmpty { cells.append((column, text)) }
            } catch {
                fail(parser, error)
            }
        case "row": writeRow()
        default: break
        }
    }

    /// The cell's value as Excel's CSV export shows it (dates as ISO 8601).
    private func cellText() throws(DataError) -> String {
        switch type {
        case "s":
            guard let k = Int(value), strings.indices.contains(k) else {
                throw .inputFormat(source: source, message: "cell \(Self.reference(column, row)): shared string \(value) does not exist; the file is damaged")
            }
            return strings[k]
        case "inlineStr", "str", "e": return value
        case "b": return value == "1" || value.lowercased() == "true" ? "TRUE" : "FALSE"
        case "d":
            // An ISO 8601 date-time: the date alone when the time is midnight.
            if value.hasSuffix("T00:00:00") || value.hasSuffix("T00:00:00Z") { return String(value.prefix(10)) }
            return value.replacingOccurrences(of: "T", with: " ")
        default:
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return "" }
            guard let number = Double(trimmed), number.isFinite else {
                throw .inputFormat(source: source, message: "cell \(Self.reference(column, row)): '\(trimmed)' is stored as a number but is not one; the file is damaged")
            }
            if dateStyles.indices.contains(style), dateStyles[style] { return Self.dateText(serial: number, date1904: date1904) }
            return NumberText.shortest(number)
        }
    }

    /// A serial date as `YYYY-MM-DD`, with ` hh:mm:ss` when it holds a time of day.
    static func dateText(serial: Double, date1904: Bool) -> String {
        // Days from 1970-01-01 to the system's day 0: 1904-01-01, or 1899-12-30 (1899-12-31 for
        // serials before 61, below Excel's phantom 1900-02-29).
        SpreadsheetInput.dateText(days: serial, epoch: date1904 ? -24107 : (serial < 61 ? -25568 : -25569))
    }

    private func writeRow() {
        guard let last = cells.map(\.column).max() else { return }
        if headerRow == nil {
            headerRow = row
            width = cells.map(\.column).max()! + 1
        }
        // Blank lines for the rows without values, so that CSV line k is sheet row k.
        while linesWritten < row - 1 {
            output.append(0x0A)
            linesWritten += 1
        }
        let fields = max(width, last + 1)
        var next = 0
        for cell in cells.sorted(by: { $0.column < $1.column }) {
            while next < cell.column {
                if next > 0 { output.append(0x2C) }
                next += 1
            }
            if next > 0 { output.append(0x2C) }
            SpreadsheetInput.appendField(cell.text, to: &output)
            next += 1
        }
        while next < fields {
            output.append(0x2C)
            next += 1
        }
        output.append(0x0A)
        linesWritten += 1
    }

    /// The zero-based column of a reference such as `AB12`.
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0, letters = 0
        for byte in reference.utf8 {
            guard byte >= 0x41, byte <= 0x5A else { break }
            index = index * 26 + Int(byte - 0x40)
            letters += 1
        }
        return letters == 0 || letters > 3 ? nil : index - 1
    }

    /// `B7` for column 1, row 7.
    static func reference(_ column: Int, _ row: Int) -> String {
        var name = "", n = column + 1
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name + String(row)
    }

    /// The rows of a range such as `A1:C2`.
    static func rows(of range: String) -> ClosedRange<Int> {
        let ends = range.split(separator: ":").map { Int($0.drop { $0.isLetter }) ?? 0 }
        let first = ends.first ?? 0, last = ends.last ?? first
        return min(first, last)...max(first, last)
    }
}

import Foundation
import ZIPFoundation

/// Reads one worksheet of an Excel workbook (`.xlsx`, Office Open XML) as the comma-separated text
/// that Excel's "Save as CSV" writes, which ``CSVReader`` then reads like any CSV file: the types,
/// the missing values, the codebook and every message are the CSV reader's, so a workbook and the
/// same data saved as CSV give the same results (issue 18).
///
/// - The container is read with ZIPFoundation; each XML part is streamed as it is decompressed
///   (64 KiB at a time) into libxml2's SAX2 push parser (``XMLPushParser``), whose byte-level events
///   the part's handler turns into values: no part is held whole and no document tree is built.
///   The sheet's rows are written as CSV lines as they end, so memory holds the CSV text, the
///   shared strings (already spelled as CSV fields) and a chunk of XML.
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
    /// The sheet as CSV text and the name messages use: `FILE[SHEET]`.
    static func csv(path: String, sheet: String?) throws(DataError) -> (input: InputBytes, source: String) {
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
        var strings: [[UInt8]] = [], dateStyles: [Bool] = []
        if let part = relations.target(ofTypeEnding: "/sharedStrings") { strings = try parse(path, archive, entry: part, into: SharedStringsHandler()).strings }
        if let part = relations.target(ofTypeEnding: "/styles") { dateStyles = try parse(path, archive, entry: part, into: StylesHandler()).dateStyles }
        let handler = SheetHandler(strings: strings, dateStyles: dateStyles, date1904: workbook.date1904, source: source)
        let parsed = try parse(source, archive, entry: RelationsHandler.resolved(target), into: handler)
        if let merged = parsed.merged.first {
            let header = parsed.headerRow.map { merged.rows.contains($0) } ?? false
            throw .inputFormat(source: source, message: "cells \(merged.text) are merged\(header ? " in the header row" : ""); "
                + "unmerge them and give every column its own name and every row its own value")
        }
        return (parsed.output.finish(), source)
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

    /// Parses one part of the archive with `handler`, fed to the parser as it is decompressed; a
    /// missing part or XML that is not well formed is a damaged workbook, named with the part (and
    /// the line of the XML).
    private static func parse<H: XMLPartHandler>(_ source: String, _ archive: Archive, entry path: String, into handler: H) throws(DataError) -> H {
        guard let entry = archive[path] else {
            throw .inputFormat(source: source, message: "the workbook has no part \(path); the file is damaged or not an Excel workbook")
        }
        let parser = XMLPushParser(handler: handler)
        var wellFormed = true
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { chunk in
                if wellFormed { wellFormed = chunk.withUnsafeBytes { parser.feed($0) } }
            }
        } catch {
            if let failure = handler.failure { throw failure }
            throw .inputFormat(source: source, message: "the workbook's part \(path) cannot be decompressed; the file is damaged")
        }
        if wellFormed { wellFormed = parser.finish() }
        if let failure = handler.failure { throw failure }
        guard wellFormed else {
            throw .inputFormat(source: source, message: "the workbook's part \(path) is not well-formed XML (line \(parser.line)); the file is damaged")
        }
        return handler
    }
}

/// `xl/workbook.xml`: the sheets in order, and the date system.
final class WorkbookHandler: XMLPartHandler {
    var sheets: [(name: String, relation: String)] = []
    var date1904 = false

    override func start(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        if xmlName(name, is: "sheet") {
            // The relation is `r:id`, whatever the namespace's prefix.
            sheets.append((attributes.decodedString("name", prefixed: false) ?? "", attributes.decodedString("id", prefixed: true) ?? ""))
        } else if xmlName(name, is: "workbookPr") {
            let flag = attributes.decodedString("date1904") ?? "0"
            date1904 = flag == "1" || flag.lowercased() == "true"
        }
    }
}

/// `xl/_rels/workbook.xml.rels`: relation id to part.
final class RelationsHandler: XMLPartHandler {
    var targets: [String: String] = [:]
    var types: [(type: String, target: String)] = []

    override func start(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        guard xmlName(name, is: "Relationship"), let id = attributes.decodedString("Id"), let target = attributes.decodedString("Target") else { return }
        targets[id] = target
        types.append((attributes.decodedString("Type") ?? "", target))
    }

    func target(ofTypeEnding suffix: String) -> String? {
        types.first { $0.type.hasSuffix(suffix) }.map { Self.resolved($0.target) }
    }

    /// A target relative to `xl/`, or absolute within the package.
    static func resolved(_ target: String) -> String {
        target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }
}

/// `xl/sharedStrings.xml`: each `<si>`'s text, its runs joined, phonetic runs (`<rPh>`) left out,
/// kept as the CSV field it becomes (the sheet copies it for each cell that uses it).
final class SharedStringsHandler: XMLPartHandler {
    var strings: [[UInt8]] = []
    private var current: [UInt8] = []
    private var inText = false
    private var phonetic = 0

    override func start(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        if xmlName(name, is: "si") {
            current.removeAll(keepingCapacity: true)
        } else if xmlName(name, is: "t") {
            inText = phonetic == 0
        } else if xmlName(name, is: "rPh") {
            phonetic += 1
        }
    }

    override func characters(_ text: UnsafeBufferPointer<UInt8>) {
        if inText { current.append(contentsOf: text) }
    }

    override func end(_ name: UnsafePointer<UInt8>) {
        if xmlName(name, is: "si") {
            var field: [UInt8] = []
            current.withUnsafeBufferPointer { SpreadsheetInput.appendField(bytes: $0, to: &field) }
            strings.append(field)
        } else if xmlName(name, is: "t") {
            inText = false
        } else if xmlName(name, is: "rPh") {
            phonetic -= 1
        }
    }
}

/// `xl/styles.xml`: which cell formats (`<cellXfs>` entries, by index) show a number as a date.
final class StylesHandler: XMLPartHandler {
    var dateStyles: [Bool] = []
    private var customDates: [Int: Bool] = [:]
    private var inCellFormats = false

    override func start(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        if xmlName(name, is: "numFmt") {
            if let id = attributes.decodedString("numFmtId").flatMap(Int.init) { customDates[id] = Self.isDateFormat(attributes.decodedString("formatCode") ?? "") }
        } else if xmlName(name, is: "cellXfs") {
            inCellFormats = true
        } else if inCellFormats, xmlName(name, is: "xf") {
            let id = attributes.decodedString("numFmtId").flatMap(Int.init) ?? 0
            dateStyles.append(customDates[id] ?? Self.builtInDates.contains(id))
        }
    }

    override func end(_ name: UnsafePointer<UInt8>) {
        if xmlName(name, is: "cellXfs") { inCellFormats = false }
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

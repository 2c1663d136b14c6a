#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One worksheet, row by row, written out as CSV as it is parsed: each row's cells are collected
/// as CSV fields in one byte buffer and the row is appended to ``output`` when it ends.
final class SheetHandler: XMLPartHandler {
    private let strings: [[UInt8]]
    private let dateStyles: [Bool]
    private let date1904: Bool
    private let source: String

    let output = ConvertedText()
    private(set) var headerRow: Int?
    private(set) var merged: [(text: String, rows: ClosedRange<Int>)] = []
    private var width = 0
    private var linesWritten = 0

    private var row = 0
    /// The row's cells with a value: their columns, and where each one's field ends in `fields`.
    private var cells: [(column: Int, end: Int)] = []
    private var fields: [UInt8] = []
    private var line: [UInt8] = []
    private var column = -1
    private var type = CellType.number
    private var style = 0
    private var value: [UInt8] = []
    private var collecting = false
    private var hasValue = false
    private var phonetic = 0

    /// A cell's `t` attribute.
    enum CellType { case number, shared, inline, formula, error, boolean, date }

    init(strings: [[UInt8]], dateStyles: [Bool], date1904: Bool, source: String) {
        self.strings = strings
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.source = source
    }

    override func start(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        if xmlName(name, is: "c") {
            if let reference = attributes.bytes("r") {
                guard let parsed = Self.columnIndex(reference) else {
                    return fail(.inputFormat(source: source, message: "row \(row): a cell reference '\(String(decoding: reference, as: UTF8.self))' that is not a cell; the file is damaged"))
                }
                column = parsed
            } else {
                column += 1
            }
            type = attributes.bytes("t").map(Self.cellType) ?? .number
            style = attributes.bytes("s").flatMap(Self.integer) ?? 0
            value.removeAll(keepingCapacity: true)
            hasValue = false
        } else if xmlName(name, is: "v") {
            collecting = true
            hasValue = true
        } else if xmlName(name, is: "t") {
            if phonetic == 0 { collecting = true; hasValue = true }
        } else if xmlName(name, is: "row") {
            row = attributes.bytes("r").flatMap(Self.integer) ?? row + 1
            cells.removeAll(keepingCapacity: true)
            fields.removeAll(keepingCapacity: true)
            column = -1
        } else if xmlName(name, is: "rPh") {
            phonetic += 1
        } else if xmlName(name, is: "mergeCell") {
            if let reference = attributes.decodedString("ref") { merged.append((reference, Self.rows(of: reference))) }
        }
    }

    override func characters(_ text: UnsafeBufferPointer<UInt8>) {
        if collecting { value.append(contentsOf: text) }
    }

    override func end(_ name: UnsafePointer<UInt8>) {
        if xmlName(name, is: "v") || xmlName(name, is: "t") {
            collecting = false
        } else if xmlName(name, is: "c") {
            guard hasValue else { return }
            do throws(DataError) {
                let start = fields.count
                try appendCell()
                if fields.count > start { cells.append((column, fields.count)) }
            } catch {
                fail(error)
            }
        } else if xmlName(name, is: "row") {
            writeRow()
        } else if xmlName(name, is: "rPh") {
            phonetic -= 1
        }
    }

    static func cellType(_ bytes: UnsafeBufferPointer<UInt8>) -> CellType {
        switch String(decoding: bytes, as: UTF8.self) {
        case "s": .shared
        case "inlineStr": .inline
        case "str": .formula
        case "e": .error
        case "b": .boolean
        case "d": .date
        default: .number
        }
    }

    /// A non-negative decimal integer (a row number, a style or shared-string index).
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var n = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            n = n * 10 + Int(byte - 0x30)
        }
        return n
    }

    /// The cell's value as the CSV field Excel's CSV export writes (dates as ISO 8601), appended
    /// to `fields`; nothing for an empty value.
    private func appendCell() throws(DataError) {
        switch type {
        case .shared:
            guard let k = value.withUnsafeBufferPointer(Self.integer), strings.indices.contains(k) else {
                throw .inputFormat(source: source, message: "cell \(Self.reference(column, row)): shared string \(String(decoding: value, as: UTF8.self)) does not exist; the file is damaged")
            }
            fields.append(contentsOf: strings[k])
        case .inline, .formula, .error:
            value.withUnsafeBufferPointer { SpreadsheetInput.appendField(bytes: $0, to: &fields) }
        case .boolean:
            let text = String(decoding: value, as: UTF8.self)
            fields.append(contentsOf: (text == "1" || text.lowercased() == "true" ? "TRUE" : "FALSE").utf8)
        case .date:
            // An ISO 8601 date-time: the date alone when the time is midnight.
            let text = String(decoding: value, as: UTF8.self)
            if text.hasSuffix("T00:00:00") || text.hasSuffix("T00:00:00Z") {
                SpreadsheetInput.appendField(String(text.prefix(10)), to: &fields)
            } else {
                SpreadsheetInput.appendField(String(text.map { $0 == "T" ? " " : $0 }), to: &fields)
            }
        case .number:
            guard let number = try self.number() else { return }
            if dateStyles.indices.contains(style), dateStyles[style] {
                return SpreadsheetInput.appendField(Self.dateText(serial: number, date1904: date1904), to: &fields)
            }
            NumberText.appendShortest(number, to: &fields)
        }
    }

    /// The value of a number cell, spaces and tabs around it left out; nil when it is empty.
    /// Read by `strtod` with the whole text consumed, as Swift's `Double(_:)` reads text.
    private func number() throws(DataError) -> Double? {
        var first = 0, end = value.count
        while first < end, value[first] == 0x20 || value[first] == 0x09 { first += 1 }
        while end > first, value[end - 1] == 0x20 || value[end - 1] == 0x09 { end -= 1 }
        if first == end { return nil }
        value.append(0)
        let number: Double? = value.withUnsafeBufferPointer { bytes in
            // strtod would skip other leading white space; Double(_:) reads none.
            guard let base = bytes.baseAddress, bytes[first] > 0x20 else { return nil }
            var stop: UnsafeMutablePointer<CChar>?
            let start = UnsafeRawPointer(base + first).assumingMemoryBound(to: CChar.self)
            let x = strtod(start, &stop)
            guard let stop, UnsafeRawPointer(stop) == UnsafeRawPointer(base + end) else { return nil }
            return x
        }
        value.removeLast()
        guard let number, number.isFinite else {
            let text = String(decoding: value[first..<end], as: UTF8.self)
            throw .inputFormat(source: source, message: "cell \(Self.reference(column, row)): '\(text)' is stored as a number but is not one; the file is damaged")
        }
        return number
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
            width = last + 1
        }
        // Blank lines for the rows without values, so that CSV line k is sheet row k.
        line.removeAll(keepingCapacity: true)
        while linesWritten < row - 1 {
            line.append(0x0A)
            linesWritten += 1
        }
        let count = max(width, last + 1)
        // The cells in column order (a sheet lists them so; a stable sort keeps any other order's ties).
        var order = Array(cells.indices)
        if !cells.indices.dropFirst().allSatisfy({ cells[$0 - 1].column <= cells[$0].column }) {
            order.sort { (cells[$0].column, $0) < (cells[$1].column, $1) }
        }
        var next = 0
        for k in order {
            let cell = cells[k]
            while next < cell.column {
                if next > 0 { line.append(0x2C) }
                next += 1
            }
            if next > 0 { line.append(0x2C) }
            line.append(contentsOf: fields[(k == 0 ? 0 : cells[k - 1].end)..<cell.end])
            next += 1
        }
        while next < count {
            line.append(0x2C)
            next += 1
        }
        line.append(0x0A)
        linesWritten += 1
        output.append(line)
    }

    /// The zero-based column of a reference such as `AB12`.
    static func columnIndex<C: Collection<UInt8>>(_ reference: C) -> Int? {
        var index = 0, letters = 0
        for byte in reference {
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

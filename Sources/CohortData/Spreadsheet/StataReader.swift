import Foundation

/// Reads a Stata data file (`.dta`, formats 117, 118 and 119: Stata 13 and later) as CSV text,
/// which ``CSVReader`` then reads like any CSV file, so a `.dta` and the same data saved as CSV give
/// the same results (issue 18).
///
/// The file is memory-mapped, not copied. The header, the long strings and the value labels are
/// read first; the observations are then written as CSV bytes straight from the fixed-width
/// records, in blocks of rows converted in parallel and joined in row order
/// (StataFile+Records.swift), into one buffer the CSV reader takes over. `variableLabels` reads the
/// header alone.
///
/// The format is Stata's `help dta`: a tagged header (`<release>`, `<byteorder>` MSF or LSF, the
/// number of variables K and observations N), a map of section offsets, then the variables' types,
/// names, display formats, value-label names and labels, the data (one fixed-width record an
/// observation), the long strings (`<strls>`, "GSO" entries) and the value-label tables.
///
/// - byte, int, long: whole numbers; float: its shortest single-precision spelling (what Stata
///   shows, so 0.1f reads as 0.1, not 0.10000000149); double: shortest round-trip form.
/// - Missing values: `.` and `.a`-`.z` (byte above 100, int above 32,740, long above 2,147,483,620,
///   float at or above 2¹²⁷, double at or above 2¹⁰²³) are empty fields, that is missing.
/// - str# (NUL-padded) and strL: text, UTF-8 (format 117: Latin-1 where the bytes are not UTF-8);
///   an empty string is missing, as an empty CSV field is.
/// - A value with a label in its variable's value-label table is written as the label (Stata's
///   `decode`, pandas' `convert_categoricals`); a value without one stays a number.
/// - Display format `%td` (and the old `%d`): days since 1960-01-01, written `YYYY-MM-DD`;
///   `%tc`/`%tC`: milliseconds since 1960-01-01 00:00, written `YYYY-MM-DD hh:mm:ss` (the date alone
///   at midnight).
/// - Line k + 1 of the text is observation k, so messages name `FILE.dta:LINE` as for CSV.
enum StataReader {
    /// The file as CSV text. `blockRows` sets how many observations a block holds (tests force
    /// small blocks; nil chooses about 4 MB of records a block); the text does not depend on it.
    static func csv(path: String, blockRows: Int? = nil) throws(DataError) -> (input: InputBytes, source: String) {
        var file = try StataFile(input: open(path), source: path)
        try file.readHeader()
        return (try file.csv(blockRows: blockRows), path)
    }

    /// The variables' labels (`label variable`), by name; those without one left out. Reads the
    /// header alone, not the observations.
    static func variableLabels(path: String) throws(DataError) -> [String: String] {
        var file = try StataFile(input: open(path), source: path)
        try file.readHeader()
        return file.variableLabels
    }

    /// The file mapped into memory (not copied): its pages are read as the records are converted.
    private static func open(_ path: String) throws(DataError) -> InputBytes {
        do {
            return try InputBytes(path: path, source: path)
        } catch {
            throw .fileUnreadable(source: path, reason: "no such file, or it cannot be opened")
        }
    }
}

/// A Stata file's header (its variables, value labels and long strings) read from the mapped
/// bytes; ``csv(blockRows:)`` (StataFile+Records.swift) then converts the observations.
struct StataFile {
    let input: InputBytes
    let source: String
    var bytes: UnsafeBufferPointer<UInt8> { input.buffer }
    private var position = 0
    private(set) var bigEndian = false
    private(set) var release = 0
    private(set) var variableLabels: [String: String] = [:]
    private(set) var n = 0
    private(set) var names: [String] = []
    private(set) var types: [Int] = []
    private(set) var widths: [Int] = []
    private(set) var formats: [String] = []
    private(set) var labelNames: [String] = []
    private(set) var dataStart = 0
    private(set) var recordWidth = 0
    private var map: [Int] = []

    init(input: InputBytes, source: String) {
        self.input = input
        self.source = source
    }

    func damaged(_ what: String) -> DataError {
        .inputFormat(source: source, message: "not a readable Stata file: \(what)")
    }

    private mutating func expect(_ tag: String) throws(DataError) {
        let tagBytes = Array(tag.utf8)
        guard position + tagBytes.count <= bytes.count, Array(bytes[position..<(position + tagBytes.count)]) == tagBytes else {
            throw damaged("expected \(tag) at byte \(position); the file is damaged or truncated")
        }
        position += tagBytes.count
    }

    /// An unsigned integer of `width` bytes at `offset`, in the file's byte order.
    func unsigned(at offset: Int, width: Int) throws(DataError) -> UInt64 {
        guard offset >= 0, offset + width <= bytes.count else { throw damaged("it ends before byte \(offset + width); the file is truncated") }
        var value: UInt64 = 0
        for k in 0..<width {
            let byte = UInt64(bytes[offset + (bigEndian ? k : width - 1 - k)])
            value = value << 8 | byte
        }
        return value
    }

    private mutating func read(_ width: Int) throws(DataError) -> Int {
        let value = try unsigned(at: position, width: width)
        position += width
        return Int(value)
    }

    /// NUL-terminated text in `count` bytes at `offset`.
    private func text(at offset: Int, count: Int) throws(DataError) -> String {
        guard offset >= 0, offset + count <= bytes.count else { throw damaged("it ends inside a name or label; the file is truncated") }
        var end = offset
        while end < offset + count, bytes[end] != 0 { end += 1 }
        return decode(bytes[offset..<end])
    }

    /// UTF-8; Latin-1 where a format-117 file's bytes are not UTF-8.
    func decode(_ slice: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        if let text = String(validating: slice, as: UTF8.self) { return text }
        if release == 117 { return String(slice.map { Character(UnicodeScalar($0)) }) }
        return String(decoding: slice, as: UTF8.self)
    }

    /// Reads the header, the map and the variables' descriptions (types, names, formats,
    /// value-label names, labels), and checks that the data section holds all N records.
    mutating func readHeader() throws(DataError) {
        let opening = Array("<stata_dta><header><release>".utf8)
        guard bytes.count >= opening.count, Array(bytes[0..<opening.count]) == opening else {
            if let first = bytes.first, (102...116).contains(first) {
                throw .inputFormat(source: source, message: "a Stata file of format \(first) (Stata 12 or earlier), which is not supported; "
                    + "formats 117, 118 and 119 (Stata 13 and later) are: open it in Stata 13 or later and save it again")
            }
            throw damaged("it does not begin with <stata_dta> (is it a .dta file?)")
        }
        position = opening.count
        guard position + 3 <= bytes.count, let version = Int(String(decoding: bytes[position..<(position + 3)], as: UTF8.self)) else {
            throw damaged("the release number cannot be read")
        }
        guard [117, 118, 119].contains(version) else {
            throw .inputFormat(source: source, message: "Stata format \(version) is not supported; formats 117 (Stata 13), 118 (Stata 14 and later) and 119 "
                + "(more than 32,767 variables) are: save it again with Stata's `saveold FILE, version(13)` or `save`")
        }
        release = version
        position += 3
        try expect("</release><byteorder>")
        let order = try text(at: position, count: 3)
        guard order == "MSF" || order == "LSF" else { throw damaged("byte order '\(order)' is neither MSF nor LSF") }
        bigEndian = order == "MSF"
        position += 3
        try expect("</byteorder><K>")
        let k = try read(release == 119 ? 4 : 2)
        try expect("</K><N>")
        n = try read(release == 117 ? 4 : 8)
        try expect("</N><label>")
        position += try read(release == 117 ? 1 : 2)
        try expect("</label><timestamp>")
        position += try read(1)
        try expect("</timestamp></header><map>")
        map = []
        for _ in 0..<14 { map.append(try read(8)) }

        let nameWidth = release == 117 ? 33 : 129
        let formatWidth = release == 117 ? 49 : 57
        position = map[2]
        try expect("<variable_types>")
        types = []
        for _ in 0..<k { types.append(try read(2)) }
        names = []; formats = []; labelNames = []
        let namesAt = map[3] + "<varnames>".utf8.count
        let formatsAt = map[5] + "<formats>".utf8.count
        let labelNamesAt = map[6] + "<value_label_names>".utf8.count
        for v in 0..<k {
            names.append(try text(at: namesAt + v * nameWidth, count: nameWidth))
            formats.append(try text(at: formatsAt + v * formatWidth, count: formatWidth))
            labelNames.append(try text(at: labelNamesAt + v * nameWidth, count: nameWidth))
        }
        let labelsAt = map[7] + "<variable_labels>".utf8.count
        let labelWidth = release == 117 ? 81 : 321
        for v in 0..<k {
            let label = try text(at: labelsAt + v * labelWidth, count: labelWidth)
            if !label.isEmpty { variableLabels[names[v]] = label }
        }
        widths = []
        for (v, type) in types.enumerated() {
            switch type {
            case 1...2045: widths.append(type)
            case 32768, 65526: widths.append(8)
            case 65527, 65528: widths.append(4)
            case 65529: widths.append(2)
            case 65530: widths.append(1)
            default: throw damaged("variable '\(names[v])' has type code \(type), which Stata does not define")
            }
        }
        recordWidth = widths.reduce(0, +)
        dataStart = map[9] + "<data>".utf8.count
        guard n >= 0, dataStart + n * recordWidth <= bytes.count else {
            throw damaged("it holds fewer bytes than its \(n) observations of \(recordWidth) bytes; the file is truncated")
        }
    }

    /// The long strings (`<strls>`) and the value-label tables (`<value_labels>`).
    func longStringsAndLabels() throws(DataError) -> (strings: [StrL: String], labels: [String: [Int32: String]]) {
        (try longStrings(at: map[10]), try valueLabels(at: map[11], nameWidth: release == 117 ? 33 : 129))
    }

    enum DateKind { case none, days, milliseconds }

    struct StrL: Hashable {
        let variable: UInt64
        let observation: UInt64
    }

    /// A strL's (variable, observation) key: 4 + 4 bytes in format 117, 2 + 6 in 118, 3 + 5 in 119.
    func strLKey(at offset: Int) throws(DataError) -> StrL {
        let vWidth = release == 117 ? 4 : release == 118 ? 2 : 3
        if bigEndian {
            return StrL(variable: try unsigned(at: offset, width: vWidth), observation: try unsigned(at: offset + vWidth, width: 8 - vWidth))
        }
        let whole = try unsigned(at: offset, width: 8)
        return StrL(variable: whole & ((1 << (8 * UInt64(vWidth))) - 1), observation: whole >> (8 * UInt64(vWidth)))
    }

    /// The `<strls>` section: "GSO", v (4 bytes), o (4 bytes in 117, 8 later), type (129 binary,
    /// 130 text with a trailing NUL), length (4 bytes), contents.
    private func longStrings(at start: Int) throws(DataError) -> [StrL: String] {
        var copy = self
        copy.position = start
        try copy.expect("<strls>")
        var found: [StrL: String] = [:]
        while copy.position + 3 <= bytes.count, Array(bytes[copy.position..<(copy.position + 3)]) == Array("GSO".utf8) {
            copy.position += 3
            let v = UInt64(try copy.read(4))
            let o = UInt64(try copy.read(release == 117 ? 4 : 8))
            let type = try copy.read(1)
            let length = try copy.read(4)
            guard copy.position + length <= bytes.count else { throw damaged("a long string (strL) runs past the end; the file is truncated") }
            var end = copy.position + length
            if type == 130, end > copy.position, bytes[end - 1] == 0 { end -= 1 }
            found[StrL(variable: v, observation: o)] = decode(bytes[copy.position..<end])
            copy.position += length
        }
        try copy.expect("</strls>")
        return found
    }

    /// The `<value_labels>` section: `<lbl>`, length, name, 3 padding bytes, then a table of n
    /// entries: n, text length, n text offsets, n values, the texts (NUL-terminated).
    private func valueLabels(at start: Int, nameWidth: Int) throws(DataError) -> [String: [Int32: String]] {
        var copy = self
        copy.position = start
        try copy.expect("<value_labels>")
        var tables: [String: [Int32: String]] = [:]
        while copy.position + 5 <= bytes.count, Array(bytes[copy.position..<(copy.position + 5)]) == Array("<lbl>".utf8) {
            copy.position += 5
            let length = try copy.read(4)
            let name = try text(at: copy.position, count: nameWidth)
            let tableStart = copy.position + nameWidth + 3
            var reader = copy
            reader.position = tableStart
            let count = try reader.read(4)
            let textLength = try reader.read(4)
            let offsetsAt = reader.position, valuesAt = offsetsAt + 4 * count, textsAt = valuesAt + 4 * count
            guard textsAt + textLength <= bytes.count else { throw damaged("value label '\(name)' runs past the end; the file is truncated") }
            var table: [Int32: String] = [:]
            for e in 0..<count {
                let textOffset = Int(try unsigned(at: offsetsAt + 4 * e, width: 4))
                let value = Int32(bitPattern: UInt32(try unsigned(at: valuesAt + 4 * e, width: 4)))
                guard textOffset < textLength else { throw damaged("value label '\(name)' points outside its text") }
                table[value] = try text(at: textsAt + textOffset, count: textLength - textOffset)
            }
            tables[name] = table
            copy.position = tableStart + length
            try copy.expect("</lbl>")
        }
        return tables
    }
}

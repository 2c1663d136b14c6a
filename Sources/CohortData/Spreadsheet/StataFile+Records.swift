/// The observations of a Stata file as CSV text (issue 18), written straight from the mapped
/// records as UTF-8 bytes.
///
/// Each variable is described once (``StataColumn``: its storage, its date kind, its value labels
/// already spelled as CSV fields); each record is then a fixed-width run of bytes read with
/// unaligned loads. Observations are converted in blocks of consecutive rows, a wave of blocks at a
/// time across the cores (``Parallel``), and the blocks are appended in row order, so the text is
/// the same for any block size or core count. The pages of the file behind each wave are released,
/// so memory holds the CSV text plus a wave's records, not the whole file.
extension StataFile {
    /// The header line, then one line an observation.
    func csv(blockRows: Int?) throws(DataError) -> InputBytes {
        let (strings, labels) = try longStringsAndLabels()
        var fields: [StrL: [UInt8]] = [:]
        for (key, text) in strings { fields[key] = Self.field(text) }
        let columns = (0..<names.count).map { v in
            StataColumn(type: types[v], width: widths[v], format: formats[v],
                        labels: labelNames[v].isEmpty ? nil : labels[labelNames[v]].map { $0.mapValues(Self.field) })
        }
        let out = ConvertedText()
        var head: [UInt8] = []
        head.append(contentsOf: names.map(AnalysisReadyCSV.field).joined(separator: ",").utf8)
        head.append(0x0A)
        out.append(head)

        let rows = max(1, blockRows ?? (4 << 20) / max(recordWidth, 1))
        let blocks = Parallel.ranges(n, chunk: rows)
        let wave = max(1, Parallel.workerLimit)
        for first in stride(from: 0, to: blocks.count, by: wave) {
            let these = Array(blocks[first..<min(first + wave, blocks.count)])
            let pieces = Parallel.map(these) { block in
                Result<[UInt8], DataError> { () throws(DataError) in try records(block, columns: columns, strings: fields) }
            }
            for piece in pieces { out.append(try piece.get()) }
            if let last = these.last { input.releasePages(dataStart..<(dataStart + last.upperBound * recordWidth)) }
        }
        return out.finish()
    }

    /// A label or long string as one CSV field; empty (so missing) for empty text.
    private static func field(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        SpreadsheetInput.appendField(text, to: &bytes)
        return bytes
    }

    /// Observations `rows` as CSV lines.
    func records(_ rows: Range<Int>, columns: [StataColumn], strings: [StrL: [UInt8]]) throws(DataError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * (recordWidth + columns.count) / 2 + 64)
        guard let base = bytes.baseAddress else { return out }
        var offset = dataStart + rows.lowerBound * recordWidth
        for _ in rows {
            for (v, column) in columns.enumerated() {
                if v > 0 { out.append(0x2C) }
                try append(base, offset, column, strings, to: &out)
                offset += column.width
            }
            out.append(0x0A)
        }
        return out
    }

    /// One value as a CSV field; nothing for a missing value. The record's bounds were checked
    /// against the file's length when the header was read.
    @inline(__always)
    private func append(_ base: UnsafePointer<UInt8>, _ offset: Int, _ column: StataColumn, _ strings: [StrL: [UInt8]],
                        to out: inout [UInt8]) throws(DataError) {
        let at = UnsafeRawPointer(base + offset)
        let number: Double
        var isFloat = false
        switch column.storage {
        case .text:
            var end = 0
            while end < column.width, base[offset + end] != 0 { end += 1 }
            guard end > 0 else { return }
            let text = UnsafeBufferPointer(start: base + offset, count: end)
            // ASCII is the same bytes in every decoding; anything else goes through `decode`.
            if !text.contains(where: { $0 >= 0x80 }) { return SpreadsheetInput.appendField(bytes: text, to: &out) }
            return SpreadsheetInput.appendField(decode(bytes[offset..<(offset + end)]), to: &out)
        case .strL:
            let key = try strLKey(at: offset)
            if key.variable == 0 && key.observation == 0 { return }
            guard let text = strings[key] else { throw damaged("a strL at byte \(offset) names a long string the file does not hold") }
            return out.append(contentsOf: text)
        case .double:
            let raw = at.loadUnaligned(as: UInt64.self)
            number = Double(bitPattern: bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw))
            guard number < 0x1p1023 else { return }
        case .float:
            let raw = at.loadUnaligned(as: UInt32.self)
            let single = Float(bitPattern: bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw))
            guard single < 0x1p127 else { return }
            number = Double(single)
            isFloat = true
        case .long:
            let raw = at.loadUnaligned(as: UInt32.self)
            let value = Int32(bitPattern: bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw))
            guard value <= 2_147_483_620 else { return }
            number = Double(value)
        case .int:
            let raw = at.loadUnaligned(as: UInt16.self)
            let value = Int16(bitPattern: bigEndian ? UInt16(bigEndian: raw) : UInt16(littleEndian: raw))
            guard value <= 32740 else { return }
            number = Double(value)
        case .byte:
            let value = Int8(bitPattern: base[offset])
            guard value <= 100 else { return }
            number = Double(value)
        }
        if let labels = column.labels, number == number.rounded(), abs(number) < 2_147_483_648, let label = labels[Int32(number)] {
            return out.append(contentsOf: label)
        }
        switch column.date {
        case .days:
            if number == number.rounded() {
                return out.append(contentsOf: CalendarDate(daysSinceEpoch: Int(number) - 3653).description.utf8)
            }
        case .milliseconds:
            return SpreadsheetInput.appendField(SpreadsheetInput.dateText(days: number / 86_400_000, epoch: -3653), to: &out)
        case .none: break
        }
        if isFloat, number != number.rounded() { return out.append(contentsOf: Float(number).description.utf8) }
        NumberText.appendShortest(number, to: &out)
    }
}

/// One variable as the record converter needs it.
struct StataColumn {
    enum Storage { case text, strL, double, float, long, int, byte }

    let storage: Storage
    let width: Int
    /// `%td` (and the old `%d`): days; `%tc`/`%tC`: milliseconds; since 1960-01-01.
    let date: StataFile.DateKind
    /// The value-label table, each label spelled as a CSV field (empty: missing).
    let labels: [Int32: [UInt8]]?

    init(type: Int, width: Int, format: String, labels: [Int32: [UInt8]]?) {
        switch type {
        case 32768: storage = .strL
        case 65526: storage = .double
        case 65527: storage = .float
        case 65528: storage = .long
        case 65529: storage = .int
        case 65530: storage = .byte
        default: storage = .text
        }
        self.width = width
        if format.hasPrefix("%td") || format.hasPrefix("%d") {
            date = .days
        } else if format.hasPrefix("%tc") || format.hasPrefix("%tC") {
            date = .milliseconds
        } else {
            date = .none
        }
        self.labels = labels
    }
}

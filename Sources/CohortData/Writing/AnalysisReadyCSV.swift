/// The analysis-ready table `cohort derive` writes: the patient table's rows in input order, its
/// columns in their order (typed: codes as their levels, dates as ISO 8601, numbers in the
/// shortest form that reads back to the same value), then one column a derived variable. Missing
/// is an empty field.
///
/// It is data for the toolkit (or R, Stata) to read back, so fields are quoted by RFC 4180 and
/// otherwise written exactly: no spreadsheet-formula neutralising, which would change the values.
public enum AnalysisReadyCSV {
    public static func render(_ loaded: LoadedData) -> String {
        var bytes: [UInt8] = []
        write(loaded) { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The table's bytes handed to `emit` in order, in pieces of about 1 MiB: a file of any size is
    /// written without being held whole (issue 15: the output and its copy as a String were the
    /// peak of a derive's memory).
    public static func write<E: Error>(_ loaded: LoadedData, to emit: (UnsafeBufferPointer<UInt8>) throws(E) -> Void) throws(E) {
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
        // Written as bytes (no String a field), a block of rows at a time: each column's cells of the
        // block in one tight loop (a call a cell, through a closure a column, was a tenth of a derive),
        // then interleaved into rows.
        let pieceSize = 1 << 20
        var out: [UInt8] = []
        out.reserveCapacity(pieceSize + 64 * 1024)
        out.append(contentsOf: columns.map { field($0.name) }.joined(separator: ",").utf8)
        out.append(UInt8(ascii: "\n"))
        let sources = columns.map(CellSource.init)
        let blockSize = 4096
        var cells: [UInt8] = []
        // Column c's cells of the block: from `columnStart[c]`, the i-th ending at `ends[c * blockSize + i]`.
        var ends = [Int](repeating: 0, count: columns.count * blockSize)
        var columnStart = [Int](repeating: 0, count: columns.count)
        var first = 0
        while first < table.rowCount {
            let rows = first..<min(first + blockSize, table.rowCount)
            cells.removeAll(keepingCapacity: true)
            for (c, source) in sources.enumerated() {
                columnStart[c] = cells.count
                source.append(rows, to: &cells, ends: &ends, from: c * blockSize)
            }
            cells.withUnsafeBufferPointer { cells in
                for i in 0..<rows.count {
                    for c in sources.indices {
                        if c > 0 { out.append(UInt8(ascii: ",")) }
                        let k = c * blockSize + i
                        let start = i == 0 ? columnStart[c] : ends[k - 1]
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: cells[start..<ends[k]]))
                    }
                    out.append(UInt8(ascii: "\n"))
                }
            }
            if out.count >= pieceSize {
                try out.withUnsafeBufferPointer { (piece) throws(E) in try emit(piece) }
                out.removeAll(keepingCapacity: true)
            }
            first = rows.upperBound
        }
        if !out.isEmpty { try out.withUnsafeBufferPointer { (piece) throws(E) in try emit(piece) } }
    }

    /// Where a column's cells come from, and how each is written.
    private enum CellSource {
        case numbers([Double])
        case dates([Double])
        /// A text column: each level's field bytes, end to end, the k-th ending at `ends[k]`.
        case text(codes: [Int32], bytes: [UInt8], ends: [Int])

        init(_ column: Column) {
            switch column.storage {
            case .numeric(let values):
                self = column.variable?.type == .date ? .dates(values) : .numbers(values)
            case .text(let codes, let levels):
                var bytes: [UInt8] = [], ends: [Int] = []
                for level in levels {
                    bytes += field(level).utf8
                    ends.append(bytes.count)
                }
                self = .text(codes: codes, bytes: bytes, ends: ends)
            }
        }

        /// The cells of `rows` appended to `cells`, the i-th one's end at `cellEnds[base + i]`;
        /// missing is an empty cell.
        func append(_ rows: Range<Int>, to cells: inout [UInt8], ends cellEnds: inout [Int], from base: Int) {
            switch self {
            case .numbers(let values):
                for r in rows {
                    if !values[r].isNaN { NumberText.appendShortest(values[r], to: &cells) }
                    cellEnds[base + r - rows.lowerBound] = cells.count
                }
            case .dates(let values):
                for r in rows {
                    if !values[r].isNaN { cells += CalendarDate(daysSinceEpoch: Int(values[r])).description.utf8 }
                    cellEnds[base + r - rows.lowerBound] = cells.count
                }
            case .text(let codes, let bytes, let ends):
                bytes.withUnsafeBufferPointer { bytes in
                    for r in rows {
                        let code = Int(codes[r])
                        if code >= 0 { cells.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(code == 0 ? 0 : ends[code - 1])..<ends[code]])) }
                        cellEnds[base + r - rows.lowerBound] = cells.count
                    }
                }
            }
        }
    }

    /// One CSV field: quoted when it holds a comma, a quote, a line break or surrounding spaces.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.hasPrefix(" ") || text.hasSuffix(" ") else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The data files read through a conversion to CSV text: Excel workbooks (`.xlsx`) and Stata
/// files (`.dta`), told apart by their extension. Every reader of data (``CSVReader``, and so
/// ``CohortLoader`` and the linked tables) asks here first, so every command reads them.
public enum SpreadsheetInput {
    /// The file as CSV text and the name messages use, or nil for a file read as CSV.
    static func csv(path: String, options: CSVOptions) throws(DataError) -> (input: InputBytes, source: String)? {
        let lower = path.lowercased()
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") { return try WorkbookReader.csv(path: path, sheet: options.sheet) }
        if lower.hasSuffix(".dta") { return try StataReader.csv(path: path) }
        return nil
    }

    /// The variable labels a data file carries (a Stata file's `label variable`), by column; empty
    /// for other files. `cohort codebook` writes them into the starter codebook.
    public static func variableLabels(path: String) throws(DataError) -> [String: String] {
        path.lowercased().hasSuffix(".dta") ? try StataReader.variableLabels(path: path) : [:]
    }

    /// Appends `text` as one CSV field: quoted (inner quotes doubled) when it holds a comma, quote or
    /// line break or starts or ends with a space, as ``AnalysisReadyCSV`` writes fields; checked on
    /// the UTF-8 bytes, not the characters (a third of the time of reading a `.dta`).
    static func appendField(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendField(bytes: $0, to: &out) }
    }

    /// ``appendField(_:to:)`` for text already in UTF-8.
    static func appendField(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let needsQuotes = bytes.first == 0x20 || bytes.last == 0x20
            || bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { return out.append(contentsOf: bytes) }
        out.append(0x22)
        for byte in bytes {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
    }

    /// `days` after day 0 (`epoch` days after 1970-01-01) as `YYYY-MM-DD`, with ` hh:mm:ss` when it
    /// holds a time of day (rounded to the second).
    static func dateText(days: Double, epoch: Int) -> String {
        var day = days.rounded(.down)
        var seconds = ((days - day) * 86400).rounded()
        if seconds >= 86400 { day += 1; seconds = 0 }
        let date = CalendarDate(daysSinceEpoch: Int(day) + epoch).description
        guard seconds > 0 else { return date }
        let s = Int(seconds)
        return date + " " + [s / 3600, s / 60 % 60, s % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
    }
}

/// The CSV text a conversion writes: one `malloc` block grown by `realloc` (which moves a large
/// block by remapping its pages rather than copying them), handed to the CSV reader as its
/// ``InputBytes`` without a copy, so the text is held once.
final class ConvertedText {
    private var storage: UnsafeMutableRawPointer?
    private var capacity = 0
    private(set) var count = 0

    deinit { free(storage) }

    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            if count + raw.count > capacity {
                let grown = max(count + raw.count, capacity * 2, 1 << 16)
                guard let block = realloc(storage, grown) else { fatalError("out of memory: cannot hold \(grown) bytes of CSV text") }
                storage = block
                capacity = grown
            }
            (storage! + count).copyMemory(from: base, byteCount: raw.count)
            count += raw.count
        }
    }

    /// The text as the reader's input; this buffer is left empty.
    func finish() -> InputBytes {
        guard let block = storage ?? malloc(1) else { fatalError("out of memory") }
        let input = InputBytes(adopting: block, count: count)
        storage = nil
        capacity = 0
        count = 0
        return input
    }
}

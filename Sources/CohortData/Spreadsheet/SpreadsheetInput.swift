/// The data files read through a conversion to CSV text: Excel workbooks (`.xlsx`) and Stata
/// files (`.dta`), told apart by their extension. Every reader of data (``CSVReader``, and so
/// ``CohortLoader`` and the linked tables) asks here first, so every command reads them.
public enum SpreadsheetInput {
    /// The file as CSV bytes and the name messages use, or nil for a file read as CSV.
    static func csv(path: String, options: CSVOptions) throws(DataError) -> (bytes: [UInt8], source: String)? {
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
        text.withUTF8 { bytes in
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

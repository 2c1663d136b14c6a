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

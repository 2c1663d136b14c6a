/// Day 0 is the (first) CAR-T infusion; event days count from it, and windows are inclusive at
/// both ends: "within 28 days" is days 0 through 28 (project domain notes, "Clinical definitions
/// the toolkit encodes"). Johnsrud et al. 2021 report a thrombosis on day 91 inside their 3-month
/// follow-up, which is why a window's last day must count.
///
/// A window takes study days as numbers (a numeric column) or as two ISO dates, the event's and the
/// infusion's, through ``CalendarDate``.
public struct EventWindow: Sendable, Equatable, CustomStringConvertible {
    public let firstDay: Int
    public let lastDay: Int

    /// The window `days.lowerBound` through `days.upperBound`, both included.
    public init(_ days: ClosedRange<Int>) {
        firstDay = days.lowerBound
        lastDay = days.upperBound
    }

    /// "Within `days` days of infusion": days 0 through `days`, both included (28 → days 0-28).
    ///
    /// - Precondition: `days >= 0`.
    public static func within(days: Int) -> EventWindow { EventWindow(0...days) }

    /// Whether an event on study day `day` falls in the window; nil when the day is missing (nil
    /// or NaN).
    ///
    /// Judgement call: a fractional day is compared as it stands, so 28.5 lies after day 28 and
    /// outside days 0-28. The domain notes count whole study days; an elapsed time in hours should
    /// be turned into a study day (by calendar date, ``CalendarDate/studyDay(dayZero:)``) before it
    /// is compared, because 28.5 elapsed days can fall on calendar day 28 or 29 depending on the hour
    /// of infusion.
    public func contains(day: Double?) -> Bool? {
        guard let day = day.measurement else { return nil }
        return day >= Double(firstDay) && day <= Double(lastDay)
    }

    /// Whether an event dated `date` falls in the window when `dayZero` is the infusion date; nil
    /// when either date is missing.
    public func contains(date: CalendarDate?, dayZero: CalendarDate?) -> Bool? {
        guard let date, let dayZero else { return nil }
        return (firstDay...lastDay).contains(date.studyDay(dayZero: dayZero))
    }

    /// "days 0-28"; "days -7 to -5" when a bound is negative, where a hyphen would read as a sign.
    public var description: String {
        firstDay < 0 || lastDay < 0 ? "days \(firstDay) to \(lastDay)" : "days \(firstDay)-\(lastDay)"
    }
}

/// A Gregorian calendar date, for anchoring event dates to day 0.
public struct CalendarDate: Sendable, Equatable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Parses ISO 8601 `YYYY-MM-DD`; nil for anything else or an impossible date (2023-02-29).
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian), by `days_from_civil` from H. Hinnant's
    /// "chrono-compatible low-level date algorithms": the year is shifted to start on 1 March so
    /// that a leap day is the last day of its year, then whole 400-year eras (146,097 days) are
    /// counted.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The study day of this date when `dayZero` is the infusion date: day 0 is the infusion date
    /// itself, the day before it is -1 (there is no gap between day -1 and day 0).
    public func studyDay(dayZero: CalendarDate) -> Int { daysSinceEpoch - dayZero.daysSinceEpoch }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    public var description: String {
        func pad(_ v: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(v).count)) + String(v) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}

/// Day 0 is the (first) CAR-T infusion; event days count from it, and windows are inclusive at
/// both ends: "within 28 days" is days 0 through 28.
public struct EventWindow: Sendable, Equatable, CustomStringConvertible {
    public let firstDay: Int
    public let lastDay: Int

    /// - Precondition: `firstDay <= lastDay`.
    public init(_ days: ClosedRange<Int>) {
        firstDay = days.lowerBound
        lastDay = days.upperBound
    }

    /// Whether an event on `day` falls in the window; nil when the day is unknown (missing).
    /// A fractional day (an event time in hours) counts when it lies within the closed range.
    public func contains(day: Double?) -> Bool? {
        guard let day, day.isFinite else { return nil }
        return day >= Double(firstDay) && day <= Double(lastDay)
    }

    /// "days 0-28"
    public var description: String { "days \(firstDay)-\(lastDay)" }
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

    /// Days since 1970-01-01 (proleptic Gregorian), by the civil-from-days inverse of
    /// H. Hinnant's "chrono-compatible low-level date algorithms".
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The study day of this date when `dayZero` is the infusion date (day 0 itself is 0).
    public func studyDay(dayZero: CalendarDate) -> Int { daysSinceEpoch - dayZero.daysSinceEpoch }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    public var description: String {
        func pad(_ v: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(v).count)) + String(v) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}

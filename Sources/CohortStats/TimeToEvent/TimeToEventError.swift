/// Problems with time-to-event input: each names the file, line and column to open.
public enum TimeToEventError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A value that cannot be right: a negative time, an event after the last follow-up, an event
    /// type without a day. `location` is `file:line`.
    case impossibleValue(location: String, column: String, message: String)
    /// A value in the event-type (or status) column that is neither a named event type nor a
    /// no-event value.
    case unknownEventType(location: String, column: String, value: String, events: [String], noEvent: [String])
    /// A column that must hold numbers (days) holds text.
    case notNumeric(location: String, column: String, value: String)
    /// A column that must hold dates holds something else.
    case notDate(location: String, column: String, value: String)
    /// Every row was dropped, or the table has none.
    case noRows(source: String, reason: String)
    /// Arrays handed to the value type directly disagree.
    case invalidData(String)
    /// The same event type named twice, or a no-event value named as an event.
    case badEventCoding(String)

    /// Options are written `{event}`: the analysis request's field, which each front end writes its
    /// own way (`CohortStudy.FieldNames`).
    public var description: String {
        switch self {
        case .impossibleValue(let location, let column, let message):
            "\(location): column '\(column)': \(message)"
        case .unknownEventType(let location, let column, let value, let events, let noEvent):
            "\(location): column '\(column)': '\(value)' is not one of the event types named (\(events.map { "'\($0)'" }.joined(separator: ", "))) "
                + "nor a no-event value (missing, \(noEvent.map { "'\($0)'" }.joined(separator: ", "))); name it with {event} or {competing}, or recode it"
        case .notNumeric(let location, let column, let value):
            "\(location): column '\(column)': '\(value)' is not a number of days"
        case .notDate(let location, let column, let value):
            "\(location): column '\(column)': '\(value)' is not a date (YYYY-MM-DD)"
        case .noRows(let source, let reason):
            "\(source): no rows left to analyse: \(reason)"
        case .invalidData(let message):
            "time-to-event data: \(message)"
        case .badEventCoding(let message):
            "event types: \(message)"
        }
    }
}

/// How the values of an event-type (or status) column are read: which values are events, in the
/// order given (the event of interest first, then the competing events), and which mean "no event".
public struct EventCoding: Sendable, Equatable {
    /// Values that are events, exactly as written in the data (a number column's values as its
    /// shortest text: `1`, `2`).
    public let events: [String]
    /// Values that mean no event (censored), compared ignoring case; a missing value always does.
    public let noEventValues: [String]

    public static let defaultNoEventValues = ["none", "no", "0", "censored", "false"]

    /// - Throws: ``TimeToEventError/badEventCoding(_:)`` for no event, a repeated event or an event
    ///   that is also a no-event value.
    public init(events: [String], noEventValues: [String] = EventCoding.defaultNoEventValues) throws(TimeToEventError) {
        guard !events.isEmpty else { throw .badEventCoding("name at least one event type") }
        if let repeated = events.enumerated().first(where: { events[..<$0.offset].contains($0.element) }) {
            throw .badEventCoding("'\(repeated.element)' is named more than once")
        }
        let lowered = noEventValues.map { $0.lowercased() }
        if let clash = events.first(where: { lowered.contains($0.lowercased()) }) {
            throw .badEventCoding("'\(clash)' is named as an event but is also a no-event value")
        }
        self.events = events
        self.noEventValues = noEventValues
    }

    /// 0 for a no-event value, k for `events[k - 1]`, nil for anything else.
    public func code(of value: String) -> Int32? {
        if let k = events.firstIndex(of: value) { return Int32(k + 1) }
        let lowered = value.lowercased()
        return noEventValues.contains(where: { $0.lowercased() == lowered }) ? 0 : nil
    }
}

import CohortData
import CohortReport
import CohortStats

/// Which columns hold the times of a time-to-event analysis, in one of four forms, and which values
/// are events: the input `cuminc`, `km`, `cox` and `finegray` share.
///
/// Forms (exactly one):
/// - `event_day` + `event_type` + `followup_day`: the day of the first event, its type, the last
///   follow-up day;
/// - `event_days` + `followup_day`: one day column per event type; the earliest day counts, a tie
///   going to the event of interest, then the types in the order listed;
/// - `index_date` + `event_date` + `event_type` + `followup_date`: days are date minus index date;
/// - `time` + `status`: the time to event or censoring and the event type or a no-event value.
public struct EventTimeColumns: Sendable, Equatable, Codable {
    public var eventDay: String?
    public var eventType: String?
    public var followupDay: String?
    public var eventDays: KeyValueList?
    public var indexDate: String?
    public var eventDate: String?
    public var followupDate: String?
    public var time: String?
    public var status: String?
    /// The event type of interest, as written in the data.
    public var event: String = ""
    public var competing: [String] = []
    /// Values that mean no event; nil: ``CohortStats/EventCoding/defaultNoEventValues``.
    public var noEvent: [String]?

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case eventDay = "event_day", eventType = "event_type", followupDay = "followup_day", eventDays = "event_days"
        case indexDate = "index_date", eventDate = "event_date", followupDate = "followup_date", time, status
        case event, competing, noEvent = "no_event"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        eventDay = try c.value(.eventDay)
        eventType = try c.value(.eventType)
        followupDay = try c.value(.followupDay)
        eventDays = try c.value(.eventDays)
        indexDate = try c.value(.indexDate)
        eventDate = try c.value(.eventDate)
        followupDate = try c.value(.followupDate)
        time = try c.value(.time)
        status = try c.value(.status)
        event = try c.value(.event) ?? ""
        competing = try c.list(.competing) ?? []
        noEvent = try c.list(.noEvent)
    }

    static let fields: [FieldDoc] = [
        FieldDoc("event_day", "column", default: "none", "The day of the event (of the type in event_type), in days from the index date."),
        FieldDoc("event_type", "column", default: "none", "What happened: an event type, or missing / a no-event value."),
        FieldDoc("followup_day", "column", default: "none", "The day of the last follow-up (used when there is no event)."),
        FieldDoc("event_days", "a mapping of event type to day column", default: "none",
                 "One day column per event type, e.g. {bleeding: bleeding_day, death: death_day} (with followup_day); the earliest day counts, ties to the event of interest, then the types in the order listed."),
        FieldDoc("index_date", "column", default: "none", "The index date (day 0), e.g. the infusion date."),
        FieldDoc("event_date", "column", default: "none", "The date of the event."),
        FieldDoc("followup_date", "column", default: "none", "The date of the last follow-up."),
        FieldDoc("time", "column", default: "none", "The time to event or censoring, in days (with status)."),
        FieldDoc("status", "column", default: "none", "Censored (0 / a no-event value) or the event type (with time)."),
        FieldDoc("event", "text", default: "required", "The event type of interest, as written in the data."),
        FieldDoc("competing", "list of texts", default: "[]", "Competing event types."),
        FieldDoc("no_event", "list of texts", default: "[" + EventCoding.defaultNoEventValues.joined(separator: ", ") + "]",
                 "Values of the event-type (or status) column that mean no event; not with event_days."),
    ]

    enum Form { case days, eventDays, dates, timeStatus }

    var form: Form? {
        if eventDays != nil { return .eventDays }
        if eventDay != nil || followupDay != nil { return .days }
        if indexDate != nil || eventDate != nil || followupDate != nil { return .dates }
        if time != nil || status != nil { return .timeStatus }
        return nil
    }

    /// The columns the times and status are read from (none may also be a covariate).
    var columnNames: [String] {
        [eventDay, eventType, followupDay, indexDate, eventDate, followupDate, time, status].compactMap { $0 } + (eventDays?.pairs.map(\.value) ?? [])
    }

    func validateEvent() throws(RequestError) {
        if event.isEmpty { throw RequestError("event", "is missing: name the event type of interest") }
    }

    /// The columns of the form and what else may or must be given.
    func validateForm() throws(RequestError) {
        let given = [("event_days", eventDays != nil), ("event_day", eventDay != nil), ("followup_day", followupDay != nil), ("index_date", indexDate != nil),
                     ("event_date", eventDate != nil), ("followup_date", followupDate != nil), ("time", time != nil), ("status", status != nil)]
            .filter(\.1).map(\.0)
        let givenText = given.map { "{\($0)}" }.joined(separator: ", ")
        switch form {
        case .none:
            throw RequestError(nil, "give the times: {event_day}, {event_type} and {followup_day}; or {event_days} and {followup_day}; or {index_date}, {event_date}, {event_type} and {followup_date}; or {time} and {status}")
        case .eventDays:
            guard followupDay != nil, eventType == nil, Set(given) == ["event_days", "followup_day"] else {
                throw RequestError(nil, "the event-days form needs exactly {event_days} and {followup_day}, without {event_type} (given: \(givenText))")
            }
            if noEvent != nil {
                throw RequestError("no_event", "does not apply to the event-days form: a row without any event day is censored at {followup_day}")
            }
            let types = eventDays?.names ?? []
            if types.isEmpty { throw RequestError("event_days", "must map each event type to its day column") }
            // The first column of a repeated type would be used and the second silently ignored.
            if let repeated = eventDays?.firstRepeatedName {
                throw RequestError("event_days", "names the type '\(repeated)' twice; give each event type one day column")
            }
            guard types.contains(event) else { throw RequestError("event", "names '\(event)', which is not one of the {event_days} types (\(types.joined(separator: ", ")))") }
            if let unknown = competing.first(where: { !types.contains($0) }) {
                throw RequestError("competing", "names '\(unknown)', which is not one of the {event_days} types (\(types.joined(separator: ", ")))")
            }
        case .days:
            guard eventDay != nil, followupDay != nil, eventType != nil, Set(given) == ["event_day", "followup_day"] else {
                throw RequestError(nil, "the day form needs exactly {event_day}, {event_type} and {followup_day} (given: \(givenText))")
            }
        case .dates:
            guard indexDate != nil, eventDate != nil, followupDate != nil, eventType != nil, Set(given) == ["index_date", "event_date", "followup_date"] else {
                throw RequestError(nil, "the date form needs exactly {index_date}, {event_date}, {event_type} and {followup_date} (given: \(givenText))")
            }
        case .timeStatus:
            guard time != nil, status != nil, eventType == nil, Set(given) == ["time", "status"] else {
                throw RequestError(nil, "the time form needs exactly {time} and {status}, without {event_type} (given: \(givenText))")
            }
        }
    }

    /// The table's time-to-event data in the form given.
    func data(from table: DataTable, group: String? = nil, strata: String? = nil) throws -> CompetingRisksData {
        let coding = try EventCoding(events: [event] + competing, noEventValues: noEvent ?? EventCoding.defaultNoEventValues)
        switch form {
        case .eventDays:
            // The event of interest first (it wins ties), then the competing types named (every other
            // type when none are named); a type neither of interest nor competing is not used.
            let pairs = eventDays?.pairs ?? []
            let others = competing.isEmpty ? pairs.map(\.name).filter { $0 != event } : competing
            let ordered = ([event] + others).compactMap { type in pairs.first { $0.name == type }.map { (type: $0.name, column: $0.value) } }
            return try .fromEventDays(table: table, eventDays: ordered, followUpDay: followupDay ?? "", group: group, strata: strata)
        case .dates:
            return try .fromDates(table: table, indexDate: indexDate ?? "", eventDate: eventDate ?? "", eventType: eventType ?? "",
                                  followUpDate: followupDate ?? "", coding: coding, group: group, strata: strata)
        case .timeStatus:
            return try .fromTimeAndStatus(table: table, time: time ?? "", status: status ?? "", coding: coding, group: group, strata: strata)
        case .days, .none:
            return try .fromDays(table: table, eventDay: eventDay ?? "", eventType: eventType ?? "", followUpDay: followupDay ?? "",
                                 coding: coding, group: group, strata: strata)
        }
    }
}

/// The time-to-event input of `cuminc` and `km`: the columns and events (``EventTimeColumns``), the
/// days to read off, the groups and the interval. Its columns' names read through it
/// (`times.event`), as they did before the columns were shared with the regression requests.
@dynamicMemberLookup
public struct EventTimes: Sendable, Equatable, Codable {
    public var columns = EventTimeColumns()
    public var days: [Double] = []
    public var by: String?
    public var ci: CurveInterval = .logLog
    public var level: Double = 0.95

    public init() {}

    public subscript<T>(dynamicMember keyPath: WritableKeyPath<EventTimeColumns, T>) -> T {
        get { columns[keyPath: keyPath] }
        set { columns[keyPath: keyPath] = newValue }
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case eventDay = "event_day", eventType = "event_type", followupDay = "followup_day", eventDays = "event_days"
        case indexDate = "index_date", eventDate = "event_date", followupDate = "followup_date", time, status
        case event, competing, noEvent = "no_event", days, by, ci, level
    }

    public init(from decoder: any Decoder) throws {
        columns = try EventTimeColumns(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        days = try c.numbers(.days) ?? []
        by = try c.value(.by)
        ci = try c.value(.ci) ?? .logLog
        level = try c.value(.level) ?? 0.95
    }

    public func encode(to encoder: any Encoder) throws {
        try columns.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(days, forKey: .days)
        try c.encodeIfPresent(by, forKey: .by)
        try c.encode(ci, forKey: .ci)
        try c.encode(level, forKey: .level)
    }

    static let fields: [FieldDoc] = EventTimeColumns.fields + [
        FieldDoc("days", "list of days (numbers >= 0)", default: "required", "Days at which to read off the curves, e.g. [28, 90, 365]."),
        FieldDoc("by", "column", default: "none", "A column to split by: one curve per value."),
        FieldDoc("ci", "one of " + CurveInterval.allCases.map(\.rawValue).joined(separator: ", "), default: "log-log", "Confidence interval transform."),
        FieldDoc("level", "a number between 0 and 1", default: "0.95 (a study's options: level)", "Confidence level."),
    ]

    func validate() throws(RequestError) {
        try columns.validateEvent()
        if days.isEmpty { throw RequestError("days", "must list the days to read off, e.g. 28,90,365") }
        for day in days { try InputRules.readingDay.check("days", day) }
        try InputRules.confidenceLevel.check("level", level)
        try columns.validateForm()
    }

    /// The table's time-to-event data, grouped by `by`.
    func data(from table: DataTable, strata: String? = nil) throws -> CompetingRisksData {
        try columns.data(from: table, group: by, strata: strata)
    }
}

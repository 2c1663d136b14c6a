import ArgumentParser
import CohortData
import CohortReport
import CohortStats

extension CurveInterval: ExpressibleByArgument {}

/// The time-to-event input shared by `cohort cuminc` and `cohort km`: which columns hold the times
/// (days, dates, or time and status), which values are events, the days to read off, the groups and
/// the interval.
struct TimeToEventOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The day of the event (of the type in --event-type), in days from the index date.", valueName: "column"))
    var eventDay: String?

    @Option(help: ArgumentHelp("What happened: an event type, or missing / a no-event value.", valueName: "column"))
    var eventType: String?

    @Option(help: ArgumentHelp("The day of the last follow-up (used when there is no event).", valueName: "column"))
    var followupDay: String?

    @Option(help: ArgumentHelp("One day column per event type, as TYPE=COLUMN pairs, comma-separated (with --followup-day; the earliest day counts, ties to the type listed first).", valueName: "type=column,..."))
    var eventDays: String?

    @Option(help: ArgumentHelp("The index date (day 0), e.g. the infusion date.", valueName: "column"))
    var indexDate: String?

    @Option(help: ArgumentHelp("The date of the event.", valueName: "column"))
    var eventDate: String?

    @Option(help: ArgumentHelp("The date of the last follow-up.", valueName: "column"))
    var followupDate: String?

    @Option(help: ArgumentHelp("The time to event or censoring, in days (with --status).", valueName: "column"))
    var time: String?

    @Option(help: ArgumentHelp("Censored (0 / a no-event value) or the event type (with --time).", valueName: "column"))
    var status: String?

    @Option(help: ArgumentHelp("The event type of interest, as written in the data.", valueName: "value"))
    var event: String

    @Option(help: ArgumentHelp("Competing event types, comma-separated (may be repeated).", valueName: "values"))
    var competing: [String] = []

    @Option(name: .customLong("no-event"), help: ArgumentHelp("Values of the event-type (or status) column that mean no event, comma-separated (default: \(EventCoding.defaultNoEventValues.joined(separator: ","))); not with --event-days, which has no such column.", valueName: "values"))
    var noEventGiven: String?

    var noEvent: String { noEventGiven ?? EventCoding.defaultNoEventValues.joined(separator: ",") }

    @Option(help: ArgumentHelp("Days at which to read off the curves, comma-separated.", valueName: "days"))
    var days: String

    @Option(help: ArgumentHelp("A column to split by: one curve per value (and, for cuminc, Gray's test between them).", valueName: "column"))
    var by: String?

    @Option(help: "Confidence interval transform.")
    var ci: CurveInterval = .logLog

    @Option(help: ArgumentHelp("Confidence level, between 0 and 1.", valueName: "level"))
    var level: Double = 0.95

    enum Form { case days, eventDays, dates, timeStatus }

    var form: Form? {
        if eventDays != nil { return .eventDays }
        if eventDay != nil || followupDay != nil { return .days }
        if indexDate != nil || eventDate != nil || followupDate != nil { return .dates }
        if time != nil || status != nil { return .timeStatus }
        return nil
    }

    var requestedDays: [Double] {
        days.split(separator: ",").compactMap { Double(String($0).trimmingSpaces()) }
    }

    var competingEvents: [String] { competing.flatMap { $0.split(separator: ",").map { String($0).trimmingSpaces() } } }

    /// `--event-days` as (type, column) pairs, in the order given.
    func eventDayPairs() throws -> [(type: String, column: String)] {
        try (eventDays ?? "").split(separator: ",").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--event-days expects TYPE=COLUMN pairs such as bleeding=bleeding_day,death=death_day; got '\(pair)'")
            }
            return (parts[0], parts[1])
        }
    }

    func validate() throws {
        try InputRules.confidenceLevel.check("--level", level)
        let fields = days.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        for field in fields where !(Double(field).map(InputRules.readingDay.accepts) ?? false) {
            throw ValidationError("--days must be a comma-separated list of days >= 0, e.g. 28,90,365; got '\(field)' in '\(days)'")
        }
        let given = [("--event-days", eventDays), ("--event-day", eventDay), ("--followup-day", followupDay), ("--index-date", indexDate), ("--event-date", eventDate),
                     ("--followup-date", followupDate), ("--time", time), ("--status", status)].filter { $0.1 != nil }.map(\.0)
        switch form {
        case .none:
            throw ValidationError("give the times: --event-day, --event-type and --followup-day; or --event-days and --followup-day; or --index-date, --event-date, --event-type and --followup-date; or --time and --status")
        case .eventDays:
            guard followupDay != nil, eventType == nil, Set(given) == ["--event-days", "--followup-day"] else {
                throw ValidationError("the event-days form needs exactly --event-days and --followup-day, without --event-type (given: \(given.joined(separator: ", ")))")
            }
            if noEventGiven != nil {
                throw ValidationError("--no-event does not apply to the event-days form: a row without any event day is censored at --followup-day")
            }
            let types = try eventDayPairs().map(\.type)
            // The first column of a repeated type would be used and the second silently ignored.
            if let repeated = types.first(where: { type in types.filter { $0 == type }.count > 1 }) {
                throw ValidationError("--event-days names the type '\(repeated)' twice; give each event type one day column")
            }
            guard types.contains(event) else {
                throw ValidationError("--event '\(event)' is not one of the --event-days types (\(types.joined(separator: ", ")))")
            }
            if let unknown = competingEvents.first(where: { !types.contains($0) }) {
                throw ValidationError("--competing '\(unknown)' is not one of the --event-days types (\(types.joined(separator: ", ")))")
            }
        case .days:
            guard eventDay != nil, followupDay != nil, eventType != nil, Set(given) == ["--event-day", "--followup-day"] else {
                throw ValidationError("the day form needs exactly --event-day, --event-type and --followup-day (given: \(given.joined(separator: ", ")))")
            }
        case .dates:
            guard indexDate != nil, eventDate != nil, followupDate != nil, eventType != nil, Set(given) == ["--index-date", "--event-date", "--followup-date"] else {
                throw ValidationError("the date form needs exactly --index-date, --event-date, --event-type and --followup-date (given: \(given.joined(separator: ", ")))")
            }
        case .timeStatus:
            guard time != nil, status != nil, eventType == nil, Set(given) == ["--time", "--status"] else {
                throw ValidationError("the time form needs exactly --time and --status, without --event-type (given: \(given.joined(separator: ", ")))")
            }
        }
    }

    /// The table's time-to-event data in the form the options name.
    func data(from table: DataTable, strata: String? = nil) throws -> CompetingRisksData {
        let coding = try EventCoding(events: [event] + competingEvents,
                                     noEventValues: noEvent.split(separator: ",").map { String($0).trimmingSpaces() })
        switch form {
        case .eventDays:
            // The event of interest first (it wins ties), then the competing types named (every other
            // type when none are named); a type neither of interest nor competing is not used.
            let pairs = try eventDayPairs()
            let competing = competingEvents.isEmpty ? pairs.map(\.type).filter { $0 != event } : competingEvents
            let ordered = ([event] + competing).compactMap { type in pairs.first { $0.type == type } }
            return try .fromEventDays(table: table, eventDays: ordered, followUpDay: followupDay ?? "", group: by, strata: strata)
        case .dates:
            return try .fromDates(table: table, indexDate: indexDate ?? "", eventDate: eventDate ?? "", eventType: eventType ?? "",
                                  followUpDate: followupDate ?? "", coding: coding, group: by, strata: strata)
        case .timeStatus:
            return try .fromTimeAndStatus(table: table, time: time ?? "", status: status ?? "", coding: coding, group: by, strata: strata)
        case .days, .none:
            return try .fromDays(table: table, eventDay: eventDay ?? "", eventType: eventType ?? "", followUpDay: followupDay ?? "",
                                 coding: coding, group: by, strata: strata)
        }
    }
}

import ArgumentParser
import CohortData
import CohortReport
import CohortStats
import CohortStudy

extension CurveInterval: ExpressibleByArgument {}

/// Which columns hold the times (days, dates, or time and status) and which values are events: the
/// input `cohort cuminc`, `km`, `cox` and `finegray` share.
struct EventTimeOptions: ParsableArguments {
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

    /// The options as the request layer's ``CohortStudy/EventTimeColumns``; only the text form of
    /// --event-days is checked here, the rules between the options by the request.
    func columns() throws -> EventTimeColumns {
        var columns = EventTimeColumns()
        columns.eventDay = eventDay
        columns.eventType = eventType
        columns.followupDay = followupDay
        columns.eventDays = try eventDays.map { try KeyValueList.commandLine([$0], option: "--event-days", example: "TYPE=COLUMN pairs such as bleeding=bleeding_day,death=death_day") }
        columns.indexDate = indexDate
        columns.eventDate = eventDate
        columns.followupDate = followupDate
        columns.time = time
        columns.status = status
        columns.event = event
        columns.competing = competing.flatMap { $0.split(separator: ",").map { String($0).trimmingSpaces() } }
        columns.noEvent = noEventGiven.map { $0.split(separator: ",").map { String($0).trimmingSpaces() } }
        return columns
    }
}

/// The time-to-event input of `cohort cuminc` and `cohort km`: the columns and events, the days to
/// read off, the groups and the interval.
struct TimeToEventOptions: ParsableArguments {
    @OptionGroup var columns: EventTimeOptions

    @Option(help: ArgumentHelp("Days at which to read off the curves, comma-separated.", valueName: "days"))
    var days: String

    @Option(help: ArgumentHelp("A column to split by: one curve per value, and the test between them (cuminc: Gray's; km: log-rank).", valueName: "column"))
    var by: String?

    @Option(help: "Confidence interval transform.")
    var ci: CurveInterval = .logLog

    @Option(help: ArgumentHelp("Confidence level, between 0 and 1.", valueName: "level"))
    var level: Double = 0.95

    /// The options as the request layer's ``CohortStudy/EventTimes``; only the text forms are
    /// checked here (a day that is not a number, an --event-days pair without `=`), the rules
    /// between the options by the request.
    func eventTimes() throws -> EventTimes {
        var times = EventTimes()
        times.columns = try columns.columns()
        times.days = try Self.days(days, example: "28,90,365")
        times.by = by
        times.ci = ci
        times.level = level
        return times
    }

    /// `--days` as numbers; the failure names the item that is not a day >= 0.
    static func days(_ text: String, example: String) throws -> [Double] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }.map { field in
            guard let day = Double(field), InputRules.readingDay.accepts(day) else {
                throw ValidationError("--days must be a comma-separated list of days >= 0, e.g. \(example); got '\(field)' in '\(text)'")
            }
            return day
        }
    }
}

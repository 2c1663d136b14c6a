import ArgumentParser
import CohortData
import CohortReport
import CohortStats

extension CurveInterval: ExpressibleByArgument {}

struct CumincCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cuminc",
        abstract: "Cumulative incidence with competing risks (Aalen-Johansen, as cmprsk::cuminc), by group, with Gray's test.",
        discussion: """
            Give the time to event in one of three ways: an event-day column, an event-type column and a \
            last-follow-up-day column (--event-day, --event-type, --followup-day); dates (--index-date, \
            --event-date, --event-type, --followup-date: days = date - index date); or a time and a status \
            column (--time, --status). The event type is the event of interest (--event), a competing \
            event (--competing), or missing / a no-event value (--no-event: none, no, 0, censored, false): \
            then the row is censored at its last follow-up. Rows missing a required value are dropped and \
            counted; impossible values (a negative time, an event after the last follow-up, an event type \
            without a day) stop the command with the line and column.

            For each group and event type it prints the cumulative incidence at each --days day (the value \
            at the last event time on or before that day, as cmprsk::timepoints), the number still at risk, \
            the standard error from cmprsk's variance and a log(-log) confidence interval; and, with --by, \
            Gray's test per event type. A day after a group's last follow-up is not estimable (cmprsk gives NA). \
            With no competing event the estimate is 1 - Kaplan-Meier.

            Examples:
              cohort cuminc cohort.csv --event-day bleed_day --event-type first_event --followup-day last_fu_day \\
                  --event bleeding --competing death --days 28,90,365 --by product
              cohort cuminc cohort.csv --index-date infusion_date --event-date event_date --event-type first_event \\
                  --followup-date last_contact --event bleeding --competing death --days 28,90
              cohort cuminc cohort.csv --time time --status status --event 1 --competing 2 --days 30 --format json
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("The day of the event (of the type in --event-type), in days from the index date.", valueName: "column"))
    var eventDay: String?

    @Option(help: ArgumentHelp("What happened: an event type, or missing / a no-event value.", valueName: "column"))
    var eventType: String?

    @Option(help: ArgumentHelp("The day of the last follow-up (used when there is no event).", valueName: "column"))
    var followupDay: String?

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

    @Option(help: ArgumentHelp("Values of the event-type column that mean no event, comma-separated.", valueName: "values"))
    var noEvent: String = EventCoding.defaultNoEventValues.joined(separator: ",")

    @Option(help: ArgumentHelp("Days at which to read off the curves, comma-separated.", valueName: "days"))
    var days: String

    @Option(help: ArgumentHelp("A column to split by: one curve per value, and Gray's test between them.", valueName: "column"))
    var by: String?

    @Option(help: "Confidence interval transform.")
    var ci: CurveInterval = .logLog

    @Option(help: ArgumentHelp("Confidence level, between 0 and 1.", valueName: "level"))
    var level: Double = 0.95

    @Option(help: ArgumentHelp("Gray's test weight (1 - F(t-))^rho, as cuminc's rho; 0 weights all times equally.", valueName: "rho"))
    var rho: Double = 0

    @OptionGroup var output: OutputOptions

    enum Form { case days, dates, timeStatus }

    var form: Form? {
        if eventDay != nil || followupDay != nil { return .days }
        if indexDate != nil || eventDate != nil || followupDate != nil { return .dates }
        if time != nil || status != nil { return .timeStatus }
        return nil
    }

    var requestedDays: [Double] {
        days.split(separator: ",").compactMap { Double(String($0).trimmingSpaces()) }
    }

    var competingEvents: [String] { competing.flatMap { $0.split(separator: ",").map { String($0).trimmingSpaces() } } }

    func validate() throws {
        guard level > 0, level < 1 else { throw ValidationError("--level must be between 0 and 1 (for example 0.95), got \(level)") }
        guard rho.isFinite else { throw ValidationError("--rho must be a number") }
        let fields = days.split(separator: ",").map { String($0).trimmingSpaces() }
        guard !fields.isEmpty, fields.allSatisfy({ Double($0).map { $0.isFinite && $0 >= 0 } ?? false }) else {
            throw ValidationError("--days must be a comma-separated list of days >= 0, e.g. 28,90,365; got '\(days)'")
        }
        let given = [("--event-day", eventDay), ("--followup-day", followupDay), ("--index-date", indexDate), ("--event-date", eventDate),
                     ("--followup-date", followupDate), ("--time", time), ("--status", status)].filter { $0.1 != nil }.map(\.0)
        switch form {
        case .none:
            throw ValidationError("give the times: --event-day, --event-type and --followup-day; or --index-date, --event-date, --event-type and --followup-date; or --time and --status")
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

    func run() throws {
        try ExitStatus.guarding("cuminc") {
            let table = try input.load()
            let coding = try EventCoding(events: [event] + competingEvents,
                                         noEventValues: noEvent.split(separator: ",").map { String($0).trimmingSpaces() })
            let data: CompetingRisksData
            switch form {
            case .dates:
                data = try .fromDates(table: table, indexDate: indexDate ?? "", eventDate: eventDate ?? "", eventType: eventType ?? "",
                                      followUpDate: followupDate ?? "", coding: coding, group: by)
            case .timeStatus:
                data = try .fromTimeAndStatus(table: table, time: time ?? "", status: status ?? "", coding: coding, group: by)
            case .days, .none:
                data = try .fromDays(table: table, eventDay: eventDay ?? "", eventType: eventType ?? "", followUpDay: followupDay ?? "",
                                     coding: coding, group: by)
            }
            let analysis = CompetingRisksAnalysis.run(data, days: requestedDays, interval: ci, level: level, rho: rho)
            let text = output.format == .json ? CumulativeIncidenceJSON.render(analysis)
                : output.format.render(CumulativeIncidenceTable.make(analysis))
            try output.emit(text)
        }
    }
}

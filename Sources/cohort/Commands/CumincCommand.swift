import ArgumentParser
import CohortData
import CohortReport
import CohortStats

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
            Gray's test per event type (--strata stratifies it, as cuminc's strata). A day after a group's last follow-up is not estimable (cmprsk gives NA). \
            With no competing event the estimate is 1 - Kaplan-Meier.

            Examples:
              cohort cuminc cohort.csv --event-day bleed_day --event-type first_event
                --followup-day last_fu_day --event bleeding --competing death
                --days 28,90,365 --by product
              cohort cuminc cohort.csv --index-date infusion_date --event-date event_date
                --event-type first_event --followup-date last_contact
                --event bleeding --competing death --days 28,90
              cohort cuminc cohort.csv --time time --status status --event 1
                --competing 2 --days 30 --format json
            """
    )

    @OptionGroup var input: InputOptions

    @OptionGroup var times: TimeToEventOptions

    @Option(help: ArgumentHelp("Gray's test weight (1 - F(t-))^rho, as cuminc's rho; 0 weights all times equally.", valueName: "rho"))
    var rho: Double = 0

    @Option(help: ArgumentHelp("Stratify Gray's test by this column (as cuminc's strata; the curves are not stratified).", valueName: "column"))
    var strata: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.rejectSuppression("cuminc")
        guard rho.isFinite else { throw ValidationError("--rho must be a number") }
        if strata != nil, times.by == nil { throw ValidationError("--strata stratifies Gray's test between the --by groups: give --by too") }
    }

    func run() throws {
        try ExitStatus.guarding("cuminc") {
            let data = try times.data(from: try input.load(), strata: strata)
            let analysis = CompetingRisksAnalysis.run(data, days: times.requestedDays, interval: times.ci, level: times.level, rho: rho)
            let text = output.format == .json ? CumulativeIncidenceJSON.render(analysis)
                : output.format.render(CumulativeIncidenceTable.make(analysis, style: output.style))
            try output.emit(text)
        }
    }
}

import ArgumentParser
import CohortData
import CohortReport
import CohortStudy
import CohortStats

struct CumincCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cuminc",
        abstract: "Cumulative incidence with competing risks (Aalen-Johansen, as cmprsk::cuminc), by group, with Gray's test.",
        discussion: """
            Give the time to event in one of four ways: an event-day column, an event-type column and a \
            last-follow-up-day column (--event-day, --event-type, --followup-day); one day column per event \
            type and a last-follow-up-day column (--event-days bleeding=bleeding_day,death=death_day \
            --followup-day: the earliest event counts, a tie going to the event of interest); dates (--index-date, \
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
              cohort cuminc cohort.csv --event-days bleeding=bleeding_day,death=death_day
                --followup-day last_followup_day --event bleeding --days 28,90,365 --by product
              cohort cuminc cohort.csv --index-date infusion_date --event-date event_date
                --event-type first_event --followup-date last_contact
                --event bleeding --competing death --days 28,90
              cohort cuminc cohort.csv --time time --status status --event 1
                --competing 2 --days 30 --format json
              cohort cuminc cohort.csv --time time --status status --event bleeding
                --competing death --days 30,90 --by product --svg cuminc.svg

            --svg FILE also writes the curves of the --event type as an SVG figure (step curves per \
            group with a tick at each censored time, the confidence bands of --ci, a numbers-at-risk table \
            under the x-axis ticks, the method and Gray's test in the caption); the table is still printed. \
            The legend takes the --by column's codebook label; --svg-max-day cuts the time axis and \
            --svg-time-step sets its ticks (e.g. --svg-max-day 90 --svg-time-step 30); bands are drawn for \
            one curve, and --svg-bands / --no-svg-bands choose; the time axis is labelled --time-label, else \
            the --time column's codebook label and unit, else "Days since" the --index-date column, else \
            "Days since day 0".
            """
    )

    @OptionGroup var input: InputOptions

    @OptionGroup var times: TimeToEventOptions

    @Option(name: .customLong("rho"), help: ArgumentHelp("Gray's test weight (1 - F(t-))^rho, as cuminc's rho, between -10 and 10, with --by (default 0: all times weigh equally).", valueName: "rho"))
    var rhoGiven: Double?

    @Option(help: ArgumentHelp("Stratify Gray's test by this column (as cuminc's strata; the curves are not stratified).", valueName: "column"))
    var strata: String?

    @OptionGroup var figure: CurveFigureOptions

    @OptionGroup var output: OutputOptions

    func request() throws -> CumincRequest {
        var request = CumincRequest()
        request.times = try times.eventTimes()
        request.strata = strata
        request.rho = rhoGiven
        request.figure = figure.fields
        return request
    }

    func validate() throws {
        try RequestRunner.validate(try request(), output: output)
        try output.rejectStyleThatDoesNotApply("cuminc", prints: times.by != nil ? [.pValues] : [], because: "prints a P value (Gray's test) only with --by")
    }

    func run() throws {
        try RequestRunner.runCommand(try request(), "cuminc", input: input, output: output, figures: { result, _ in
            if let svg = figure.svg, let drawn = result.figures.first { try AtomicFile.write(drawn.svg, to: svg) }
        })
    }
}

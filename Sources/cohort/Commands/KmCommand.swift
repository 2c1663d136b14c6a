import ArgumentParser
import CohortData
import CohortReport
import CohortStudy
import CohortStats

struct KmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "km",
        abstract: "Kaplan-Meier event-free survival (as survival::survfit), by group, read off at given days.",
        discussion: """
            Takes the same time-to-event options as cohort cuminc. Every event type named (--event and \
            --competing) ends event-free survival; use it for overall survival (--event death) or \
            survival free of any of several events. Prints for each group the Kaplan-Meier estimate at \
            each --days day (the value at the last time on or before that day, as summary(fit, times =)), \
            the number still at risk, the Greenwood standard error and a log-log confidence interval \
            (--ci log gives R's default). With competing risks, 1 - Kaplan-Meier for one event type \
            overstates its incidence: use cohort cuminc.

            Examples:
              cohort km cohort.csv --time os_days --status dead --event 1
                --days 365,730 --by product
              cohort km cohort.csv --event-day event_day --event-type first_event
                --followup-day last_fu_day --event bleeding --competing death
                --days 28,90          (free of bleeding and death)
              cohort km cohort.csv --event-days death=death_day --followup-day last_fu_day
                --event death --days 30,90 --by product --svg os.svg
                --svg-max-day 90 --svg-time-step 30

            --svg FILE also writes the Kaplan-Meier curves as an SVG figure: the event-free survival of \
            each group as a step curve falling from 100%, a tick at each censored time, the pointwise \
            confidence bands of --ci (drawn for one curve; --svg-bands / --no-svg-bands choose) and a \
            numbers-at-risk table under the x-axis ticks; the table is still printed. --svg-max-day cuts \
            the time axis and --svg-time-step sets its ticks; the axis is labelled --time-label, else the \
            --time column's codebook label and unit, else "Days since" the --index-date column, else \
            "Days since day 0".
            """
    )

    @OptionGroup var input: InputOptions

    @OptionGroup var times: TimeToEventOptions

    @OptionGroup var figure: CurveFigureOptions

    @OptionGroup var output: OutputOptions

    func request() throws -> KmRequest {
        var request = KmRequest()
        request.times = try times.eventTimes()
        request.figure = figure.fields
        return request
    }

    func validate() throws {
        try RequestRunner.validate(try request(), output: output)
        try output.rejectStyleThatDoesNotApply("km", prints: [])
    }

    func run() throws {
        try RequestRunner.runCommand(try request(), "km", input: input, output: output, figures: { result, _ in
            if let svg = figure.svg, let drawn = result.figures.first { try AtomicFile.write(drawn.svg, to: svg) }
        })
    }
}

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

            Then each group's median with its confidence limits as print(survfit) shows them (NR: not \
            reached), on the --ci scale; --quantiles 0.25,0.75 adds other quantiles as quantile(fit, \
            probs =); --rmst-day D adds the restricted mean survival time to day D with its SE and a \
            normal interval, as print(survfit, rmean = D). With --by, the log-rank test between the groups \
            as survdiff prints it (N, observed, expected, (O-E)^2/E, (O-E)^2/V, chi-square, df, P); --rho 1 \
            gives Peto & Peto's test (G-rho weights S(t-)^rho), --strata COLUMN the stratified test.

            Examples:
              cohort km cohort.csv --time os_days --status dead --event 1
                --days 365,730 --by product --rmst-day 730
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

    @Option(name: .customLong("rho"), help: ArgumentHelp("The test between the --by groups weighs each time by S(t-)^rho, as survdiff's rho, from 0 to 10 (default 0: the log-rank test; 1: Peto & Peto's).", valueName: "rho"))
    var rhoGiven: Double?

    @Option(help: ArgumentHelp("Stratify the test between the --by groups by this column, as survdiff's + strata(column).", valueName: "column"))
    var strata: String?

    @Option(help: ArgumentHelp("Also give these quantiles with their limits, comma-separated probabilities between 0 and 1 (0.25: the time by which a quarter had an event), as quantile(fit, probs =).", valueName: "p,..."))
    var quantiles: String?

    @Option(help: ArgumentHelp("Also give the restricted mean survival time to this day (> 0) with its SE and interval, as print(survfit, rmean =).", valueName: "day"))
    var rmstDay: Double?

    @OptionGroup var figure: CurveFigureOptions

    @OptionGroup var output: OutputOptions

    func request() throws -> KmRequest {
        var request = KmRequest()
        request.times = try times.eventTimes()
        request.rho = rhoGiven
        request.strata = strata
        request.quantiles = try quantiles.map { text in
            try text.split(separator: ",", omittingEmptySubsequences: false).map { field in
                guard let p = Double(String(field).trimmingSpaces()) else {
                    throw ValidationError("--quantiles must be a comma-separated list of probabilities between 0 and 1, e.g. 0.25,0.75; got '\(field)' in '\(text)'")
                }
                return p
            }
        }
        request.rmstDay = rmstDay
        request.figure = figure.fields
        return request
    }

    func validate() throws {
        try RequestRunner.validate(try request(), output: output)
        try output.rejectStyleThatDoesNotApply("km", prints: times.by != nil ? [.pValues] : [], pValuesBecause: "prints a P value (the log-rank test) only with --by")
    }

    func run() throws {
        try RequestRunner.runCommand(try request(), "km", input: input, output: output, figures: { result, _ in
            if let svg = figure.svg, let drawn = result.figures.first { try AtomicFile.write(drawn.svg, to: svg) }
        })
    }
}

import ArgumentParser
import CohortData
import CohortDatabase
import CohortReport
import CohortStudy
import CohortStats

extension IntervalMethodChoice: ExpressibleByArgument {}

struct IncidenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidence",
        abstract: "Incidence n/N with an exact (or other) confidence interval, overall or by group.",
        discussion: """
            Counts the rows with the event among the rows where the outcome (and the group, with --by) \
            is not missing, and gives the proportion with a two-sided confidence interval: \
            Clopper-Pearson exact by default, or Wilson score, Jeffreys or Agresti-Coull. Rows dropped \
            for missing values are counted in the output.

            Examples:
              cohort incidence cohort.csv --outcome bleeding_28d
              cohort incidence cohort.csv --outcome bleeding_28d --by Disease --method wilson --format json
              cohort incidence --site URL1 --site URL2 --outcome bleeding --by centre

            With a PostgreSQL DATA URL the counts are computed inside the database (issue 17): one \
            GROUP BY of the outcome and the group, no rows (--pull reads them instead); the output \
            equals that of the rows. With repeated --site URL the counts are added over the sites, \
            each site refused below --site-min-rows complete rows and, under --suppress-below K, with \
            an outcome x group cell of 1 to K-1 rows. Through a site's installed functions (a URL \
            with functions=cohort_site, see cohort site install) the site applies its own minimum and \
            cell floor.
            """
    )

    @OptionGroup var input: InputOptions

    @OptionGroup var response: OutcomeOptions

    @Option(help: ArgumentHelp("A column to split by: one row a value.", valueName: "column"))
    var by: String?

    @Option(help: "Interval method.")
    var method: IntervalMethodChoice = .clopperPearson

    @Option(help: ArgumentHelp("Confidence level, between 0 and 1.", valueName: "level"))
    var level: Double = 0.95

    @OptionGroup var output: OutputOptions

    @OptionGroup var database: SiteOptions

    func request() -> IncidenceRequest {
        var request = IncidenceRequest()
        request.outcome = response.outcome
        request.event = response.event
        request.by = by
        request.method = method
        request.level = level
        return request
    }

    func validate() throws {
        try RequestRunner.validate(request(), output: output)
        try database.validatePushdown("incidence", input: input)
        try output.rejectStyleThatDoesNotApply("incidence", prints: [.percentages])
    }

    func run() throws {
        let request = request()
        guard try database.runsInDatabase(input) else {
            try RequestRunner.runCommand(request, "incidence", input: input, output: output)
            return
        }
        try database.runPushdown("incidence", input: input, output: output) { counts in
            IncidenceRequest.result(try PushdownIncidence.compute(counts, outcome: request.outcome, eventLevel: request.event, group: request.by,
                                                                  method: request.method.method, level: request.level),
                                    style: output.style)
        }
    }
}

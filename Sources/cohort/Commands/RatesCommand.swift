import ArgumentParser
import CohortData
import CohortReport
import CohortStudy
import CohortStats

struct RatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rates",
        abstract: "Person-time incidence rates with exact CIs, by group, with rate ratios and differences.",
        discussion: """
            Sums each group's events (a count per row, or 0/1) and person-time (in the data's unit: the \
            codebook's unit of the column, stated in the table) over the rows where neither (nor the \
            group) is missing, and gives the rate with its exact Poisson (Garwood) interval, as R's \
            poisson.test(x, T). With --by, each group is compared with the reference (the first group, \
            or --reference): the rate ratio with its exact interval conditional on the total events and \
            its P value, as poisson.test(c(x1, x0), c(T1, T0)), and the rate difference with a Wald \
            interval, as epiR's epi.2by2 for person-time. --per 1000 gives rates per 1,000 units of \
            person-time. Rows dropped for missing values are counted in the output.

            Examples:
              cohort rates cohort.csv --events infections --person-time followup_days --per 1000
              cohort rates cohort.csv --events infections --person-time followup_days --by arm --reference placebo --format json
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("Each row's events: a count (whole number ≥ 0) or 0/1.", valueName: "column"))
    var events: String

    @Option(name: .customLong("person-time"), help: ArgumentHelp("Each row's person-time (≥ 0), in the data's unit.", valueName: "column"))
    var personTime: String

    @Option(help: ArgumentHelp("A column to split by: one row a value, each compared with the reference.", valueName: "column"))
    var by: String?

    @Option(help: ArgumentHelp("The group the others are compared with (default: the first).", valueName: "group"))
    var reference: String?

    @Option(help: ArgumentHelp("Rates per this much person-time, above 0 (default 1).", valueName: "amount"))
    var per: Double = 1

    @Option(help: ArgumentHelp("Confidence level, between 0 and 1.", valueName: "level"))
    var level: Double = 0.95

    @OptionGroup var output: OutputOptions

    func request() -> RatesRequest {
        var request = RatesRequest()
        request.events = events
        request.personTime = personTime
        request.by = by
        request.reference = reference
        request.per = per
        request.level = level
        return request
    }

    func validate() throws {
        try RequestRunner.validate(request(), output: output)
        try output.rejectStyleThatDoesNotApply("rates", prints: by == nil ? [] : [.pValues], pValuesBecause: "prints a P value (of a rate ratio) only with --by")
    }

    func run() throws {
        try RequestRunner.runCommand(request(), "rates", input: input, output: output)
    }
}

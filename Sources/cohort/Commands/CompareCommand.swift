import ArgumentParser
import CohortData
import CohortReport
import CohortStudy
import CohortStats

extension ContingencyTable.TestChoice: ExpressibleByArgument {}

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "A binary outcome against each candidate factor, with the test named.",
        discussion: """
            For a categorical factor: events / n (%) at each level and a two-sided P value, by default \
            Pearson's chi-square without continuity correction when every expected count is at least 5, \
            else Fisher's exact test (--test fisher|chisq|chisq-yates forces one; --trend uses the \
            Cochran-Armitage trend test for ordered factors such as grades). For a measurement: the \
            median [IQR] without and with the event and the Wilcoxon rank-sum test (exact for small \
            samples without ties, else the normal approximation with continuity correction, as R), or \
            Welch's t-test with --measurement-test welch. The codebook says which factors are \
            measurements; without one, numbers holding at most 5 whole values are categories. Each \
            factor uses the rows where both it and the outcome are present; the rows dropped are counted.

            A factor of two levels (a binary exposure) also gets the risk ratio (Wald interval on the \
            log scale) and the risk difference (Newcombe's hybrid score interval) of its second level \
            against its first (the reference; codebook order, else sorted: 1 against 0); the JSON adds \
            the odds ratio (Wald, and conditional MLE with Fisher's exact interval). --strata COLUMN \
            adds the Mantel-Haenszel odds ratio (Robins-Breslow-Greenland interval) and risk ratio \
            (Greenland-Robins), the Mantel-Haenszel test and the Breslow-Day test with Tarone's \
            correction, as R's mantelhaen.test and epiR's epi.2by2.

            Examples:
              cohort compare cohort.csv --outcome bleeding_28d --factors low_platelets,icans_high,Sex
              cohort compare cohort.csv --outcome bleeding_28d --factors plt_baseline,age --measurement-test welch
              cohort compare cohort.csv --outcome bleeding_28d --factor icans_grade --trend
              cohort compare cohort.csv --outcome bleeding_28d --factor Disease --test fisher --format json
              cohort compare cohort.csv --outcome bleeding_28d --factors icans_high --strata Disease
            """
    )

    @OptionGroup var input: InputOptions

    @OptionGroup var response: OutcomeOptions

    @Option(help: ArgumentHelp("Comma-separated factor columns, as written in the header.", valueName: "columns"))
    var factors: String?

    @Option(name: .customLong("factor"), help: ArgumentHelp("One factor column (repeatable; for names that contain commas).", valueName: "column"))
    var singleFactors: [String] = []

    @Option(help: "Which test for categorical factors (default: auto).")
    var test: ContingencyTable.TestChoice?

    @Option(name: .customLong("measurement-test"), help: "Which test for measurements (default: rank-sum).")
    var measurementTest: MeasurementTest?

    @Flag(help: "Cochran-Armitage trend test for ordered categorical factors (grades, numbers, declared levels).")
    var trend = false

    @Option(help: ArgumentHelp("A categorical column: factors of two levels add the Mantel-Haenszel OR and RR over its strata, the Mantel-Haenszel test and the Breslow-Day test.", valueName: "column"))
    var strata: String?

    @OptionGroup var output: OutputOptions

    func request() -> CompareRequest {
        var request = CompareRequest()
        request.outcome = response.outcome
        request.event = response.event
        request.factors = ColumnList.merge(factors, singleFactors)
        request.test = test
        request.measurementTest = measurementTest
        request.trend = trend
        request.strata = strata
        return request
    }

    func validate() throws {
        try RequestRunner.validate(request(), output: output)
        try output.rejectStyleThatDoesNotApply("compare", prints: [.pValues, .percentages])
    }

    func run() throws {
        try RequestRunner.runCommand(request(), "compare", input: input, output: output)
    }
}

import ArgumentParser
import CohortData
import CohortDatabase
import CohortReport
import CohortStudy
import CohortStats

extension MeasurementTest: ExpressibleByArgument {}
extension DescriptionTable.Layout: ExpressibleByArgument {}

struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "A summary table (Table 1) of the cohort, overall or by group, with the tests named.",
        discussion: """
            The compact layout (default) prints a measurement on one row as median [IQR] (R's type-7 \
            quantiles; mean (SD) with --measurement-test welch), a yes/no variable on one row as n (%) \
            of its event level, other categories one indented row a level, a Missing row only where \
            values are missing, and each P value marked with its test's footnote; --layout full gives \
            n (missing), mean (SD), median [IQR] and min-max of each measurement and every level. \
            Percentages are of the rows with a value. With two --by groups each variable gets its \
            standardised mean difference (SMD, tableone's formulas). The codebook decides \
            which is which (binary, grade and categorical are categories); without one, text and number \
            columns holding at most 5 whole values are categories. With --by, each variable is tested \
            between the groups: chi-square or Fisher's exact test for categories (--test chooses, as in \
            compare), the Wilcoxon rank-sum test (two groups) or Kruskal-Wallis (more) for measurements.

            Examples:
              cohort describe cohort.csv
              cohort describe cohort.csv --variables age,sex,plt_baseline --by bleeding --format md
              cohort describe cohort.csv --by disease --no-tests --format json --out table1.json
              cohort describe 'postgresql://me@db/registry?table=cohort' --variables age,sex --by disease --no-tests
              cohort describe --site URL1 --site URL2 --variables sex,disease --by centre

            With a PostgreSQL DATA URL the table is described inside the database (issue 17): counts \
            by GROUP BY, a measurement's sums and quartiles' order statistics by aggregate queries; the \
            output equals that of the rows (--pull reads them instead). A test between groups of a \
            measurement needs the rows (--no-tests, or --pull). With repeated --site URL the \
            categories' counts are added over the sites (measurements are refused: their medians do not \
            pool), each site refused below --site-min-rows rows and, under --suppress-below K, with a \
            cell of 1 to K-1 rows. Through a site's installed functions (a URL with \
            functions=cohort_site, see cohort site install) categories only, under the site's own \
            minimum and cell floor.
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("Comma-separated columns to describe, in this order. Default: every column.", valueName: "columns"))
    var variables: String?

    @Option(name: .customLong("variable"), help: ArgumentHelp("One column to describe (repeatable; for names that contain commas).", valueName: "column"))
    var singleVariables: [String] = []

    @Option(help: ArgumentHelp("A column to split by: one summary column a value.", valueName: "column"))
    var by: String?

    @Option(help: "Which test for categories, with --by (default: auto).")
    var test: ContingencyTable.TestChoice?

    @Option(name: .customLong("measurement-test"), help: "Which test for measurements, with --by (default: rank-sum; welch: two groups only).")
    var measurementTest: MeasurementTest?

    @Flag(inversion: .prefixedNo, help: "Tests between the --by groups (default on); --no-tests leaves them out.")
    var tests = true

    @Option(help: "compact (default): gtsummary's Table 1, one row a measurement (median [IQR]) or yes/no variable, levels indented, Missing rows only where values are missing, tests as footnotes; full: n (missing), mean (SD), median [IQR] and min-max of each measurement, every level, each test named.")
    var layout: DescriptionTable.Layout?

    @Flag(inversion: .prefixedNo, help: "Standardised mean differences between the --by groups (tableone's formulas; default: on with two groups, off with more, where --smd gives the mean of the pairwise SMDs).")
    var smd: Bool?

    @OptionGroup var output: OutputOptions

    @OptionGroup var database: SiteOptions

    /// The test options apply to tests between --by groups; given without them, they would change nothing.
    func request() -> DescribeRequest {
        var request = DescribeRequest()
        let names = ColumnList.merge(variables, singleVariables)
        request.variables = names.isEmpty ? nil : names
        request.by = by
        request.tests = tests
        request.test = test
        request.measurementTest = measurementTest
        if let layout { request.layout = layout }
        request.smd = smd
        return request
    }

    func validate() throws {
        try RequestRunner.validate(request(), output: output)
        try database.validatePushdown("describe", input: input)
        try output.rejectStyleThatDoesNotApply("describe", prints: by != nil && tests ? [.pValues, .percentages] : [.percentages],
                                               because: "prints P values only with --by (and without --no-tests)")
    }

    func run() throws {
        let request = request()
        guard try database.runsInDatabase(input) else {
            try RequestRunner.runCommand(request, "describe", input: input, output: output)
            return
        }
        try database.runPushdown("describe", input: input, output: output) { counts in
            let description = try PushdownDescribe.describe(counts, variables: request.variables, by: request.by, tests: request.groupTests,
                                                            standardizedDifferences: request.standardizedDifferences(groups:))
            try request.checkTestsApply(description)
            return request.result(description, style: output.style)
        }
    }
}

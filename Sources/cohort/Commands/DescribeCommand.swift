import ArgumentParser
import CohortData
import CohortReport
import CohortStats

extension MeasurementTest: ExpressibleByArgument {}

struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "A summary table (Table 1) of the cohort, overall or by group, with the tests named.",
        discussion: """
            Measurements get n (missing), mean (SD), median [IQR] (R's type-7 quantiles) and min-max; \
            categories get n (%) of the rows with a value, missing counted apart. The codebook decides \
            which is which (binary, grade and categorical are categories); without one, text and number \
            columns holding at most 5 whole values are categories. With --by, each variable is tested \
            between the groups: chi-square or Fisher's exact test for categories (--test chooses, as in \
            compare), the Wilcoxon rank-sum test (two groups) or Kruskal-Wallis (more) for measurements.

            Examples:
              cohort describe cohort.csv
              cohort describe cohort.csv --variables age,sex,plt_baseline --by bleeding --format md
              cohort describe cohort.csv --by disease --no-tests --format json --out table1.json
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

    @Flag(name: .customLong("no-tests"), help: "No tests between groups.")
    var noTests = false

    @OptionGroup var output: OutputOptions

    /// The test options apply to tests between --by groups; given without them, they would change nothing.
    func validate() throws {
        let testOptions = [test.map { "--test \($0.rawValue)" }, measurementTest.map { "--measurement-test \($0.rawValue)" }].compactMap { $0 }
        if by == nil, let given = (testOptions + (noTests ? ["--no-tests"] : [])).first {
            throw ValidationError("\(given) applies to the tests between groups: add --by COLUMN")
        }
        if noTests, let given = testOptions.first { throw ValidationError("\(given) and --no-tests contradict each other") }
        try output.rejectStyleThatDoesNotApply("describe", prints: by != nil && !noTests ? [.pValues, .percentages] : [.percentages],
                                               because: "prints P values only with --by (and without --no-tests)")
    }

    func run() throws {
        try ExitStatus.guarding("describe") {
            let table = try input.load()
            let names = ColumnList.merge(variables, singleVariables)
            // Each stage's input ends where the next begins (`consume`): the table once described,
            // the description once tabulated, so a file of 300,000 columns never holds all three
            // at once (issue 12).
            let description = try CohortDescription.describe(table: consume table, variables: names.isEmpty ? nil : names, by: by,
                                                             tests: noTests ? nil : GroupTests(categories: test ?? .auto, measurements: measurementTest ?? .rankSum))
            // As in compare: a test option no variable uses (the codebook decides which are categories) is refused.
            let categorical = description.variables.contains { if case .categorical = $0.overall { true } else { false } }
            let numeric = description.variables.contains { if case .numeric = $0.overall { true } else { false } }
            if let test, !categorical { throw ValidationError("--test \(test.rawValue) does not apply: no variable described is categorical") }
            if let measurementTest, !numeric { throw ValidationError("--measurement-test \(measurementTest.rawValue) does not apply: no variable described is a measurement") }
            let text = output.writesRawJSON ? DescriptionJSON.render(description)
                : output.format.render(DescriptionTable.make(consume description, style: output.style))
            try output.emit(text)
        }
    }
}

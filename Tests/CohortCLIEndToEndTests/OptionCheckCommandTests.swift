import CohortTestSupport
import Foundation
import XCTest

/// Issue 12, "input that cannot hurt", on the command line: a number outside its option's range
/// names the option and the range (never a trap or a silent clamp), and an option that does not
/// apply to the command, the other options or the data is refused, never silently ignored.
final class OptionCheckCommandTests: XCTestCase {
    var codebook: String { Fixtures.path("codebook") }
    var survival: String { Fixtures.path("survival/cli") }
    let dayForm = ["--event-day", "event_day", "--event-type", "first_event", "--followup-day", "last_fu_day", "--event", "bleeding", "--competing", "death"]

    /// Runs each case in `directory` and checks the usage exit code (64) and the one-line reason.
    func expectRefused(_ cases: [([String], String)], in directory: String, code: Int32 = 64, file: StaticString = #filePath, line: UInt = #line) throws {
        for (arguments, expected) in cases {
            let result = try CohortCommand.run(arguments, in: directory)
            XCTAssertEqual(result.exitCode, code, "\(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
            XCTAssertTrue(result.stderr.contains(expected), "\(arguments.joined(separator: " ")):\nexpected '\(expected)' in\n\(result.stderr)", file: file, line: line)
        }
    }

    func testIssue12_numbersOutOfRangeNameTheOptionAndTheRange() throws {
        let logit = ["logit", "cohort.csv", "--outcome", "bleeding_28d", "--covariates", "Age (years)"]
        try expectRefused([
            (logit + ["--bootstrap", "1e12"], "--bootstrap must be a whole number between 1 and 100000, got 1e12"),
            (logit + ["--bootstrap", "9223372036854775807"], "--bootstrap must be a whole number between 1 and 100000, got 9223372036854775807"),
            (logit + ["--max-iterations", "0"], "--max-iterations must be a whole number between 1 and 10000, got 0"),
            (logit + ["--level", "1e400"], "--level must be between 0 and 1, both excluded (for example 0.95), got Inf"),
            (["incidence", "cohort.csv", "--outcome", "bleeding_28d", "--percent-decimals", "99"], "--percent-decimals must be a whole number between 0 and 4, got 99"),
            (["report", "study.yaml", "--out", "r", "--suppress-below", "1e19"], "--suppress-below must be a whole number between 0 and 1000000, got 1e19"),
            (["report", "study.yaml", "--out", "r", "--date", "2026-02-31"], "--date must be YYYY-MM-DD, a real calendar date, got '2026-02-31'"),
        ], in: codebook)
        try expectRefused([
            (["cuminc", "cohort_tte.csv"] + dayForm + ["--days", "28", "--by", "product", "--rho", "1e300"], "--rho must be between -10 and 10, got 1e+300"),
            (["cuminc", "cohort_tte.csv"] + dayForm + ["--days", "28", "--svg", "x.svg", "--svg-max-day", "inf"], "--svg-max-day must be a number greater than 0, got Inf"),
            (["km", "cohort_tte.csv"] + dayForm + ["--days", "28,1e999"], "--days must be a comma-separated list of days >= 0, e.g. 28,90,365; got '1e999'"),
        ], in: survival)
    }

    func testIssue12_optionsThatDoNotApplyAreRefused() throws {
        try expectRefused([
            (["compare", "cohort.csv", "--outcome", "bleeding_28d", "--factor", "Age (years)", "--trend"],
             "--trend applies to ordered categorical factors (grades, 0/1, declared levels); 'Age (years)' is a measurement; leave it out or drop --trend"),
            (["compare", "cohort.csv", "--outcome", "bleeding_28d", "--factor", "ICANS grade", "--trend", "--test", "fisher"],
             "--test fisher does not apply with --trend"),
            (["compare", "cohort.csv", "--outcome", "bleeding_28d", "--factor", "Age (years)", "--test", "fisher"],
             "--test fisher does not apply: every factor (Age (years)) is a measurement"),
            (["compare", "cohort.csv", "--outcome", "bleeding_28d", "--factor", "Sex", "--measurement-test", "welch"],
             "--measurement-test welch does not apply: no factor is a measurement (categorical: Sex)"),
            (["describe", "cohort.csv", "--test", "fisher"], "--test fisher applies to the tests between groups: add --by"),
            (["logit", "cohort.csv", "--outcome", "bleeding_28d", "--covariates", "Age (years)", "--site-min-rows", "5"],
             "--site-min-rows and --site-parameter-fraction are disclosure rules of a fit inside the database"),
            (["logit", "cohort.csv", "--outcome", "bleeding_28d", "--covariates", "Age (years)", "--pull"], "--pull applies to a PostgreSQL DATA URL only"),
            (["describe", "cohort.csv", "--no-tests"], "--no-tests applies to the tests between groups: add --by"),
            (["describe", "cohort.csv", "--by", "Sex", "--no-tests", "--measurement-test", "welch"], "--measurement-test welch and --no-tests contradict each other"),
            (["describe", "cohort.csv", "--by", "Sex", "--variable", "Age (years)", "--test", "fisher"], "--test fisher does not apply: no variable described is categorical"),
            (["describe", "cohort.csv", "--by", "Sex", "--variable", "Disease", "--measurement-test", "welch"],
             "--measurement-test welch does not apply: no variable described is a measurement"),
            (["describe", "cohort.csv", "--by", "Sex", "--format", "json", "--percent-decimals", "2"], "--percent-decimals does not apply: --format json writes unrounded numbers"),
            (["describe", "cohort.csv", "--p-style", "journal"], "--p-style does not apply: 'describe' prints P values only with --by"),
            (["logit", "cohort.csv", "--outcome", "bleeding_28d", "--covariates", "Age (years)", "--factor", "Sex=M"],
             "--factor names 'Sex', which is not among the covariates (Age (years)); add it with --covariates or drop it from --factor"),
            (["logit", "cohort.csv", "--outcome", "bleeding_28d", "--covariates", "Age (years),Sex", "--factor", "Sex=M", "--factor", "Sex=F"],
             "--factor names 'Sex' twice (Sex=M and Sex=F); give one reference level"),
            (["logit", "cohort.csv", "--outcome", "bleeding_28d", "--covariates", "Age (years)", "--bootstrap-ci", "percentile"],
             "--bootstrap-ci applies to --bootstrap; add --bootstrap N"),
            (["logit", "cohort.csv", "--outcome", "bleeding_28d", "--covariates", "Age (years)", "--percent-decimals", "2"],
             "--percent-decimals does not apply: 'logit' prints no percentages"),
            (["incidence", "cohort.csv", "--outcome", "bleeding_28d", "--p-style", "journal"], "--p-style does not apply: 'incidence' prints no P values"),
            (["incidence", "cohort.csv", "--outcome", "bleeding_28d", "--delimiter", "comma", "--decimal-comma"], "--decimal-comma does not apply with --delimiter comma"),
            (["correlate", "cohort.csv", "--x", "Age (years)", "--y", "PLT (x10^9/L)", "--level", "0.9"],
             "--level does not apply to spearman: only Pearson's correlation has a confidence interval"),
            (["codebook", "--functions", "--delimiter", "tab"], "--delimiter, --missing and --decimal-comma apply to reading a data file; --functions reads none"),
        ], in: codebook)
        try expectRefused([
            (["cuminc", "cohort_tte.csv"] + dayForm + ["--days", "28", "--rho", "1"], "--rho weights Gray's test between the --by groups: give --by too"),
            (["cuminc", "cohort_tte.csv"] + dayForm + ["--days", "28", "--p-style", "journal"], "--p-style does not apply: 'cuminc' prints a P value (Gray's test) only with --by"),
            (["cuminc", "cohort_tte.csv"] + dayForm + ["--days", "28", "--svg-max-day", "100"], "--svg-max-day applies to the figure: add --svg"),
            (["km", "cohort_tte.csv", "--event-days", "bleeding=event_day", "--followup-day", "last_fu_day", "--event", "bleeding", "--days", "28", "--no-event", "none"],
             "--no-event does not apply to the event-days form"),
            (["km", "cohort_tte.csv", "--event-days", "bleeding=event_day,bleeding=last_fu_day", "--followup-day", "last_fu_day", "--event", "bleeding", "--days", "28"],
             "--event-days names the type 'bleeding' twice; give each event type one day column"),
            (["km", "cohort_tte.csv"] + dayForm + ["--days", "28", "--percent-decimals", "0"], "--percent-decimals does not apply: 'km' prints no percentages"),
        ], in: survival)
        let malformed = Fixtures.path("malformed")
        try expectRefused([
            (["validate", "missing_tokens.csv", "--missing", "NA,-1"], "--missing does not apply: the codebook missing_tokens.codebook.yaml lists the missing values ('missing:')"),
        ], in: malformed)
        try expectRefused([
            (["reproduce", "Datasets/johnsrud2021", "--datasets", "elsewhere"], "--datasets elsewhere does not apply: every study given is a path"),
        ], in: Fixtures.repositoryRoot)
    }

    /// The same options where they do apply still run.
    func testIssue12_optionsThatApplyStillRun() throws {
        for arguments in [["compare", "cohort.csv", "--outcome", "bleeding_28d", "--factor", "ICANS grade", "--trend", "--p-style", "journal"],
                          ["compare", "cohort.csv", "--outcome", "bleeding_28d", "--factor", "Age (years)", "--measurement-test", "welch"],
                          ["describe", "cohort.csv", "--by", "Sex", "--test", "fisher", "--percent-decimals", "2"],
                          ["logit", "cohort.csv", "--outcome", "bleeding_28d", "--covariates", "Age (years),Sex", "--factor", "Sex=M"]] {
            let result = try CohortCommand.run(arguments, in: codebook)
            XCTAssertEqual(result.exitCode, 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        }
    }
}

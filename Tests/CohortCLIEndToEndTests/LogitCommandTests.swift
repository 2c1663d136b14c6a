import CohortTestSupport
import Foundation
import XCTest

/// `cohort logit` as a user runs it: outputs, the JSON interface, and one clear line and a distinct
/// exit code for every kind of bad input.
final class LogitCommandTests: XCTestCase {
    let cohort127 = Fixtures.path("logistic/data/cohort127.csv")
    func cli(_ name: String) -> String { Fixtures.path("cli/\(name)") }

    func testTextOutputMatchesGolden() throws {
        let result = try CohortCommand.run(["logit", cohort127, "--outcome", "bleed", "--covariates", "plt,icans_high,age"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        // The data path differs by checkout; the golden file names it relative to the fixtures.
        let text = result.stdout.replacingOccurrences(of: Fixtures.root + "/", with: "")
        assertMatchesGolden(text, goldenPath: Fixtures.path("golden/logit_cohort127.txt"))
    }

    func testFirthMarkdownMatchesGolden() throws {
        let result = try CohortCommand.run(["logit", cohort127, "--outcome", "bleed", "--covariates", "plt,icans_high,age", "--firth", "--format", "md"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let text = result.stdout.replacingOccurrences(of: Fixtures.root + "/", with: "")
        assertMatchesGolden(text, goldenPath: Fixtures.path("golden/logit_cohort127_firth.md"))
    }

    func testJSONInterfaceHasTheDocumentedKeys() throws {
        let result = try CohortCommand.run(["logit", cohort127, "--outcome", "bleed", "--covariates", "plt,icans_high,age", "--format", "json"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for key in ["model", "outcome", "n", "nDropped", "events", "converged", "iterations", "logLikelihood", "deviance",
                    "nullDeviance", "aic", "bic", "coefficients", "cStatistic", "hosmerLemeshow", "calibration", "warnings"] {
            XCTAssertNotNil(object[key], "missing key \(key)")
        }
        XCTAssertEqual(object["model"] as? String, "logistic")
        XCTAssertEqual(object["n"] as? Int, 127)
        XCTAssertEqual(object["events"] as? Int, 12)
        let coefficients = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
        XCTAssertEqual(coefficients.map { $0["term"] as? String }, ["(Intercept)", "plt", "icans_high", "age"])
        for coefficient in coefficients {
            for key in ["estimate", "stdError", "z", "p", "ciLower", "ciUpper", "oddsRatio", "orLower", "orUpper", "ciMethod"] {
                XCTAssertNotNil(coefficient[key], "coefficient missing \(key)")
            }
            XCTAssertEqual(coefficient["ciMethod"] as? String, "profile")
            let lower = try XCTUnwrap(coefficient["ciLower"] as? Double), orLower = try XCTUnwrap(coefficient["orLower"] as? Double)
            assertClose(orLower, exp(lower), relative: 1e-13, "orLower is exp(ciLower) (Foundation's JSON parser rounds to ~1e-15)")
        }
    }

    /// Issue 16: the logit JSON carries, by default, the C statistic with its DeLong interval (pROC's
    /// AUC ± z·SE), the Hosmer-Lemeshow test and the calibration measures, equal to R's on the fitted
    /// simulated case of `Tests/References/model_check_references.R` (CohortKit's fit: 1e-8).
    func testIssue16_JSONCarriesCStatisticAndHosmerLemeshowByDefault() throws {
        let result = try CohortCommand.run(["logit", Fixtures.path("model_check/fitted_mixed.csv"), "--outcome", "y", "--covariates", "x1,x2,age",
                                            "--ci", "wald", "--no-lr", "--format", "json"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("model_check/references.json")))) as? [String: Any])
        let reference = try XCTUnwrap((root["cases"] as? [[String: Any]])?.first { $0["name"] as? String == "fitted_mixed" })
        func value(_ key: String) throws -> Double { try XCTUnwrap(reference[key] as? Double) }
        let c = try XCTUnwrap(object["cStatistic"] as? [String: Any])
        for (key, referenceKey) in [("estimate", "auc"), ("se", "auc_se"), ("lower", "auc_lower"), ("upper", "auc_upper")] {
            assertClose(try XCTUnwrap(c[key] as? Double), try value(referenceKey), relative: 1e-8, "cStatistic.\(key)")
        }
        XCTAssertEqual(c["level"] as? Double, 0.95)
        XCTAssertTrue((c["method"] as? String)?.contains("DeLong") == true)
        let hl = try XCTUnwrap(object["hosmerLemeshow"] as? [String: Any])
        assertClose(try XCTUnwrap(hl["statistic"] as? Double), try value("hl_statistic"), relative: 1e-8, "HL statistic")
        assertClose(try XCTUnwrap(hl["p"] as? Double), try value("hl_p"), relative: 1e-8, "HL P")
        XCTAssertEqual(hl["df"] as? Int, 8)
        XCTAssertEqual(hl["groups"] as? Int, 10)
        let calibration = try XCTUnwrap(object["calibration"] as? [String: Any])
        assertClose(try XCTUnwrap(calibration["brier"] as? Double), try value("brier"), relative: 1e-8, "Brier")
        assertClose(try XCTUnwrap(calibration["slope"] as? Double), 1, relative: 1e-9, "apparent slope of an ML fit")
        assertClose(try XCTUnwrap(calibration["intercept"] as? Double), 0, relative: 0, absolute: 1e-9, "apparent intercept of an ML fit")
    }

    /// Issue 16: the Hosmer-Lemeshow g is an option (df = g − 2), range-checked with its name.
    func testIssue16_hosmerLemeshowGroupsOption() throws {
        let data = Fixtures.path("model_check/fitted_mixed.csv")
        let eight = try CohortCommand.run(["logit", data, "--outcome", "y", "--covariates", "x1,x2,age", "--no-lr", "--ci", "wald",
                                           "--hosmer-lemeshow-groups", "8", "--format", "json"])
        XCTAssertEqual(eight.exitCode, 0, eight.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(eight.stdout.utf8)) as? [String: Any])
        let hl = try XCTUnwrap(object["hosmerLemeshow"] as? [String: Any])
        XCTAssertEqual(hl["df"] as? Int, 6)
        XCTAssertEqual(hl["groups"] as? Int, 8)
        let two = try CohortCommand.run(["logit", data, "--outcome", "y", "--covariates", "x1", "--hosmer-lemeshow-groups", "2"])
        XCTAssertEqual(two.exitCode, 64)
        XCTAssertTrue(two.stderr.contains("--hosmer-lemeshow-groups"), two.stderr)
    }

    /// Issue 16's figures: `--roc` draws one ROC point a distinct fitted risk after (0, 0), `--calibration`
    /// one diamond a Hosmer-Lemeshow group and the lowess line; both name C, n and events and carry no
    /// NaN; both are refused under --suppress-below (every patient's step, each group's events).
    func testIssue16_rocAndCalibrationFigures() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cohortkit-issue16-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let roc = directory.appendingPathComponent("roc.svg").path, calibration = directory.appendingPathComponent("calibration.svg").path
        let data = Fixtures.path("model_check/fitted_categorical.csv")
        let arguments = ["logit", data, "--outcome", "y", "--covariates", "grp,sex", "--no-lr", "--ci", "wald"]
        let result = try CohortCommand.run(arguments + ["--roc", roc, "--calibration", calibration])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let rocText = try String(contentsOfFile: roc, encoding: .utf8), calibrationText = try String(contentsOfFile: calibration, encoding: .utf8)
        for text in [rocText, calibrationText] {
            XCTAssertFalse(text.contains("NaN") || text.contains("nan"), text)
            XCTAssertTrue(text.contains("n = 150, events = 64"), text)
        }
        // Six distinct fitted risks (three groups by two sexes): seven ROC points, six segments.
        let curve = try XCTUnwrap(rocText.split(separator: "\n").first { $0.contains("<path") && $0.contains("#0072B2") })
        XCTAssertEqual(curve.components(separatedBy: " L").count - 1, 6, String(curve))
        XCTAssertTrue(rocText.contains("C = 0.691 (95% CI 0.606–0.777, DeLong)"), rocText)
        // The five Hosmer-Lemeshow groups of the reference: five diamonds.
        XCTAssertEqual(calibrationText.components(separatedBy: "<polygon").count - 1, 5)
        let refused = try CohortCommand.run(arguments + ["--roc", roc, "--suppress-below", "5"])
        XCTAssertEqual(refused.exitCode, 64)
        XCTAssertTrue(refused.stderr.contains("--roc and --calibration"), refused.stderr)
    }

    /// Issue 12: MASS birthwt with a covariate that separates completely, Firth: the age OR limits
    /// are logistf's penalised-profile limits (0.3465, 2.132; the lower one was printed as 0), and
    /// the JSON reports the convergence criterion and names the models each LR test compares.
    func testIssue12_birthwtFirthAgeLimitsCriterionAndComparisons() throws {
        let data = Fixtures.path("logistic/data/issue12_birthwt_firth.csv")
        let result = try CohortCommand.run(["logit", data, "--outcome", "low", "--covariates", "age,bwt_below_2500", "--firth", "--format", "json"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["converged"] as? Bool, true)
        let criterion = try XCTUnwrap(object["convergenceCriterion"] as? [String: Any])
        for key in ["rule", "tolerance", "newtonDecrement", "maxWorkingScore", "relativeDevianceChange"] {
            XCTAssertNotNil(criterion[key], "convergenceCriterion missing \(key)")
        }
        XCTAssertLessThanOrEqual(try XCTUnwrap(criterion["newtonDecrement"] as? Double), 1e-10)
        let coefficients = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
        let age = try XCTUnwrap(coefficients.first { $0["term"] as? String == "age" })
        assertClose(try XCTUnwrap(age["orLower"] as? Double), 0.3465435585, relative: 1e-8, "age OR lower")
        assertClose(try XCTUnwrap(age["orUpper"] as? Double), 2.131642316, relative: 1e-8, "age OR upper")
        XCTAssertTrue((age["lrComparison"] as? String)?.contains("age = 0 vs full model") == true, "\(age["lrComparison"] ?? "none")")
        let termTests = try XCTUnwrap(object["termTests"] as? [[String: Any]])
        XCTAssertEqual(termTests.compactMap { $0["comparison"] as? String }.count, termTests.count)
    }

    func testStandardInputAndTwoLevelOutcomeWithEvent() throws {
        let csv = try String(contentsOfFile: cli("two_level_outcome.csv"), encoding: .utf8)
        let result = try CohortCommand.run(["logit", "-", "--outcome", "status", "--event", "dead", "--covariates", "x", "--ci", "wald", "--format", "json"], stdin: csv)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["events"] as? Int, 3)
        XCTAssertEqual(object["event"] as? String, "dead")
    }

    /// `2,5` in a semicolon-separated file is a number, not a category (R's read.csv2 convention).
    func testSemicolonFileWithDecimalCommas() throws {
        let result = try CohortCommand.run(["logit", cli("semicolon_decimal_comma.csv"), "--outcome", "y", "--covariates", "x", "--ci", "wald", "--format", "json"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let terms = try XCTUnwrap(object["coefficients"] as? [[String: Any]]).map { $0["term"] as? String }
        XCTAssertEqual(terms, ["(Intercept)", "x"], "x is numeric")
        let forcedOff = try CohortCommand.run(["logit", cli("semicolon_decimal_comma.csv"), "--outcome", "y", "--covariates", "x", "--no-decimal-comma", "--ci", "wald", "--format", "json"])
        XCTAssertTrue(forcedOff.stdout.contains("x[2,5]") || forcedOff.exitCode != 0, "with the option off the values are text")
    }

    func testOutputFileIsWrittenAtomicallyAndKeptOnFailure() throws {
        let directory = NSTemporaryDirectory() + "cohortkit-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let out = directory + "/fit.json"
        let ok = try CohortCommand.run(["logit", cohort127, "--outcome", "bleed", "--covariates", "plt", "--format", "json", "--out", out])
        XCTAssertEqual(ok.exitCode, 0, ok.stderr)
        let first = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(first.contains("\"plt\""))
        let failed = try CohortCommand.run(["logit", cohort127, "--outcome", "bleed", "--covariates", "nope", "--format", "json", "--out", out])
        XCTAssertNotEqual(failed.exitCode, 0)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), first, "a failed run must leave the previous output intact")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["fit.json"], "no temporary files left behind")
    }

    // MARK: bad input: one line on stderr naming what is wrong, a distinct exit code, never a crash

    func expectFailure(_ arguments: [String], code: Int32, contains fragments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try CohortCommand.run(arguments)
        XCTAssertEqual(result.exitCode, code, "stderr: \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stdout, "", "nothing on stdout for a failure", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(result.stderr.contains(fragment), "stderr lacks '\(fragment)': \(result.stderr)", file: file, line: line)
        }
        XCTAssertFalse(result.stderr.contains("Fatal error"), file: file, line: line)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "one line: \(result.stderr)", file: file, line: line)
    }

    func testUnknownCovariateNamesItAndListsColumns() throws {
        try expectFailure(["logit", cli("small.csv"), "--outcome", "y", "--covariates", "x,age"], code: 65,
                          contains: ["no column named 'age'", "'y', 'x', 'grp'"])
    }

    func testUnknownOutcome() throws {
        try expectFailure(["logit", cli("small.csv"), "--outcome", "died", "--covariates", "x"], code: 65, contains: ["no column named 'died'"])
    }

    func testOutcomeNotBinary() throws {
        try expectFailure(["logit", cli("three_level_outcome.csv"), "--outcome", "y", "--covariates", "x"], code: 65,
                          contains: ["outcome 'y' is not binary", "'0', '1', '2'"])
    }

    func testTwoLevelOutcomeWithoutEventAsksForIt() throws {
        try expectFailure(["logit", cli("two_level_outcome.csv"), "--outcome", "status", "--covariates", "x"], code: 65,
                          contains: ["--event", "'alive', 'dead'"])
    }

    func testZeroEvents() throws {
        try expectFailure(["logit", cli("no_events.csv"), "--outcome", "y", "--covariates", "x"], code: 69, contains: ["no events", "all 4"])
    }

    func testMoreParametersThanObservations() throws {
        try expectFailure(["logit", cli("too_few.csv"), "--outcome", "y", "--covariates", "x,z"], code: 69,
                          contains: ["3 parameters but only 2"])
    }

    func testNonNumericValueInNumericCovariateNamesLine() throws {
        try expectFailure(["logit", cli("nonnumeric.csv"), "--outcome", "y", "--covariates", "x"], code: 65,
                          contains: ["nonnumeric.csv:4", "column 'x'", "'abc' is not a number"])
    }

    /// A decimal beyond the double range is an entry error, never a silent infinity in the fit.
    func testNumberBeyondDoubleRangeIsRejectedWithItsLine() throws {
        try expectFailure(["logit", cli("overflow.csv"), "--outcome", "y", "--covariates", "x"], code: 65,
                          contains: ["overflow.csv:3", "column 'x'", "'1e400' is too large to store as a number"])
    }

    func testRaggedRowNamesLine() throws {
        try expectFailure(["logit", cli("ragged.csv"), "--outcome", "y", "--covariates", "x"], code: 65,
                          contains: ["ragged.csv:3", "expected 2 fields", "found 3"])
    }

    func testUnterminatedQuoteNamesLine() throws {
        try expectFailure(["logit", cli("unterminated.csv"), "--outcome", "y", "--covariates", "x"], code: 65,
                          contains: ["unterminated.csv:2", "never closed"])
    }

    func testHeaderOnlyFile() throws {
        try expectFailure(["logit", cli("header_only.csv"), "--outcome", "y", "--covariates", "x"], code: 65,
                          contains: ["header_only.csv", "no data rows"])
    }

    func testMissingFile() throws {
        try expectFailure(["logit", cli("does-not-exist.csv"), "--outcome", "y", "--covariates", "x"], code: 66,
                          contains: ["does-not-exist.csv", "No such file"])
    }

    func testUnknownReferenceLevel() throws {
        try expectFailure(["logit", cli("small.csv"), "--outcome", "y", "--covariates", "x,grp", "--factor", "grp=z"], code: 65,
                          contains: ["--factor grp=z", "'a', 'b'"])
    }

    func testInvalidLevelIsAUsageError() throws {
        let result = try CohortCommand.run(["logit", cli("small.csv"), "--outcome", "y", "--covariates", "x", "--level", "95"])
        XCTAssertEqual(result.exitCode, 64)
        XCTAssertTrue(result.stderr.contains("--level must be between 0 and 1"), result.stderr)
    }

    func testHelpListsChoices() throws {
        let result = try CohortCommand.run(["logit", "--help"])
        XCTAssertEqual(result.exitCode, 0)
        XCTAssertTrue(result.stdout.contains("--firth"))
        XCTAssertTrue(result.stdout.contains("text, md, csv, json, latex, html") || result.stdout.contains("values: text"), result.stdout)
    }

    /// Issue 13: under --suppress-below K a model with an outcome x level cell of 1..K-1 patients is
    /// refused, naming the term, the level and the cell; before, its coefficients revealed the count.
    func testIssue13_suppressionRefusesAModelWhoseCellsAreSmall() throws {
        let johnsrud = Fixtures.repositoryRoot + "/Datasets/johnsrud2021"
        let refused = try CohortCommand.run(["logit", "cohort.csv", "--outcome", "bleeding_any", "--covariates", "disease,icans_high", "--suppress-below", "5"], in: johnsrud)
        XCTAssertEqual(refused.exitCode, 65, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("term 'disease': level 'B-ALL' has fewer than 5 patients with bleeding_any = 1"), refused.stderr)
        XCTAssertEqual(refused.stdout, "", "no coefficient is printed")
        // A binary covariate's cells count too, and so do the outcome's totals.
        let binary = try CohortCommand.run(["logit", "cohort.csv", "--outcome", "bleeding_any", "--covariates", "icans_high", "--suppress-below", "9"], in: johnsrud)
        XCTAssertEqual(binary.exitCode, 65, binary.stderr)
        XCTAssertTrue(binary.stderr.contains("term 'icans_high': level '0' has fewer than 9 patients with bleeding_any = 1"), binary.stderr)
        let totals = try CohortCommand.run(["logit", "cohort.csv", "--outcome", "bleeding_any", "--covariates", "age", "--suppress-below", "20"], in: johnsrud)
        XCTAssertEqual(totals.exitCode, 65, totals.stderr)
        XCTAssertTrue(totals.stderr.contains("fewer than 20 events of bleeding_any"), totals.stderr)
        // Without the option, or with cells all at K or more, the model is printed.
        XCTAssertEqual(try CohortCommand.run(["logit", "cohort.csv", "--outcome", "bleeding_any", "--covariates", "disease,icans_high"], in: johnsrud).exitCode, 0)
        XCTAssertEqual(try CohortCommand.run(["logit", "cohort.csv", "--outcome", "bleeding_any", "--covariates", "sex,icans_high", "--suppress-below", "3"], in: johnsrud).exitCode, 0)
    }
}

import CohortTestSupport
import Foundation
import XCTest

/// Issue 14 in `cohort km`: the log-rank (G-rho) test, medians and quantiles with their limits and
/// the restricted mean, from the command's JSON, against R 4.2.2 survival 3.5-3 on the simulated
/// cohorts of `Tests/References/km_tests_references.R` (seeded; values in
/// `Tests/Fixtures/survival/km_tests.json`): `survdiff(..., rho =)` with and without
/// `strata(stratum)`, `print(survfit)`'s median and limits, `quantile(survfit, probs =)` with
/// `conf.type` log-log and log at 95% and 90%, and `print(survfit, rmean = tau)`'s rmean and
/// se(rmean). Every event type is the event (`--event 1 --competing 2`, as the script's `status != 0`).
/// Tolerance 1e-10 relative (1e-12 absolute for values R gives as 0 up to rounding).
final class KmSummaryCommandTests: XCTestCase {
    static let relative = 1e-10, absolute = 1e-12
    /// R: `sprintf("%.17g", qnorm(c(0.975, 0.95)))`: the normal quantiles of the 95% and 90% RMST intervals.
    static let z = [0.95: 1.9599639845400536, 0.9: 1.6448536269514715]

    var folder: String { Fixtures.path("survival") }

    /// The worst relative error per quantity, printed at the end of each test (the report's figures).
    final class Worst {
        var errors: [String: Double] = [:]
        var compared = 0

        /// Checks `actual` (a JSON value: number or null) against R's (`Any` from the fixture: number or null).
        func check(_ actual: Any?, _ expected: Any?, _ quantity: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
            let a = (actual as? NSNumber)?.doubleValue, e = (expected as? NSNumber)?.doubleValue
            guard let e else {
                XCTAssertNil(a, "\(what): R gives NA, got \(String(describing: actual))", file: file, line: line)
                return
            }
            guard let a else { return XCTFail("\(what): R gives \(e), got null", file: file, line: line) }
            assertClose(a, e, relative: KmSummaryCommandTests.relative, absolute: KmSummaryCommandTests.absolute, what, file: file, line: line)
            let error = e == 0 ? abs(a) : abs(a - e) / abs(e)
            errors[quantity] = max(errors[quantity] ?? 0, error)
            compared += 1
        }

        func report(_ name: String) {
            print("\(name): \(compared) values vs R; worst relative error: "
                + errors.keys.sorted().map { "\($0) \(String(format: "%.1e", errors[$0] ?? 0))" }.joined(separator: ", "))
        }
    }

    static func reference(_ name: String) throws -> [String: Any] {
        let url = URL(fileURLWithPath: Fixtures.path("survival/km_tests.json"))
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return try XCTUnwrap((root["cases"] as? [[String: Any]])?.first { $0["name"] as? String == name })
    }

    func km(_ file: String, _ extra: [String]) throws -> [String: Any] {
        let result = try CohortCommand.run(["km", file, "--time", "time", "--status", "status", "--event", "1", "--competing", "2",
                                            "--days", "100", "--format", "json"] + extra, in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// The command's `logRank` against the case's survdiff with this rho and stratification.
    func checkTest(_ object: [String: Any], case reference: [String: Any], rho: Double, stratified: Bool, _ worst: Worst) throws {
        let name = "\(reference["name"] ?? "") rho \(rho)\(stratified ? " stratified" : "")"
        let expected = try XCTUnwrap((reference["tests"] as? [[String: Any]])?.first {
            ($0["rho"] as? NSNumber)?.doubleValue == rho && $0["stratified"] as? Bool == stratified
        }, name)
        let test = try XCTUnwrap(object["logRank"] as? [String: Any], name)
        XCTAssertEqual(test["test"] as? String, rho == 0 ? "log-rank" : rho == 1 ? "Peto-Peto (rho = 1)" : "G-rho (rho = 0.5)", name)
        XCTAssertEqual((test["rho"] as? NSNumber)?.doubleValue, rho)
        XCTAssertEqual(test["strata"] as? String, stratified ? "stratum" : nil, name)
        XCTAssertTrue(test["problem"] is NSNull, name)
        worst.check(test["chiSquare"], expected["chisq"], "chi-square", "\(name) chi-square")
        worst.check(test["p"], expected["pvalue"], "P", "\(name) P")
        XCTAssertEqual((test["df"] as? NSNumber)?.doubleValue, (expected["df"] as? NSNumber)?.doubleValue, name)
        let groups = try XCTUnwrap(test["groups"] as? [[String: Any]])
        let labels = try XCTUnwrap(reference["groups"] as? [String])
        XCTAssertEqual(groups.map { $0["group"] as? String }, labels, name)
        let (obs, exp, variance) = (expected["obs"] as? [Any] ?? [], expected["exp"] as? [Any] ?? [], expected["var"] as? [Any] ?? [])
        for (g, group) in groups.enumerated() {
            worst.check(group["observed"], obs[g], "observed", "\(name) \(labels[g]) observed")
            worst.check(group["expected"], exp[g], "expected", "\(name) \(labels[g]) expected")
            worst.check(group["variance"], variance[g * labels.count + g], "variance", "\(name) \(labels[g]) variance")
        }
    }

    /// Each group's median (print(survfit)), quantiles (quantile.survfit) at `conf.type` and level, and rmean to tau.
    func checkGroups(_ object: [String: Any], case reference: [String: Any], confType: String, level: Double, probabilities: [Double],
                     tau: Double?, _ worst: Worst) throws {
        let groups = try XCTUnwrap(object["groups"] as? [[String: Any]])
        let curves = try XCTUnwrap(reference["curves"] as? [[String: Any]])
        let probs = (reference["probs"] as? [NSNumber] ?? []).map(\.doubleValue)
        XCTAssertEqual(groups.count, curves.count)
        for curve in curves {
            let label = curve["group"] as? String ?? ""
            let group = try XCTUnwrap(groups.first { $0["group"] as? String == label }, label)
            let entry = try XCTUnwrap((curve["intervals"] as? [[String: Any]])?.first {
                $0["confType"] as? String == confType && ($0["level"] as? NSNumber)?.doubleValue == level
            })
            let what = "\(reference["name"] ?? "") \(label) \(confType) \(level)"
            worst.check(group["median"], entry["printMedian"], "median", "\(what) median")
            worst.check(group["medianLower"], entry["printLower"], "median limits", "\(what) median LCL")
            worst.check(group["medianUpper"], entry["printUpper"], "median limits", "\(what) median UCL")
            let quantiles = try XCTUnwrap(group["quantiles"] as? [[String: Any]])
            XCTAssertEqual(quantiles.map { ($0["probability"] as? NSNumber)?.doubleValue }, probabilities, what)
            for q in quantiles {
                let p = try XCTUnwrap((q["probability"] as? NSNumber)?.doubleValue)
                let i = try XCTUnwrap(probs.firstIndex(of: p), "\(p) is not one of the reference's probabilities")
                worst.check(q["time"], (entry["quantile"] as? [Any])?[i], "quantile", "\(what) quantile \(p)")
                worst.check(q["lower"], (entry["lower"] as? [Any])?[i], "quantile limits", "\(what) quantile \(p) lower")
                worst.check(q["upper"], (entry["upper"] as? [Any])?[i], "quantile limits", "\(what) quantile \(p) upper")
            }
            guard let tau else {
                XCTAssertTrue(group["rmst"] is NSNull, what)
                continue
            }
            let rmst = try XCTUnwrap(group["rmst"] as? [String: Any], what)
            let expected = try XCTUnwrap((curve["rmean"] as? [[String: Any]])?.first { ($0["tau"] as? NSNumber)?.doubleValue == tau })
            XCTAssertEqual((rmst["day"] as? NSNumber)?.doubleValue, tau)
            worst.check(rmst["estimate"], expected["rmean"], "RMST", "\(what) rmean to \(tau)")
            worst.check(rmst["stdError"], expected["se"], "RMST SE", "\(what) se(rmean) to \(tau)")
            let mean = try XCTUnwrap((expected["rmean"] as? NSNumber)?.doubleValue), se = try XCTUnwrap((expected["se"] as? NSNumber)?.doubleValue)
            let z = try XCTUnwrap(Self.z[level])
            worst.check(rmst["lower"], mean - z * se, "RMST limits", "\(what) RMST lower")
            worst.check(rmst["upper"], mean + z * se, "RMST limits", "\(what) RMST upper")
        }
    }

    /// sim_cohort: 220 patients, 4 groups (one of a single patient), 2 strata, weekly ties, both
    /// event types; every rho and stratification R was asked for, and the four interval settings.
    func testIssue14_logRankMediansQuantilesAndRMSTMatchR() throws {
        let worst = Worst()
        for name in ["sim_cohort", "sim_strata4"] {
            let reference = try Self.reference(name)
            let file = try XCTUnwrap(reference["data"] as? String)
            let taus = ((reference["curves"] as? [[String: Any]])?.first?["rmean"] as? [[String: Any]] ?? []).compactMap { ($0["tau"] as? NSNumber)?.doubleValue }
            XCTAssertEqual(taus.count, 6)
            for (rho, stratified) in [(0.0, false), (1, false), (0.5, false), (0, true), (1, true), (0.5, true)] {
                let object = try km(file, ["--by", "group", "--rho=\(rho)"] + (stratified ? ["--strata", "stratum"] : []))
                try checkTest(object, case: reference, rho: rho, stratified: stratified, worst)
            }
            // The median and quantiles at each interval setting; a restricted mean inside the follow-up
            // (the median time) and one past every group's last follow-up (last time + 10).
            for (ci, level, tau) in [("log-log", 0.95, taus[2]), ("log", 0.95, taus[5]), ("log-log", 0.9, taus[3]), ("log", 0.9, taus[1])] {
                let object = try km(file, ["--by", "group", "--ci", ci, "--level", "\(level)", "--quantiles", "0.1,0.25,0.75,0.9",
                                           "--rmst-day", "\(tau)"])
                try checkGroups(object, case: reference, confType: ci, level: level, probabilities: [0.1, 0.25, 0.75, 0.9], tau: tau, worst)
            }
        }
        // Without --quantiles and --rmst-day: the median only, an empty list and null.
        let reference = try Self.reference("sim_cohort")
        let plain = try km("km_tests_sim_cohort.csv", ["--by", "group"])
        try checkGroups(plain, case: reference, confType: "log-log", level: 0.95, probabilities: [], tau: nil, worst)
        XCTAssertGreaterThan(worst.compared, 500)
        worst.report("cohort km vs survdiff, print/quantile(survfit), rmean")
    }

    /// The same bytes on every run, in every format (sums in one fixed order: LogRankTest, RestrictedMean).
    func testIssue14_outputIsByteIdenticalAcrossRuns() throws {
        let arguments = ["km", "km_tests_sim_cohort.csv", "--time", "time", "--status", "status", "--event", "1", "--competing", "2",
                         "--days", "100,365", "--by", "group", "--strata", "stratum", "--rho", "0.5", "--quantiles", "0.25,0.75", "--rmst-day", "400"]
        for format in ["text", "json", "md", "html"] {
            let first = try CohortCommand.run(arguments + ["--format", format], in: folder)
            let second = try CohortCommand.run(arguments + ["--format", format], in: folder)
            XCTAssertEqual(first.exitCode, 0, first.stderr)
            XCTAssertEqual(first.stdout, second.stdout, format)
        }
    }

    /// Without --by there are no groups to compare: `logRank` is null and no test table is printed;
    /// the summary (one row, no group column) still has the median.
    func testWithoutByThereIsNoTest() throws {
        let object = try km("km_tests_hand6.csv", [])
        XCTAssertTrue(object["logRank"] is NSNull)
        let groups = try XCTUnwrap(object["groups"] as? [[String: Any]])
        XCTAssertEqual(groups.count, 1)
        // R: print(survfit(Surv(time, status != 0) ~ 1, conf.type = "log-log")) on the 6 patients:
        // median 3.5 (S is 0.5 from day 3 to day 4), 0.95LCL 1, 0.95UCL NA.
        XCTAssertEqual(groups[0]["median"] as? Double, 3.5)
        XCTAssertEqual(groups[0]["medianLower"] as? Double, 1)
        XCTAssertTrue(groups[0]["medianUpper"] is NSNull)
        let text = try CohortCommand.run(["km", "km_tests_hand6.csv", "--time", "time", "--status", "status", "--event", "1", "--days", "4"], in: folder)
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Kaplan-Meier summary: free of 1"), text.stdout)
        XCTAssertFalse(text.stdout.contains("test:"), text.stdout)
    }

    /// The text table as print(survdiff) reads: N, observed, expected, (O-E)^2/E, (O-E)^2/V and the
    /// chi-square line. hand6 (worked by hand in KMTestsHandWorkedTests), R `print(survdiff(...))`:
    /// Observed 2, 3; Expected 3.37, 1.63; (O-E)^2/E 0.555, 1.144; (O-E)^2/V 2.24; chi-square 2.2 on 1
    /// df (2.2443 in km_tests.json), P 0.134.
    func testLogRankTableReadsAsSurvdiffPrints() throws {
        let text = try CohortCommand.run(["km", "km_tests_hand6.csv", "--time", "time", "--status", "status", "--event", "1", "--days", "4",
                                          "--by", "group"], in: folder)
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        for line in ["Log-rank test: group", "group  N  observed  expected  (O-E)^2/E  (O-E)^2/V",
                     "A      3         2     3.367     0.5548      2.244", "B      3         3     1.633      1.144      2.244",
                     "Chi-square = 2.244 on 1 df, P = 0.134."] {
            XCTAssertTrue(text.stdout.contains(line), "expected '\(line)' in\n\(text.stdout)")
        }
        let journal = try CohortCommand.run(["km", "km_tests_hand6.csv", "--time", "time", "--status", "status", "--event", "1", "--days", "4",
                                             "--by", "group", "--p-style", "journal"], in: folder)
        XCTAssertTrue(journal.stdout.contains("Chi-square = 2.244 on 1 df, P = .13."), journal.stdout)
    }

    /// Options of the test without groups, and numbers out of range, name the option (command line)
    /// or the key (study file).
    func testIssue14_optionErrorsNameTheOption() throws {
        let base = ["km", "km_tests_sim_small.csv", "--time", "time", "--status", "status", "--event", "1", "--days", "30"]
        for (arguments, message) in [
            (["--rho", "1"], "--rho weights the test between the --by groups: give --by too"),
            (["--p-style", "journal"], "--p-style does not apply: 'km' prints a P value (the log-rank test) only with --by"),
            (["--strata", "stratum"], "--strata stratifies the test between the --by groups: give --by too"),
            (["--by", "group", "--strata", "group"], "--strata names the --by column: stratify by another column"),
            (["--by", "group", "--rho=-1"], "--rho must be between 0 and 10, got -1"),
            (["--rmst-day", "0"], "--rmst-day must be a number greater than 0, got 0"),
            (["--rmst-day=-30"], "--rmst-day must be a number greater than 0, got -30"),
            (["--quantiles", "0.25,1"], "--quantiles must be between 0 and 1, both excluded (for example 0.25), got 1"),
            (["--quantiles", "0"], "--quantiles must be between 0 and 1, both excluded (for example 0.25), got 0"),
            (["--quantiles", "0.25,0.25"], "--quantiles lists 0.25 twice"),
            (["--quantiles", "0.25,"], "--quantiles must be a comma-separated list of probabilities between 0 and 1, e.g. 0.25,0.75; got '' in '0.25,'"),
        ] {
            let result = try CohortCommand.run(base + arguments, in: folder)
            XCTAssertEqual(result.exitCode, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): expected '\(message)' in\n\(result.stderr)")
        }
        let dir = NSTemporaryDirectory() + "km-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: Fixtures.path("survival/km_tests_sim_small.csv"), toPath: dir + "/d.csv")
        for (key, message) in [("rho: 1", "'rho' weights the test between the 'by' groups: give 'by' too"),
                               ("rmst_day: 0", "'rmst_day' must be a number greater than 0, got 0"),
                               ("quantiles: [0.5, 1.5]", "'quantiles' must be between 0 and 1, both excluded (for example 0.25), got 1.5")] {
            let study = "study: s\ndata: d.csv\noutputs:\n  - name: k\n    type: km\n    time: time\n    status: status\n    event: '1'\n    days: [30]\n    \(key)\n"
            try study.write(toFile: dir + "/study.yaml", atomically: true, encoding: .utf8)
            let result = try CohortCommand.run(["report", "study.yaml", "--out", "r"], in: dir)
            XCTAssertNotEqual(result.exitCode, 0, key)
            XCTAssertTrue(result.stderr.contains(message), "\(key): expected '\(message)' in\n\(result.stderr)")
        }
    }
}

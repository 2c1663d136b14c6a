import CohortTestSupport
import Foundation
import XCTest

/// `cohort cox` end to end on the simulated cohort `survival/cox_command/cohort.csv` (text covariates,
/// competing deaths, missing values) against R 4.2.2 survival 3.5-3 `coxph` fitted as
/// `Tests/References/cox_command_references.R` fits it (issue 14).
final class CoxCommandTests: XCTestCase {
    var folder: String { Fixtures.path("survival/cox_command") }

    /// One coxph fit of the reference script.
    struct Reference: Decodable {
        let name: String, ties: String, strata: String?, cluster: String?, reference: String
        let terms: [String]
        let n: Int, nEvents: Int
        let coefficients: [Double], stdErrors: [Double], naiveStdErrors: [Double], z: [Double], p: [Double]
        let hrLower: [Double], hrUpper: [Double]
        let nullLogLikelihood: Double, logLikelihood: Double, lrTest: Double, waldTest: Double, scoreTest: Double
    }

    func references() throws -> [String: Reference] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/references.json"))
        return Dictionary(uniqueKeysWithValues: try JSONDecoder().decode([Reference].self, from: data).map { ($0.name, $0) })
    }

    /// R names a level's column `productB`; the toolkit `product[B]`.
    static func termName(_ r: String) -> String {
        for variable in ["sex", "product"] where r.hasPrefix(variable) && r.count > variable.count {
            return "\(variable)[\(r.dropFirst(variable.count))]"
        }
        return r
    }

    func run(_ extra: [String], timeForm: [String]? = nil) throws -> [String: Any] {
        let times = timeForm ?? ["--time", "time", "--status", "status", "--event", "1", "--competing", "2"]
        let result = try CohortCommand.run(["cox", "cohort.csv"] + times + ["--covariates", "age,sex,product,plt", "--format", "json"] + extra,
                                           in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func check(_ object: [String: Any], against r: Reference, file: StaticString = #filePath, line: UInt = #line) throws {
        let what = r.name
        XCTAssertEqual(object["n"] as? Int, r.n, what, file: file, line: line)
        XCTAssertEqual(object["events"] as? Int, r.nEvents, what, file: file, line: line)
        XCTAssertEqual(object["converged"] as? Bool, true, what, file: file, line: line)
        let coefficients = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
        XCTAssertEqual(coefficients.map { $0["term"] as? String }, r.terms.map(Self.termName), what, file: file, line: line)
        let tolerance = 1e-9
        for (j, row) in coefficients.enumerated() {
            let term = "\(what) \(r.terms[j])"
            func value(_ key: String) throws -> Double { try XCTUnwrap(row[key] as? Double, "\(term) \(key)") }
            assertClose(try value("estimate"), r.coefficients[j], relative: tolerance, "\(term) coefficient", file: file, line: line)
            assertClose(try value("stdError"), r.stdErrors[j], relative: tolerance, "\(term) SE", file: file, line: line)
            assertClose(try value("naiveStdError"), r.naiveStdErrors[j], relative: tolerance, "\(term) model-based SE", file: file, line: line)
            assertClose(try value("z"), r.z[j], relative: tolerance, "\(term) z", file: file, line: line)
            assertClose(try value("p"), r.p[j], relative: 1e-8, "\(term) P", file: file, line: line)
            assertClose(try value("hrLower"), r.hrLower[j], relative: tolerance, "\(term) HR lower", file: file, line: line)
            assertClose(try value("hrUpper"), r.hrUpper[j], relative: tolerance, "\(term) HR upper", file: file, line: line)
        }
        assertClose(try XCTUnwrap(object["logLikelihood"] as? Double), r.logLikelihood, relative: 1e-12, "\(what) loglik", file: file, line: line)
        assertClose(try XCTUnwrap(object["nullLogLikelihood"] as? Double), r.nullLogLikelihood, relative: 1e-12, "\(what) null loglik", file: file, line: line)
        func statistic(_ key: String) throws -> Double {
            try XCTUnwrap((object[key] as? [String: Any])?["chiSquare"] as? Double, "\(what) \(key)")
        }
        assertClose(try statistic("lrTest"), r.lrTest, relative: 1e-9, "\(what) LR test", file: file, line: line)
        // coxph's wald.test and score are the robust ones when there are clusters.
        let robust = r.cluster != nil
        assertClose(try statistic(robust ? "robustWaldTest" : "waldTest"), r.waldTest, relative: 1e-9, "\(what) Wald test", file: file, line: line)
        assertClose(try statistic(robust ? "robustScoreTest" : "scoreTest"), r.scoreTest, relative: 1e-9, "\(what) score test", file: file, line: line)
    }

    func testEfronBreslowStrataClusterAndReferenceLevelMatchCoxph() throws {
        let r = try references()
        try check(try run([]), against: try XCTUnwrap(r["efron"]))
        try check(try run(["--ties", "breslow"]), against: try XCTUnwrap(r["breslow"]))
        try check(try run(["--strata", "site"]), against: try XCTUnwrap(r["strata_site"]))
        let clustered = try run(["--cluster", "centre"])
        try check(clustered, against: try XCTUnwrap(r["cluster_centre"]))
        XCTAssertEqual((clustered["clusters"] as? [String: Any])?["count"] as? Int, 25)
        XCTAssertEqual(clustered["nDropped"] as? Int, 4)   // a time, age, plt and the cluster missing
        try check(try run(["--factor", "product=B"]), against: try XCTUnwrap(r["reference_B"]))
    }

    /// The event-day form of the same times gives the same model, and counts the competing deaths.
    func testTheEventDayFormFitsTheSameModel() throws {
        let dayForm = ["--event-day", "event_day", "--event-type", "event_type", "--followup-day", "followup_day",
                       "--event", "bleeding", "--competing", "death"]
        let object = try run([], timeForm: dayForm)
        try check(object, against: try XCTUnwrap(try references()["efron"]))
        XCTAssertEqual(object["competing"] as? Int, 33)
        XCTAssertEqual(object["event"] as? String, "bleeding")
        XCTAssertEqual(object["competingEvents"] as? [String], ["death"])
    }

    func testTableStatesMethodSampleAndTests() throws {
        let result = try CohortCommand.run(["cox", "cohort.csv", "--time", "time", "--status", "status", "--event", "1", "--competing", "2",
                                            "--covariates", "age,sex,product,plt", "--cluster", "centre"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        for expected in ["Cox proportional hazards regression (Efron ties)",
                         "n = 256 used, 4 dropped for missing values; events = 146, competing events = 33, censored = 77",
                         "clusters: centre (25; robust standard errors)", "robust SE", "product[A] (reference)",
                         "LR χ² = ", "score (log-rank) χ² = ", "robust Wald χ² = "] {
            XCTAssertTrue(result.stdout.contains(expected), "missing '\(expected)' in\n\(result.stdout)")
        }
    }

    func testRequestErrorsNameTheOption() throws {
        let base = ["cox", "cohort.csv", "--time", "time", "--status", "status", "--event", "1", "--competing", "2"]
        let cases: [([String], String)] = [
            (base, "--covariates must list at least one column"),
            (base + ["--covariates", "age", "--cluster", "centre", "--ci", "profile"], "--ci profile is a likelihood interval"),
            (base + ["--covariates", "age", "--factor", "sex=M"], "--factor names 'sex', which is not among the covariates"),
            (base + ["--covariates", "age,site", "--strata", "site"], "--strata names 'site', which is also a covariate"),
            (base + ["--covariates", "age,time"], "'time' is the outcome and cannot also be a covariate"),
            (base + ["--covariates", "nosuch"], "nosuch"),
        ]
        for (arguments, message) in cases {
            let result = try CohortCommand.run(arguments, in: folder)
            XCTAssertNotEqual(result.exitCode, 0, arguments.joined(separator: " "))
            XCTAssertTrue(result.stderr.contains(message), "expected '\(message)' in: \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("Fatal error"), result.stderr)
        }
    }

    /// Monotone likelihood (every event has z = 1, `survival/cox/monotone.csv`) is named in the
    /// table and the JSON, never hidden: the fit is reported, its status says it did not converge.
    func testMonotoneLikelihoodIsNamed() throws {
        let folder = Fixtures.path("survival/cox")
        let arguments = ["cox", "monotone.csv", "--time", "time", "--status", "status", "--event", "1", "--covariates", "x,z"]
        let text = try CohortCommand.run(arguments, in: folder)
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("NOT converged: monotone likelihood in z"), text.stdout)
        XCTAssertTrue(text.stdout.contains("z (monotone likelihood)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("the hazard ratio of z goes to infinity"), text.stdout)
        let json = try CohortCommand.run(arguments + ["--format", "json"], in: folder)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["converged"] as? Bool, false)
        XCTAssertEqual(object["convergence"] as? String, "monotone likelihood")
        XCTAssertEqual(object["monotoneTerms"] as? [String], ["z"])
        let z = try XCTUnwrap((object["coefficients"] as? [[String: Any]])?.first { $0["term"] as? String == "z" })
        XCTAssertEqual(z["monotone"] as? Bool, true)
    }

    /// Under --suppress-below the model is refused when a level holds fewer events than the threshold.
    func testSuppressionRefusesASmallCell() throws {
        let result = try CohortCommand.run(["cox", "cohort.csv", "--time", "time", "--status", "status", "--event", "1",
                                            "--competing", "2", "--covariates", "age,product", "--suppress-below", "200"], in: folder)
        XCTAssertNotEqual(result.exitCode, 0)
        XCTAssertTrue(result.stderr.contains("--suppress-below 200"), result.stderr)
        let fine = try CohortCommand.run(["cox", "cohort.csv", "--time", "time", "--status", "status", "--event", "1",
                                          "--competing", "2", "--covariates", "age", "--suppress-below", "5"], in: folder)
        XCTAssertEqual(fine.exitCode, 0, fine.stderr)
    }
}

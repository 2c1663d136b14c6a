import CohortTestSupport
import Foundation
import XCTest

/// `cohort finegray` end to end on the simulated cohort `survival/cox_command/cohort.csv` against R
/// 4.2.2 cmprsk `crr` and `predict.crr`, as `Tests/References/finegray_command_references.R` fits it
/// (issue 14).
final class FineGrayCommandTests: XCTestCase {
    var folder: String { Fixtures.path("survival/cox_command") }

    struct Reference: Decodable {
        let name: String, reference: String, terms: [String], n: Int
        let coefficients: [Double], stdErrors: [Double], naiveStdErrors: [Double], z: [Double], p: [Double]
        let hrLower: [Double], hrUpper: [Double], logLikelihood: Double, nullLogLikelihood: Double
        let days: [Double], cif1: [Double], cif2: [Double]
    }

    func reference(_ name: String) throws -> Reference {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/finegray_references.json"))
        return try XCTUnwrap(try JSONDecoder().decode([Reference].self, from: data).first { $0.name == name })
    }

    func run(_ extra: [String], timeForm: [String]? = nil) throws -> [String: Any] {
        let times = timeForm ?? ["--time", "time", "--status", "status", "--event", "1", "--competing", "2"]
        let result = try CohortCommand.run(["finegray", "cohort.csv"] + times + ["--covariates", "age,sex,product,plt", "--format", "json"] + extra,
                                           in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
    }

    func check(_ object: [String: Any], against r: Reference, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(object["n"] as? Int, r.n, r.name, file: file, line: line)
        XCTAssertEqual(object["converged"] as? Bool, true, r.name, file: file, line: line)
        let coefficients = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
        XCTAssertEqual(coefficients.map { $0["term"] as? String }, r.terms.map(CoxCommandTests.termName), r.name, file: file, line: line)
        let tolerance = 1e-8
        for (j, row) in coefficients.enumerated() {
            let term = "\(r.name) \(r.terms[j])"
            func value(_ key: String) throws -> Double { try XCTUnwrap(row[key] as? Double, "\(term) \(key)") }
            assertClose(try value("estimate"), r.coefficients[j], relative: tolerance, "\(term) coefficient", file: file, line: line)
            assertClose(try value("stdError"), r.stdErrors[j], relative: tolerance, "\(term) sandwich SE", file: file, line: line)
            assertClose(try value("naiveStdError"), r.naiveStdErrors[j], relative: tolerance, "\(term) naive SE", file: file, line: line)
            assertClose(try value("z"), r.z[j], relative: tolerance, "\(term) z", file: file, line: line)
            assertClose(try value("p"), r.p[j], relative: tolerance, "\(term) P", file: file, line: line)
            assertClose(try value("hrLower"), r.hrLower[j], relative: tolerance, "\(term) SHR lower", file: file, line: line)
            assertClose(try value("hrUpper"), r.hrUpper[j], relative: tolerance, "\(term) SHR upper", file: file, line: line)
        }
        assertClose(try XCTUnwrap(object["logPseudoLikelihood"] as? Double), r.logLikelihood, relative: 1e-12, "\(r.name) loglik", file: file, line: line)
        assertClose(try XCTUnwrap(object["nullLogPseudoLikelihood"] as? Double), r.nullLogLikelihood, relative: 1e-12, "\(r.name) null loglik", file: file, line: line)
    }

    func testCoefficientsSandwichSEsAndPredictionsMatchCrr() throws {
        let r = try reference("crr")
        let object = try run(["--predict", "age=60,sex=M,product=B,plt=100", "--predict", "age=70,sex=F,product=A,plt=200", "--days", "30,90,200"])
        try check(object, against: r)
        XCTAssertEqual(object["competing"] as? Int, 33)
        let predictions = try XCTUnwrap(object["predictions"] as? [[String: Any]])
        XCTAssertEqual(predictions.count, 2)
        for (prediction, expected) in zip(predictions, [r.cif1, r.cif2]) {
            let values = try XCTUnwrap(prediction["cumulativeIncidence"] as? [Double])
            for (value, reference) in zip(values, expected) {
                assertClose(value, reference, relative: 1e-8, "predicted CIF of \(prediction["profile"] ?? "")")
            }
        }
        try check(try run(["--factor", "product=C"]), against: try reference("reference_C"))
    }

    /// `--convention finegray-coxph` against survival::finegray + coxph(weights = fgwt, id, robust = TRUE).
    func testTheFinegrayCoxphConventionMatchesSurvival() throws {
        struct CoxphReference: Decodable {
            let terms: [String], coefficients: [Double], stdErrors: [Double], naiveStdErrors: [Double], z: [Double]
            let logLikelihood: Double, nullLogLikelihood: Double
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/finegray_coxph_references.json"))
        let r = try XCTUnwrap(try JSONDecoder().decode([CoxphReference].self, from: data).first)
        let object = try run(["--convention", "finegray-coxph"])
        XCTAssertEqual(object["convention"] as? String, "finegray-coxph")
        let coefficients = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
        XCTAssertEqual(coefficients.map { $0["term"] as? String }, r.terms.map(CoxCommandTests.termName))
        for (j, row) in coefficients.enumerated() {
            assertClose(try XCTUnwrap(row["estimate"] as? Double), r.coefficients[j], relative: 1e-8, "\(r.terms[j]) coefficient")
            assertClose(try XCTUnwrap(row["stdError"] as? Double), r.stdErrors[j], relative: 1e-8, "\(r.terms[j]) robust SE")
            assertClose(try XCTUnwrap(row["naiveStdError"] as? Double), r.naiveStdErrors[j], relative: 1e-8, "\(r.terms[j]) naive SE")
            assertClose(try XCTUnwrap(row["z"] as? Double), r.z[j], relative: 1e-8, "\(r.terms[j]) z")
        }
        assertClose(try XCTUnwrap(object["logPseudoLikelihood"] as? Double), r.logLikelihood, relative: 1e-12, "loglik")
    }

    /// The event-day form of the same times fits the same model.
    func testTheEventDayFormFitsTheSameModel() throws {
        let object = try run([], timeForm: ["--event-day", "event_day", "--event-type", "event_type", "--followup-day", "followup_day",
                                            "--event", "bleeding", "--competing", "death"])
        try check(object, against: try reference("crr"))
    }

    func testTablesStateConventionsAndPredictions() throws {
        let result = try CohortCommand.run(["finegray", "cohort.csv", "--time", "time", "--status", "status", "--event", "1", "--competing", "2",
                                            "--covariates", "age,sex,product,plt", "--predict", "age=60,sex=M,product=B,plt=100", "--days", "30,90"],
                                           in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        for expected in ["Fine-Gray subdistribution hazards regression", "n = 257 used, 3 dropped for missing values; events = 147, competing events = 33, censored = 77",
                         "conventions: cmprsk::crr", "SHR", "Predicted cumulative incidence of 1 (Fine-Gray model)",
                         "age=60, sex=M, product=B, plt=100"] {
            XCTAssertTrue(result.stdout.contains(expected), "missing '\(expected)' in\n\(result.stdout)")
        }
    }

    func testRequestErrorsNameTheOption() throws {
        let base = ["finegray", "cohort.csv", "--time", "time", "--status", "status", "--event", "1", "--competing", "2", "--covariates", "age,product"]
        let cases: [([String], String)] = [
            (base + ["--predict", "age=60,product=B"], "--days must list the days"),
            (base + ["--days", "30"], "--days applies to --predict"),
            (base + ["--predict", "age=60", "--days", "30"], "does not give 'product'"),
            (base + ["--predict", "age=60,product=Z", "--days", "30"], "--predict gives 'product' the level 'Z'"),
            (base + ["--predict", "age=old,product=B", "--days", "30"], "--predict gives 'age' the value 'old'"),
            (base + ["--predict", "age=60,product=B,plt=1", "--days", "30"], "--predict names 'plt', which is not among the covariates"),
        ]
        for (arguments, message) in cases {
            let result = try CohortCommand.run(arguments, in: folder)
            XCTAssertNotEqual(result.exitCode, 0, arguments.joined(separator: " "))
            XCTAssertTrue(result.stderr.contains(message), "expected '\(message)' in: \(result.stderr)")
        }
    }
}

import CohortTestSupport
import Foundation
import XCTest

/// `cohort finegray --weights` and `--offset` end to end (issue 16): crr's convention with
/// frequency weights against `crr` on the rows repeated, finegray-coxph's with case weights and
/// with an offset against `survival::finegray` + `coxph` (Tests/References/finegray_weights_references.R),
/// the offset under crr's convention by an identity, and the refusals.
final class FineGrayWeightsCommandTests: XCTestCase {
    var folder: String { Fixtures.path("survival/finegray_weights") }
    static let base = ["finegray", "cohort.csv", "--time", "time", "--status", "status", "--event", "1", "--competing", "2",
                       "--covariates", "age,sex,product,plt"]

    struct Reference: Decodable {
        let name: String, terms: [String], rows: Int, coefficients: [Double], stdErrors: [Double], naiveStdErrors: [Double]
        let logLikelihood: Double, nullLogLikelihood: Double, cif1: [Double]?, cif2: [Double]?
    }

    func reference(_ name: String) throws -> Reference {
        let all = try JSONDecoder().decode([Reference].self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/references.json")))
        return try XCTUnwrap(all.first { $0.name == name }, name)
    }

    func json(_ extra: [String]) throws -> [String: Any] {
        let result = try CohortCommand.run(Self.base + extra + ["--format", "json"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
    }

    func check(_ object: [String: Any], _ r: Reference, tolerance: Double = 1e-8, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(object["n"] as? Int, r.rows, "\(r.name): n counts rows", file: file, line: line)
        XCTAssertEqual(object["converged"] as? Bool, true, r.name, file: file, line: line)
        let rows = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["term"] as? String }, r.terms.map(CoxCommandTests.termName), r.name, file: file, line: line)
        for (j, row) in rows.enumerated() {
            let term = "\(r.name) \(r.terms[j])"
            assertClose(try XCTUnwrap(row["estimate"] as? Double), r.coefficients[j], relative: tolerance, "\(term) coefficient", file: file, line: line)
            assertClose(try XCTUnwrap(row["stdError"] as? Double), r.stdErrors[j], relative: tolerance, "\(term) SE", file: file, line: line)
            assertClose(try XCTUnwrap(row["naiveStdError"] as? Double), r.naiveStdErrors[j], relative: tolerance, "\(term) naive SE", file: file, line: line)
        }
        assertClose(try XCTUnwrap(object["logPseudoLikelihood"] as? Double), r.logLikelihood, relative: 1e-11, "\(r.name) loglik", file: file, line: line)
        assertClose(try XCTUnwrap(object["nullLogPseudoLikelihood"] as? Double), r.nullLogLikelihood, relative: 1e-11, "\(r.name) null loglik", file: file, line: line)
    }

    func testIssue16_frequencyWeightsEqualCrrOnTheRowsRepeated() throws {
        let r = try reference("crr_frequency")
        let object = try json(["--weights", "wi", "--predict", "age=60,sex=M,product=B,plt=100", "--predict", "age=70,sex=F,product=A,plt=200",
                               "--days", "30,90,200"])
        XCTAssertEqual(object["weights"] as? String, "wi")
        try check(object, r)
        let predictions = try XCTUnwrap(object["predictions"] as? [[String: Any]])
        for (prediction, expected) in zip(predictions, [try XCTUnwrap(r.cif1), try XCTUnwrap(r.cif2)]) {
            let values = try XCTUnwrap(prediction["cumulativeIncidence"] as? [Double])
            for (value, want) in zip(values, expected) { assertClose(value, want, relative: 1e-8, "predicted cumulative incidence") }
        }
    }

    func testIssue16_caseWeightsEqualFinegrayAndCoxph() throws {
        try check(try json(["--weights", "wc", "--convention", "finegray-coxph"]), try reference("finegray_case"))
    }

    func testIssue16_offsetEqualsFinegrayAndCoxph() throws {
        try check(try json(["--offset", "o", "--convention", "finegray-coxph"]), try reference("finegray_offset"))
    }

    /// crr has no offset: an offset of c·plt must move plt's coefficient by exactly −c and leave the
    /// other estimates, the SEs and the pseudo-likelihood where they were.
    func testIssue16_offsetUnderCrrConventionShiftsTheCoefficient() throws {
        let c = 0.003
        let csv = try String(contentsOfFile: folder + "/cohort.csv", encoding: .utf8)
        var lines = csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let plt = try XCTUnwrap(header.firstIndex(of: "plt"))
        lines[0] += ",cplt"
        for k in 1..<lines.count where !lines[k].isEmpty {
            let value = lines[k].split(separator: ",", omittingEmptySubsequences: false)[plt]
            lines[k] += "," + (Double(value).map { String(c * $0) } ?? "")
        }
        let out = try Fixtures.folder(["shifted.csv": lines.joined(separator: "\n")])
        func fit(_ extra: [String]) throws -> [String: Any] {
            var arguments = Self.base + extra + ["--format", "json"]
            arguments[1] = out + "/shifted.csv"
            let result = try CohortCommand.run(arguments, in: out)
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        }
        let plain = try fit([]), shifted = try fit(["--offset", "cplt"])
        let a = try XCTUnwrap(plain["coefficients"] as? [[String: Any]]), b = try XCTUnwrap(shifted["coefficients"] as? [[String: Any]])
        for (x, y) in zip(a, b) {
            let term = x["term"] as? String ?? "?"
            let shift = term == "plt" ? c : 0
            assertClose(try XCTUnwrap(y["estimate"] as? Double) + shift, try XCTUnwrap(x["estimate"] as? Double), relative: 1e-8, absolute: 1e-12, "\(term) estimate")
            assertClose(try XCTUnwrap(y["stdError"] as? Double), try XCTUnwrap(x["stdError"] as? Double), relative: 1e-8, "\(term) SE")
        }
        assertClose(try XCTUnwrap(shifted["logPseudoLikelihood"] as? Double), try XCTUnwrap(plain["logPseudoLikelihood"] as? Double), relative: 1e-11, "loglik")
    }

    func testIssue16_caseWeightsRefusedUnderCrrConvention() throws {
        let result = try CohortCommand.run(Self.base + ["--weights", "wc"], in: folder)
        XCTAssertNotEqual(result.exitCode, 0)
        XCTAssertTrue(result.stdout.isEmpty)
        XCTAssertTrue(result.stderr.contains("finegray-coxph") && result.stderr.contains("whole-number"), result.stderr)
        let covariate = try CohortCommand.run(Self.base + ["--weights", "age"], in: folder)
        XCTAssertNotEqual(covariate.exitCode, 0)
        XCTAssertTrue(covariate.stderr.contains("weights") && covariate.stderr.contains("age"), covariate.stderr)
    }

    func testIssue16_weightsStatedInTheTable() throws {
        let result = try CohortCommand.run(Self.base + ["--weights", "wi"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("weights: wi, frequency weights (crr on the rows repeated"), result.stdout)
    }
}

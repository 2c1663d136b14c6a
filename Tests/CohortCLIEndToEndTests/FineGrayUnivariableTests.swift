import CohortTestSupport
import Foundation
import XCTest

/// `cohort finegray --univariable` end to end (issue 16: univariable estimates beside the
/// multivariable ones, for every regression command): each covariate alone against R cmprsk `crr`
/// on its own rows (Tests/References/finegray_univariable_references.R), the side-by-side table, and
/// the study-file key.
final class FineGrayUnivariableTests: XCTestCase {
    var folder: String { Fixtures.path("survival/cox_command") }
    static let arguments = ["finegray", "cohort.csv", "--time", "time", "--status", "status", "--event", "1", "--competing", "2",
                            "--covariates", "age,sex,product,plt", "--univariable"]

    struct Reference: Decodable {
        let covariate: String, terms: [String], n: Int, coefficients: [Double], stdErrors: [Double], p: [Double]
        let hrLower: [Double], hrUpper: [Double]
    }

    func testIssue16_eachCovariateAloneMatchesCrr() throws {
        let references = try JSONDecoder().decode([Reference].self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/finegray_univariable_references.json")))
        let result = try CohortCommand.run(Self.arguments + ["--format", "json"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let fits = try XCTUnwrap(object["univariable"] as? [[String: Any]])
        XCTAssertEqual(fits.compactMap { $0["covariate"] as? String }, references.map(\.covariate))
        for (fit, r) in zip(fits, references) {
            XCTAssertEqual(fit["n"] as? Int, r.n, r.covariate)
            XCTAssertEqual(fit["converged"] as? Bool, true, r.covariate)
            let rows = try XCTUnwrap(fit["coefficients"] as? [[String: Any]])
            XCTAssertEqual(rows.map { $0["term"] as? String }, r.terms.map(CoxCommandTests.termName), r.covariate)
            for (j, row) in rows.enumerated() {
                let term = "\(r.covariate) \(r.terms[j])"
                func value(_ key: String) throws -> Double { try XCTUnwrap(row[key] as? Double, "\(term) \(key)") }
                // crr stops at gtol = 1e-12, about 1e-9 from the maximum on the log scale.
                assertClose(try value("estimate"), r.coefficients[j], relative: 1e-8, absolute: 5e-9, "\(term) coefficient")
                assertClose(try value("stdError"), r.stdErrors[j], relative: 1e-8, "\(term) SE")
                assertClose(try value("p"), r.p[j], relative: 1e-7, absolute: 1e-15, "\(term) P")
                assertClose(try value("hrLower"), r.hrLower[j], relative: 1e-8, "\(term) lower")
                assertClose(try value("hrUpper"), r.hrUpper[j], relative: 1e-8, "\(term) upper")
            }
        }
    }

    func testIssue16_sideBySideTable() throws {
        let result = try CohortCommand.run(Self.arguments + ["--format", "md"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Univariable and multivariable subdistribution hazard ratios"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Univariable SHR") && result.stdout.contains("Multivariable SHR"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Reference"), "a factor's reference level as a Reference row: \(result.stdout)")
        XCTAssertTrue(result.stdout.contains("Fine-Gray subdistribution hazards regression"), "the model's own table follows")
    }

    func testIssue16_univariableWithOnlyAnInteractionIsRefused() throws {
        let result = try CohortCommand.run(["finegray", "cohort.csv", "--time", "time", "--status", "status", "--event", "1", "--competing", "2",
                                            "--formula", "~ age:plt", "--univariable"], in: folder)
        XCTAssertNotEqual(result.exitCode, 0)
        XCTAssertTrue(result.stderr.contains("univariable"), result.stderr)
        XCTAssertTrue(result.stdout.isEmpty)
    }
}

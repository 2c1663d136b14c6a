import CohortTestSupport
import Foundation
import XCTest

/// `cohort logit --weights` with case (non-integer) weights end to end (issue 16): the JSON against
/// R `glm(family = binomial, weights = w)` (Tests/References/weights_references.R), the note that
/// states n and the weight sums, and every option that counts patients refused by name.
final class WeightsCommandTests: XCTestCase {
    var folder: String { Fixtures.path("weights") }
    static let covariates = "age,lwt,race,smoke,ptl,ht"

    struct Reference: Decodable {
        let n: Int, nDropped: Int, terms: [String], estimate: [Double], stdError: [Double], deviance: Double, nullDeviance: Double
        let lrChiSquare: Double, termNames: [String], termChiSquare: [Double]
    }

    func run(_ arguments: [String]) throws -> CommandResult {
        try CohortCommand.run(["logit", "birthwt_weighted.csv", "--outcome", "low", "--covariates", Self.covariates] + arguments, in: folder)
    }

    func testIssue16_caseWeightsJSONMatchesGlm() throws {
        for (name, extra) in [("logit_case_weights", [String]()), ("logit_case_weights_offset", ["--offset", "o"])] {
            let r = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/\(name).json")))
            let result = try run(["--weights", "w", "--format", "json"] + extra)
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            XCTAssertEqual(object["n"] as? Int, r.n, name)
            XCTAssertEqual(object["nDropped"] as? Int, r.nDropped, name)
            XCTAssertEqual(object["weights"] as? String, "w")
            XCTAssertTrue(object["cStatistic"] is NSNull, "\(name): no unweighted C statistic")
            assertClose(try XCTUnwrap(object["deviance"] as? Double), r.deviance, relative: 1e-12, "\(name) deviance")
            assertClose(try XCTUnwrap(object["nullDeviance"] as? Double), r.nullDeviance, relative: 1e-12, "\(name) null deviance")
            assertClose(try XCTUnwrap(object["lrChiSquare"] as? Double), r.lrChiSquare, relative: 1e-10, "\(name) LR")
            let rows = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
            XCTAssertEqual(rows.compactMap { $0["term"] as? String }, r.terms, name)
            for (j, row) in rows.enumerated() {
                assertClose(try XCTUnwrap(row["estimate"] as? Double), r.estimate[j], relative: 1e-9, absolute: 1e-12, "\(name) \(r.terms[j])")
                assertClose(try XCTUnwrap(row["stdError"] as? Double), r.stdError[j], relative: 1e-9, "\(name) \(r.terms[j]) SE")
            }
            let tests = try XCTUnwrap(object["termTests"] as? [[String: Any]])
            XCTAssertEqual(tests.compactMap { $0["term"] as? String }, r.termNames, name)
            for (test, expected) in zip(tests, r.termChiSquare) {
                assertClose(try XCTUnwrap(test["chiSquare"] as? Double), expected, relative: 1e-9, "\(name) term LR")
            }
        }
    }

    func testIssue16_caseWeightsNoteStatesRowsAndSums() throws {
        let result = try run(["--weights", "w"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("case weights: w, in the likelihood as glm(weights = w) (prior weights); n counts rows (187 rows, weights summing to 270.55, events to 85.25)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("not computed with case weights"), result.stdout)
    }

    func testIssue16_optionsThatCountPatientsAreRefusedWithCaseWeights() throws {
        for (extra, fragment) in [(["--firth"], "--firth"), (["--bootstrap", "200"], "--bootstrap"), (["--validate", "50"], "--validate"),
                                  (["--standardize", "smoke"], "--standardize"), (["--hosmer-lemeshow-groups", "8"], "--hosmer-lemeshow-groups"),
                                  (["--roc", "roc.svg"], "--roc")] {
            let out = try Fixtures.folder([:])
            let result = try CohortCommand.run(["logit", folder + "/birthwt_weighted.csv", "--outcome", "low", "--covariates", Self.covariates, "--weights", "w"] + extra, in: out)
            XCTAssertNotEqual(result.exitCode, 0, extra.joined(separator: " "))
            XCTAssertTrue(result.stderr.contains(fragment) && result.stderr.contains("weights"), result.stderr)
            XCTAssertFalse(result.stderr.contains("Fatal error"), result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/roc.svg"))
        }
    }

    func testIssue16_badWeightsNameTheColumnAndLine() throws {
        let folder = try Fixtures.folder(["d.csv": "y,x,w\n0,1,1.5\n1,2,0.5\n0,3,-1\n1,4,2\n0,5,1\n", "t.csv": "y,x,w\n0,1,1.5\n1,2,0.5\n0,3,lots\n1,4,2\n0,5,1\n"])
        for (file, fragment) in [("d.csv", "d.csv:4: weight 'w' is -1"), ("t.csv", "t.csv:4: the weights column 'w' is not numeric: it holds 'lots'")] {
            let result = try CohortCommand.run(["logit", file, "--outcome", "y", "--covariates", "x", "--weights", "w"], in: folder)
            XCTAssertNotEqual(result.exitCode, 0)
            XCTAssertTrue(result.stderr.contains(fragment), result.stderr)
        }
    }
}

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

    /// Under --suppress-below the model check is absent (null) rather than hidden, and the weight
    /// sums (which give the weighted events away) leave the note; it crashed before the fix.
    func testIssue16_caseWeightsUnderSuppression() throws {
        for format in ["json", "text"] {
            let result = try run(["--weights", "w", "--suppress-below", "5", "--format", format])
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            XCTAssertFalse(result.stderr.contains("Fatal error") || result.stderr.contains("crashed"), result.stderr)
            XCTAssertFalse(result.stdout.contains("270.55") || result.stdout.contains("85.25"), result.stdout)
        }
        let cox = try CohortCommand.run(["cox", "lung_weighted.csv", "--time", "time", "--status", "status", "--event", "1", "--covariates", "age",
                                         "--weights", "w", "--suppress-below", "5", "--format", "json"], in: folder)
        XCTAssertEqual(cox.exitCode, 0, cox.stderr)
        XCTAssertFalse(cox.stdout.contains("314.6"), cox.stdout)
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

/// `cohort cox --weights` and `--offset` against R `coxph(weights = w)` with `offset(o)` and
/// `cluster = inst` (Tests/References/weights_references.R, survival::lung with deterministic
/// weights): coefficients, robust and model-based SEs, log partial likelihoods and the LR test.
final class CoxWeightsCommandTests: XCTestCase {
    var folder: String { Fixtures.path("weights") }

    struct Reference: Decodable {
        let ties: String, offset: String?, cluster: String?, n: Int, nDropped: Int, nEvents: Int, weightSum: Double
        let terms: [String], coefficients: [Double], stdErrors: [Double], naiveStdErrors: [Double]
        let nullLogLikelihood: Double, logLikelihood: Double, lrTest: Double
    }

    func testIssue16_coxWeightsOffsetAndClusterMatchCoxph() throws {
        for name in ["cox_weights_efron", "cox_weights_breslow", "cox_weights_offset", "cox_weights_cluster"] {
            let r = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/\(name).json")))
            var arguments = ["cox", "lung_weighted.csv", "--time", "time", "--status", "status", "--event", "1", "--covariates", "age,sex,ph_ecog",
                             "--weights", "w", "--ties", r.ties, "--format", "json"]
            if let offset = r.offset { arguments += ["--offset", offset] }
            if let cluster = r.cluster { arguments += ["--cluster", cluster] }
            let result = try CohortCommand.run(arguments, in: folder)
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            XCTAssertEqual(object["n"] as? Int, r.n, name)
            XCTAssertEqual(object["nDropped"] as? Int, r.nDropped, name)
            XCTAssertEqual(object["events"] as? Int, r.nEvents, name)
            let weights = try XCTUnwrap(object["weights"] as? [String: Any], name)
            assertClose(try XCTUnwrap(weights["sum"] as? Double), r.weightSum, relative: 1e-14, "\(name) Σw")
            XCTAssertEqual(object["offset"] as? String, r.offset, name)
            assertClose(try XCTUnwrap(object["logLikelihood"] as? Double), r.logLikelihood, relative: 1e-12, "\(name) log partial likelihood")
            assertClose(try XCTUnwrap(object["nullLogLikelihood"] as? Double), r.nullLogLikelihood, relative: 1e-12, "\(name) at β = 0")
            let lr = try XCTUnwrap(object["lrTest"] as? [String: Any])
            assertClose(try XCTUnwrap(lr["chiSquare"] as? Double), r.lrTest, relative: 1e-9, "\(name) LR")
            let rows = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
            XCTAssertEqual(rows.compactMap { $0["term"] as? String }, r.terms, name)
            for (j, row) in rows.enumerated() {
                let what = "\(name) \(r.terms[j])"
                assertClose(try XCTUnwrap(row["estimate"] as? Double), r.coefficients[j], relative: 1e-9, what)
                assertClose(try XCTUnwrap(row["stdError"] as? Double), r.stdErrors[j], relative: 1e-9, "\(what) SE")
                assertClose(try XCTUnwrap(row["naiveStdError"] as? Double), r.naiveStdErrors[j], relative: 1e-9, "\(what) model-based SE")
            }
        }
    }

    func testIssue16_coxBadWeightsNameTheLineAndTheTableSaysWhatWasWeighted() throws {
        let text = try CohortCommand.run(["cox", "lung_weighted.csv", "--time", "time", "--status", "status", "--event", "1", "--covariates", "age",
                                          "--weights", "w", "--offset", "o"], in: folder)
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("case weights: w (coxph's weights =; n counts rows, weights summing to"), text.stdout)
        XCTAssertTrue(text.stdout.contains("offset: o (coefficient 1)"), text.stdout)
        let dir = try Fixtures.folder(["d.csv": "t,s,x,w\n5,1,1,1\n6,0,2,-2\n7,1,3,1\n8,1,4,1\n"])
        let bad = try CohortCommand.run(["cox", "d.csv", "--time", "t", "--status", "s", "--event", "1", "--covariates", "x", "--weights", "w"], in: dir)
        XCTAssertNotEqual(bad.exitCode, 0)
        XCTAssertTrue(bad.stderr.contains("d.csv:3: weight 'w' is -2"), bad.stderr)
        let same = try CohortCommand.run(["cox", "d.csv", "--time", "t", "--status", "s", "--event", "1", "--covariates", "x", "--weights", "x"], in: dir)
        XCTAssertTrue(same.stderr.contains("--weights") && same.stderr.contains("also a covariate"), same.stderr)
    }
}

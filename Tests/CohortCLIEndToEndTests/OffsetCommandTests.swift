import CohortTestSupport
import Foundation
import XCTest

/// `cohort linear --offset` and `cohort logbinomial --offset` end to end (issue 16: "offsets"): the
/// JSON against R's `lm(offset =)` and `glm(binomial(log), offset =)`, with and without case
/// weights, predictions at values that give the offset or leave it at 0
/// (Tests/References/offset_references.R), and the refusals.
final class OffsetCommandTests: XCTestCase {
    var folder: String { Fixtures.path("offsets") }
    static let at = ["--at", "age=25,race=white,smoke=1,ht=0,OFFSET", "--at", "age=30,race=black,smoke=0,ht=1"]

    struct Reference: Decodable {
        let n: Int, terms: [String], estimate: [Double], stdError: [Double], statistic: [Double], p: [Double]
        let predictionFit: [Double], predictionStdError: [Double], predictionLower: [Double], predictionUpper: [Double]
        let nDropped: Int?, residualSumOfSquares: Double?, sigma: Double?, rSquared: Double?, adjustedRSquared: Double?
        let fStatistic: Double?, logLikelihood: Double?, aic: Double?, raceF: Double?
        let deviance: Double?, nullDeviance: Double?, raceChiSquare: Double?
    }

    func reference(_ name: String) throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/\(name).json")))
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try CohortCommand.run(arguments + ["--format", "json"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
    }

    func number(_ object: [String: Any], _ key: String) throws -> Double { try XCTUnwrap(object[key] as? Double, key) }

    /// Coefficients, term test and predictions, shared by both models.
    /// - Parameter tolerance: relative (log-binomial: R's glm stops on the change in deviance,
    ///   about 1e-8 from the maximum even restarted from its estimate).
    func assertModel(_ object: [String: Any], _ r: Reference, statistic: String, _ name: String, tolerance: Double = 1e-9) throws {
        XCTAssertEqual(object["n"] as? Int, r.n, name)
        let rows = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
        XCTAssertEqual(rows.compactMap { $0["term"] as? String }, r.terms, name)
        for (j, row) in rows.enumerated() {
            assertClose(try XCTUnwrap(row["estimate"] as? Double), r.estimate[j], relative: tolerance, absolute: 1e-12, "\(name) \(r.terms[j])")
            assertClose(try XCTUnwrap(row["stdError"] as? Double), r.stdError[j], relative: tolerance, "\(name) \(r.terms[j]) SE")
            assertClose(try XCTUnwrap(row[statistic] as? Double), r.statistic[j], relative: tolerance, absolute: 1e-12, "\(name) \(r.terms[j]) \(statistic)")
            assertClose(try XCTUnwrap(row["p"] as? Double), r.p[j], relative: 1e-8, absolute: 1e-15, "\(name) \(r.terms[j]) P")
        }
        let predicted = try XCTUnwrap(object["predictions"] as? [[String: Any]], "\(name) predictions")
        XCTAssertEqual(predicted.count, 2, name)
        for (i, row) in predicted.enumerated() {
            let fitted = try XCTUnwrap((row["mean"] ?? row["risk"]) as? Double, "\(name) prediction \(i)")
            assertClose(fitted, r.predictionFit[i], relative: 1e-9, "\(name) prediction \(i)")
            assertClose(try XCTUnwrap(row["stdError"] as? Double), r.predictionStdError[i], relative: 1e-8, "\(name) prediction SE \(i)")
            assertClose(try XCTUnwrap(row["lower"] as? Double), r.predictionLower[i], relative: 1e-9, "\(name) prediction lower \(i)")
            assertClose(try XCTUnwrap(row["upper"] as? Double), r.predictionUpper[i], relative: 1e-9, "\(name) prediction upper \(i)")
        }
    }

    func testIssue16_linearOffsetMatchesLm() throws {
        for (name, extra) in [("linear_offset", [String]()), ("linear_offset_weights", ["--weights", "w"])] {
            let r = try reference(name)
            let at = Self.at.map { $0.replacingOccurrences(of: "OFFSET", with: "olin=10") }
            let object = try json(["linear", "birthwt_offset.csv", "--outcome", "bwt", "--covariates", "age,race,smoke,ht", "--offset", "olin"] + extra + at)
            XCTAssertEqual(object["offset"] as? String, "olin")
            XCTAssertEqual(object["nDropped"] as? Int, r.nDropped, name)
            try assertModel(object, r, statistic: "t", name)
            assertClose(try number(object, "deviance"), try XCTUnwrap(r.residualSumOfSquares), relative: 1e-11, "\(name) RSS")
            assertClose(try number(object, "residualStandardError"), try XCTUnwrap(r.sigma), relative: 1e-11, "\(name) sigma")
            assertClose(try number(object, "rSquared"), try XCTUnwrap(r.rSquared), relative: 1e-10, "\(name) R²")
            assertClose(try number(object, "adjustedRSquared"), try XCTUnwrap(r.adjustedRSquared), relative: 1e-10, "\(name) adjusted R²")
            assertClose(try number(object, "fStatistic"), try XCTUnwrap(r.fStatistic), relative: 1e-9, "\(name) F")
            assertClose(try number(object, "logLikelihood"), try XCTUnwrap(r.logLikelihood), relative: 1e-12, "\(name) logLik")
            assertClose(try number(object, "aic"), try XCTUnwrap(r.aic), relative: 1e-12, "\(name) AIC")
            let tests = try XCTUnwrap(object["termTests"] as? [[String: Any]])
            let race = try XCTUnwrap(tests.first { $0["term"] as? String == "race" }, "\(name): race term test")
            assertClose(try XCTUnwrap(race["statistic"] as? Double), try XCTUnwrap(r.raceF), relative: 1e-9, "\(name) race F")
        }
    }

    func testIssue16_logbinomialOffsetMatchesGlm() throws {
        let r = try reference("logbinomial_offset")
        let at = ["--at", "age=25,race=white,smoke=1,olog=0.05", "--at", "age=30,race=black,smoke=0"]
        let object = try json(["logbinomial", "birthwt_offset.csv", "--outcome", "low", "--covariates", "age,smoke,race", "--offset", "olog"] + at)
        XCTAssertEqual(object["offset"] as? String, "olog")
        XCTAssertEqual((object["method"] as? [String: Any])?["fallback"] as? Bool, false, "the log-binomial fit converges, as in R")
        try assertModel(object, r, statistic: "z", "logbinomial_offset", tolerance: 1e-7)
        assertClose(try number(object, "deviance"), try XCTUnwrap(r.deviance), relative: 1e-11, "deviance")
        assertClose(try number(object, "nullDeviance"), try XCTUnwrap(r.nullDeviance), relative: 1e-11, "null deviance (intercept and offset)")
        let tests = try XCTUnwrap(object["termTests"] as? [[String: Any]])
        let race = try XCTUnwrap(tests.first { $0["term"] as? String == "race" }, "race term test")
        assertClose(try XCTUnwrap(race["statistic"] as? Double), try XCTUnwrap(r.raceChiSquare), relative: 1e-8, "race LR")
    }

    func testIssue16_offsetStatedInTheTable() throws {
        let result = try CohortCommand.run(["linear", "birthwt_offset.csv", "--outcome", "bwt", "--covariates", "age", "--offset", "olin", "--at", "age=30"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("offset: olin (coefficient 1, subtracted from the outcome)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("offset: olin = 0 where a set of values does not give it."), result.stdout)
    }

    func testIssue16_offsetRefusals() throws {
        let cases: [([String], String)] = [
            (["linear", "--outcome", "bwt", "--covariates", "age,olin", "--offset", "olin"], "offset"),
            (["linear", "--outcome", "bwt", "--covariates", "age", "--offset", "w", "--weights", "w"], "offset"),
            (["logbinomial", "--outcome", "low", "--covariates", "smoke", "--offset", "olog", "--standardize", "smoke"], "standardize"),
            (["logbinomial", "--outcome", "low", "--covariates", "smoke", "--offset", "olog", "--at", "smoke=1,olog=x"], "olog"),
            (["linear", "--outcome", "bwt", "--covariates", "age", "--offset", "race"], "race"),
        ]
        for (arguments, fragment) in cases {
            var full = arguments
            full.insert("birthwt_offset.csv", at: 1)
            let result = try CohortCommand.run(full, in: folder)
            XCTAssertNotEqual(result.exitCode, 0, full.joined(separator: " "))
            XCTAssertTrue(result.stdout.isEmpty, result.stdout)
            XCTAssertTrue(result.stderr.contains(fragment), "\(full.joined(separator: " ")): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("Fatal error"), result.stderr)
        }
    }
}

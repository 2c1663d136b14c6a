import CohortTestSupport
import Foundation
import XCTest

/// `cohort logit --validate` and `--influence` end to end on `Tests/Fixtures/model_check/fitted_mixed.csv`:
/// the JSON objects, the same bytes with any thread count, the per-row CSV against R's glm, and the
/// refusals.
final class LogitChecksCommandTests: XCTestCase {
    var folder: String { Fixtures.path("model_check") }
    let model = ["logit", "fitted_mixed.csv", "--outcome", "y", "--covariates", "x1,x2,age"]

    func testValidationJSONAndThreadCounts() throws {
        let one = try CohortCommand.run(model + ["--validate", "100", "--seed", "5", "--format", "json", "--threads", "1"], in: folder)
        XCTAssertEqual(one.exitCode, 0, one.stderr)
        let three = try CohortCommand.run(model + ["--validate", "100", "--seed", "5", "--format", "json", "--threads", "3"], in: folder)
        XCTAssertEqual(one.stdout, three.stdout, "the same bytes on 1 and 3 threads")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        let validation = try XCTUnwrap(object["validation"] as? [String: Any])
        XCTAssertEqual(validation["resamples"] as? Int, 100)
        XCTAssertEqual(validation["used"] as? Int, 100)
        XCTAssertEqual(validation["seed"] as? String, "5")
        let indices = try XCTUnwrap(validation["indices"] as? [[String: Any]])
        XCTAssertEqual(indices.compactMap { $0["index"] as? String }, ["Dxy", "C", "R2", "Intercept", "Slope", "Brier"])
        let c = indices[1]
        let apparent = try XCTUnwrap(c["apparent"] as? Double), corrected = try XCTUnwrap(c["corrected"] as? Double)
        let cStatistic = try XCTUnwrap((object["cStatistic"] as? [String: Any])?["estimate"] as? Double)
        assertClose(apparent, cStatistic, relative: 1e-14, "apparent C is the C statistic")
        XCTAssertLessThan(corrected, apparent, "optimism is positive here")
    }

    func testInfluenceOutMatchesGlm() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cohortkit-influence-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("rows.csv").path
        let result = try CohortCommand.run(model + ["--influence-out", out], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Influence and residuals: y"), result.stdout)
        XCTAssertTrue(result.stdout.contains("rows with leverage > 2p/n"), result.stdout)
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.first, "line,outcome,fitted,pearson,deviance,leverage,cooks_distance")
        let reference = try String(contentsOfFile: Fixtures.path("validation/influence_fitted_mixed.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        XCTAssertEqual(rows.count - 1, reference.count)
        for (row, expected) in zip(rows.dropFirst(), reference) {
            let v = row.split(separator: ",").map { Double($0)! }, e = expected.split(separator: ",").map { Double($0)! }
            XCTAssertEqual(v[0], e[0], "the file line")
            for (a, b) in [(v[3], e[1]), (v[4], e[2]), (v[5], e[3]), (v[6], e[4])] {
                assertClose(a, b, relative: 1e-9, absolute: 1e-14, "line \(Int(v[0]))")
            }
        }
    }

    func testRefusals() throws {
        let suppressed = try CohortCommand.run(model + ["--influence", "--suppress-below", "5"], in: folder)
        XCTAssertEqual(suppressed.exitCode, 64)
        XCTAssertTrue(suppressed.stderr.contains("cannot be suppressed"), suppressed.stderr)
        let seedAlone = try CohortCommand.run(model + ["--seed", "5"], in: folder)
        XCTAssertEqual(seedAlone.exitCode, 64)
        XCTAssertTrue(seedAlone.stderr.contains("--seed applies to --bootstrap, --standardize or --validate"), seedAlone.stderr)
        let tooMany = try CohortCommand.run(model + ["--validate", "0"], in: folder)
        XCTAssertEqual(tooMany.exitCode, 64, tooMany.stderr)
    }

    /// Resamples that separate fail (maximum likelihood); more than 10% is an error that says so
    /// and points to Firth, which validates the same model.
    func testSeparatingResamplesAreCountedAndTooManyIsAnError() throws {
        let dataset = Fixtures.repositoryRoot + "/Datasets/johnsrud2021"
        let arguments = ["logit", "cohort.csv", "--outcome", "bleeding_any", "--covariates", "plt_low,icans_high,disease", "--validate", "200", "--seed", "2"]
        let ml = try CohortCommand.run(arguments, in: dataset)
        XCTAssertEqual(ml.exitCode, 69)
        XCTAssertTrue(ml.stderr.contains("validation resamples could not be refitted") && ml.stderr.contains("separation (")
                      && ml.stderr.contains("--firth gives finite estimates"), ml.stderr)
        let firth = try CohortCommand.run(arguments + ["--firth"], in: dataset)
        XCTAssertEqual(firth.exitCode, 0, firth.stderr)
        XCTAssertTrue(firth.stdout.contains("Resamples: 200 drawn, seed 2; 200 used, 0 failed"), firth.stdout)
    }

    /// Under suppression the indices (functions of the outcome) follow the sample's counts: two
    /// rows dropped (<5) hide the n used, and with it every index, as the C statistic is hidden.
    func testValidationUnderSuppressionFollowsTheSample() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cohortkit-validate-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var lines = try String(contentsOfFile: Fixtures.path("model_check/fitted_mixed.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        for i in [2, 3] {
            var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[1] = ""
            lines[i] = fields.joined(separator: ",")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        let result = try CohortCommand.run(["logit", "d.csv", "--outcome", "y", "--covariates", "x1,x2,age", "--validate", "20",
                                            "--suppress-below", "5", "--format", "json"], in: directory.path)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let indices = try XCTUnwrap((object["validation"] as? [String: Any])?["indices"] as? [[String: Any]])
        XCTAssertTrue(indices.allSatisfy { $0["corrected"] is NSNull && $0["apparent"] is NSNull })
        let hidden = try XCTUnwrap((object["suppression"] as? [String: Any])?["hidden"] as? [String])
        XCTAssertTrue(hidden.contains("/validation/indices/1/corrected"), "\(hidden)")
    }

    func testFirthInfluenceSaysWhatItComputes() throws {
        let result = try CohortCommand.run(model + ["--firth", "--influence"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("hat value of the penalised fit (logistf's hat.diag"), result.stdout)
    }
}

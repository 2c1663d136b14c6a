import CohortTestSupport
import Foundation
import XCTest

/// `cohort logit --bootstrap`: reproducible output for a seed, the method stated, usage errors.
final class LogitBootstrapCommandTests: XCTestCase {
    let cohort127 = Fixtures.path("logistic/data/cohort127.csv")
    var firth: [String] { ["logit", cohort127, "--outcome", "bleed", "--covariates", "plt,icans_high,age", "--firth", "--no-lr", "--ci", "wald"] }

    func testSameSeedGivesByteIdenticalOutputAndStatesTheMethod() throws {
        let first = try CohortCommand.run(firth + ["--bootstrap", "120", "--seed", "7"])
        let second = try CohortCommand.run(firth + ["--bootstrap", "120", "--seed", "7"])
        XCTAssertEqual(first.exitCode, 0, first.stderr)
        XCTAssertEqual(first.stdout, second.stdout)
        XCTAssertTrue(first.stdout.contains("95% CI for OR (BCa bootstrap)"), first.stdout)
        XCTAssertTrue(first.stdout.contains("BCa bootstrap, N = 120 resamples, seed 7, 0 failed"), first.stdout)
        XCTAssertEqual(first.stderr, "", "no progress bar when stderr is not a terminal")
    }

    func testDifferentSeedsDiffer() throws {
        let a = try CohortCommand.run(firth + ["--bootstrap", "120", "--seed", "7", "--format", "csv"])
        let b = try CohortCommand.run(firth + ["--bootstrap", "120", "--seed", "8", "--format", "csv"])
        XCTAssertEqual(a.exitCode, 0, a.stderr)
        XCTAssertEqual(b.exitCode, 0, b.stderr)
        XCTAssertNotEqual(a.stdout, b.stdout)
    }

    func testPercentileMethodAndJSON() throws {
        let result = try CohortCommand.run(firth + ["--bootstrap", "200", "--bootstrap-ci", "percentile", "--format", "json"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let bootstrap = try XCTUnwrap(object["bootstrap"] as? [String: Any])
        XCTAssertEqual(bootstrap["method"] as? String, "percentile")
        XCTAssertEqual(bootstrap["resamples"] as? Int, 200)
        XCTAssertEqual(bootstrap["seed"] as? String, "1")
        XCTAssertEqual(bootstrap["failed"] as? Int, 0)
        let coefficients = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
        XCTAssertEqual(coefficients.count, 4)
        for c in coefficients {
            let lower = try XCTUnwrap(c["bootstrapORLower"] as? Double), upper = try XCTUnwrap(c["bootstrapORUpper"] as? Double)
            let estimate = try XCTUnwrap(c["oddsRatio"] as? Double)
            XCTAssertLessThan(lower, estimate)
            XCTAssertGreaterThan(upper, estimate)
        }
    }

    /// Maximum likelihood: resamples that separate fail, are excluded and counted, and the notes say so.
    func testSeparatedResamplesAreCountedAndReported() throws {
        let result = try CohortCommand.run(["logit", cohort127, "--outcome", "bleed", "--covariates", "plt,icans_high,age", "--no-lr",
                                            "--ci", "wald", "--bootstrap", "300", "--bootstrap-ci", "percentile"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let note = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.hasPrefix("bootstrap CI:") }, result.stdout)
        let failed = try XCTUnwrap(note.firstMatch(of: /seed 1, (\d+) failed \(separation: (\d+)\)/), String(note))
        XCTAssertGreaterThan(Int(failed.1) ?? 0, 0)
        XCTAssertEqual(failed.1, failed.2)
        XCTAssertTrue(result.stdout.contains("warning: \(failed.1) of 300 bootstrap resamples could not be fitted and were excluded"), result.stdout)
    }

    func testNonPositiveResamplesAreUsageErrors() throws {
        for value in ["0", "-5"] {
            let result = try CohortCommand.run(firth + ["--bootstrap", value])
            XCTAssertEqual(result.exitCode, 64, "--bootstrap \(value): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--bootstrap"), result.stderr)
        }
        let seedAlone = try CohortCommand.run(firth + ["--seed", "3"])
        XCTAssertEqual(seedAlone.exitCode, 64, seedAlone.stderr)
    }
}

import CohortTestSupport
import Foundation
import XCTest

/// `cohort meta` end to end on the BCG vaccine trials and Normand 1999 (`Tests/Fixtures/meta/`,
/// written by `Tests/References/meta_references.R`): the JSON against metafor 3.8-1's `rma` and
/// `confint` (`references.json`), standard errors and variances giving the same fit, the forest
/// plot, and the errors for bad input.
final class MetaCommandTests: XCTestCase {
    var folder: String { Fixtures.path("meta") }

    func json(_ arguments: [String], in directory: String? = nil) throws -> [String: Any] {
        let result = try CohortCommand.run(["meta"] + arguments + ["--format", "json"], in: directory ?? folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func reference(_ name: String, _ method: String) throws -> [String: Any] {
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("meta/references.json")))) as? [String: Any])
        let entry = try XCTUnwrap(root[name] as? [String: Any])
        return try XCTUnwrap((entry["methods"] as? [String: Any])?[method] as? [String: Any])
    }

    func check(_ object: [String: Any], against r: [String: Any], _ what: String, relative: Double = 1e-10) throws {
        for (key, rKey) in [("estimate", "estimate"), ("stdError", "se"), ("z", "z"), ("p", "p"), ("ciLower", "lower"), ("ciUpper", "upper"),
                            ("tau2", "tau2"), ("I2", "I2"), ("H2", "H2"), ("Q", "Q"), ("Qp", "Qp")] {
            assertClose(try XCTUnwrap(object[key] as? Double), try XCTUnwrap(r[rKey] as? Double), relative: relative, absolute: 1e-12, "\(what) \(key)")
        }
        XCTAssertEqual(object["k"] as? Int, r["k"] as? Int)
        let studies = try XCTUnwrap(object["studies"] as? [[String: Any]]), weights = try XCTUnwrap(r["weights"] as? [Double])
        for (study, weight) in zip(studies, weights) {
            assertClose(try XCTUnwrap(study["weight"] as? Double), weight, relative: relative, "\(what) weight")
        }
        if let limits = r["tau2_ci"] as? [Double] {
            let ci = try XCTUnwrap(object["tau2CI"] as? [Double])
            assertClose(ci[0], limits[0], relative: relative, absolute: 1e-12, "\(what) τ² lower")
            assertClose(ci[1], limits[1], relative: relative, "\(what) τ² upper")
        }
    }

    func testBCGMatchesMetafor() throws {
        for (method, key) in [("reml", "REML"), ("dl", "DL"), ("fixed", "EE")] {
            let object = try json(["bcg.csv", "--estimate", "yi", "--variance", "vi", "--label", "author", "--method", method])
            try check(object, against: try reference("bcg", key), "bcg \(method)")
            XCTAssertEqual(object["method"] as? String, method)
            XCTAssertEqual(object["nDropped"] as? Int, 0)
        }
        let studies = try XCTUnwrap(try json(["bcg.csv", "--estimate", "yi", "--variance", "vi", "--label", "author"])["studies"] as? [[String: Any]])
        XCTAssertEqual(studies.first?["label"] as? String, "Aronson")
    }

    func testStandardErrorsGiveTheSameFit() throws {
        let object = try json(["bcg.csv", "--estimate", "yi", "--std-error", "sei", "--level", "0.9"])
        try check(object, against: try reference("bcg_level90", "REML"), "bcg from SEs, level 0.90", relative: 1e-9)
    }

    func testNormandDL() throws {
        try check(try json(["normand1999.csv", "--estimate", "yi", "--variance", "vi", "--method", "dl", "--label", "source"]),
                  against: try reference("normand1999", "DL").merging(["tau2_ci": try reference("normand1999", "REML")["tau2_ci"] as Any]) { $1 },
                  "normand DL (Q-profile limits: metafor's REML search, which is not cut at 10 τ̂²)")
    }

    func testTextAndForestPlot() throws {
        let svg = NSTemporaryDirectory() + "meta-forest-\(UUID().uuidString).svg"
        defer { try? FileManager.default.removeItem(atPath: svg) }
        let result = try CohortCommand.run(["meta", "bcg.csv", "--estimate", "yi", "--variance", "vi", "--label", "author", "--exponentiate", "--svg", svg], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Pooled (random effects, REML)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("k = 13 studies used, 0 dropped"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Q-profile"), result.stdout)
        XCTAssertTrue(result.stdout.contains("0.4894"), "exp(-0.7145): \(result.stdout)")
        let drawn = try String(contentsOfFile: svg, encoding: .utf8)
        XCTAssertEqual(drawn.components(separatedBy: "<g aria-label=").count - 1, 14, "13 studies and the pooled row")
        XCTAssertTrue(drawn.contains("<polygon"), "the pooled diamond")
        XCTAssertTrue(drawn.contains("Aronson"))
        let again = svg + ".2"
        defer { try? FileManager.default.removeItem(atPath: again) }
        _ = try CohortCommand.run(["meta", "bcg.csv", "--estimate", "yi", "--variance", "vi", "--label", "author", "--exponentiate", "--svg", again], in: folder)
        XCTAssertEqual(try String(contentsOfFile: again, encoding: .utf8), drawn, "the same bytes on every run")
    }

    func testBadInput() throws {
        let dir = try Fixtures.folder([
            "missing.csv": "centre,est,var\nA,0.1,0.04\nB,0.3,\nC,0.2,0.05\n",
            "negative.csv": "centre,est,var\nA,0.1,0.04\nB,0.3,-0.01\n",
            "one.csv": "centre,est,var\nA,0.1,0.04\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func run(_ arguments: [String]) throws -> CommandResult { try CohortCommand.run(["meta"] + arguments, in: dir) }
        var r = try run(["missing.csv", "--estimate", "est", "--variance", "var"])
        XCTAssertEqual(r.exitCode, 65)
        XCTAssertTrue(r.stderr.contains("missing.csv:3") && r.stderr.contains("'var'"), r.stderr)
        r = try run(["negative.csv", "--estimate", "est", "--variance", "var"])
        XCTAssertEqual(r.exitCode, 65)
        XCTAssertTrue(r.stderr.contains("negative.csv:3") && r.stderr.contains("'var'") && r.stderr.contains("positive"), r.stderr)
        r = try run(["one.csv", "--estimate", "est", "--variance", "var"])
        XCTAssertEqual(r.exitCode, 69)
        XCTAssertTrue(r.stderr.contains("at least 2 studies") && r.stderr.contains("--method fixed"), r.stderr)
        r = try run(["one.csv", "--estimate", "est", "--variance", "var", "--method", "fixed", "--format", "json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        r = try run(["one.csv", "--estimate", "est", "--variance", "nope"])
        XCTAssertEqual(r.exitCode, 65)
        XCTAssertTrue(r.stderr.contains("'nope'"), r.stderr)
        r = try run(["one.csv", "--estimate", "est", "--variance", "var", "--std-error", "var"])
        XCTAssertEqual(r.exitCode, 64)
        XCTAssertTrue(r.stderr.contains("--std-error and --variance are both given"), r.stderr)
        r = try CohortCommand.run(["meta", "bcg.csv", "--estimate", "yi", "--variance", "vi", "--max-iterations", "2"], in: folder)
        XCTAssertEqual(r.exitCode, 69)
        XCTAssertTrue(r.stderr.contains("did not converge in 2 iterations") && r.stdout.isEmpty, r.stderr)
    }
}

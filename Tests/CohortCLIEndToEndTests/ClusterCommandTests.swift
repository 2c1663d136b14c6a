import CohortTestSupport
import Foundation
import XCTest

/// Issue 17: `--cluster COL` end to end against `sandwich::vcovCL` (`Tests/References/cluster_references.R`,
/// `Tests/Fixtures/cluster/`): logit (HC0 × G/(G − 1), vcovCL's default for a glm) on MASS::birthwt
/// with a deterministic centre column missing on 3 rows (dropped and counted); Poisson (HC0) on the
/// same data; linear (HC1, vcovCL's default for an lm) on PetersenCL and birthwt; and the refusals.
final class ClusterCommandTests: XCTestCase {
    var folder: String { Fixtures.path("cluster") }

    func reference(_ name: String) throws -> [String: Any] {
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("cluster/references.json")))) as? [String: Any])
        return try XCTUnwrap(root[name] as? [String: Any])
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try CohortCommand.run(arguments + ["--format", "json"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// Coefficients and robust SEs of `object["coefficients"]` against R, in R's term order.
    func check(_ object: [String: Any], _ r: [String: Any], _ what: String, relative: Double = 1e-10) throws {
        let rows = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
        let terms = try XCTUnwrap(r["terms"] as? [String]), estimates = try XCTUnwrap(r["coefficients"] as? [Double]), se = try XCTUnwrap(r["se"] as? [Double])
        XCTAssertEqual(rows.compactMap { $0["term"] as? String }, terms, what)
        for (j, row) in rows.enumerated() {
            assertClose(try XCTUnwrap(row["estimate"] as? Double), estimates[j], relative: relative, "\(what) \(terms[j]) estimate")
            assertClose(try XCTUnwrap(row["stdError"] as? Double), se[j], relative: relative, "\(what) \(terms[j]) robust SE")
        }
    }

    func testLogitMatchesVcovCL() throws {
        let object = try json(["logit", "birthwt.csv", "--outcome", "low", "--event", "1", "--covariates", "age,lwt,smoke,ht", "--cluster", "centre", "--ci", "wald"])
        let r = try reference("logit")
        try check(object, r, "logit")
        XCTAssertEqual(object["n"] as? Int, r["n"] as? Int)
        XCTAssertEqual(object["nDropped"] as? Int, 3, "rows missing the centre")
        let cluster = try XCTUnwrap(object["cluster"] as? [String: Any])
        XCTAssertEqual(cluster["clusters"] as? Int, r["clusters"] as? Int)
        XCTAssertEqual(cluster["type"] as? String, "HC0")
        assertClose(try XCTUnwrap(cluster["factor"] as? Double), 15.0 / 14.0, relative: 1e-15, "G/(G - 1)")
        // The Wald CI uses the robust SE.
        let age = try XCTUnwrap((object["coefficients"] as? [[String: Any]])?[1])
        let z = 1.959963984540054, se = try XCTUnwrap((r["se"] as? [Double])?[1]), b = try XCTUnwrap((r["coefficients"] as? [Double])?[1])
        assertClose(try XCTUnwrap(age["ciLower"] as? Double), b - z * se, relative: 1e-9, "age CI lower")
    }

    func testLogitTextStatesTheMethodAndTheRowsDropped() throws {
        let result = try CohortCommand.run(["logit", "birthwt.csv", "--outcome", "low", "--covariates", "age,lwt,smoke,ht", "--cluster", "centre", "--ci", "wald"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("n = 186 used, 3 dropped for missing values"), result.stdout)
        XCTAssertTrue(result.stdout.contains("clustered on centre (15 clusters), as sandwich::vcovCL: HC0 with the G/(G − 1) factor"), result.stdout)
        let object = try json(["logit", "birthwt.csv", "--outcome", "low", "--covariates", "age,lwt,smoke,ht", "--cluster", "centre", "--ci", "wald"])
        XCTAssertTrue((object["warnings"] as? [String])?.contains { $0.contains("missing centre: 3") } ?? false, "\(object["warnings"] ?? "")")
    }

    /// lm: vcovCL's default for an lm is HC1, G/(G − 1)·(n − 1)/(n − k); PetersenCL's 500 firms.
    func testLinearMatchesVcovCL() throws {
        let object = try json(["linear", "petersen.csv", "--outcome", "y", "--covariates", "x", "--cluster", "firm"])
        try check(object, try reference("linear"), "linear PetersenCL")
        let cluster = try XCTUnwrap(object["cluster"] as? [String: Any])
        XCTAssertEqual(cluster["type"] as? String, "HC1")
        XCTAssertEqual(cluster["clusters"] as? Int, 500)
        assertClose(try XCTUnwrap(cluster["factor"] as? Double), 500.0 / 499 * 4999 / 4998, relative: 1e-15, "G/(G - 1)·(n - 1)/(n - k)")
        let birthwt = try json(["linear", "birthwt.csv", "--outcome", "bwt", "--covariates", "age,lwt,smoke", "--cluster", "centre"])
        try check(birthwt, try reference("linear_birthwt"), "linear birthwt")
        XCTAssertEqual(birthwt["nDropped"] as? Int, 3)
    }

    func testPoissonMatchesVcovCL() throws {
        let object = try json(["poisson", "birthwt.csv", "--outcome", "ftv", "--covariates", "age,smoke", "--cluster", "centre"])
        try check(object, try reference("poisson"), "poisson")
        XCTAssertEqual(object["nDropped"] as? Int, 3)
        XCTAssertEqual((object["cluster"] as? [String: Any])?["type"] as? String, "HC0")
        var r = try CohortCommand.run(["poisson", "birthwt.csv", "--outcome", "ftv", "--covariates", "age", "--cluster", "centre", "--negative-binomial"], in: folder)
        XCTAssertEqual(r.exitCode, 64)
        r = try CohortCommand.run(["linear", "birthwt.csv", "--outcome", "bwt", "--covariates", "age", "--cluster", "centre", "--robust", "hc1"], in: folder)
        XCTAssertEqual(r.exitCode, 64)
        XCTAssertTrue(r.stderr.contains("leave out one of them"), r.stderr)
    }

    func testLogitRefusals() throws {
        let base = ["logit", "birthwt.csv", "--outcome", "low", "--covariates", "age,lwt,smoke,ht", "--cluster", "centre"]
        var r = try CohortCommand.run(base, in: folder)
        XCTAssertEqual(r.exitCode, 64)
        XCTAssertTrue(r.stderr.contains("add --ci wald"), r.stderr)
        r = try CohortCommand.run(base + ["--ci", "wald", "--firth"], in: folder)
        XCTAssertEqual(r.exitCode, 64)
        r = try CohortCommand.run(["logit", "birthwt.csv", "--outcome", "low", "--covariates", "age,lwt", "--cluster", "nope", "--ci", "wald"], in: folder)
        XCTAssertEqual(r.exitCode, 65)
        XCTAssertTrue(r.stderr.contains("'nope'"), r.stderr)
        r = try CohortCommand.run(["logit", "birthwt.csv", "--outcome", "low", "--covariates", "age,lwt", "--cluster", "age", "--ci", "wald"], in: folder)
        XCTAssertEqual(r.exitCode, 64)
        XCTAssertTrue(r.stderr.contains("also in the model"), r.stderr)
    }
}

/// Issue 17: `--by COL`, one fit per level, against R fitted per level (`cluster_references.R`):
/// `glm` per race of birthwt and `coxph` per ECOG score of survival::lung (the one patient with
/// ECOG 3 cannot be fitted and is listed; the row without an ECOG score is dropped and counted).
final class ByLevelCommandTests: XCTestCase {
    var folder: String { Fixtures.path("cluster") }

    func levels(_ arguments: [String]) throws -> [[String: Any]] {
        let result = try CohortCommand.run(arguments + ["--format", "json"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap(object["levels"] as? [[String: Any]])
    }

    func reference(_ name: String) throws -> [[String: Any]] {
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("cluster/references.json")))) as? [String: Any])
        return try XCTUnwrap(root[name] as? [[String: Any]])
    }

    func check(_ levels: [[String: Any]], _ references: [[String: Any]], relative: Double, _ what: String) throws {
        for r in references {
            let name = try XCTUnwrap(r["level"] as? String)
            let level = try XCTUnwrap(levels.first { $0["level"] as? String == name }, "\(what) level \(name)")
            XCTAssertEqual(level["n"] as? Int, r["n"] as? Int, "\(what) \(name) n")
            XCTAssertEqual(level["events"] as? Int, r["events"] as? Int, "\(what) \(name) events")
            let coefficients = try XCTUnwrap(level["coefficients"] as? [[String: Any]])
            let terms = try XCTUnwrap(r["terms"] as? [String]), b = try XCTUnwrap(r["coefficients"] as? [Double]), se = try XCTUnwrap(r["se"] as? [Double])
            XCTAssertEqual(coefficients.compactMap { $0["term"] as? String }, terms)
            for (j, c) in coefficients.enumerated() {
                assertClose(try XCTUnwrap(c["estimate"] as? Double), b[j], relative: relative, "\(what) \(name) \(terms[j]) estimate")
                assertClose(try XCTUnwrap(c["stdError"] as? Double), se[j], relative: relative, "\(what) \(name) \(terms[j]) SE")
            }
        }
    }

    func testLogitByRaceMatchesGlmPerLevel() throws {
        let levels = try levels(["logit", "birthwt.csv", "--outcome", "low", "--covariates", "age,lwt", "--by", "race"])
        XCTAssertEqual(levels.count, 3)
        try check(levels, try reference("by_logit_race"), relative: 1e-9, "logit by race")
    }

    func testCoxByECOGMatchesCoxphPerLevel() throws {
        let result = try CohortCommand.run(["cox", "lung.csv", "--time", "time", "--status", "status", "--event", "1", "--covariates", "age,sex",
                                            "--by", "ph_ecog", "--format", "json"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["missingBy"] as? Int, 1)
        let levels = try XCTUnwrap(object["levels"] as? [[String: Any]])
        try check(levels, try reference("by_cox_ecog"), relative: 1e-8, "cox by ECOG")
        let three = try XCTUnwrap(levels.first { $0["level"] as? String == "3" })
        XCTAssertNotNil(three["failure"] as? String, "one patient: not fitted, and said so")
    }

    /// The CSV is what `cohort meta` reads: pooling the age coefficient over the races.
    func testCSVFeedsMeta() throws {
        let csv = try CohortCommand.run(["logit", "birthwt.csv", "--outcome", "low", "--covariates", "age,lwt", "--by", "race", "--format", "csv"], in: folder)
        XCTAssertEqual(csv.exitCode, 0, csv.stderr)
        XCTAssertTrue(csv.stdout.hasPrefix("level,term,estimate,std_error,n,n_dropped,events"), csv.stdout)
        let dir = try Fixtures.folder(["by.csv": csv.stdout])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let meta = try CohortCommand.run(["meta", "by.csv", "--estimate", "estimate", "--std-error", "std_error", "--label", "level",
                                          "--where", "term == \"lwt\"", "--method", "fixed", "--format", "json"], in: dir)
        XCTAssertEqual(meta.exitCode, 0, meta.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(meta.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["k"] as? Int, 3)
        // Fixed effects by hand from R's per-race estimates and SEs.
        let r = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("cluster/references.json")))) as? [String: Any])
        let races = try XCTUnwrap(r["by_logit_race"] as? [[String: Any]])
        var sw = 0.0, swy = 0.0
        for race in races {
            let b = try XCTUnwrap((race["coefficients"] as? [Double])?[2]), se = try XCTUnwrap((race["se"] as? [Double])?[2])
            sw += 1 / (se * se); swy += b / (se * se)
        }
        assertClose(try XCTUnwrap(object["estimate"] as? Double), swy / sw, relative: 1e-9, "pooled lwt")
    }

    func testRefusals() throws {
        var r = try CohortCommand.run(["logit", "birthwt.csv", "--outcome", "low", "--covariates", "age,race", "--by", "race"], in: folder)
        XCTAssertEqual(r.exitCode, 64)
        XCTAssertTrue(r.stderr.contains("also in the model"), r.stderr)
        r = try CohortCommand.run(["logit", "birthwt.csv", "--outcome", "low", "--covariates", "age", "--by", "race", "--svg", "x.svg"], in: folder)
        XCTAssertEqual(r.exitCode, 64)
        r = try CohortCommand.run(["logit", "birthwt.csv", "--outcome", "low", "--covariates", "age", "--by", "nope"], in: folder)
        XCTAssertEqual(r.exitCode, 65)
        XCTAssertTrue(r.stderr.contains("'nope'"), r.stderr)
    }
}

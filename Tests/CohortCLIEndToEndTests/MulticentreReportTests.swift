import CohortTestSupport
import Foundation
import XCTest

/// Issue 17, must show 3: the multi-centre example's report (Datasets/multicentre/study.yaml,
/// SYNTHETIC) runs, and its per-centre estimates, their meta-analysis, the pooled fit clustered on
/// the centre and the Cox model stratified by centre are exactly what the commands print (each
/// checked against R in its own reference tests); the meta table and forest plot against goldens.
/// The pooled fit from per-centre databases: PostgresCommandTests.
final class MulticentreReportTests: XCTestCase {
    let root = Fixtures.repositoryRoot
    let data = ["Datasets/multicentre/cohort.csv", "--codebook", "Datasets/multicentre/codebook.yaml"]

    func temporaryFolder() throws -> String {
        let dir = NSTemporaryDirectory() + "multicentre-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func command(_ arguments: [String]) throws -> String {
        let result = try CohortCommand.run(arguments, in: root)
        XCTAssertEqual(result.exitCode, 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    func testIssue17_reportEqualsTheCommandsAndItsGoldens() throws {
        let dir = try temporaryFolder()
        let out = dir + "/report"
        let report = try CohortCommand.run(["report", "Datasets/multicentre/study.yaml", "--out", out], in: root)
        XCTAssertEqual(report.exitCode, 0, report.stderr)
        // Per-centre Firth fits, then the meta-analysis of one term: the command line's two steps.
        let byCentre = ["logit"] + data + ["--outcome", "bleeding", "--covariates", "icans_high,plt_low", "--firth", "--by", "centre"]
        XCTAssertEqual(try command(byCentre + ["--format", "json"]), try read(out + "/tables/logit-by-centre.json"))
        _ = try command(byCentre + ["--format", "csv", "--out", dir + "/by-centre.csv"])
        for term in ["icans_high", "plt_low"] {
            let meta = try command(["meta", dir + "/by-centre.csv", "--estimate", "estimate", "--std-error", "std_error", "--label", "level",
                                    "--term", term, "--exponentiate", "--format", "json"])
            let name = term == "icans_high" ? "meta-icans" : "meta-plt-low"
            XCTAssertEqual(meta.replacingOccurrences(of: "\"estimateColumn\": \"estimate\"", with: "\"estimateColumn\": \"\(term)\""),
                           try read(out + "/tables/\(name).json"), term)
        }
        let pooled = ["--outcome", "bleeding", "--covariates", "age,plt_baseline,icans_grade,prophylaxis,fibrinogen_replaced", "--ci", "wald"]
        XCTAssertEqual(try command(["logit"] + data + pooled + ["--cluster", "centre", "--format", "json"]), try read(out + "/tables/logit-pooled-cluster.json"))
        XCTAssertEqual(try command(["logit"] + data + pooled + ["--no-lr", "--format", "json"]), try read(out + "/tables/logit-pooled.json"))
        let cox = try command(["cox"] + data + ["--event-days", "thrombosis=thrombosis_day,death=death_day", "--followup-day", "last_followup_day",
                                                "--event", "thrombosis", "--competing", "death", "--covariates", "prophylaxis,crs_high,age",
                                                "--strata", "centre", "--format", "json"])
        XCTAssertEqual(cox, try read(out + "/tables/cox-thrombosis.json"))
        assertMatchesGolden(try read(out + "/tables/meta-icans.md"), goldenPath: Fixtures.path("golden/report/multicentre_meta_icans.md"))
        assertMatchesGolden(try read(out + "/figures/meta-icans.svg"), goldenPath: Fixtures.path("golden/figures/meta_multicentre_icans.svg"))
        XCTAssertTrue(try read(out + "/index.html").contains("meta-icans.svg"))
    }

    /// A meta output's `model` must be an earlier by output, its `term` one of that output's terms,
    /// and it takes no columns of its own: each refused with the line or the field.
    func testIssue17_metaOfAByOutputRefusesWhatItCannotPool() throws {
        let dir = try temporaryFolder()
        for file in ["cohort.csv", "codebook.yaml"] {
            try FileManager.default.copyItem(atPath: root + "/Datasets/multicentre/" + file, toPath: dir + "/" + file)
        }
        let head = "study: s\ndata: cohort.csv\ncodebook: codebook.yaml\noutputs:\n"
        let byCentre = "  - {name: by, type: logit, outcome: bleeding, covariates: [icans_high], by: centre}\n"
        let single = "  - {name: one, type: logit, outcome: bleeding, covariates: [icans_high]}\n"
        let cases: [(String, Int32, String)] = [
            (single + "  - {name: m, type: meta, model: one, term: icans_high}\n", 65, "'model' must name a logit or cox output with 'by' listed before it"),
            ("  - {name: m, type: meta, model: by, term: icans_high}\n" + byCentre, 65, "'model' must name a logit or cox output with 'by' listed before it"),
            (byCentre + "  - {name: m, type: meta, model: by}\n", 65, "'term' is missing"),
            (byCentre + "  - {name: m, type: meta, model: by, term: icans_high, estimate: estimate}\n", 65, "with 'model' the estimates"),
            (byCentre + "  - {name: m, type: meta, model: by, term: age}\n", 65, "is not a term of 'by' (its terms: (Intercept), icans_high)"),
        ]
        for (index, (outputs, code, message)) in cases.enumerated() {
            try (head + outputs).write(toFile: dir + "/study.yaml", atomically: true, encoding: .utf8)
            let result = try CohortCommand.run(["report", "study.yaml", "--out", "r\(index)"], in: dir)
            XCTAssertEqual(result.exitCode, code, "case \(index): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "case \(index): \(result.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/r\(index)"), "case \(index): nothing written")
        }
        // The command's --term: a value the column does not hold.
        // In a folder of its own: beside codebook.yaml it would be read with the patients' codebook.
        try FileManager.default.createDirectory(atPath: dir + "/estimates", withIntermediateDirectories: true)
        let csv = dir + "/estimates/by.csv"
        _ = try CohortCommand.run(["logit", "cohort.csv", "--outcome", "bleeding", "--covariates", "icans_high", "--by", "centre", "--format", "csv", "--out", csv], in: dir)
        let wrong = try CohortCommand.run(["meta", csv, "--estimate", "estimate", "--std-error", "std_error", "--term", "age"], in: dir)
        XCTAssertNotEqual(wrong.exitCode, 0)
        XCTAssertTrue(wrong.stderr.contains("is in no row of the column 'term' (its values: (Intercept), icans_high)"), wrong.stderr)
    }
}

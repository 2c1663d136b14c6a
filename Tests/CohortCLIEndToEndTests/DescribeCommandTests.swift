import CohortTestSupport
import Foundation
import XCTest

/// `cohort describe`: summaries and tests between groups against R 4.2.2
/// (Tests/Fixtures/descriptive/commands.json, written by Tests/References/describe_compare_references.R),
/// the text layout as a golden file, and the degenerate cases.
final class DescribeCommandTests: XCTestCase {
    struct References: Decodable {
        struct Summary: Decodable { let n: Int; let mean, sd, q1, median, q3, min, max: Double }
        struct Measurement: Decodable { let summaries: [Summary]; let p: Double; let W: Double }
        struct Describe: Decodable { let plt, age, ldh: Measurement; let bleed: [String: Double] }
        let describe: Describe
    }

    func references() throws -> References {
        try JSONDecoder().decode(References.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("descriptive/commands.json"))))
    }

    func json(_ arguments: [String], in directory: String) throws -> [String: Any] {
        let result = try CohortCommand.run(["describe", "--format", "json"] + arguments, in: directory)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// Overall and per-group summaries and each variable's P against R: mean, sd, quantile(type 7),
    /// min, max; wilcox.test for measurements, fisher.test for the binary variable.
    func testSummariesAndTestsByGroupAgainstR() throws {
        let expected = try references().describe
        let object = try json(["cohort127.csv", "--by", "icans_high"], in: Fixtures.path("logistic/data"))
        XCTAssertEqual((object["groups"] as? [[String: Any]])?.compactMap { $0["n"] as? Int }, [101, 26])
        let variables = try XCTUnwrap(object["variables"] as? [[String: Any]])
        var checked = 0
        for (name, reference) in [("plt", expected.plt), ("age", expected.age), ("ldh", expected.ldh)] {
            let variable = try XCTUnwrap(variables.first { $0["name"] as? String == name }, name)
            XCTAssertEqual(variable["role"] as? String, "continuous", name)
            XCTAssertEqual(variable["test"] as? String, "Wilcoxon rank sum test with continuity correction", name)
            assertClose(try XCTUnwrap(variable["p"] as? Double), reference.p, relative: 1e-10, "\(name) P against wilcox.test")
            assertClose(try XCTUnwrap(variable["statistic"] as? Double), reference.W, relative: 1e-12, "\(name) W")
            let summaries = [try XCTUnwrap(variable["overall"] as? [String: Any])] + (try XCTUnwrap(variable["groups"] as? [[String: Any]]))
            XCTAssertEqual(summaries.count, 3)
            for (summary, r) in zip(summaries, reference.summaries) {
                XCTAssertEqual(summary["n"] as? Int, r.n, name)
                for (key, value) in [("mean", r.mean), ("sd", r.sd), ("q1", r.q1), ("median", r.median), ("q3", r.q3), ("min", r.min), ("max", r.max)] {
                    assertClose(try XCTUnwrap(summary[key] as? Double, "\(name) \(key)"), value, relative: 1e-13, "\(name) \(key)")
                    checked += 1
                }
            }
        }
        XCTAssertEqual(checked, 3 * 3 * 7)
        let bleed = try XCTUnwrap(variables.first { $0["name"] as? String == "bleed" })
        XCTAssertEqual(bleed["test"] as? String, "Fisher's Exact Test for Count Data")
        assertClose(try XCTUnwrap(bleed["p"] as? Double), try XCTUnwrap(expected.bleed["p"]), relative: 1e-10, "bleed P against fisher.test")
    }

    /// The text table: labels and units from the codebook, percentages of the rows with a value,
    /// missing counted apart, dates as a range, the tests named.
    func testTextTableGolden() throws {
        let result = try CohortCommand.run(["describe", "cohort.csv", "--by", "Sex"], in: Fixtures.path("codebook"))
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        assertMatchesGolden(result.stdout, goldenPath: Fixtures.path("golden/describe_by_sex.txt"))
    }

    /// Degenerate groups: a group column with one value has nothing to test, said in the table,
    /// and no NaN anywhere; an unknown column is a data error naming it.
    func testDegenerateInputsNeverPrintNaN() throws {
        let dir = NSTemporaryDirectory() + "describe-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "arm,x,y,flag\nA,1.5,,0\nA,,,0\nA,,,0\n".write(toFile: dir + "/d.csv", atomically: true, encoding: .utf8)
        let single = try CohortCommand.run(["describe", "d.csv", "--by", "arm"], in: dir)
        XCTAssertEqual(single.exitCode, 0, single.stderr)
        XCTAssertFalse(single.stdout.contains("NaN"), single.stdout)
        XCTAssertTrue(single.stdout.contains("values in one group only: nothing to compare"), single.stdout)
        // The full layout prints mean (SD) (the compact one a median [IQR]).
        let overall = try CohortCommand.run(["describe", "d.csv", "--layout", "full"], in: dir)
        XCTAssertEqual(overall.exitCode, 0, overall.stderr)
        XCTAssertFalse(overall.stdout.contains("NaN"), overall.stdout)
        XCTAssertTrue(overall.stdout.contains("1.50 (—)"), "the SD of one value is shown as absent: \(overall.stdout)")
        let unknown = try CohortCommand.run(["describe", "d.csv", "--by", "nope"], in: dir)
        XCTAssertEqual(unknown.exitCode, 65)
        XCTAssertTrue(unknown.stderr.contains("nope"), unknown.stderr)
    }
}

import CohortTestSupport
import Foundation
import XCTest

/// `cohort compare`: each factor's table, the automatic test choice, P values against R 4.2.2.
final class CompareCommandTests: XCTestCase {
    var folder: String { Fixtures.path("codebook") }

    func factors(_ arguments: [String], in directory: String? = nil) throws -> [[String: Any]] {
        let result = try CohortCommand.run(["compare", "cohort.csv", "--format", "json"] + arguments, in: directory ?? folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap(object["factors"] as? [[String: Any]])
    }

    /// Small cells: every factor goes to Fisher's exact test. R: fisher.test on the same tables.
    func testFisherWhenExpectedCountsAreSmall() throws {
        let result = try factors(["--outcome", "bleeding_28d", "--factors", "low_platelets,icans_high,Sex,Disease"])
        XCTAssertEqual(result.compactMap { $0["test"] as? String }, Array(repeating: "Fisher's Exact Test for Count Data", count: 4))
        let expected = [0.010101010101010107, 0.066666666666666666, 0.54545454545454564, 0.48484848484848414]
        for (factor, p) in zip(result, expected) {
            assertClose(try XCTUnwrap(factor["p"] as? Double), p, relative: 1e-9, "\(factor["factor"] ?? "") P against R fisher.test")
        }
        let disease = try XCTUnwrap(result.last?["levels"] as? [[String: Any]])
        XCTAssertEqual(disease.compactMap { $0["level"] as? String }, ["LBCL", "MCL", "B-ALL"], "the codebook's order")
        XCTAssertEqual(disease.compactMap { $0["events"] as? Int }, [1, 1, 2])
    }

    /// Large cells: Pearson's chi-square without correction. R: chisq.test(rbind(c(60,10), c(40,17)), correct = FALSE).
    func testChiSquareWhenEveryExpectedCountIsFiveOrMore() throws {
        let dir = NSTemporaryDirectory() + "cohortkit-compare-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var lines = ["group,event"]
        for (group, noEvent, event) in [("a", 60, 10), ("b", 40, 17)] {
            lines += Array(repeating: "\(group),0", count: noEvent) + Array(repeating: "\(group),1", count: event)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/cohort.csv", atomically: true, encoding: .utf8)
        let result = try factors(["--outcome", "event", "--factor", "group"], in: dir)
        XCTAssertEqual(result[0]["test"] as? String, "Pearson's Chi-squared test")
        assertClose(try XCTUnwrap(result[0]["statistic"] as? Double), 4.5315882298338437, relative: 1e-10, "X-squared against R")
        assertClose(try XCTUnwrap(result[0]["p"] as? Double), 0.033274722823177068, relative: 1e-10, "P against R chisq.test")
    }

    func testTextTableNamesTheTestAndContinuousFactorsAreRefused() throws {
        let text = try CohortCommand.run(["compare", "cohort.csv", "--outcome", "bleeding_28d", "--factor", "Sex"], in: folder)
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("3/6 (50.0%)  0.545  Fisher's Exact Test for Count Data\n"), text.stdout)
        let continuous = try CohortCommand.run(["compare", "cohort.csv", "--outcome", "bleeding_28d", "--factor", "PLT (x10^9/L)"], in: folder)
        XCTAssertEqual(continuous.exitCode, 65)
        XCTAssertTrue(continuous.stderr.contains("'PLT (x10^9/L)' is continuous"), continuous.stderr)
        let none = try CohortCommand.run(["compare", "cohort.csv", "--outcome", "bleeding_28d"], in: folder)
        XCTAssertEqual(none.exitCode, 64)
    }
}

import CohortTestSupport
import Foundation
import XCTest

/// `cohort correlate` on the twelve-patient fixture (Tests/Fixtures/codebook/cohort.csv), with the
/// numbers checked against R 4.2.2 `cor.test` on the same columns:
/// ```r
/// d <- read.csv("cohort.csv", check.names = FALSE)
/// cor.test(d[["Age (years)"]], d[["PLT (x10^9/L)"]], method = "spearman")
/// cor.test(d[["PLT (x10^9/L)"]], d[["ICANS grade"]], method = "kendall")        # warns: ties
/// cor.test(d[["PLT (x10^9/L)"]], d[["Bleeding day"]])                             # 6 complete pairs
/// cor.test(d[["PLT (x10^9/L)"]], d[["Bleeding day"]], method = "kendall", alternative = "greater")
/// ```
final class CorrelateCommandTests: XCTestCase {
    var folder: String { Fixtures.path("codebook") }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try CohortCommand.run(["correlate", "cohort.csv", "--format", "json"] + arguments, in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func number(_ object: [String: Any], _ key: String) throws -> Double { try XCTUnwrap(object[key] as? Double, key) }

    func testSpearmanDefaultEdgeworthRegion() throws {
        let object = try json(["--x", "Age (years)", "--y", "PLT (x10^9/L)"])
        XCTAssertEqual(object["method"] as? String, "Spearman's rank correlation rho")
        assertClose(try number(object, "coefficient"), -0.062937062937062943, relative: 1e-13, "rho vs R")
        assertClose(try number(object, "statistic"), 304, relative: 1e-13, "S vs R")
        assertClose(try number(object, "p"), 0.85168191125329251, relative: 1e-10, "P vs R")
        XCTAssertEqual(object["nUsed"] as? Int, 12)
        XCTAssertEqual(object["nDropped"] as? Int, 0)
        XCTAssertTrue((object["methodDetails"] as? String ?? "").contains("Edgeworth"))
    }

    func testKendallWithTiesSaysNormalApproximation() throws {
        let object = try json(["--x", "PLT (x10^9/L)", "--y", "ICANS grade", "--method", "kendall"])
        assertClose(try number(object, "coefficient"), -0.81328500962888306, relative: 1e-13, "tau-b vs R")
        assertClose(try number(object, "statistic"), -3.4793508522339596, relative: 1e-12, "z vs R")
        assertClose(try number(object, "p"), 0.00050263006458019309, relative: 1e-10, "P vs R")
        XCTAssertEqual(object["statisticName"] as? String, "z")
        XCTAssertEqual(object["warnings"] as? [String], ["Cannot compute exact p-value with ties"])
        XCTAssertTrue((object["methodDetails"] as? String ?? "").hasPrefix("normal approximation"))
    }

    func testPearsonDropsIncompleteRowsAndGivesTheInterval() throws {
        let object = try json(["--x", "PLT (x10^9/L)", "--y", "Bleeding day", "--method", "pearson"])
        XCTAssertEqual(object["nUsed"] as? Int, 6)
        XCTAssertEqual(object["nDropped"] as? Int, 6, "six patients did not bleed: no bleeding day")
        assertClose(try number(object, "coefficient"), 0.8943795337812861, relative: 1e-13, "r vs R")
        assertClose(try number(object, "statistic"), 3.9989346927498093, relative: 1e-12, "t vs R")
        XCTAssertEqual(object["df"] as? Double, 4)
        assertClose(try number(object, "p"), 0.016144390112775971, relative: 1e-10, "P vs R")
        assertClose(try number(object, "ciLower"), 0.30208419375556406, relative: 1e-10, "CI vs R")
        assertClose(try number(object, "ciUpper"), 0.98846767845291894, relative: 1e-10, "CI vs R")
    }

    func testKendallExactOneSided() throws {
        let object = try json(["--x", "PLT (x10^9/L)", "--y", "Bleeding day", "--method", "kendall", "--alternative", "greater"])
        assertClose(try number(object, "coefficient"), 0.46666666666666667, relative: 1e-13, "tau vs R")
        XCTAssertEqual(object["statistic"] as? Double, 11)
        assertClose(try number(object, "p"), 0.13611111111111107, relative: 1e-13, "exact P vs R (98/720)")
        XCTAssertEqual(object["alternative"] as? String, "greater")
    }

    func testTextTableStatesMethodAndCounts() throws {
        let result = try CohortCommand.run(["correlate", "cohort.csv", "--x", "PLT (x10^9/L)", "--y", "Bleeding day"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            Spearman's rank correlation rho: PLT (x10^9/L) and Bleeding day
            data: cohort.csv; 6 complete pairs used, 6 rows dropped for a missing value

            x              y                rho      S      P  n
            -------------  ------------  ------  -----  -----  -
            PLT (x10^9/L)  Bleeding day  0.6000  14.00  0.242  6

            Spearman's rank correlation rho, two-sided: exact: permutation distribution of S (AS 89, n <= 9, no ties), n = 6 pairs.

            """)
    }

    func testBadRequestsGetClearMessages() throws {
        let text = try CohortCommand.run(["correlate", "cohort.csv", "--x", "Sex", "--y", "Age (years)"], in: folder)
        XCTAssertEqual(text.exitCode, 65)
        XCTAssertTrue(text.stderr.hasPrefix("cohort correlate: cohort.csv: 'Sex' holds text, not numbers"), text.stderr)
        let unknown = try CohortCommand.run(["correlate", "cohort.csv", "--x", "Nope", "--y", "Age (years)"], in: folder)
        XCTAssertEqual(unknown.exitCode, 65)
        XCTAssertTrue(unknown.stderr.contains("no column named 'Nope'"), unknown.stderr)
        let same = try CohortCommand.run(["correlate", "cohort.csv", "--x", "Sex", "--y", "Sex"], in: folder)
        XCTAssertEqual(same.exitCode, 64)
        XCTAssertTrue(same.stderr.contains("name the same column"), same.stderr)
        let method = try CohortCommand.run(["correlate", "cohort.csv", "--x", "Age (years)", "--y", "Sex", "--method", "tau"], in: folder)
        XCTAssertEqual(method.exitCode, 64)
    }

    /// A constant column (all rows the same on the complete pairs) is an error naming the column, not NA.
    func testConstantColumnIsAnError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("correlate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "a,b\n1,5\n2,5\n3,5\n4,\n".write(to: directory.appendingPathComponent("flat.csv"), atomically: true, encoding: .utf8)
        let result = try CohortCommand.run(["correlate", "flat.csv", "--x", "a", "--y", "b"], in: directory.path)
        XCTAssertEqual(result.exitCode, 65)
        XCTAssertTrue(result.stderr.contains("'b' on the 3 complete rows is constant"), result.stderr)
        XCTAssertTrue(result.stdout.isEmpty)
    }
}

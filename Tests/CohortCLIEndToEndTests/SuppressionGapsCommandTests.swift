import CohortTestSupport
import XCTest

/// Issue 13: `describe --suppress-below` withholds what single patients' values and a test's P
/// value give away (the builders' cases in `SuppressionGapsTests`).
final class SuppressionGapsCommandTests: XCTestCase {
    func testIssue13_describeWithholdsExtremesAndFirstLastDates() throws {
        // min–max is the full layout's; the compact one's first–last dates are checked too.
        let arguments = ["describe", "cohort.csv", "--variables", "Infusion date,Age (years)", "--layout", "full"]
        let plain = try CohortCommand.run(arguments, in: Fixtures.path("codebook"))
        XCTAssertEqual(plain.exitCode, 0, plain.stderr)
        XCTAssertTrue(plain.stdout.contains("2021-01-04 to"), plain.stdout)
        XCTAssertTrue(plain.stdout.contains("45–73"), plain.stdout)
        let shared = try CohortCommand.run(arguments + ["--suppress-below", "3"], in: Fixtures.path("codebook"))
        XCTAssertEqual(shared.exitCode, 0, shared.stderr)
        XCTAssertFalse(shared.stdout.contains("2021-01-04"), shared.stdout)
        XCTAssertFalse(shared.stdout.contains("45–73"), shared.stdout)
        XCTAssertTrue(shared.stdout.contains("min–max (first–last for dates) is not shown: each extreme is one patient's value"), shared.stdout)
        let compact = try CohortCommand.run(Array(arguments.dropLast(2)) + ["--suppress-below", "3"], in: Fixtures.path("codebook"))
        XCTAssertEqual(compact.exitCode, 0, compact.stderr)
        XCTAssertFalse(compact.stdout.contains("2021-01-04"), compact.stdout)
        XCTAssertTrue(compact.stdout.contains("first–last for dates) is not shown"), compact.stdout)
    }

    func testIssue13_describeWithholdsThePOfATableWithAHiddenCell() throws {
        let result = try CohortCommand.run(["describe", "cohort.csv", "--variables", "Sex", "--by", "Disease", "--suppress-below", "3"],
                                           in: Fixtures.path("codebook"))
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        // Compact layout: the P withheld, its test a footnote mark.
        let line = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.hasPrefix("Sex, n (%)") })
        XCTAssertTrue(line.hasSuffix("—¹"), String(line))
        XCTAssertFalse(line.contains("1.000"), String(line))
        XCTAssertTrue(result.stdout.contains("\n¹ Fisher's Exact Test for Count Data\n"), result.stdout)
        let full = try CohortCommand.run(["describe", "cohort.csv", "--variables", "Sex", "--by", "Disease", "--suppress-below", "3", "--layout", "full"],
                                         in: Fixtures.path("codebook"))
        let fullLine = try XCTUnwrap(full.stdout.split(separator: "\n").first { $0.hasPrefix("Sex, n (%)") })
        XCTAssertTrue(fullLine.contains("—  Fisher's"), String(fullLine))
    }
}

import CohortTestSupport
import XCTest

/// Issue 13: `describe --suppress-below` withholds what single patients' values and a test's P
/// value give away (the builders' cases in `SuppressionGapsTests`).
final class SuppressionGapsCommandTests: XCTestCase {
    func testIssue13_describeWithholdsExtremesAndFirstLastDates() throws {
        let arguments = ["describe", "cohort.csv", "--variables", "Infusion date,Age (years)"]
        let plain = try CohortCommand.run(arguments, in: Fixtures.path("codebook"))
        XCTAssertEqual(plain.exitCode, 0, plain.stderr)
        XCTAssertTrue(plain.stdout.contains("2021-01-04 to"), plain.stdout)
        XCTAssertTrue(plain.stdout.contains("45–73"), plain.stdout)
        let shared = try CohortCommand.run(arguments + ["--suppress-below", "3"], in: Fixtures.path("codebook"))
        XCTAssertEqual(shared.exitCode, 0, shared.stderr)
        XCTAssertFalse(shared.stdout.contains("2021-01-04"), shared.stdout)
        XCTAssertFalse(shared.stdout.contains("45–73"), shared.stdout)
        XCTAssertTrue(shared.stdout.contains("min–max (first–last for dates) is not shown: each extreme is one patient's value"), shared.stdout)
    }

    func testIssue13_describeWithholdsThePOfATableWithAHiddenCell() throws {
        let result = try CohortCommand.run(["describe", "cohort.csv", "--variables", "Sex", "--by", "Disease", "--suppress-below", "3"],
                                           in: Fixtures.path("codebook"))
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let line = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.hasPrefix("Sex, n (%)") })
        XCTAssertTrue(line.contains("—  Fisher's"), String(line))
        XCTAssertFalse(line.contains("1.000"), String(line))
    }
}

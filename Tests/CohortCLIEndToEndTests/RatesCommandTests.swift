import CohortTestSupport
import Foundation
import XCTest

/// `cohort rates` end to end on the simulated three-arm cohort of `rates_references.R`: the JSON
/// against R's `poisson.test` and epiR (`Tests/Fixtures/rates/cohort.json`), the unit from the
/// codebook, suppression, and the usage errors.
final class RatesCommandTests: XCTestCase {
    var folder: String { Fixtures.path("rates") }

    func run(_ arguments: [String]) throws -> CommandResult {
        try CohortCommand.run(["rates", "cohort.csv", "--events", "infections", "--person-time", "days"] + arguments, in: folder)
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try run(["--format", "json"] + arguments)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func testByArmMatchesR() throws {
        let object = try json(["--by", "arm", "--per", "1000"])
        let reference = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("rates/cohort.json")))) as? [String: Any])
        XCTAssertEqual(object["unit"] as? String, "days")
        XCTAssertEqual(object["reference"] as? String, "control")
        XCTAssertEqual(object["nDropped"] as? Int, reference["dropped"] as? Int)
        let rows = try XCTUnwrap(object["rows"] as? [[String: Any]]), expectedRows = try XCTUnwrap(reference["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.compactMap { $0["group"] as? String }, ["control", "low", "high"], "the codebook's level order")
        for (row, expected) in zip(rows, expectedRows) {
            XCTAssertEqual(row["events"] as? Int, expected["events"] as? Int)
            for (key, rKey) in [("rate", "rate"), ("ciLower", "lower"), ("ciUpper", "upper")] {
                assertClose(try XCTUnwrap(row[key] as? Double), try XCTUnwrap(expected[rKey] as? Double), relative: 1e-12, "\(key) against R")
            }
        }
        let comparisons = try XCTUnwrap(object["comparisons"] as? [[String: Any]]), expected = try XCTUnwrap(reference["comparisons"] as? [[String: Any]])
        XCTAssertEqual(comparisons.count, 2)
        for (c, e) in zip(comparisons, expected) {
            for (key, rKey) in [("rateRatio", "ratio"), ("rateRatioLower", "ratioLower"), ("rateRatioUpper", "ratioUpper"), ("p", "p"),
                                ("rateDifference", "difference"), ("rateDifferenceLower", "differenceLower"), ("rateDifferenceUpper", "differenceUpper")] {
                assertClose(try XCTUnwrap(c[key] as? Double), try XCTUnwrap(e[rKey] as? Double), relative: 1e-12, "\(key) against R")
            }
        }
    }

    func testTextStatesTheUnitAndMethods() throws {
        let result = try run(["--by", "arm", "--per", "1000", "--reference", "high"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("rate per 1000 person-days"), result.stdout)
        XCTAssertTrue(result.stdout.contains("each group against high (reference)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("exact Poisson (Garwood; R poisson.test)"), result.stdout)
    }

    func testSuppressionHidesSmallCountsAndTheirRates() throws {
        let object = try json(["--by", "arm", "--suppress-below", "40"])
        let rows = try XCTUnwrap(object["rows"] as? [[String: Any]])
        // low (33 events) and high (30) are small; control's 73 stay.
        XCTAssertEqual(rows[0]["events"] as? Int, 73)
        XCTAssertTrue(rows[1]["events"] is NSNull)
        XCTAssertTrue(rows[1]["rate"] is NSNull)
        XCTAssertTrue(rows[2]["ciUpper"] is NSNull)
        let comparisons = try XCTUnwrap(object["comparisons"] as? [[String: Any]])
        XCTAssertTrue(comparisons.allSatisfy { $0["rateRatio"] is NSNull && $0["p"] is NSNull })
        let hidden = try XCTUnwrap((object["suppression"] as? [String: Any])?["hidden"] as? [String])
        XCTAssertTrue(hidden.contains("/rows/1/events"), "\(hidden)")
    }

    func testUsageErrors() throws {
        let noBy = try run(["--reference", "low"])
        XCTAssertEqual(noBy.exitCode, 64)
        XCTAssertTrue(noBy.stderr.contains("--reference applies to the groups of --by"), noBy.stderr)
        let badPer = try run(["--per", "0"])
        XCTAssertEqual(badPer.exitCode, 64, badPer.stderr)
        let unknown = try run(["--by", "arm", "--reference", "placebo"])
        XCTAssertEqual(unknown.exitCode, 65)
        XCTAssertTrue(unknown.stderr.contains("'placebo'"), unknown.stderr)
        let pStyle = try run(["--p-style", "journal"])
        XCTAssertEqual(pStyle.exitCode, 64, "no P value without --by")
    }
}

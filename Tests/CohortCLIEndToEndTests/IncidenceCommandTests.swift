import CohortTestSupport
import Foundation
import XCTest

/// `cohort incidence` on the typed twelve-patient fixture: counts through the codebook's derived
/// variable, the declared group order, and intervals against R 4.2.2.
final class IncidenceCommandTests: XCTestCase {
    var folder: String { Fixtures.path("codebook") }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try CohortCommand.run(["incidence", "cohort.csv", "--format", "json"] + arguments, in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func testOverallClopperPearsonMatchesR() throws {
        let object = try json(["--outcome", "bleeding_28d"])
        let rows = try XCTUnwrap(object["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.count, 1)
        XCTAssertTrue(rows[0]["group"] is NSNull)
        XCTAssertEqual(rows[0]["events"] as? Int, 4, "bleeding on days 12, 5, 2 and 20 fall in 0...28")
        XCTAssertEqual(rows[0]["n"] as? Int, 12)
        XCTAssertEqual(rows[0]["method"] as? String, "Clopper-Pearson exact")
        // R 4.2.2: binom.test(4, 12)$conf.int
        assertClose(try XCTUnwrap(rows[0]["ciLower"] as? Double), 0.099246091149583299, relative: 1e-12, "interval limit against R")
        assertClose(try XCTUnwrap(rows[0]["ciUpper"] as? Double), 0.65112449358118596, relative: 1e-12, "interval limit against R")
        XCTAssertEqual(object["nDropped"] as? Int, 0)
    }

    func testByGroupKeepsTheDeclaredLevelOrder() throws {
        let object = try json(["--outcome", "bleeding_28d", "--by", "Disease"])
        let rows = try XCTUnwrap(object["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.compactMap { $0["group"] as? String }, ["LBCL", "MCL", "B-ALL"])
        XCTAssertEqual(rows.compactMap { $0["events"] as? Int }, [1, 1, 2])
        XCTAssertEqual(rows.compactMap { $0["n"] as? Int }, [6, 3, 3])
        // R 4.2.2: binom.test(1, 6), binom.test(1, 3), binom.test(2, 3)
        let expected = [(0.0042107445144894742, 0.64123457899767478), (0.0084037586596126413, 0.9057006759497539),
                        (0.094299324050246131, 0.99159624134038737)]
        for (row, (lower, upper)) in zip(rows, expected) {
            assertClose(try XCTUnwrap(row["ciLower"] as? Double), lower, relative: 1e-12, "interval limit against R")
            assertClose(try XCTUnwrap(row["ciUpper"] as? Double), upper, relative: 1e-12, "interval limit against R")
        }
    }

    func testWilsonAndTheTextTable() throws {
        let object = try json(["--outcome", "bleeding_28d", "--method", "wilson"])
        let row = try XCTUnwrap((object["rows"] as? [[String: Any]])?.first)
        // R 4.2.2: prop.test(4, 12, correct = FALSE)$conf.int
        assertClose(try XCTUnwrap(row["ciLower"] as? Double), 0.13812009109121318, relative: 1e-12, "interval limit against R")
        assertClose(try XCTUnwrap(row["ciUpper"] as? Double), 0.60937791112720041, relative: 1e-12, "interval limit against R")
        let text = try CohortCommand.run(["incidence", "cohort.csv", "--outcome", "bleeding_28d", "--by", "Sex"], in: folder)
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("CI: Clopper-Pearson exact, two-sided 95%"), text.stdout)
        XCTAssertTrue(text.stdout.contains("0 rows dropped"), text.stdout)
    }

    func testBadRequestsGetClearMessages() throws {
        let notBinary = try CohortCommand.run(["incidence", "cohort.csv", "--outcome", "ICANS grade"], in: folder)
        XCTAssertEqual(notBinary.exitCode, 65)
        XCTAssertTrue(notBinary.stderr.hasPrefix("cohort incidence: cohort.csv: outcome 'ICANS grade' is not binary"), notBinary.stderr)
        let unknown = try CohortCommand.run(["incidence", "cohort.csv", "--outcome", "bleeding"], in: folder)
        XCTAssertEqual(unknown.exitCode, 65)
        XCTAssertTrue(unknown.stderr.contains("no column named 'bleeding'"), unknown.stderr)
        let level = try CohortCommand.run(["incidence", "cohort.csv", "--outcome", "bleeding_28d", "--level", "95"], in: folder)
        XCTAssertEqual(level.exitCode, 64)
    }
}

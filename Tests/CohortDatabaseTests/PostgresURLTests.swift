import XCTest
@testable import CohortDatabase

/// The DATA URL's grammar (no server needed).
final class PostgresURLTests: XCTestCase {
    func testFullURL() throws {
        let url = try PostgresURL("postgresql://ann:s%40cret@db.example:6543/registry?table=public.cohort")
        XCTAssertEqual(url.user, "ann")
        XCTAssertEqual(url.password, "s@cret")
        XCTAssertEqual(url.host, "db.example")
        XCTAssertEqual(url.port, 6543)
        XCTAssertEqual(url.database, "registry")
        XCTAssertEqual(url.quotedTable, "\"public\".\"cohort\"")
        // The password never appears in what is printed.
        XCTAssertEqual(url.description, "postgresql://ann@db.example:6543/registry?table=public.cohort")
    }

    func testSocketDirectoryAsHost() throws {
        let encoded = try PostgresURL("postgresql://me@%2Ftmp%2Fpg:5433/cohort?table=t")
        XCTAssertEqual(encoded.host, "/tmp/pg")
        let parameter = try PostgresURL("postgresql://me@/cohort?host=/tmp/pg&port=5433&table=t")
        XCTAssertEqual(parameter.host, "/tmp/pg")
        XCTAssertEqual(parameter.port, 5433)
    }

    func testErrorsNameTheProblemWithoutThePassword() {
        for (text, expected) in [
            ("postgresql://me@host:99999/db?table=t", "the port '99999'"),
            ("postgresql://me:pw@host", "names no database"),
            ("postgresql://me@host/db?tabel=t", "unknown parameter 'tabel'"),
        ] {
            XCTAssertThrowsError(try PostgresURL(text)) { error in
                let message = String(describing: error)
                XCTAssertTrue(message.contains(expected), message)
                XCTAssertFalse(message.contains(":pw@"), message)
            }
        }
    }
}

import CohortDatabase
import CohortTestSupport
import XCTest

extension XCTestCase {
    /// Runs a computation inside the database on the 360-row table `cohort` and on the 200,000-row
    /// table `big` (same columns) and checks that the bytes received, less the `repeated` part
    /// (iterations, whose equality the caller checks), are the same but for what the catalogue and
    /// the values' text spell differently (`big` has bigint where `cohort` has integer): at most
    /// `tolerance` bytes apart. Prints both conversations' sizes.
    func assertBytesDoNotGrowWithRows(what: String, tolerance: Int = 16, file: StaticString = #filePath, line: UInt = #line,
                                      _ run: (PostgresURL) throws -> (rows: Int, bytes: Int, queries: Int, repeated: Int, note: String)) throws {
        guard let base = try PostgresTestServer.baseURL() else { throw XCTSkip(PostgresTestServer.skipMessage) }
        let small = try run(try PostgresURL(PostgresTestServer.url(base, "cohort", table: "cohort")))
        let large = try run(try PostgresURL(PostgresTestServer.url(base, "cohort", table: "big")))
        XCTAssertLessThanOrEqual(abs((large.bytes - large.repeated) - (small.bytes - small.repeated)), tolerance,
                                 "received \(small.bytes) and \(large.bytes) bytes", file: file, line: line)
        print("bytes received\(what): \(small.rows) rows: \(small.bytes) in \(small.queries) queries\(small.note); "
              + "\(large.rows) rows: \(large.bytes) in \(large.queries) queries\(large.note)")
    }
}

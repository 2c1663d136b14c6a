import Foundation

/// The throw-away PostgreSQL server `scripts/test` starts (scripts/postgres, issue 17): its URL is in
/// `COHORTKIT_POSTGRES_URL` (`postgresql://cohort@127.0.0.1:PORT`), with databases `cohort` (every
/// row of Tests/Fixtures/postgres/cohort.csv, plus `big`, `tiny`, `cohort_age_text`) and `site_a`,
/// `site_b`, `site_c` (each centre's rows); the multicentre example in `cohort` (table `multicentre`) and
/// in `mc_a` ... `mc_g` (table `cohort`, one centre each).
public enum PostgresTestServer {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "CI=true but COHORTKIT_POSTGRES_URL is not set: the database tests need the server scripts/test starts"
        }
    }

    /// The server's base URL; nil when there is none outside CI (tests then skip, saying why), and
    /// an error under CI, where the tests must not pass without their server.
    public static func baseURL() throws -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["COHORTKIT_POSTGRES_URL"], !url.isEmpty { return url }
        if environment["CI"] == "true" { throw Missing() }
        return nil
    }

    public static let skipMessage = "no PostgreSQL test server: run scripts/test (or scripts/postgres start DIR and export COHORTKIT_POSTGRES_URL)"

    /// `base/database?table=table`.
    public static func url(_ base: String, _ database: String, table: String) -> String { "\(base)/\(database)?table=\(table)" }

    /// The base URL with `user[:password]` replaced.
    public static func url(_ base: String, user: String, _ database: String, table: String) -> String {
        let hostPart = base.components(separatedBy: "@").last ?? base
        return "postgresql://\(user)@\(hostPart)/\(database)?table=\(table)"
    }

    /// The fixture CSV and codebook the tables were loaded from.
    public static var csv: String { Fixtures.path("postgres/cohort.csv") }
    public static var codebook: String { Fixtures.path("postgres/codebook.yaml") }
}

import CohortData
import CohortReport
import CohortStats
import CohortTestSupport
import Foundation
import XCTest
@testable import CohortDatabase

/// `describe` and `incidence` inside a real PostgreSQL server (issue 17): from the counts and sums
/// the database returns, the same results as from the rows of cohort.csv, byte for byte in JSON
/// but for the source; three sites' counts pooled equal to the single table's; bytes independent
/// of the rows; the disclosure rules at sites.
final class PushdownCountsTests: XCTestCase {
    func server() throws -> String {
        guard let base = try PostgresTestServer.baseURL() else { throw XCTSkip(PostgresTestServer.skipMessage) }
        return base
    }

    func codebook() throws -> Codebook { try CodebookFile.read(path: PostgresTestServer.codebook) }

    func localTable() throws -> DataTable {
        try CohortLoader.loadForAnalysis(path: PostgresTestServer.csv, codebook: try codebook()).table
    }

    func counts(_ urls: [String], rules: PushdownLogit.DisclosureRules? = nil) throws -> PushdownCounts {
        try PushdownCounts(sites: try urls.map { try PostgresURL($0) }, sql: nil, codebook: try codebook(), options: CSVOptions(), rules: rules)
    }

    func single() throws -> [String] { [PostgresTestServer.url(try server(), "cohort", table: "cohort")] }
    func sites() throws -> [String] { try ["site_a", "site_b", "site_c"].map { PostgresTestServer.url(try server(), $0, table: "cohort") } }

    /// Events / n per group with the interval, overall and by disease: the local result's JSON, from one table and from three sites.
    func testIncidenceFromCountsEqualsTheRows() throws {
        let table = try localTable()
        for group in [nil, "disease", "sex"] as [String?] {
            for method in [BinomialInterval.Method.clopperPearson, .wilson] {
                let local = try Incidence.compute(table: table, outcome: "bleeding", group: group, method: method)
                for urls in [try single(), try sites()] {
                    let pooled = try PushdownIncidence.compute(try counts(urls), outcome: "bleeding", eventLevel: nil, group: group, method: method, level: 0.95)
                    XCTAssertEqual(IncidenceJSON.render(pooled), IncidenceJSON.render(local), "\(group ?? "overall"), \(urls.count) sites")
                    XCTAssertEqual(pooled.nDropped, local.nDropped)
                }
            }
        }
        // A text outcome with its event named.
        let local = try Incidence.compute(table: table, outcome: "sex", eventLevel: "F", group: "disease")
        let pooled = try PushdownIncidence.compute(try counts(try single()), outcome: "sex", eventLevel: "F", group: "disease", method: .clopperPearson, level: 0.95)
        XCTAssertEqual(IncidenceJSON.render(pooled), IncidenceJSON.render(local))
    }

    /// Table 1 from counts and sums: every column (means, SDs, medians, quartiles, extremes of age
    /// and ldh; the categories' counts), overall and by group, with the categories' tests and the
    /// SMDs: the local JSON byte for byte but for the source.
    func testDescribeFromCountsAndSumsEqualsTheRows() throws {
        let table = try localTable()
        let url = try single()[0]
        let cases: [(variables: [String]?, by: String?, tests: GroupTests?)] = [
            (nil, nil, nil),
            (nil, "disease", nil),
            (["age", "ldh", "sex"], "centre", nil),
            (["sex", "icans_high", "bleeding", "centre"], "disease", .automatic),
            (["sex", "disease"], "icans_high", GroupTests(categories: .fisher, measurements: .rankSum)),
        ]
        for (variables, by, tests) in cases {
            let smd: (Int) -> Bool = { $0 == 2 }
            let groups = try by.map { name in
                let column = try table.column(named: name)
                return column.groups(of: (0..<table.rowCount).filter { !column.isMissing($0) }).count
            } ?? 0
            let local = try CohortDescription.describe(table: table, variables: variables, by: by, tests: tests, standardizedDifferences: smd(groups))
            let pushed = try PushdownDescribe.describe(try counts([url]), variables: variables, by: by, tests: tests, standardizedDifferences: smd)
            let expected = DescriptionJSON.render(local).replacingOccurrences(of: PostgresTestServer.csv, with: "DATA")
            XCTAssertEqual(DescriptionJSON.render(pushed).replacingOccurrences(of: url, with: "DATA"), expected, "\(variables ?? ["all"]) by \(by ?? "-")")
            for rule in [Suppression(below: 5)] {
                XCTAssertEqual(DescriptionJSON.render(pushed, suppression: rule).replacingOccurrences(of: url, with: "DATA"),
                               DescriptionJSON.render(local, suppression: rule).replacingOccurrences(of: PostgresTestServer.csv, with: "DATA"))
            }
        }
    }

    /// Three sites' category counts pooled: the single table's description (tests and SMDs included).
    func testDescribeCategoriesPooledOverSitesEqualsTheSingleTable() throws {
        let variables = ["sex", "disease", "icans_high", "bleeding"]
        let one = try PushdownDescribe.describe(try counts(try single()), variables: variables, by: "centre", tests: .automatic, standardizedDifferences: { _ in true })
        let three = try PushdownDescribe.describe(try counts(try sites()), variables: variables, by: "centre", tests: .automatic, standardizedDifferences: { _ in true })
        XCTAssertEqual(DescriptionJSON.render(three).replacingOccurrences(of: three.source, with: "DATA"),
                       DescriptionJSON.render(one).replacingOccurrences(of: one.source, with: "DATA"))
        XCTAssertTrue(three.source.hasPrefix("3 sites: "), three.source)
        // A measurement does not pool: refused before any of its values is asked for.
        XCTAssertThrowsError(try PushdownDescribe.describe(try counts(try sites()), variables: ["age"], by: nil, tests: nil, standardizedDifferences: { _ in false })) {
            XCTAssertTrue(String(describing: $0).contains("'age' is a measurement, whose median and quartiles do not add over sites"), "\($0)")
        }
        // A measurement's test between groups needs its values.
        XCTAssertThrowsError(try PushdownDescribe.describe(try counts(try single()), variables: ["age"], by: "sex", tests: .automatic, standardizedDifferences: { _ in false })) {
            XCTAssertTrue(String(describing: $0).contains("needs its values; give --no-tests"), "\($0)")
        }
    }

    /// The site minimum and the cell rule, at each site.
    func testDisclosureRulesAtSites() throws {
        let base = try server()
        let tiny = [PostgresTestServer.url(base, "cohort", table: "tiny")]
        XCTAssertThrowsError(try PushdownIncidence.compute(try counts(tiny, rules: .init()), outcome: "bleeding", eventLevel: nil, group: nil, method: .clopperPearson, level: 0.95)) {
            XCTAssertTrue(String(describing: $0).contains("fewer than 10 rows"), "\($0)")
        }
        // Site C: some disease x bleeding cell under 5.
        let siteC = [PostgresTestServer.url(base, "site_c", table: "cohort")]
        XCTAssertNoThrow(try PushdownIncidence.compute(try counts(siteC, rules: .init()), outcome: "bleeding", eventLevel: nil, group: "disease", method: .clopperPearson, level: 0.95))
        XCTAssertThrowsError(try PushdownIncidence.compute(try counts(siteC, rules: .init(suppressBelow: 5)), outcome: "bleeding", eventLevel: nil, group: "disease",
                                                           method: .clopperPearson, level: 0.95)) {
            XCTAssertTrue(String(describing: $0).contains("(--suppress-below 5)"), "\($0)")
        }
        XCTAssertThrowsError(try PushdownDescribe.describe(try counts(siteC, rules: .init(suppressBelow: 5)), variables: ["disease"], by: "bleeding", tests: nil,
                                                           standardizedDifferences: { _ in false })) {
            XCTAssertTrue(String(describing: $0).contains("(--suppress-below 5)"), "\($0)")
        }
    }

    /// Issue 17: describe and incidence through `cohort site install`'s functions (a role that cannot
    /// read the rows): the direct pushdown's JSON byte for byte but for the source, on one table and
    /// pooled over three sites; the site's cell floor (5 by default) refuses a request with a small
    /// cell whole, and a measurement is refused with the reason.
    func testIssue17_describeAndIncidenceThroughTheSiteFunctionsEqualTheDirectPushdown() throws {
        let base = try server()
        for database in ["cohort", "site_a", "site_b", "site_c"] {
            try SiteFunctions.install(url: try PostgresURL("\(base)/\(database)"), table: "cohort", role: "cohort_analyst", rules: .init(), password: nil)
        }
        let analyst = base.replacingOccurrences(of: "postgresql://cohort@", with: "postgresql://cohort_analyst@")
        func viaRole(_ databases: [String]) -> [String] { databases.map { "\(analyst)/\($0)?table=cohort&functions=cohort_site" } }
        let three = ["site_a", "site_b", "site_c"]
        for (direct, functions) in [(try single(), viaRole(["cohort"])), (try sites(), viaRole(three))] {
            for group in ["centre", "icans_high"] {
                let expected = try PushdownIncidence.compute(try counts(direct, rules: .init()), outcome: "bleeding", eventLevel: nil, group: group, method: .wilson, level: 0.95)
                let got = try PushdownIncidence.compute(try counts(functions, rules: .init()), outcome: "bleeding", eventLevel: nil, group: group, method: .wilson, level: 0.95)
                XCTAssertEqual(IncidenceJSON.render(got), IncidenceJSON.render(expected), "by \(group), \(direct.count) sites")
            }
            let variables = ["sex", "disease", "icans_high"]
            let expected = try PushdownDescribe.describe(try counts(direct, rules: .init()), variables: variables, by: "centre", tests: .automatic, standardizedDifferences: { _ in true })
            let got = try PushdownDescribe.describe(try counts(functions, rules: .init()), variables: variables, by: "centre", tests: .automatic, standardizedDifferences: { _ in true })
            XCTAssertEqual(DescriptionJSON.render(got).replacingOccurrences(of: got.source, with: "DATA"),
                           DescriptionJSON.render(expected).replacingOccurrences(of: expected.source, with: "DATA"), "\(direct.count) sites")
            XCTAssertEqual(got.rowCount, expected.rowCount)
        }
        // bleeding x disease holds 4 rows (MCL with bleeding): refused whole at the site, no count returned.
        XCTAssertThrowsError(try PushdownIncidence.compute(try counts(viaRole(["cohort"])), outcome: "bleeding", eventLevel: nil, group: "disease", method: .wilson, level: 0.95)) {
            XCTAssertTrue(String(describing: $0).contains("combinations of bleeding x disease hold 1 to 4 rows (cell minimum 5)"), "\($0)")
        }
        // A measurement: refused by the coordinator from the codebook's type, before any request.
        XCTAssertThrowsError(try PushdownDescribe.describe(try counts(viaRole(["cohort"])), variables: ["age"], by: nil, tests: nil, standardizedDifferences: { _ in false })) {
            XCTAssertTrue(String(describing: $0).contains("'age' is a measurement, and the site serves counts of categories only"), "\($0)")
        }
        // Without a codebook a number column is asked for as categories: its counts fall under the floor at the site.
        let noCodebook = try PushdownCounts(sites: [try PostgresURL(viaRole(["cohort"])[0])], sql: nil, codebook: nil, options: CSVOptions(), rules: nil)
        XCTAssertThrowsError(try PushdownDescribe.describe(noCodebook, variables: ["ldh"], by: nil, tests: nil, standardizedDifferences: { _ in false })) {
            XCTAssertTrue(String(describing: $0).contains("of the combinations of ldh hold 1 to 4 rows (cell minimum 5)"), "\($0)")
        }
        // A cell floor fixed at install: 3 accepts bleeding x disease (4 rows), and --suppress-below's K is the default floor.
        try SiteFunctions.install(url: try PostgresURL("\(base)/cohort"), table: "cohort", role: "cohort_analyst", rules: .init(), cellMinimum: 3, password: nil)
        XCTAssertNoThrow(try PushdownIncidence.compute(try counts(viaRole(["cohort"])), outcome: "bleeding", eventLevel: nil, group: "disease", method: .wilson, level: 0.95))
        try SiteFunctions.install(url: try PostgresURL("\(base)/cohort"), table: "cohort", role: "cohort_analyst", rules: .init(suppressBelow: 12), password: nil)
        XCTAssertThrowsError(try PushdownIncidence.compute(try counts(viaRole(["cohort"])), outcome: "bleeding", eventLevel: nil, group: "centre", method: .wilson, level: 0.95)) {
            XCTAssertTrue(String(describing: $0).contains("(cell minimum 12)"), "\($0)")
        }
        // A site installed by an older cohort (no "T_counts"): the error says to install again.
        let owner = try PostgresClient(try PostgresURL("\(base)/cohort"))
        _ = try owner.rows("DROP FUNCTION cohort_site.cohort_counts(text[])")
        owner.close()
        XCTAssertThrowsError(try PushdownIncidence.compute(try counts(viaRole(["cohort"])), outcome: "bleeding", eventLevel: nil, group: nil, method: .wilson, level: 0.95)) {
            XCTAssertTrue(String(describing: $0).contains("the site should run `cohort site install` again"), "\($0)")
        }
        try SiteFunctions.install(url: try PostgresURL("\(base)/cohort"), table: "cohort", role: "cohort_analyst", rules: .init(), password: nil)
    }

    /// What crosses the wire depends on the distinct values, not on the rows: 360 and 200,000 rows.
    func testBytesReceivedDoNotGrowWithRows() throws {
        try assertBytesDoNotGrowWithRows(what: " (incidence by disease)") { url in
            let counts = try PushdownCounts(sites: [url], sql: nil, codebook: nil, options: CSVOptions(), rules: nil)
            let result = try PushdownIncidence.compute(counts, outcome: "bleeding", eventLevel: nil, group: "disease", method: .clopperPearson, level: 0.95)
            return (rows: result.rows.reduce(0) { $0 + $1.estimate.n }, bytes: counts.bytesReceived, queries: counts.queries, repeated: 0, note: "")
        }
        // Measurements: sums and at most eight order statistics a group, and a probe of seven values.
        try assertBytesDoNotGrowWithRows(what: " (describe age, ldh, sex, disease by sex)", tolerance: 64) { url in
            let counts = try PushdownCounts(sites: [url], sql: nil, codebook: nil, options: CSVOptions(), rules: nil)
            let description = try PushdownDescribe.describe(counts, variables: ["age", "ldh", "sex", "disease"], by: "sex", tests: nil, standardizedDifferences: { _ in true })
            return (rows: description.rowCount, bytes: counts.bytesReceived, queries: counts.queries, repeated: 0, note: "")
        }
    }
}

import CohortData
import CohortStats
import CohortTestSupport
import Foundation
import XCTest
@testable import CohortDatabase

/// Logistic regression inside a real PostgreSQL server (scripts/test starts it; issue 17): the
/// in-database fit against the local fit of the same rows read from CSV (itself checked against R
/// glm in LogisticReferenceTests), the pooled fit over three site databases against the single
/// table, the bytes received, and the disclosure rules.
final class PushdownLogitTests: XCTestCase {
    let covariates = ["age", "ldh", "sex", "disease", "icans_high"]
    let factors = ["sex": "F", "disease": "LBCL"]

    func server() throws -> String {
        guard let base = try PostgresTestServer.baseURL() else { throw XCTSkip(PostgresTestServer.skipMessage) }
        return base
    }

    func spec() -> PushdownLogit.Specification {
        PushdownLogit.Specification(outcome: "bleeding", covariates: covariates, referenceLevels: factors)
    }

    func codebook() throws -> Codebook { try CodebookFile.read(path: PostgresTestServer.codebook) }

    /// The local fit of cohort.csv: the reference.
    func localFit() throws -> LogisticFit {
        let table = try CohortLoader.loadForAnalysis(path: PostgresTestServer.csv, codebook: try codebook()).table
        let model = try LogisticModel(table: table, outcome: "bleeding", covariates: covariates, referenceLevels: factors)
        return try fit(model)
    }

    func assertClose(_ a: [Double], _ b: [Double], _ tolerance: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        for (x, y) in zip(a, b) {
            XCTAssertLessThanOrEqual(abs(x - y), tolerance * max(abs(y), 1e-300), "\(what): \(x) vs \(y)", file: file, line: line)
        }
    }

    func testSingleTableMatchesTheLocalFit() throws {
        let base = try server()
        let local = try localFit()
        let result = try PushdownLogit(spec(), codebook: try codebook()).fit(sites: [try PostgresURL(PostgresTestServer.url(base, "cohort", table: "cohort"))])
        XCTAssertEqual(result.terms, local.coefficientNames)
        XCTAssertEqual(result.fit.sums.rows, local.nObservations)
        XCTAssertEqual(result.fit.sums.events, local.nEvents)
        XCTAssertEqual(result.sites[0].dropped, local.nDropped)
        assertClose(result.fit.coefficients, local.coefficients, 1e-10, "estimates")
        assertClose(result.fit.standardErrors, local.standardErrors, 1e-10, "standard errors")
        assertClose([result.fit.sums.deviance], [local.deviance], 1e-10, "deviance")
    }

    /// Against R glm on the same rows (Tests/References/postgres_references.R).
    func testSingleTableMatchesRGlm() throws {
        let base = try server()
        let lines = try String(contentsOfFile: Fixtures.path("postgres/glm_reference.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        var estimate: [String: Double] = [:], stdError: [String: Double] = [:]
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            estimate[fields[0]] = Double(fields[1])
            if let se = Double(fields[2]) { stdError[fields[0]] = se }
        }
        let result = try PushdownLogit(spec(), codebook: try codebook()).fit(sites: [try PostgresURL(PostgresTestServer.url(base, "cohort", table: "cohort"))])
        XCTAssertEqual(Double(result.fit.sums.rows), estimate["n"])
        assertClose(result.fit.coefficients, result.terms.map { estimate[$0] ?? .nan }, 1e-9, "estimates vs R")
        assertClose(result.fit.standardErrors, result.terms.map { stdError[$0] ?? .nan }, 1e-9, "standard errors vs R")
        assertClose([result.fit.sums.deviance], [estimate["deviance"]!], 1e-10, "deviance vs R")
    }

    func testSitesPoolToTheSingleTableFit() throws {
        let base = try server()
        let single = try PushdownLogit(spec()).fit(sites: [try PostgresURL(PostgresTestServer.url(base, "cohort", table: "cohort"))])
        let sites = try ["site_a", "site_b", "site_c"].map { try PostgresURL(PostgresTestServer.url(base, $0, table: "cohort")) }
        let pooled = try PushdownLogit(spec()).fit(sites: sites)
        XCTAssertEqual(pooled.terms, single.terms)
        XCTAssertEqual(pooled.sites.map(\.rows).reduce(0, +), single.fit.sums.rows)
        XCTAssertEqual(pooled.sites.count, 3)
        assertClose(pooled.fit.coefficients, single.fit.coefficients, 1e-10, "pooled estimates")
        assertClose(pooled.fit.standardErrors, single.fit.standardErrors, 1e-10, "pooled standard errors")
        assertClose([pooled.fit.sums.deviance], [single.fit.sums.deviance], 1e-10, "pooled deviance")
        // Run to run the same bits: sums in scan order, combined in site order.
        let again = try PushdownLogit(spec()).fit(sites: sites)
        XCTAssertEqual(again.fit.coefficients, pooled.fit.coefficients)
    }

    /// What crosses the wire per iteration depends on the model, not on the rows: 360 rows and
    /// 200,000 rows, the same bytes a query.
    func testBytesReceivedDoNotGrowWithRows() throws {
        let base = try server()
        let small = try PushdownLogit(spec()).fit(sites: [try PostgresURL(PostgresTestServer.url(base, "cohort", table: "cohort"))])
        let large = try PushdownLogit(spec()).fit(sites: [try PostgresURL(PostgresTestServer.url(base, "cohort", table: "big"))])
        XCTAssertEqual(large.fit.sums.rows, 200_000)
        XCTAssertGreaterThan(small.bytesPerIteration, 0)
        XCTAssertEqual(small.bytesPerIteration, large.bytesPerIteration)
        // The whole conversation less the iterations' queries (setup, catalogue, levels, counts): the
        // same but for the type names the catalogue returns (`big` has bigint where `cohort` has integer).
        let overheadSmall = small.bytesReceived - small.evaluations * small.bytesPerIteration
        let overheadLarge = large.bytesReceived - large.evaluations * large.bytesPerIteration
        XCTAssertLessThanOrEqual(abs(overheadLarge - overheadSmall), 16, "received \(small.bytesReceived) and \(large.bytesReceived) bytes")
        print("bytes received: \(small.fit.sums.rows) rows: \(small.bytesReceived) in \(small.queries) queries (\(small.bytesPerIteration) an iteration); "
              + "\(large.fit.sums.rows) rows: \(large.bytesReceived) in \(large.queries) queries (\(large.bytesPerIteration) an iteration)")
    }

    func testDisclosureRules() throws {
        let base = try server()
        let tiny = try PostgresURL(PostgresTestServer.url(base, "cohort", table: "tiny"))
        XCTAssertThrowsError(try PushdownLogit(spec()).fit(sites: [tiny])) { error in
            XCTAssertTrue(String(describing: error).contains("fewer than 10 complete rows"), "\(error)")
        }
        let siteC = try PostgresURL(PostgresTestServer.url(base, "site_c", table: "cohort"))
        // 7 parameters on 90 rows: accepted at 0.33, refused at 0.05.
        XCTAssertNoThrow(try PushdownLogit(spec()).fit(sites: [siteC]))
        XCTAssertThrowsError(try PushdownLogit(spec(), rules: .init(maximumParameterFraction: 0.05)).fit(sites: [siteC])) { error in
            XCTAssertTrue(String(describing: error).contains("parameters exceed 0.05"), "\(error)")
        }
        XCTAssertThrowsError(try PushdownLogit(spec(), rules: .init(suppressBelow: 5)).fit(sites: [siteC])) { error in
            XCTAssertTrue(String(describing: error).contains("(--suppress-below 5)"), "\(error)")
        }
    }

    /// The DATA path: the table read through the codebook equals the CSV read through it.
    func testTableReadsAsTheCSV() throws {
        let base = try server()
        let codebook = try codebook()
        let fromDatabase = try PostgresSource.load(url: try PostgresURL(PostgresTestServer.url(base, "cohort", table: "cohort")), codebook: codebook,
                                                   options: CSVOptions(), filter: nil)
        let fromFile = try CohortLoader.loadForAnalysis(path: PostgresTestServer.csv, codebook: codebook)
        XCTAssertTrue(fromDatabase.report.isValid)
        XCTAssertEqual(fromDatabase.table.columns.map(\.name), fromFile.table.columns.map(\.name))
        XCTAssertEqual(fromDatabase.table.rowCount, 360)
        XCTAssertEqual(AnalysisReadyCSV.render(fromDatabase), AnalysisReadyCSV.render(fromFile))
    }

    func testColumnTypeContradictingTheCodebookIsNamed() throws {
        let base = try server()
        XCTAssertThrowsError(try PostgresSource.load(url: try PostgresURL(PostgresTestServer.url(base, "cohort", table: "cohort_age_text")),
                                                     codebook: try codebook(), options: CSVOptions(), filter: nil)) { error in
            XCTAssertTrue(String(describing: error).contains("column 'age' is text in the database, but the codebook declares it integer"), "\(error)")
        }
    }
}

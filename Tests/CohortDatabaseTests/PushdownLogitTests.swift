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

    /// The fit groups the rows into covariate patterns in a temporary table; a user who may not
    /// create one gets the per-row sums on the table itself, and the same fit to rounding.
    func testWithoutTemporaryTablesTheRowsAreSummedDirectly() throws {
        let base = try server()
        let table = PostgresTestServer.url(base, "cohort", table: "cohort")
        let admin = try PostgresClient(try PostgresURL(table))
        defer { admin.close() }
        let role = "cohort_notemp_\(ProcessInfo.processInfo.processIdentifier)"
        _ = try admin.rows("CREATE ROLE \(role) LOGIN")
        _ = try admin.rows("GRANT SELECT ON cohort TO \(role)")
        _ = try admin.rows("REVOKE TEMPORARY ON DATABASE cohort FROM PUBLIC")
        defer {
            _ = try? admin.rows("GRANT TEMPORARY ON DATABASE cohort TO PUBLIC")
            _ = try? admin.rows("REVOKE SELECT ON cohort FROM \(role)")
            _ = try? admin.rows("DROP ROLE \(role)")
        }
        let grouped = try PushdownLogit(spec(), codebook: try codebook()).fit(sites: [try PostgresURL(table)])
        let direct = try PushdownLogit(spec(), codebook: try codebook()).fit(sites: [try PostgresURL(PostgresTestServer.url(base, user: role, "cohort", table: "cohort"))])
        // The same iterations, over patterns and over rows.
        XCTAssertEqual(grouped.evaluations, direct.evaluations)
        let patterns = try XCTUnwrap(grouped.patterns[0])
        XCTAssertGreaterThan(patterns, 1)
        XCTAssertLessThanOrEqual(patterns, grouped.fit.sums.rows)
        XCTAssertEqual(direct.patterns, [nil])
        XCTAssertEqual(grouped.fit.sums.rows, direct.fit.sums.rows)
        XCTAssertEqual(grouped.fit.sums.events, direct.fit.sums.events)
        assertClose(grouped.fit.coefficients, direct.fit.coefficients, 1e-12, "estimates")
        assertClose(grouped.fit.standardErrors, direct.fit.standardErrors, 1e-12, "standard errors")
        assertClose([grouped.fit.sums.deviance], [direct.fit.sums.deviance], 1e-12, "deviance")
        let local = try localFit()
        assertClose(direct.fit.coefficients, local.coefficients, 1e-10, "per-row estimates against the local fit")
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
        let (small, large) = try assertBytesDoNotGrowWithRows(spec(), what: "")
        XCTAssertEqual(large.fit.sums.rows, 200_000)
        XCTAssertGreaterThan(small.bytesPerIteration, 0)
    }

    /// Fits `spec` on the 360-row table and the 200,000-row one and checks that the bytes an
    /// iteration are equal and the rest of the conversation (setup, catalogue, levels, counts) is
    /// the same but for the type names the catalogue returns (`big` has bigint where `cohort` has
    /// integer): at most 16 bytes apart.
    @discardableResult
    private func assertBytesDoNotGrowWithRows(_ spec: PushdownLogit.Specification, what: String,
                                              file: StaticString = #filePath, line: UInt = #line) throws -> (PushdownLogit.Result, PushdownLogit.Result) {
        var results: [PushdownLogit.Result] = []
        try assertBytesDoNotGrowWithRows(what: what, file: file, line: line) { url in
            let result = try PushdownLogit(spec).fit(sites: [url])
            results.append(result)
            return (rows: result.fit.sums.rows, bytes: result.bytesReceived, queries: result.queries,
                    repeated: result.evaluations * result.bytesPerIteration, note: " (\(result.bytesPerIteration) an iteration)")
        }
        XCTAssertEqual(results[0].bytesPerIteration, results[1].bytesPerIteration, file: file, line: line)
        return (results[0], results[1])
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

    // MARK: Likelihood-ratio tests and profile intervals in the database (issue 17)

    /// The local analysis of cohort.csv with its default inference (LR tests, profile intervals): the
    /// reference. Its LR statistics and profile limits are checked against R (glm, drop1, exact
    /// uniroot profiles) in LogisticReferenceTests, so this comparison closes the chain to R.
    func localAnalysis(level: Double = 0.95) throws -> LogisticAnalysis {
        let table = try CohortLoader.loadForAnalysis(path: PostgresTestServer.csv, codebook: try codebook()).table
        let model = try LogisticModel(table: table, outcome: "bleeding", covariates: covariates, referenceLevels: factors)
        return try LogisticAnalysis.run(model, options: .maximumLikelihood, level: level)
    }

    func inferenceSpec(level: Double = 0.95) -> PushdownLogit.Specification {
        var spec = spec()
        spec.likelihoodRatioTests = true
        spec.profileIntervals = true
        spec.level = level
        return spec
    }

    /// Compares tests and intervals. Tolerances: LR χ² and P 1e-8 relative (both fits' restricted
    /// maxima are within a Newton decrement of 1e-10, the deviance within ~1e-20; what is left is
    /// the rounding of sums over 360 rows in another order); profile limits 1e-8 relative with an
    /// absolute floor of 1e-9 standard errors: both searches stop at |r − z| < 1e-9, and r has slope
    /// about 1/SE, so two correct limits may differ by up to ~1e-9 SE.
    func assertInferenceMatches(_ result: PushdownLogit.Result, _ local: LogisticAnalysis, file: StaticString = #filePath, line: UInt = #line) -> (Double, Double) {
        var worstTest = 0.0, worstLimit = 0.0
        XCTAssertEqual(result.terms, local.fit.coefficientNames, file: file, line: line)
        for j in result.terms.indices {
            let got = result.inference.coefficientTests[j], expected = local.coefficientTests[j]
            XCTAssertEqual(got?.converged, true, file: file, line: line)
            XCTAssertEqual(got?.df, expected?.df, file: file, line: line)
            XCTAssertEqual(got?.comparison, expected?.comparison, file: file, line: line)
            if let got, let expected {
                worstTest = max(worstTest, abs(got.chiSquare - expected.chiSquare) / expected.chiSquare)
                assertClose([got.chiSquare, got.p], [expected.chiSquare, expected.p], 1e-8, "LR test of \(result.terms[j])", file: file, line: line)
            }
            let se = local.fit.standardErrors[j]
            guard let interval = result.inference.intervals[j], let reference = local.intervals[j] else {
                XCTFail("no profile interval for \(result.terms[j])", file: file, line: line); continue
            }
            XCTAssertEqual(interval.method, .profile, file: file, line: line)
            for (a, b) in [(interval.lower, reference.lower), (interval.upper, reference.upper)] {
                worstLimit = max(worstLimit, abs(a - b) / se)
                XCTAssertLessThanOrEqual(abs(a - b), max(1e-8 * abs(b), 1e-9 * se), "profile limit of \(result.terms[j]): \(a) vs \(b)", file: file, line: line)
            }
        }
        XCTAssertEqual(result.inference.termTests.map(\.name), local.termTests.map(\.name), file: file, line: line)
        for (got, expected) in zip(result.inference.termTests, local.termTests) {
            XCTAssertEqual(got.df, expected.df, file: file, line: line)
            XCTAssertEqual(got.restrictedColumns, expected.restrictedColumns, file: file, line: line)
            assertClose([got.chiSquare, got.p], [expected.chiSquare, expected.p], 1e-8, "LR test of \(got.name)", file: file, line: line)
        }
        return (worstTest, worstLimit)
    }

    func testIssue17_likelihoodRatioTestsAndProfilesMatchTheLocalAnalysis() throws {
        let base = try server()
        let local = try localAnalysis()
        let result = try PushdownLogit(inferenceSpec(), codebook: try codebook()).fit(sites: [try PostgresURL(PostgresTestServer.url(base, "cohort", table: "cohort"))])
        let (test, limit) = assertInferenceMatches(result, local)
        print("single table: LR chi-square within \(test) relative, profile limits within \(limit) SE of the local analysis; \(result.evaluations) aggregate queries")
        // The Wald fit is unchanged by asking for the inference.
        assertClose(result.fit.coefficients, local.fit.coefficients, 1e-10, "estimates")
        // A 90% level goes through to the limits.
        let ninety = try PushdownLogit(inferenceSpec(level: 0.9), codebook: try codebook()).fit(sites: [try PostgresURL(PostgresTestServer.url(base, "cohort", table: "cohort"))])
        _ = assertInferenceMatches(ninety, try localAnalysis(level: 0.9))
    }

    func testIssue17_pooledLikelihoodRatioTestsAndProfilesMatchTheLocalAnalysis() throws {
        let base = try server()
        let sites = try ["site_a", "site_b", "site_c"].map { try PostgresURL(PostgresTestServer.url(base, $0, table: "cohort")) }
        let pooled = try PushdownLogit(inferenceSpec(), codebook: try codebook()).fit(sites: sites)
        let (test, limit) = assertInferenceMatches(pooled, try localAnalysis())
        print("3 sites: LR chi-square within \(test) relative, profile limits within \(limit) SE of the local analysis; \(pooled.evaluations) aggregate queries a site")
    }

    /// The tests and profiles add queries, not rows: the same bytes an iteration, and the same
    /// conversation in all, for 360 and 200,000 rows.
    func testIssue17_inferenceBytesDoNotGrowWithRows() throws {
        var spec = inferenceSpec()
        spec.covariates = ["age", "sex"]
        spec.referenceLevels = ["sex": "F"]
        try assertBytesDoNotGrowWithRows(spec, what: " with LR tests and profiles")
    }
}

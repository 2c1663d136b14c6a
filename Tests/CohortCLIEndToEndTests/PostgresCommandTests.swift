import CohortTestSupport
import Foundation
import XCTest

/// PostgreSQL as DATA and as the engine, as a user runs it against the real server scripts/test
/// starts (issue 17): the same JSON as the CSV, the fit in the database equal to the local one, the
/// pooled fit over sites, and one clear line, a non-zero exit and nothing on standard output for
/// each failure and refusal.
final class PostgresCommandTests: XCTestCase {
    let model = ["--outcome", "bleeding", "--covariates", "age,ldh,sex,disease,icans_high", "--factor", "sex=F", "--factor", "disease=LBCL"]

    func server() throws -> String {
        guard let base = try PostgresTestServer.baseURL() else { throw XCTSkip(PostgresTestServer.skipMessage) }
        return base
    }

    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func coefficients(_ object: [String: Any], _ key: String) throws -> [String: Double] {
        let rows = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["term"] as! String, $0[key] as! Double) })
    }

    /// A failure: its exit code, its one message on standard error, nothing on standard output.
    func assertRefused(_ arguments: [String], mentions expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try CohortCommand.run(arguments)
        XCTAssertNotEqual(result.exitCode, 0, result.stderr, file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        XCTAssertTrue(result.stderr.contains(expected), "stderr: \(result.stderr)", file: file, line: line)
    }

    /// `describe --pull` and `logit --pull` (the rows read) print exactly what they print for the
    /// CSV; without --pull, describe runs inside the database (testIssue17_describeAndIncidence...).
    func testTableAsDataGivesTheCSVsJSON() throws {
        let base = try server()
        let url = PostgresTestServer.url(base, "cohort", table: "cohort")
        for (command, arguments) in [("describe", [String]()), ("logit", model + ["--ci", "wald"])] {
            let common = arguments + ["--codebook", PostgresTestServer.codebook, "--format", "json"]
            let fromFile = try CohortCommand.run([command, PostgresTestServer.csv] + common)
            // Both read the rows with --pull (without it, they compute inside the database).
            let fromDatabase = try CohortCommand.run([command, url, "--pull"] + common)
            XCTAssertEqual(fromFile.exitCode, 0, fromFile.stderr)
            XCTAssertEqual(fromDatabase.exitCode, 0, fromDatabase.stderr)
            XCTAssertEqual(fromDatabase.stdout.replacingOccurrences(of: url, with: "DATA"),
                           fromFile.stdout.replacingOccurrences(of: PostgresTestServer.csv, with: "DATA"), command)
        }
        // A query instead of a table.
        let query = try CohortCommand.run(["describe", "\(base)/cohort", "--sql", "SELECT age, ldh FROM cohort WHERE centre = 'A'", "--format", "json"])
        XCTAssertEqual(query.exitCode, 0, query.stderr)
        XCTAssertTrue(query.stdout.contains("\"age\""), query.stdout)
    }

    /// Issue 17: `describe` and `incidence` on a URL run inside the database (GROUP BY counts, a
    /// measurement's sums and order statistics) and print exactly what they print for the CSV, in
    /// JSON and as text, with and without suppression; three sites' counts pool to the single
    /// table's; what needs the rows is refused with the reason.
    func testIssue17_describeAndIncidenceInTheDatabasePrintTheCSVsOutput() throws {
        let base = try server()
        let url = PostgresTestServer.url(base, "cohort", table: "cohort")
        let codebook = ["--codebook", PostgresTestServer.codebook]
        let runs: [[String]] = [
            ["incidence", "--outcome", "bleeding", "--by", "disease", "--format", "json"],
            ["incidence", "--outcome", "bleeding", "--by", "centre", "--method", "wilson"],
            ["incidence", "--outcome", "bleeding", "--by", "disease", "--suppress-below", "10", "--format", "json"],
            ["describe", "--by", "disease", "--no-tests", "--format", "json"],
            ["describe", "--by", "disease", "--no-tests"],
            ["describe", "--layout", "full", "--format", "json"],
            ["describe", "--variables", "sex,icans_high,bleeding", "--by", "disease", "--suppress-below", "5", "--format", "json"],
            ["describe", "--variables", "sex,icans_high,centre", "--by", "bleeding", "--format", "md"],
        ]
        for arguments in runs {
            let command = arguments[0], rest = Array(arguments.dropFirst()) + codebook
            let fromFile = try CohortCommand.run([command, PostgresTestServer.csv] + rest)
            let inDatabase = try CohortCommand.run([command, url] + rest)
            XCTAssertEqual(fromFile.exitCode, 0, fromFile.stderr)
            XCTAssertEqual(inDatabase.exitCode, 0, inDatabase.stderr)
            XCTAssertTrue(inDatabase.stderr.contains("computed in PostgreSQL: received"), inDatabase.stderr)
            XCTAssertEqual(inDatabase.stdout.replacingOccurrences(of: url, with: "DATA"),
                           fromFile.stdout.replacingOccurrences(of: PostgresTestServer.csv, with: "DATA"), arguments.joined(separator: " "))
        }
        // Three sites: the counts added give the single table's output.
        let sites = ["site_a", "site_b", "site_c"].flatMap { ["--site", PostgresTestServer.url(base, $0, table: "cohort")] }
        for arguments in [["incidence", "--outcome", "bleeding", "--by", "disease", "--format", "json"],
                          ["describe", "--variables", "sex,disease,icans_high", "--by", "bleeding", "--format", "json"]] {
            let command = arguments[0], rest = Array(arguments.dropFirst()) + codebook
            let one = try CohortCommand.run([command, url] + rest)
            let pooled = try CohortCommand.run([command] + sites + rest)
            XCTAssertEqual(pooled.exitCode, 0, pooled.stderr)
            XCTAssertTrue(pooled.stderr.contains("from 3 sites"), pooled.stderr)
            let source = "\"source\" : \""
            func withoutSource(_ text: String) -> String {
                text.split(separator: "\n").filter { !$0.contains(source) && !$0.contains("\"source\":") }.joined(separator: "\n")
            }
            XCTAssertEqual(withoutSource(pooled.stdout), withoutSource(one.stdout), command)
        }
        try assertRefused(["describe"] + sites + codebook + ["--variables", "age,sex"], mentions: "'age' is a measurement, whose median and quartiles do not add over sites")
        try assertRefused(["describe", url] + codebook + ["--variables", "age", "--by", "sex"], mentions: "needs its values; give --no-tests, or read the rows with --pull")
        try assertRefused(["incidence", url, "--outcome", "bleeding", "--where", "age > 50"], mentions: "does not apply --where")
        try assertRefused(["incidence", "--site", PostgresTestServer.url(base, "cohort", table: "tiny"), "--outcome", "bleeding"], mentions: "fewer than 10 rows")
        try assertRefused(["incidence", "--site", PostgresTestServer.url(base, "site_c", table: "cohort"), "--outcome", "bleeding", "--by", "disease", "--suppress-below", "5"],
                          mentions: "holds fewer than 5 rows (--suppress-below 5)")
        // --pull reads the rows: every option works again.
        let pulled = try CohortCommand.run(["describe", url, "--pull"] + codebook + ["--variables", "age", "--by", "sex", "--format", "json"])
        XCTAssertEqual(pulled.exitCode, 0, pulled.stderr)
    }

    /// In the database, single table and three sites: the local fit of the CSV to 1e-10 relative.
    func testFitInTheDatabaseAndPooledOverSites() throws {
        let base = try server()
        let local = try CohortCommand.run(["logit", PostgresTestServer.csv, "--codebook", PostgresTestServer.codebook] + model
                                          + ["--ci", "wald", "--no-lr", "--format", "json"])
        XCTAssertEqual(local.exitCode, 0, local.stderr)
        let single = try CohortCommand.run(["logit", PostgresTestServer.url(base, "cohort", table: "cohort")] + model + ["--ci", "wald", "--no-lr", "--format", "json"])
        XCTAssertEqual(single.exitCode, 0, single.stderr)
        let sites = ["site_a", "site_b", "site_c"].flatMap { ["--site", PostgresTestServer.url(base, $0, table: "cohort")] }
        let pooled = try CohortCommand.run(["logit"] + sites + model + ["--ci", "wald", "--no-lr", "--format", "json"])
        XCTAssertEqual(pooled.exitCode, 0, pooled.stderr)
        XCTAssertTrue(pooled.stderr.contains("bytes from 3 sites"), pooled.stderr)
        let reference = try json(local.stdout)
        for output in [single.stdout, pooled.stdout] {
            let object = try json(output)
            XCTAssertEqual(object["n"] as? Int, reference["n"] as? Int)
            XCTAssertEqual(object["events"] as? Int, reference["events"] as? Int)
            XCTAssertEqual(object["nDropped"] as? Int, reference["nDropped"] as? Int)
            for key in ["estimate", "stdError", "p", "orLower", "orUpper"] {
                let expected = try coefficients(reference, key), got = try coefficients(object, key)
                XCTAssertEqual(Set(got.keys), Set(expected.keys))
                for (term, value) in expected {
                    XCTAssertEqual(got[term]!, value, accuracy: 1e-10 * abs(value), "\(key) of \(term)")
                }
            }
        }
        // The table: the same printed numbers as the local Wald fit's.
        let text = try CohortCommand.run(["logit"] + sites + model + ["--ci", "wald", "--no-lr"])
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("disease[B-ALL]") && text.stdout.contains("site 3 (postgresql://"), text.stdout)
    }

    /// Issue 17, must show 3: the multi-centre example (Datasets/multicentre, SYNTHETIC) with each
    /// centre's rows in its own database (mc_a ... mc_g, loaded by scripts/postgres): the pooled fit
    /// over the seven sites equals the local fit of the CSV, and the study report's `logit-pooled`, to
    /// 1e-10 relative.
    func testIssue17_multicentreCentresInTheirOwnDatabasesPoolToTheCSVFit() throws {
        let base = try server()
        let folder = Fixtures.repositoryRoot + "/Datasets/multicentre"
        let model = ["--outcome", "bleeding", "--covariates", "age,plt_baseline,icans_grade,prophylaxis,fibrinogen_replaced", "--ci", "wald", "--no-lr",
                     "--format", "json"]
        let local = try CohortCommand.run(["logit", folder + "/cohort.csv", "--codebook", folder + "/codebook.yaml"] + model)
        XCTAssertEqual(local.exitCode, 0, local.stderr)
        let sites = ["a", "b", "c", "d", "e", "f", "g"].flatMap { ["--site", PostgresTestServer.url(base, "mc_" + $0, table: "cohort")] }
        let pooled = try CohortCommand.run(["logit"] + sites + model)
        XCTAssertEqual(pooled.exitCode, 0, pooled.stderr)
        XCTAssertTrue(pooled.stderr.contains("bytes from 7 sites"), pooled.stderr)
        let single = try CohortCommand.run(["logit", PostgresTestServer.url(base, "cohort", table: "multicentre")] + model)
        XCTAssertEqual(single.exitCode, 0, single.stderr)
        let reference = try json(local.stdout)
        XCTAssertEqual(reference["n"] as? Int, 860)
        for output in [pooled.stdout, single.stdout] {
            let object = try json(output)
            XCTAssertEqual(object["n"] as? Int, 860)
            XCTAssertEqual(object["events"] as? Int, reference["events"] as? Int)
            for key in ["estimate", "stdError", "p"] {
                let expected = try coefficients(reference, key), got = try coefficients(object, key)
                XCTAssertEqual(Set(got.keys), Set(expected.keys))
                for (term, value) in expected { XCTAssertEqual(got[term]!, value, accuracy: 1e-10 * abs(value), "\(key) of \(term)") }
            }
        }
    }

    func testBadInputAndRefusals() throws {
        let base = try server()
        let hostPort = base.components(separatedBy: "@").last!
        let wald = ["--ci", "wald", "--no-lr"]
        try assertRefused(["describe", "postgresql://cohort@127.0.0.1:1/cohort?table=cohort"], mentions: "cannot connect to the PostgreSQL server")
        try assertRefused(["describe", "postgresql://cohort_password:wrong@\(hostPort)/cohort?table=cohort"], mentions: "refused the login of user 'cohort_password'")
        try assertRefused(["describe", PostgresTestServer.url(base, "cohort", table: "no_such_table")], mentions: "no table 'no_such_table'")
        try assertRefused(["describe", PostgresTestServer.url(base, "cohort", table: "cohort_age_text"), "--codebook", PostgresTestServer.codebook],
                          mentions: "column 'age' is text in the database, but the codebook declares it integer")
        try assertRefused(["logit", PostgresTestServer.url(base, "cohort", table: "cohort"), "--outcome", "bleeding", "--covariates", "nope"] + wald,
                          mentions: "no column 'nope'")
        try assertRefused(["logit", PostgresTestServer.url(base, "cohort", table: "cohort")] + model + ["--firth"], mentions: "leave out --firth")
        try assertRefused(["logit", "--site", PostgresTestServer.url(base, "cohort", table: "tiny")] + model + wald, mentions: "fewer than 10 complete rows")
        try assertRefused(["logit", "--site", PostgresTestServer.url(base, "site_c", table: "cohort")] + model + wald + ["--suppress-below", "5"],
                          mentions: "holds fewer than 5 rows")
        // Password authentication that works; a 90-row site with 7 parameters is accepted.
        let password = try CohortCommand.run(["logit", PostgresTestServer.url(base, user: "cohort_password:secret-pw", "site_c", table: "cohort")] + model + wald)
        XCTAssertEqual(password.exitCode, 0, password.stderr)
        XCTAssertTrue(password.stdout.contains("disease[MCL]"), password.stdout)
    }

    /// `cohort site install`: the pooled fit through a role that may run the aggregate functions but
    /// not read the rows equals the direct pooled fit; the site itself refuses what its rules forbid,
    /// whatever the coordinator's options.
    func testSiteInstallEnforcesTheBoundaryAtTheSite() throws {
        let base = try server()
        let analyst = base.replacingOccurrences(of: "postgresql://cohort@", with: "postgresql://cohort_analyst@")
        for database in ["site_a", "site_b", "site_c"] {
            let install = try CohortCommand.run(["site", "install", "\(base)/\(database)", "--table", "cohort"])
            XCTAssertEqual(install.exitCode, 0, install.stderr)
        }
        let install = try CohortCommand.run(["site", "install", "\(base)/cohort", "--table", "tiny"])
        XCTAssertEqual(install.exitCode, 0, install.stderr)
        let wald = ["--ci", "wald", "--no-lr", "--format", "json"]
        let direct = try CohortCommand.run(["logit"] + ["site_a", "site_b", "site_c"].flatMap { ["--site", PostgresTestServer.url(base, $0, table: "cohort")] } + model + wald)
        let viaRole = try CohortCommand.run(["logit"] + ["site_a", "site_b", "site_c"].flatMap { ["--site", "\(analyst)/\($0)?table=cohort&functions=cohort_site"] } + model + wald)
        XCTAssertEqual(direct.exitCode, 0, direct.stderr)
        XCTAssertEqual(viaRole.exitCode, 0, viaRole.stderr)
        let expected = try json(direct.stdout), got = try json(viaRole.stdout)
        XCTAssertEqual(got["n"] as? Int, expected["n"] as? Int)
        for key in ["estimate", "stdError"] {
            let a = try coefficients(expected, key), b = try coefficients(got, key)
            for (term, value) in a { XCTAssertEqual(b[term]!, value, accuracy: 1e-10 * abs(value), "\(key) of \(term)") }
        }
        // The role reads no row.
        try assertRefused(["describe", "\(analyst)/site_a?table=cohort"], mentions: "permission denied for table cohort")
        // The site's own minimum, with the coordinator's lowered to 1.
        try assertRefused(["logit", "--site", "\(analyst)/cohort?table=tiny&functions=cohort_site", "--site-min-rows", "1"] + model + wald,
                          mentions: "fewer than 10 complete rows")
        // A categorical covariate's levels (no codebook gives them) come only above the site's cell
        // floor: at 30, site A's 26 B-ALL and 28 MCL rows are too few.
        let strict = try CohortCommand.run(["site", "install", "\(base)/site_a", "--table", "cohort", "--cell-minimum", "30"])
        XCTAssertEqual(strict.exitCode, 0, strict.stderr)
        try assertRefused(["logit", "--site", "\(analyst)/site_a?table=cohort&functions=cohort_site"] + model + wald,
                          mentions: "2 of the levels of disease hold 1 to 29 rows (cell minimum 30)")
        let again = try CohortCommand.run(["site", "install", "\(base)/site_a", "--table", "cohort"])
        XCTAssertEqual(again.exitCode, 0, again.stderr)
    }

    /// Issue 17: `cohort describe` and `cohort incidence` through the site functions print what the
    /// direct pushdown prints (JSON and text, one table and three sites), byte for byte but for the
    /// source; the role still reads no row; a request with a cell under the site's floor (5 by
    /// default) and a measurement are refused: exit non-zero, nothing on standard output.
    func testIssue17_describeAndIncidenceThroughTheSiteFunctions() throws {
        let base = try server()
        let analyst = base.replacingOccurrences(of: "postgresql://cohort@", with: "postgresql://cohort_analyst@")
        for database in ["cohort", "site_a", "site_b", "site_c"] {
            let install = try CohortCommand.run(["site", "install", "\(base)/\(database)", "--table", "cohort"])
            XCTAssertEqual(install.exitCode, 0, install.stderr)
            XCTAssertTrue(install.stderr.contains("count cells of 1..4 refused"), install.stderr)
        }
        let codebook = ["--codebook", PostgresTestServer.codebook]
        let three = ["site_a", "site_b", "site_c"]
        let direct = three.flatMap { ["--site", PostgresTestServer.url(base, $0, table: "cohort")] }
        let viaRole = three.flatMap { ["--site", "\(analyst)/\($0)?table=cohort&functions=cohort_site"] }
        let runs: [[String]] = [
            ["incidence", "--outcome", "bleeding", "--by", "centre", "--format", "json"],
            ["incidence", "--outcome", "bleeding", "--by", "icans_high", "--method", "wilson"],
            ["describe", "--variables", "sex,disease,icans_high", "--by", "centre", "--format", "json"],
            ["describe", "--variables", "sex,disease,icans_high", "--by", "centre"],
        ]
        for arguments in runs {
            let command = arguments[0], rest = Array(arguments.dropFirst()) + codebook
            for (one, other) in [([PostgresTestServer.url(base, "cohort", table: "cohort")], ["\(analyst)/cohort?table=cohort&functions=cohort_site"]), (direct, viaRole)] {
                let expected = try CohortCommand.run([command] + one + rest)
                let got = try CohortCommand.run([command] + other + rest)
                XCTAssertEqual(expected.exitCode, 0, expected.stderr)
                XCTAssertEqual(got.exitCode, 0, got.stderr)
                let sources = { (urls: [String]) in urls.filter { $0 != "--site" } }
                func normalized(_ text: String, _ urls: [String]) -> String {
                    let list = sources(urls)
                    let joined = list.count == 1 ? list[0] : "\(list.count) sites: " + list.joined(separator: ", ")
                    return text.replacingOccurrences(of: joined, with: "DATA")
                }
                XCTAssertEqual(normalized(got.stdout, other), normalized(expected.stdout, one), arguments.joined(separator: " "))
            }
        }
        // The role reads no row; the floor and a measurement are refused.
        try assertRefused(["incidence", "\(analyst)/cohort?table=cohort", "--outcome", "bleeding"], mentions: "permission denied for table cohort")
        try assertRefused(["incidence", "\(analyst)/cohort?table=cohort&functions=cohort_site", "--outcome", "bleeding", "--by", "disease"] + codebook,
                          mentions: "combinations of bleeding x disease hold 1 to 4 rows (cell minimum 5)")
        try assertRefused(["describe"] + viaRole + codebook + ["--variables", "disease", "--by", "bleeding"], mentions: "hold 1 to 4 rows (cell minimum 5)")
        try assertRefused(["describe", "\(analyst)/cohort?table=cohort&functions=cohort_site"] + codebook + ["--variables", "sex,age"],
                          mentions: "'age' is a measurement, and the site serves counts of categories only")
        let refused = try CohortCommand.run(["incidence", "\(analyst)/cohort?table=cohort&functions=cohort_site", "--outcome", "bleeding", "--by", "disease"] + codebook)
        XCTAssertEqual(refused.exitCode, 77, refused.stderr)
        try assertRefused(["site", "install", "\(base)/cohort", "--table", "cohort", "--cell-minimum", "1"], mentions: "--cell-minimum must be at least 2")
    }

    /// Issue 17: `cohort logit --cluster` inside the database, on one table and over three sites (one
    /// centre each, so the clusters lie within sites): the CSV fit's cluster-robust SEs (sandwich::vcovCL,
    /// HC0 x G/(G − 1)) to 1e-10 relative, and the same `cluster` JSON; a cluster at two sites is refused.
    func testIssue17_clusterRobustStandardErrorsInTheDatabaseEqualTheCSVs() throws {
        let base = try server()
        let codebook = ["--codebook", PostgresTestServer.codebook]
        let clustered = model + ["--cluster", "centre", "--ci", "wald", "--format", "json"]
        let local = try CohortCommand.run(["logit", PostgresTestServer.csv] + codebook + clustered)
        XCTAssertEqual(local.exitCode, 0, local.stderr)
        let reference = try json(local.stdout)
        let sites = ["site_a", "site_b", "site_c"].flatMap { ["--site", PostgresTestServer.url(base, $0, table: "cohort")] }
        for source in [[PostgresTestServer.url(base, "cohort", table: "cohort")], sites] {
            let output = try CohortCommand.run(["logit"] + source + codebook + clustered)
            XCTAssertEqual(output.exitCode, 0, output.stderr)
            let object = try json(output.stdout)
            XCTAssertEqual(object["n"] as? Int, reference["n"] as? Int)
            for key in ["estimate", "stdError"] {
                let expected = try coefficients(reference, key), got = try coefficients(object, key)
                XCTAssertEqual(Set(got.keys), Set(expected.keys))
                for (term, value) in expected {
                    XCTAssertEqual(try XCTUnwrap(got[term]), value, accuracy: 1e-10 * abs(value), "\(key) of \(term), \(source.count) sources")
                }
            }
            let cluster = try XCTUnwrap(object["cluster"] as? [String: Any]), expected = try XCTUnwrap(reference["cluster"] as? [String: Any])
            XCTAssertEqual(cluster["clusters"] as? Int, 3)
            XCTAssertEqual(cluster["method"] as? String, expected["method"] as? String)
            let text = try CohortCommand.run(["logit"] + source + codebook + model + ["--cluster", "centre", "--ci", "wald"])
            XCTAssertTrue(text.stdout.contains("std. error: cluster-robust (sandwich) SEs clustered on centre (3 clusters)"), text.stdout)
        }
        try assertRefused(["logit"] + sites + codebook + ["--outcome", "bleeding", "--covariates", "age,ldh", "--cluster", "sex", "--ci", "wald"],
                          mentions: "has rows at site 1 (")
    }

    /// Issue 17: the same command on the URL, on three sites and on the CSV gives the same coefficient
    /// table with the default inference (profile intervals, LR tests), and the same coefficient and
    /// term-test JSON; the lines around the table (source, engine, model checks that need rows) differ.
    /// Numbers: LR statistics 1e-8 relative, profile limits 1e-8 relative (see PushdownLogitTests).
    func testIssue17_defaultInferenceInTheDatabaseEqualsTheCSVs() throws {
        let base = try server()
        let codebook = ["--codebook", PostgresTestServer.codebook]
        let sites = ["site_a", "site_b", "site_c"].flatMap { ["--site", PostgresTestServer.url(base, $0, table: "cohort")] }
        let sources = [[PostgresTestServer.url(base, "cohort", table: "cohort")], sites]
        let localJSON = try CohortCommand.run(["logit", PostgresTestServer.csv] + codebook + model + ["--format", "json"])
        let localText = try CohortCommand.run(["logit", PostgresTestServer.csv] + codebook + model)
        XCTAssertEqual(localJSON.exitCode, 0, localJSON.stderr)
        let reference = try json(localJSON.stdout)
        for source in sources {
            let output = try CohortCommand.run(["logit"] + source + codebook + model + ["--format", "json"])
            XCTAssertEqual(output.exitCode, 0, output.stderr)
            let object = try json(output.stdout)
            let expectedRows = try XCTUnwrap(reference["coefficients"] as? [[String: Any]])
            let rows = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
            XCTAssertEqual(rows.count, expectedRows.count)
            for (row, expected) in zip(rows, expectedRows) {
                for key in ["term", "ciMethod", "lrComparison"] { XCTAssertEqual(row[key] as? String, expected[key] as? String, key) }
                for key in ["estimate", "stdError", "z", "p", "ciLower", "ciUpper", "oddsRatio", "orLower", "orUpper", "lrChiSquare", "lrP"] {
                    guard let value = expected[key] as? Double else { XCTAssertTrue(row[key] is NSNull, "\(key) of \(row["term"]!)"); continue }
                    XCTAssertEqual(try XCTUnwrap(row[key] as? Double, key), value, accuracy: 1e-8 * abs(value), "\(key) of \(row["term"]!)")
                }
            }
            let expectedTests = try XCTUnwrap(reference["termTests"] as? [[String: Any]])
            let tests = try XCTUnwrap(object["termTests"] as? [[String: Any]])
            XCTAssertEqual(tests.map { $0["term"] as? String }, expectedTests.map { $0["term"] as? String })
            for (test, expected) in zip(tests, expectedTests) {
                XCTAssertEqual(test["df"] as? Int, expected["df"] as? Int)
                XCTAssertEqual(test["comparison"] as? String, expected["comparison"] as? String)
                XCTAssertEqual(test["restrictedColumns"] as? [String], expected["restrictedColumns"] as? [String])
                for key in ["chiSquare", "p"] {
                    let value = try XCTUnwrap(expected[key] as? Double)
                    XCTAssertEqual(try XCTUnwrap(test[key] as? Double), value, accuracy: 1e-8 * value, "\(key) of \(test["term"]!)")
                }
            }
            // The text: the coefficient table's rows and the notes on its columns and tests, line for line.
            let text = try CohortCommand.run(["logit"] + source + codebook + model)
            XCTAssertEqual(text.exitCode, 0, text.stderr)
            XCTAssertEqual(Self.coefficientLines(text.stdout), Self.coefficientLines(localText.stdout))
            XCTAssertFalse(Self.coefficientLines(text.stdout).isEmpty)
        }
        // Through the site functions (a role that cannot read the rows): the same tests and limits.
        let analyst = base.replacingOccurrences(of: "postgresql://cohort@", with: "postgresql://cohort_analyst@")
        for database in ["site_a", "site_b", "site_c"] {
            let install = try CohortCommand.run(["site", "install", "\(base)/\(database)", "--table", "cohort"])
            XCTAssertEqual(install.exitCode, 0, install.stderr)
        }
        let viaRole = try CohortCommand.run(["logit"] + ["site_a", "site_b", "site_c"].flatMap { ["--site", "\(analyst)/\($0)?table=cohort&functions=cohort_site"] }
                                            + codebook + model)
        XCTAssertEqual(viaRole.exitCode, 0, viaRole.stderr)
        XCTAssertEqual(Self.coefficientLines(viaRole.stdout), Self.coefficientLines(localText.stdout))
    }

    /// The coefficient table's header and rows, and the notes on P (Wald), CI, P (LR), the variables'
    /// LR tests and the reference levels: what the local and the in-database tables share.
    static func coefficientLines(_ text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let header = lines.firstIndex(where: { $0.hasPrefix("term ") }) else { return [] }
        var shared: [String] = []
        for line in lines[header...] {
            if line.isEmpty { continue }
            let isNote = ["P (Wald):", "P (LR):"].contains { line.hasPrefix($0) } || line.contains(": LR test of the whole")
                || line.contains(": reference level '")
            let isRow = !line.contains(":") || line.hasPrefix("(Intercept)") || line.hasPrefix("-")
            if isNote || isRow && shared.count < 40 { shared.append(line) }
        }
        return shared
    }
}

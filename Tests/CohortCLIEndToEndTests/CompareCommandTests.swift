import CohortTestSupport
import Foundation
import XCTest

/// `cohort compare`: each factor's table, the automatic test choice, P values against R 4.2.2.
final class CompareCommandTests: XCTestCase {
    var folder: String { Fixtures.path("codebook") }

    func factors(_ arguments: [String], in directory: String? = nil) throws -> [[String: Any]] {
        let result = try CohortCommand.run(["compare", "cohort.csv", "--format", "json"] + arguments, in: directory ?? folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap(object["factors"] as? [[String: Any]])
    }

    /// Small cells: every factor goes to Fisher's exact test. R: fisher.test on the same tables.
    func testFisherWhenExpectedCountsAreSmall() throws {
        let result = try factors(["--outcome", "bleeding_28d", "--factors", "low_platelets,icans_high,Sex,Disease"])
        XCTAssertEqual(result.compactMap { $0["test"] as? String }, Array(repeating: "Fisher's Exact Test for Count Data", count: 4))
        let expected = [0.010101010101010107, 0.066666666666666666, 0.54545454545454564, 0.48484848484848414]
        for (factor, p) in zip(result, expected) {
            assertClose(try XCTUnwrap(factor["p"] as? Double), p, relative: 1e-9, "\(factor["factor"] ?? "") P against R fisher.test")
        }
        let disease = try XCTUnwrap(result.last?["levels"] as? [[String: Any]])
        XCTAssertEqual(disease.compactMap { $0["level"] as? String }, ["LBCL", "MCL", "B-ALL"], "the codebook's order")
        XCTAssertEqual(disease.compactMap { $0["events"] as? Int }, [1, 1, 2])
    }

    /// Large cells: Pearson's chi-square without correction. R: chisq.test(rbind(c(60,10), c(40,17)), correct = FALSE).
    func testChiSquareWhenEveryExpectedCountIsFiveOrMore() throws {
        let dir = NSTemporaryDirectory() + "cohortkit-compare-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var lines = ["group,event"]
        for (group, noEvent, event) in [("a", 60, 10), ("b", 40, 17)] {
            lines += Array(repeating: "\(group),0", count: noEvent) + Array(repeating: "\(group),1", count: event)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/cohort.csv", atomically: true, encoding: .utf8)
        let result = try factors(["--outcome", "event", "--factor", "group"], in: dir)
        XCTAssertEqual(result[0]["test"] as? String, "Pearson's Chi-squared test")
        assertClose(try XCTUnwrap(result[0]["statistic"] as? Double), 4.5315882298338437, relative: 1e-10, "X-squared against R")
        assertClose(try XCTUnwrap(result[0]["p"] as? Double), 0.033274722823177068, relative: 1e-10, "P against R chisq.test")
    }

    func testTextTableNamesTheTest() throws {
        let text = try CohortCommand.run(["compare", "cohort.csv", "--outcome", "bleeding_28d", "--factor", "Sex"], in: folder)
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("3/6 (50.0%)                                                      0.545  Fisher's Exact Test for Count Data\n"), text.stdout)
        let dates = try CohortCommand.run(["compare", "cohort.csv", "--outcome", "bleeding_28d", "--factor", "Infusion date"], in: folder)
        XCTAssertEqual(dates.exitCode, 65)
        XCTAssertTrue(dates.stderr.contains("'Infusion date' is a date"), dates.stderr)
        let none = try CohortCommand.run(["compare", "cohort.csv", "--outcome", "bleeding_28d"], in: folder)
        XCTAssertEqual(none.exitCode, 64)
    }

    struct References: Decodable {
        struct RankSum: Decodable { let p: Double; let W: Double }
        struct Welch: Decodable { let t: Double; let df: Double; let p: Double }
        struct Compare: Decodable {
            let plt: RankSum
            let age: RankSum
            let age_welch: Welch
        }
        struct Trend: Decodable { let events: [Int]; let totals: [Int]; let statistic: Double; let p: Double }
        let compare: Compare
        let trend: Trend
    }

    func references() throws -> References {
        try JSONDecoder().decode(References.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("descriptive/commands.json"))))
    }

    /// Measurements: median [IQR] without and with the event and the rank-sum test, or Welch's t;
    /// R: wilcox.test(plt ~ bleed), t.test(age ~ bleed) (Tests/References/describe_compare_references.R).
    func testMeasurementsGetTheRankSumTestOrWelch() throws {
        let expected = try references().compare
        let data = Fixtures.path("logistic/data")
        let result = try CohortCommand.run(["compare", "cohort127.csv", "--outcome", "bleed", "--factors", "plt,age", "--format", "json"], in: data)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let factors = try XCTUnwrap(object["factors"] as? [[String: Any]])
        XCTAssertEqual(factors.count, 2)
        for (factor, reference) in zip(factors, [expected.plt, expected.age]) {
            XCTAssertEqual(factor["test"] as? String, "Wilcoxon rank sum test with continuity correction")
            assertClose(try XCTUnwrap(factor["p"] as? Double), reference.p, relative: 1e-10, "\(factor["factor"] ?? "") P against wilcox.test")
            assertClose(try XCTUnwrap(factor["statistic"] as? Double), reference.W, relative: 1e-12, "W")
            let measurement = try XCTUnwrap(factor["measurement"] as? [String: Any])
            XCTAssertEqual((measurement["withEvent"] as? [String: Any])?["n"] as? Int, 12)
        }
        let welch = try CohortCommand.run(["compare", "cohort127.csv", "--outcome", "bleed", "--factor", "age", "--measurement-test", "welch",
                                           "--format", "json"], in: data)
        XCTAssertEqual(welch.exitCode, 0, welch.stderr)
        let welchFactor = try XCTUnwrap(((JSONSerialization.jsonObject(with: Data(welch.stdout.utf8)) as? [String: Any])?["factors"] as? [[String: Any]])?.first)
        XCTAssertEqual(welchFactor["test"] as? String, "Welch Two Sample t-test")
        assertClose(try XCTUnwrap(welchFactor["statistic"] as? Double), expected.age_welch.t, relative: 1e-12, "Welch t")
        assertClose(try XCTUnwrap(welchFactor["df"] as? Double), expected.age_welch.df, relative: 1e-12, "Welch df")
        assertClose(try XCTUnwrap(welchFactor["p"] as? Double), expected.age_welch.p, relative: 1e-10, "Welch P")
        let text = try CohortCommand.run(["compare", "cohort127.csv", "--outcome", "bleed", "--factor", "plt"], in: data)
        XCTAssertTrue(text.stdout.contains("with event (n = 12)      73.5 [55–106]"), text.stdout)
    }

    /// --trend: the Cochran-Armitage test with the grades as scores; R prop.trend.test on counts
    /// tabulated from the raw columns. An unordered factor says why it has no trend test.
    func testTrendTestForGrades() throws {
        let expected = try references().trend
        let result = try factors(["--outcome", "bleeding_28d", "--factor", "ICANS grade", "--trend"])
        let factor = try XCTUnwrap(result.first)
        XCTAssertEqual(factor["test"] as? String, "Chi-squared Test for Trend in Proportions")
        let levels = try XCTUnwrap(factor["levels"] as? [[String: Any]])
        XCTAssertEqual(levels.compactMap { $0["events"] as? Int }, expected.events)
        XCTAssertEqual(levels.compactMap { $0["n"] as? Int }, expected.totals)
        assertClose(try XCTUnwrap(factor["statistic"] as? Double), expected.statistic, relative: 1e-12, "trend X-squared")
        assertClose(try XCTUnwrap(factor["p"] as? Double), expected.p, relative: 1e-10, "trend P")
        let dir = NSTemporaryDirectory() + "trend-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "g,y\nb,1\na,0\nc,1\na,1\nb,0\n".write(toFile: dir + "/cohort.csv", atomically: true, encoding: .utf8)
        let unordered = try factors(["--outcome", "y", "--factor", "g", "--trend"], in: dir)
        XCTAssertNil(unordered.first?["p"] as? Double)
        XCTAssertTrue((unordered.first?["problem"] as? String ?? "").contains("unordered levels"), "\(unordered)")
    }

    // MARK: - Issue 16: measures of association

    /// The simulated strata of `sim_common_or` in Tests/Fixtures/contingency/association.json written out
    /// as rows (x = 1 exposed, y = 1 event, s the stratum; stratum s4 has no exposed rows), so the
    /// command's Mantel-Haenszel numbers are checked against R's mantelhaen.test and epiR end to end.
    func testIssue16_strataGiveTheMantelHaenszelAnalysisOfR() throws {
        let dir = NSTemporaryDirectory() + "cohortkit-compare-mh-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let strata = [[9, 21, 7, 63], [19, 31, 11, 39], [14, 66, 2, 18], [0, 0, 1, 24]]
        var lines = ["x,y,s"]
        for (k, cells) in strata.enumerated() {
            for (cell, (x, y)) in zip(cells, [(1, 1), (1, 0), (0, 1), (0, 0)]) { lines += Array(repeating: "\(x),\(y),s\(k + 1)", count: cell) }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/cohort.csv", atomically: true, encoding: .utf8)
        let factor = try XCTUnwrap(try factors(["--outcome", "y", "--factor", "x", "--strata", "s"], in: dir).first)
        let association = try XCTUnwrap(factor["association"] as? [String: Any])
        XCTAssertEqual(association["exposed"] as? String, "1")
        XCTAssertEqual(association["reference"] as? String, "0")
        // Crude 42/160 vs 21/165: RR by hand.
        let rr = try XCTUnwrap(association["riskRatio"] as? [String: Any])
        assertClose(try XCTUnwrap(rr["estimate"] as? Double), (42.0 / 160) / (21.0 / 165), relative: 1e-14, "crude RR")
        let stratified = try XCTUnwrap(factor["stratified"] as? [String: Any])
        XCTAssertEqual(stratified["strataCount"] as? Int, 4)
        XCTAssertEqual(stratified["uninformativeStrata"] as? Int, 1)
        func value(_ path: String...) throws -> Double {
            var object: Any = stratified
            for key in path { object = try XCTUnwrap((object as? [String: Any])?[key], path.joined(separator: "/")) }
            return try XCTUnwrap(object as? Double, path.joined(separator: "/"))
        }
        // association.json, sim_common_or (R 4.2.2 mantelhaen.test(correct = FALSE); epiR 2.0.57 RR.mh.wald; Tarone).
        let expected: [([String], Double)] = [
            (["oddsRatio", "estimate"], 2.5161290322580645), (["oddsRatio", "lower"], 1.3309719749990245), (["oddsRatio", "upper"], 4.7566030133553676),
            (["riskRatio", "estimate"], 2.0217391304347827), (["riskRatio", "lower"], 1.2464601845916845), (["riskRatio", "upper"], 3.2792295831496228),
            (["test", "statistic"], 8.5569902570724228), (["test", "p"], 0.0034419799553598572),
            (["homogeneity", "breslowDay"], 0.8056409759692198), (["homogeneity", "tarone"], 0.79904126853048452), (["homogeneity", "p"], 0.67064145152626498),
        ]
        for (path, want) in expected { assertClose(try value(path[0], path[1]), want, relative: 1e-10, path.joined(separator: "/")) }
        let text = try CohortCommand.run(["compare", "cohort.csv", "--outcome", "y", "--factor", "x", "--strata", "s"], in: dir)
        XCTAssertTrue(text.stdout.contains("MH OR") && text.stdout.contains("4 strata, 1 with one level of x, which add nothing"), text.stdout)
        XCTAssertTrue(text.stdout.contains("with Tarone's correction 0.7990 on 2 df"), text.stdout)
    }

    func testIssue16_strataErrorsNameTheKey() throws {
        let notBinary = try CohortCommand.run(["compare", "cohort.csv", "--outcome", "bleeding_28d", "--factor", "Disease", "--strata", "Sex"], in: folder)
        XCTAssertEqual(notBinary.exitCode, 64, notBinary.stderr)
        XCTAssertTrue(notBinary.stderr.contains("--strata") && notBinary.stderr.contains("two levels"), notBinary.stderr)
        let same = try CohortCommand.run(["compare", "cohort.csv", "--outcome", "bleeding_28d", "--factor", "Sex", "--strata", "Sex"], in: folder)
        XCTAssertNotEqual(same.exitCode, 0)
        XCTAssertTrue(same.stderr.contains("--strata") && same.stderr.contains("--factors"), same.stderr)
        let measurement = try CohortCommand.run(["compare", "cohort.csv", "--outcome", "bleeding_28d", "--factor", "Sex", "--strata", "Age (years)"], in: folder)
        XCTAssertNotEqual(measurement.exitCode, 0)
        XCTAssertTrue(measurement.stderr.contains("strata 'Age (years)' is a measurement"), measurement.stderr)
    }
}

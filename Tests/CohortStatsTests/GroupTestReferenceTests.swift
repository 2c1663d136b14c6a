import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// Tests/Fixtures/group_tests/references.json, written by Tests/References/group_test_references.R
/// (R 4.2.2: wilcox.test, kruskal.test, cor.test, prop.trend.test, t.test).
struct GroupTestReferences: Decodable {
    struct Wilcoxon: Decodable {
        let name: String, x: [Double], y: [Double], alternative: String, correct: Bool, exact: Bool?
        let statistic: Double, p: Double, method: String, warnings: [String]
    }
    struct Kruskal: Decodable {
        let name: String, groups: [[Double]], statistic: Double, df: Double, p: Double, method: String
    }
    struct CorrelationData: Decodable { let name: String, x: [Double], y: [Double] }
    struct CorrelationCase: Decodable {
        let name: String, correlation: String, alternative: String, exact: Bool?, continuity: Bool
        let estimate: Double, statistic: Double, df: Double?, p: Double, ciLower: Double?, ciUpper: Double?
        let method: String, warnings: [String]
    }
    struct Trend: Decodable {
        let name: String, events: [Int], totals: [Int], scores: [Double]?
        let statistic: Double, df: Double, p: Double, method: String, z: Double, zLessP: Double, zGreaterP: Double
    }
    struct TTest: Decodable {
        let name: String, x: [Double], y: [Double], varEqual: Bool, alternative: String, level: Double
        let statistic: Double, df: Double, p: Double, estimate: Double, ciLower: Double, ciUpper: Double, method: String
    }
    struct Degenerate: Decodable {
        let test: String, name: String, rOutcome: String
        let x: [Double]?, y: [Double]?, groups: [[Double]]?, events: [Double]?, totals: [Double]?, scores: [Double]?
    }

    let wilcoxon: [Wilcoxon]
    let kruskal: [Kruskal]
    let correlationData: [CorrelationData]
    let correlation: [CorrelationCase]
    let trend: [Trend]
    let ttest: [TTest]
    let degenerate: [Degenerate]

    static func load() throws -> GroupTestReferences {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let url = URL(fileURLWithPath: Fixtures.path("group_tests/references.json"))
        return try decoder.decode(GroupTestReferences.self, from: Data(contentsOf: url))
    }
}

func alternative(_ text: String) throws -> TestResult.Alternative {
    try XCTUnwrap(TestResult.Alternative(rawValue: text), "alternative \(text)")
}

/// Every case of the R references, with the tolerances (relative) stated per statistic:
/// P values 1e-10 (exact P from counting: 1e-13), statistics 1e-12, Welch df and CI 1e-10; an
/// absolute floor of 1e-15 on P for R's `1 - pkendall(...)` and `1 - pwilcox(...)`-style tails that
/// R itself computes only to about 1e-16 absolute.
final class GroupTestReferenceTests: XCTestCase {
    func testWilcoxonAgainstR() throws {
        var checked = 0, worst = 0.0
        for r in try GroupTestReferences.load().wilcoxon {
            let what = "\(r.name) \(r.alternative) correct=\(r.correct) exact=\(r.exact.map(String.init) ?? "NULL")"
            let result = try WilcoxonRankSum.test(r.x, r.y, alternative: alternative(r.alternative), correct: r.correct, exact: r.exact)
            let exact = r.method.contains("exact")
            XCTAssertEqual(result.method, r.method, what)
            XCTAssertEqual(result.warnings, r.warnings, what)
            XCTAssertEqual(result.sampleSizes, [r.x.count, r.y.count], what)
            assertClose(try XCTUnwrap(result.statistic), r.statistic, relative: 1e-14, "\(what) W")
            assertClose(result.pValue, r.p, relative: exact ? 1e-13 : 1e-10, absolute: 1e-15, "\(what) P")
            worst = max(worst, abs(result.pValue - r.p) / r.p)
            checked += 1
        }
        XCTAssertEqual(checked, 180)
        XCTAssertLessThan(worst, 1e-10)
        print("Wilcoxon: \(checked) cases, worst relative P error \(worst)")
    }

    func testKruskalWallisAgainstR() throws {
        var checked = 0, worst = 0.0
        for r in try GroupTestReferences.load().kruskal {
            let result = try KruskalWallis.test(groups: r.groups)
            XCTAssertEqual(result.method, r.method, r.name)
            XCTAssertEqual(result.df, r.df, r.name)
            assertClose(try XCTUnwrap(result.statistic), r.statistic, relative: 1e-12, "\(r.name) H")
            assertClose(result.pValue, r.p, relative: 1e-10, "\(r.name) P")
            XCTAssertEqual(result.sampleSizes, r.groups.map(\.count), r.name)
            worst = max(worst, abs(result.pValue - r.p) / r.p)
            checked += 1
        }
        XCTAssertEqual(checked, 6)
        print("Kruskal-Wallis: \(checked) cases, worst relative P error \(worst)")
    }

    func testCorrelationAgainstR() throws {
        let references = try GroupTestReferences.load()
        let data = Dictionary(uniqueKeysWithValues: references.correlationData.map { ($0.name, $0) })
        var checked = 0, worst = 0.0, worstCase = ""
        for r in references.correlation {
            let d = try XCTUnwrap(data[r.name], r.name)
            let method = try XCTUnwrap(Correlation.Method(rawValue: r.correlation))
            let what = "\(r.name) \(r.correlation) \(r.alternative) exact=\(r.exact.map(String.init) ?? "NULL") continuity=\(r.continuity)"
            let result = try Correlation.test(d.x, d.y, method: method, alternative: alternative(r.alternative), exact: r.exact, continuity: r.continuity)
            XCTAssertEqual(result.method, r.method, what)
            XCTAssertEqual(result.warnings, r.warnings, what)
            XCTAssertEqual(result.sampleSizes, [d.x.count], what)
            XCTAssertEqual(result.df, r.df, what)
            assertClose(try XCTUnwrap(result.estimate), r.estimate, relative: 1e-12, absolute: 1e-15, "\(what) estimate")
            assertClose(try XCTUnwrap(result.statistic), r.statistic, relative: 1e-11, absolute: 1e-9, "\(what) statistic")
            assertClose(result.pValue, r.p, relative: 1e-10, absolute: 1e-15, "\(what) P")
            if r.p >= 1e-15, abs(result.pValue - r.p) / r.p > worst { worst = abs(result.pValue - r.p) / r.p; worstCase = "\(what): \(result.pValue) vs R \(r.p)" }
            if let lower = r.ciLower, let upper = r.ciUpper {
                let interval = try XCTUnwrap(result.confidenceInterval, what)
                assertClose(interval.lower, lower, relative: 1e-10, "\(what) CI lower")
                assertClose(interval.upper, upper, relative: 1e-10, "\(what) CI upper")
            } else {
                XCTAssertNil(result.confidenceInterval, what)
            }
            checked += 1
        }
        XCTAssertEqual(checked, 351)
        // Below 1e-15 only the absolute floor applies: R's r for y = 2x is 1 − 2e-16, so its
        // t-approximation P for perfect_monotone is 1.4e-39 where this code (r = 1) gives 0.
        XCTAssertLessThan(worst, 1e-10, worstCase)
        print("Correlation: \(checked) cases, worst relative P error \(worst) (\(worstCase))")
    }

    func testTrendAgainstR() throws {
        var checked = 0, worst = 0.0
        for r in try GroupTestReferences.load().trend {
            let result = try CochranArmitage.test(events: r.events, totals: r.totals, scores: r.scores)
            XCTAssertEqual(result.method, r.method, r.name)
            XCTAssertEqual(result.df, r.df, r.name)
            assertClose(try XCTUnwrap(result.statistic), r.statistic, relative: 1e-12, absolute: 1e-15, "\(r.name) X-squared")
            assertClose(result.pValue, r.p, relative: 1e-10, "\(r.name) P")
            worst = max(worst, abs(result.pValue - r.p) / r.p)
            for (alt, p) in [(TestResult.Alternative.twoSided, r.p), (.less, r.zLessP), (.greater, r.zGreaterP)] {
                let z = try CochranArmitage.zTest(events: r.events, totals: r.totals, scores: r.scores, alternative: alt)
                assertClose(try XCTUnwrap(z.statistic), r.z, relative: 1e-12, absolute: 1e-15, "\(r.name) z")
                assertClose(z.pValue, p, relative: 1e-10, "\(r.name) z \(alt) P")
            }
            checked += 1
        }
        XCTAssertEqual(checked, 7)
        print("Trend: \(checked) cases, worst relative P error \(worst)")
    }

    func testTTestAgainstR() throws {
        var checked = 0, worst = 0.0
        for r in try GroupTestReferences.load().ttest {
            let what = "\(r.name) var.equal=\(r.varEqual) \(r.alternative) \(r.level)"
            let result = try WelchT.test(r.x, r.y, equalVariances: r.varEqual, alternative: alternative(r.alternative), confidenceLevel: r.level)
            XCTAssertEqual(result.method, r.method, what)
            assertClose(try XCTUnwrap(result.statistic), r.statistic, relative: 1e-10, "\(what) t")
            assertClose(try XCTUnwrap(result.df), r.df, relative: 1e-12, "\(what) df")
            assertClose(result.pValue, r.p, relative: 1e-10, "\(what) P")
            worst = max(worst, abs(result.pValue - r.p) / r.p)
            assertClose(try XCTUnwrap(result.estimate), r.estimate, relative: 1e-10, absolute: 1e-12, "\(what) difference")
            let interval = try XCTUnwrap(result.confidenceInterval, what)
            XCTAssertEqual(interval.level, r.level, what)
            assertClose(interval.lower, r.ciLower, relative: 1e-10, absolute: 1e-12, "\(what) CI lower")
            assertClose(interval.upper, r.ciUpper, relative: 1e-10, absolute: 1e-12, "\(what) CI upper")
            checked += 1
        }
        XCTAssertEqual(checked, 66)
        print("t tests: \(checked) cases, worst relative P error \(worst)")
    }

    /// Where R stops, or returns NaN / NA, the Swift code throws a GroupTestError that says what is wrong.
    func testDegenerateInputsThrowClearErrors() throws {
        var checked = 0
        for r in try GroupTestReferences.load().degenerate {
            let what = "\(r.test) \(r.name) (R: \(r.rOutcome))"
            XCTAssertTrue(r.rOutcome == "NaN" || r.rOutcome == "NA" || r.rOutcome.hasPrefix("error:"), what)
            let x = r.x ?? [], y = r.y ?? []
            let call: () throws -> TestResult
            switch r.test {
            case "wilcoxon": call = { try WilcoxonRankSum.test(x, y) }
            case "kruskal": call = { try KruskalWallis.test(groups: r.groups ?? []) }
            case "trend":
                let events = (r.events ?? []).map { Int($0) }, totals = (r.totals ?? []).map { Int($0) }
                call = { try CochranArmitage.test(events: events, totals: totals, scores: r.scores) }
            case "welch": call = { try WelchT.test(x, y) }
            case "spearman": call = { try Correlation.test(x, y, method: .spearman) }
            case "kendall": call = { try Correlation.test(x, y, method: .kendall) }
            case "pearson": call = { try Correlation.test(x, y, method: .pearson) }
            default: return XCTFail("unknown test \(r.test)")
            }
            XCTAssertThrowsError(try call(), what) { error in
                XCTAssertTrue(error is GroupTestError, what)
                XCTAssertFalse("\(error)".isEmpty, what)
            }
            checked += 1
        }
        XCTAssertEqual(checked, 15)
    }
}

/// The same cases against SciPy 1.17 (Tests/References/group_test_scipy_crosscheck.py), wherever
/// SciPy computes the P by R's rule ("sameRule"): a second, independent implementation.
final class GroupTestSciPyCrossCheckTests: XCTestCase {
    struct Record: Decodable {
        let kind: String, name: String, settings: String, quantity: String, scipy: Double, sameRule: Bool
    }

    func testPValuesAgainstSciPy() throws {
        struct File: Decodable { let records: [Record] }
        let url = URL(fileURLWithPath: Fixtures.path("group_tests/scipy_crosscheck.json"))
        let records = try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).records
        var scipy: [String: Double] = [:]
        for r in records where r.sameRule && r.quantity == "p" { scipy["\(r.kind)|\(r.name)|\(r.settings)"] = r.scipy }
        func python(_ b: Bool?) -> String { b.map { $0 ? "True" : "False" } ?? "None" }
        let references = try GroupTestReferences.load()
        var checked = 0, worst = 0.0
        func check(_ key: String, _ actual: Double) {
            guard let expected = scipy[key] else { return }
            assertClose(actual, expected, relative: 1e-10, absolute: 1e-15, "\(key) vs SciPy")
            if expected >= 1e-15 { worst = max(worst, abs(actual - expected) / expected) }
            checked += 1
        }
        for r in references.wilcoxon {
            let result = try WilcoxonRankSum.test(r.x, r.y, alternative: alternative(r.alternative), correct: r.correct, exact: r.exact)
            check("wilcoxon|\(r.name)|\(r.alternative) correct=\(python(r.correct)) exact=\(python(r.exact))", result.pValue)
        }
        for r in references.kruskal { check("kruskal|\(r.name)|", try KruskalWallis.test(groups: r.groups).pValue) }
        let data = Dictionary(uniqueKeysWithValues: references.correlationData.map { ($0.name, $0) })
        for r in references.correlation {
            let d = try XCTUnwrap(data[r.name])
            let result = try Correlation.test(d.x, d.y, method: try XCTUnwrap(Correlation.Method(rawValue: r.correlation)),
                                              alternative: alternative(r.alternative), exact: r.exact, continuity: r.continuity)
            check("\(r.correlation)|\(r.name)|\(r.alternative) exact=\(python(r.exact)) continuity=\(python(r.continuity))", result.pValue)
        }
        for r in references.ttest {
            let result = try WelchT.test(r.x, r.y, equalVariances: r.varEqual, alternative: alternative(r.alternative), confidenceLevel: r.level)
            check("ttest|\(r.name)|var.equal=\(python(r.varEqual)) \(r.alternative) level=\(r.level)", result.pValue)
        }
        XCTAssertEqual(checked, scipy.count, "every same-rule SciPy P was matched to a case")
        XCTAssertEqual(checked, 417)
        print("SciPy cross-check: \(checked) P values, worst relative difference \(worst)")
    }
}

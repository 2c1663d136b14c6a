import CohortData
import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// Issue 16: person-time rates against R 4.2.2 (`Tests/References/rates_references.R`,
/// committed in `Tests/Fixtures/rates/`): each rate's exact interval against `poisson.test(x, T)`,
/// the rate ratio, its exact conditional interval and P against `poisson.test(c(x1, x0), c(T1, T0))`,
/// the rate difference and its Wald interval against `epiR::epi.2by2(method = "cohort.time")`
/// (2.0.57; where a zero count stops epi.2by2, its formula evaluated in R), on nine hand-chosen
/// pairs with zeros, levels 0.90/0.95/0.99 and up to 1,500 events; and a simulated three-arm cohort
/// end to end (missing values, codebook unit, reference level). Tolerance 1e-12 relative.
final class RatesReferenceTests: XCTestCase {
    func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.path(path)))) as? [String: Any])
    }

    func number(_ object: [String: Any], _ key: String) -> Double {
        if object[key] as? String == "Inf" { return .infinity }
        return (object[key] as? NSNumber)?.doubleValue ?? .nan
    }

    var worst = 0.0

    func close(_ actual: Double, _ expected: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        assertClose(actual, expected, relative: 1e-12, absolute: 1e-300, what, file: file, line: line)
        if expected.isFinite, expected != 0 { worst = max(worst, abs(actual - expected) / abs(expected)) }
    }

    func testPairsAgainstPoissonTestAndEpiR() throws {
        let pairs = try XCTUnwrap(try json("rates/pairs.json")["pairs"] as? [[String: Any]])
        XCTAssertEqual(pairs.count, 9)
        for (i, pair) in pairs.enumerated() {
            let level = number(pair, "level"), per = number(pair, "per")
            let g = try XCTUnwrap(pair["group"] as? [String: Any]), r = try XCTUnwrap(pair["reference"] as? [String: Any])
            let c = try XCTUnwrap(pair["comparison"] as? [String: Any])
            var rows: [PersonTimeRates.Row] = []
            for (label, side) in [("group", g), ("reference", r)] {
                let x = number(side, "events"), t = number(side, "personTime")
                let (lower, upper) = PersonTimeRates.poissonLimits(events: x, personTime: t, level: level)
                close(x / t * per, number(side, "rate"), "pair \(i) \(label) rate")
                close(lower * per, number(side, "lower"), "pair \(i) \(label) lower")
                close(upper * per, number(side, "upper"), "pair \(i) \(label) upper")
                rows.append(PersonTimeRates.Row(group: label, patients: 1, events: Int(x), personTime: t, rate: x / t * per, lower: lower * per, upper: upper * per))
            }
            let comparison = PersonTimeRates.compare(rows[0], against: rows[1], per: per, level: level)
            let expectedRatio = rows[0].events > 0 && rows[1].events == 0 ? .infinity : number(c, "ratio")
            close(comparison.ratio, expectedRatio, "pair \(i) ratio")
            close(comparison.ratioLower, number(c, "ratioLower"), "pair \(i) ratio lower")
            close(comparison.ratioUpper, number(c, "ratioUpper"), "pair \(i) ratio upper")
            close(comparison.p, number(c, "p"), "pair \(i) P")
            close(comparison.difference, number(c, "difference"), "pair \(i) difference")
            close(comparison.differenceLower, number(c, "differenceLower"), "pair \(i) difference lower")
            close(comparison.differenceUpper, number(c, "differenceUpper"), "pair \(i) difference upper")
        }
        print("rates against poisson.test and epi.2by2: worst relative difference \(worst)")
    }

    func testCohortByArm() throws {
        let loaded = try CohortLoader.loadForAnalysis(path: Fixtures.path("rates/cohort.csv"), codebookPath: Fixtures.path("rates/codebook.yaml")).table
        let result = try PersonTimeRates.compute(table: loaded, events: "infections", personTime: "days", group: "arm", per: 1000)
        let reference = try json("rates/cohort.json")
        XCTAssertEqual(result.nDropped, reference["dropped"] as? Int)
        XCTAssertEqual(result.unit, "days")
        XCTAssertEqual(result.reference, "control")
        let rows = try XCTUnwrap(reference["rows"] as? [[String: Any]])
        XCTAssertEqual(result.rows.map(\.group), rows.map { $0["group"] as? String })
        for (row, expected) in zip(result.rows, rows) {
            XCTAssertEqual(row.patients, expected["patients"] as? Int)
            XCTAssertEqual(row.events, expected["events"] as? Int)
            close(row.personTime, number(expected, "personTime"), "person-time")
            close(row.rate, number(expected, "rate"), "rate")
            close(row.lower, number(expected, "lower"), "lower")
            close(row.upper, number(expected, "upper"), "upper")
        }
        let comparisons = try XCTUnwrap(reference["comparisons"] as? [[String: Any]])
        XCTAssertEqual(result.comparisons.map(\.group), comparisons.map { $0["group"] as? String })
        for (c, expected) in zip(result.comparisons, comparisons) {
            close(c.ratio, number(expected, "ratio"), "\(c.group) ratio")
            close(c.ratioLower, number(expected, "ratioLower"), "\(c.group) ratio lower")
            close(c.ratioUpper, number(expected, "ratioUpper"), "\(c.group) ratio upper")
            close(c.p, number(expected, "p"), "\(c.group) P")
            close(c.difference, number(expected, "difference"), "\(c.group) difference")
            close(c.differenceLower, number(expected, "differenceLower"), "\(c.group) difference lower")
            close(c.differenceUpper, number(expected, "differenceUpper"), "\(c.group) difference upper")
        }
        // Another reference: the same comparisons the other way round.
        let againstHigh = try PersonTimeRates.compute(table: loaded, events: "infections", personTime: "days", group: "arm", reference: "high", per: 1000)
        XCTAssertEqual(againstHigh.comparisons.map(\.group), ["control", "low"])
        close(againstHigh.comparisons[0].ratio, 1 / result.comparisons[1].ratio, "inverse ratio")
    }

    func testBadInputIsAClearError() throws {
        let table = DataTable(source: "t.csv", columns: [
            Column(name: "x", storage: .numeric([1, 2.5, 0])), Column(name: "t", storage: .numeric([10, 10, 10])),
            Column(name: "g", storage: .numeric([1, 1, 2])),
        ], lineNumbers: [2, 3, 4])
        XCTAssertThrowsError(try PersonTimeRates.compute(table: table, events: "x", personTime: "t")) { error in
            XCTAssertTrue(String(describing: error).contains("t.csv:3"), String(describing: error))
        }
        let zeroTime = DataTable(source: "t.csv", columns: [
            Column(name: "x", storage: .numeric([1, 0])), Column(name: "t", storage: .numeric([0, 0])),
        ], lineNumbers: [2, 3])
        XCTAssertThrowsError(try PersonTimeRates.compute(table: zeroTime, events: "x", personTime: "t"))
        let twoGroups = DataTable(source: "t.csv", columns: [
            Column(name: "x", storage: .numeric([1, 0])), Column(name: "t", storage: .numeric([5, 5])), Column(name: "g", storage: .numeric([1, 2])),
        ], lineNumbers: [2, 3])
        XCTAssertThrowsError(try PersonTimeRates.compute(table: twoGroups, events: "x", personTime: "t", group: "g", reference: "3"))
    }
}

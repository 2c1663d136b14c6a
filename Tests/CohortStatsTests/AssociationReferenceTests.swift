import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// Tests/Fixtures/contingency/association.json (Tests/References/association_references.R: simulated
/// tables, R 4.2.2 with epiR 2.0.57, mantelhaen.test, and Newcombe's and Tarone's published formulas).
struct AssociationReference: Decodable {
    struct Triple: Decodable {
        let estimate: Double?
        let lower: Double?
        let upper: Double?
    }
    struct Crude: Decodable {
        let name: String
        let a: Int, b: Int, c: Int, d: Int
        let riskRatio: Triple
        let riskDifference: Triple
        let oddsRatio: Triple
        let conditionalOddsRatio: Triple
        let fisherConditionalOddsRatio: Triple
    }
    struct Test: Decodable {
        let statistic: Double
        let p: Double
    }
    struct BreslowDay: Decodable {
        let statistic: Double
        let tarone: Double
        let df: Int
        let strataUsed: Int
        let p: Double
    }
    struct Stratified: Decodable {
        let name: String
        /// [a, b, c, d] per stratum.
        let strata: [[Int]]
        let mhOddsRatio: Triple
        let mhRiskRatio: Triple
        let mhTest: Test
        let breslowDay: BreslowDay
    }
    let crude: [Crude]
    let stratified: [Stratified]

    static func load() throws -> AssociationReference {
        try JSONDecoder().decode(AssociationReference.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("contingency/association.json"))))
    }
}

/// Measures of association against R (issue 16). Tolerances (relative): 1e-10 for the closed forms
/// (Wald ratios, Newcombe, Mantel-Haenszel, Breslow-Day) and for the conditional MLE and Fisher's
/// exact limits against their equations solved to 1e-13; 1e-3 against `fisher.test`'s own output
/// (uniroot at its default tolerance). Every case's largest relative difference is printed.
final class AssociationReferenceTests: XCTestCase {
    private var largest: [String: Double] = [:]

    private func check(_ actual: AssociationEstimate, _ expected: AssociationReference.Triple, relative: Double, _ what: String) {
        for (part, got, want) in [("estimate", actual.estimate, expected.estimate), ("lower", actual.lower, expected.lower), ("upper", actual.upper, expected.upper)] {
            guard let want else {
                XCTAssertNil(got, "\(what) \(part): R gives no value")
                XCTAssertNotNil(actual.problem, "\(what): a missing value says why")
                continue
            }
            guard let got else { XCTFail("\(what) \(part): expected \(want), got nil (\(actual.problem ?? ""))"); continue }
            assertClose(got, want, relative: relative, absolute: want == 0 ? 1e-300 : 0, "\(what) \(part)")
            if want != 0 { largest[what.components(separatedBy: " ").last ?? what, default: 0] = max(largest[what.components(separatedBy: " ").last ?? what] ?? 0, abs(got - want) / abs(want)) }
        }
    }

    func testCrudeMeasuresAgainstR() throws {
        let reference = try AssociationReference.load()
        XCTAssertEqual(reference.crude.count, 8)
        for r in reference.crude {
            let table = try ExposureTable(exposedEvents: r.a, exposedN: r.a + r.b, referenceEvents: r.c, referenceN: r.c + r.d)
            let result = try CrudeAssociation(table)
            // epiR writes a risk ratio or odds ratio of 0 (a zero cell) as NaN; CohortKit gives 0 without an interval.
            if r.a == 0 {
                XCTAssertEqual(result.riskRatio.estimate, 0, r.name)
                XCTAssertEqual(result.oddsRatio.estimate, 0, r.name)
                XCTAssertNil(result.riskRatio.lower, r.name)
                XCTAssertNotNil(result.riskRatio.problem, r.name)
            } else {
                check(result.riskRatio, r.riskRatio, relative: 1e-10, "\(r.name) riskRatio")
                check(result.oddsRatio, r.oddsRatio, relative: 1e-10, "\(r.name) oddsRatio")
            }
            check(result.riskDifference, r.riskDifference, relative: 1e-10, "\(r.name) riskDifference")
            check(result.conditionalOddsRatio, r.conditionalOddsRatio, relative: 1e-10, "\(r.name) conditionalOddsRatio")
            check(result.conditionalOddsRatio, r.fisherConditionalOddsRatio, relative: 1e-2, "\(r.name) fisher.test")
        }
        print("AssociationReferenceTests crude, largest relative differences: \(largest.sorted { $0.key < $1.key })")
    }

    func testMantelHaenszelAgainstR() throws {
        let reference = try AssociationReference.load()
        XCTAssertEqual(reference.stratified.count, 2)
        for r in reference.stratified {
            let strata = try r.strata.map { try ExposureTable(exposedEvents: $0[0], exposedN: $0[0] + $0[1], referenceEvents: $0[2], referenceN: $0[2] + $0[3]) }
            let result = try MantelHaenszel(strata: strata)
            XCTAssertEqual(result.uninformativeStrata, 1, "\(r.name): each case has a stratum with one exposure level")
            check(result.oddsRatio, r.mhOddsRatio, relative: 1e-10, "\(r.name) mhOddsRatio")
            check(result.riskRatio, r.mhRiskRatio, relative: 1e-10, "\(r.name) mhRiskRatio")
            let test = try XCTUnwrap(result.test, r.name)
            assertClose(try XCTUnwrap(test.statistic), r.mhTest.statistic, relative: 1e-10, "\(r.name) MH chi-square")
            assertClose(test.pValue, r.mhTest.p, relative: 1e-10, "\(r.name) MH P")
            let bd = try XCTUnwrap(result.homogeneity, r.name)
            assertClose(bd.breslowDay, r.breslowDay.statistic, relative: 1e-8, "\(r.name) Breslow-Day")
            assertClose(bd.tarone, r.breslowDay.tarone, relative: 1e-8, "\(r.name) Tarone")
            assertClose(bd.pValue, r.breslowDay.p, relative: 1e-8, "\(r.name) Breslow-Day P")
            XCTAssertEqual(bd.df, r.breslowDay.df, r.name)
            XCTAssertEqual(bd.strataUsed, r.breslowDay.strataUsed, r.name)
            for (what, got, want) in [("MH chi-square", test.statistic ?? .nan, r.mhTest.statistic), ("Breslow-Day", bd.breslowDay, r.breslowDay.statistic),
                                      ("Tarone", bd.tarone, r.breslowDay.tarone), ("BD P", bd.pValue, r.breslowDay.p)] {
                largest[what] = max(largest[what] ?? 0, abs(got - want) / abs(want))
            }
        }
        print("AssociationReferenceTests stratified, largest relative differences: \(largest.sorted { $0.key < $1.key })")
    }

    /// Hand-worked: the order of the strata and strata with one exposure level change nothing
    /// (sums in a fixed order: the same bits for the same order).
    func testStrataOrderAndUninformativeStrata() throws {
        let t1 = try ExposureTable(exposedEvents: 9, exposedN: 30, referenceEvents: 7, referenceN: 70)
        let t2 = try ExposureTable(exposedEvents: 19, exposedN: 50, referenceEvents: 11, referenceN: 50)
        let empty = try ExposureTable(exposedEvents: 0, exposedN: 0, referenceEvents: 3, referenceN: 20)
        let a = try MantelHaenszel(strata: [t1, t2])
        let b = try MantelHaenszel(strata: [t1, empty, t2])
        XCTAssertEqual(a.oddsRatio, b.oddsRatio)
        XCTAssertEqual(a.riskRatio, b.riskRatio)
        XCTAssertEqual(a.test?.statistic, b.test?.statistic)
        XCTAssertEqual(b.homogeneity?.df, 1)
        // Two strata: OR_MH = (9·63/100 + 19·39/100) / (21·7/100 + 31·11/100) = 1308/488.
        assertClose(try XCTUnwrap(a.oddsRatio.estimate), 1308.0 / 488.0, relative: 1e-15, "OR_MH by hand")
        // One informative stratum: no homogeneity test, and it says why.
        let one = try MantelHaenszel(strata: [t1, empty])
        XCTAssertNil(one.homogeneity)
        XCTAssertNotNil(one.homogeneityProblem)
    }
}

/// Zero cells and degenerate strata, hand-worked: no infinity or NaN ever leaves the types, and a
/// missing value says why.
final class AssociationEdgeCaseTests: XCTestCase {
    func testIssue16_strataWhereEveryRowIsAnEventKeepAFiniteRiskRatioInterval() throws {
        // Stratum 2: every row an event. It adds a n0/n = c n1/n = 12 to both sums and 0 to the variance.
        let t1 = try ExposureTable(exposedEvents: 5, exposedN: 20, referenceEvents: 3, referenceN: 30)
        let all = try ExposureTable(exposedEvents: 6, exposedN: 6, referenceEvents: 24, referenceN: 24)
        let mh = try MantelHaenszel(strata: [t1, all])
        // RR_MH = (5·30/50 + 6·24/30) / (3·20/50 + 24·6/30) = 7.8 / 6.0
        assertClose(try XCTUnwrap(mh.riskRatio.estimate), 7.8 / 6.0, relative: 1e-15, "RR_MH by hand")
        XCTAssertNotNil(mh.riskRatio.lower)
        XCTAssertTrue(try XCTUnwrap(mh.riskRatio.upper).isFinite)
        XCTAssertNil(mh.homogeneity, "one stratum has a not fixed by its margins")
    }

    func testIssue16_zeroCellsGiveNoInfinity() throws {
        let none = try CrudeAssociation(ExposureTable(exposedEvents: 0, exposedN: 10, referenceEvents: 0, referenceN: 12))
        for e in [none.riskRatio, none.oddsRatio, none.conditionalOddsRatio] {
            XCTAssertNil(e.estimate, e.method)
            XCTAssertNotNil(e.problem, e.method)
        }
        XCTAssertEqual(none.riskDifference.estimate, 0)
        XCTAssertEqual(none.riskDifference.lower.map { $0 < 0 }, true, "Newcombe exists at 0/n vs 0/m")
        XCTAssertThrowsError(try CrudeAssociation(ExposureTable(exposedEvents: 1, exposedN: 2, referenceEvents: 1, referenceN: 2), level: 1))
    }
}

import CohortData
@testable import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// Fine-Gray regression against R `cmprsk::crr` on the cases of `Tests/References/finegray_references.R`
/// (committed values in `Tests/Fixtures/survival/finegray/references.json`): simulated data only (a
/// 200-patient cohort with three covariates, heavy ties over 20 days, no competing events, 90%
/// censoring, times of 0, one event of interest among 12 rows). R's estimates are the maximum to the last
/// digits (gtol = 1e-13 and polishing Newton steps) and this fit stops at a Newton decrement of
/// 1e-10, so every statistic is checked to ``relative``; the worst error measured per quantity is
/// printed.
final class FineGrayReferenceTests: XCTestCase {
    static let relative = 1e-10

    struct Reference {
        let name: String
        let object: [String: Any]
        let model: FineGrayModel

        func numbers(_ key: String) -> [Double]? { (object[key] as? [Any])?.map { ($0 as? NSNumber)?.doubleValue ?? .nan } }
        func number(_ key: String) -> Double? { (object[key] as? NSNumber)?.doubleValue }
        func matrix(_ key: String) -> [[Double]]? {
            (object[key] as? [[Any]])?.map { $0.map { ($0 as? NSNumber)?.doubleValue ?? .nan } }
        }
    }

    static func references() throws -> [Reference] {
        let url = URL(fileURLWithPath: Fixtures.path("survival/finegray/references.json"))
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return try XCTUnwrap(root["cases"] as? [[String: Any]]).map(reference)
    }

    static func load(_ name: String) throws -> Reference {
        try XCTUnwrap(try references().first { $0.name == name }, "no reference case \(name)")
    }

    /// The case's model from its committed CSV: time, status (0/1/2) and the numeric covariates.
    static func reference(_ object: [String: Any]) throws -> Reference {
        let text = try String(contentsOfFile: Fixtures.path("survival/finegray/\(object["data"] as? String ?? "")"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try XCTUnwrap(lines.first)
        let rows = lines.dropFirst()
        func column(_ name: String) throws -> [Double] {
            let index = try XCTUnwrap(header.firstIndex(of: name), "column \(name)")
            return try rows.map { try XCTUnwrap(Double($0[index]), "\(name): \($0[index])") }
        }
        let covariates = try (object["covariates"] as? [String] ?? []).map { (name: $0, values: try column($0)) }
        let model = try FineGrayModel(times: try column("time"), statusCodes: try column("status").map { Int($0) },
                                      covariates: covariates)
        return Reference(name: object["name"] as? String ?? "?", object: object, model: model)
    }

    /// Every statistic of every case to 1e-10 relative; prints the worst error per quantity.
    func testFitsMatchCrr() throws {
        var worst: [String: Double] = [:]
        func check(_ actual: Double, _ expected: Double, _ quantity: String, _ what: String) {
            assertClose(actual, expected, relative: Self.relative, what)
            if expected != 0 { worst[quantity] = max(worst[quantity] ?? 0, abs(actual - expected) / abs(expected)) }
        }
        let references = try Self.references()
        XCTAssertEqual(references.count, 7)
        for reference in references {
            let fitted = try fit(reference.model)
            let name = reference.name
            XCTAssertTrue(fitted.convergence.isConverged, "\(name): \(fitted.convergence)")
            XCTAssertEqual(fitted.nObservations, Int(reference.number("n") ?? -1), name)
            XCTAssertEqual(fitted.nEvents, Int(reference.number("nEvents") ?? -1), name)
            XCTAssertEqual(fitted.nCompeting, Int(reference.number("nCompeting") ?? -1), name)
            XCTAssertEqual(fitted.nCensored, Int(reference.number("nCensored") ?? -1), name)
            let series: [(String, [Double], String)] = [
                ("coefficients", fitted.coefficients, "β"), ("stdErrors", fitted.standardErrors, "sandwich SE"),
                ("naiveStdErrors", fitted.naiveStandardErrors, "naive SE"), ("z", fitted.zStatistics, "z"),
                ("p", fitted.waldPValues, "P"), ("information", fitted.information, "information"),
                ("naiveCovariance", fitted.naiveCovariance, "naive covariance"), ("covariance", fitted.covariance, "sandwich covariance"),
                ("eventTimes", fitted.eventTimes, "event times"), ("baselineJumps", fitted.baselineJumps, "baseline jumps"),
            ]
            for (key, actual, quantity) in series {
                let expected = try XCTUnwrap(reference.numbers(key), "\(name) \(key)")
                XCTAssertEqual(actual.count, expected.count, "\(name) \(key)")
                for (j, value) in expected.enumerated() where j < actual.count { check(actual[j], value, quantity, "\(name) \(quantity)[\(j)]") }
            }
            check(fitted.logLikelihood, try XCTUnwrap(reference.number("logLikelihood")), "loglik", "\(name) loglik")
            check(fitted.nullLogLikelihood, try XCTUnwrap(reference.number("nullLogLikelihood")), "loglik.null", "\(name) loglik.null")
            let days = try XCTUnwrap(reference.numbers("days"))
            let profiles = try XCTUnwrap(reference.matrix("profiles")), cif = try XCTUnwrap(reference.matrix("cif"))
            for (profile, expected) in zip(profiles, cif) {
                let actual = fitted.cumulativeIncidence(covariates: profile, at: days)
                for (j, value) in expected.enumerated() {
                    if value == 0 { XCTAssertEqual(actual[j], 0, "\(name) CIF \(profile) day \(days[j])") } else {
                        check(actual[j], value, "CIF", "\(name) CIF \(profile) day \(days[j])")
                    }
                }
            }
        }
        for (quantity, value) in worst.sorted(by: { $0.key < $1.key }) {
            print(String(format: "Fine-Gray vs crr, worst relative error: %-20@ %.2e", quantity as NSString, value))
        }
    }

    /// The other convention, ``FineGrayConvention/finegrayCoxph``, against `survival::finegray` +
    /// `coxph(weights = fgwt, id = id)` (Efron ties, finegray's Ĝ, the robust variance without ψ) on
    /// every case: coefficients, naive and robust SEs and both log-likelihoods.
    func testFinegrayCoxphConventionMatchesCoxphOnFinegrayData() throws {
        var worst: [String: Double] = [:]
        func check(_ actual: Double, _ expected: Double, _ quantity: String, _ what: String) {
            assertClose(actual, expected, relative: Self.relative, what)
            if expected != 0 { worst[quantity] = max(worst[quantity] ?? 0, abs(actual - expected) / abs(expected)) }
        }
        for reference in try Self.references() {
            let fitted = try fit(reference.model, options: FineGrayOptions(convention: .finegrayCoxph))
            let name = reference.name
            XCTAssertTrue(fitted.convergence.isConverged, "\(name): \(fitted.convergence)")
            let series: [(String, [Double], String)] = [
                ("finegrayCoxphCoefficients", fitted.coefficients, "β"),
                ("finegrayCoxphNaiveStdErrors", fitted.naiveStandardErrors, "naive SE"),
                ("finegrayCoxphRobustStdErrors", fitted.standardErrors, "robust SE"),
            ]
            for (key, actual, quantity) in series {
                for (j, value) in try XCTUnwrap(reference.numbers(key), "\(name) \(key)").enumerated() {
                    check(actual[j], value, quantity, "\(name) finegray+coxph \(quantity)[\(j)]")
                }
            }
            check(fitted.logLikelihood, try XCTUnwrap(reference.number("finegrayCoxphLogLikelihood")), "loglik", "\(name) loglik")
            check(fitted.nullLogLikelihood, try XCTUnwrap(reference.number("finegrayCoxphNullLogLikelihood")), "loglik(0)",
                  "\(name) loglik(0)")
        }
        for (quantity, value) in worst.sorted(by: { $0.key < $1.key }) {
            print(String(format: "Fine-Gray (finegray + coxph) vs R, worst relative error: %-10@ %.2e", quantity as NSString, value))
        }
    }

    /// The path a command takes: the CSV read as a table, its time and status columns as
    /// competing-risks data (event types 1 and 2), the covariates joined by ``SurvivalDesign``; the
    /// fit is crr's. Strata are refused (crr has none).
    func testModelFromATableMatchesCrr() throws {
        let reference = try Self.load("cohort")
        let table = try CSVReader.read(path: Fixtures.path("survival/finegray/cohort.csv"))
        let coding = try EventCoding(events: ["1", "2"])
        let data = try CompetingRisksData.fromTimeAndStatus(table: table, time: "time", status: "status", coding: coding)
        let rows = try SurvivalDesign(table: table, data: data, covariates: ["age", "sex", "score"], outcomeColumns: ["time", "status"])
        let fitted = try fit(FineGrayModel(rows))
        XCTAssertEqual([fitted.nEvents, fitted.nCompeting, fitted.nCensored], [72, 62, 66])
        let expected = try XCTUnwrap(reference.numbers("coefficients")), se = try XCTUnwrap(reference.numbers("stdErrors"))
        for j in expected.indices {
            assertClose(fitted.coefficients[j], expected[j], relative: 1e-10, "β[\(j)]")
            assertClose(fitted.standardErrors[j], se[j], relative: 1e-10, "SE[\(j)]")
        }
        let stratified = try CompetingRisksData.fromTimeAndStatus(table: table, time: "time", status: "status", coding: coding,
                                                                  strata: "sex")
        let stratifiedRows = try SurvivalDesign(table: table, data: stratified, covariates: ["age"], outcomeColumns: ["time", "status"])
        XCTAssertThrowsError(try FineGrayModel(stratifiedRows))
    }

    /// Without competing events the pseudo-likelihood is Cox's partial likelihood with Breslow ties
    /// and the censoring term ψ vanishes (q ≡ 0): the estimate is coxph's (Breslow), the naive SEs
    /// coxph's model-based ones and the sandwich SEs coxph's robust ones (robust = TRUE).
    func testWithoutCompetingEventsCrrIsCoxBreslow() throws {
        let reference = try Self.load("no_competing")
        let fitted = try fit(reference.model)
        let coefficients = try XCTUnwrap(reference.numbers("coxphBreslowCoefficients"))
        let naive = try XCTUnwrap(reference.numbers("coxphBreslowNaiveStdErrors"))
        let robust = try XCTUnwrap(reference.numbers("coxphBreslowRobustStdErrors"))
        for j in coefficients.indices {
            assertClose(fitted.coefficients[j], coefficients[j], relative: 1e-10, "β[\(j)] vs coxph")
            assertClose(fitted.naiveStandardErrors[j], naive[j], relative: 1e-10, "naive SE[\(j)] vs coxph")
            assertClose(fitted.standardErrors[j], robust[j], relative: 1e-10, "sandwich SE[\(j)] vs coxph robust")
        }
        assertClose(fitted.logLikelihood, try XCTUnwrap(reference.number("coxphBreslowLogLikelihood")), relative: 1e-10, "loglik vs coxph")
        // And CohortKit's own Cox fit (Breslow, one cluster per row) agrees.
        let n = reference.model.nObservations
        let cox = try fit(CoxModel(times: reference.model.times, events: reference.model.status.map { $0 == .event },
                                   design: reference.model.design, clusters: Array(0..<n)), options: CoxOptions(ties: .breslow))
        for j in coefficients.indices {
            assertClose(fitted.coefficients[j], cox.coefficients[j], relative: 1e-10, "β[\(j)] vs Cox")
            assertClose(fitted.standardErrors[j], try XCTUnwrap(cox.robustStandardErrors)[j], relative: 1e-10, "SE[\(j)] vs Cox robust")
        }
    }
}

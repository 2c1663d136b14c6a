@testable import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// Cox regression against R `survival::coxph` (issue 14) on the cases of
/// `Tests/References/cox_references.R` (committed values in `Tests/Fixtures/survival/cox/references.json`):
/// simulated data only (a 230-patient cohort with four covariates, two sites and 40 centres, a
/// 30-patient one, a data set with heavy ties, a time-zero data set and monotone-likelihood ones); Efron and Breslow, strata, clusters. The contract is 1e-6 relative; the
/// values are checked to ``relative`` (R converged with eps = 1e-12 and this fit to a Newton decrement
/// of 1e-10, so both are at the maximum to about the last digits; the worst error measured is 5e-14).
final class CoxReferenceTests: XCTestCase {
    static let relative = 1e-10

    struct Reference {
        let name: String
        let object: [String: Any]
        let model: CoxModel
        let ties: CoxTies

        func numbers(_ key: String) -> [Double]? { (object[key] as? [Any])?.map { ($0 as? NSNumber)?.doubleValue ?? .nan } }
        func number(_ key: String) -> Double? { (object[key] as? NSNumber)?.doubleValue }
    }

    static func references() throws -> [Reference] {
        let url = URL(fileURLWithPath: Fixtures.path("survival/cox/references.json"))
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return try XCTUnwrap(root["cases"] as? [[String: Any]]).map(reference)
    }

    static func load(_ name: String) throws -> Reference {
        try XCTUnwrap(try references().first { $0.name == name }, "no reference case \(name)")
    }

    /// The case's model from its committed CSV: time, status, the numeric covariates, and the
    /// stratum and cluster columns coded by their sorted distinct values.
    static func reference(_ object: [String: Any]) throws -> Reference {
        let name = object["name"] as? String ?? "?"
        let text = try String(contentsOfFile: Fixtures.path("survival/cox/\(object["data"] as? String ?? "")"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try XCTUnwrap(lines.first)
        let rows = lines.dropFirst()
        func column(_ name: String) throws -> [String] {
            let index = try XCTUnwrap(header.firstIndex(of: name), "column \(name)")
            return rows.map { $0[index] }
        }
        func codes(_ name: String?) throws -> [Int]? {
            guard let name else { return nil }
            let values = try column(name)
            let levels = Array(Set(values)).sorted()
            return values.map { levels.firstIndex(of: $0) ?? -1 }
        }
        let covariates = try (object["covariates"] as? [String] ?? []).map { name in
            (name: name, values: try column(name).map { try XCTUnwrap(Double($0), "\(name): \($0)") })
        }
        let model = try CoxModel(times: try column("time").map { try XCTUnwrap(Double($0)) },
                                 events: try column("status").map { $0 == "1" }, covariates: covariates,
                                 strata: try codes(object["strata"] as? String), clusters: try codes(object["cluster"] as? String))
        return Reference(name: name, object: object, model: model, ties: CoxTies(rawValue: object["ties"] as? String ?? "") ?? .efron)
    }

    /// Every statistic of every case but the monotone one (below) to 1e-9 relative.
    func testFitsMatchCoxph() throws {
        var worst = 0.0, compared = 0
        func check(_ actual: Double, _ expected: Double, _ what: String) {
            assertClose(actual, expected, relative: Self.relative, what)
            if expected != 0 { worst = max(worst, abs(actual - expected) / abs(expected)) }
            compared += 1
        }
        for reference in try Self.references() where Self.monotoneCases[reference.name] == nil {
            let fitted = try fit(reference.model, options: CoxOptions(ties: reference.ties))
            let name = reference.name
            XCTAssertTrue(fitted.convergence.isConverged, "\(name): \(fitted.convergence)")
            XCTAssertEqual(fitted.nObservations, Int(reference.number("n") ?? -1), name)
            XCTAssertEqual(fitted.nEvents, Int(reference.number("nEvents") ?? -1), name)
            XCTAssertEqual(fitted.degreesOfFreedom, Int(reference.number("df") ?? -1), name)
            for (j, value) in try XCTUnwrap(reference.numbers("coefficients")).enumerated() { check(fitted.coefficients[j], value, "\(name) β[\(j)]") }
            for (j, value) in try XCTUnwrap(reference.numbers("stdErrors")).enumerated() { check(fitted.standardErrors[j], value, "\(name) SE[\(j)]") }
            for (j, value) in try XCTUnwrap(reference.numbers("covariance")).enumerated() { check(fitted.covariance[j], value, "\(name) V[\(j)]") }
            check(fitted.logLikelihood, try XCTUnwrap(reference.number("logLikelihood")), "\(name) ℓ")
            check(fitted.nullLogLikelihood, try XCTUnwrap(reference.number("nullLogLikelihood")), "\(name) ℓ(0)")
            check(fitted.likelihoodRatioTest.chiSquare, try XCTUnwrap(reference.number("likelihoodRatio")), "\(name) LR")
            check(fitted.scoreTest.chiSquare, try XCTUnwrap(reference.number("scoreTest")), "\(name) score")
            check(fitted.waldTest.chiSquare, try XCTUnwrap(reference.number("waldTest")), "\(name) Wald")
            if let robust = reference.numbers("robustStdErrors") {
                let actual = try XCTUnwrap(fitted.robustStandardErrors, name)
                for (j, value) in robust.enumerated() { check(actual[j], value, "\(name) robust SE[\(j)]") }
                let covariance = try XCTUnwrap(fitted.robustCovariance)
                for (j, value) in try XCTUnwrap(reference.numbers("robustCovariance")).enumerated() { check(covariance[j], value, "\(name) Vr[\(j)]") }
                check(try XCTUnwrap(fitted.robustWaldTest).chiSquare, try XCTUnwrap(reference.number("coxphWaldTest")), "\(name) robust Wald")
                check(try XCTUnwrap(fitted.robustScoreTest).chiSquare, try XCTUnwrap(reference.number("robustScoreTest")), "\(name) robust score")
            } else {
                XCTAssertNil(fitted.robustCovariance, name)
            }
        }
        print("Cox vs coxph: \(compared) values, worst relative error \(worst)")
    }

    /// Profile-likelihood 95% limits against R's (uniroot to 1e-13 on coxph with the held column as
    /// an offset): 1e-9 relative, 1e-11 absolute for a limit near 0 (x3's lower one, −7e-5).
    func testProfileIntervalsMatchTheRootsOfTheCoxphProfile() throws {
        var compared = 0
        for reference in try Self.references() {
            guard let lower = reference.numbers("profileLower"), let upper = reference.numbers("profileUpper") else { continue }
            let fitted = try fit(reference.model, options: CoxOptions(ties: reference.ties))
            let intervals = fitted.profileIntervals(reference.model)
            for j in lower.indices {
                let interval = try XCTUnwrap(intervals[j], "\(reference.name) [\(j)]")
                assertClose(interval.lower, lower[j], relative: 1e-9, absolute: 1e-11, "\(reference.name) profile lower[\(j)]")
                assertClose(interval.upper, upper[j], relative: 1e-9, absolute: 1e-11, "\(reference.name) profile upper[\(j)]")
                XCTAssertEqual(interval.method, .profile)
                compared += 2
            }
        }
        XCTAssertEqual(compared, 20)
    }

    /// Under monotone likelihood the profile of the diverging coefficient never falls to the cut-off
    /// on its way to +∞: the upper limit is infinite, the lower one finite.
    func testIssue14_profileLimitIsInfiniteUnderMonotoneLikelihood() throws {
        let reference = try Self.load("monotone_z")
        let fitted = try fit(reference.model)
        let interval = try XCTUnwrap(fitted.profileIntervals(reference.model)[1])
        XCTAssertEqual(interval.upper, Double.infinity)
        XCTAssertTrue(interval.lower.isFinite, "lower \(interval.lower)")
    }

    /// The cases whose likelihood is monotone: the diverging column and whether its coefficient runs
    /// to +∞ (every event has z = 1) or −∞ (a group with no events).
    static let monotoneCases = ["monotone_z": (column: "z", increasing: true), "censored_group": (column: "group", increasing: false)]

    /// Named as monotone likelihood, with the supremum of ℓ and the other coefficient (its conditional
    /// maximum as the diverging one runs off) as coxph leaves them.
    func testIssue14_monotoneLikelihoodIsNamed() throws {
        for (name, expected) in Self.monotoneCases.sorted(by: { $0.key < $1.key }) {
            let reference = try Self.load(name)
            let fitted = try fit(reference.model)
            XCTAssertEqual(fitted.convergence, .monotoneLikelihood(columns: [expected.column], increasing: [expected.increasing],
                                                                   iterations: fitted.convergence.iterations), name)
            XCTAssertTrue(fitted.diagnostics.contains(.monotoneLikelihood(columns: [expected.column], increasing: [expected.increasing])), name)
            XCTAssertTrue(fitted.diagnostics.map(\.description).joined()
                .contains("hazard ratio of \(expected.column) goes to \(expected.increasing ? "infinity" : "0")"), name)
            assertClose(fitted.logLikelihood, try XCTUnwrap(reference.number("logLikelihood")), relative: 1e-9, "\(name): supremum of ℓ")
            let coefficients = try XCTUnwrap(reference.numbers("coefficients"))
            let diverging = try XCTUnwrap(reference.model.design.columnNames.firstIndex(of: expected.column))
            for j in coefficients.indices where j != diverging {
                assertClose(fitted.coefficients[j], coefficients[j], relative: 1e-7, "\(name): β[\(j)]")
            }
            XCTAssertGreaterThan(fitted.coefficients[diverging] * (expected.increasing ? 1 : -1), 15, name)
        }
    }

    /// A covariate that is a copy of another, and one constant within strata, are aliased: NaN
    /// coefficients, the rest fitted as without them.
    func testAliasedColumnsAreReportedAndLeftOut() throws {
        let reference = try Self.load("ties_strata")
        let model = reference.model
        let n = model.nObservations
        let x1 = Array(model.design.values[0..<n]), x2 = Array(model.design.values[n..<(2 * n)]), x3 = Array(model.design.values[(2 * n)..<(3 * n)])
        let strata = try XCTUnwrap(model.strata).map(Double.init)
        let augmented = try CoxModel(times: model.times, events: model.events,
                                     covariates: [("x1", x1), ("copy", x1.map { 2 * $0 }), ("x2", x2), ("site", strata), ("x3", x3)],
                                     strata: model.strata)
        let fitted = try fit(augmented)
        XCTAssertEqual(fitted.aliased, [false, true, false, true, false])
        XCTAssertTrue(fitted.diagnostics.contains(.aliased(columns: ["copy", "site"])))
        let expected = try XCTUnwrap(reference.numbers("coefficients"))
        for (j, column) in [0, 2, 4].enumerated() {
            assertClose(fitted.coefficients[column], expected[j], relative: 1e-9, "β[\(column)]")
        }
        XCTAssertTrue(fitted.coefficients[1].isNaN && fitted.standardErrors[3].isNaN)
        XCTAssertEqual(fitted.degreesOfFreedom, 3)
    }

    /// Results do not depend on the order of the rows, and two runs give the same bits.
    func testPermutedRowsGiveTheSameFitAndRunsAreBitIdentical() throws {
        let reference = try Self.load("ties_strata_cluster")
        let model = reference.model
        let n = model.nObservations, p = model.design.columnCount
        let permutation = (0..<n).map { ($0 * 7 + 3) % n }  // 7 and 300 are coprime
        let permuted = try CoxModel(
            times: permutation.map { model.times[$0] }, events: permutation.map { model.events[$0] },
            covariates: (0..<p).map { j in (model.design.columnNames[j], permutation.map { model.design.values[j * n + $0] }) },
            strata: model.strata.map { s in permutation.map { s[$0] } }, clusters: model.clusters.map { c in permutation.map { c[$0] } })
        let first = try fit(model), second = try fit(model), shuffled = try fit(permuted)
        XCTAssertEqual(first.coefficients, second.coefficients)
        XCTAssertEqual(first.covariance, second.covariance)
        XCTAssertEqual(first.robustCovariance, second.robustCovariance)
        XCTAssertEqual(first.logLikelihood, second.logLikelihood)
        for j in 0..<p {
            assertClose(shuffled.coefficients[j], first.coefficients[j], relative: 1e-12, "β[\(j)] permuted")
            assertClose(try XCTUnwrap(shuffled.robustStandardErrors)[j], try XCTUnwrap(first.robustStandardErrors)[j], relative: 1e-11, "robust SE[\(j)] permuted")
        }
    }

    /// 100,000 rows, 5 covariates, ties and 3 strata: prints the time (no timed assertion; a debug
    /// build is several times slower than release).
    func testLargeFitTiming() throws {
        var generator = SeededGenerator(seed: 20261203)
        let n = 100_000
        func uniform() -> Double { Double(generator.next() >> 11) * 0x1p-53 }
        let columns = (0..<5).map { j in (name: "x\(j)", values: (0..<n).map { _ in j == 4 ? Double(generator.bounded(2)) : (uniform() * 4 - 2) }) }
        var times: [Double] = [], events: [Bool] = []
        for i in 0..<n {
            let eta = 0.3 * columns[0].values[i] - 0.2 * columns[1].values[i] + 0.5 * columns[4].values[i]
            let eventTime = -Foundation.log(max(uniform(), 1e-300)) / (0.01 * Foundation.exp(eta))
            let censorTime = uniform() * 200
            times.append(Double(Int(min(eventTime, censorTime)) + 1))
            events.append(eventTime <= censorTime)
        }
        let model = try CoxModel(times: times, events: events, covariates: columns, strata: (0..<n).map { $0 % 3 })
        let start = Date()
        let fitted = try fit(model)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertTrue(fitted.convergence.isConverged)
        assertClose(fitted.coefficients[0], 0.3, relative: 0.1, "β_x0 near the truth")
        print(String(format: "Cox fit, n = %d, p = 5, %d events, Efron, 3 strata: %.3f s (%d iterations)", n, fitted.nEvents, elapsed,
                     fitted.convergence.iterations))
    }
}

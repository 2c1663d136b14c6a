import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// One case of Tests/Fixtures/bootstrap/references.json (Tests/References/bootstrap_references.R):
/// R's own replicates `t`, `t0`, the jackknife influence values `L`, and boot.ci's endpoints.
struct BootstrapReference: Decodable {
    let name: String
    let R: Int
    let n: Int
    let t0: Double
    let levels: [Double]
    let percentileLower: [Double]
    let percentileUpper: [Double]
    let percentileExtreme: [Bool]
    /// nil where boot.ci returns NA (an adjusted tail probability of 1); Swift must refuse there.
    let bcaLower: [Double?]
    let bcaUpper: [Double?]
    let bcaExtreme: [Bool]
    let L: [Double]
    let t: [Double]

    static func loadAll() throws -> [BootstrapReference] {
        struct File: Decodable { let cases: [BootstrapReference] }
        let url = URL(fileURLWithPath: Fixtures.path("bootstrap/references.json"))
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }
}

/// Percentile and BCa endpoints against R 4.2.2 `boot::boot.ci` (boot 1.3-28.1), given the very same
/// replicates and influence values: 6 cases x 4 levels x 2 methods x 2 ends, relative 1e-12 (one
/// BCa interval is NA in R, where the adjusted upper tail probability is 1, and Swift refuses it).
/// Cases include heavy ties among replicates (median of integers), an estimate above 97% of its
/// replicates, and R = 49 (extreme order statistics), where boot's warning is matched by
/// ``BootstrapInterval/usesExtremeOrderStatistics``.
final class BootstrapReferenceTests: XCTestCase {
    func testIntervalsMatchBootCI() throws {
        let references = try BootstrapReference.loadAll()
        XCTAssertEqual(references.count, 6)
        var endpoints = 0, refusals = 0
        var worst = 0.0
        for r in references {
            XCTAssertEqual(r.t.count, r.R, r.name)
            XCTAssertEqual(r.L.count, r.n, r.name)
            for (l, level) in r.levels.enumerated() {
                let what = "\(r.name) level \(level)"
                let percentile = try BootstrapInterval.percentile(replicates: r.t, level: level)
                guard let bcaLower = r.bcaLower[l], let bcaUpper = r.bcaUpper[l] else {
                    XCTAssertThrowsError(try BootstrapInterval.bca(replicates: r.t, estimate: r.t0, influence: r.L, level: level), what) {
                        guard case .bcaTailBeyondReplicates = $0 as? BootstrapError else { return XCTFail("\(what): \($0)") }
                    }
                    refusals += 1
                    continue
                }
                let bca = try BootstrapInterval.bca(replicates: r.t, estimate: r.t0, influence: r.L, level: level)
                for (actual, expected, label) in [(percentile.lower, r.percentileLower[l], "percentile lower"),
                                                  (percentile.upper, r.percentileUpper[l], "percentile upper"),
                                                  (bca.lower, bcaLower, "BCa lower"), (bca.upper, bcaUpper, "BCa upper")] {
                    assertClose(actual, expected, relative: 1e-12, "\(what) \(label)")
                    worst = max(worst, abs(actual - expected) / abs(expected))
                    endpoints += 1
                }
                XCTAssertEqual(percentile.usesExtremeOrderStatistics, r.percentileExtreme[l], "\(what) percentile extreme flag")
                XCTAssertEqual(bca.usesExtremeOrderStatistics, r.bcaExtreme[l], "\(what) BCa extreme flag")
            }
        }
        // 6 cases x 4 levels x 4 endpoints, less the one level where boot.ci's BCa is NA (refused here).
        XCTAssertEqual(endpoints, 92)
        XCTAssertEqual(refusals, 1)
        print("bootstrap intervals vs boot.ci: \(endpoints) endpoints, worst relative error \(worst); \(refusals) NA refused")
    }

    /// Non-finite replicates are ignored, as boot.ci ignores them.
    func testNonFiniteReplicatesIgnored() throws {
        let r = try XCTUnwrap(BootstrapReference.loadAll().first)
        let padded = [Double.nan] + r.t + [.infinity]
        XCTAssertEqual(try BootstrapInterval.percentile(replicates: padded, level: 0.95),
                       try BootstrapInterval.percentile(replicates: r.t, level: 0.95))
        XCTAssertEqual(try BootstrapInterval.bca(replicates: padded, estimate: r.t0, influence: r.L, level: 0.95),
                       try BootstrapInterval.bca(replicates: r.t, estimate: r.t0, influence: r.L, level: 0.95))
    }

    func testBCaRefusesAnEstimateOutsideEveryReplicate() {
        XCTAssertThrowsError(try BootstrapInterval.bca(replicates: [1, 2, 3], estimate: 0.5, influence: [1, -1], level: 0.95)) {
            XCTAssertEqual($0 as? BootstrapError, .biasCorrectionInfinite(below: 0, of: 3))
        }
        XCTAssertThrowsError(try BootstrapInterval.bca(replicates: [1, 2, 3], estimate: 2, influence: [0, 0], level: 0.95)) {
            XCTAssertEqual($0 as? BootstrapError, .accelerationUndefined)
        }
        XCTAssertThrowsError(try BootstrapInterval.percentile(replicates: [1, 2], level: 1)) {
            XCTAssertEqual($0 as? BootstrapError, .invalidLevel(1))
        }
    }
}

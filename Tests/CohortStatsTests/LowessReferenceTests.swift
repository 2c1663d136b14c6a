import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// Cleveland's lowess against R 4.2.2's `lowess` (C `clowess`) on the five simulated cases of
/// `Tests/References/model_check_references.R` (`Tests/Fixtures/model_check/lowess.json`): R's
/// defaults, no robustness passes (the calibration plot's call), a small span, delta 0, and a 0/1
/// outcome against fitted risks. Tolerance 1e-12 relative (1e-13 absolute near 0).
final class LowessReferenceTests: XCTestCase {
    func testLowessMatchesR() throws {
        let url = URL(fileURLWithPath: Fixtures.path("model_check/lowess.json"))
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try XCTUnwrap(root["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 5)
        var worst = 0.0
        for c in cases {
            let name = c["name"] as? String ?? "?"
            func numbers(_ key: String) -> [Double] { (c[key] as? [NSNumber] ?? []).map(\.doubleValue) }
            let f = try XCTUnwrap((c["f"] as? NSNumber)?.doubleValue)
            let iterations = try XCTUnwrap((c["iter"] as? NSNumber)?.intValue)
            let delta = (c["delta"] as? NSNumber)?.doubleValue
            let smooth = Lowess.smooth(x: numbers("x"), y: numbers("y"), f: f, iterations: iterations, delta: delta)
            XCTAssertEqual(smooth.x, numbers("sorted_x"), name)
            let expected = numbers("fitted")
            XCTAssertEqual(smooth.y.count, expected.count, name)
            for (i, (actual, reference)) in zip(smooth.y, expected).enumerated() {
                assertClose(actual, reference, relative: 1e-12, absolute: 1e-13, "\(name) point \(i)")
                if abs(reference) > 1e-13 { worst = max(worst, abs(actual - reference) / abs(reference)) }
            }
        }
        print("lowess: worst relative difference from R \(worst)")
    }
}

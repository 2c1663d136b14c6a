@testable import CohortStats
import CohortTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class ExponentialKernelTests: XCTestCase {
    /// Units in the last place between two positive doubles.
    func ulps(_ a: Double, _ b: Double) -> UInt64 {
        a.bitPattern > b.bitPattern ? a.bitPattern - b.bitPattern : b.bitPattern - a.bitPattern
    }

    func testAgreesWithGlibcWithinTwoUlpOverTheWholeRange() {
        var generator = SeededGenerator(seed: 11)
        var worst: UInt64 = 0, worstAt = 0.0
        var arguments: [Double] = [0, -0.0, -1e-300, -1e-17, -0.5 * M_LN2, -M_LN2, -1, -36.04, -700, -708]
        for _ in 0..<200_000 { arguments.append(-Double.random(in: 0...708, using: &generator)) }
        for _ in 0..<50_000 { arguments.append(-Double.random(in: 0...1e-3, using: &generator)) }
        for x in arguments {
            let error = ulps(exponentialOfNonPositive(x), Glibc.exp(x))
            if error > worst { worst = error; worstAt = x }
        }
        XCTAssertLessThanOrEqual(worst, 2, "worst error \(worst) ulp at x = \(worstAt)")
    }

    func testClampsBelowTheNormalRange() {
        XCTAssertEqual(exponentialOfNonPositive(-1000), exponentialOfNonPositive(-708))
        XCTAssertEqual(exponentialOfNonPositive(-.infinity), exponentialOfNonPositive(-708))
        XCTAssertLessThanOrEqual(ulps(exponentialOfNonPositive(-708), Glibc.exp(-708)), 2)
        XCTAssertEqual(exponentialOfNonPositive(0), 1)
    }
}

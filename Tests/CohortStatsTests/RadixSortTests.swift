@testable import CohortStats
import CohortTestSupport
import XCTest

/// The radix sort behind the Cox sweep order and the spline knots gives what `sorted()` gives.
final class RadixSortTests: XCTestCase {
    func testSortedValuesEqualTheComparisonSort() {
        var generator = SeededGenerator(seed: 11)
        for n in [0, 1, 2, 17, 1000, 20_000] {
            var values = (0..<n).map { _ in Double.random(in: -1e6...1e6, using: &generator).rounded() / 8 }
            if n > 10 { values += [0, -0.0, .infinity, -.infinity, 5e-324, -5e-324, 1e308, -1e308, 3, 3, 3] }
            let expected = values.sorted().map { $0 == 0 ? 0 : $0 }
            let actual = RadixSort.sorted(values)
            XCTAssertEqual(actual.map(\.bitPattern), expected.map(\.bitPattern), "n = \(n)")
        }
    }

    func testPayloadMovesWithItsKeyAndTiesKeepTheirOrder() {
        var keys: [UInt64] = [5, 1, 5, 0, 1, 1 << 40, 5]
        var payload = Array(0..<7)
        RadixSort.sort(&keys, &payload)
        XCTAssertEqual(keys, [0, 1, 1, 5, 5, 5, 1 << 40])
        XCTAssertEqual(payload, [3, 1, 4, 0, 2, 6, 5])
    }
}

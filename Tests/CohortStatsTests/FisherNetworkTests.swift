@testable import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// The network algorithm (FisherNetwork) against brute-force enumeration (TableEnumerator).
final class FisherNetworkTests: XCTestCase {
    /// 200 seeded random tables up to 4 x 4 with n <= 30: both methods give the same P to 1e-12.
    func testNetworkMatchesEnumeration() throws {
        var generator = SeededGenerator(seed: 20_261_122)
        var checked = 0, belowOne = 0
        while checked < 200 {
            let rows = Int.random(in: 2...4, using: &generator), columns = Int.random(in: 2...4, using: &generator)
            guard rows * columns > 4 else { continue }
            let n = Int.random(in: 1...30, using: &generator)
            // Uneven cell probabilities give both sparse and concentrated tables.
            let weights = (0..<(rows * columns)).map { _ in Double.random(in: 0...1, using: &generator) }
            var counts = [[Int]](repeating: [Int](repeating: 0, count: columns), count: rows)
            for _ in 0..<n {
                var u = Double.random(in: 0..<weights.reduce(0, +), using: &generator), cell = 0
                while cell < weights.count - 1, u >= weights[cell] { u -= weights[cell]; cell += 1 }
                counts[cell / columns][cell % columns] += 1
            }
            let table = try ContingencyTable(counts)
            let network = try FisherNetwork(table).twoSidedP(limit: 10_000_000)
            let enumerated = try TableEnumerator(table).twoSidedP(limit: 10_000_000)
            assertClose(network.p, enumerated.p, relative: 1e-12, "\(counts)")
            XCTAssertEqual(network.tables, Double(enumerated.tables), "\(counts) number of tables")
            if enumerated.p < 0.999 { belowOne += 1 }
            checked += 1
        }
        XCTAssertEqual(checked, 200)
        XCTAssertGreaterThan(belowOne, 50, "the random tables should include many with P < 1")
    }

    func testTiming() throws {
        let cases: [[[Int]]] = [
            [[10, 8, 4, 1, 0], [1, 3, 2, 1, 1], [0, 1, 3, 2, 1], [0, 1, 2, 5, 7]],
            [[8, 3, 1, 0, 0, 0], [4, 5, 2, 1, 0, 0], [1, 3, 6, 2, 1, 0], [0, 1, 2, 6, 3, 1], [0, 0, 1, 2, 5, 6]],
            [[3, 2, 1, 0, 2, 1, 0, 1], [1, 2, 3, 2, 0, 1, 2, 0], [0, 1, 1, 3, 2, 2, 1, 3]],
            [[3, 1, 4, 1, 5, 0, 2, 6, 1, 3], [0, 2, 1, 3, 1, 4, 2, 0, 3, 1]],
        ]
        for counts in cases {
            let start = Date()
            let r = try FisherNetwork(try ContingencyTable(counts)).twoSidedP(limit: 100_000_000)
            print("TIMING", counts, r.p, r.tables, r.work, Date().timeIntervalSince(start))
        }
    }
}

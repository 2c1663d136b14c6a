import CohortStats
import CohortTestSupport
import XCTest

/// The resampling engine: the generator, seeding, determinism, failures and a statistical check.
final class BootstrapEngineTests: XCTestCase {
    /// SplitMix64's published stream for seed 0 (Vigna's splitmix64.c reference outputs).
    func testSplitMix64KnownOutputs() {
        var g = SplitMix64(seed: 0)
        XCTAssertEqual(g.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(g.next(), 0x6E78_9E6A_A1B9_65F4)
        XCTAssertEqual(g.next(), 0x06C4_5D18_8009_454F)
    }

    /// Lemire's bounded draws are uniform: 60,000 draws in 0..<6 give a χ² (5 df) below 20.5 (P = 0.001).
    func testBoundedDrawsAreUniform() {
        var g = SplitMix64.stream(seed: 99, index: 0)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[g.bounded(6)] += 1 }
        let chiSquare = counts.reduce(0.0) { $0 + pow(Double($1) - 10_000, 2) / 10_000 }
        XCTAssertLessThan(chiSquare, 20.5, "counts \(counts)")
    }

    /// Replicate r's rows depend on (seed, r) only: the parallel run equals a sequential loop over
    /// `Bootstrap.indices`, and different seeds give different samples.
    func testReplicatesDependOnSeedAndIndexOnly() throws {
        let x = (0..<40).map { Double($0 * $0 % 17) }
        let statistic: Bootstrap.Statistic = { rows in [rows.reduce(0) { $0 + x[$1] } / Double(rows.count)] }
        let result = try Bootstrap.run(rowCount: 40, options: BootstrapOptions(replicates: 103, seed: 5), statistic: statistic)
        let sequential = try (0..<103).map { try statistic(Bootstrap.indices(rowCount: 40, seed: 5, replicate: $0)) }
        XCTAssertEqual(result.replicates, sequential)
        let again = try Bootstrap.run(rowCount: 40, options: BootstrapOptions(replicates: 103, seed: 5), statistic: statistic)
        XCTAssertEqual(again.replicates, result.replicates)
        XCTAssertNotEqual(Bootstrap.indices(rowCount: 40, seed: 6, replicate: 0), Bootstrap.indices(rowCount: 40, seed: 5, replicate: 0))
        XCTAssertNotEqual(Bootstrap.indices(rowCount: 40, seed: 5, replicate: 1), Bootstrap.indices(rowCount: 40, seed: 5, replicate: 0))
        XCTAssertEqual(result.estimate, try statistic(Array(0..<40)))
    }

    /// Failed replicates are excluded and counted with their reasons; too many is an error.
    func testFailedReplicatesAreCountedNotDropped() throws {
        // Fails when row 0 is drawn at least 3 times (P about 8% for n = 10).
        let statistic: Bootstrap.Statistic = { rows in
            if rows.count(where: { $0 == 0 }) >= 3 { throw BootstrapFailureReason("row 0 thrice") }
            return [Double(rows.reduce(0, +))]
        }
        let result = try Bootstrap.run(rowCount: 10, options: BootstrapOptions(replicates: 500, seed: 1, maxFailedFraction: 0.5),
                                       statistic: statistic)
        let expectedFailures = (0..<500).filter { Bootstrap.indices(rowCount: 10, seed: 1, replicate: $0).count(where: { $0 == 0 }) >= 3 }
        XCTAssertGreaterThan(expectedFailures.count, 0)
        XCTAssertEqual(result.failures.map(\.replicate), expectedFailures)
        XCTAssertEqual(result.successfulCount + result.failedCount, 500)
        XCTAssertEqual(result.failureReasons.first?.reason, "row 0 thrice")
        XCTAssertThrowsError(try Bootstrap.run(rowCount: 10, options: BootstrapOptions(replicates: 500, seed: 1, maxFailedFraction: 0.01),
                                               statistic: statistic)) { error in
            guard case .tooManyFailures(let failed, 500, _, _) = error as? BootstrapError else { return XCTFail("\(error)") }
            XCTAssertEqual(failed, expectedFailures.count)
        }
    }

    func testInvalidInputIsRefused() {
        let mean: Bootstrap.Statistic = { [Double($0.count)] }
        XCTAssertThrowsError(try Bootstrap.run(rowCount: 10, options: BootstrapOptions(replicates: 0, seed: 1), statistic: mean)) {
            XCTAssertEqual($0 as? BootstrapError, .invalidReplicates(0))
        }
        XCTAssertThrowsError(try Bootstrap.run(rowCount: 1, options: BootstrapOptions(replicates: 10, seed: 1), statistic: mean)) {
            XCTAssertEqual($0 as? BootstrapError, .tooFewRows(1))
        }
    }

    /// The progress callback sees every replicate, in non-decreasing counts ending at B.
    func testProgressReachesTotal() throws {
        final class Log: @unchecked Sendable { var seen: [Int] = [] }
        let log = Log()
        _ = try Bootstrap.run(rowCount: 5, options: BootstrapOptions(replicates: 130, seed: 1), progress: { done, total in
            XCTAssertEqual(total, 130)
            log.seen.append(done)  // calls are serialised by the engine
        }, statistic: { [Double($0[0])] })
        XCTAssertEqual(log.seen.last, 130)
        XCTAssertEqual(log.seen, log.seen.sorted())
    }

    /// Statistical sanity: the bootstrap SE of the mean of a seeded normal sample (n = 200, B = 4000)
    /// is within 5% of the plug-in SE √(Σ(x - x̄)²/n)/√n that the bootstrap estimates. Its Monte Carlo
    /// relative error is about 1/√(2B) = 1.1%, so 5% is over 4 standard errors.
    func testBootstrapStandardErrorOfMeanMatchesAnalytic() throws {
        var g = SeededGenerator(seed: 2024)
        let x = (0..<200).map { _ -> Double in
            // Box-Muller from two uniforms in (0, 1].
            let u1 = (Double(g.next() >> 11) + 1) / 9_007_199_254_740_992, u2 = Double(g.next() >> 11) / 9_007_199_254_740_992
            return 3 + 2 * (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        }
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        let plugIn = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot() / n.squareRoot()
        let result = try Bootstrap.run(rowCount: x.count, options: BootstrapOptions(replicates: 4000, seed: 3)) { rows in
            [rows.reduce(0) { $0 + x[$1] } / Double(rows.count)]
        }
        assertClose(result.standardError(of: 0), plugIn, relative: 0.05, "bootstrap SE of the mean")
        // The percentile interval covers the estimate and is close to mean ± 1.96 SE.
        let interval = try BootstrapInterval.percentile(replicates: result.values(of: 0), level: 0.95)
        assertClose(interval.upper - interval.lower, 2 * 1.959964 * plugIn, relative: 0.08, "95% percentile width")
    }
}

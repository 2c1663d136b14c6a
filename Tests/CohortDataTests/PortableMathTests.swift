import CohortData
import CohortTestSupport
import Glibc
import XCTest

/// PortableMath (issue 12: the same bits on every CPU) against glibc on random arguments over each
/// function's range: ulps for exp, log, log1p, expm1; relative error for erf and erfc in both tails;
/// absolute error for lgamma below 10 (around its zeros at 1 and 2 absolute is what a difference of
/// log-gammas sees) and relative elsewhere.
final class PortableMathTests: XCTestCase {
    func ulps(_ a: Double, _ b: Double) -> Double {
        if a == b { return 0 }
        return abs(a - b) / b.ulp
    }

    /// The worst error of `ours` against `theirs` over `count` seeded arguments from `range`.
    func worst(_ count: Int, _ range: ClosedRange<Double>, seed: UInt64, measure: (Double) -> Double) -> (error: Double, at: Double) {
        var generator = SeededGenerator(seed: seed)
        var result = (error: 0.0, at: Double.nan)
        for _ in 0..<count {
            let x = Double.random(in: range, using: &generator)
            let e = measure(x)
            if e > result.error { result = (e, x) }
        }
        return result
    }

    func testExpAndLogAreWithinOneUlpOfGlibc() {
        let expWorst = worst(400_000, -745...709.78, seed: 1) { ulps(PortableMath.exp($0), Glibc.exp($0)) }
        let expNear = worst(400_000, -1...1, seed: 2) { ulps(PortableMath.exp($0), Glibc.exp($0)) }
        let logWorst = worst(400_000, 1e-300...1e300, seed: 3) { ulps(PortableMath.log($0), Glibc.log($0)) }
        let logNear = worst(400_000, 0.5...2, seed: 4) { ulps(PortableMath.log($0), Glibc.log($0)) }
        print("exp: \(expWorst), near 0: \(expNear); log: \(logWorst), near 1: \(logNear)")
        XCTAssertLessThanOrEqual(max(expWorst.error, expNear.error), 1, "exp ulps")
        XCTAssertLessThanOrEqual(max(logWorst.error, logNear.error), 1, "log ulps")
    }

    func testLog1pAndExpm1AreWithinAFewUlpsOfGlibc() {
        let log1pWorst = worst(400_000, -0.999...10, seed: 5) { ulps(PortableMath.log1p($0), Glibc.log1p($0)) }
        let log1pTiny = worst(200_000, -1e-6...1e-6, seed: 6) { ulps(PortableMath.log1p($0), Glibc.log1p($0)) }
        let expm1Worst = worst(400_000, -40...700, seed: 7) { ulps(PortableMath.expm1($0), Glibc.expm1($0)) }
        let expm1Small = worst(400_000, -0.5...0.5, seed: 8) { ulps(PortableMath.expm1($0), Glibc.expm1($0)) }
        print("log1p: \(log1pWorst), tiny: \(log1pTiny); expm1: \(expm1Worst), small: \(expm1Small)")
        XCTAssertLessThanOrEqual(max(log1pWorst.error, log1pTiny.error), 1, "log1p ulps")
        XCTAssertLessThanOrEqual(max(expm1Worst.error, expm1Small.error), 3, "expm1 ulps")
    }

    func testErfAndErfcKeepRelativeAccuracyInBothTails() {
        func relative(_ a: Double, _ b: Double) -> Double { a == b ? 0 : abs(a - b) / abs(b) }
        let erfcUpper = worst(400_000, -6...26.5, seed: 9) { relative(PortableMath.erfc($0), Glibc.erfc($0)) }
        let erfAll = worst(400_000, -6...6, seed: 10) { relative(PortableMath.erf($0), Glibc.erf($0)) }
        print("erfc: \(erfcUpper); erf: \(erfAll)")
        XCTAssertLessThan(erfcUpper.error, 5e-15, "erfc relative")
        XCTAssertLessThan(erfAll.error, 5e-15, "erf relative")
    }

    func testLogGammaAgreesWithGlibc() {
        let small = worst(400_000, 1e-10...10, seed: 11) { x in
            let theirs: Double = Glibc.lgamma(x)
            return abs(PortableMath.lgamma(x) - theirs) / max(1, abs(theirs))
        }
        let large = worst(400_000, 10...1e8, seed: 12) { x in
            let theirs: Double = Glibc.lgamma(x)
            return abs(PortableMath.lgamma(x) - theirs) / theirs
        }
        let negative = worst(100_000, -30 ... -1e-6, seed: 13) { x in
            x == x.rounded() ? 0 : abs(PortableMath.lgamma(x) - (Glibc.lgamma(x) as Double)) / max(1, abs(Glibc.lgamma(x) as Double))
        }
        print("lgamma (0, 10]: \(small); [10, 1e8]: \(large); negative: \(negative)")
        XCTAssertLessThan(small.error, 1e-14, "lgamma below 10: relative, absolute where |lgamma| < 1")
        XCTAssertLessThan(large.error, 2e-15, "lgamma relative above 10")
        XCTAssertLessThan(negative.error, 1e-13, "lgamma by reflection")
    }

    func testSpecialValues() {
        XCTAssertEqual(PortableMath.exp(0), 1)
        XCTAssertEqual(PortableMath.exp(-.infinity), 0)
        XCTAssertEqual(PortableMath.exp(.infinity), .infinity)
        XCTAssertEqual(PortableMath.exp(710), .infinity)
        XCTAssertEqual(PortableMath.exp(-746), 0)
        XCTAssertTrue(PortableMath.exp(.nan).isNaN)
        XCTAssertEqual(PortableMath.log(1), 0)
        XCTAssertEqual(PortableMath.log(0), -.infinity)
        XCTAssertTrue(PortableMath.log(-1).isNaN)
        XCTAssertEqual(PortableMath.log(.leastNonzeroMagnitude), Glibc.log(.leastNonzeroMagnitude))
        XCTAssertEqual(PortableMath.log1p(-1), -.infinity)
        XCTAssertEqual(PortableMath.lgamma(1), 0)
        XCTAssertEqual(PortableMath.lgamma(2), 0)
        XCTAssertEqual(PortableMath.lgamma(0), .infinity)
        XCTAssertEqual(PortableMath.lgamma(-3), .infinity)
        XCTAssertEqual(PortableMath.erfc(0), 1)
        XCTAssertEqual(PortableMath.erfc(30), 0)
        XCTAssertEqual(PortableMath.erfc(-30), 2)
        for k in -30...30 { XCTAssertEqual(PortableMath.decimalExponent(PortableMath.powerOfTen(k)), k, "10^\(k)") }
        XCTAssertEqual(PortableMath.decimalExponent(999.9999999999999), 2)
        XCTAssertEqual(PortableMath.decimalExponent(-0.05), -2)
    }
}

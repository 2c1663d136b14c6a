import CohortStats
import CohortTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Identities and closed forms the special functions must satisfy, independent of any reference
/// file: inverse round trips, exact t distributions for 1 and 2 degrees of freedom, the normal
/// limit of t, and chi-square with 2 degrees of freedom (an exponential).
final class SpecialFunctionIdentityTests: XCTestCase {
    /// quantile(cdf(x)) = x, from the tail that is below 1/2, over random shapes and points.
    func testBetaQuantileInvertsTheCdf() {
        var generator = SeededGenerator(seed: 4)
        var checked = 0
        for _ in 0..<2000 {
            let a = exp(Double.random(in: log(0.5)...log(1e4), using: &generator))
            let b = exp(Double.random(in: log(0.5)...log(1e4), using: &generator))
            let x = Double.random(in: 0.001...0.999, using: &generator)
            let lower = BetaDistribution.cdf(x, a: a, b: b)
            guard lower > 1e-300 && lower < 1 - 1e-300 else { continue }
            let back = lower <= 0.5 ? BetaDistribution.quantile(lower, a: a, b: b)
                : BetaDistribution.quantile(BetaDistribution.survival(x, a: a, b: b), a: a, b: b, upperTail: true)
            // The round trip is only as good as the cdf's conditioning: dx = dP / density.
            assertClose(back, x, relative: 1e-11, "qbeta(pbeta(\(x), \(a), \(b)))")
            checked += 1
        }
        // The guard must not have skipped the test away: with shapes up to 1e4, about half the random
        // points (960 of 2000 with this seed) lie in tails beyond 1e-300 and are skipped.
        XCTAssertGreaterThan(checked, 900, "round trips actually checked")
    }

    func testCauchyAndTwoDegreesOfFreedomClosedForms() {
        for t in [-1e6, -30.0, -3, -1, -0.1, 0, 0.5, 2, 40] {
            // ν = 1: P(T <= t) = 1/2 + atan(t)/π;  ν = 2: 1/2 + t / (2 sqrt(2 + t²))
            let cauchy = t < 0 ? atan(-1 / t) / .pi : 0.5 + atan(t) / .pi
            assertClose(StudentT.cdf(t, df: 1), cauchy, relative: 1e-13, "t1 cdf at \(t)")
            // lower tail rationalised, 1/2 - |t|/(2s) = 1/(s(s + |t|)) with s = sqrt(2 + t²), so the
            // reference itself does not cancel at t = -1e6
            let s = (2 + t * t).squareRoot()
            let two = t < 0 ? 1 / (s * (s - t)) : 0.5 + t / (2 * s)
            assertClose(StudentT.cdf(t, df: 2), two, relative: 1e-12, "t2 cdf at \(t)")
        }
        XCTAssertEqual(StudentT.cdf(0, df: 1), 0.5, "the t distribution is symmetric about 0")
        for p in [1e-300, 1e-10, 0.025, 0.3] {
            assertClose(StudentT.quantile(p, df: 1), -1 / tan(.pi * p), relative: 1e-12, "Cauchy quantile at \(p)")
        }
    }

    /// t → normal as ν → ∞: the difference in the 97.5% quantile is about (z³ + z)/(4ν).
    func testStudentTApproachesTheNormal() {
        let z = Normal.quantile(0.975)
        for df in [1e3, 1e5, 1e7] {
            let difference = StudentT.quantile(0.975, df: df) - z
            assertClose(difference, (z * z * z + z) / (4 * df), relative: 2e-2, "qt - qnorm at ν = \(df)")
        }
        assertClose(StudentT.cdf(-1.5, df: 1e9), Normal.cdf(-1.5), relative: 1e-8, "pt at ν = 1e9")
    }

    /// χ²₂ is exponential with mean 2: P(X > x) = exp(-x/2), quantile -2 log(q).
    func testChiSquareTwoDegreesOfFreedomIsExponential() {
        for x in [1e-10, 0.1, 1, 10, 100, 1000] {
            assertClose(ChiSquare.survival(x, df: 2), exp(-x / 2), relative: 1e-13, "Q at \(x)")
            assertClose(ChiSquare.cdf(x, df: 2), -expm1(-x / 2), relative: 1e-13, "P at \(x)")
        }
        for q in [1e-300, 1e-20, 0.05, 0.5, 0.99] {
            assertClose(ChiSquare.quantile(q, df: 2, upperTail: true), -2 * log(q), relative: 1e-13, "upper quantile \(q)")
        }
    }

    /// quantile(cdf(x)) = x. Checked in this direction because the quantile's relative error is the
    /// cdf's divided by x·density/P (up to ~2e4 in the far tail at ν = 1e6), so a round trip
    /// starting from p would have to allow for that magnification.
    func testChiSquareQuantileInvertsTheCdfAcrossDegreesOfFreedom() {
        var checked = 0
        for df in [1.0, 3, 10, 250, 1e4, 1e6] {
            let sd = (2 * df).squareRoot()
            for x in [df * 1e-3, max(df - 3 * sd, df * 0.01), df, df + sd, df + 5 * sd, df + 40 * sd] {
                let lower = ChiSquare.cdf(x, df: df), upper = ChiSquare.survival(x, df: df)
                guard min(lower, upper) > 1e-300 else { continue }   // the tail has left the normal range
                let back = lower <= 0.5 ? ChiSquare.quantile(lower, df: df) : ChiSquare.quantile(upper, df: df, upperTail: true)
                assertClose(back, x, relative: 1e-12, "qchisq(pchisq(\(x), \(df)))")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 30, "round trips actually checked (36 points, a few in tails beyond 1e-300)")
    }
}

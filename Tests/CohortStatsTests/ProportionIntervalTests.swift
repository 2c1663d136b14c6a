import CohortStats
import CohortTestSupport
import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Binomial proportion intervals against R 4.2.2 (Tests/Fixtures/proportions/binomial_intervals.json,
/// written by Tests/References/proportion_references.R: `binom.test` for Clopper-Pearson, the
/// published formulas with `qnorm`/`qbeta` for the others, Wilson cross-checked with `prop.test`),
/// plus the defining identities and the boundary conventions.
final class ProportionIntervalTests: XCTestCase {
    struct Case: Decodable {
        let events: Int
        let n: Int
        let level: Double
        let method: String
        let lower: Double
        let upper: Double
    }

    struct File: Decodable { let cases: [Case] }

    func loadCases() throws -> [Case] {
        let url = URL(fileURLWithPath: Fixtures.path("proportions/binomial_intervals.json"))
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }

    /// 1e-12 relative, as the special functions underneath; a boundary of exactly 0 or 1 in R must
    /// be exactly 0 or 1 here.
    func testAllMethodsAgainstR() throws {
        let cases = try loadCases()
        XCTAssertEqual(cases.count, 120)
        for c in cases {
            let method = try XCTUnwrap(BinomialInterval.Method(rawValue: c.method), c.method)
            let estimate = try BinomialInterval.estimate(events: c.events, n: c.n, level: c.level, method: method)
            let what = "\(c.method) \(c.events)/\(c.n) at \(c.level)"
            // absolute 1e-15: R's textbook Wilson form leaves rounding of 2e-17 where the exact lower
            // limit is 0 (x = 0); we return the exact 0 (product-of-roots form).
            assertClose(estimate.lower, c.lower, relative: 1e-12, absolute: 1e-15, "\(what) lower")
            assertClose(estimate.upper, c.upper, relative: 1e-12, "\(what) upper")
            if c.lower == 0 { XCTAssertEqual(estimate.lower, 0, "\(what) lower boundary") }
            if c.upper == 1 { XCTAssertEqual(estimate.upper, 1, "\(what) upper boundary") }
            XCTAssertEqual(estimate.proportion, Double(c.events) / Double(c.n))
        }
    }

    /// P(X >= x | p) computed by summing binomial probabilities (in logarithms, with lgamma), an
    /// evaluation independent of the incomplete beta function the intervals use.
    func upperBinomialTail(_ x: Int, _ n: Int, _ p: Double) -> Double {
        (x...n).reduce(0.0) { sum, k in
            let logChoose = lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
            return sum + exp(logChoose + Double(k) * log(p) + Double(n - k) * log1p(-p))
        }
    }

    /// The Clopper-Pearson limits are defined by P(X >= x | lower) = α/2 and
    /// P(X <= x | upper) = α/2; checked by direct summation.
    func testClopperPearsonLimitsSolveTheBinomialTailEquations() throws {
        for (x, n) in [(1, 1), (3, 10), (12, 127), (8, 127), (30, 53), (126, 127)] {
            for level in [0.9, 0.95, 0.99] {
                let ci = try BinomialInterval.estimate(events: x, n: n, level: level)
                let halfAlpha = (1 - level) / 2
                assertClose(upperBinomialTail(x, n, ci.lower), halfAlpha, relative: 1e-10, "P(X >= \(x) | lower), n = \(n)")
                if x < n {
                    let atMost = 1 - upperBinomialTail(x + 1, n, ci.upper)
                    assertClose(atMost, halfAlpha, relative: 1e-10, "P(X <= \(x) | upper), n = \(n)")
                }
                // and through the incomplete beta: P(X >= x | p) = I_p(x, n - x + 1). 1e-11: the
                // limit is accurate to ~1e-14 and I_p magnifies that by p·density/I_p (up to ~200 here).
                assertClose(BetaDistribution.cdf(ci.lower, a: Double(x), b: Double(n - x + 1)), halfAlpha, relative: 1e-11, "I_lower")
            }
        }
    }

    /// Wilson limits are the roots of (p̂ - p)² = z² p(1-p)/n.
    func testWilsonLimitsSolveTheScoreEquation() throws {
        for (x, n) in [(1, 1000), (12, 127), (30, 53), (999, 1000)] {
            let ci = try BinomialInterval.estimate(events: x, n: n, method: .wilson)
            let z = Normal.quantile(0.025, upperTail: true), phat = Double(x) / Double(n)
            for p in [ci.lower, ci.upper] {
                let residual = (phat - p) * (phat - p) - z * z * p * (1 - p) / Double(n)
                XCTAssertLessThan(abs(residual), 1e-15, "Wilson \(x)/\(n) at \(p)")
            }
        }
    }

    /// No NaN ever, limits in [0, 1] around p̂, the boundary conventions at x = 0 and x = n, and a
    /// 99% interval containing the 95% one, for every x of small and moderate n.
    func testEveryMethodIsWellBehavedForEveryCount() throws {
        for n in [1, 2, 3, 7, 30, 127] {
            for x in 0...n {
                for method in BinomialInterval.Method.allCases {
                    let ci95 = try BinomialInterval.estimate(events: x, n: n, level: 0.95, method: method)
                    let ci99 = try BinomialInterval.estimate(events: x, n: n, level: 0.99, method: method)
                    let what = "\(method) \(x)/\(n)"
                    XCTAssertFalse(ci95.lower.isNaN || ci95.upper.isNaN, what)
                    XCTAssertTrue(0 <= ci95.lower && ci95.lower <= ci95.proportion && ci95.proportion <= ci95.upper && ci95.upper <= 1,
                                  "\(what): \(ci95)")
                    XCTAssertTrue(ci99.lower <= ci95.lower && ci95.upper <= ci99.upper, "\(what): 99% contains 95%")
                    if x == 0 { XCTAssertEqual(ci95.lower, 0, what) } else { XCTAssertGreaterThan(ci95.upper, 0, what) }
                    if x == n { XCTAssertEqual(ci95.upper, 1, what) } else { XCTAssertLessThan(ci95.lower, 1, what) }
                }
            }
        }
    }

    /// At x = 0 Clopper-Pearson's upper limit has the closed form 1 - (α/2)^(1/n).
    func testClopperPearsonAtZeroEventsHasTheClosedForm() throws {
        for n in [1, 10, 1000] {
            let ci = try BinomialInterval.estimate(events: 0, n: n, level: 0.95)
            assertClose(ci.upper, -expm1(log(0.025) / Double(n)), relative: 1e-13, "0/\(n) upper")
        }
    }

    func testDegenerateInputsThrowTypedErrors() {
        XCTAssertThrowsError(try BinomialInterval.estimate(events: 0, n: 0)) { error in
            XCTAssertEqual(error as? ProportionError, .noTrials)
            XCTAssertEqual("\(error)", "a proportion needs at least one trial (n = 0)")
        }
        XCTAssertThrowsError(try BinomialInterval.estimate(events: 5, n: 4)) { error in
            XCTAssertEqual(error as? ProportionError, .eventsOutOfRange(events: 5, n: 4))
        }
        XCTAssertThrowsError(try BinomialInterval.estimate(events: -1, n: 4))
        for level in [0, 1, 1.5, -0.1, .nan] {
            XCTAssertThrowsError(try BinomialInterval.estimate(events: 1, n: 4, level: level), "level \(level)")
        }
    }

    func testDefaultMethodAndPrinting() throws {
        let ci = try BinomialInterval.estimate(events: 12, n: 127)
        XCTAssertEqual(ci.method, .clopperPearson)
        XCTAssertEqual(ci.level, 0.95)
        XCTAssertTrue(ci.description.contains("Clopper-Pearson exact"), ci.description)
        XCTAssertEqual(BinomialInterval.Method.allCases.map(\.displayName),
                       ["Clopper-Pearson exact", "Wilson score", "Jeffreys", "Agresti-Coull"])
    }
}

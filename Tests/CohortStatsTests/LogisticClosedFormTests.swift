import Glibc
@testable import CohortStats
import CohortTestSupport
import XCTest

/// Hand-worked cases with closed-form answers, checked at convergence and, where it is cheap, at
/// intermediate quantities.
final class LogisticClosedFormTests: XCTestCase {
    /// A 2x2 table as 0/1 data: `a` events and `b` non-events with x = 1, `c` and `d` with x = 0.
    func twoByTwo(a: Int, b: Int, c: Int, d: Int) throws -> LogisticModel {
        var y: [Double] = [], x: [Double] = []
        for (count, yi, xi) in [(a, 1.0, 1.0), (b, 0.0, 1.0), (c, 1.0, 0.0), (d, 0.0, 0.0)] {
            y += Array(repeating: yi, count: count)
            x += Array(repeating: xi, count: count)
        }
        let design = DesignMatrix(values: Array(repeating: 1.0, count: y.count) + x, rowCount: y.count, columnNames: ["(Intercept)", "x"],
                                  terms: [ModelTerm(name: "(Intercept)", kind: .intercept, columns: 0..<1), ModelTerm(name: "x", kind: .numeric, columns: 1..<2)])
        return try LogisticModel(response: y, design: design)
    }

    /// Tolerance 1e-8: R's stopping rule (relative deviance change < 1e-8) leaves ~1e-10 in the
    /// estimates here; the contract with R is 1e-6.
    /// The saturated 2x2 model: slope = log odds ratio ad/bc, intercept = log(c/d),
    /// SE(slope) = √(1/a + 1/b + 1/c + 1/d) (Woolf), deviance = -2 Σ cells·log(cell proportion).
    func testTwoByTwoMaximumLikelihoodIsTheLogOddsRatio() throws {
        let (a, b, c, d) = (12.0, 8.0, 5.0, 25.0)
        let fitted = try fit(try twoByTwo(a: 12, b: 8, c: 5, d: 25))
        XCTAssertTrue(fitted.convergence.isConverged)
        assertClose(fitted.coefficients[1], Glibc.log(a * d / (b * c)), relative: 1e-8, "log odds ratio")
        assertClose(fitted.coefficients[0], Glibc.log(c / d), relative: 1e-8, "intercept = log odds at x = 0")
        assertClose(fitted.standardErrors[1], (1 / a + 1 / b + 1 / c + 1 / d).squareRoot(), relative: 1e-9, "Woolf SE")
        assertClose(fitted.standardErrors[0], (1 / c + 1 / d).squareRoot(), relative: 1e-9, "intercept SE")
        let loglik = a * Glibc.log(a / (a + b)) + b * Glibc.log(b / (a + b)) + c * Glibc.log(c / (c + d)) + d * Glibc.log(d / (c + d))
        assertClose(fitted.logLikelihood, loglik, relative: 1e-12, "log-likelihood")
        let k = a + c, n = a + b + c + d
        assertClose(fitted.nullLogLikelihood, k * Glibc.log(k / n) + (n - k) * Glibc.log(1 - k / n), relative: 1e-14, "null log-likelihood")
    }

    /// Firth on a saturated 2x2 table adds ½ to every cell (Haldane-Anscombe), so it stays finite
    /// with a zero cell.
    func testTwoByTwoFirthAddsAHalfToEveryCellEvenWithAZeroCell() throws {
        let (a, b, c, d) = (10.0, 0.0, 4.0, 16.0)
        let fitted = try fit(try twoByTwo(a: 10, b: 0, c: 4, d: 16), options: .firth)
        XCTAssertTrue(fitted.convergence.isConverged)
        assertClose(fitted.coefficients[1], Glibc.log((a + 0.5) * (d + 0.5) / ((b + 0.5) * (c + 0.5))), relative: 1e-9, "Haldane log odds ratio")
        assertClose(fitted.coefficients[0], Glibc.log((c + 0.5) / (d + 0.5)), relative: 1e-9, "Haldane intercept")
    }

    /// Intercept only: β₀ = logit(k/n), SE = 1/√(n π (1-π)); Firth: π = (k + ½)/(n + 1).
    func testInterceptOnly() throws {
        let y: [Double] = Array(repeating: 1, count: 3) + Array(repeating: 0, count: 17)
        let design = DesignMatrix(values: Array(repeating: 1, count: 20), rowCount: 20, columnNames: ["(Intercept)"],
                                  terms: [ModelTerm(name: "(Intercept)", kind: .intercept, columns: 0..<1)])
        let model = try LogisticModel(response: y, design: design)
        let ml = try fit(model)
        assertClose(ml.coefficients[0], Glibc.log(3.0 / 17), relative: 1e-12, "ML intercept")
        assertClose(ml.standardErrors[0], 1 / (20 * 0.15 * 0.85).squareRoot(), relative: 1e-10, "ML SE")
        let firth = try fit(model, options: .firth)
        assertClose(firth.coefficients[0], Glibc.log(3.5 / 17.5), relative: 1e-9, "Firth intercept")
    }

    /// The first Newton step from β = (logit ȳ, 0) solves the least-squares problem of the working
    /// response: checked here against an independent QR solve of √W X δ = (y-μ)/√W, i.e. the
    /// Cholesky path and the QR path give the same step.
    func testNewtonStepEqualsQRLeastSquaresStep() throws {
        let model = try twoByTwo(a: 7, b: 3, c: 4, d: 9)
        let n = model.nObservations
        let engine = LogisticEngine(model: model, options: .maximumLikelihood)
        try engine.withSolver { likelihood, solver in
            let start = engine.start
            let evaluation = try XCTUnwrap(likelihood.evaluate(start))
            let step = try XCTUnwrap(solver.solve(start: start, free: [0, 1], maxIterations: 1, tolerance: 0))
            var scaled = [Double](repeating: 0, count: n * 2), rhs = [Double](repeating: 0, count: n)
            for i in 0..<n {
                let eta = start[0] + start[1] * model.design.values[n + i]
                let mu = 1 / (1 + Glibc.exp(-eta)), w = mu * (1 - mu)
                scaled[i] = w.squareRoot()
                scaled[n + i] = w.squareRoot() * model.design.values[n + i]
                rhs[i] = (model.response[i] - mu) / w.squareRoot()
            }
            try ReferenceLAPACK.leastSquaresQR(&scaled, rows: n, columns: 2, rhs: &rhs)
            XCTAssertGreaterThan(evaluation.score.map(abs).max()!, 0.1, "the start is not already optimal")
            assertClose(step.beta[0] - start[0], rhs[0], relative: 1e-12, absolute: 1e-14, "intercept step")
            assertClose(step.beta[1] - start[1], rhs[1], relative: 1e-12, absolute: 1e-14, "slope step")
        }
    }
}

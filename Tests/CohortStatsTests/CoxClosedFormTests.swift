import Glibc
@testable import CohortStats
import CohortTestSupport
import XCTest

/// Hand-worked Cox cases (issue 14): the partial likelihood, score and information in closed form,
/// checked at fixed β as well as at the maximum, and the identities the fit relies on.
///
/// The data are the first example of survival's validation vignette (`validate.Rnw`, "test1"):
/// times 9, 1, 1, 6, 6, 8 with status 1, 1, 0, 1, 1, 0 and x 0, 1, 1, 1, 0, 0 (its row with a
/// missing status left out). With r = exp(β) the three event times give, worked out here by hand:
/// ```
/// t = 1: risk set x = 0,1,1,1,0,0 (S₀ = 3r + 3), death x = 1
/// t = 6: risk set x = 0,1,0,0     (S₀ = r + 3), deaths x = 1 and 0 (E₀ = r + 1)
/// t = 9: risk set x = 0, death x = 0 (contributes 0)
/// Breslow: ℓ = 2β − log(3r + 3) − 2 log(r + 3)
///          U = 2 − r/(r + 1) − 2r/(r + 3)          I = r/(r + 1)² + 6r/(r + 3)²
///          U = 0 ⇔ r² − 3r − 6 = 0, β̂ = log((3 + √33)/2)
/// Efron:   ℓ = 2β − log(3r + 3) − log(r + 3) − log((r + 5)/2)   (the second term at t = 6 is
///          S₀ − ½E₀ = (r + 5)/2)
///          U = 2 − r/(r + 1) − r/(r + 3) − r/(r + 5)   I = r/(r + 1)² + 3r/(r + 3)² + 5r/(r + 5)²
/// ```
final class CoxClosedFormTests: XCTestCase {
    static let times: [Double] = [9, 1, 1, 6, 6, 8]
    static let events = [true, true, false, true, true, false]
    static let x: [Double] = [0, 1, 1, 1, 0, 0]

    func model() throws -> CoxModel {
        try CoxModel(times: Self.times, events: Self.events, covariates: [("x", Self.x)])
    }

    struct ClosedForm: Sendable {
        let logLikelihood: @Sendable (Double) -> Double
        let score: @Sendable (Double) -> Double
        let information: @Sendable (Double) -> Double
    }

    static let breslow = ClosedForm(
        logLikelihood: { b in let r = Glibc.exp(b); return 2 * b - Glibc.log(3 * r + 3) - 2 * Glibc.log(r + 3) },
        score: { b in let r = Glibc.exp(b); return 2 - r / (r + 1) - 2 * r / (r + 3) },
        information: { b in let r = Glibc.exp(b); return r / ((r + 1) * (r + 1)) + 6 * r / ((r + 3) * (r + 3)) })

    static let efron = ClosedForm(
        logLikelihood: { b in let r = Glibc.exp(b); return 2 * b - Glibc.log(3 * r + 3) - Glibc.log(r + 3) - Glibc.log((r + 5) / 2) },
        score: { b in let r = Glibc.exp(b); return 2 - r / (r + 1) - r / (r + 3) - r / (r + 5) },
        information: { b in
            let r = Glibc.exp(b)
            return r / ((r + 1) * (r + 1)) + 3 * r / ((r + 3) * (r + 3)) + 5 * r / ((r + 5) * (r + 5))
        })

    func testLikelihoodScoreAndInformationMatchTheClosedFormsAtFixedBeta() throws {
        let model = try model()
        for (ties, form) in [(CoxTies.breslow, Self.breslow), (.efron, Self.efron)] {
            let likelihood = CoxPartialLikelihood(model: model, columns: [0], ties: ties)
            for beta in [0.0, Glibc.log(2.0), -1.3, 2.5] {
                let evaluation = try XCTUnwrap(likelihood.evaluate([beta]))
                assertClose(evaluation.logLikelihood, form.logLikelihood(beta), relative: 1e-14, "\(ties) ℓ(\(beta))")
                assertClose(evaluation.score[0], form.score(beta), relative: 1e-13, absolute: 1e-15, "\(ties) U(\(beta))")
                assertClose(evaluation.information[0], form.information(beta), relative: 1e-13, "\(ties) I(\(beta))")
            }
        }
        // At β = 0 as exact fractions: Breslow U = 1, I = 5/8; Efron U = 13/12, I = 1/4 + 3/16 + 5/36.
        let breslow = try XCTUnwrap(CoxPartialLikelihood(model: model, columns: [0], ties: .breslow).evaluate([0]))
        XCTAssertEqual(breslow.score[0], 1, accuracy: 1e-15)
        XCTAssertEqual(breslow.information[0], 5.0 / 8, accuracy: 1e-15)
        let efron = try XCTUnwrap(CoxPartialLikelihood(model: model, columns: [0], ties: .efron).evaluate([0]))
        XCTAssertEqual(efron.score[0], 13.0 / 12, accuracy: 1e-15)
        XCTAssertEqual(efron.information[0], 1.0 / 4 + 3.0 / 16 + 5.0 / 36, accuracy: 1e-15)
    }

    func testBreslowMaximumIsTheRootOfTheQuadratic() throws {
        let fitted = try fit(try model(), options: CoxOptions(ties: .breslow))
        XCTAssertEqual(fitted.convergence, .converged(iterations: fitted.convergence.iterations))
        let beta = Glibc.log((3 + 33.0.squareRoot()) / 2)
        assertClose(fitted.coefficients[0], beta, relative: 1e-13, "β̂ = log((3 + √33)/2)")
        assertClose(fitted.standardErrors[0], 1 / Self.breslow.information(beta).squareRoot(), relative: 1e-12, "SE = I(β̂)^-½")
        assertClose(fitted.logLikelihood, Self.breslow.logLikelihood(beta), relative: 1e-14, "ℓ(β̂)")
        assertClose(fitted.nullLogLikelihood, -Glibc.log(6) - 2 * Glibc.log(4), relative: 1e-15, "ℓ(0) = −log 6 − 2 log 4")
        // Score test at 0: U(0)²/I(0) = 1/(5/8).
        assertClose(fitted.scoreTest.chiSquare, 8.0 / 5, relative: 1e-14, "score test")
        assertClose(fitted.waldTest.chiSquare, beta * beta * Self.breslow.information(beta), relative: 1e-12, "Wald test")
        XCTAssertEqual(fitted.scoreTest.df, 1)
    }

    func testEfronMaximumSolvesItsScoreEquation() throws {
        let fitted = try fit(try model())
        XCTAssertTrue(fitted.convergence.isConverged)
        // U is decreasing in β: bisection on the closed form.
        var low = 0.0, high = 5.0
        for _ in 0..<200 { let mid = (low + high) / 2; if Self.efron.score(mid) > 0 { low = mid } else { high = mid } }
        // The stopping rule puts β̂ within 1e-10 SE (SE ≈ 1.3 here) of the root; it stopped 5e-12 away.
        assertClose(fitted.coefficients[0], (low + high) / 2, relative: 1e-10, "Efron β̂")
        assertClose(fitted.logLikelihood, Self.efron.logLikelihood(low), relative: 1e-14, "Efron ℓ(β̂)")
        assertClose(fitted.likelihoodRatioTest.chiSquare, 2 * (Self.efron.logLikelihood(low) - Self.efron.logLikelihood(0)),
                    relative: 1e-11, "LR test")
    }

    /// The score residuals at β = 0 worked by hand (rows in data order: (9,1,0), (1,1,1), (1,0,1),
    /// (6,1,1), (6,1,0), (8,0,0)). With r = 1 the event times give
    /// ```
    /// t = 1: den 6, x̄ = 1/2          t = 9: den 1, x̄ = 0
    /// t = 6, Breslow: 2 deaths over den 4, x̄ = 1/4
    /// t = 6, Efron:   den 4, x̄ = 1/4 and den 3, x̄ = 1/6; a death is at risk with weight 1 and ½
    /// ```
    /// Breslow, e.g. the death at 6 with x = 1: (1 − 1/4) − [1/6·(1 − 1/2) + 2/4·(1 − 1/4)] = 7/24.
    /// Efron, the same row: (1 − (1/4 + 1/6)/2) − [1/6·(1 − 1/2) + (1 − 1/4)/4 + ½(1 − 1/6)/3] = 55/144.
    /// They sum to U(0): 1 (Breslow) and 13/12 (Efron).
    func testScoreResidualsAtZeroMatchTheHandWorkedValues() throws {
        let model = try model()
        let expected: [(CoxTies, [Double])] = [
            (.breslow, [5.0 / 24, 5.0 / 12, -1.0 / 12, 7.0 / 24, -1.0 / 24, 5.0 / 24]),
            (.efron, [29.0 / 144, 5.0 / 12, -1.0 / 12, 55.0 / 144, -5.0 / 144, 29.0 / 144]),
        ]
        for (ties, values) in expected {
            let residuals = CoxPartialLikelihood(model: model, columns: [0], ties: ties).scoreResiduals([0])
            for (i, value) in values.enumerated() {
                assertClose(residuals[i], value, relative: 1e-14, absolute: 1e-16, "\(ties) L[\(i)]")
            }
        }
    }

    /// Σᵢ Lᵢ = U(β) for both tie conventions, with strata and several covariates.
    func testScoreResidualsSumToTheScore() throws {
        var generator = SeededGenerator(seed: 14)
        let n = 200
        let times = (0..<n).map { _ in Double(generator.bounded(12) + 1) }
        let events = (0..<n).map { _ in generator.bounded(3) > 0 }
        let a = (0..<n).map { _ in Double(generator.bounded(100)) / 50 - 1 }
        let b = (0..<n).map { _ in Double(generator.bounded(2)) }
        let strata = (0..<n).map { _ in generator.bounded(3) }
        let model = try CoxModel(times: times, events: events, covariates: [("a", a), ("b", b)], strata: strata)
        for ties in CoxTies.allCases {
            let likelihood = CoxPartialLikelihood(model: model, columns: [0, 1], ties: ties)
            let beta = [0.4, -0.7]
            let evaluation = try XCTUnwrap(likelihood.evaluate(beta))
            let residuals = likelihood.scoreResiduals(beta)
            for j in 0..<2 {
                let sum = (0..<n).reduce(0.0) { $0 + residuals[$1 * 2 + j] }
                assertClose(sum, evaluation.score[j], relative: 1e-11, absolute: 1e-11, "\(ties) Σ L[\(j)]")
            }
        }
    }

    /// The analytic score and information agree with central differences of ℓ.
    func testScoreAndInformationAreTheDerivativesOfTheLikelihood() throws {
        let reference = try CoxReferenceTests.load("ties_strata")
        for ties in CoxTies.allCases {
            let likelihood = CoxPartialLikelihood(model: reference.model, columns: [0, 1, 2], ties: ties)
            let beta = [0.3, -0.5, 0.01]
            let evaluation = try XCTUnwrap(likelihood.evaluate(beta))
            let h = 1e-5
            for j in 0..<3 {
                var up = beta, down = beta
                up[j] += h
                down[j] -= h
                let plus = try XCTUnwrap(likelihood.evaluate(up)), minus = try XCTUnwrap(likelihood.evaluate(down))
                assertClose(evaluation.score[j], (plus.logLikelihood - minus.logLikelihood) / (2 * h), relative: 1e-6, absolute: 1e-6, "\(ties) U[\(j)]")
                for k in 0..<3 {
                    assertClose(evaluation.information[k * 3 + j], -(plus.score[k] - minus.score[k]) / (2 * h), relative: 1e-6, absolute: 1e-6,
                                "\(ties) I[\(j), \(k)]")
                }
            }
        }
    }
}

@testable import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// Fine-Gray: a hand-worked example, identities, monotone likelihood, non-convergence, invalid input.
final class FineGrayTests: XCTestCase {
    /// Six rows, one 0/1 covariate, every time distinct:
    /// ```
    /// row  time  status       x      censoring KM: Y(3) = 4, one censored → Ĝ(3) = 3/4
    ///  1    1    competing    1                    Y(6) = 1, one censored → Ĝ(6) = 0
    ///  2    2    event        0      left limits Gⱼ = Ĝ(Tⱼ−): 1, 1, 1, 3/4, 3/4, 3/4
    ///  3    3    censored     1
    ///  4    4    event        1
    ///  5    5    competing    0
    ///  6    6    censored     0
    /// ```
    /// At β = 0 (every rᵢ = 1):
    /// - event time 2: rows 2-6 with weight 1 and row 1 with Ĝ(2−)/G₁ = 1: S₀ = 6, S₁ = S₂ = 3, x̄ = 1/2;
    /// - event time 4: rows 4-6 with weight 1 and row 1 with Ĝ(4−)/G₁ = 3/4: S₀ = 15/4, S₁ = S₂ = 7/4, x̄ = 7/15.
    ///
    /// So ℓ(0) = −log 6 − log(15/4), U(0) = (0 − 1/2) + (1 − 7/15) = 1/30,
    /// I(0) = (1/2 − 1/4) + (7/15 − 49/225) = 1/4 + 56/225 = 449/900, and the first Newton step is
    /// β₁ = U/I = 30/449. The score equation 1/(1 + e^β) = 7e^β/(8 + 7e^β) gives e^{2β̂} = 8/7:
    /// β̂ = ½ log(8/7).
    ///
    /// The sandwich's terms at β = 0, with dΛ̂₀ = 1/6 at time 2 and 4/15 at time 4:
    /// ```
    /// η₁ = −[1·(1 − 1/2)/6 + (3/4)(1 − 7/15)(4/15)]   = −171/900   (competing: later event times, weighted)
    /// η₂ = (0 − 1/2) − (0 − 1/2)/6                    = −375/900
    /// η₃ = −(1 − 1/2)/6                               =  −75/900
    /// η₄ = (1 − 7/15) − (1 − 1/2)/6 − (1 − 7/15)(4/15) =  277/900
    /// η₅ = η₆ = −(0 − 1/2)/6 − (0 − 7/15)(4/15)        =  187/900
    /// q(3) = (3/4)(4/15)(1 − 7/15) = 8/75 (row 1 is the competing row before 3), q(6) = 0
    /// ψ₃ = q(3)/4 − q(3)/16 = 18/900,  ψ₄ = ψ₅ = ψ₆ = −q(3)/16 = −6/900,  ψ₁ = ψ₂ = 0
    /// ```
    /// Σηᵢ = 30/900 = U(0) and Σψᵢ = 0; the middle is Σ(ηᵢ + ψᵢ)² = 312078/900², and crr's `var` at
    /// β = 0 (`crr(..., init = 0, maxiter = 0)`) is that over I(0)², 1.5479982738180864, which R
    /// prints (checked on 2026-12-03 with cmprsk 2.2-11).
    static func handModel() throws -> FineGrayModel {
        try FineGrayModel(times: [1, 2, 3, 4, 5, 6], status: [.competing, .event, .censored, .event, .competing, .censored],
                          covariates: [("x", [1, 0, 1, 1, 0, 0])])
    }

    func testHandWorkedWeightsScoreInformationAndFirstStep() throws {
        let model = try Self.handModel()
        let likelihood = FineGrayLikelihood(model: model, columns: [0])
        XCTAssertEqual(likelihood.leftCensoringSurvival, [1, 1, 1, 0.75, 0.75, 0.75])
        XCTAssertEqual(likelihood.atRisk, [6, 5, 4, 3, 2, 1])
        let (evaluation, riskSets) = likelihood.sweep([0])
        let at0 = try XCTUnwrap(evaluation)
        assertClose(at0.logLikelihood, -Foundation.log(6) - Foundation.log(15.0 / 4), relative: 1e-15, "ℓ(0)")
        assertClose(at0.score[0], 1.0 / 30, relative: 1e-14, "U(0)")
        assertClose(at0.information[0], 449.0 / 900, relative: 1e-15, "I(0)")
        assertClose(riskSets.hazard[0], 1.0 / 6, relative: 1e-15, "d/S₀ at 2")
        assertClose(riskSets.hazard[1], 4.0 / 15, relative: 1e-15, "d/S₀ at 4")
        // One Newton step from 0.
        let solver = CoxNewton(likelihood: likelihood, maxIterations: 1, tolerance: 0, maxStepHalvings: 0)
        let step = solver.solve(start: [0], initial: at0, maxIterations: 1, tolerance: 0)
        assertClose(step.beta[0], 30.0 / 449, relative: 1e-14, "β₁")
        // The sandwich terms and the variance at 0, and the estimate.
        let terms = likelihood.sandwichTerms([0])
        let expected = [-171.0, -375, -57, 271, 181, 181].map { $0 / 900 }
        for i in 0..<6 { assertClose(terms[i], expected[i], relative: 1e-14, "η + ψ of row \(i + 1)") }
        let middle = likelihood.sandwichMiddle([0])[0]
        assertClose(middle, 312078.0 / 810000, relative: 1e-14, "Σ(η + ψ)²")
        assertClose(middle / (at0.information[0] * at0.information[0]), 1.5479982738180864, relative: 1e-14, "crr var at 0")
        let fitted = try fit(model)
        // The fit stops once the Newton decrement is ≤ 1e-10 (here about 1e-14 after the last step).
        assertClose(fitted.coefficients[0], 0.5 * Foundation.log(8.0 / 7), relative: 1e-12, "β̂ = ½ log(8/7)")
        XCTAssertTrue(fitted.convergence.isConverged)
        XCTAssertEqual(fitted.eventTimes, [2, 4])
    }

    /// Σᵢ ηᵢ = U(β) (the residuals split the score) and Σᵢ ψᵢ = 0 (each censoring time's dN^c
    /// cancels its compensator exactly), so Σᵢ (ηᵢ + ψᵢ) = U(β), at β = 0 and away from it, on the
    /// reference cohort (the hand-worked example checks Σψ = 0 on its own).
    func testResidualsSplitTheScoreAndTheCensoringTermSumsToZero() throws {
        let model = try FineGrayReferenceTests.load("cohort").model
        let likelihood = FineGrayLikelihood(model: model, columns: [0, 1, 2])
        for beta in [[0.0, 0, 0], [0.03, -0.4, 0.3], [-0.02, 0.5, 1.0]] {
            let score = try XCTUnwrap(likelihood.evaluate(beta)).score
            let terms = likelihood.sandwichTerms(beta)
            for a in 0..<3 {
                let total = (0..<likelihood.n).reduce(0.0) { $0 + terms[a * likelihood.n + $1] }
                assertClose(total, score[a], relative: 1e-10, absolute: 1e-11, "Σ(η + ψ) = U at \(beta) [\(a)]")
            }
        }
    }

    /// The score is the gradient of ℓ and the information minus its Hessian (central differences).
    func testScoreAndInformationAreTheDerivatives() throws {
        let model = try FineGrayReferenceTests.load("ties").model
        let likelihood = FineGrayLikelihood(model: model, columns: [0, 1])
        let beta = [0.4, -0.3], h = 1e-5
        let at = try XCTUnwrap(likelihood.evaluate(beta))
        for a in 0..<2 {
            var up = beta, down = beta
            up[a] += h
            down[a] -= h
            let plus = try XCTUnwrap(likelihood.evaluate(up)), minus = try XCTUnwrap(likelihood.evaluate(down))
            assertClose(at.score[a], (plus.logLikelihood - minus.logLikelihood) / (2 * h), relative: 1e-6, "U[\(a)]")
            for b in 0..<2 {
                assertClose(at.information[b * 2 + a], -(plus.score[b] - minus.score[b]) / (2 * h), relative: 1e-6, "I[\(a),\(b)]")
            }
        }
    }

    /// Rows in any order give the same bits (the sort breaks ties by status and covariates, so sums
    /// run in one order), and two runs give the same bits, in both conventions.
    func testPermutedRowsGiveIdenticalBits() throws {
        let model = try FineGrayReferenceTests.load("ties").model
        let n = model.nObservations, p = model.design.columnCount
        let permutation = (0..<n).map { ($0 * 7 + 3) % n }  // 7 and 300 are coprime
        let permuted = try FineGrayModel(
            times: permutation.map { model.times[$0] }, status: permutation.map { model.status[$0] },
            covariates: (0..<p).map { j in (model.design.columnNames[j], permutation.map { model.design.values[j * n + $0] }) })
        for convention in FineGrayConvention.allCases {
            let options = FineGrayOptions(convention: convention)
            let first = try fit(model, options: options), second = try fit(model, options: options)
            let shuffled = try fit(permuted, options: options)
            for other in [second, shuffled] {
                XCTAssertEqual(first.coefficients, other.coefficients, "\(convention)")
                XCTAssertEqual(first.covariance, other.covariance, "\(convention)")
                XCTAssertEqual(first.naiveCovariance, other.naiveCovariance, "\(convention)")
                XCTAssertEqual(first.logLikelihood, other.logLikelihood, "\(convention)")
                XCTAssertEqual(first.nullLogLikelihood, other.nullLogLikelihood, "\(convention)")
                XCTAssertEqual(first.baselineJumps, other.baselineJumps, "\(convention)")
            }
        }
    }

    /// Every event of interest has z = 1: the subdistribution hazard ratio of z runs to infinity,
    /// named as monotone likelihood with its direction; and a group without events, to 0.
    func testMonotoneLikelihoodIsNamed() throws {
        let n = 40
        let z = (0..<n).map { Double($0 % 2) }
        let x = (0..<n).map { Double(($0 * 37) % 11) / 10 - 0.5 }
        let status: [FineGrayStatus] = (0..<n).map { i in
            i % 2 == 1 ? (i % 4 == 1 ? .event : .competing) : (i % 3 == 0 ? .competing : .censored)
        }
        let model = try FineGrayModel(times: (0..<n).map { Double($0 / 2 + 1) }, status: status, covariates: [("x", x), ("z", z)])
        let fitted = try fit(model)
        XCTAssertEqual(fitted.convergence, .monotoneLikelihood(columns: ["z"], increasing: [true], iterations: fitted.convergence.iterations))
        XCTAssertTrue(fitted.diagnostics.contains(.monotoneLikelihood(columns: ["z"], increasing: [true])))
        XCTAssertGreaterThan(fitted.coefficients[1], 15)

        // A group without events of interest (its rows only competing or censored, yet in the
        // weighted risk sets): its subdistribution hazard ratio runs to 0.
        let group = (0..<n).map { Double($0 % 3 == 0 ? 1 : 0) }
        let noEvents: [FineGrayStatus] = (0..<n).map { i in
            i % 3 == 0 ? (i % 2 == 0 ? .competing : .censored) : (i % 4 == 1 ? .competing : .event)
        }
        let decreasing = try fit(FineGrayModel(times: (0..<n).map { Double($0 / 2 + 1) }, status: noEvents,
                                               covariates: [("x", x), ("group", group)]))
        XCTAssertEqual(decreasing.convergence,
                       .monotoneLikelihood(columns: ["group"], increasing: [false], iterations: decreasing.convergence.iterations))
        XCTAssertTrue(decreasing.diagnostics.map(\.description).joined().contains("hazard ratio of group goes to 0"))
        XCTAssertLessThan(decreasing.coefficients[1], -15)
    }

    /// Too few iterations: reported as a value, with a diagnostic, not thrown.
    func testNonConvergenceIsReported() throws {
        let model = try FineGrayReferenceTests.load("cohort").model
        let fitted = try fit(model, options: FineGrayOptions(maxIterations: 1))
        XCTAssertEqual(fitted.convergence, .maxIterationsReached(1))
        XCTAssertFalse(fitted.convergence.isConverged)
        XCTAssertTrue(fitted.diagnostics.contains(.notConverged(iterations: 1, reason: nil)))
    }

    /// A copy of a column is aliased: NaN, reported, the others fitted as without it.
    func testAliasedColumnIsReportedAndLeftOut() throws {
        let reference = try FineGrayReferenceTests.load("cohort_two")
        let model = reference.model
        let n = model.nObservations
        let sex = Array(model.design.values[0..<n]), score = Array(model.design.values[n..<(2 * n)])
        let augmented = try FineGrayModel(times: model.times, status: model.status,
                                          covariates: [("sex", sex), ("twice", sex.map { 2 * $0 }), ("score", score)])
        let fitted = try fit(augmented)
        XCTAssertEqual(fitted.aliased, [false, true, false])
        XCTAssertTrue(fitted.diagnostics.contains(.aliased(columns: ["twice"])))
        XCTAssertTrue(fitted.coefficients[1].isNaN && fitted.standardErrors[1].isNaN)
        let expected = try XCTUnwrap(reference.numbers("coefficients"))
        assertClose(fitted.coefficients[0], expected[0], relative: 1e-9, "β sex")
        assertClose(fitted.coefficients[2], expected[1], relative: 1e-9, "β score")
        XCTAssertEqual(fitted.degreesOfFreedom, 2)
    }

    func testInvalidInputThrows() throws {
        let x = [("x", [0.1, 0.2, 0.3])]
        XCTAssertThrowsError(try FineGrayModel(times: [1, 2], status: [.event, .censored, .event], covariates: x))
        XCTAssertThrowsError(try FineGrayModel(times: [1, -2, 3], status: [.event, .censored, .event], covariates: x))
        XCTAssertThrowsError(try FineGrayModel(times: [1, .nan, 3], status: [.event, .censored, .event], covariates: x))
        XCTAssertThrowsError(try FineGrayModel(times: [1, 2, 3], status: [.competing, .censored, .competing], covariates: x))
        XCTAssertThrowsError(try FineGrayModel(times: [1, 2, 3], status: [.event, .censored, .competing],
                                               covariates: [("a", [0, 1, 0]), ("b", [1, 1, 0])]))
        XCTAssertThrowsError(try FineGrayModel(times: [1, 2, 3], status: [.event, .censored, .event], covariates: []))
        XCTAssertThrowsError(try FineGrayModel(times: [1, 2, 3], statusCodes: [1, 0, 1], eventCode: 1, censoringCode: 1, covariates: x))
        XCTAssertThrowsError(try FineGrayModel(times: [1, 2, 3], status: [.event, .censored, .event], covariates: [("x", [0, .infinity, 1])]))
    }

    /// 1,000,000 rows x 5 covariates, fit and sandwich SEs: run only with FINEGRAY_TIMING=1 (and
    /// `-c release`); prints the time. Not a timed assertion.
    func testLargeFitTiming() throws {
        guard ProcessInfo.processInfo.environment["FINEGRAY_TIMING"] != nil else {
            throw XCTSkip("set FINEGRAY_TIMING=1 to run the 1,000,000-row timing")
        }
        var generator = SeededGenerator(seed: 20261204)
        let n = 1_000_000
        func uniform() -> Double { Double(generator.next() >> 11) * 0x1p-53 }
        let columns = (0..<5).map { j in (name: "x\(j)", values: (0..<n).map { _ in j == 4 ? Double(generator.bounded(2)) : (uniform() * 4 - 2) }) }
        var times: [Double] = [], status: [FineGrayStatus] = []
        for i in 0..<n {
            let eta = 0.3 * columns[0].values[i] - 0.2 * columns[1].values[i] + 0.5 * columns[4].values[i]
            let eventTime = -Foundation.log(max(uniform(), 1e-300)) / (0.01 * Foundation.exp(eta))
            let censorTime = uniform() * 400
            times.append(Double(Int(min(eventTime, censorTime)) + 1))
            status.append(eventTime > censorTime ? .censored : (uniform() < 0.6 ? .event : .competing))
        }
        let model = try FineGrayModel(times: times, status: status, covariates: columns)
        let start = Date()
        let fitted = try fit(model)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertTrue(fitted.convergence.isConverged)
        XCTAssertTrue(fitted.standardErrors.allSatisfy(\.isFinite))
        print(String(format: "Fine-Gray fit + sandwich SEs, n = %d, p = 5, %d events, %d competing: %.3f s (%d iterations)", n,
                     fitted.nEvents, fitted.nCompeting, elapsed, fitted.convergence.iterations))
    }
}

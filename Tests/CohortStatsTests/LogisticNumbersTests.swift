@testable import CohortStats
import CohortData
import CohortTestSupport
import XCTest

/// Issue 12 ("Numbers"), checked by definition rather than against another program: each reported
/// profile limit is a point where the constrained refit's (penalised) deviance exceeds the fit's by
/// χ²₁(0.95); the stopping rule's quantities are reported and met; the Firth step cap is per
/// standard deviation. Data: the issue 12 fixtures written by Tests/References/logit_numbers_references.R.
final class LogisticNumbersTests: XCTestCase {
    func model(_ reference: String) throws -> LogisticModel {
        let reference = try LogisticReference.load(reference)
        let table = try CSVReader.read(path: reference.dataPath)
        return try LogisticModel(table: table, outcome: reference.outcome, covariates: reference.covariates,
                                 referenceLevels: reference.referenceLevels)
    }

    /// 2(ℓ̂ − max ℓ(b, ·)) at each finite limit b, from a cold start at the estimates (not the
    /// profile search's warm start), must be χ²₁(0.95) to 1e-8; for Firth, no start from a grid
    /// around the estimates may reach a higher constrained maximum (the limit is global).
    func assertLimitsSolveTheirDefinition(_ name: String, method: FitOptions.Method, file: StaticString = #filePath, line: UInt = #line) throws {
        let model = try model(name)
        let options = FitOptions.defaults(for: method)
        let analysis = try LogisticAnalysis.run(model, options: options)
        let fitted = analysis.fit
        let engine = LogisticEngine(model: model, options: options, summary: fitted.summary)
        let target = ChiSquare.quantileOneDF(0.95)
        let full = fitted.penalizedLogLikelihood ?? fitted.logLikelihood
        try engine.withSolver { _, solver in
            for (j, interval) in analysis.intervals.enumerated() {
                let interval = try XCTUnwrap(interval, "\(name) \(fitted.coefficientNames[j]): no interval", file: file, line: line)
                for limit in [interval.lower, interval.upper] {
                    XCTAssertTrue(limit.isFinite, "\(name) \(fitted.coefficientNames[j]): limit \(limit)", file: file, line: line)
                    let profiler = Profiler(engine: engine, solver: solver, column: j, estimate: fitted.coefficients, objective: full, fitted: fitted)
                    let warm = Profiler.WarmStart(fitted.coefficients, evaluation: fitted.evaluation(at: fitted.coefficients, free: profiler.free, solver: solver))
                    let restricted = try XCTUnwrap(profiler.restrictedFit(at: limit, warm: warm),
                                                   "\(name) \(fitted.coefficientNames[j]) at \(limit): the constrained fit did not converge", file: file, line: line)
                    // The rule met: λ ≤ 1e-10, or the rounding floor λ² < 1e-10 (|ℓ*| + 1) (at 10⁶ the rounding
                    // of ηᵢ, ε·8e5, leaves λ at a few 1e-10; far out in a separated Firth profile the
                    // linear iteration stalls near λ = 2e-7, where 2(ℓ̂ − ℓ) is still exact to 1e-13).
                    XCTAssertLessThan(pow(restricted.criterion.newtonDecrement, 2), 1e-10 * (abs(restricted.evaluation.objective) + 1), file: file, line: line)
                    let statistic = 2 * (full - restricted.evaluation.objective)
                    assertClose(statistic, target, relative: 0, absolute: 1e-8,
                                "\(name) \(fitted.coefficientNames[j]) limit \(limit): deviance difference of the constrained refit", file: file, line: line)
                    guard method == .firth else { continue }  // ℓ is concave: one maximum
                    // ℓ* is not concave: the constrained maximum must be the global one. From a grid
                    // of starts (each free coefficient at its estimate ± 0, 3, 10 SEs) no
                    // constrained fit may end higher.
                    let free = profiler.free
                    let se = fitted.standardErrors
                    var grid: [[Double]] = [fitted.coefficients.map { $0 }]
                    for position in free {
                        let column = engine.active[position]
                        grid = grid.flatMap { start in [-10.0, -3, 0, 3, 10].map { m in
                            var next = start
                            next[column] = fitted.coefficients[column] + m * se[column]
                            return next
                        } }
                    }
                    for var start in grid {
                        start[j] = limit
                        guard let other = solver.solve(start: start, free: free, maxIterations: 2_000, tolerance: options.tolerance),
                              other.converged
                        else { continue }
                        XCTAssertLessThanOrEqual(other.evaluation.objective, restricted.evaluation.objective + 1e-9,
                                                 "\(name) \(fitted.coefficientNames[j]) at \(limit): a start ends at a higher constrained maximum", file: file, line: line)
                    }
                }
            }
        }
    }

    /// All three coefficients of the separated birthwt Firth model, intercept and separating
    /// covariate included (limits far from the estimate: OR up to 2e11).
    func testIssue12_firthProfileLimitsUnderSeparationSolveTheDefinition() throws {
        try assertLimitsSolveTheirDefinition("issue12_birthwt_firth", method: .firth)
    }

    /// lab near 10⁶: the intercept's limits too (about −1.06e6 and −6.0e5), which R's profile cannot give.
    func testIssue12_profileLimitsWithACovariateNearAMillionSolveTheDefinition() throws {
        try assertLimitsSolveTheirDefinition("issue12_scale_ml", method: .maximumLikelihood)
        let analysis = try LogisticAnalysis.run(try model("issue12_scale_ml"), options: .maximumLikelihood)
        XCTAssertTrue(analysis.warnings.isEmpty, "\(analysis.warnings)")
        XCTAssertTrue(analysis.coefficientTests.allSatisfy { $0?.converged == true })
    }

    /// The criterion is reported and met: Newton decrement ≤ 1e-10, the deviance change of the last
    /// step at rounding level, the working-basis score tiny; R's 1e-8 rule alone stopped 1-2
    /// iterations earlier.
    func testIssue12_convergenceCriterionIsReportedAndMet() throws {
        for name in ["issue12_esoph_ml", "issue12_colon_ml", "issue12_pbc_ml"] {
            let fitted = try fit(try model(name))
            XCTAssertTrue(fitted.convergence.isConverged, name)
            XCTAssertLessThanOrEqual(fitted.criterion.newtonDecrement, 1e-10, name)
            XCTAssertLessThan(fitted.criterion.relativeObjectiveChange, 1e-14, name)
            XCTAssertLessThan(fitted.criterion.maxWorkingScore, 1e-8, name)
        }
    }

    /// The step cap applies per standard deviation: a covariate rescaled by 0.01 gives the same fit
    /// (coefficient × 100) in the same number of iterations.
    func testIssue12_firthStepCapDoesNotDependOnUnits() throws {
        let small = try model("issue12_small_firth")
        var values = small.design.values
        let n = small.design.rowCount
        for i in 0..<n { values[n + i] *= 100 }
        let design = DesignMatrix(values: values, rowCount: n, columnNames: small.design.columnNames, terms: small.design.terms)
        let rescaled = try LogisticModel(response: small.response, design: design)
        let a = try fit(small, options: .firth), b = try fit(rescaled, options: .firth)
        XCTAssertTrue(a.convergence.isConverged && b.convergence.isConverged)
        XCTAssertEqual(a.iterations, b.iterations)
        assertClose(a.coefficients[1], 100 * b.coefficients[1], relative: 1e-8, "coefficient in units of 0.01")
    }
}

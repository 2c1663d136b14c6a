import Glibc
@testable import CohortStats
import CohortData
import CohortTestSupport
import XCTest

/// Identities any correct fit satisfies, on the committed synthetic data.
final class LogisticIdentityTests: XCTestCase {
    func mixedModel(rows order: [Int]? = nil, extraMissingRows: Int = 0) throws -> LogisticModel {
        var text = try String(contentsOfFile: Fixtures.path("logistic/data/mixed.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        if let order { lines = order.map { lines[$0] } }
        lines += Array(repeating: "1,,F,II,100", count: extraMissingRows)
        text = ([header] + lines).joined(separator: "\n") + "\n"
        let table = try CSVReader.read(bytes: Array(text.utf8), source: "mixed.csv")
        return try LogisticModel(table: table, outcome: "y", covariates: ["age", "sex", "stage", "lab"])
    }

    func testResultsDoNotDependOnRowOrder() throws {
        let original = try fit(try mixedModel())
        var generator = SeededGenerator(seed: 42)
        let permutation = (0..<200).shuffled(using: &generator)
        let permuted = try fit(try mixedModel(rows: permutation))
        for j in original.coefficients.indices {
            assertClose(permuted.coefficients[j], original.coefficients[j], relative: 1e-10, "coefficient \(j)")
            assertClose(permuted.standardErrors[j], original.standardErrors[j], relative: 1e-10, "SE \(j)")
        }
        assertClose(permuted.deviance, original.deviance, relative: 1e-12, "deviance")
    }

    func testRowsWithMissingValuesAreDroppedAndChangeNothing() throws {
        let original = try fit(try mixedModel())
        let padded = try fit(try mixedModel(extraMissingRows: 7))
        XCTAssertEqual(padded.nDropped, 7)
        XCTAssertEqual(padded.excludedRows.first?.reason, "missing age")
        XCTAssertEqual(padded.coefficients, original.coefficients)
        XCTAssertEqual(padded.nObservations, original.nObservations)
    }

    /// At the estimate the (modified) score vanishes; away from it, the analytic score matches a
    /// central difference of the (penalised) log-likelihood.
    func testScoreIsTheGradientOfTheObjective() throws {
        let model = try mixedModel()
        for options in [FitOptions.maximumLikelihood, .firth] {
            let fitted = try fit(model, options: options)
            let engine = LogisticEngine(model: model, options: options)
            try engine.withSolver { likelihood, _ in
                let atOptimum = try XCTUnwrap(likelihood.evaluate(fitted.coefficients))
                XCTAssertLessThan(atOptimum.score.map(abs).max()!, 1e-5, "\(options.method): score at the estimate")
                let beta = fitted.coefficients.enumerated().map { $0.element + 0.05 * Double($0.offset % 3 - 1) }
                let analytic = try XCTUnwrap(likelihood.evaluate(beta)).score
                for j in beta.indices {
                    let h = 1e-6 * max(1, abs(beta[j]))
                    var up = beta, down = beta
                    up[j] += h; down[j] -= h
                    let numeric = (likelihood.evaluate(up)!.objective - likelihood.evaluate(down)!.objective) / (2 * h)
                    assertClose(analytic[j], numeric, relative: 1e-5, absolute: 1e-5, "\(options.method) gradient \(j)")
                }
            }
        }
    }

    /// Per-observation log-likelihoods (computed here naively, in the moderate range where that is
    /// accurate) sum to the fit's total.
    func testLogLikelihoodIsTheSumOfObservationTerms() throws {
        let model = try mixedModel()
        let fitted = try fit(model)
        let n = model.nObservations, p = model.design.columnCount
        var total = 0.0
        for i in 0..<n {
            var eta = 0.0
            for j in 0..<p { eta += model.design.values[j * n + i] * fitted.coefficients[j] }
            let mu = 1 / (1 + Glibc.exp(-eta))
            total += model.response[i] == 1 ? Glibc.log(mu) : Glibc.log(1 - mu)
        }
        assertClose(fitted.logLikelihood, total, relative: 1e-12, "sum of per-observation log-likelihoods")
    }
}

/// Large fits start from a subsample estimate; the maximum they reach must be the one the
/// intercept-only start reaches (the R reference test `testLargeSample100k` also runs this path).
final class WarmStartTests: XCTestCase {
    func testSubsampleStartReachesTheSameMaximumAsTheInterceptOnlyStart() throws {
        let table = try CSVReader.read(path: Fixtures.path("logistic/data/large.csv"))
        let model = try LogisticModel(table: table, outcome: "y", covariates: ["x1", "x2", "x3", "grp"])
        XCTAssertNotNil(LogisticEngine.warmStart(for: model, options: .maximumLikelihood), "100,000 rows (4 x 25,000) use the subsample start")
        let warm = try fit(model)
        let defaultEngine = LogisticEngine(model: model, options: .maximumLikelihood)
        let cold = try LogisticEngine(model: model, options: .maximumLikelihood, summary: defaultEngine.summary,
                                      start: LogisticEngine.interceptOnlyStart(for: model)).fit()
        XCTAssertLessThan(warm.iterations, cold.iterations)
        // Both stop by R's rule (relative deviance change < 1e-8), which leaves about 1e-7 in the
        // estimates; the contract with R is 1e-6.
        for j in warm.coefficients.indices {
            assertClose(warm.coefficients[j], cold.coefficients[j], relative: 1e-6, absolute: 1e-9, "coefficient \(j)")
            assertClose(warm.standardErrors[j], cold.standardErrors[j], relative: 1e-6, "SE \(j)")
        }
        assertClose(warm.deviance, cold.deviance, relative: 1e-10, "deviance")
    }
}

/// The model likelihood-ratio test against the intercept-only model, for a single covariate, is that
/// covariate's LR test: for maximum likelihood (whose coefficient tests match R) and for Firth (whose
/// penalised coefficient tests match firthmodels), which ties the model-level test, computed by its
/// own path (logistf's penalised null model), to a referenced number.
final class ModelTestIdentityTests: XCTestCase {
    func testModelLRTestEqualsTheSingleCovariateTest() throws {
        let table = try CSVReader.read(path: Fixtures.path("logistic/data/cohort127.csv"))
        let model = try LogisticModel(table: table, outcome: "bleed", covariates: ["plt"])
        for options in [FitOptions.maximumLikelihood, .firth] {
            let fitted = try fit(model, options: options)
            let test = try XCTUnwrap(try fitted.coefficientTests(model)[1])
            XCTAssertEqual(fitted.likelihoodRatioDF, 1)
            assertClose(fitted.likelihoodRatioChiSquare, test.chiSquare, relative: 1e-8, "\(options.method) model LR = coefficient LR")
            assertClose(fitted.likelihoodRatioP, test.p, relative: 1e-7, "\(options.method) model LR P")
        }
    }
}

@testable import CohortStats
import CohortData
import CohortTestSupport
import XCTest

/// Bootstrap refits of logistic models: the fast path equals a full fit of the resampled data, and
/// the intervals are deterministic.
final class LogisticBootstrapTests: XCTestCase {
    func cohort127() throws -> LogisticModel {
        let table = try CSVReader.read(path: Fixtures.path("logistic/data/cohort127.csv"))
        return try LogisticModel(table: table, outcome: "bleed", covariates: ["plt", "icans_high", "age"])
    }

    /// Identity: the refit of a resample (gathered rows, warm start, coefficients only, Firth to 1e-6) equals
    /// `fit` of the same rows, for Firth and maximum likelihood, to the solvers' convergence.
    func testRefitOfResampleEqualsFullFitOfResample() throws {
        let model = try cohort127()
        var checked = 0
        for options in [FitOptions.firth, FitOptions.maximumLikelihood] {
            let full = try fit(model, options: options)
            for r in 0..<5 {
                let rows = Bootstrap.indices(rowCount: model.nObservations, seed: 11, replicate: r)
                let sample = try model.resampled(rows: rows)
                let reference = try fit(sample, options: options)
                guard reference.convergence.isConverged else { continue }
                let refit = try LogisticEngine.refitCoefficients(sample, options: options, start: full.coefficients,
                                                                  expectedAliased: full.aliased).get()
                for j in refit.indices {
                    assertClose(refit[j], reference.coefficients[j], relative: 1e-5, absolute: 1e-6, "\(options.method) replicate \(r) column \(j)")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 8)
    }

    /// A resample is the model with those rows: row order and sizes as gathered.
    func testResampledGathersRows() throws {
        let model = try cohort127()
        let sample = try model.resampled(rows: [3, 3, 0, 126] + Array(0..<20))
        XCTAssertEqual(sample.nObservations, 24)
        XCTAssertEqual(sample.response[0], model.response[3])
        XCTAssertEqual(sample.design.values[sample.design.rowCount * 1 + 3], model.design.values[model.design.rowCount * 1 + 126])
        XCTAssertThrowsError(try model.resampled(rows: Array(repeating: model.response.firstIndex(of: 0) ?? 0, count: 30)))
    }

    /// Same seed, same intervals; another seed, other intervals; counts reported.
    func testFirthBootstrapIsDeterministic() throws {
        let model = try cohort127()
        let fitted = try fit(model, options: .firth)
        let a = try fitted.bootstrapIntervals(model, options: BootstrapOptions(replicates: 100, seed: 42))
        let b = try fitted.bootstrapIntervals(model, options: BootstrapOptions(replicates: 100, seed: 42))
        let c = try fitted.bootstrapIntervals(model, options: BootstrapOptions(replicates: 100, seed: 43))
        XCTAssertEqual(a.replicates, 100)
        XCTAssertEqual(a.failed + a.result.successfulCount, 100)
        XCTAssertEqual(a.percentile, b.percentile)
        XCTAssertEqual(a.bca, b.bca)
        XCTAssertNotEqual(a.percentile, c.percentile)
        for j in 0..<4 {
            let interval = try XCTUnwrap(a.bca[j], a.bcaProblems[j] ?? "")
            XCTAssertLessThan(interval.lower, fitted.coefficients[j])
            XCTAssertGreaterThan(interval.upper, fitted.coefficients[j])
            assertClose(a.result.estimate[j], fitted.coefficients[j], relative: 1e-5, absolute: 1e-6, "t0 column \(j)")
        }
    }
}

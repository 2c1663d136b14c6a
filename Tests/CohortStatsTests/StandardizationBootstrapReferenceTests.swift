@testable import CohortStats
import CohortData
import CohortTestSupport
import Foundation
import XCTest

/// The bootstrap of marginal standardisation for the linear, Poisson and log-binomial models
/// (issue 16): on the resamples drawn in R (`Tests/References/standardization_bootstrap_references.R`),
/// CohortKit's refit-and-standardise statistic gives R's replicate values (lm/glm refitted,
/// `predict(newdata)` averaged), so its percentile intervals are those of R's replicates.
final class StandardizationBootstrapReferenceTests: XCTestCase {
    struct Reference: Decodable {
        let exposure: String
        let estimates: [Double]
        let replicates: [[Double]?]
    }

    func reference(_ name: String) throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("standardization/\(name).json"))))
    }

    /// R's resamples, 0-based.
    func resamples() throws -> [[Int]] {
        try String(contentsOfFile: Fixtures.path("standardization/resamples.csv"), encoding: .utf8)
            .split(separator: "\n").map { line in line.split(separator: ",").compactMap { Int($0).map { $0 - 1 } } }
    }

    /// - Parameters:
    ///   - tolerance: relative, for the replicates (the log-binomial fits: R's glm stops on the
    ///     change in deviance, ~1e-8 from the maximum).
    ///   - failuresAllowed: resamples R refitted that CohortKit may not (returned, to be reported).
    @discardableResult
    func check(_ name: String, data: RegressionData, coefficients: [Double], link: PredictionLink,
               refit: @escaping @Sendable ([Int]) throws -> [Double], table: DataTable, tolerance: Double = 1e-10,
               failuresAllowed: Int = 0) throws -> [Int] {
        let r = try reference(name)
        let (_, designs) = try MarginalStandardization.counterfactualDesigns(data.design, sourceRows: data.sourceRows, table: table, exposure: r.exposure)
        let statistic = MarginalStandardization.statistic(designs: designs, coefficients: coefficients, offset: data.hasOffset ? data.offset : nil,
                                                          link: link, refit: refit)
        let all = try statistic(Array(0..<data.nObservations))
        for (k, (value, expected)) in zip(all, r.estimates).enumerated() { assertClose(value, expected, relative: tolerance, "\(name) estimate \(k)") }
        var compared = 0, failed: [Int] = []
        for (b, rows) in try resamples().enumerated() {
            guard let expected = r.replicates[b] else { continue }
            guard let values = try? statistic(rows) else { failed.append(b + 1); continue }
            for (k, (value, want)) in zip(values, expected).enumerated() { assertClose(value, want, relative: tolerance, "\(name) resample \(b + 1) value \(k)") }
            compared += 1
        }
        XCTAssertGreaterThanOrEqual(compared, 20, "\(name): resamples compared")
        XCTAssertLessThanOrEqual(failed.count, failuresAllowed, "\(name): resamples R refitted and CohortKit did not: \(failed)")
        return failed
    }

    func testIssue16_linearStandardizationReplicatesMatchR() throws {
        let table = try CSVReader.read(path: Fixtures.path("standardization/birthwt.csv"))
        let data = try RegressionData(table: table, outcome: "bwt", covariates: ["age", "race", "smoke", "ht"], response: .continuous)
        let fit = try LinearModel.fit(data)
        try check("linear", data: data, coefficients: fit.coefficients, link: .identity, refit: fit.standardizationRefit(data), table: table)
    }

    func testIssue16_poissonStandardizedRateReplicatesMatchR() throws {
        let table = try CSVReader.read(path: Fixtures.path("standardization/birthwt.csv"))
        let data = try RegressionData(table: table, outcome: "ptlike", covariates: ["age", "smoke", "race"], response: .count, exposure: "pt")
        let fit = try CountModel.poisson(data)
        try check("poisson", data: data, coefficients: fit.coefficients, link: .log, refit: fit.standardizationRefit(data), table: table)
    }

    func testIssue16_logBinomialStandardizedRiskReplicatesMatchR() throws {
        let table = try CSVReader.read(path: Fixtures.path("standardization/birthwt.csv"))
        let data = try RegressionData(table: table, outcome: "low", covariates: ["age", "smoke", "race"], response: .binary(eventLevel: nil))
        let fit = try CountModel.logBinomial(data)
        XCTAssertEqual(fit.method, .logBinomial)
        // Resamples whose maximum has a fitted risk of 1 are null in R's file: CohortKit refuses those too.
        let failed = try check("logbinomial", data: data, coefficients: fit.coefficients, link: .log, refit: fit.standardizationRefit(data), table: table,
                               tolerance: 1e-7)
        XCTAssertTrue(failed.isEmpty)
    }
}

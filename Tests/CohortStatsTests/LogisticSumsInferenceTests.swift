import CohortData
import CohortTestSupport
import XCTest
@testable import CohortStats

/// Issue 17: likelihood-ratio tests and profile intervals from aggregate sums alone
/// (``LogisticSumsFit/inference(fitted:names:terms:level:likelihoodRatioTests:profile:reach:maxIterations:evaluate:)``)
/// equal the local analysis's, whose tests and limits are checked against R in LogisticReferenceTests.
/// Here the sums are computed in Swift from the design (no database): the same numbers a database
/// returns, so this pins the algorithm; PushdownLogitTests pins it inside PostgreSQL.
final class LogisticSumsInferenceTests: XCTestCase {
    /// The sums of ``LogisticSums`` over the model's rows at β, as the SQL computes them.
    static func sums(_ model: LogisticModel, _ beta: [Double]) -> LogisticSums {
        let design = model.design, n = design.rowCount, k = design.columnCount
        var information = [Double](repeating: 0, count: k * (k + 1) / 2)
        var score = [Double](repeating: 0, count: k)
        var deviance = 0.0, events = 0
        for i in 0..<n {
            var eta = 0.0
            for j in 0..<k { eta += beta[j] * design.values[j * n + i] }
            let e = PortableMath.exp(-min(abs(eta), 700))
            let mu = eta >= 0 ? 1 / (1 + e) : e / (1 + e)
            let w = e / ((1 + e) * (1 + e)), y = model.response[i], r = y - mu
            if y == 1 { events += 1 }
            deviance += 2 * (max(eta, 0) + PortableMath.log(1 + e) - y * eta)
            for b in 0..<k {
                let xb = design.values[b * n + i]
                score[b] += r * xb
                for a in 0...b { information[LogisticSums.packedIndex(a, b)] += w * design.values[a * n + i] * xb }
            }
        }
        return LogisticSums(rows: n, events: events, information: information, score: score, deviance: deviance)
    }

    func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let reference = try LogisticReference.load(name)
        let table = try CSVReader.read(path: reference.dataPath)
        let model = try LogisticModel(table: table, outcome: reference.outcome, covariates: reference.covariates,
                                      referenceLevels: reference.referenceLevels, eventLevel: reference.eventLevel)
        let local = try LogisticAnalysis.run(model, options: .maximumLikelihood)
        var initial: LogisticSums?
        let evaluate = { (beta: [Double]) -> LogisticSums in
            let sums = Self.sums(model, beta)
            if initial == nil { initial = sums }
            return sums
        }
        let fitted = try LogisticSumsFit.fit(parameters: model.design.columnCount, evaluate: evaluate)
        let terms = model.design.terms.filter { $0.kind != .intercept }.map { LogisticSumsFit.Term(name: $0.name, columns: Array($0.columns)) }
        let reach = LogisticSumsFit.profileReach(initial: try XCTUnwrap(initial))
        let inference = try LogisticSumsFit.inference(fitted: fitted, names: model.design.columnNames, terms: terms, level: 0.95,
                                                      likelihoodRatioTests: true, profile: true, reach: reach, evaluate: evaluate)
        // Tolerances as PushdownLogitTests: tests 1e-8 relative; limits 1e-8 relative or 1e-9 SE.
        for j in fitted.coefficients.indices {
            let got = try XCTUnwrap(inference.coefficientTests[j]), expected = try XCTUnwrap(local.coefficientTests[j])
            XCTAssertEqual(got.comparison, expected.comparison, file: file, line: line)
            XCTAssertEqual(got.chiSquare, expected.chiSquare, accuracy: 1e-8 * expected.chiSquare, "\(name) LR χ² [\(j)]", file: file, line: line)
            XCTAssertEqual(got.p, expected.p, accuracy: 1e-8 * expected.p, "\(name) LR P [\(j)]", file: file, line: line)
            let interval = try XCTUnwrap(inference.intervals[j]), expectedInterval = try XCTUnwrap(local.intervals[j])
            let se = local.fit.standardErrors[j]
            for (a, b) in [(interval.lower, expectedInterval.lower), (interval.upper, expectedInterval.upper)] {
                XCTAssertLessThanOrEqual(abs(a - b), max(1e-8 * abs(b), 1e-9 * se), "\(name) profile limit [\(j)]: \(a) vs \(b)", file: file, line: line)
            }
        }
        XCTAssertEqual(inference.termTests.map(\.name), local.termTests.map(\.name), file: file, line: line)
        for (got, expected) in zip(inference.termTests, local.termTests) {
            XCTAssertEqual(got.df, expected.df, file: file, line: line)
            XCTAssertEqual(got.restrictedColumns, expected.restrictedColumns, file: file, line: line)
            XCTAssertEqual(got.chiSquare, expected.chiSquare, accuracy: 1e-8 * expected.chiSquare, "\(name) term \(got.name)", file: file, line: line)
        }
    }

    func testIssue17_mixedCovariatesWithReferenceLevels() throws { try check("mixed_ref") }
    func testIssue17_smallCohort() throws { try check("cohort127_ml") }
    func testIssue17_esoph() throws { try check("issue12_esoph_ml") }

    /// The reach from the sums at β = 0 is the local profiler's: 50 SD of a column (population SD).
    func testIssue17_profileReachFromTheFirstSums() throws {
        // x = 0, 1, 2, 3: mean 1.5, population SD √1.25.
        let x = [0.0, 1, 2, 3]
        let sums = LogisticSums(rows: 4, events: 2, information: [1, x.reduce(0, +) / 4, x.map { $0 * $0 }.reduce(0, +) / 4],
                                score: [0, 0], deviance: 0)
        let reach = LogisticSumsFit.profileReach(initial: sums)
        XCTAssertEqual(reach[1], 50 / 1.25.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(reach[0], 50 * (1 + 1.5 / 1.25.squareRoot()), accuracy: 1e-12)
    }
}

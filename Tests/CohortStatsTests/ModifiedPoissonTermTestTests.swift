import CohortData
import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// The term test of the modified Poisson model (the log-binomial fallback, issue 16): with robust
/// SEs no likelihood-ratio test applies, so each term is tested by the robust Wald χ² of all its
/// columns, bᵀV⁻¹b with the HC0 sandwich, against R (`Tests/References/modified_poisson_term_references.R`:
/// glm(poisson) and sandwich::vcovHC's HC0 formula written out) on `MASS::birthwt`, where race has
/// two columns.
final class ModifiedPoissonTermTestTests: XCTestCase {
    struct Reference: Decodable {
        let terms: [String], estimate: [Double], stdError: [Double], termNames: [String], termChiSquare: [Double], termDF: [Int], termP: [Double]
    }

    func testIssue16_modifiedPoissonTermTestIsTheRobustWaldOfAllItsColumns() throws {
        let r = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("glm/references/modified_poisson_terms.json"))))
        let table = try CSVReader.read(path: Fixtures.path("offsets/birthwt_offset.csv"))
        let data = try RegressionData(table: table, outcome: "low", covariates: ["age", "race", "smoke"], response: .binary(eventLevel: nil))
        let fit = try CountModel.modifiedPoisson(data)
        XCTAssertEqual(fit.method, .modifiedPoisson)
        XCTAssertEqual(fit.coefficientNames, r.terms)
        for j in r.terms.indices {
            assertClose(fit.coefficients[j], r.estimate[j], relative: 1e-10, "\(r.terms[j]) estimate")
            assertClose(fit.standardErrors[j], r.stdError[j], relative: 1e-10, "\(r.terms[j]) robust SE")
        }
        // Only a term of several columns gets a test of its own (one column's is its z test).
        let tests = RegressionTermTests.count(data, fit: fit)
        XCTAssertEqual(tests.map(\.name), ["race"])
        for test in tests {
            let k = try XCTUnwrap(r.termNames.firstIndex(of: test.name))
            XCTAssertEqual(test.method, .wald, test.name)
            XCTAssertEqual(test.df, r.termDF[k], test.name)
            assertClose(test.statistic, r.termChiSquare[k], relative: 1e-10, "\(test.name) Wald χ²")
            assertClose(test.p, r.termP[k], relative: 1e-9, "\(test.name) P")
        }
    }
}

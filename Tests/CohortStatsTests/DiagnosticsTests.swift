@testable import CohortStats
import CohortTestSupport
import XCTest

/// Rank deficiency and separation are found and named; issue numbers in names where a bug was fixed.
final class DiagnosticsTests: XCTestCase {
    func model(_ columns: [(String, [Double])], y: [Double]) throws -> LogisticModel {
        let n = y.count
        var values = Array(repeating: 1.0, count: n)
        var terms = [ModelTerm(name: "(Intercept)", kind: .intercept, columns: 0..<1)]
        for (j, (name, column)) in columns.enumerated() {
            values += column
            terms.append(ModelTerm(name: name, kind: .numeric, columns: j + 1..<j + 2))
        }
        let design = DesignMatrix(values: values, rowCount: n, columnNames: ["(Intercept)"] + columns.map(\.0), terms: terms)
        return try LogisticModel(response: y, design: design)
    }

    var y: [Double] { (0..<40).map { [0, 1, 1, 0, 1, 0, 0, 1][$0 % 8] } }
    var x1: [Double] { (0..<40).map { Double(($0 * 37) % 11) / 3 } }

    func testDuplicateAndConstantColumnsAreAliasedInDesignOrder() throws {
        let doubled = x1.map { 2 * $0 }
        let fitted = try fit(try model([("x1", x1), ("twice", doubled), ("one", Array(repeating: 1, count: 40))], y: y))
        XCTAssertEqual(fitted.aliased, [false, false, true, true])
        XCTAssertTrue(fitted.coefficients[2].isNaN && fitted.coefficients[3].isNaN)
        XCTAssertEqual(fitted.rank, 2)
        XCTAssertTrue(fitted.diagnostics.contains(.aliased(columns: ["twice", "one"])))
    }

    /// A covariate with a large mean and small spread (spread/norm 1e-6, above R's 1e-7 tolerance) is
    /// not collinear with the intercept, and the working basis keeps its SE to full precision: the
    /// slope and SE equal those of the same covariate without the offset. Below the tolerance it is
    /// aliased, as R's QR would alias it.
    func testLargeMeanSmallSpreadCovariateKeepsItsPrecision() throws {
        let shifted = try fit(try model([("date", x1.map { 1_000_000 + $0 })], y: y))
        let plain = try fit(try model([("x1", x1)], y: y))
        XCTAssertEqual(shifted.aliased, [false, false])
        assertClose(shifted.coefficients[1], plain.coefficients[1], relative: 1e-8, "slope")
        assertClose(shifted.standardErrors[1], plain.standardErrors[1], relative: 1e-8, "SE of the slope")
        let nearlyConstant = try fit(try model([("flat", x1.map { 1_000_000 + $0 * 1e-4 })], y: y))
        XCTAssertEqual(nearlyConstant.aliased, [false, true])
    }

    func testCompleteSeparationIsDetectedAndNamed() throws {
        let x = (0..<40).map { Double($0) }
        let outcome = x.map { $0 >= 20 ? 1.0 : 0.0 }
        let fitted = try fit(try model([("x", x)], y: outcome))
        guard case .separation(let terms, let complete, _) = fitted.convergence else {
            return XCTFail("expected separation, got \(fitted.convergence)")
        }
        XCTAssertTrue(complete)
        XCTAssertTrue(terms.contains("x"))
        XCTAssertTrue(fitted.diagnostics.contains { if case .separation = $0 { true } else { false } })
        // Firth gives finite estimates on the same data.
        let firth = try fit(try model([("x", x)], y: outcome), options: .firth)
        XCTAssertTrue(firth.convergence.isConverged)
        XCTAssertTrue(firth.coefficients.allSatisfy(\.isFinite))
    }

    func testWellBehavedDataIsNotFlagged() throws {
        let fitted = try fit(try model([("x1", x1)], y: y))
        XCTAssertEqual(fitted.convergence, .converged(iterations: fitted.iterations))
        XCTAssertTrue(fitted.diagnostics.isEmpty)
    }

    func testModelErrorsForInvalidResponses() {
        XCTAssertThrowsError(try model([("x1", x1)], y: Array(repeating: 0, count: 40))) { error in
            XCTAssertEqual(error as? ModelError, .constantOutcome(column: "y", value: "0", n: 40))
        }
        XCTAssertThrowsError(try model([("x1", x1)], y: y.map { $0 * 2 })) { error in
            guard case .outcomeNotBinary = error as? ModelError else { return XCTFail("\(error)") }
        }
    }
}

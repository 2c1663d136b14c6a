import CohortData
import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// `cohort logit --weights` against R `glm(family = binomial, weights = w)` (issue 16, "frequency
/// weights and case weights; offsets"), references written by Tests/References/weights_references.R
/// (glm.control epsilon 1e-15) on MASS::birthwt with deterministic weight columns
/// (Tests/Fixtures/weights/birthwt_weighted.csv).
///
/// Tolerances: 1e-9 relative for estimates, SEs, z, the deviances and LR statistics; P values 1e-8.
final class CaseWeightReferenceTests: XCTestCase {
    struct Reference: Decodable {
        let `case`: String
        let data: String
        let weights: String
        let offset: String?
        let n: Int
        let nDropped: Int
        let weightSum: Double
        let weightedEvents: Double
        let terms: [String]
        let estimate: [Double]
        let stdError: [Double]
        let z: [Double]
        let p: [Double]
        let deviance: Double
        let nullDeviance: Double
        let lrChiSquare: Double
        let lrDF: Int
        let termNames: [String]
        let termDF: [Int]
        let termChiSquare: [Double]
        let termP: [Double]

        static func load(_ name: String) throws -> Reference {
            let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("weights/\(name).json")))
            return try JSONDecoder().decode(Reference.self, from: data)
        }
    }

    static let covariates = ["age", "lwt", "race", "smoke", "ptl", "ht"]

    func model(_ r: Reference) throws -> LogisticModel {
        let table = try CSVReader.read(path: Fixtures.path("weights/\(r.data)"))
        return try LogisticModel(table: table, outcome: "low", covariates: Self.covariates, weights: r.weights, offset: r.offset)
    }

    @discardableResult
    func check(_ name: String, caseWeights: Bool, file: StaticString = #filePath, line: UInt = #line) throws -> LogisticAnalysis {
        let r = try Reference.load(name)
        let model = try model(r)
        XCTAssertEqual(model.weights != nil, caseWeights, "\(name): case weights in the likelihood", file: file, line: line)
        let analysis = try LogisticAnalysis.run(model, options: .maximumLikelihood, intervals: .wald)
        let fit = analysis.fit
        XCTAssertEqual(fit.nDropped, r.nDropped, "\(name): n dropped", file: file, line: line)
        if caseWeights {
            XCTAssertEqual(fit.nObservations, r.n, "\(name): n (rows)", file: file, line: line)
            let totals = model.weightedTotals
            assertClose(totals.observations, r.weightSum, relative: 1e-14, "\(name) Σw", file: file, line: line)
            assertClose(totals.events, r.weightedEvents, relative: 1e-14, "\(name) Σwy", file: file, line: line)
            XCTAssertNil(analysis.check, "\(name): no unweighted model check with case weights", file: file, line: line)
        } else {
            XCTAssertEqual(fit.nObservations, Int(r.weightSum), "\(name): n (weighted rows)", file: file, line: line)
        }
        XCTAssertEqual(fit.coefficientNames, r.terms, "\(name): terms", file: file, line: line)
        let se = fit.standardErrors, z = fit.zStatistics, p = fit.waldPValues
        for j in r.terms.indices {
            let what = "\(name) \(r.terms[j])"
            assertClose(fit.coefficients[j], r.estimate[j], relative: 1e-9, absolute: 1e-12, "\(what) estimate", file: file, line: line)
            assertClose(se[j], r.stdError[j], relative: 1e-9, "\(what) SE", file: file, line: line)
            assertClose(z[j], r.z[j], relative: 1e-9, "\(what) z", file: file, line: line)
            assertClose(p[j], r.p[j], relative: 1e-8, absolute: 1e-15, "\(what) P", file: file, line: line)
        }
        assertClose(fit.deviance, r.deviance, relative: 1e-12, "\(name) deviance", file: file, line: line)
        assertClose(fit.nullDeviance, r.nullDeviance, relative: 1e-12, "\(name) null deviance", file: file, line: line)
        // AIC and BIC from R's numbers: a 0/1 outcome's saturated log-likelihood is 0, so −2ℓ is glm's
        // (weighted) deviance; k = the estimated coefficients, n = nobs(glm) (rows with a positive weight).
        // glm's own AIC is not comparable with non-integer weights (see weights_references.R).
        let k = Double(r.terms.count)
        assertClose(fit.aic, r.deviance + 2 * k, relative: 1e-12, "\(name) AIC", file: file, line: line)
        if caseWeights {
            assertClose(fit.bic, r.deviance + log(Double(r.n)) * k, relative: 1e-12, "\(name) BIC", file: file, line: line)
        }
        assertClose(fit.likelihoodRatioChiSquare, r.lrChiSquare, relative: 1e-10, "\(name) model LR chi-square", file: file, line: line)
        XCTAssertEqual(fit.likelihoodRatioDF, r.lrDF, "\(name) model LR df", file: file, line: line)
        XCTAssertEqual(analysis.termTests.map(\.name), r.termNames, "\(name): term tests", file: file, line: line)
        for (t, test) in analysis.termTests.enumerated() {
            XCTAssertEqual(test.df, r.termDF[t], "\(name) \(test.name) df", file: file, line: line)
            assertClose(test.chiSquare, r.termChiSquare[t], relative: 1e-9, absolute: 1e-10, "\(name) \(test.name) LR chi-square", file: file, line: line)
            assertClose(test.p, r.termP[t], relative: 1e-8, absolute: 1e-15, "\(name) \(test.name) LR P", file: file, line: line)
        }
        return analysis
    }

    func testIssue16_caseWeightsAsGlmPriorWeights() throws { try check("logit_case_weights", caseWeights: true) }
    func testIssue16_caseWeightsWithOffset() throws { try check("logit_case_weights_offset", caseWeights: true) }
    func testIssue16_wholeNumberWeightsStayFrequencyWeights() throws { try check("logit_frequency_weights", caseWeights: false) }

    /// Identity: case weights that happen to be whole numbers give the frequency-weight fit (rows
    /// repeated) to rounding: the weighted likelihood is the same function.
    func testIssue16_caseWeightLikelihoodEqualsRepeatedRows() throws {
        let table = try CSVReader.read(path: Fixtures.path("weights/birthwt_weighted.csv"))
        let repeated = try LogisticModel(table: table, outcome: "low", covariates: Self.covariates, weights: "wi")
        XCTAssertNil(repeated.weights)
        // The same rows, once each, weighted in the likelihood.
        var rows: [Int] = []
        for (i, row) in repeated.sourceRows.enumerated() where i == 0 || repeated.sourceRows[i - 1] != row { rows.append(row) }
        let once = try repeated.resampled(rows: rows.map { row in repeated.sourceRows.firstIndex(of: row)! })
        guard case .numeric(let wi) = try table.column(named: "wi").storage else { return XCTFail("wi is numeric") }
        let weighted = try LogisticModel(response: once.response, design: once.design, weights: rows.map { wi[$0] })
        let a = try fit(repeated), b = try fit(weighted)
        for j in a.coefficients.indices {
            assertClose(b.coefficients[j], a.coefficients[j], relative: 1e-10, absolute: 1e-12, "coefficient \(j)")
            assertClose(b.standardErrors[j], a.standardErrors[j], relative: 1e-10, "SE \(j)")
        }
        assertClose(b.logLikelihood, a.logLikelihood, relative: 1e-12, "log-likelihood")
        assertClose(b.nullLogLikelihood, a.nullLogLikelihood, relative: 1e-12, "null log-likelihood")
    }

    func testIssue16_negativeWeightNamesTheLine() throws {
        let folder = try Fixtures.folder(["d.csv": "y,x,w\n0,1,1.5\n1,2,-0.5\n0,3,1\n1,4,2\n"])
        let table = try CSVReader.read(path: folder + "/d.csv")
        XCTAssertThrowsError(try LogisticModel(table: table, outcome: "y", covariates: ["x"], weights: "w")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(":3:") && text.contains("'w'") && text.contains("-0.5"), text)
        }
    }

    func testIssue16_nonNumericWeightNamesTheLine() throws {
        let folder = try Fixtures.folder(["d.csv": "y,x,w\n0,1,1.5\n1,2,heavy\n0,3,1\n1,4,2\n"])
        let table = try CSVReader.read(path: folder + "/d.csv")
        XCTAssertThrowsError(try LogisticModel(table: table, outcome: "y", covariates: ["x"], weights: "w")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(":3:") && text.contains("'w'") && text.contains("not numeric") && text.contains("heavy"), text)
        }
    }

    /// Identity (Cox): with Breslow's ties, whole-number case weights give the fit of the data with
    /// each row repeated (coxfit6's weighted sums; Efron's differs, as the copies become tied deaths).
    /// The offset shifts the coefficient of its own covariate by exactly 1.
    func testIssue16_coxWeightsEqualRepeatedRowsUnderBreslowAndOffsetShiftsBeta() throws {
        let times: [Double] = [5, 6, 6, 8, 9, 12, 12, 15, 17, 20, 21, 25]
        let events: [Bool] = [true, false, true, true, true, false, true, true, false, true, true, false]
        let x: [Double] = [1.2, 0.4, 2.2, 0.1, 1.7, 0.9, 0.3, 1.1, 2.5, 0.6, 1.4, 0.2]
        let z: [Double] = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0]
        let w: [Double] = [1, 2, 3, 1, 2, 1, 3, 2, 1, 1, 2, 3]
        var rows: [Int] = []
        for i in w.indices { rows += repeatElement(i, count: Int(w[i])) }
        let options = CoxOptions(ties: .breslow)
        let weighted = try fit(CoxModel(times: times, events: events, covariates: [("x", x), ("z", z)], weights: w), options: options)
        let repeated = try fit(CoxModel(times: rows.map { times[$0] }, events: rows.map { events[$0] },
                                        covariates: [("x", rows.map { x[$0] }), ("z", rows.map { z[$0] })]), options: options)
        for j in 0..<2 {
            assertClose(weighted.coefficients[j], repeated.coefficients[j], relative: 1e-10, "coefficient \(j)")
            assertClose(weighted.standardErrors[j], repeated.standardErrors[j], relative: 1e-10, "SE \(j)")
        }
        assertClose(weighted.logLikelihood, repeated.logLikelihood, relative: 1e-12, "log partial likelihood")
        // offset(0.5·x) with x a covariate: the x coefficient drops by 0.5, the likelihood is unchanged.
        let shifted = try fit(CoxModel(times: times, events: events, covariates: [("x", x), ("z", z)], weights: w, offset: x.map { 0.5 * $0 }), options: options)
        assertClose(shifted.coefficients[0], weighted.coefficients[0] - 0.5, relative: 1e-10, "x coefficient with the offset")
        assertClose(shifted.coefficients[1], weighted.coefficients[1], relative: 1e-10, "z coefficient with the offset")
        assertClose(shifted.logLikelihood, weighted.logLikelihood, relative: 1e-12, "log partial likelihood with the offset")
    }
}

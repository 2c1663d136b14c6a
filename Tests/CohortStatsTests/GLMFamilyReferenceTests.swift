import CohortData
import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// `cohort linear`, `cohort poisson` (and negative binomial) and `cohort logbinomial` against R
/// (`lm`, `sandwich::vcovHC`, `glm`, `MASS::glm.nb`), references written by
/// Tests/References/glm_family_references.R (glm.control epsilon 1e-15; θ refined to the exact
/// joint maximum) on the committed data in Tests/Fixtures/glm/data.
///
/// Tolerances: 1e-9 relative for estimates, SEs, statistics, CIs and deviances of fits that converge
/// tightly; P values 1e-8 relative (absolute 1e-15 for the tiny ones).
final class GLMFamilyReferenceTests: XCTestCase {
    struct Reference: Decodable {
        let `case`: String
        let model: String
        let data: String
        let outcome: String
        let covariates: [String]
        let factor: [String: String]
        let weights: String?
        let exposure: String?
        let robust: String?
        let n: Int
        let nDropped: Int
        let terms: [String]
        let aliased: [Bool]
        let estimate: [Double?]
        let stdError: [Double?]
        let statistic: [Double?]
        let p: [Double?]
        let ciLower: [Double?]
        let ciUpper: [Double?]
        let deviance: Double
        let nullDeviance: Double?
        let dfResidual: Int
        let logLik: Double
        let aic: Double
        let sigma: Double?
        let rSquared: Double?
        let adjRSquared: Double?
        let fStatistic: Double?
        let fDF1: Int?
        let fP: Double?
        let pearsonChi2: Double?
        let theta: Double?
        let thetaSE: Double?
        let rError: String?

        static func load(_ name: String) throws -> Reference {
            let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("glm/references/\(name).json")))
            return try JSONDecoder().decode(Reference.self, from: data)
        }

        func regressionData() throws -> RegressionData {
            let table = try CSVReader.read(path: Fixtures.path("glm/data/\(data)"))
            let kind: RegressionData.ResponseKind = switch model {
            case "lm": .continuous
            case "logbinomial", "modifiedPoisson": .binary(eventLevel: nil)
            default: .count
            }
            return try RegressionData(table: table, outcome: outcome, covariates: covariates, referenceLevels: factor, response: kind,
                                      weights: weights, exposure: exposure)
        }
    }

    func compareCoefficients(_ r: Reference, names: [String], aliased: [Bool], estimate: [Double], se: [Double], statistic: [Double],
                             p: [Double], lower: [Double?], upper: [Double?], tolerance: Double = 1e-9,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(names, r.terms, "\(r.case): terms", file: file, line: line)
        XCTAssertEqual(aliased, r.aliased, "\(r.case): aliased", file: file, line: line)
        for j in r.terms.indices where !r.aliased[j] {
            let what = "\(r.case) \(r.terms[j])"
            assertClose(estimate[j], r.estimate[j]!, relative: tolerance, absolute: 1e-13, "\(what) estimate", file: file, line: line)
            assertClose(se[j], r.stdError[j]!, relative: tolerance, "\(what) SE", file: file, line: line)
            assertClose(statistic[j], r.statistic[j]!, relative: tolerance, absolute: 1e-12, "\(what) statistic", file: file, line: line)
            assertClose(p[j], r.p[j]!, relative: tolerance * 10, absolute: 1e-15, "\(what) P", file: file, line: line)
            assertClose(lower[j] ?? .nan, r.ciLower[j]!, relative: tolerance, absolute: 1e-12, "\(what) CI lower", file: file, line: line)
            assertClose(upper[j] ?? .nan, r.ciUpper[j]!, relative: tolerance, absolute: 1e-12, "\(what) CI upper", file: file, line: line)
        }
    }

    func checkLinear(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try Reference.load(name)
        let fit = try LinearModel.fit(try r.regressionData(), robust: r.robust.flatMap(RobustCovariance.init(rawValue:)))
        XCTAssertEqual(fit.nObservations, r.n, file: file, line: line)
        XCTAssertEqual(fit.nDropped, r.nDropped, file: file, line: line)
        XCTAssertEqual(fit.dfResidual, r.dfResidual, file: file, line: line)
        let ci = fit.intervals()
        compareCoefficients(r, names: fit.coefficientNames, aliased: fit.aliased, estimate: fit.coefficients, se: fit.standardErrors,
                            statistic: fit.tStatistics, p: fit.pValues, lower: ci.map { $0?.lower }, upper: ci.map { $0?.upper }, file: file, line: line)
        assertClose(fit.deviance, r.deviance, relative: 1e-10, "\(name) RSS", file: file, line: line)
        assertClose(fit.residualStandardError, r.sigma!, relative: 1e-10, "\(name) sigma", file: file, line: line)
        assertClose(fit.rSquared, r.rSquared!, relative: 1e-10, "\(name) R²", file: file, line: line)
        assertClose(fit.adjustedRSquared, r.adjRSquared!, relative: 1e-10, "\(name) adjusted R²", file: file, line: line)
        assertClose(fit.fStatistic, r.fStatistic!, relative: 1e-9, "\(name) F", file: file, line: line)
        XCTAssertEqual(fit.fNumeratorDF, r.fDF1, file: file, line: line)
        assertClose(fit.fP, r.fP!, relative: 1e-7, absolute: 1e-300, "\(name) F P", file: file, line: line)
        assertClose(fit.logLikelihood, r.logLik, relative: 1e-11, "\(name) logLik", file: file, line: line)
        assertClose(fit.aic, r.aic, relative: 1e-11, "\(name) AIC", file: file, line: line)
    }

    func checkCount(_ name: String, tolerance: Double = 1e-9, file: StaticString = #filePath, line: UInt = #line) throws -> CountFit {
        let r = try Reference.load(name)
        let data = try r.regressionData()
        let fit: CountFit = switch r.model {
        case "poisson": try CountModel.poisson(data)
        case "negbin": try CountModel.negativeBinomial(data)
        case "logbinomial": try CountModel.logBinomial(data)
        default: r.rError == nil ? try CountModel.modifiedPoisson(data) : try CountModel.logBinomial(data)
        }
        XCTAssertEqual(fit.nObservations, r.n, file: file, line: line)
        XCTAssertEqual(fit.nDropped, r.nDropped, file: file, line: line)
        XCTAssertEqual(fit.dfResidual, r.dfResidual, file: file, line: line)
        XCTAssertTrue(fit.converged || fit.method == .modifiedPoisson, "\(name): converged", file: file, line: line)
        let ci = fit.intervals()
        compareCoefficients(r, names: fit.coefficientNames, aliased: fit.aliased, estimate: fit.coefficients, se: fit.standardErrors,
                            statistic: fit.zStatistics, p: fit.pValues, lower: ci.map { $0?.lower }, upper: ci.map { $0?.upper },
                            tolerance: tolerance, file: file, line: line)
        assertClose(fit.deviance, r.deviance, relative: 1e-10, "\(name) deviance", file: file, line: line)
        if let null = r.nullDeviance { assertClose(fit.nullDeviance, null, relative: 1e-10, "\(name) null deviance", file: file, line: line) }
        assertClose(fit.pearsonChiSquare, r.pearsonChi2!, relative: tolerance, "\(name) Pearson chi-square", file: file, line: line)
        assertClose(fit.logLikelihood, r.logLik, relative: 1e-11, "\(name) logLik", file: file, line: line)
        assertClose(fit.aic, r.aic, relative: 1e-11, "\(name) AIC", file: file, line: line)
        if let theta = r.theta {
            assertClose(fit.theta ?? .nan, theta, relative: tolerance, "\(name) theta", file: file, line: line)
            assertClose(fit.thetaStandardError ?? .nan, r.thetaSE!, relative: tolerance, "\(name) theta SE", file: file, line: line)
        }
        return fit
    }

    func testLinear() throws { try checkLinear("lm_basic") }
    func testLinearWeighted() throws { try checkLinear("lm_weighted") }
    func testLinearAliased() throws { try checkLinear("lm_aliased") }
    func testLinearRobustHC0() throws { try checkLinear("lm_hc0") }
    func testLinearRobustHC1() throws { try checkLinear("lm_hc1") }
    func testLinearRobustHC2() throws { try checkLinear("lm_hc2") }
    func testLinearRobustHC3() throws { try checkLinear("lm_hc3") }
    func testLinearWeightedRobustHC3() throws { try checkLinear("lm_weighted_hc3") }

    func testPoissonExposure() throws { _ = try checkCount("poisson_exposure") }
    func testPoissonWeighted() throws { _ = try checkCount("poisson_weighted") }
    func testPoissonWarpbreaks() throws { _ = try checkCount("poisson_warpbreaks") }
    func testNegativeBinomialQuine() throws { _ = try checkCount("negbin_quine") }
    func testNegativeBinomialExposure() throws { _ = try checkCount("negbin_counts") }
    func testNegativeBinomialWeighted() throws { _ = try checkCount("negbin_counts_weighted") }
    /// Counts in the hundreds: θ's score through digamma and trigamma.
    func testNegativeBinomialLargeCounts() throws { _ = try checkCount("negbin_large_counts") }
    func testLogBinomial() throws {
        let fit = try checkCount("logbinomial_basic")
        XCTAssertEqual(fit.method, .logBinomial)
        XCTAssertNil(fit.fallbackReason)
    }
    func testLogBinomialWeighted() throws { _ = try checkCount("logbinomial_weighted") }
    func testModifiedPoisson() throws { _ = try checkCount("modified_poisson_basic") }

    /// R's glm(binomial(link = "log")) finds no valid coefficients here; the fit falls back to the
    /// modified Poisson model and says why.
    func testLogBinomialBoundaryFallsBackToModifiedPoisson() throws {
        let fit = try checkCount("logbinomial_boundary")
        XCTAssertEqual(fit.method, .modifiedPoisson)
        let reason = try XCTUnwrap(fit.fallbackReason)
        XCTAssertTrue(reason.contains("log-binomial"), reason)
        XCTAssertTrue(fit.warnings.contains { $0.contains("modified Poisson") }, "\(fit.warnings)")
    }

    /// glm.nb's own θ (stopped at its looser tolerances) agrees to about 1e-6.
    func testNegativeBinomialAgreesWithGlmNbDefaults() throws {
        struct NB: Decodable { let glmnbTheta: Double; let glmnbEstimate: [Double] }
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("glm/references/negbin_quine.json")))
        let nb = try JSONDecoder().decode(NB.self, from: data)
        let fit = try CountModel.negativeBinomial(try Reference.load("negbin_quine").regressionData())
        assertClose(fit.theta ?? .nan, nb.glmnbTheta, relative: 1e-6, "glm.nb theta")
        for (a, b) in zip(fit.coefficients, nb.glmnbEstimate) { assertClose(a, b, relative: 1e-6, absolute: 1e-7, "glm.nb estimate") }
    }

    // MARK: bad input

    func table(_ csv: String) throws -> DataTable { try CSVReader.read(bytes: Array(csv.utf8), source: "t.csv") }

    func testNonCountOutcomeIsRefused() throws {
        let t = try table("y,x\n1,1\n2.5,2\n0,3\n4,4\n")
        XCTAssertThrowsError(try RegressionData(table: t, outcome: "y", covariates: ["x"], response: .count)) { error in
            XCTAssertEqual((error as? ModelError)?.description.contains("t.csv:3"), true, "\(error)")
            XCTAssertEqual((error as? ModelError)?.description.contains("whole number"), true, "\(error)")
        }
        let negative = try table("y,x\n1,1\n-1,2\n0,3\n4,4\n")
        XCTAssertThrowsError(try RegressionData(table: negative, outcome: "y", covariates: ["x"], response: .count))
    }

    func testNegativeAndZeroExposureAreRefused() throws {
        for (value, word) in [("-2", "positive finite"), ("0", "exposure must be positive")] {
            let t = try table("y,x,pt\n1,1,2\n2,2,\(value)\n0,3,1\n4,4,1\n")
            XCTAssertThrowsError(try RegressionData(table: t, outcome: "y", covariates: ["x"], response: .count, exposure: "pt")) { error in
                let text = (error as? ModelError)?.description ?? ""
                XCTAssertTrue(text.contains("t.csv:3") && text.contains(word), text)
            }
        }
    }

    func testNonBinaryOutcomeForLogBinomialIsRefused() throws {
        let t = try table("y,x\n1,1\n2,2\n0,3\n1,4\n")
        XCTAssertThrowsError(try RegressionData(table: t, outcome: "y", covariates: ["x"], response: .binary(eventLevel: nil))) { error in
            guard case .outcomeNotBinary = error as? ModelError else { return XCTFail("\(error)") }
        }
    }

    func testNegativeWeightIsRefusedAndZeroWeightLeftOut() throws {
        let bad = try table("y,x,w\n1,1,1\n2,2,-1\n0,3,1\n4,4,1\n")
        XCTAssertThrowsError(try RegressionData(table: bad, outcome: "y", covariates: ["x"], response: .continuous, weights: "w"))
        let zero = try table("y,x,w\n1,1,1\n2,2,0\n0,3,1\n4,4,1\n")
        let data = try RegressionData(table: zero, outcome: "y", covariates: ["x"], response: .continuous, weights: "w")
        XCTAssertEqual(data.nObservations, 3)
        XCTAssertEqual(data.excludedRows.map(\.line), [3]); XCTAssertEqual(data.excludedRows.map(\.reason), ["weight 0"])
    }

    /// An aliased column in a count model is reported and left out, the rest as without it (R: NA).
    func testAliasedColumnInPoissonModel() throws {
        let table = try CSVReader.read(path: Fixtures.path("glm/data/counts.csv"))
        let csv = "events,pt,x,x2,grp\n" + (0..<table.rowCount).compactMap { row -> String? in
            let values = ["events", "pt", "x", "grp"].map { try! table.column(named: $0).displayValue(row) }
            guard !values.contains("") else { return nil }
            return "\(values[0]),\(values[1]),\(values[2]),\(NumberText.shortest(2 * Double(values[2])!)),\(values[3])"
        }.joined(separator: "\n") + "\n"
        let withAlias = try CountModel.poisson(try RegressionData(table: try self.table(csv), outcome: "events", covariates: ["x", "x2", "grp"], response: .count, exposure: "pt"))
        XCTAssertEqual(withAlias.aliased, [false, false, true, false, false])
        XCTAssertTrue(withAlias.warnings.contains { $0.contains("x2 is a linear combination") }, "\(withAlias.warnings)")
        let r = try Reference.load("poisson_exposure")
        let kept = [0, 1, 3, 4]
        for (a, j) in kept.enumerated() {
            assertClose(withAlias.coefficients[j], r.estimate[a]!, relative: 1e-9, "estimate \(r.terms[a])")
            assertClose(withAlias.standardErrors[j], r.stdError[a]!, relative: 1e-9, "SE \(r.terms[a])")
        }
        XCTAssertTrue(withAlias.coefficients[2].isNaN)
    }

    func testPerfectLinearFitIsStated() throws {
        let fit = try LinearModel.fit(try RegressionData(table: try table("y,x\n1,1\n3,2\n5,3\n7,4\n"), outcome: "y", covariates: ["x"], response: .continuous))
        assertClose(fit.coefficients[1], 2, relative: 1e-14, "slope")
        XCTAssertTrue(fit.warnings.contains { $0.hasPrefix("essentially perfect fit") }, "\(fit.warnings)")
    }

    /// `offset: log(pt)` written out is the same model as `exposure: pt`.
    func testOffsetColumnEqualsExposure() throws {
        let rows = [(3, 1.5, 0.2), (0, 0.5, 1.1), (5, 2.0, 0.7), (2, 1.0, 1.9), (7, 3.5, 0.4), (1, 0.8, 1.4)]
        let csv = "y,pt,lpt,x\n" + rows.map { "\($0.0),\($0.1),\(NumberText.shortest(log($0.1))),\($0.2)" }.joined(separator: "\n") + "\n"
        let t = try table(csv)
        let a = try CountModel.poisson(try RegressionData(table: t, outcome: "y", covariates: ["x"], response: .count, exposure: "pt"))
        let b = try CountModel.poisson(try RegressionData(table: t, outcome: "y", covariates: ["x"], response: .count, offset: "lpt"))
        for j in 0..<2 { assertClose(a.coefficients[j], b.coefficients[j], relative: 1e-13, absolute: 1e-15, "estimate") }
        assertClose(a.deviance, b.deviance, relative: 1e-12, "deviance")
        XCTAssertThrowsError(try CountModel.poisson(try RegressionData(table: try table("y,x\n0,1\n0,2\n0,3\n"), outcome: "y", covariates: ["x"], response: .count)))
    }

    /// Frequency weights: a Poisson fit with weight 2 equals the fit with the row written twice.
    func testPoissonFrequencyWeightsEqualRepeatedRows() throws {
        let weighted = try table("y,x,w\n1,0.5,2\n3,1.5,1\n0,0.2,1\n5,2.5,3\n2,1.0,1\n")
        let repeated = try table("y,x\n1,0.5\n1,0.5\n3,1.5\n0,0.2\n5,2.5\n5,2.5\n5,2.5\n2,1.0\n")
        let a = try CountModel.poisson(try RegressionData(table: weighted, outcome: "y", covariates: ["x"], response: .count, weights: "w"))
        let b = try CountModel.poisson(try RegressionData(table: repeated, outcome: "y", covariates: ["x"], response: .count))
        for j in 0..<2 {
            assertClose(a.coefficients[j], b.coefficients[j], relative: 1e-12, absolute: 1e-14, "estimate")
            assertClose(a.standardErrors[j], b.standardErrors[j], relative: 1e-10, "SE")
        }
        assertClose(a.deviance, b.deviance, relative: 1e-10, "deviance")
    }
}

import CohortData
import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// Issue 16's model formulas: how a formula reads and expands (R's `terms()` rules, by hand), the
/// default spline knots against `Hmisc::rcspline.eval` (what `rms::rcs` calls) and the spline basis
/// against R, and logistic fits written as formulas against `glm` and `drop1` on the simulated
/// cohort of `Tests/References/formula_references.R` (`Tests/Fixtures/formula/`).
final class ModelFormulaTests: XCTestCase {
    func terms(_ text: String) throws -> [String] { try ModelFormula.parse(text).terms.map(\.name) }

    func testFormulasExpandAsRExpandsThem() throws {
        XCTAssertEqual(try terms("y ~ a * b"), ["a", "b", "a:b"])
        XCTAssertEqual(try terms("y ~ (a + b) * c"), ["a", "b", "c", "a:c", "b:c"])
        XCTAssertEqual(try terms("y ~ a * b * c"), ["a", "b", "a:b", "c", "a:c", "b:c", "a:b:c"])
        XCTAssertEqual(try terms("y ~ a * b - a:b"), ["a", "b"])
        // Factors of an interaction in order of first appearance: b:a after a is a:b.
        XCTAssertEqual(try terms("y ~ a + b + b:a"), ["a", "b", "a:b"])
        XCTAssertEqual(try terms("y ~ a + a + 1"), ["a"])
        XCTAssertEqual(try terms("~ rcs(x, 4) + log(ldh) + I(age^2) + `odd name`"), ["rcs(x, 4)", "log(ldh)", "I(age^2)", "odd name"])
        XCTAssertEqual(try terms("y ~ rcs(x, c(1, 2.5, 4))"), ["rcs(x, c(1, 2.5, 4))"])
        XCTAssertEqual(try terms("y ~ rcs(x)"), ["rcs(x, 5)"])
        let formula = try ModelFormula.parse("low ~ age * smoke + race + rcs(lwt, 4) + I(age^2)")
        XCTAssertEqual(formula.response, "low")
        XCTAssertEqual(formula.variables, ["age", "smoke", "race", "lwt"])
    }

    func testUnreadableFormulasSayWhere() {
        func message(_ text: String) -> String {
            do { _ = try ModelFormula.parse(text); return "parsed" } catch { return error.description }
        }
        XCTAssertTrue(message("low age").contains("needs '~'"), message("low age"))
        XCTAssertTrue(message("y ~ a - 1").contains("intercept cannot be removed"), message("y ~ a - 1"))
        XCTAssertTrue(message("y ~ a + 0").contains("intercept cannot be removed"))
        XCTAssertTrue(message("y ~ rcs(x, 9)").contains("3 to 7 knots"), message("y ~ rcs(x, 9)"))
        XCTAssertTrue(message("y ~ rcs(x, c(3, 2, 5))").contains("must increase"))
        XCTAssertTrue(message("y ~ poly(x, 2)").contains("'poly(...)' is not a model term"), message("y ~ poly(x, 2)"))
        XCTAssertTrue(message("y ~ log(x").contains("never closed"), message("y ~ log(x"))
        XCTAssertTrue(message("y ~ a +").contains("expected a term"), message("y ~ a +"))
        XCTAssertTrue(message("y ~ a b").contains("at character 7"), message("y ~ a b"))
    }

    struct KnotReference: Decodable {
        struct Knots: Decodable { let sample: String, k: Int, knots: [Double] }
        struct Basis: Decodable { let x: [Double], knots: [Double], values: [[Double]] }
        let samples: [String: [Double]]
        let knots: [Knots]
        let basis: Basis
    }

    func testDefaultKnotsAndBasisMatchRms() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("formula/knots.json")))
        let r = try JSONDecoder().decode(KnotReference.self, from: data)
        XCTAssertGreaterThan(r.knots.count, 15)
        for case_ in r.knots {
            let values = try XCTUnwrap(r.samples[case_.sample])
            let knots = try RestrictedCubicSpline.defaultKnots(count: case_.k, values: values)
            XCTAssertEqual(knots.count, case_.knots.count, "\(case_.sample) k = \(case_.k)")
            for (a, b) in zip(knots, case_.knots) { assertClose(a, b, relative: 1e-14, "\(case_.sample) k = \(case_.k)") }
        }
        // rcspline.eval stops on this sample (fewer than 3 distinct knots): so does the toolkit.
        XCTAssertThrowsError(try RestrictedCubicSpline.defaultKnots(count: 3, values: [1, 2, 2, 3, 3, 3, 4, 4, 5, 6]))
        XCTAssertThrowsError(try RestrictedCubicSpline.defaultKnots(count: 4, values: [1, 2, 3, 4, 5]))
        let spline = RestrictedCubicSpline(knots: r.basis.knots)
        for (i, x) in r.basis.x.enumerated() {
            for column in 0..<spline.columnCount {
                assertClose(spline.value(x, column: column), r.basis.values[i][column], relative: 1e-13, absolute: 1e-15, "basis at \(x), column \(column)")
            }
        }
    }

    struct FitReference: Decodable {
        struct Coefficient: Decodable { let r_name: String, name: String, estimate: Double, se: Double }
        struct Drop1: Decodable { let term: String, df: Int, chisq: Double, p: Double }
        let name: String, formula: String, reference: String?
        let n: Int, dropped: Int, deviance: Double, null_deviance: Double
        let coefficients: [Coefficient]
        let drop1: [Drop1]
    }

    struct References: Decodable { let logistic: [FitReference] }

    func testLogisticFormulasMatchGlmAndDrop1() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("formula/references.json")))
        let references = try JSONDecoder().decode(References.self, from: data)
        let table = try CSVReader.read(path: Fixtures.path("formula/cohort.csv"))
        XCTAssertEqual(references.logistic.count, 3)
        for r in references.logistic {
            let formula = try ModelFormula.parse(r.formula)
            let model = try LogisticModel(table: table, formula: formula, referenceLevels: r.reference.map { ["race": $0] } ?? [:])
            let analysis = try LogisticAnalysis.run(model, options: .defaults(for: .maximumLikelihood), intervals: .wald, source: "formula")
            let fit = analysis.fit
            XCTAssertEqual(fit.nObservations, r.n, r.name)
            XCTAssertEqual(fit.excludedRows.count, r.dropped, r.name)
            XCTAssertEqual(Set(fit.coefficientNames), Set(r.coefficients.map(\.name)), r.name)
            let se = fit.standardErrors
            for c in r.coefficients {
                let j = try XCTUnwrap(fit.coefficientNames.firstIndex(of: c.name), "\(r.name) \(c.name)")
                assertClose(fit.coefficients[j], c.estimate, relative: 1e-8, absolute: 1e-10, "\(r.name) \(c.name) estimate")
                assertClose(se[j], c.se, relative: 1e-8, "\(r.name) \(c.name) SE")
            }
            assertClose(-2 * fit.logLikelihood, r.deviance, relative: 1e-11, "\(r.name) deviance")
            assertClose(-2 * fit.nullLogLikelihood, r.null_deviance, relative: 1e-11, "\(r.name) null deviance")
            // drop1's scope: every term not inside an interaction, its columns together (R lists
            // interactions last; the toolkit keeps the formula's order).
            XCTAssertEqual(Set(analysis.termTests.map(\.name)), Set(r.drop1.map(\.term)), r.name)
            for expected in r.drop1 {
                let test = try XCTUnwrap(analysis.termTests.first { $0.name == expected.term }, "\(r.name) \(expected.term)")
                XCTAssertEqual(test.df, expected.df, "\(r.name) \(expected.term) df")
                assertClose(test.chiSquare, expected.chisq, relative: 1e-8, "\(r.name) \(expected.term) LR χ²")
                assertClose(test.p, expected.p, relative: 1e-7, "\(r.name) \(expected.term) P")
            }
        }
    }

    /// The additive formula of the covariates builds the same design, bit for bit, as --covariates.
    func testAnAdditiveFormulaIsTheCovariateModel() throws {
        let table = try CSVReader.read(path: Fixtures.path("formula/cohort.csv"))
        let plain = try LogisticModel(table: table, outcome: "low", covariates: ["age", "race", "lwt"], referenceLevels: ["race": "white"])
        let written = try LogisticModel(table: table, formula: try ModelFormula.parse("low ~ age + race + lwt"), referenceLevels: ["race": "white"])
        XCTAssertEqual(plain.design.values, written.design.values)
        XCTAssertEqual(plain.design.columnNames, written.design.columnNames)
        XCTAssertEqual(plain.response, written.response)
    }

    /// Interaction columns are products in R's order (the first factor varies fastest), and a row
    /// built for given values (predictions) is coded exactly as the data's rows were.
    func testInteractionColumnsAndRowsAtGivenValues() throws {
        let table = try CSVReader.read(path: Fixtures.path("formula/cohort.csv"))
        let model = try LogisticModel(table: table, formula: try ModelFormula.parse("low ~ smoke * race + rcs(lwt, 4) + I(age^2)"),
                                      referenceLevels: ["race": "white"])
        let design = model.design
        XCTAssertEqual(design.columnNames, ["(Intercept)", "smoke", "race[black]", "race[other]", "smoke:race[black]", "smoke:race[other]",
                                            "lwt", "lwt'", "lwt''", "I(age^2)"])
        XCTAssertEqual(design.terms.map(\.name), ["(Intercept)", "smoke", "race", "smoke:race", "rcs(lwt, 4)", "I(age^2)"])
        let recipe = try XCTUnwrap(design.recipe)
        XCTAssertEqual(recipe.variables, ["smoke", "race", "lwt", "age"])
        // Row i of the design rebuilt from the data's own values.
        let lines = try String(contentsOfFile: Fixtures.path("formula/cohort.csv"), encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0].map { $0.replacingOccurrences(of: "\"", with: "") }
        var checked = 0
        for (i, fields) in lines.dropFirst().prefix(40).enumerated() where !fields[header.firstIndex(of: "lwt")!].isEmpty {
            let values = Dictionary(uniqueKeysWithValues: ["smoke", "race", "lwt", "age"].map { ($0, fields[header.firstIndex(of: $0)!].replacingOccurrences(of: "\"", with: "")) })
            let row = try recipe.row(at: values)
            let used = (0..<design.rowCount).first { r in design.values[design.rowCount * 6 + r] == Double(values["lwt"]!)! && design.values[design.rowCount * 9 + r] == pow(Double(values["age"]!)!, 2) }
            if let used {
                XCTAssertEqual(row, (0..<design.columnCount).map { design.values[$0 * design.rowCount + used] }, "row \(i)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 20)
        XCTAssertThrowsError(try recipe.row(at: ["smoke": "1", "race": "purple", "lwt": "120", "age": "30"]))
        XCTAssertThrowsError(try recipe.row(at: ["smoke": "1", "race": "black", "lwt": "120"]))
        XCTAssertThrowsError(try recipe.row(at: ["smoke": "1", "race": "black", "lwt": "120", "age": "30", "sex": "F"]))
    }

    func testModelErrorsNameTheTerm() throws {
        let table = try CSVReader.read(path: Fixtures.path("formula/cohort.csv"))
        func message(_ text: String) -> String {
            do { _ = try LogisticModel(table: table, formula: try ModelFormula.parse(text)); return "fitted" } catch { return "\(error)" }
        }
        XCTAssertTrue(message("low ~ rcs(race, 4)").contains("'race' is not numeric"), message("low ~ rcs(race, 4)"))
        XCTAssertTrue(message("low ~ smoke:race").contains("needs the term smoke"), message("low ~ smoke:race"))
        XCTAssertTrue(message("low ~ log(smoke)").contains("log(smoke) is undefined"), message("low ~ log(smoke)"))
        XCTAssertTrue(message("low ~ nosuch").contains("nosuch"), message("low ~ nosuch"))
        XCTAssertTrue(message("low ~ low + age").contains("outcome"), message("low ~ low + age"))
        XCTAssertTrue(message("~ age").contains("no outcome"), message("~ age"))
    }
}

/// Marginal standardisation (g-computation) against R: the standardised risks, differences and
/// ratios of the fit, and the bootstrap statistic on three given resamples (each refitted with the
/// fit's design, knots included) against `glm` + `predict` on the same rows
/// (`Tests/References/formula_references.R`, `standardization.json`).
final class MarginalStandardizationTests: XCTestCase {
    struct Reference: Decodable {
        struct Resample: Decodable { let rows: [Int], estimates: [Double] }
        struct Case: Decodable { let exposure: String, levels: [String], estimates: [Double], resamples: [Resample] }
        let formula: String
        let cases: [Case]
    }

    func testStandardisedRisksAndResamplesMatchR() throws {
        let r = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("formula/standardization.json"))))
        let table = try CSVReader.read(path: Fixtures.path("formula/cohort.csv"))
        let model = try LogisticModel(table: table, formula: try ModelFormula.parse(r.formula))
        let fit = try LogisticAnalysis.run(model, options: .defaults(for: .maximumLikelihood), intervals: .wald, likelihoodRatioTests: false, source: "t").fit
        XCTAssertEqual(r.cases.count, 2)
        for c in r.cases {
            let (levels, designs) = try MarginalStandardization.counterfactualDesigns(model, table: table, exposure: c.exposure)
            XCTAssertEqual(levels, c.levels)
            let statistic = fit.standardizationStatistic(model, designs: designs)
            let estimates = try statistic(Array(0..<model.nObservations))
            XCTAssertEqual(estimates.count, c.estimates.count)
            for (k, (a, b)) in zip(estimates, c.estimates).enumerated() { assertClose(a, b, relative: 1e-9, "\(c.exposure) estimate \(k)") }
            for (i, resample) in c.resamples.enumerated() {
                let values = try statistic(resample.rows)
                for (k, (a, b)) in zip(values, resample.estimates).enumerated() { assertClose(a, b, relative: 1e-8, "\(c.exposure) resample \(i) value \(k)") }
            }
            // The whole run: seeded, its estimates the fit's, intervals around them.
            let run = try MarginalStandardization.run(model, fit: fit, table: table, exposure: c.exposure, options: BootstrapOptions(replicates: 50, seed: 3), level: 0.95)
            XCTAssertEqual(run.estimates, estimates)
            let again = try MarginalStandardization.run(model, fit: fit, table: table, exposure: c.exposure, options: BootstrapOptions(replicates: 50, seed: 3), level: 0.95)
            XCTAssertEqual(run.intervals.map { $0?.lower }, again.intervals.map { $0?.lower })
            for (k, interval) in run.intervals.enumerated() {
                let ci = try XCTUnwrap(interval)
                XCTAssertLessThan(ci.lower, estimates[k]); XCTAssertGreaterThan(ci.upper, estimates[k])
            }
        }
        XCTAssertThrowsError(try MarginalStandardization.counterfactualDesigns(model, table: table, exposure: "age"))   // not binary
        XCTAssertThrowsError(try MarginalStandardization.counterfactualDesigns(model, table: table, exposure: "lwt"))   // a spline
        XCTAssertThrowsError(try MarginalStandardization.counterfactualDesigns(model, table: table, exposure: "ldh"))   // not in the model
    }
}

/// An offset that is the same constant for every row is absorbed by the intercept: every other
/// estimate, the standardised risks' inputs and the bootstrap validation's indices (training and
/// test linear predictors include the offset) are those of the model without it.
final class ConstantOffsetTests: XCTestCase {
    func testAConstantOffsetChangesOnlyTheIntercept() throws {
        let table = try CSVReader.read(path: Fixtures.path("formula/cohort.csv"))
        let plain = try LogisticModel(table: table, outcome: "low", covariates: ["age", "smoke", "race"])
        let shifted = try LogisticModel(response: plain.response, design: plain.design, outcome: "low",
                                        offset: [Double](repeating: 0.7, count: plain.nObservations))
        let options = FitOptions.defaults(for: .maximumLikelihood)
        let a = try LogisticAnalysis.run(plain, options: options, intervals: .wald, likelihoodRatioTests: false).fit
        let b = try LogisticAnalysis.run(shifted, options: options, intervals: .wald, likelihoodRatioTests: false).fit
        assertClose(b.coefficients[0], a.coefficients[0] - 0.7, relative: 1e-9, "intercept")
        for j in 1..<a.coefficients.count { assertClose(b.coefficients[j], a.coefficients[j], relative: 1e-9, absolute: 1e-12, "coefficient \(j)") }
        assertClose(b.logLikelihood, a.logLikelihood, relative: 1e-12, "log-likelihood")
        assertClose(b.nullLogLikelihood, a.nullLogLikelihood, relative: 1e-12, "null log-likelihood (intercept and offset)")
        let resamples = (0..<15).map { r in Bootstrap.indices(rowCount: plain.nObservations, seed: 9, replicate: r) }
        let va = a.validation(plain, resamples: resamples), vb = b.validation(shifted, resamples: resamples)
        XCTAssertEqual(va.used, vb.used)
        for (k, (x, y)) in zip(va.corrected, vb.corrected).enumerated() {
            assertClose(y, x, relative: 1e-7, absolute: 1e-9, "validation index \(LogisticValidation.indexNames[k])")
        }
    }
}

import CohortData
import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// Issue 16: `cohort logit --validate` (bootstrap validation as `rms::validate`) and `--influence`
/// (as R's glm) against `Tests/References/validation_influence_references.R` on the simulated
/// data of `model_check_references.R`.
///
/// - Validation, exact: the resamples R drew (`resamples_<case>.csv`) are refitted here through
///   ``LogisticFit/validation(_:resamples:)``, and the apparent, training, test, optimism and
///   corrected indices agree with rms 6.5-0's own `discrim` on the same rows (fits run to
///   convergence) to 1e-10 relative (1e-10 absolute for values that are 0 up to rounding).
/// - Validation, statistical: `rms::validate(lrm(...), B = 2000)` on `fitted_mixed` with R's
///   resamples; CohortKit's corrected C from its own 2000 seeded resamples lies within 4 Monte
///   Carlo SEs of the difference of two independent runs (√2 · SE, SE of one run estimated in R).
/// - Influence: Pearson and deviance residuals, hat values and Cook's distance of every row
///   against glm (epsilon = 1e-14) to 1e-9 relative.
final class ValidationReferenceTests: XCTestCase {
    static let cases = [("fitted_mixed", ["x1", "x2", "age"]), ("fitted_categorical", ["grp", "sex"])]

    func model(_ name: String, _ covariates: [String]) throws -> (LogisticModel, LogisticFit) {
        let table = try CSVReader.read(path: Fixtures.path("model_check/\(name).csv"))
        let model = try LogisticModel(table: table, outcome: "y", covariates: covariates)
        return (model, try fit(model))
    }

    func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.path(path)))) as? [String: Any])
    }

    func testOptimismOnRsResamplesMatchesRmsFormulas() throws {
        var worst = 0.0
        for (name, covariates) in Self.cases {
            let (model, fitted) = try model(name, covariates)
            let text = try String(contentsOfFile: Fixtures.path("validation/resamples_\(name).csv"), encoding: .utf8)
            let resamples = text.split(separator: "\n").map { line in line.split(separator: ",").map { Int($0)! - 1 } }
            let validation = fitted.validation(model, resamples: resamples)
            let reference = try json("validation/validation_\(name).json")
            XCTAssertEqual(validation.requested, reference["resamples"] as? Int)
            XCTAssertEqual(validation.used, reference["used"] as? Int, name)
            let columns: [(String, [Double])] = [("apparent", validation.apparent), ("training", validation.training), ("test", validation.test),
                                                 ("optimism", validation.optimism), ("corrected", validation.corrected)]
            for (key, values) in columns {
                let expected = try XCTUnwrap(reference[key] as? [String: Any])
                for (j, index) in LogisticValidation.indexNames.enumerated() {
                    let e = try XCTUnwrap((expected[index] as? NSNumber)?.doubleValue, "\(name) \(key) \(index)")
                    assertClose(values[j], e, relative: 1e-10, absolute: 1e-10, "\(name) \(key) \(index)")
                    if abs(e) > 1e-10 { worst = max(worst, abs(values[j] - e) / abs(e)) }
                }
            }
        }
        print("validation against rms formulas: worst relative difference \(worst)")
    }

    func testCorrectedCWithinMonteCarloErrorOfRmsValidate() throws {
        let (model, fitted) = try model("fitted_mixed", ["x1", "x2", "age"])
        let validation = try fitted.validation(model, options: BootstrapOptions(replicates: 2000, seed: 1))
        let reference = try json("validation/rms_validate.json")
        let rmsC = try XCTUnwrap((reference["correctedC"] as? NSNumber)?.doubleValue)
        let se = try XCTUnwrap((reference["monteCarloSEC"] as? NSNumber)?.doubleValue)
        let apparentDxy = try XCTUnwrap((reference["apparentDxy"] as? NSNumber)?.doubleValue)
        assertClose(validation.apparent[0], apparentDxy, relative: 1e-10, "apparent Dxy")
        XCTAssertEqual(validation.used, 2000)
        let difference = abs(validation.corrected[1] - rmsC)
        print("corrected C: CohortKit \(validation.corrected[1]), rms::validate \(rmsC), difference \(difference) = \(difference / (2.0.squareRoot() * se)) SE of the difference")
        XCTAssertLessThan(difference, 4 * 2.0.squareRoot() * se)
    }

    func testInfluenceMatchesGlm() throws {
        var worst = 0.0
        for (name, covariates) in Self.cases {
            let (model, fitted) = try model(name, covariates)
            let influence = try XCTUnwrap(InfluenceMeasures(fitted, model: model))
            let lines = try String(contentsOfFile: Fixtures.path("validation/influence_\(name).csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            XCTAssertEqual(lines.count, model.nObservations)
            for (i, line) in lines.enumerated() {
                let v = line.split(separator: ",").map { Double($0)! }
                XCTAssertEqual(Int(v[0]), i + 2)
                for (actual, expected, what) in [(influence.pearson[i], v[1], "pearson"), (influence.deviance[i], v[2], "deviance"),
                                                 (influence.leverage[i], v[3], "leverage"), (influence.cooksDistance[i], v[4], "cooks")] {
                    assertClose(actual, expected, relative: 1e-9, absolute: 1e-14, "\(name) row \(i) \(what)")
                    worst = max(worst, abs(actual - expected) / max(abs(expected), 1e-300))
                }
            }
        }
        print("influence against glm: worst relative difference \(worst)")
    }

    /// Firth: the leverage is the hat value of the penalised fit (W^½X(XᵀWX)⁻¹XᵀW^½ at the
    /// penalised estimates, logistf's `hat.diag`), and the residuals and Cook's distance glm's
    /// formulas there: brglm2's `hatvalues`, `residuals`, `cooks.distance` on its AS_mean fit
    /// (epsilon 1e-14): worst 4e-12 relative, tolerance 1e-10.
    func testFirthInfluenceMatchesBrglm2() throws {
        var worst = 0.0
        for (name, covariates) in Self.cases {
            let table = try CSVReader.read(path: Fixtures.path("model_check/\(name).csv"))
            let model = try LogisticModel(table: table, outcome: "y", covariates: covariates)
            let fitted = try fit(model, options: .firth)
            let influence = try XCTUnwrap(InfluenceMeasures(fitted, model: model))
            let lines = try String(contentsOfFile: Fixtures.path("validation/influence_firth_\(name).csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            XCTAssertEqual(lines.count, model.nObservations)
            for (i, line) in lines.enumerated() {
                let v = line.split(separator: ",").map { Double($0)! }
                for (actual, expected, what) in [(influence.pearson[i], v[1], "pearson"), (influence.deviance[i], v[2], "deviance"),
                                                 (influence.leverage[i], v[3], "leverage"), (influence.cooksDistance[i], v[4], "cooks")] {
                    assertClose(actual, expected, relative: 1e-10, absolute: 1e-14, "\(name) Firth row \(i) \(what)")
                    worst = max(worst, abs(actual - expected) / max(abs(expected), 1e-300))
                }
            }
        }
        print("Firth influence against brglm2: worst relative difference \(worst)")
    }

    /// The same resamples give the same bytes on any number of threads: the seeded streams.
    func testValidationIsDeterministic() throws {
        let (model, fitted) = try model("fitted_categorical", ["grp", "sex"])
        let a = try fitted.validation(model, options: BootstrapOptions(replicates: 60, seed: 7))
        let b = try fitted.validation(model, options: BootstrapOptions(replicates: 60, seed: 7))
        XCTAssertEqual(a, b)
        let given = fitted.validation(model, resamples: (0..<60).map { Bootstrap.indices(rowCount: model.nObservations, seed: 7, replicate: $0) })
        XCTAssertEqual(a.corrected, given.corrected)
    }
}

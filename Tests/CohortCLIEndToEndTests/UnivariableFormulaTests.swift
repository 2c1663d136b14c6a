import CohortTestSupport
import Foundation
import XCTest

/// `--univariable` with `--formula` (issue 16): each term that is not an interaction fitted alone
/// (a factor's levels and an rcs() term's columns together, log(ldh) as written) against R's glm and
/// coxph of that term alone (`Tests/References/univariable_formula_references.R`); the interaction
/// only in the multivariable column, a dash and a footnote in the univariable one.
final class UnivariableFormulaTests: XCTestCase {
    var folder: String { Fixtures.path("formula") }

    struct Reference: Decodable {
        struct Coefficient: Decodable {
            let name: String, estimate: Double, se: Double
            let lower: Double?, upper: Double?, lr_p: Double?, p: Double?
        }
        struct Fit: Decodable { let term: String, n: Int, coefficients: [Coefficient] }
        struct Model: Decodable { let formula: String, fits: [Fit] }
        let logistic: Model, cox: Model
    }

    func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/univariable.json")))
    }

    func run(_ arguments: [String]) throws -> CommandResult {
        let result = try CohortCommand.run(arguments, in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return result
    }

    /// Compares the JSON's univariable fits with R's; returns the numbers compared.
    func compare(_ object: [String: Any], _ model: Reference.Model, keys: [(String, KeyPath<Reference.Coefficient, Double?>, Double)]) throws -> Int {
        let fits = try XCTUnwrap(object["univariable"] as? [[String: Any]])
        XCTAssertEqual(fits.compactMap { $0["covariate"] as? String }, model.fits.map(\.term))
        var compared = 0
        for (fit, r) in zip(fits, model.fits) {
            XCTAssertEqual(fit["n"] as? Int, r.n, r.term)
            let rows = try XCTUnwrap(fit["coefficients"] as? [[String: Any]]).filter { $0["term"] as? String != "(Intercept)" }
            XCTAssertEqual(rows.compactMap { $0["term"] as? String }, r.coefficients.map(\.name), r.term)
            for (row, c) in zip(rows, r.coefficients) {
                let what = "\(r.term): \(c.name)"
                assertClose(try XCTUnwrap(row["estimate"] as? Double), c.estimate, relative: 1e-9, "\(what) estimate")
                assertClose(try XCTUnwrap(row["stdError"] as? Double), c.se, relative: 1e-7, "\(what) SE")
                compared += 2
                for (key, path, tolerance) in keys {
                    assertClose(try XCTUnwrap(row[key] as? Double, "\(what) \(key)"), try XCTUnwrap(c[keyPath: path]), relative: tolerance, "\(what) \(key)")
                    compared += 1
                }
            }
        }
        return compared
    }

    func testLogitTermsAloneMatchGlm() throws {
        let r = try reference().logistic
        let json = try run(["logit", "cohort.csv", "--formula", r.formula, "--univariable", "--format", "json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        // Profile-likelihood CI (MASS's confint) and each coefficient's LR test.
        let compared = try compare(object, r, keys: [("ciLower", \.lower, 1e-6), ("ciUpper", \.upper, 1e-6), ("lrP", \.lr_p, 1e-7)])
        XCTAssertEqual(compared, 8 * 5)
        let text = try run(["logit", "cohort.csv", "--formula", r.formula, "--univariable"]).stdout
        let lines = text.components(separatedBy: "\n")
        // The interaction in the multivariable order, its univariable cell a dash, and why.
        let interaction = try XCTUnwrap(lines.first { $0.hasPrefix("age:smoke") })
        XCTAssertTrue(interaction.contains("—"), interaction)
        XCTAssertTrue(text.contains("—: age:smoke: an interaction is not fitted alone"), text)
        // A formula's terms (a spline, a factor) are fitted alone, not its covariates.
        XCTAssertTrue(text.contains("Univariable: each term alone with the outcome") && text.contains("Multivariable: all terms together"), text)
        XCTAssertFalse(text.contains("each covariate alone"), text)
        let columns = try run(["logit", "cohort.csv", "--outcome", "low", "--covariates", "age,lwt", "--univariable"]).stdout
        XCTAssertTrue(columns.contains("Univariable: each covariate alone with the outcome") && columns.contains("Multivariable: all covariates together"), columns)
        // The spline's columns under its term, with the term's N (295: 5 missing lwt).
        let spline = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("rcs(lwt, 4)") })
        XCTAssertTrue(lines[spline].contains("295"), lines[spline])
        XCTAssertEqual(lines[(spline + 1)...(spline + 3)].map { $0.split(separator: " ").first.map(String.init) ?? "" }, ["lwt", "lwt'", "lwt''"])
        let race = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("race") })
        XCTAssertEqual(lines[race + 1].components(separatedBy: "Reference").count, 3, lines[race + 1])
    }

    func testCoxTermsAloneMatchCoxph() throws {
        let r = try reference().cox
        let json = try run(["cox", "cohort.csv", "--time", "time", "--status", "status", "--event", "event", "--formula", r.formula,
                            "--univariable", "--format", "json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(try compare(object, r, keys: [("p", \.p, 1e-7)]), 7 * 3)
        let text = try run(["cox", "cohort.csv", "--time", "time", "--status", "status", "--event", "event", "--formula", r.formula, "--univariable"]).stdout
        XCTAssertTrue(text.contains("—: age:smoke: an interaction is not fitted alone"), text)
        XCTAssertTrue(text.contains("Univariable: each term alone, Cox") && !text.contains("each covariate alone"), text)
    }

    /// A formula of interactions only has no term to fit alone: refused, naming the option.
    func testOnlyInteractionsRefused() throws {
        let result = try CohortCommand.run(["logit", "cohort.csv", "--formula", "low ~ age:smoke", "--univariable"], in: folder)
        XCTAssertNotEqual(result.exitCode, 0)
        XCTAssertTrue(result.stderr.contains("univariable") && result.stderr.contains("only interactions"), result.stderr)
    }
}

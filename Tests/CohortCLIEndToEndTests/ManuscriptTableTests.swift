import CohortTestSupport
import Foundation
import XCTest

/// Issue 16, manuscript tables: the compact Table 1 with standardised mean differences (against
/// tableone's published formulas in R, tableone itself not being installed) and the univariable
/// beside multivariable odds ratios (against R `glm`), on the shipped Johnsrud data; values from
/// Tests/References/manuscript_table_references.R in Tests/Fixtures/tables/manuscript_table_references.json.
/// The Johnsrud report's two tables are pinned as golden files (Tests/Fixtures/golden/report/).
final class ManuscriptTableTests: XCTestCase {
    var johnsrud: String { Fixtures.repositoryRoot + "/Datasets/johnsrud2021" }

    func references() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tables/manuscript_table_references.json")))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try CohortCommand.run(arguments + ["--format", "json"], in: johnsrud)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// Every variable's SMD by product (two groups: shown by default) and by ICANS grade (five
    /// groups, --smd: the mean of the ten pairwise SMDs), measurements, yes/no variables and
    /// categories of up to five levels, one with missing values; null where tableone gives NaN (a
    /// group with fewer than two values).
    func testSMDsAgainstTableoneFormulas() throws {
        let expected = try XCTUnwrap(try references()["smd"] as? [String: [String: Any]])
        var checked = 0
        // No tests: r x c Fisher tests of five groups take seconds and are not what is checked.
        for (by, extra) in [("product", ["--no-tests"]), ("icans_grade", ["--smd", "--no-tests"])] {
            let reference = try XCTUnwrap(expected[by])
            let names = reference.keys.sorted()
            let object = try json(["describe", "cohort.csv", "--variables", names.joined(separator: ","), "--by", by] + extra)
            let variables = try XCTUnwrap(object["variables"] as? [[String: Any]])
            XCTAssertEqual(variables.count, names.count)
            for variable in variables {
                let name = try XCTUnwrap(variable["name"] as? String)
                if let value = reference[name] as? Double {
                    assertClose(try XCTUnwrap(variable["smd"] as? Double, "\(by): \(name)"), value, relative: 1e-12, "\(by): \(name)")
                } else {
                    XCTAssertTrue(variable["smd"] is NSNull, "\(by): \(name) has no SMD in R")
                }
                checked += 1
            }
        }
        XCTAssertEqual(checked, 18)
        // Without --smd, more than two groups show none; with --no-smd two groups show none.
        let none = try json(["describe", "cohort.csv", "--variables", "age", "--by", "icans_grade"])
        XCTAssertTrue((none["variables"] as? [[String: Any]])?.first?["smd"] is NSNull)
        let off = try json(["describe", "cohort.csv", "--variables", "age", "--by", "product", "--no-smd"])
        XCTAssertTrue((off["variables"] as? [[String: Any]])?.first?["smd"] is NSNull)
    }

    /// Each covariate's univariable OR, profile CI, LR and Wald P against glm of it alone, and the
    /// (the Wald P of ldh, whose coefficient is 0.004 on a scale of hundreds, agrees to 1.6e-7:
    /// the SE at the two fits' convergence criteria; the rest to 1e-8 or better)
    /// multivariable model's against glm of all; the coefficient schema of the multivariable model
    /// unchanged, the fits added as `univariable`.
    func testUnivariableOddsRatiosAgainstGlm() throws {
        let expected = try XCTUnwrap(try references()["univariable"] as? [String: [String: Any]])
        let object = try json(["logit", "cohort.csv", "--outcome", "bleeding_any", "--covariates", "age,sex,product,ldh",
                               "--factor", "product=axi-cel", "--univariable"])
        func check(_ coefficients: [[String: Any]], _ reference: [String: Any], _ model: String) throws -> Int {
            var checked = 0
            for (term, values) in reference where term != "n" {
                let values = try XCTUnwrap(values as? [String: Double])
                let coefficient = try XCTUnwrap(coefficients.first { $0["term"] as? String == term }, "\(model): \(term)")
                for (key, referenceKey, tolerance) in [("oddsRatio", "or", 1e-8), ("orLower", "lower", 1e-6), ("orUpper", "upper", 1e-6),
                                                       ("p", "pWald", 1e-6), ("lrP", "pLR", 1e-7)] {
                    assertClose(try XCTUnwrap(coefficient[key] as? Double, "\(model) \(term) \(key)"), try XCTUnwrap(values[referenceKey]),
                                relative: tolerance, "\(model) \(term) \(key)")
                    checked += 1
                }
            }
            return checked
        }
        var checked = try check(try XCTUnwrap(object["coefficients"] as? [[String: Any]]), try XCTUnwrap(expected["multivariable"]), "multivariable")
        let fits = try XCTUnwrap(object["univariable"] as? [[String: Any]])
        XCTAssertEqual(fits.compactMap { $0["covariate"] as? String }, ["age", "sex", "product", "ldh"])
        for fit in fits {
            let covariate = try XCTUnwrap(fit["covariate"] as? String)
            let reference = try XCTUnwrap(expected[covariate])
            XCTAssertEqual(fit["n"] as? Int, reference["n"] as? Int, covariate)
            checked += try check(try XCTUnwrap(fit["coefficients"] as? [[String: Any]]), reference, covariate)
        }
        XCTAssertEqual(checked, 8 * 5)
        // The table: the reference level as a Reference row under its factor, ratios beside each other.
        let text = try CohortCommand.run(["logit", "cohort.csv", "--outcome", "bleeding_any", "--covariates", "age,sex,product,ldh",
                                          "--factor", "product=axi-cel", "--univariable"], in: johnsrud)
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        let lines = text.stdout.components(separatedBy: "\n")
        let product = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("CAR-T product") })
        XCTAssertTrue(lines[product + 1].hasPrefix("  axi-cel"), lines[product + 1])
        XCTAssertEqual(lines[product + 1].components(separatedBy: "Reference").count, 3, lines[product + 1])
        XCTAssertTrue(lines[product + 2].hasPrefix("  CD19/22"), lines[product + 2])
        XCTAssertTrue(text.stdout.contains("CI: 95% confidence interval, profile likelihood, exponentiated"), text.stdout)
    }

    /// `cohort cox --univariable`: each covariate's HR, Wald CI and P alone and together against
    /// survival::coxph (Efron), each model on its own complete cases; a three-level factor's
    /// reference as a Reference row.
    func testCoxUnivariableHazardRatiosAgainstCoxph() throws {
        let expected = try XCTUnwrap(try references()["cox"] as? [String: [String: Any]])
        let arguments = ["cox", "cohort.csv", "--time", "time", "--status", "status", "--event", "1", "--competing", "2",
                         "--covariates", "age,sex,product,plt", "--univariable"]
        let folder = Fixtures.path("survival/cox_command")
        let result = try CohortCommand.run(arguments + ["--format", "json"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        func check(_ coefficients: [[String: Any]], _ reference: [String: Any], _ model: String) throws -> Int {
            var checked = 0
            for (term, values) in reference where term != "n" && term != "events" {
                let values = try XCTUnwrap(values as? [String: Double])
                let coefficient = try XCTUnwrap(coefficients.first { $0["term"] as? String == term }, "\(model): \(term)")
                for (key, referenceKey) in [("hazardRatio", "hr"), ("hrLower", "lower"), ("hrUpper", "upper"), ("p", "p")] {
                    assertClose(try XCTUnwrap(coefficient[key] as? Double, "\(model) \(term) \(key)"), try XCTUnwrap(values[referenceKey]),
                                relative: 1e-9, "\(model) \(term) \(key)")
                    checked += 1
                }
            }
            return checked
        }
        var checked = try check(try XCTUnwrap(object["coefficients"] as? [[String: Any]]), try XCTUnwrap(expected["multivariable"]), "multivariable")
        let fits = try XCTUnwrap(object["univariable"] as? [[String: Any]])
        XCTAssertEqual(fits.compactMap { $0["covariate"] as? String }, ["age", "sex", "product", "plt"])
        for fit in fits {
            let covariate = try XCTUnwrap(fit["covariate"] as? String)
            let reference = try XCTUnwrap(expected[covariate])
            XCTAssertEqual(fit["n"] as? Int, reference["n"] as? Int, covariate)
            XCTAssertEqual(fit["events"] as? Int, reference["events"] as? Int, covariate)
            checked += try check(try XCTUnwrap(fit["coefficients"] as? [[String: Any]]), reference, covariate)
        }
        XCTAssertEqual(checked, 2 * 5 * 4)
        let text = try CohortCommand.run(arguments, in: folder)
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        let lines = text.stdout.components(separatedBy: "\n")
        XCTAssertEqual(lines.first, "Univariable and multivariable hazard ratios")
        let product = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("product ") })
        XCTAssertTrue(lines[product + 1].hasPrefix("  A") && lines[product + 1].contains("Reference"), lines[product + 1])
        XCTAssertTrue(lines[product + 2].hasPrefix("  B") && lines[product + 3].hasPrefix("  C"), text.stdout)
        XCTAssertTrue(text.stdout.contains("HR: hazard ratio; CI: 95% confidence interval, Wald"), text.stdout)
    }

    /// The compact layout: a measurement and a yes/no variable on one row each, a category's levels
    /// indented, a Missing row only under the variable missing values, the tests as numbered
    /// footnotes on the P values.
    func testCompactLayout() throws {
        let result = try CohortCommand.run(["describe", "cohort.csv", "--variables", "age,anticoagulation,disease,bleeding_site", "--by", "product"], in: johnsrud)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let lines = result.stdout.components(separatedBy: "\n")
        let age = try XCTUnwrap(lines.first { $0.hasPrefix("Age at infusion (years), median [IQR]") })
        XCTAssertTrue(age.contains("60 [53–67]") && age.hasSuffix("0.68"), age)
        let anticoagulation = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("Therapeutic anticoagulation") })
        XCTAssertTrue(lines[anticoagulation].contains("15 (11.8%)"), lines[anticoagulation])
        XCTAssertFalse(lines[anticoagulation + 1].hasPrefix("  "), "a yes/no variable has one row")
        XCTAssertEqual(lines.filter { $0.hasPrefix("  Missing") }.count, 1, "Missing only under bleeding_site")
        let site = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("Site of that bleeding, n (%)") })
        XCTAssertTrue(lines[site + 1].hasPrefix("  hematuria"))
        XCTAssertTrue(lines[site + 6].hasPrefix("  Missing"))
        XCTAssertTrue(result.stdout.contains("¹ Wilcoxon rank sum test with continuity correction"), result.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("SMD: absolute standardised mean difference") })
        // The full layout on request.
        let full = try CohortCommand.run(["describe", "cohort.csv", "--variables", "age", "--by", "product", "--layout", "full"], in: johnsrud)
        XCTAssertTrue(full.stdout.contains("  n (missing)") && full.stdout.contains("Wilcoxon rank sum test with continuity correction  "), full.stdout)
    }

    /// --suppress-below: an SMD of a variable with a hidden count is withheld in the table and null
    /// in the JSON (listed as hidden); others stay.
    func testSMDOfSuppressedCellsIsWithheld() throws {
        let object = try json(["describe", "cohort.csv", "--variables", "age,sex,bleeding_site", "--by", "product", "--suppress-below", "5"])
        let variables = try XCTUnwrap(object["variables"] as? [[String: Any]])
        XCTAssertNotNil(variables[0]["smd"] as? Double, "age has no hidden count")
        XCTAssertNotNil(variables[1]["smd"] as? Double, "sex has no hidden count")
        XCTAssertTrue(variables[2]["smd"] is NSNull, "bleeding_site has hidden counts")
        let hidden = try XCTUnwrap((object["suppression"] as? [String: Any])?["hidden"] as? [String])
        XCTAssertTrue(hidden.contains("/variables/2/smd"), "\(hidden)")
        let text = try CohortCommand.run(["describe", "cohort.csv", "--variables", "age,sex,bleeding_site", "--by", "product", "--suppress-below", "5"], in: johnsrud)
        let site = try XCTUnwrap(text.stdout.components(separatedBy: "\n").first { $0.hasPrefix("Site of that bleeding") })
        XCTAssertTrue(site.hasSuffix("—³     —"), site)
        XCTAssertTrue(text.stdout.contains("an SMD is shown as — when its variable has a hidden count"), text.stdout)
    }

    /// Issue 16, must show 2: the Johnsrud report's Table 1 and regression table in the compact
    /// style, as text (Markdown) and HTML against golden files (checked by eye in Chromium when recorded).
    func testJohnsrudReportTablesMatchGoldens() throws {
        let out = NSTemporaryDirectory() + "manuscript-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: out) }
        let result = try CohortCommand.run(["report", "Datasets/johnsrud2021/study.yaml", "--out", out, "--format-set", "md,html"], in: Fixtures.repositoryRoot)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        for (file, golden) in [("table1-by-bleeding", "johnsrud_table1"), ("logit-ml-1", "johnsrud_regression")] {
            for ext in ["md", "html"] {
                let text = try String(contentsOfFile: out + "/tables/\(file).\(ext)", encoding: .utf8)
                assertMatchesGolden(text, goldenPath: Fixtures.path("golden/report/\(golden).\(ext)"))
            }
        }
    }
}

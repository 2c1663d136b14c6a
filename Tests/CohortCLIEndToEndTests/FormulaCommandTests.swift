import CohortTestSupport
import Foundation
import XCTest

/// `--formula` end to end (issue 16): `cohort cox` with an interaction, a factor and a spline
/// against R 4.2.2 `coxph` with `rms::rcs` (`Tests/References/formula_references.R`), logit's
/// JSON, and each way of giving a model wrongly.
final class FormulaCommandTests: XCTestCase {
    var folder: String { Fixtures.path("formula") }

    struct Reference: Decodable {
        struct Coefficient: Decodable { let name: String, estimate: Double, se: Double }
        struct Test: Decodable { let chisq: Double, df: Int, p: Double }
        struct Drop1: Decodable { let term: String, chisq: Double, df: Int, p: Double }
        struct Robust: Decodable { let term: String, test: Test }
        struct Cox: Decodable { let formula: String, n: Int, loglik: Double, coefficients: [Coefficient], drop1: [Drop1], robust: [Robust] }
        let cox: Cox
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try CohortCommand.run(arguments + ["--format", "json"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func testCoxFormulaMatchesCoxph() throws {
        let r = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/references.json"))).cox
        let object = try json(["cox", "cohort.csv", "--time", "time", "--status", "status", "--event", "event", "--formula", r.formula])
        XCTAssertEqual(object["n"] as? Int, r.n)
        assertClose(try XCTUnwrap(object["logLikelihood"] as? Double), r.loglik, relative: 1e-12, "log-likelihood")
        let rows = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
        // Terms in the formula's order: the interaction after its main effects, before race.
        XCTAssertEqual(rows.compactMap { $0["term"] as? String }, ["age", "smoke", "age:smoke", "race[other]", "race[white]", "lwt", "lwt'", "lwt''"])
        for c in r.coefficients {
            let row = try XCTUnwrap(rows.first { $0["term"] as? String == c.name }, c.name)
            assertClose(try XCTUnwrap(row["estimate"] as? Double), c.estimate, relative: 1e-9, "\(c.name) coefficient")
            assertClose(try XCTUnwrap(row["stdError"] as? Double), c.se, relative: 1e-9, "\(c.name) SE")
        }
        // Whole-term tests: LR of the refit without the term (on the same rows); robust Wald with clusters.
        func compare(_ tests: [[String: Any]], _ expected: [(String, Reference.Test)], _ what: String) throws {
            XCTAssertEqual(tests.compactMap { $0["term"] as? String }, expected.map(\.0), what)
            for (test, (term, e)) in zip(tests, expected) {
                XCTAssertEqual(test["df"] as? Int, e.df, "\(what) \(term) df")
                assertClose(try XCTUnwrap(test["chiSquare"] as? Double), e.chisq, relative: 1e-8, "\(what) \(term) χ²")
                assertClose(try XCTUnwrap(test["p"] as? Double), e.p, relative: 1e-7, "\(what) \(term) P")
            }
        }
        try compare(try XCTUnwrap(object["termTests"] as? [[String: Any]]), r.drop1.map { ($0.term, Reference.Test(chisq: $0.chisq, df: $0.df, p: $0.p)) }, "LR")
        let clustered = try json(["cox", "cohort.csv", "--time", "time", "--status", "status", "--event", "event", "--formula", r.formula, "--cluster", "centre"])
        try compare(try XCTUnwrap(clustered["termTests"] as? [[String: Any]]), r.robust.map { ($0.term, $0.test) }, "robust Wald")
    }

    /// The logit JSON of a formula: top-level deviance, R's term names, the term tests of drop1.
    func testLogitFormulaJSON() throws {
        let object = try json(["logit", "cohort.csv", "--formula", "low ~ smoke * race + log(ldh) + I(age^2)", "--factor", "race=white"])
        XCTAssertNotNil(object["deviance"] as? Double)
        let terms = try XCTUnwrap(object["coefficients"] as? [[String: Any]]).compactMap { $0["term"] as? String }
        XCTAssertEqual(terms, ["(Intercept)", "smoke", "race[black]", "race[other]", "smoke:race[black]", "smoke:race[other]", "log(ldh)", "I(age^2)"])
        let tests = try XCTUnwrap(object["termTests"] as? [[String: Any]])
        XCTAssertEqual(tests.compactMap { $0["term"] as? String }, ["smoke:race", "log(ldh)", "I(age^2)"])
        XCTAssertEqual(tests.first?["df"] as? Int, 2)
        // The outcome given separately and a formula without a left side are the same model.
        let split = try json(["logit", "cohort.csv", "--outcome", "low", "--formula", "~ smoke * race + log(ldh) + I(age^2)", "--factor", "race=white"])
        XCTAssertEqual(split["deviance"] as? Double, object["deviance"] as? Double)
    }

    struct LogisticReferences: Decodable {
        struct Prediction: Decodable { let at: [String: String], eta: Double, se: Double, risk: Double, lower: Double, upper: Double }
        struct Case: Decodable { let name: String, formula: String, reference: String?, predictions: [Prediction] }
        let logistic: [Case]
    }

    /// Predictions at given values (--at) against R's predict(se.fit = TRUE) on the link scale.
    func testPredictionsAtGivenValuesMatchPredict() throws {
        let r = try JSONDecoder().decode(LogisticReferences.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/references.json")))
        var compared = 0
        for c in r.logistic where !c.predictions.isEmpty {
            let order = ["age", "smoke", "race", "lwt", "ldh"]
            let at = c.predictions.flatMap { p in
                ["--at", order.compactMap { name in p.at[name].map { "\(name)=\($0)" } }.joined(separator: ",")]
            }
            let object = try json(["logit", "cohort.csv", "--formula", c.formula] + (c.reference.map { ["--factor", "race=\($0)"] } ?? []) + at)
            let rows = try XCTUnwrap(object["predictions"] as? [[String: Any]], c.name)
            XCTAssertEqual(rows.count, c.predictions.count)
            for (row, p) in zip(rows, c.predictions) {
                for (key, expected) in [("linearPredictor", p.eta), ("stdError", p.se), ("risk", p.risk), ("lower", p.lower), ("upper", p.upper)] {
                    assertClose(try XCTUnwrap(row[key] as? Double), expected, relative: 1e-8, "\(c.name) \(p.at) \(key)")
                }
                compared += 1
            }
        }
        XCTAssertEqual(compared, 3)
    }

    /// --predict FILE: every fitted row's linear predictor and SE against predict(fit, se.fit = TRUE).
    func testEveryRowsPredictionMatchesPredict() throws {
        struct Rows: Decodable { let line: [Int], eta: [Double], se: [Double] }
        struct Case: Decodable { let name: String, formula: String, rows: Rows? }
        struct Root: Decodable { let logistic: [Case] }
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/references.json"))
        let r = try XCTUnwrap(try JSONDecoder().decode(Root.self, from: data).logistic.first)
        let reference = try XCTUnwrap(r.rows)
        let out = try Fixtures.folder([:])
        let result = try CohortCommand.run(["logit", Fixtures.path("formula/cohort.csv"), "--formula", r.formula, "--predict", out + "/p.csv", "--ci", "wald", "--no-lr"], in: out)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let lines = try String(contentsOfFile: out + "/p.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        XCTAssertEqual(lines[0], ["line", "linear_predictor", "std_error", "fitted_risk", "lower", "upper"])
        let rows = Array(lines.dropFirst())
        XCTAssertEqual(rows.map { Int($0[0]) }, reference.line)
        for (row, (eta, se)) in zip(rows, zip(reference.eta, reference.se)) {
            assertClose(try XCTUnwrap(Double(row[1])), eta, relative: 1e-8, absolute: 1e-10, "line \(row[0]) linear predictor")
            assertClose(try XCTUnwrap(Double(row[2])), se, relative: 1e-8, "line \(row[0]) SE")
        }
        let suppressed = try CohortCommand.run(["logit", Fixtures.path("formula/cohort.csv"), "--formula", r.formula, "--predict", out + "/q.csv", "--suppress-below", "5"], in: out)
        XCTAssertNotEqual(suppressed.exitCode, 0)
        XCTAssertTrue(suppressed.stderr.contains("cannot be suppressed"), suppressed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/q.csv"))
    }

    /// Frequency weights and an offset: glm(weights = w, offset = lexp) by maximum likelihood and
    /// brglm2's Firth (AS_mean) with the same weights and offset.
    func testWeightsAndOffsetMatchGlmAndBrglm2() throws {
        struct Coefficient: Decodable { let name: String, estimate: Double, se: Double }
        struct Case: Decodable { let name: String, method: String, n_weighted: Int, deviance: Double, null_deviance: Double?, coefficients: [Coefficient] }
        struct Root: Decodable { let weighted: [Case] }
        let cases = try JSONDecoder().decode(Root.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/references.json"))).weighted
        XCTAssertEqual(cases.count, 2)
        for c in cases {
            let object = try json(["logit", "cohort.csv", "--outcome", "low", "--covariates", "age,smoke,race", "--weights", "w", "--offset", "lexp",
                                   "--ci", "wald"] + (c.method == "firth" ? ["--firth"] : []))
            XCTAssertEqual(object["n"] as? Int, c.n_weighted, c.name)
            XCTAssertEqual(object["weights"] as? String, "w")
            XCTAssertEqual(object["offset"] as? String, "lexp")
            assertClose(try XCTUnwrap(object["deviance"] as? Double), c.deviance, relative: 1e-10, "\(c.name) deviance")
            if let null = c.null_deviance { assertClose(try XCTUnwrap(object["nullDeviance"] as? Double), null, relative: 1e-10, "\(c.name) null deviance") }
            let rows = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
            XCTAssertEqual(rows.compactMap { $0["term"] as? String }, c.coefficients.map(\.name))
            for (row, e) in zip(rows, c.coefficients) {
                assertClose(try XCTUnwrap(row["estimate"] as? Double), e.estimate, relative: 1e-8, absolute: 1e-10, "\(c.name) \(e.name)")
                assertClose(try XCTUnwrap(row["stdError"] as? Double), e.se, relative: 1e-8, "\(c.name) \(e.name) SE")
            }
        }
        let table = try CohortCommand.run(["logit", "cohort.csv", "--outcome", "low", "--covariates", "age,smoke", "--weights", "w", "--offset", "lexp"], in: folder)
        XCTAssertTrue(table.stdout.contains("frequency weights: w; n counts weighted rows (225 rows of the data weighted to 450)"), table.stdout)
        XCTAssertTrue(table.stdout.contains("offset: lexp, added to the linear predictor with coefficient 1."), table.stdout)
    }

    /// --formula in cohort linear and cohort poisson: lm and glm(poisson) with the same terms.
    func testLinearAndPoissonFormulasMatchLmAndGlm() throws {
        struct Coefficient: Decodable { let name: String, estimate: Double, se: Double }
        struct Test: Decodable { let term: String, df: Int, statistic: Double, p: Double }
        struct Case: Decodable { let name: String, command: String, formula: String, deviance: Double, coefficients: [Coefficient], term_tests: [Test] }
        struct Root: Decodable { let other_models: [Case] }
        let cases = try JSONDecoder().decode(Root.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/references.json"))).other_models
        XCTAssertEqual(cases.map(\.command), ["linear", "poisson"])
        for c in cases {
            let object = try json([c.command, "cohort.csv", "--formula", c.formula] + (c.command == "poisson" ? ["--exposure", "time"] : []))
            assertClose(try XCTUnwrap(object["deviance"] as? Double), c.deviance, relative: 1e-9, "\(c.name) deviance")
            let rows = try XCTUnwrap(object["coefficients"] as? [[String: Any]])
            XCTAssertEqual(Set(rows.compactMap { $0["term"] as? String }), Set(c.coefficients.map(\.name)), c.name)
            for e in c.coefficients {
                let row = try XCTUnwrap(rows.first { $0["term"] as? String == e.name }, "\(c.name) \(e.name)")
                assertClose(try XCTUnwrap(row["estimate"] as? Double), e.estimate, relative: 1e-8, absolute: 1e-10, "\(c.name) \(e.name)")
                assertClose(try XCTUnwrap(row["stdError"] as? Double), e.se, relative: 1e-8, "\(c.name) \(e.name) SE")
            }
            // Whole-term tests: drop1's F (lm) and LR (glm) tests.
            let tests = try XCTUnwrap(object["termTests"] as? [[String: Any]], c.name)
            XCTAssertEqual(tests.compactMap { $0["term"] as? String }, c.term_tests.map(\.term), c.name)
            for (test, e) in zip(tests, c.term_tests) {
                XCTAssertEqual(test["df"] as? Int, e.df, "\(c.name) \(e.term) df")
                XCTAssertEqual(test["test"] as? String, c.command == "linear" ? "F" : "LR")
                assertClose(try XCTUnwrap(test["statistic"] as? Double), e.statistic, relative: 1e-8, "\(c.name) \(e.term) statistic")
                assertClose(try XCTUnwrap(test["p"] as? Double), e.p, relative: 1e-7, "\(c.name) \(e.term) P")
            }
        }
    }

    /// cohort linear --robust: a whole term's test is the robust Wald χ² with sandwich::vcovHC's HC3.
    func testRobustTermTestsMatchSandwich() throws {
        struct Test: Decodable { let term: String, df: Int, statistic: Double, p: Double }
        struct Root: Decodable { let robust_linear: [Test] }
        let expected = try JSONDecoder().decode(Root.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/references.json"))).robust_linear
        let object = try json(["linear", "cohort.csv", "--formula", "ldh ~ age * smoke + race + rcs(lwt, 4)", "--robust", "hc3"])
        let tests = try XCTUnwrap(object["termTests"] as? [[String: Any]])
        XCTAssertEqual(tests.compactMap { $0["term"] as? String }, expected.map(\.term))
        for (test, e) in zip(tests, expected) {
            XCTAssertEqual(test["test"] as? String, "Wald")
            XCTAssertEqual(test["df"] as? Int, e.df)
            assertClose(try XCTUnwrap(test["statistic"] as? Double), e.statistic, relative: 1e-8, "\(e.term) robust Wald χ²")
            assertClose(try XCTUnwrap(test["p"] as? Double), e.p, relative: 1e-7, "\(e.term) P")
        }
    }

    func testBadModelsAreRefusedWithTheReason() throws {
        func failure(_ arguments: [String]) throws -> String {
            let result = try CohortCommand.run(arguments, in: folder)
            XCTAssertNotEqual(result.exitCode, 0, arguments.joined(separator: " "))
            XCTAssertFalse(result.stderr.contains("Fatal error"), result.stderr)
            return result.stderr
        }
        XCTAssertTrue(try failure(["logit", "cohort.csv", "--formula", "low ~ age", "--covariates", "age"]).contains("replaces --covariates"))
        XCTAssertTrue(try failure(["logit", "cohort.csv", "--formula", "low ~ age", "--outcome", "smoke"]).contains("has the outcome 'low' but --outcome is 'smoke'"))
        XCTAssertTrue(try failure(["logit", "cohort.csv", "--formula", "~ age"]).contains("has no outcome"))
        XCTAssertTrue(try failure(["logit", "cohort.csv", "--formula", "low ~ age", "--factor", "race=white"]).contains("not among the formula's variables"))
        XCTAssertTrue(try failure(["logit", "cohort.csv", "--formula", "low ~ age + rcs(lwt, 12)"]).contains("3 to 7 knots"))
        XCTAssertTrue(try failure(["logit", "cohort.csv", "--formula", "low ~ smoke:race"]).contains("needs the term smoke"))
        XCTAssertTrue(try failure(["logit", "cohort.csv", "--formula", "low ~ age + race", "--at", "age=30,race=pink"]).contains("--at gives 'race' the level 'pink'"))
        XCTAssertTrue(try failure(["logit", "cohort.csv", "--formula", "low ~ age + race", "--at", "age=30"]).contains("--at gives no value for 'race'"))
        XCTAssertTrue(try failure(["logit", "cohort.csv", "--formula", "low ~ age + race", "--at", "age=30,race=white", "--format", "csv"]).contains("CSV holds one"))
        // lexp is not whole: case weights, with which Firth is refused by name.
        XCTAssertTrue(try failure(["logit", "cohort.csv", "--outcome", "low", "--covariates", "age", "--weights", "lexp", "--firth"]).contains("--firth"))
        XCTAssertTrue(try failure(["logit", "cohort.csv", "--outcome", "low", "--covariates", "age", "--weights", "age"]).contains("also in the model"))
        XCTAssertTrue(try failure(["logit", "cohort.csv", "--outcome", "low", "--covariates", "age", "--offset", "race"]).contains("not numeric"))
        XCTAssertTrue(try failure(["logit", "cohort.csv", "--outcome", "low", "--covariates", "age", "--offset", "lexp", "--at", "age=30"]).contains("own offset"))
        XCTAssertTrue(try failure(["cox", "cohort.csv", "--time", "time", "--status", "status", "--event", "event", "--formula", "low ~ age"])
            .contains("times and status come from the event options"))
    }
}

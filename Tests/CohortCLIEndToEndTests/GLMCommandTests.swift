import CohortTestSupport
import Foundation
import XCTest

/// `cohort linear`, `cohort poisson` and `cohort logbinomial` as a user runs them (issue 16): the
/// JSON against the R references of Tests/References/glm_family_references.R, the statements of
/// method, and one clear line and exit code for each kind of bad input.
final class GLMCommandTests: XCTestCase {
    func data(_ name: String) -> String { Fixtures.path("glm/data/\(name)") }

    func reference(_ name: String) throws -> [String: Any] {
        let text = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("glm/references/\(name).json")))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: text) as? [String: Any])
    }

    func json(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> (object: [String: Any], stderr: String) {
        let result = try CohortCommand.run(arguments + ["--format", "json"])
        XCTAssertEqual(result.exitCode, 0, result.stderr, file: file, line: line)
        return (try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], file: file, line: line), result.stderr)
    }

    /// The JSON's coefficients against the reference's, at 1e-9 relative.
    func compare(_ object: [String: Any], _ reference: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws {
        let coefficients = try XCTUnwrap(object["coefficients"] as? [[String: Any]], file: file, line: line)
        let terms = try XCTUnwrap(reference["terms"] as? [String])
        XCTAssertEqual(coefficients.map { $0["term"] as? String }, terms, file: file, line: line)
        for key in ["estimate", "stdError", "p", "ciLower", "ciUpper"] {
            let expected = try XCTUnwrap(reference[key] as? [Any])
            for (j, coefficient) in coefficients.enumerated() {
                guard let value = expected[j] as? Double else { XCTAssertTrue(coefficient[key] is NSNull, "\(key) \(terms[j])", file: file, line: line); continue }
                let actual = try XCTUnwrap(coefficient[key] as? Double, "\(key) \(terms[j])", file: file, line: line)
                assertClose(actual, value, relative: key == "p" ? 1e-8 : 1e-9, absolute: 1e-13, "\(key) \(terms[j])", file: file, line: line)
            }
        }
        XCTAssertEqual(object["n"] as? Int, reference["n"] as? Int, file: file, line: line)
        XCTAssertEqual(object["nDropped"] as? Int, reference["nDropped"] as? Int, file: file, line: line)
        assertClose(try XCTUnwrap(object["deviance"] as? Double, file: file, line: line), try XCTUnwrap(reference["deviance"] as? Double),
                    relative: 1e-10, "deviance", file: file, line: line)
    }

    func testLinearWithRobustSEsMatchesLmAndVcovHC() throws {
        let (object, _) = try json(["linear", data("linear.csv"), "--outcome", "y", "--covariates", "age,sex,arm", "--factor", "arm=control", "--robust", "hc3"])
        try compare(object, try reference("lm_hc3"))
        XCTAssertEqual(object["model"] as? String, "linear")
        XCTAssertEqual(object["robust"] as? String, "hc3")
        XCTAssertTrue((object["covariance"] as? String)?.contains("HC3") == true)
        XCTAssertEqual(object["droppedReasons"] as? [String: Int], ["missing y": 2, "missing age": 1])
        let ref = try reference("lm_hc3")
        for (key, refKey) in [("rSquared", "rSquared"), ("adjustedRSquared", "adjRSquared"), ("fStatistic", "fStatistic"), ("residualStandardError", "sigma")] {
            assertClose(try XCTUnwrap(object[key] as? Double), try XCTUnwrap(ref[refKey] as? Double), relative: 1e-10, key)
        }
        let coefficient = try XCTUnwrap((object["coefficients"] as? [[String: Any]])?.first)
        XCTAssertEqual(coefficient["ciMethod"] as? String, "t")
        XCTAssertNil(coefficient["oddsRatio"])
        // The table says the SEs are robust, of which type, and how.
        let table = try CohortCommand.run(["linear", data("linear.csv"), "--outcome", "y", "--covariates", "age,sex,arm", "--robust", "hc3"])
        XCTAssertEqual(table.exitCode, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("robust SE (HC3)") && table.stdout.contains("sandwich::vcovHC(type = \"HC3\")"), table.stdout)
    }

    func testLinearWeightedAndAliased() throws {
        let (weighted, _) = try json(["linear", data("linear.csv"), "--outcome", "y", "--covariates", "age,sex,arm", "--factor", "arm=control", "--weights", "w"])
        try compare(weighted, try reference("lm_weighted"))
        XCTAssertEqual(weighted["weights"] as? String, "w")
        let (aliased, stderr) = try json(["linear", data("linear.csv"), "--outcome", "y", "--covariates", "age,age_months,sex"])
        try compare(aliased, try reference("lm_aliased"))
        XCTAssertTrue(stderr.contains("age_months is a linear combination"), stderr)
        let flags = (aliased["coefficients"] as? [[String: Any]])?.map { $0["aliased"] as? Bool }
        XCTAssertEqual(flags, [false, false, true, false])
    }

    func testPoissonWithExposureMatchesGlm() throws {
        let (object, _) = try json(["poisson", data("counts.csv"), "--outcome", "events", "--covariates", "x,grp", "--exposure", "pt"])
        try compare(object, try reference("poisson_exposure"))
        XCTAssertEqual(object["model"] as? String, "poisson")
        XCTAssertEqual(object["exposure"] as? String, "pt")
        XCTAssertEqual(object["droppedReasons"] as? [String: Int], ["missing x": 1])
        for key in ["nullDeviance", "pearsonChiSquare", "dispersion", "dfResidual", "aic"] { XCTAssertNotNil(object[key], key) }
        let coefficient = try XCTUnwrap((object["coefficients"] as? [[String: Any]])?[1])
        let estimate = try XCTUnwrap(coefficient["estimate"] as? Double)
        assertClose(try XCTUnwrap(coefficient["rateRatio"] as? Double), exp(estimate), relative: 1e-15, "rate ratio = exp(estimate)")
        XCTAssertEqual(coefficient["ciMethod"] as? String, "wald")
    }

    func testPoissonWeightsAndWarpbreaks() throws {
        let (weighted, _) = try json(["poisson", data("counts.csv"), "--outcome", "events", "--covariates", "x,grp", "--exposure", "pt", "--weights", "cw"])
        try compare(weighted, try reference("poisson_weighted"))
        let (warp, _) = try json(["poisson", data("warpbreaks.csv"), "--outcome", "breaks", "--covariates", "wool,tension", "--factor", "tension=L"])
        try compare(warp, try reference("poisson_warpbreaks"))
    }

    func testNegativeBinomialOnQuineMatchesGlmNb() throws {
        let (object, _) = try json(["poisson", data("quine.csv"), "--outcome", "Days", "--covariates", "Eth,Sex,Age,Lrn", "--negative-binomial"])
        let ref = try reference("negbin_quine")
        try compare(object, ref)
        XCTAssertEqual(object["model"] as? String, "negative-binomial")
        assertClose(try XCTUnwrap(object["theta"] as? Double), try XCTUnwrap(ref["theta"] as? Double), relative: 1e-9, "theta")
        assertClose(try XCTUnwrap(object["thetaStdError"] as? Double), try XCTUnwrap(ref["thetaSE"] as? Double), relative: 1e-9, "theta SE")
        let table = try CohortCommand.run(["poisson", data("quine.csv"), "--outcome", "Days", "--covariates", "Eth,Sex,Age,Lrn", "--negative-binomial"])
        XCTAssertTrue(table.stdout.contains("θ = 1.275 (SE 0.1610)"), table.stdout)
    }

    func testLogBinomialConvergesAndSaysSo() throws {
        let (object, stderr) = try json(["logbinomial", data("logbin.csv"), "--outcome", "outcome", "--covariates", "dose,site"])
        try compare(object, try reference("logbinomial_basic"))
        let method = try XCTUnwrap(object["method"] as? [String: Any])
        XCTAssertEqual(method["used"] as? String, "log-binomial")
        XCTAssertEqual(method["fallback"] as? Bool, false)
        XCTAssertEqual(stderr, "")
        XCTAssertNotNil((object["coefficients"] as? [[String: Any]])?[1]["riskRatio"])
    }

    /// R's glm(binomial(link = "log")) fails here ("no valid set of coefficients"); the command
    /// falls back to the modified Poisson model, matches R's poisson glm + vcovHC(HC0), and says why.
    func testLogBinomialFallsBackToModifiedPoissonAndStatesWhy() throws {
        let (object, stderr) = try json(["logbinomial", data("logbin_boundary.csv"), "--outcome", "event", "--covariates", "score,age2"])
        try compare(object, try reference("logbinomial_boundary"))
        XCTAssertEqual(object["model"] as? String, "modified-poisson")
        let method = try XCTUnwrap(object["method"] as? [String: Any])
        XCTAssertEqual(method["fallback"] as? Bool, true)
        XCTAssertTrue((method["reason"] as? String)?.contains("log-binomial fit") == true)
        XCTAssertTrue(stderr.contains("replaced by the modified Poisson model (Zou 2004)"), stderr)
        let table = try CohortCommand.run(["logbinomial", data("logbin_boundary.csv"), "--outcome", "event", "--covariates", "score,age2"])
        XCTAssertTrue(table.stdout.hasPrefix("Modified Poisson regression"), table.stdout)
        XCTAssertTrue(table.stdout.contains("method: modified Poisson, because the log-binomial fit"), table.stdout)
        XCTAssertTrue(table.stdout.contains("robust SE"), table.stdout)
    }

    /// The text tables, as a reader sees them: golden files (the data path made relative).
    func testTextTablesMatchGoldens() throws {
        let runs: [(String, [String])] = [
            ("linear_hc3.txt", ["linear", data("linear.csv"), "--outcome", "y", "--covariates", "age,sex,arm", "--factor", "arm=control", "--robust", "hc3"]),
            ("poisson_warpbreaks.txt", ["poisson", data("warpbreaks.csv"), "--outcome", "breaks", "--covariates", "wool,tension", "--factor", "tension=L"]),
            ("negbin_quine.md", ["poisson", data("quine.csv"), "--outcome", "Days", "--covariates", "Eth,Sex,Age,Lrn", "--negative-binomial", "--format", "md"]),
            ("logbinomial_fallback.txt", ["logbinomial", data("logbin_boundary.csv"), "--outcome", "event", "--covariates", "score,age2"]),
        ]
        for (golden, arguments) in runs {
            let result = try CohortCommand.run(arguments)
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            assertMatchesGolden(result.stdout.replacingOccurrences(of: Fixtures.root + "/", with: ""), goldenPath: Fixtures.path("golden/\(golden)"))
        }
    }

    // MARK: bad input

    func folder(_ files: [String: String]) throws -> String {
        let dir = try Fixtures.folder(files)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func expectFailure(_ arguments: [String], in dir: String, code: Int32, contains fragments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try CohortCommand.run(arguments, in: dir)
        XCTAssertEqual(result.exitCode, code, "stderr: \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(result.stderr.contains(fragment), "stderr lacks '\(fragment)': \(result.stderr)", file: file, line: line)
        }
        XCTAssertFalse(result.stderr.contains("Fatal error"), file: file, line: line)
    }

    func testNonCountOutcomeForPoisson() throws {
        let dir = try folder(["d.csv": "y,x,pt\n1,1,2\n2.5,2,1\n0,3,1\n4,4,1\n3,5,2\n"])
        try expectFailure(["poisson", "d.csv", "--outcome", "y", "--covariates", "x"], in: dir, code: 65,
                          contains: ["d.csv:3", "'y'", "'2.5'", "whole number"])
        let negative = try folder(["d.csv": "y,x\n1,1\n-2,2\n0,3\n4,4\n"])
        try expectFailure(["poisson", "d.csv", "--outcome", "y", "--covariates", "x"], in: negative, code: 65, contains: ["d.csv:3", "'-2'"])
        let text = try folder(["d.csv": "y,x\nlow,1\nhigh,2\nlow,3\nhigh,4\n"])
        try expectFailure(["poisson", "d.csv", "--outcome", "y", "--covariates", "x"], in: text, code: 65, contains: ["outcome 'y' is not numeric"])
    }

    func testNegativeAndZeroExposure() throws {
        let negative = try folder(["d.csv": "y,x,pt\n1,1,2\n2,2,-1.5\n0,3,1\n4,4,1\n"])
        try expectFailure(["poisson", "d.csv", "--outcome", "y", "--covariates", "x", "--exposure", "pt"], in: negative, code: 65,
                          contains: ["d.csv:3", "'pt'", "'-1.5'", "positive"])
        let zero = try folder(["d.csv": "y,x,pt\n1,1,2\n2,2,1\n0,3,0\n4,4,1\n"])
        try expectFailure(["poisson", "d.csv", "--outcome", "y", "--covariates", "x", "--exposure", "pt"], in: zero, code: 65,
                          contains: ["d.csv:4", "'pt'", "'0'", "exposure must be positive"])
    }

    func testNonBinaryOutcomeForLogbinomial() throws {
        let dir = try folder(["d.csv": "y,x\n1,1\n2,2\n0,3\n1,4\n0,5\n"])
        try expectFailure(["logbinomial", "d.csv", "--outcome", "y", "--covariates", "x"], in: dir, code: 65,
                          contains: ["outcome 'y' is not binary", "'0', '1', '2'"])
    }

    func testUnknownRobustValue() throws {
        let dir = try folder(["d.csv": "y,x\n1,1\n2,2\n0,3\n1,4\n"])
        let result = try CohortCommand.run(["linear", "d.csv", "--outcome", "y", "--covariates", "x", "--robust", "hc4"], in: dir)
        XCTAssertEqual(result.exitCode, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("hc4") && result.stderr.contains("hc0") && result.stderr.contains("hc3"), result.stderr)
    }

    func testNegativeWeightAndWeightsThatAreACovariate() throws {
        let dir = try folder(["d.csv": "y,x,w\n1,1,1\n2,2,-1\n0,3,1\n1,4,2\n"])
        try expectFailure(["linear", "d.csv", "--outcome", "y", "--covariates", "x", "--weights", "w"], in: dir, code: 65,
                          contains: ["d.csv:3", "'w'", "weights must be finite and 0 or more"])
        try expectFailure(["linear", "d.csv", "--outcome", "y", "--covariates", "x,w", "--weights", "w"], in: dir, code: 64,
                          contains: ["--weights", "'w'"])
    }

    /// A study file's `type: linear` (and poisson, logbinomial) runs as the command does.
    func testStudyFileKinds() throws {
        let dir = try folder([:])
        for file in ["cohort.csv", "codebook.yaml", "labs.csv"] {
            try FileManager.default.copyItem(atPath: Fixtures.repositoryRoot + "/Datasets/johnsrud2021/" + file, toPath: dir + "/" + file)
        }
        let study = """
            study: glm
            data: cohort.csv
            codebook: codebook.yaml
            outputs:
              - name: rates
                type: poisson
                outcome: crs_grade
                covariates: [age, icans_high]
                exposure: last_followup_day
                negative_binomial: true
              - name: ols
                type: linear
                outcome: ldh
                covariates: [age, sex]
                robust: hc1
              - name: risks
                type: logbinomial
                outcome: bleeding_any
                covariates: [plt_low]
            """
        try study.write(toFile: dir + "/study.yaml", atomically: true, encoding: .utf8)
        let made = try CohortCommand.run(["report", "study.yaml", "--out", dir + "/report", "--format-set", "md,json"], in: dir)
        XCTAssertEqual(made.exitCode, 0, made.stderr)
        let rates = try String(contentsOfFile: dir + "/report/tables/rates.json", encoding: .utf8)
        XCTAssertTrue(rates.contains("\"model\": \"negative-binomial\""), rates)
        let ols = try String(contentsOfFile: dir + "/report/tables/ols.md", encoding: .utf8)
        XCTAssertTrue(ols.contains("robust HC1"), ols)
        let risks = try String(contentsOfFile: dir + "/report/tables/risks.json", encoding: .utf8)
        XCTAssertTrue(risks.contains("\"riskRatio\""), risks)
        // Issue 16: under suppress_below the models are suppressed as logit's; the risk-ratio model,
        // whose plt_low = 0 level has fewer than 5 events, is left out of the report and listed.
        let shared = try CohortCommand.run(["report", "study.yaml", "--out", dir + "/shared", "--format-set", "md,json", "--suppress-below", "5"], in: dir)
        XCTAssertEqual(shared.exitCode, 0, shared.stderr)
        XCTAssertTrue(try String(contentsOfFile: dir + "/shared/tables/ols.json", encoding: .utf8).contains("\"below\": 5"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/shared/tables/risks.json"))
        let summary = try String(contentsOfFile: dir + "/shared/summary.md", encoding: .utf8)
        XCTAssertTrue(summary.contains("left out of this report") && summary.contains("level '0' has fewer than 5 patients with bleeding_any"), summary)
    }
}

import CohortTestSupport
import Foundation
import XCTest

/// `cohort validate` and `cohort codebook`, and every other command reading through the codebook:
/// typed columns, declared level order, derived variables, identifiers withheld.
final class ValidateCommandTests: XCTestCase {
    let data = Fixtures.path("codebook/cohort.csv")
    var folder: String { Fixtures.path("codebook") }

    /// A copy of the fixture's codebook and `text` as data, in a fresh folder.
    func brokenCopy(_ text: String) throws -> String {
        let dir = NSTemporaryDirectory() + "cohortkit-validate-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.path("codebook/cohort.codebook.yaml"), toPath: dir + "/cohort.codebook.yaml")
        try text.write(toFile: dir + "/cohort.csv", atomically: true, encoding: .utf8)
        return dir
    }

    func testValidFileExitsZero() throws {
        let result = try CohortCommand.run(["validate", "cohort.csv"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            cohort.csv: 0 errors and 0 warnings in 12 rows and 8 columns (codebook: cohort.codebook.yaml)

            Valid.

            """)
    }

    func testEveryProblemIsListedAndTheExitCodeIs65() throws {
        let dir = try brokenCopy("""
            Patient ID,Age (years),Sex,PLT (x10^9/L),ICANS grade,Bleeding day,Infusion date,Disease
            P01,61,F,180,0,,2021-01-04,LBCL
            P02,5x,M,95,6,-2,2021-13-11,MCL
            P02,30,U,140,1,,2021-02-01,AML
            P04,45,F,60,4,5,2021-02-15
            P05,99,M,210,0,,2021-03-01,LBCL
            """)
        let result = try CohortCommand.run(["validate", "cohort.csv"], in: dir)
        XCTAssertEqual(result.exitCode, 65)
        XCTAssertEqual(result.stdout, """
            cohort.csv: 8 errors and 2 warnings in 4 rows and 8 columns (codebook: cohort.codebook.yaml)

            Errors (8):
              cohort.csv:3: column 'Age (years)': '5x' is not a number; expected a whole number
              cohort.csv:3: column 'ICANS grade': '6' is outside the allowed grades 0-5
              cohort.csv:3: column 'Bleeding day': '-2' is before day 0; study days count from day 0 (expected 0 or more)
              cohort.csv:3: column 'Infusion date': '2021-13-11' is not a date; expected YYYY-MM-DD (ISO 8601), a real calendar date
              cohort.csv:4: column 'Patient ID': repeats the identifier on line 3; identifiers must be unique
              cohort.csv:4: column 'Sex': 'U' is not a level of this variable; expected one of M, F
              cohort.csv:4: column 'Disease': 'AML' is not a level of this variable; expected one of LBCL, MCL, B-ALL
              cohort.csv:5: expected 8 fields as in the header, found 7

            Warnings (2):
              cohort.csv:4: column 'Age (years)': '30' is outside the typical range 40-75 years; check it
              cohort.csv:6: column 'Age (years)': '99' is outside the typical range 40-75 years; check it

            Not valid: every command that reads this file will stop until the errors are fixed.

            """)
        // Another command stops with the same messages.
        let logit = try CohortCommand.run(["logit", "cohort.csv", "--outcome", "bleeding_28d", "--covariates", "low_platelets"], in: dir)
        XCTAssertEqual(logit.exitCode, 65)
        XCTAssertTrue(logit.stderr.contains("cohort.csv:4: column 'Sex': 'U' is not a level of this variable; expected one of M, F\n"), logit.stderr)
        XCTAssertTrue(logit.stderr.hasSuffix("cohort.csv: 8 errors and 2 warnings in 4 rows and 8 columns (codebook: cohort.codebook.yaml); run 'cohort validate' for the full report\n"), logit.stderr)
        XCTAssertEqual(logit.stdout, "")
    }

    func testJSONReport() throws {
        let dir = try brokenCopy("Patient ID,Age (years),Sex,PLT (x10^9/L),ICANS grade,Bleeding day,Infusion date,Disease\nP01,61,F,180,0,,2021-01-04,T-ALL\n")
        let result = try CohortCommand.run(["validate", "cohort.csv", "--format", "json"], in: dir)
        XCTAssertEqual(result.exitCode, 65)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["valid"] as? Bool, false)
        XCTAssertEqual(object["errorCount"] as? Int, 1)
        XCTAssertEqual(object["codebook"] as? String, "cohort.codebook.yaml")
        let errors = try XCTUnwrap(object["errors"] as? [[String: Any]])
        XCTAssertEqual(errors[0]["line"] as? Int, 2)
        XCTAssertEqual(errors[0]["column"] as? String, "Disease")
        XCTAssertEqual(errors[0]["value"] as? String, "T-ALL")
        XCTAssertEqual(errors[0]["message"] as? String, "is not a level of this variable; expected one of LBCL, MCL, B-ALL")
    }

    func testStandardInputAndNoCodebook() throws {
        let text = try String(contentsOfFile: data, encoding: .utf8)
        let result = try CohortCommand.run(["validate", "-"], stdin: text)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("<stdin>: 0 errors and 0 warnings in 12 rows and 8 columns (no codebook: types inferred)"), result.stdout)
        let ignored = try CohortCommand.run(["validate", "cohort.csv", "--no-codebook"], in: folder)
        XCTAssertTrue(ignored.stdout.contains("(no codebook: types inferred)"), ignored.stdout)
    }

    func testAnUnreadableCodebookIsOneClearLine() throws {
        let result = try CohortCommand.run(["validate", "cohort.csv", "--codebook", "missing.yaml"], in: folder)
        XCTAssertEqual(result.exitCode, 66)
        XCTAssertEqual(result.stderr, "cohort validate: missing.yaml: cannot read the codebook: No such file or directory\n")
    }

    /// Issue 12: an alias bomb, 100,000 nested brackets or a codebook beyond 1 MiB is one clear line
    /// and exit 65 from every command, at once (the time measured is printed).
    func testIssue12_hostileCodebookIsOneClearLineAtOnce() throws {
        let cases = [(HostileYAML.aliasBomb(), "cohort.codebook.yaml:2: '*l0' is a YAML alias"),
                     (HostileYAML.deepNesting(), "cohort.codebook.yaml:1: not valid YAML: lists and mappings are nested more than 1000 levels deep"),
                     ("variables: {}\n#" + String(repeating: "x", count: 1 << 20), "cohort.codebook.yaml: the codebook is larger than 1 MiB")]
        for (codebook, expected) in cases {
            let dir = try brokenCopy("a\n1\n")
            try codebook.write(toFile: dir + "/cohort.codebook.yaml", atomically: true, encoding: .utf8)
            for command in [["validate", "cohort.csv"], ["describe", "cohort.csv"]] {
                let start = ContinuousClock.now
                let result = try CohortCommand.run(command, in: dir)
                print("cohort \(command[0]) with \(expected.prefix(40))...: \(ContinuousClock.now - start)")
                XCTAssertEqual(result.exitCode, 65, result.stderr)
                XCTAssertTrue(result.stderr.hasPrefix("cohort \(command[0]): \(expected)"), result.stderr)
                XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "one line: \(result.stderr)")
                XCTAssertLessThan(ContinuousClock.now - start, .seconds(5), "5 s, not 1 s: the machine is shared")
            }
        }
    }

    func testIdentifiersAreNeverAnalysed() throws {
        let result = try CohortCommand.run(["logit", "cohort.csv", "--outcome", "bleeding_28d", "--covariates", "Patient ID"], in: folder)
        XCTAssertEqual(result.exitCode, 65)
        XCTAssertEqual(result.stderr,
                       "cohort logit: cohort.csv: 'Patient ID' is an identifier column (codebook type identifier); identifiers are never analysed or printed\n")
    }

    /// Names with spaces and punctuation as written; the codebook's level order sets the reference;
    /// derived variables are columns like any other.
    func testLogitUsesTypedAndDerivedColumns() throws {
        let result = try CohortCommand.run(["logit", "cohort.csv", "--outcome", "bleeding_28d", "--covariate", "PLT (x10^9/L)",
                                            "--covariate", "Disease", "--firth", "--ci", "wald", "--no-lr", "--format", "json"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let terms = (object["coefficients"] as? [[String: Any]])?.compactMap { $0["term"] as? String }
        XCTAssertEqual(terms, ["(Intercept)", "PLT (x10^9/L)", "Disease[MCL]", "Disease[B-ALL]"], "LBCL, declared first, is the reference")
        XCTAssertEqual(object["events"] as? Int, 4, "bleeding on days 12, 5, 2 and 20 fall in 0...28; days 40 and 95 do not")
        XCTAssertFalse(result.stdout.contains("P01"), "no identifier value in any output")
    }

    func testStarterCodebook() throws {
        let result = try CohortCommand.run(["codebook", "cohort.csv"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("""
              "Patient ID":   # every value distinct: an identifier? (never analysed or printed)
                type: identifier
              "Age (years)":   # observed 45 to 73
                type: integer
            """), result.stdout)
        XCTAssertTrue(result.stdout.contains("  \"Infusion date\":   # observed 2021-01-04 to 2021-06-07\n    type: date\n"), result.stdout)
        // What it prints is a codebook the tool accepts.
        let dir = NSTemporaryDirectory() + "cohortkit-starter-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: data, toPath: dir + "/cohort.csv")
        try result.stdout.write(toFile: dir + "/codebook.yaml", atomically: true, encoding: .utf8)
        let check = try CohortCommand.run(["validate", "cohort.csv"], in: dir)
        XCTAssertEqual(check.exitCode, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("(codebook: codebook.yaml)"), check.stdout)

        let functions = try CohortCommand.run(["codebook", "--functions"])
        XCTAssertEqual(functions.exitCode, 0)
        XCTAssertTrue(functions.stdout.contains("event_within(day, window)  -> binary\n"), functions.stdout)
        XCTAssertTrue(functions.stdout.contains("thrombocytopenia(platelets, cutoff = 150)  -> binary\n"), functions.stdout)
        let usage = try CohortCommand.run(["codebook"])
        XCTAssertEqual(usage.exitCode, 64)
    }
}

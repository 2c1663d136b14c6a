import CohortTestSupport
import XCTest

/// Issue 15 from the command line: `cohort derive` writes a prepared table (a per-patient table
/// joined, cut points, a recode, a filter) exactly, and says what the filter dropped.
final class PreparationCommandTests: XCTestCase {
    let files = [
        "p.csv": "id,age,disease,ldh\nA,70,DLBCL,120\nB,40,B-ALL,250\nC,55,PMBCL,600\nD,17,DLBCL,\nE,30,FL,-5\n",
        "baseline.csv": "id,crp\nC,40\nA,3\n",
        "p.codebook.yaml": """
            variables:
              id: identifier
              age: integer
              disease: {type: categorical, levels: [DLBCL, PMBCL, FL, B-ALL]}
              ldh: real
            tables:
              baseline: {file: baseline.csv, id: id}
            derived:
              ldh_group: cut(ldh, breaks = [0, 250, 500, inf], labels = ["normal", "high", "very high"])
              lymphoma: recode(disease, from = ["DLBCL", "PMBCL"], to = ["LBCL", "LBCL"])
              log_crp: round(log(crp), 3)

            """,
    ]

    /// Hand-worked: E (-5) is below every break, so missing with a note; D (17) fails the filter and
    /// B (B-ALL) is not a lymphoma; A and C have a baseline row, E none.
    func testDeriveWritesTheJoinedCutRecodedAndFilteredTable() throws {
        let dir = try Fixtures.folder(files, prefix: "cohortkit-prep-cli")
        let result = try CohortCommand.run(["derive", "p.csv", "--where", "age >= 18 and lymphoma != \"B-ALL\""], in: dir)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            id,age,disease,ldh,crp,ldh_group,lymphoma,log_crp
            A,70,DLBCL,120,3,normal,LBCL,1.099
            C,55,PMBCL,600,40,very high,LBCL,3.689
            E,30,FL,-5,,,FL,

            """)
        XCTAssertEqual(result.stderr, """
            cohort derive: warning: p.codebook.yaml:9: derived 'ldh_group': 1 row has ldh outside the breaks [0, Inf) and is missing; widen the breaks (-inf, inf) to keep it
            cohort derive: note: --where age >= 18 and lymphoma != "B-ALL": kept 3 of 5 rows, dropped 2 (2 where the condition is 0, 0 where it is missing)

            """)
    }

    /// The warning of a cut is every command's, not only validate's: the values it left missing
    /// change the table.
    func testAnAnalysisSaysWhatACutLeftMissing() throws {
        let dir = try Fixtures.folder(files, prefix: "cohortkit-prep-cli")
        let result = try CohortCommand.run(["describe", "p.csv", "--variables", "ldh_group"], in: dir)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stderr, "cohort describe: warning: p.codebook.yaml:9: derived 'ldh_group': 1 row has ldh outside the breaks [0, Inf) and is missing; widen the breaks (-inf, inf) to keep it\n")
    }

    func testUsageErrorsAndTheFunctionList() throws {
        let dir = try Fixtures.folder(files, prefix: "cohortkit-prep-cli")
        let validate = try CohortCommand.run(["validate", "p.csv", "--where", "age > 1"], in: dir)
        XCTAssertEqual(validate.exitCode, 64)
        XCTAssertTrue(validate.stderr.contains("--where does not apply to validate, which checks every row of the file"), validate.stderr)
        let syntax = try CohortCommand.run(["describe", "p.csv", "--where", "age >"], in: dir)
        XCTAssertEqual(syntax.exitCode, 64)
        XCTAssertTrue(syntax.stderr.hasPrefix("Error: --where: at character 6: expected a column, a number"), syntax.stderr)
        let functions = try CohortCommand.run(["codebook", "--functions"])
        for signature in ["log(x)  -> real", "round(x, digits = 0)  -> real", "standardize(x)  -> real", "if_else(condition, a, b)  -> as a and b",
                          "cut(x, breaks = [b0, b1, ...], [labels = [\"l1\", ...]], right = false)  -> categorical",
                          "recode(x, from = [\"old\", ...], to = [\"new\", ...])  -> categorical"] {
            XCTAssertTrue(functions.stdout.contains("\n" + signature + "\n"), signature)
        }
    }
}

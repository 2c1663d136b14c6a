import CohortTestSupport
import Foundation
import XCTest

/// `cohort derive`: the analysis-ready table from a patient table, its linked lab table and the
/// codebook's derived variables; and its errors for bad long tables.
final class DeriveCommandTests: XCTestCase {
    func temporaryFolder() throws -> String {
        let dir = NSTemporaryDirectory() + "derive-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func rows(_ csv: String) -> [[String]] {
        csv.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Rows in input order, the patient table's columns (identifier included) then one column a
    /// derived variable, missing as empty; the values those the pandas reference computes.
    func testWritesOneRowAPatientInInputOrderWithTheDerivedColumns() throws {
        let dir = try temporaryFolder()
        let result = try CohortCommand.run(["derive", Fixtures.path("linked/patients.csv"), "--codebook", Fixtures.path("linked/codebook.yaml"),
                                            "--out", dir + "/analysis.csv"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.contains("cohort derive: note: isth_dic_score on labs days 0...28 (isth_max, isth_max_named, isth_min, isth_count, isth_onset, isth_first_ge3): 290 of 407 patient-days with draws scored; 117 unscorable"), result.stderr)
        let written = rows(try String(contentsOfFile: dir + "/analysis.csv", encoding: .utf8))
        let input = rows(try String(contentsOfFile: Fixtures.path("linked/patients.csv"), encoding: .utf8))
        let expected = rows(try String(contentsOfFile: Fixtures.path("linked/expected.csv"), encoding: .utf8))
        XCTAssertEqual(written.count, input.count)
        XCTAssertEqual(Array(written[0].prefix(input[0].count)), input[0], "the patient table's columns first, in order")
        XCTAssertEqual(Array(written[0].dropFirst(input[0].count)), Array(expected[0].dropFirst()), "then the derived variables, in codebook order")
        for r in 1..<written.count {
            XCTAssertEqual(written[r][0], input[r][0], "row \(r + 1): input order, identifier kept")
            for (k, want) in expected[r].enumerated().dropFirst() {
                let got = written[r][input[0].count + k - 1]
                if want.isEmpty || got.isEmpty { XCTAssertEqual(got, want, "row \(r + 1) \(expected[0][k])"); continue }
                let (x, y) = (Double(got)!, Double(want)!)
                XCTAssertEqual(x, y, accuracy: 1e-12 * max(1, abs(y)), "row \(r + 1) \(expected[0][k])")
            }
        }
        // The same bytes again, and on standard output.
        let again = try CohortCommand.run(["derive", Fixtures.path("linked/patients.csv"), "--codebook", Fixtures.path("linked/codebook.yaml")])
        XCTAssertEqual(again.stdout, try String(contentsOfFile: dir + "/analysis.csv", encoding: .utf8))
    }

    func testAnUnknownIdInTheLabTableStopsWithItsFileLineAndColumn() throws {
        let dir = try temporaryFolder()
        try "id,age\nA,50\nB,60\n".write(toFile: dir + "/p.csv", atomically: true, encoding: .utf8)
        try "id,day,plt\nA,1,100\nB,x,90\nQ7,2,80\n".write(toFile: dir + "/labs.csv", atomically: true, encoding: .utf8)
        try "variables:\n  id: identifier\n  age: integer\ntables:\n  labs: {file: labs.csv, id: id, day: day}\nderived:\n  nadir: min(labs.plt, days = 0...28)\n"
            .write(toFile: dir + "/p.codebook.yaml", atomically: true, encoding: .utf8)
        let result = try CohortCommand.run(["derive", "p.csv"], in: dir)
        XCTAssertEqual(result.exitCode, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("labs.csv:3: column 'day': 'x'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("labs.csv:4: column 'id': 'Q7' is not a patient of p.csv (no row there has this id)"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/out.csv"))
        let validate = try CohortCommand.run(["validate", "p.csv", "--format", "json"], in: dir)
        XCTAssertEqual(validate.exitCode, 65)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(validate.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["errorCount"] as? Int, 2)
        XCTAssertEqual((json["linkedTables"] as? [[String: Any]])?.first?["rows"] as? Int, 1, "one row matched")
    }

    func testNeverOverwritesAnInputAndNeedsACodebook() throws {
        let dir = try temporaryFolder()
        for file in ["patients.csv", "labs.csv", "codebook.yaml"] {
            try FileManager.default.copyItem(atPath: Fixtures.path("linked/" + file), toPath: dir + "/" + file)
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/labs.csv"))
        let result = try CohortCommand.run(["derive", "patients.csv", "--codebook", "codebook.yaml", "--out", "labs.csv"], in: dir)
        XCTAssertEqual(result.exitCode, 73, result.stderr)
        XCTAssertTrue(result.stderr.contains("labs.csv"), result.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/labs.csv")), before)
        let none = try CohortCommand.run(["derive", "patients.csv", "--no-codebook"], in: dir)
        XCTAssertEqual(none.exitCode, 64, none.stderr)
        XCTAssertTrue(none.stderr.contains("derive needs a codebook"), none.stderr)
    }
}

import CohortTestSupport
import Foundation
import XCTest

/// REDCap longitudinal exports (issue 18): the SYNTHETIC project Datasets/redcap-cart/longitudinal
/// (two events, a repeating lab form, branching logic; raw export and label export with labelled
/// headers) read onto a patient table and a linked table, checked against pandas
/// (Tests/Fixtures/redcap/longitudinal_reference.json, written by
/// Tests/References/redcap_longitudinal_references.py); no identifier in any output.
final class RedcapLongitudinalTests: XCTestCase {
    var folder: String { Fixtures.repositoryRoot + "/Datasets/redcap-cart/longitudinal" }

    struct Reference: Decodable {
        struct Branching: Decodable { let n, missing, not_applicable: Int }
        let rows, records, event_rows, lab_rows: Int
        let lab_days: [String: Int]
        let branching: [String: Branching]
        let numeric: [String: RedcapQuartiles]
        let platelet_nadir_0_30: [String: RedcapQuartiles]
    }

    func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("redcap/longitudinal_reference.json"))))
    }

    /// Every record id and medical record number of the export.
    func identifierValues() throws -> [String] {
        let text = try String(contentsOfFile: folder + "/export.csv", encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let values = Set(rows.flatMap { [String($0[0]), String($0[4])] }.filter { !$0.isEmpty })
        XCTAssertEqual(values.count, 120)
        return values.sorted()
    }

    func assertNoIdentifier(_ outputs: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        for output in outputs {
            for value in try identifierValues() where output.contains(value) {
                XCTFail("an identifier, \(value), was printed", file: file, line: line)
            }
        }
    }

    func testCommittedCodebookIsWhatTheCommandWrites() throws {
        let result = try CohortCommand.run(["codebook", "--from-redcap", "dictionary.csv", "--repeating", "repeating.csv", "--index-date", "infusion_date"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stdout, try String(contentsOfFile: folder + "/codebook.yaml", encoding: .utf8))
        for expected in ["\ntables:\n  labs:   # REDCap repeating instrument in event treatment_arm_1 (repeating.csv line 2)\n    redcap_instrument: \"labs\"\n    id: \"record_id\"\n    date: \"lab_date\"\n    index: \"infusion_date\"\n    variables:\n      lab_date:",
                         "  crs_grade:   # REDCap dropdown, form outcomes, line 16\n", "    shown_if: \"[crs_any] = '1'\"\n",
                         "    shown_if: \"[toxicity_treatment(1)] = '1'\"\n", "    shown_if: \"[crs_grade] > 2 or ([icans_any] = '1' and [icans_grade] >= 3)\"\n",
                         "    note: \"ng/mL; shown only if datediff([infusion_date], [enrol_date], 'd') > 0\"\n"] {
            XCTAssertTrue(result.stdout.contains(expected), "no \(expected) in\n\(result.stdout)")
        }
        // The lab form's fields are the table's, not the patient table's.
        XCTAssertFalse(result.stdout.contains("\n  platelets:"), result.stdout)
        // Without --index-date, the first date field of a form that does not repeat, said so.
        let fallback = try CohortCommand.run(["codebook", "--from-redcap", "dictionary.csv", "--repeating", "repeating.csv"], in: folder)
        XCTAssertEqual(fallback.exitCode, 0, fallback.stderr)
        XCTAssertTrue(fallback.stdout.contains("    index: \"enrol_date\"   # the first date field of a form that does not repeat; choose day 0 with --index-date\n"), fallback.stdout)
    }

    /// The raw export and the label export with labelled headers: the events merged into one row a
    /// record, the lab instances a linked table, blanks told apart by the branching logic.
    func testExportsValidateOntoLinkedTables() throws {
        let reference = try reference()
        var outputs: [String] = []
        for export in ["export.csv", "export_labels.csv"] {
            let result = try CohortCommand.run(["validate", export], in: folder)
            XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
            XCTAssertTrue(result.stdout.hasPrefix("\(export): 0 errors and "), result.stdout)
            XCTAssertTrue(result.stdout.contains(" in \(reference.records) rows and "), result.stdout)
            XCTAssertTrue(result.stdout.contains("REDCap export: \(reference.rows) rows read as \(reference.records) records (\(reference.event_rows) event rows merged), and \(reference.lab_rows) of repeating instrument 'labs' (table 'labs') rows"), result.stdout)
            XCTAssertTrue(result.stdout.contains("Linked table 'labs': \(export), \(reference.lab_rows) rows matched to patients."), result.stdout)
            for (name, expected) in reference.branching {
                XCTAssertTrue(result.stdout.contains("\(name): \(expected.not_applicable) blank and not applicable (shown only if "), "\(export) \(name)\n\(result.stdout)")
                XCTAssertTrue(result.stdout.contains("), \(expected.missing) missing"), result.stdout)
            }
            outputs += [result.stdout, result.stderr]
        }
        try assertNoIdentifier(outputs)
    }

    /// describe's n, missing and not-applicable counts and quartiles, from both exports, equal pandas'.
    func testDescribeAgainstPandas() throws {
        let reference = try reference()
        var outputs: [String] = []
        for export in ["export.csv", "export_labels.csv"] {
            let result = try CohortCommand.run(["describe", export, "--format", "json"], in: folder)
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            outputs += [result.stdout, result.stderr]
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            XCTAssertEqual(object["rows"] as? Int, reference.records)
            let variables = try XCTUnwrap(object["variables"] as? [[String: Any]])
            func variable(_ name: String) throws -> [String: Any] { try XCTUnwrap(variables.first { $0["name"] as? String == name }, "\(export): \(name)") }
            for (name, expected) in reference.branching {
                let v = try variable(name)
                let overall = try XCTUnwrap(v["overall"] as? [String: Any])
                XCTAssertEqual(overall["n"] as? Int, expected.n, "\(export): \(name) n")
                XCTAssertEqual(overall["missing"] as? Int, expected.missing, "\(export): \(name) missing")
                XCTAssertEqual(v["notApplicable"] as? Int, expected.not_applicable, "\(export): \(name) not applicable")
            }
            for (name, expected) in reference.numeric {
                let overall = try XCTUnwrap(try variable(name)["overall"] as? [String: Any])
                XCTAssertEqual(overall["n"] as? Int, expected.n, "\(export): \(name) n")
                for (key, value) in [("median", expected.median), ("q1", expected.q1), ("q3", expected.q3)] {
                    assertClose(try XCTUnwrap(overall[key] as? Double, "\(name) \(key)"), value, relative: 1e-12, "\(export): \(name) \(key)")
                }
            }
            // Complex logic stays a note: its blanks are missing, and it has no such key.
            XCTAssertNil(try variable("ferritin_peak")["notApplicable"])
            XCTAssertNil(variables.first { ["mrn", "record_id", "platelets"].contains($0["name"] as? String ?? "") })
        }
        let text = try CohortCommand.run(["describe", "export.csv"], in: folder)
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Not applicable (blank where the field's branching logic, shown_if, is false): in neither n nor missing: Highest CRS grade (ASTCT) \(reference.branching["crs_grade"]!.not_applicable);"), text.stdout)
        let suppressed = try CohortCommand.run(["describe", "export.csv", "--suppress-below", "5"], in: folder)
        XCTAssertEqual(suppressed.exitCode, 0, suppressed.stderr)
        XCTAssertTrue(suppressed.stdout.contains("counts withheld under small-cell suppression"), suppressed.stdout)
        try assertNoIdentifier(outputs + [text.stdout, suppressed.stdout])
    }

    /// The linked lab table: each patient's platelet nadir over days 0-30 (day = draw date less
    /// infusion date), by product, equals pandas'.
    func testLabNadirAgainstPandas() throws {
        let reference = try reference()
        let result = try CohortCommand.run(["labs", "export.csv", "--lab", "labs.platelets", "--by", "product", "--days", "0...30", "--summary", "min", "--format", "json"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        try assertLabSummary(result.stdout, equals: reference.platelet_nadir_0_30, "platelet nadir")
        try assertNoIdentifier([result.stdout, result.stderr])
    }
}

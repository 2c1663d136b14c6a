import CohortTestSupport
import Foundation
import XCTest

/// REDCap (issue 18): `cohort codebook --from-redcap` on the SYNTHETIC CAR-T project of
/// Datasets/redcap-cart, its raw and label exports validated and described, the counts checked
/// against pandas (Tests/Fixtures/redcap/cart_describe.json, written by
/// Tests/References/redcap_cart_references.py), and no identifier in any output.
final class RedcapCommandTests: XCTestCase {
    var folder: String { Fixtures.repositoryRoot + "/Datasets/redcap-cart" }

    struct Reference: Decodable {
        struct Categorical: Decodable { let levels: [String: Int]; let missing: Int; let not_applicable: Int? }
        struct Binary: Decodable { let present, n, missing: Int }
        struct Numeric: Decodable { let n, missing: Int; let median, q1, q3: Double }
        let rows: Int
        let categorical: [String: Categorical]
        let binary: [String: Binary]
        let numeric: [String: Numeric]
    }

    /// Every record id and medical record number of the export: no output may hold one.
    func identifierValues() throws -> [String] {
        let text = try String(contentsOfFile: folder + "/export.csv", encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let values = rows.flatMap { [String($0[0]), String($0[1])] }
        XCTAssertEqual(values.count, 120)
        return values
    }

    func assertNoIdentifier(_ outputs: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let identifiers = try identifierValues()
        for output in outputs {
            for value in identifiers where output.contains(value) {
                XCTFail("an identifier, \(value), was printed", file: file, line: line)
            }
        }
    }

    func testCommittedCodebookIsWhatTheCommandWrites() throws {
        let result = try CohortCommand.run(["codebook", "--from-redcap", "dictionary.csv"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stdout, try String(contentsOfFile: folder + "/codebook.yaml", encoding: .utf8))
        XCTAssertTrue(result.stdout.contains("  mrn:   # REDCap text, form enrolment, line 3\n    type: identifier\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("  toxicity_treatment___99:"), result.stdout)
        XCTAssertFalse(result.stdout.contains("  toxicity_treatment:"), "no entry for a checkbox's parent field")
        XCTAssertFalse(result.stdout.contains("response_header"), "no entry for a descriptive field")
    }

    /// Raw and label exports both validate, the label export with variable names or with field
    /// labels as headers; the `*_complete` columns are warnings only.
    func testRawAndLabelExportsValidate() throws {
        var outputs: [String] = []
        for export in ["export.csv", "export_labels.csv", "export_header_labels.csv"] {
            let result = try CohortCommand.run(["validate", export], in: folder)
            XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
            XCTAssertTrue(result.stdout.hasPrefix("\(export): 0 errors and 3 warnings in 60 rows and 26 columns (codebook: codebook.yaml)"), result.stdout)
            for (k, form) in ["enrolment", "infusion", "outcomes"].enumerated() {
                // A labelled header writes each form's status as "Complete?": named by its column.
                let name = export == "export_header_labels.csv" ? "Complete? (column \([9, 15, 26][k]))" : "\(form)_complete"
                XCTAssertTrue(result.stdout.contains("column '\(name)'"), result.stdout)
            }
            // The branching logic of crs_grade: its 15 blanks are not applicable, none missing.
            XCTAssertTrue(result.stdout.contains("crs_grade: 15 blank and not applicable (shown only if [crs_any] = '1'), 0 missing"), result.stdout)
            outputs += [result.stdout, result.stderr]
        }
        try assertNoIdentifier(outputs)
    }

    /// describe's counts from both exports equal pandas' from the raw export and the dictionary.
    func testDescribeCountsAgainstPandas() throws {
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("redcap/cart_describe.json"))))
        var outputs: [String] = []
        var checked = 0
        for export in ["export.csv", "export_labels.csv", "export_header_labels.csv"] {
            let result = try CohortCommand.run(["describe", export, "--format", "json"], in: folder)
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            outputs += [result.stdout, result.stderr]
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            XCTAssertEqual(object["rows"] as? Int, reference.rows)
            let variables = try XCTUnwrap(object["variables"] as? [[String: Any]])
            func overall(_ name: String) throws -> [String: Any] {
                let variable = try XCTUnwrap(variables.first { $0["name"] as? String == name }, "\(export): \(name)")
                return try XCTUnwrap(variable["overall"] as? [String: Any], name)
            }
            func levels(_ summary: [String: Any]) -> [String: Int] {
                let list = summary["levels"] as? [[String: Any]] ?? []
                return Dictionary(uniqueKeysWithValues: list.map { ($0["level"] as? String ?? "?", $0["count"] as? Int ?? -1) })
            }
            for (name, expected) in reference.categorical {
                let summary = try overall(name)
                XCTAssertEqual(levels(summary), expected.levels.filter { $0.value > 0 }, "\(export): \(name)")
                XCTAssertEqual(summary["missing"] as? Int, expected.missing, "\(export): \(name) missing")
                let variable = variables.first { $0["name"] as? String == name }
                XCTAssertEqual(variable?["notApplicable"] as? Int, expected.not_applicable, "\(export): \(name) not applicable")
                checked += 1
            }
            for (name, expected) in reference.binary {
                let summary = try overall(name)
                let present = name.contains("___") ? "Checked" : name == "icans_any" ? "True" : "Yes"
                XCTAssertEqual(levels(summary)[present] ?? 0, expected.present, "\(export): \(name)")
                XCTAssertEqual(summary["n"] as? Int, expected.n, "\(export): \(name) n")
                XCTAssertEqual(summary["missing"] as? Int, expected.missing, "\(export): \(name) missing")
                checked += 1
            }
            for (name, expected) in reference.numeric {
                let summary = try overall(name)
                XCTAssertEqual(summary["n"] as? Int, expected.n, "\(export): \(name) n")
                XCTAssertEqual(summary["missing"] as? Int, expected.missing, "\(export): \(name) missing")
                for (key, value) in [("median", expected.median), ("q1", expected.q1), ("q3", expected.q3)] {
                    assertClose(try XCTUnwrap(summary[key] as? Double, "\(name) \(key)"), value, relative: 1e-12, "\(export): \(name) \(key)")
                }
                checked += 1
            }
            XCTAssertNil(variables.first { $0["name"] as? String == "mrn" || $0["name"] as? String == "record_id" }, "identifiers are not described")
        }
        XCTAssertEqual(checked, 3 * (reference.categorical.count + reference.binary.count + reference.numeric.count))
        XCTAssertEqual(reference.categorical.count + reference.binary.count + reference.numeric.count, 18)

        // The text table: each choice's label in the first cell of its row; a yes/no or checkbox
        // variable on one row (its present level counted), labelled with the field (and choice) label.
        let text = try CohortCommand.run(["describe", "export.csv", "--by", "product"], in: folder)
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        for label in ["  Female ", "  Other, specify in comments ", "  Grade 4 ", "  Complete response ",
                      "Bridging therapy given?, n (%) ", "ICANS occurred, n (%) ", "Treatment of toxicity: Tocilizumab, n (%) "] {
            XCTAssertTrue(text.stdout.contains("\n" + label), "no row starting with '\(label)' in\n\(text.stdout)")
        }
        XCTAssertTrue(text.stdout.contains("Treatment of toxicity: Other: one value only ('Unchecked')"), text.stdout)
        XCTAssertTrue(text.stdout.contains("axi-cel (N = 16)"), text.stdout)
        outputs += [text.stdout, text.stderr]
        try assertNoIdentifier(outputs)
    }

    /// An export with a repeating instrument the codebook does not declare is refused with one
    /// error naming the column and the first such row, not one "repeats the identifier" a row.
    func testUndeclaredRepeatingInstrumentIsRefusedClearly() throws {
        let codebook = try String(contentsOfFile: folder + "/codebook.yaml", encoding: .utf8)
        var lines = try String(contentsOfFile: folder + "/export.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        lines = lines.enumerated().map { $0.offset == 0 ? $0.element + ",redcap_repeat_instrument,redcap_repeat_instance" : $0.element + ",," }
        lines.insert(lines[1].replacingOccurrences(of: ",,$", with: ",labs,1", options: .regularExpression), at: 2)
        let dir = try Fixtures.folder(["export.csv": lines.joined(separator: "\n") + "\n", "codebook.yaml": codebook])
        let result = try CohortCommand.run(["validate", "export.csv"], in: dir)
        XCTAssertEqual(result.exitCode, 65, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("export.csv:3: column 'redcap_repeat_instrument': a row of the repeating instrument 'labs', which no table of the codebook reads"), result.stdout)
        XCTAssertFalse(result.stdout.contains("repeats"), result.stdout)
        try assertNoIdentifier([result.stdout, result.stderr])
    }

    /// A dictionary that cannot be mapped: the file, line and field named, a non-zero exit.
    func testBadDictionaryIsRefused() throws {
        let dictionary = try String(contentsOfFile: folder + "/dictionary.csv", encoding: .utf8)
        let dir = try Fixtures.folder([
            "unknown.csv": dictionary.replacingOccurrences(of: "icans_any,outcomes,,truefalse", with: "icans_any,outcomes,,matrix"),
            "choices.csv": dictionary.replacingOccurrences(of: "1, Female | 2, Male", with: "1, Female | 2 Male"),
            "columns.csv": dictionary.replacingOccurrences(of: "\"Text Validation Min\"", with: "Min").replacingOccurrences(of: "Text Validation Min,", with: "Min,"),
        ])
        let unknown = try CohortCommand.run(["codebook", "--from-redcap", "unknown.csv"], in: dir)
        XCTAssertNotEqual(unknown.exitCode, 0)
        XCTAssertTrue(unknown.stderr.contains("unknown.csv:17: field 'icans_any': unknown field type 'matrix'"), unknown.stderr)
        let choices = try CohortCommand.run(["codebook", "--from-redcap", "choices.csv"], in: dir)
        XCTAssertNotEqual(choices.exitCode, 0)
        XCTAssertTrue(choices.stderr.contains("choices.csv:5: field 'sex' (radio): the choice '2 Male' has no comma"), choices.stderr)
        let columns = try CohortCommand.run(["codebook", "--from-redcap", "columns.csv"], in: dir)
        XCTAssertNotEqual(columns.exitCode, 0)
        XCTAssertTrue(columns.stderr.contains("columns.csv:1: not a REDCap data dictionary: no column 'Text Validation Min'"), columns.stderr)
        XCTAssertEqual(unknown.stdout + choices.stdout + columns.stdout, "")
    }
}

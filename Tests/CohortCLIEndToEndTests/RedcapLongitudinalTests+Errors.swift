import CohortTestSupport
import Foundation
import XCTest

/// REDCap exports that cannot be read as they are (issue 18): each refused with the file, line and
/// column named, never with an identifier printed.
extension RedcapLongitudinalTests {
    func lines(_ file: String) throws -> [String] {
        try String(contentsOfFile: folder + "/" + file, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// A folder holding the project's codebook and `export` as export.csv.
    func project(_ export: [String], codebook: String? = nil) throws -> String {
        try Fixtures.folder(["export.csv": export.joined(separator: "\n") + "\n",
                             "codebook.yaml": try codebook ?? String(contentsOfFile: folder + "/codebook.yaml", encoding: .utf8)])
    }

    func testLongExportErrorsNameLineAndColumn() throws {
        var export = try lines("export.csv")
        // A field given two values at two events; line 3 is record 101-001's treatment event.
        var cells = export[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let ageColumn = export[0].split(separator: ",").firstIndex(of: "age")!
        cells[ageColumn] = "44"
        export[2] = cells.joined(separator: ",")
        // An instrument no table reads, and an instance of a repeating event.
        export.append(export[3].replacingOccurrences(of: ",labs,1,", with: ",vitals,1,"))
        export.append(export[1].replacingOccurrences(of: "screening_arm_1,,,", with: "screening_arm_1,,2,"))
        let result = try CohortCommand.run(["validate", "export.csv"], in: try project(export))
        XCTAssertEqual(result.exitCode, 65, result.stdout + result.stderr)
        let n = export.count
        for expected in ["export.csv:3: column 'age': the record has another value here (event 'treatment_arm_1') than on line 2 (event 'screening_arm_1')",
                         "export.csv:\(n - 1): column 'redcap_repeat_instrument': a row of the repeating instrument 'vitals', which no table of the codebook reads",
                         "export.csv:\(n): column 'redcap_repeat_instance': instance 2 of the repeating event 'screening_arm_1', which no table of the codebook reads: declare it under 'tables:' with 'redcap_event: UNIQUE_EVENT_NAME'"] {
            XCTAssertTrue(result.stdout.contains(expected), "no \(expected) in\n\(result.stdout)")
        }
        try assertNoIdentifier([result.stdout, result.stderr])
    }

    func testLabelledHeaderErrorsNameTheColumn() throws {
        var export = try lines("export_labels.csv")
        let codebook = try String(contentsOfFile: folder + "/codebook.yaml", encoding: .utf8)
        // Two fields with one label: the header cannot say which.
        let twice = codebook.replacingOccurrences(of: "label: \"Height\"", with: "label: \"Weight\"")
        let ambiguous = try CohortCommand.run(["validate", "export.csv"], in: try project(export, codebook: twice))
        XCTAssertNotEqual(ambiguous.exitCode, 0)
        let column = export[0].split(separator: ",").firstIndex(of: "Weight")! + 1
        XCTAssertTrue((ambiguous.stdout + ambiguous.stderr).contains("export.csv: line 1, column \(column) 'Weight': a labelled header (REDCap's labels export), but 2 variables of codebook.yaml have this label (weight_kg, height_cm)"),
                      ambiguous.stdout + ambiguous.stderr)
        // A header that is no label and no name.
        export[0] = export[0].replacingOccurrences(of: "Body-mass index", with: "BMI (kg/m2)")
        let unknown = try CohortCommand.run(["validate", "export.csv"], in: try project(export))
        XCTAssertNotEqual(unknown.exitCode, 0)
        XCTAssertTrue((unknown.stdout + unknown.stderr).contains("line 1, column 17 'BMI (kg/m2)': a labelled header (REDCap's labels export), but no variable of codebook.yaml has this label or name"),
                      unknown.stdout + unknown.stderr)
        try assertNoIdentifier([ambiguous.stdout, ambiguous.stderr, unknown.stdout, unknown.stderr])
    }

    func testRepeatingFileErrorsNameLineAndColumn() throws {
        let dir = try Fixtures.folder(["dictionary.csv": try String(contentsOfFile: folder + "/dictionary.csv", encoding: .utf8),
                                       "repeating.csv": "event_name,form_name,custom_form_label\ntreatment_arm_1,labs,\ntreatment_arm_1,vitals,\n",
                                       "good.csv": "event_name,form_name,custom_form_label\ntreatment_arm_1,labs,\n",
                                       "other.csv": "event,form\nx,labs\n"])
        let unknown = try CohortCommand.run(["codebook", "--from-redcap", "dictionary.csv", "--repeating", "repeating.csv"], in: dir)
        XCTAssertNotEqual(unknown.exitCode, 0)
        XCTAssertTrue(unknown.stderr.contains("repeating.csv:3: column 'form_name': 'vitals' is not a form of the data dictionary dictionary.csv (its forms: enrolment, infusion, labs, outcomes)"), unknown.stderr)
        let columns = try CohortCommand.run(["codebook", "--from-redcap", "dictionary.csv", "--repeating", "other.csv"], in: dir)
        XCTAssertNotEqual(columns.exitCode, 0)
        XCTAssertTrue(columns.stderr.contains("other.csv:1: not REDCap's repeating instruments and events file: no column 'form_name'"), columns.stderr)
        let index = try CohortCommand.run(["codebook", "--from-redcap", "dictionary.csv", "--repeating", "good.csv", "--index-date", "lab_date"], in: dir)
        XCTAssertNotEqual(index.exitCode, 0)
        XCTAssertTrue(index.stderr.contains("dictionary.csv:26: field 'lab_date': the index date (day 0) must be a date field"), index.stderr)
        XCTAssertEqual(unknown.stdout + columns.stdout + index.stdout, "")
    }
}

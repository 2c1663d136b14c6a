import CohortTestSupport
import Foundation
import XCTest

/// A REDCap event that repeats as a whole (issue 18): the SYNTHETIC fixture
/// Tests/Fixtures/redcap/repeating_event (a baseline event and a repeating follow-up visit event)
/// read onto a patient table and a linked table of visits, checked against pandas
/// (Tests/Fixtures/redcap/repeating_event_reference.json, written with the fixture by
/// Tests/References/redcap_repeating_event.py); no identifier in any output.
final class RedcapRepeatingEventTests: XCTestCase {
    var folder: String { Fixtures.path("redcap/repeating_event") }

    struct Reference: Decodable {
        let rows, records, visit_rows, fever_visits, fever_missing: Int
        let ferritin_peak_0_30: [String: RedcapQuartiles]
        let patients_by_product: [String: Int]
    }

    func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("redcap/repeating_event_reference.json"))))
    }

    func lines(_ file: String) throws -> [String] {
        try String(contentsOfFile: folder + "/" + file, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// The record ids and medical record numbers of the export.
    func assertNoIdentifier(_ outputs: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let rows = try lines("export.csv").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let values = Set(rows.flatMap { [String($0[0]), String($0[4])] }.filter { !$0.isEmpty })
        XCTAssertEqual(values.count, 80, file: file, line: line)
        for output in outputs {
            for value in values where output.contains(value) { XCTFail("an identifier, \(value), was printed", file: file, line: line) }
        }
    }

    func testCommittedCodebookIsWhatTheCommandWrites() throws {
        let result = try CohortCommand.run(["codebook", "--from-redcap", "dictionary.csv", "--repeating", "repeating.csv",
                                            "--designations", "designations.csv", "--index-date", "infusion_date"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stdout, try String(contentsOfFile: folder + "/codebook.yaml", encoding: .utf8))
        XCTAssertTrue(result.stdout.contains("""
            tables:
              followup_visit_arm_1:   # REDCap repeating event, forms visit (repeating.csv line 2)
                redcap_event: "followup_visit_arm_1"
                id: "record_id"
                date: "visit_date"
                index: "infusion_date"
                variables:
                  visit_date:
            """), result.stdout)
        // The visit form's fields are the table's, not the patient table's.
        XCTAssertFalse(result.stdout.contains("\n  ferritin:"), result.stdout)
        // Without the designations the event's forms are unknown: refused, naming the line.
        let without = try CohortCommand.run(["codebook", "--from-redcap", "dictionary.csv", "--repeating", "repeating.csv"], in: folder)
        XCTAssertEqual(without.exitCode, 65)
        XCTAssertEqual(without.stdout, "")
        XCTAssertTrue(without.stderr.contains("repeating.csv:2: the event 'followup_visit_arm_1' repeats as a whole: give its forms with --designations"), without.stderr)
    }

    /// The raw and the label export: the baseline rows one a record, the visits a linked table whose
    /// study day is the visit date less the infusion date.
    func testExportsValidateOntoLinkedTables() throws {
        let reference = try reference()
        var outputs: [String] = []
        for export in ["export.csv", "export_labels.csv"] {
            let result = try CohortCommand.run(["validate", export], in: folder)
            XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
            XCTAssertTrue(result.stdout.hasPrefix("\(export): 0 errors and 2 warnings in \(reference.records) rows and 5 columns"), result.stdout)
            XCTAssertTrue(result.stdout.contains("REDCap export: \(reference.rows) rows read as \(reference.records) records (\(reference.records) event rows merged), and \(reference.visit_rows) of repeating event 'followup_visit_arm_1' (table 'followup_visit_arm_1') rows"), result.stdout)
            XCTAssertTrue(result.stdout.contains("Linked table 'followup_visit_arm_1': \(export), \(reference.visit_rows) rows matched to patients."), result.stdout)
            outputs += [result.stdout, result.stderr]
        }
        try assertNoIdentifier(outputs)
    }

    /// Each patient's peak ferritin over days 0-30 of the visits, by product, equals pandas'.
    func testPeakFerritinAgainstPandas() throws {
        let reference = try reference()
        var outputs: [String] = []
        for export in ["export.csv", "export_labels.csv"] {
            let result = try CohortCommand.run(["labs", export, "--lab", "followup_visit_arm_1.ferritin", "--by", "product", "--days", "0...30",
                                                "--summary", "max", "--format", "json"], in: folder)
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            outputs += [result.stdout, result.stderr]
            try assertLabSummary(result.stdout, equals: reference.ferritin_peak_0_30, patients: reference.patients_by_product, export)
        }
        try assertNoIdentifier(outputs)
    }

    /// A follow-up row whose event no table reads, a label export event that is none of the
    /// codebook's, and a visit field recorded on a baseline row (it would be lost): each an error
    /// naming the line and column.
    func testErrorsNameLineAndColumn() throws {
        let codebook = try String(contentsOfFile: folder + "/codebook.yaml", encoding: .utf8)
        var export = try lines("export.csv")
        let header = export[0].split(separator: ",").map(String.init)
        // Line 2 is the first baseline row: give it a ferritin.
        var cells = export[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[header.firstIndex(of: "ferritin")!] = "512.0"
        export[1] = cells.joined(separator: ",")
        // A row of another repeating event.
        export.append(export[2].replacingOccurrences(of: "followup_visit_arm_1", with: "relapse_arm_1"))
        let dir = try Fixtures.folder(["export.csv": export.joined(separator: "\n") + "\n", "codebook.yaml": codebook,
                                       "labels.csv": try lines("export_labels.csv").map { $0.replacingOccurrences(of: "Follow-up visit (Arm 1", with: "Follow-up (Arm 1") }.joined(separator: "\n") + "\n"])
        let result = try CohortCommand.run(["validate", "export.csv"], in: dir)
        XCTAssertEqual(result.exitCode, 65, result.stdout + result.stderr)
        let n = export.count
        for expected in ["export.csv:2: column 'ferritin': a value on a row that is not an instance (event 'baseline_arm_1'), but the field is read as table 'followup_visit_arm_1''s",
                         "export.csv:\(n): column 'redcap_repeat_instance': instance 1 of the repeating event 'relapse_arm_1', which no table of the codebook reads"] {
            XCTAssertTrue(result.stdout.contains(expected), "no \(expected) in\n\(result.stdout)")
        }
        let labels = try CohortCommand.run(["validate", "labels.csv"], in: dir)
        XCTAssertEqual(labels.exitCode, 65, labels.stdout + labels.stderr)
        XCTAssertTrue(labels.stdout.contains("labels.csv:3: column 'redcap_repeat_instance': instance 1 of the repeating event 'Follow-up (Arm 1: Arm 1)', which no table of the codebook reads"), labels.stdout)
        try assertNoIdentifier([result.stdout, result.stderr, labels.stdout, labels.stderr])
    }
}

import CohortTestSupport
import Foundation
import XCTest

/// Issue 18 at the command line: the shipped datasets written as Excel workbooks (openpyxl) and
/// Stata files (pandas `to_stata` 117/118/119, R haven 118) give the same report, table for table
/// and byte for byte in JSON, as their CSV, but for the strings naming the file and sheet.
final class SpreadsheetInputCommandTests: XCTestCase {
    /// The study's folder with its cohort file replaced by `fixture`, its report's JSON tables by name.
    func reportTables(dataset: String, fixture: String?) throws -> [String: String] {
        let dir = NSTemporaryDirectory() + "cohortkit-files18-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? fm.removeItem(atPath: dir) }
        let shipped = Fixtures.repositoryRoot + "/Datasets/" + dataset
        for file in ["codebook.yaml", "study.yaml", "published.yaml", "labs.csv"] {
            try fm.copyItem(atPath: shipped + "/" + file, toPath: dir + "/" + file)
        }
        if let fixture {
            let ext = fixture.hasSuffix(".xlsx") ? "xlsx" : "dta"
            try fm.copyItem(atPath: Fixtures.path("spreadsheets/" + fixture), toPath: dir + "/cohort." + ext)
            for file in ["study.yaml", "published.yaml"] {
                let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
                XCTAssertTrue(text.contains("\ndata: cohort.csv\n"))
                try text.replacingOccurrences(of: "\ndata: cohort.csv\n", with: "\ndata: cohort.\(ext)\n")
                    .write(toFile: dir + "/" + file, atomically: true, encoding: .utf8)
            }
        } else {
            try fm.copyItem(atPath: shipped + "/cohort.csv", toPath: dir + "/cohort.csv")
        }
        let result = try CohortCommand.run(["report", "study.yaml", "--out", "out", "--format-set", "json", "--date", "2026-01-01"], in: dir)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        var tables: [String: String] = [:]
        for name in try fm.contentsOfDirectory(atPath: dir + "/out/tables") where name.hasSuffix(".json") {
            tables[name] = try String(contentsOfFile: dir + "/out/tables/" + name, encoding: .utf8)
        }
        return tables
    }

    func assertSameReport(_ dataset: String, fixtures: [String]) throws {
        let csv = try reportTables(dataset: dataset, fixture: nil)
        XCTAssertGreaterThan(csv.count, 5)
        for fixture in fixtures {
            let other = try reportTables(dataset: dataset, fixture: fixture)
            XCTAssertEqual(other.keys.sorted(), csv.keys.sorted(), fixture)
            for (name, text) in other {
                // Only the strings naming the file (and the sheet) may differ.
                let renamed = text.replacingOccurrences(of: "cohort.xlsx[cohort]", with: "cohort.csv")
                    .replacingOccurrences(of: "cohort.dta", with: "cohort.csv")
                XCTAssertTrue(renamed == csv[name], "\(fixture): tables/\(name) differs from the CSV's")
            }
        }
    }

    func testJohnsrudWorkbookAndStataFilesReportAsTheCSV() throws {
        try assertSameReport("johnsrud2021", fixtures: ["johnsrud2021.xlsx", "johnsrud2021.v117.dta", "johnsrud2021.v118.dta",
                                                        "johnsrud2021.v119.dta", "johnsrud2021.haven.dta"])
    }

    /// A REDCap label export with labelled headers saved as a workbook: the headers map back to the
    /// codebook's names as from the CSV, and describe's JSON is the CSV's but for the source.
    func testRedcapLabelledHeaderWorkbookDescribesAsTheCSV() throws {
        let project = Fixtures.repositoryRoot + "/Datasets/redcap-cart"
        let csv = try CohortCommand.run(["describe", project + "/export_header_labels.csv", "--codebook", project + "/codebook.yaml", "--format", "json"])
        let workbook = try CohortCommand.run(["describe", Fixtures.path("spreadsheets/redcap_header_labels.xlsx"), "--codebook", project + "/codebook.yaml", "--format", "json"])
        XCTAssertEqual(csv.exitCode, 0, csv.stderr)
        XCTAssertEqual(workbook.exitCode, 0, workbook.stderr)
        XCTAssertTrue(csv.stdout.contains("\"name\" : \"toxicity_treatment___1\"") || csv.stdout.contains("\"name\": \"toxicity_treatment___1\""), csv.stdout)
        XCTAssertEqual(workbook.stdout.replacingOccurrences(of: Fixtures.path("spreadsheets/redcap_header_labels.xlsx") + "[export]", with: project + "/export_header_labels.csv"),
                       csv.stdout)
    }

    func testNCT02965092WorkbookAndStataFilesReportAsTheCSV() throws {
        try assertSameReport("nct02965092", fixtures: ["nct02965092.xlsx", "nct02965092.v117.dta", "nct02965092.v118.dta",
                                                       "nct02965092.v119.dta", "nct02965092.haven.dta"])
    }

    func testSheetOptionAndBadInputExitNonZeroNamingFileAndSheet() throws {
        let dir = Fixtures.path("spreadsheets")
        let other = try CohortCommand.run(["describe", "features.xlsx", "--sheet", "other", "--format", "json"], in: dir)
        XCTAssertEqual(other.exitCode, 0, other.stderr)
        XCTAssertTrue(other.stdout.contains("\"source\": \"features.xlsx[other]\""), other.stdout)
        let missing = try CohortCommand.run(["describe", "features.xlsx", "--sheet", "Labs"], in: dir)
        XCTAssertEqual(missing.exitCode, 65)
        XCTAssertTrue(missing.stderr.contains("features.xlsx: no sheet named 'Labs'; the sheets are: 'visits', 'other'"), missing.stderr)
        // A file without worksheets: --sheet is refused, never passed over.
        for file in ["features.csv", "features.v118.dta"] {
            let unused = try CohortCommand.run(["describe", file, "--sheet", "other"], in: dir)
            XCTAssertEqual(unused.exitCode, 64, file)
            XCTAssertEqual(unused.stdout, "", file)
            XCTAssertTrue(unused.stderr.contains("--sheet 'other' picks a worksheet of an Excel workbook (.xlsx); \(file) is not one"), unused.stderr)
        }
        for (file, text) in [("merged.xlsx", "merged.xlsx[Sheet]: cells B1:C1 are merged in the header row"),
                             ("encrypted.xlsx", "encrypted.xlsx: the workbook is password-protected"),
                             ("corrupt.xlsx", "corrupt.xlsx: not a readable .xlsx workbook"),
                             ("old.dta", "old.dta: a Stata file of format 114")] {
            let result = try CohortCommand.run(["validate", file], in: dir)
            XCTAssertNotEqual(result.exitCode, 0, file)
            XCTAssertTrue(result.stderr.contains(text), "\(file): \(result.stderr)")
        }
    }

    /// A Stata file's variable labels become the starter codebook's labels; its value labels, the levels.
    func testStarterCodebookTakesStataVariableAndValueLabels() throws {
        let result = try CohortCommand.run(["codebook", "features.haven119.dta"], in: Fixtures.path("spreadsheets"))
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("    label: \"Dose (mg/kg)\"\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("\"control\", \"treated\""), result.stdout)
        let pandas = try CohortCommand.run(["codebook", "features.v118.dta"], in: Fixtures.path("spreadsheets"))
        XCTAssertTrue(pandas.stdout.contains("  ratio:"), pandas.stdout)
        XCTAssertTrue(pandas.stdout.contains("    label: \"A ratio\"\n"), pandas.stdout)
    }
}

@testable import CohortData
import CohortTestSupport
import Foundation
import XCTest

/// Issue 18: Excel workbooks and Stata files read as the CSV text they hold. The fixtures were
/// written by openpyxl, pandas and R haven (Tests/References/make_spreadsheet_fixtures.py,
/// make_stata_haven.R); each expected CSV was written by Python's csv module from the same values.
final class SpreadsheetReaderTests: XCTestCase {
    func converted(_ name: String, sheet: String? = nil) throws -> String {
        var options = CSVOptions()
        options.sheet = sheet
        let result = try SpreadsheetInput.csv(path: Fixtures.path("spreadsheets/\(name)"), options: options)
        return String(decoding: try XCTUnwrap(result).input.buffer, as: UTF8.self)
    }

    func expected(_ name: String) throws -> String {
        try String(contentsOfFile: Fixtures.path("spreadsheets/\(name)"), encoding: .utf8)
    }

    func testWorkbookDatesBooleansEmptyCellsAndNumbers1900() throws {
        XCTAssertEqual(try converted("features.xlsx"), try expected("features.csv"))
    }

    func testWorkbookDates1904System() throws {
        XCTAssertEqual(try converted("features1904.xlsx"), try expected("features.csv"))
    }

    func testWorkbookSecondSheetByName() throws {
        XCTAssertEqual(try converted("features.xlsx", sheet: "other"), try expected("other.csv"))
    }

    func testWorkbookFormulasInlineAndRichStringsErrorValues() throws {
        XCTAssertEqual(try converted("formulas.xlsx"), try expected("formulas.csv"))
    }

    func testStataFeaturesEveryVersion() throws {
        for version in [117, 118, 119] {
            XCTAssertEqual(try converted("features.v\(version).dta"), try expected("features_dta.csv"), "format \(version)")
        }
    }

    func testSerialDates() {
        XCTAssertEqual(SheetHandler.dateText(serial: 1, date1904: false), "1900-01-01")
        XCTAssertEqual(SheetHandler.dateText(serial: 61, date1904: false), "1900-03-01")
        XCTAssertEqual(SheetHandler.dateText(serial: 0, date1904: true), "1904-01-01")
        XCTAssertEqual(SheetHandler.dateText(serial: 45351.75, date1904: false), "2024-02-29 18:00:00")
        XCTAssertTrue(StylesHandler.isDateFormat("dd/mm/yyyy"))
        XCTAssertFalse(StylesHandler.isDateFormat("0.00\" days\""))
        XCTAssertFalse(StylesHandler.isDateFormat("[Red]0.0"))
    }

    func message(_ name: String, sheet: String? = nil) -> String {
        var options = CSVOptions()
        options.sheet = sheet
        do {
            _ = try CSVReader.read(path: Fixtures.path("spreadsheets/\(name)"), options: options)
            return "no error"
        } catch {
            return error.description.replacingOccurrences(of: Fixtures.path("spreadsheets/"), with: "")
        }
    }

    func testBadInputNamesFileSheetAndCell() {
        XCTAssertEqual(message("features.xlsx", sheet: "Labs"), "features.xlsx: no sheet named 'Labs'; the sheets are: 'visits', 'other'")
        XCTAssertEqual(message("merged.xlsx"), "merged.xlsx[Sheet]: cells B1:C1 are merged in the header row; unmerge them and give every column its own name and every row its own value")
        XCTAssertTrue(message("corrupt.xlsx").hasPrefix("corrupt.xlsx: not a readable .xlsx workbook"), message("corrupt.xlsx"))
        XCTAssertTrue(message("encrypted.xlsx").hasPrefix("encrypted.xlsx: the workbook is password-protected"), message("encrypted.xlsx"))
        XCTAssertTrue(message("old.dta").hasPrefix("old.dta: a Stata file of format 114 (Stata 12 or earlier), which is not supported"), message("old.dta"))
    }
}

extension SpreadsheetReaderTests {
    /// haven's tagged missing values (.a, .z), an unlabelled value of a labelled variable, dates
    /// before 1960, an empty string (missing).
    func testStataFromHavenTaggedMissingLabelsAndDates() throws {
        for name in ["features.haven117.dta", "features.haven119.dta"] {
            XCTAssertEqual(try converted(name), try expected("features_haven.csv"), name)
        }
    }
}

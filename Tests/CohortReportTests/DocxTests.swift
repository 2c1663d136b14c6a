import CohortReport
import CohortTestSupport
import XCTest

/// Issue 18, Word output: the document XML of a small Table 1 pinned by a golden file, and the
/// package's bytes checked by reading its ZIP headers with ``StoredZip`` (not with ZIPFoundation, which wrote them).
final class DocxTests: XCTestCase {
    /// A Table 1 shape: a level row indented under its variable, a suppressed count as Markdown prints it.
    let table = ReportTable(
        title: "Table 1. Patient characteristics",
        preamble: ["N = 12"],
        columns: [
            .init(key: "variable", header: "Characteristic", alignment: .left),
            .init(key: "overall", header: "Overall (N = 12)"),
        ],
        rows: [
            ["Sex, n (%)", ""],
            ["  Female", "<5"],
            ["  Male", "8 (67%)"],
            ["Age, median [IQR]", "61 [54, 67]"],
        ],
        notes: ["Counts below 5 are shown as <5."]
    )

    func testDocumentXMLOfASmallTableMatchesItsGolden() {
        assertMatchesGolden(TableFormat.docx.render(table), goldenPath: Fixtures.path("golden/renderers/table1.docx.xml"))
    }

    /// Journal style: rules above and below the header and at the bottom, none vertical; the header
    /// repeats on each page; the level rows keep their indentation as an indent, not spaces.
    func testJournalRulesHeaderRowAndIndentation() {
        let xml = TableFormat.docx.render(table)
        XCTAssertTrue(xml.contains("<w:left w:val=\"nil\"/>") && xml.contains("<w:insideV w:val=\"nil\"/>") && xml.contains("<w:insideH w:val=\"nil\"/>"))
        XCTAssertEqual(xml.components(separatedBy: "<w:tblHeader/>").count - 1, 1)
        XCTAssertEqual(xml.components(separatedBy: "<w:ind w:left=\"240\"/>").count - 1, 2, "two level rows, two leading spaces each")
        XCTAssertFalse(xml.contains(">  Female<"))
        XCTAssertTrue(xml.contains("&lt;5"))
    }

    /// A result without tables is still a whole (empty) document, not an empty part.
    func testNoTablesIsAnEmptyDocument() {
        let xml = TableFormat.docx.render([ReportTable]())
        XCTAssertTrue(xml.contains("<w:body>") && xml.hasSuffix("</w:body></w:document>\n"))
        XCTAssertFalse(xml.contains("<w:tbl>"))
    }

    func testPackageIsByteDeterministicAndDatedTheZipEpoch() throws {
        let blocks: [DocxBlock] = [.heading("Study"), .table(table),
                                   .figure(title: "Figure", svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"300\"></svg>")]
        let first = try DocxPackage.bytes(blocks), second = try DocxPackage.bytes(blocks)
        XCTAssertEqual(first, second)
        let entries = StoredZip.entries(first)
        XCTAssertEqual(entries.map(\.name), ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
                                             "word/styles.xml", "word/media/figure-1.svg", "word/media/fallback.png"])
        for entry in entries {
            // DOS time 00:00:00, date 1980-01-01 (day 1 + month 1 << 5), stored.
            XCTAssertEqual(entry.time, 0, entry.name)
            XCTAssertEqual(entry.date, 0x21, entry.name)
            XCTAssertEqual(entry.method, 0, entry.name)
        }
        let document = try XCTUnwrap(entries.first { $0.name == "word/document.xml" })
        let xml = document.text
        XCTAssertTrue(xml.contains("<asvg:svgBlip"), "the SVG is embedded with its extension")
        // 400 px at 9525 EMU a pixel.
        XCTAssertTrue(xml.contains("<wp:extent cx=\"3810000\" cy=\"2857500\"/>"))
        let png = try XCTUnwrap(entries.first { $0.name == "word/media/fallback.png" })
        XCTAssertEqual(Array(png.data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }
}

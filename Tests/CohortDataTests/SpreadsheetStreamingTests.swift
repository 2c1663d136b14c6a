@testable import CohortData
import CohortTestSupport
import Foundation
import XCTest

/// Issue 18, speed and memory: a workbook's sheet XML is parsed as it is decompressed, in chunks
/// that may end anywhere (inside a tag, an entity, a multi-byte character), and a Stata file's
/// observations are converted in blocks of rows across the cores. Neither may change the text.
final class SpreadsheetStreamingTests: XCTestCase {
    /// A sheet with every kind of cell the reader writes: shared strings (one with a comma and one
    /// with a quote), numbers (whole, decimal, exponent, padded), a date-styled number, an inline
    /// rich string with a phonetic run, a formula string, a boolean, an error, entities and
    /// character references, two- and three-byte UTF-8, a skipped row and a cell out of order.
    static let sheetXML = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>na&#xEF;ve &amp; caf&#233;</t></is></c><c r="D1" t="str"><v>d</v></c></row>
        <row r="3"><c r="A3"><v> 12 </v></c><c r="B3" s="1"><v>45351.75</v></c><c r="C3" t="inlineStr"><is><r><t>日本</t></r><r><t xml:space="preserve">語</t></r><rPh><t>にほん</t></rPh></is></c><c r="D3" t="b"><v>1</v></c></row>
        <row r="4"><c r="B4" t="e"><v>#N/A</v></c><c r="A4"><v>-0.1e-3</v></c><c r="D4" t="s"><v>2</v></c></row>
        <row r="5"><c r="A5"><v>1E+16</v></c><c r="C5" t="str"><v>a &lt;b&gt; "c"</v></c></row>
        </sheetData></worksheet>
        """

    static let sheetCSV = #"""
        name,"x, y",naïve & café,d

        12,2024-02-29 18:00:00,日本語,TRUE
        -0.0001,#N/A,,"say ""hi"""
        1e+16,,"a <b> ""c""",

        """#

    /// A copy of the converted text (the buffer lives as long as its ``InputBytes``).
    static func bytes(_ input: InputBytes) -> [UInt8] { Array(input.buffer) }

    /// The sheet's CSV, its XML fed in the pieces that `cuts` (byte offsets) make.
    func sheetCSV(cuts: [Int]) -> (csv: String, wellFormed: Bool) {
        var strings: [[UInt8]] = []
        for text in ["name", "x, y", "say \"hi\""] {
            var field: [UInt8] = []
            SpreadsheetInput.appendField(text, to: &field)
            strings.append(field)
        }
        let handler = SheetHandler(strings: strings, dateStyles: [false, true], date1904: false, source: "sheet")
        let parser = XMLPushParser(handler: handler)
        let xml = Array(Self.sheetXML.utf8)
        let ends = cuts + [xml.count]
        var start = 0, ok = true
        xml.withUnsafeBytes { bytes in
            for end in ends {
                ok = ok && parser.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                start = end
            }
        }
        ok = ok && parser.finish()
        return (String(decoding: Self.bytes(handler.output.finish()), as: UTF8.self), ok)
    }

    func testIssue18_sheetXMLSplitAtEveryBytePositionGivesTheSameCSV() {
        let whole = sheetCSV(cuts: [])
        XCTAssertTrue(whole.wellFormed)
        XCTAssertEqual(whole.csv, Self.sheetCSV)
        let count = Self.sheetXML.utf8.count
        for cut in 0...count {
            let split = sheetCSV(cuts: [cut])
            XCTAssertTrue(split.wellFormed, "cut at byte \(cut)")
            XCTAssertEqual(split.csv, Self.sheetCSV, "cut at byte \(cut)")
        }
        let bytewise = sheetCSV(cuts: Array(1..<count))
        XCTAssertTrue(bytewise.wellFormed)
        XCTAssertEqual(bytewise.csv, Self.sheetCSV, "fed one byte at a time")
    }

    func testIssue18_sheetXMLThatIsNotWellFormedIsRefusedWithItsLine() {
        let handler = SheetHandler(strings: [], dateStyles: [], date1904: false, source: "sheet")
        let parser = XMLPushParser(handler: handler)
        let xml = Array("<worksheet><sheetData>\n<row r=\"1\"><c><v>1</v></row>\n</sheetData></worksheet>".utf8)
        let fed = xml.withUnsafeBytes { parser.feed($0) }
        XCTAssertFalse(fed && parser.finish())
        XCTAssertEqual(parser.line, 2)
    }

    /// Every fixture's text with blocks of 1, 2, 3 and 7 observations, on one worker and on
    /// several, equals the text made in one block.
    func testIssue18_stataRowBlocksSplitMidFileEqualTheSequentialText() throws {
        let saved = Parallel.workerLimit
        defer { Parallel.workerLimit = saved }
        for name in ["johnsrud2021.v117.dta", "johnsrud2021.v118.dta", "johnsrud2021.v119.dta", "johnsrud2021.haven.dta",
                     "nct02965092.haven.dta", "features.v118.dta", "features.haven119.dta"] {
            let path = Fixtures.path("spreadsheets/\(name)")
            Parallel.workerLimit = 1
            let whole = Self.bytes(try StataReader.csv(path: path, blockRows: Int.max).input)
            XCTAssertGreaterThan(whole.count, 100, name)
            for workers in [1, 2, 3] {
                Parallel.workerLimit = workers
                for rows in [1, 2, 3, 7] {
                    let blocks = Self.bytes(try StataReader.csv(path: path, blockRows: rows).input)
                    XCTAssertEqual(blocks, whole, "\(name): blocks of \(rows), \(workers) workers")
                }
            }
        }
    }

    func testIssue18_truncatedStataFileSaysSo() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("spreadsheets/johnsrud2021.v118.dta")))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("read18-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for keep in [bytes.count / 2, 200] {
            let path = dir.appendingPathComponent("cut\(keep).dta").path
            try bytes.prefix(keep).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try CSVReader.read(path: path)) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("not a readable Stata file") && text.contains("truncated"), text)
            }
        }
    }
}

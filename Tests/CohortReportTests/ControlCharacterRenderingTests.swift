@testable import CohortReport
import CohortData
import XCTest

/// Issue 12: a title, header, cell or note holding terminal controls renders with them escaped in
/// every human-readable format, and as JSON escapes in JSON.
final class ControlCharacterRenderingTests: XCTestCase {
    let hostile = "a\u{1b}[31m\u{07}b\u{7f}\u{9b}c\nd"

    func testEveryHumanReadableFormatEscapesControls() {
        let table = ReportTable(title: hostile, preamble: [hostile], columns: [.init(key: "k", header: hostile, alignment: .left)],
                                rows: [[hostile]], notes: [hostile])
        for format in [TableFormat.text, .md, .latex, .html, .json] {
            let output = format.render(table)
            let raw = output.unicodeScalars.filter { TerminalText.isControl($0) && $0 != "\n" }
            XCTAssertTrue(raw.isEmpty, "\(format) prints \(raw.map { String($0.value, radix: 16) })")
        }
        XCTAssertTrue(TableFormat.text.render(table).contains("a\\x1b[31m\\x07b\\x7f\\x9bc\\nd"))
        XCTAssertTrue(TableFormat.json.render(table).contains(#"a\u001b[31m\u0007b\u007f\u009bc\nd"#))
        XCTAssertEqual(SVGDocument.escape("<\u{1b}>"), "&lt;\\x1b&gt;")
    }

    func testTerminalTextLeavesOrdinaryTextAloneAndKeepsLineBreaksWhenAsked() {
        XCTAssertEqual(TerminalText.escaped("Größe (µg/L) – ≥ 5"), "Größe (µg/L) – ≥ 5")
        XCTAssertEqual(TerminalText.escaped("a\tb\r\n\u{0}"), "a\\tb\\r\\n\\x00")
        XCTAssertEqual(TerminalText.escaped("one\ntwo\u{1b}", keepingLineBreaks: true), "one\ntwo\\x1b")
        // Escaping twice changes nothing: the sinks may see text the renderers escaped.
        XCTAssertEqual(TerminalText.escaped(TerminalText.escaped(hostile)), TerminalText.escaped(hostile))
    }
}

import CohortReport
import CohortTestSupport
import XCTest

/// Every renderer on one table that exercises escaping (| , " & < _ %), alignment, notes and an
/// empty cell; golden files under Tests/Fixtures/golden/renderers (for docx, its `word/document.xml`).
final class RendererTests: XCTestCase {
    let table = ReportTable(
        title: "Odds ratios & 95% CI",
        preamble: ["n = 127 used, 0 dropped; events = 12"],
        columns: [
            .init(key: "term", header: "term", alignment: .left),
            .init(key: "or", header: "OR"),
            .init(key: "ci", header: "95% CI"),
            .init(key: "p", header: "P"),
        ],
        rows: [
            ["plt_baseline", "0.9835", "0.9664, 0.9955", "0.003"],
            ["grade | \"high\" <3>", "2.470", "0.5529, 10.20", "<0.001"],
            ["(Intercept)", "", "", "0.025"],
        ],
        notes: ["CI: profile likelihood; 50% of x_1"]
    )

    func testEveryFormatMatchesItsGoldenFile() {
        for format in TableFormat.allCases {
            let extensionName = ["text": "txt", "md": "md", "csv": "csv", "json": "json", "latex": "tex", "html": "html",
                                 "docx": "docx.xml"][format.rawValue]!
            assertMatchesGolden(format.render(table), goldenPath: Fixtures.path("golden/renderers/table.\(extensionName)"))
        }
    }

    func testRenderingIsDeterministic() {
        for format in TableFormat.allCases {
            XCTAssertEqual(format.render(table), format.render(table))
        }
    }

    func testJSONValueEscapesAndWritesNullForNonFiniteNumbers() {
        let value = JSONValue.object([("a", .number(.nan)), ("b", .number(0.1)), ("c", .string("x\"\n\u{1}")), ("d", .integer(3)), ("e", .number(2))])
        XCTAssertEqual(value.rendered(), #"{"a":null,"b":0.1,"c":"x\"\n\u0001","d":3,"e":2}"#)
    }
}

final class NumberStyleTests: XCTestCase {
    func testSignificantDigits() {
        let style = NumberStyle.standard
        XCTAssertEqual(style.number(-4.26123), "-4.261")
        XCTAssertEqual(style.number(0.0166512), "0.01665")
        XCTAssertEqual(style.number(12.3456), "12.35")
        XCTAssertEqual(style.number(1234.5), "1234")
        XCTAssertEqual(style.number(0.00001234), "1.234e-05")
        XCTAssertEqual(style.number(12_345_678), "1.235e+07")
        XCTAssertEqual(style.number(0), "0")
        XCTAssertEqual(style.number(.nan), "—")
        XCTAssertEqual(style.number(.infinity), "Inf")
        XCTAssertEqual(NumberStyle.fixed(-0.0004, decimals: 3), "0.000", "no negative zero")
        XCTAssertEqual(NumberStyle.fixed(2.675, decimals: 2), "2.67", "correct rounding of the binary value 2.67499…")
    }

    /// Percentages of counts round halves away from zero, in tables and in `cohort reproduce` alike.
    func testPercentagesRoundHalvesAwayFromZero() {
        XCTAssertEqual(NumberStyle.standard.percent(9.0 / 16), "56.3", "56.25 exactly")
        XCTAssertEqual(NumberStyle(percentDecimals: 0).percent(1.0 / 8), "13", "12.5 exactly")
        XCTAssertEqual(NumberStyle.standard.percent(12.0 / 127), "9.4")
        XCTAssertEqual(NumberStyle.standard.percent(1.0 / 3), "33.3")
        XCTAssertEqual(NumberStyle.standard.percent(2.0 / 3), "66.7")
        XCTAssertEqual(NumberStyle(percentDecimals: 0).percent(17.0 / 115), "15")
        // 0.145 is 0.14499999999999999 in binary: within 1e-9 of the half, so it rounds up.
        XCTAssertEqual(NumberStyle.standard.percent(0.00145 * 100), "14.5")
        XCTAssertEqual(NumberStyle.standard.percent(29.0 / 200), "14.5")
        XCTAssertEqual(NumberStyle(percentDecimals: 0).percent(29.0 / 200), "15", "14.5 rounds to 15")
    }

    func testPValueStyles() {
        let standard = NumberStyle.standard
        XCTAssertEqual(standard.pValue(0.0004), "<0.001")
        XCTAssertEqual(standard.pValue(0.0204), "0.020")
        XCTAssertEqual(standard.pStatement(0.0004), "P < 0.001")
        XCTAssertEqual(standard.pStatement(0.5), "P = 0.500")
        let journal = NumberStyle(pValues: .journal)
        XCTAssertEqual(journal.pValue(0.0083), ".01", "Johnsrud 2021 prints Fisher's P = 0.0083 as .01")
        XCTAssertEqual(journal.pValue(0.0049), "<.01", "rounds to .00")
        XCTAssertEqual(journal.pValue(0.0014), "<.01", "the platelet rank-sum P < .01")
        XCTAssertEqual(journal.pValue(0.035), ".04", "Fisher P = 0.035 prints as .04")
        XCTAssertEqual(journal.pValue(0.0104), ".01")
        XCTAssertEqual(journal.pValue(.nan), "—")
    }
}

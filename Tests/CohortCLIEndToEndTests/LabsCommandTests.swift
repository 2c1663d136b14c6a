import CohortTestSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `cohort labs` end to end (issue 15): the per-day table and its figure, the nadir/peak table, the
/// refusals of a --lab that is not a linked table's column, and suppression. The numbers themselves
/// are checked against R in CohortStudyTests/LabCourseReferenceTests.
final class LabsCommandTests: XCTestCase {
    var folder: String { Fixtures.path("linked") }

    func scratch() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("labs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// Parses `svg` as XML: every element closed, attributes quoted, entities valid.
    func assertWellFormed(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
        final class Counter: NSObject, XMLParserDelegate {
            var elements = 0
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                elements += 1
            }
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = Counter()
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")", file: file, line: line)
        XCTAssertGreaterThan(counter.elements, 10, file: file, line: line)
    }

    func testCourseTableAndFigureWithoutIdentifiers() throws {
        let dir = try scratch()
        for (name, extra) in [("bands", [String]()), ("spaghetti", ["--spaghetti"])] {
            let svg = dir + "/\(name).svg"
            let arguments = ["labs", "patients.csv", "--lab", "labs.platelets", "--by", "group", "--days", "-7...28", "--svg", svg] + extra
            let result = try CohortCommand.run(arguments, in: folder)
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            XCTAssertTrue(result.stdout.hasPrefix("labs.platelets (x10^9/L): days -7 to 28 by day\ndata: patients.csv; labs.platelets from labs.csv; 495 draws with a value in the window\n"), result.stdout)
            XCTAssertTrue(result.stdout.contains("\nA       -7   5     210 [160–218]\n"), result.stdout)
            XCTAssertTrue(result.stdout.contains("by group: A (N = 37), B (N = 23); 0 patients without a value of group, left out"), result.stdout)
            XCTAssertTrue(result.stdout.contains("counts once, with the mean of that day's draws"), result.stdout)
            let figure = try read(svg)
            assertWellFormed(figure)
            // The fixture's ids are P001 ... P060: none reaches the figure (nor the table).
            XCTAssertNil(figure.range(of: #"P0\d\d"#, options: .regularExpression), "an identifier in the figure")
            XCTAssertNil(result.stdout.range(of: #"P0\d\d"#, options: .regularExpression), "an identifier in the table")
            XCTAssertTrue(figure.contains(">Patients with a value</text>"))
            XCTAssertTrue(figure.contains("aria-label=\"A: daily median\""))
            XCTAssertEqual(figure.contains("individual courses"), name == "spaghetti")
            XCTAssertEqual(figure.contains("interquartile range\""), name == "bands")
            // Weekly ticks from day -7.
            for tick in ["-7", "0", "7", "14", "21", "28"] { XCTAssertTrue(figure.contains(">\(tick)</text>"), tick) }
            // The same bytes on a second run.
            _ = try CohortCommand.run(Array(arguments.dropLast(extra.count + 1)) + [svg + "2"] + extra, in: folder)
            XCTAssertEqual(try read(svg + "2"), figure)
        }
    }

    func testNadirAndPeakTableNamesTheTest() throws {
        let result = try CohortCommand.run(["labs", "patients.csv", "--lab", "labs.platelets,labs.fibrinogen", "--by", "group", "--summary", "min,max"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("Nadir and peak of laboratory values, days 0 to 28 by group\n"), result.stdout)
        // R: wilcox.test of the platelet nadirs P = 0.674 and the fibrinogen peaks 0.863 (extremes_expected.csv).
        XCTAssertTrue(result.stdout.contains("labs.platelets (x10^9/L): nadir  A           34 (3)     72 [50–109.8]  0.674  Wilcoxon rank sum test with continuity correction"), result.stdout)
        XCTAssertTrue(result.stdout.contains("0.863"), result.stdout)
        let json = try CohortCommand.run(["labs", "patients.csv", "--lab", "labs.platelets", "--by", "group", "--summary", "min", "--format", "json"], in: folder)
        XCTAssertEqual(json.exitCode, 0, json.stderr)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)))
    }

    func testALabThatIsNotALinkedColumnIsRefusedNamingWhatItIs() throws {
        let cases: [([String], String)] = [
            (["--lab", "age"], "--lab age is a column of the patient table patients.csv, one value a patient; name a linked table's column as TABLE.COLUMN"),
            (["--lab", "labs.nope"], "--lab labs.nope names no column of the linked table 'labs' (labs.csv); its columns are patient_id, day, platelets"),
            (["--lab", "lab.platelets"], "--lab lab.platelets names no linked table 'lab'; the linked tables are labs"),
            (["--lab", "labs.patient_id"], "--lab labs.patient_id holds text in labs.csv; a course needs numbers"),
            (["--lab", "labs.platelets", "--days", "28...0"], "--days 28...0 must be a window of study days first...last, such as 0...28"),
            (["--lab", "labs.platelets", "--summary", "min,max"], "--summary lists 2 summaries for 1 lab"),
            (["--lab", "labs.platelets", "--summary", "nadir"], "--summary expects min, max, mean, first, last or auc"),
            (["--lab", "labs.platelets", "--spaghetti"], "--spaghetti applies to the figure: add --svg"),
            (["--lab", "labs.platelets", "--summary", "min", "--svg", "x.svg"], "--svg draws the per-day course; --summary gives one value a patient instead"),
            (["--lab", "labs.platelets,labs.fibrinogen", "--svg", "x.svg"], "--svg draws one lab's course; --lab names 2"),
            (["--lab", "labs.platelets", "--by", "age"], "--by 'age' has"),
        ]
        for (arguments, message) in cases {
            let result = try CohortCommand.run(["labs", "patients.csv"] + arguments, in: folder)
            XCTAssertEqual(result.exitCode, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        // A codebook without linked tables says so.
        let none = try CohortCommand.run(["labs", "cohort_tte.csv", "--lab", "labs.platelets"], in: Fixtures.path("survival/cli"))
        XCTAssertEqual(none.exitCode, 64, none.stderr)
        XCTAssertTrue(none.stderr.contains("the codebook links no table (declare one under tables: in the codebook)"), none.stderr)
    }

    /// Counts 1..K-1 print as <K with their median [IQR] withheld; the figure cannot be suppressed.
    func testSuppressionHidesSmallDailyCountsAndRefusesTheFigure() throws {
        let table = try CohortCommand.run(["labs", "patients.csv", "--lab", "labs.platelets", "--by", "group", "--suppress-below", "5"], in: folder)
        XCTAssertEqual(table.exitCode, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("<5"), table.stdout)
        XCTAssertTrue(table.stdout.contains("A median [IQR] of fewer than 5 patients is not shown."), table.stdout)
        let line = table.stdout.split(separator: "\n").first { $0.contains("<5") }.map(String.init) ?? ""
        XCTAssertTrue(line.hasSuffix("—"), "the median of a hidden count is withheld: \(line)")
        let figure = try CohortCommand.run(["labs", "patients.csv", "--lab", "labs.platelets", "--svg", "x.svg", "--suppress-below", "5"], in: folder)
        XCTAssertEqual(figure.exitCode, 64)
        XCTAssertTrue(figure.stderr.contains("--suppress-below is not supported by 'labs' yet"), figure.stderr)
    }
}

import CohortTestSupport
import Foundation
import XCTest

/// Issue 12 at the command line: types decided by the whole file, refused number spellings and
/// stray words reported with their lines, yes/no words in any case, and control characters from
/// the data shown escaped in every text output.
final class InputTypingCommandTests: XCTestCase {
    func folder(_ files: [String: String]) throws -> String {
        let dir = NSTemporaryDirectory() + "cohortkit-typing-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        return dir
    }

    /// A 6,000-line quoted note in the first record, each line with the header's four fields,
    /// then 619 decimals in `plt`: the samples inside the note see words in `plt`.
    func testIssue12_codebookTypesANumberColumnAfterALongNoteReal() throws {
        let note = (0..<6000).map { "seen on ward \($0), then, reviewed, later" }.joined(separator: "\n")
        var text = "id,note,plt,flag\n1,\"\(note)\",150.5,Yes\n"
        for id in 2...620 { text += "\(id),,\(Double(id % 400) + 0.5),no\n" }
        let dir = try folder(["late.csv": text])
        let result = try CohortCommand.run(["codebook", "late.csv"], in: dir)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("  plt:   # observed 0.5 to 399.5\n    type: real\n"), result.stdout)
        let described = try CohortCommand.run(["describe", "late.csv", "--variables", "plt"], in: dir)
        XCTAssertTrue(described.stdout.contains("plt, median [IQR]"), "plt is a measurement:\n" + described.stdout)
    }

    func testIssue12_validateListsRefusedNumbersAndStrayWordsWithTheirLines() throws {
        var text = "y,x,dose\n"
        for k in 0..<38 { text += "\(k % 2),\(k).5,\(k + 10)\n" }
        text += "1,inf,12\n0,0x1A,abc\n1,1e400,14\n"
        let dir = try folder(["cohort.csv": text])
        let result = try CohortCommand.run(["validate", "cohort.csv"], in: dir)
        XCTAssertEqual(result.exitCode, 65, result.stderr)
        let errors = result.stdout.split(separator: "\n").filter { $0.hasPrefix("  cohort.csv:") }.map { String($0.prefix(40)) }
        XCTAssertEqual(errors, [
            "  cohort.csv:40: column 'x': 'inf' is no",
            "  cohort.csv:41: column 'x': '0x1A' is n",
            "  cohort.csv:41: column 'dose': 'abc' is",
            "  cohort.csv:42: column 'x': '1e400' is ",
        ], result.stdout)
        // Every command stops the same way, rather than fit 'x' as categories.
        let logit = try CohortCommand.run(["logit", "cohort.csv", "--outcome", "y", "--covariates", "x"], in: dir)
        XCTAssertEqual(logit.exitCode, 65)
        XCTAssertTrue(logit.stderr.contains("cohort.csv:40: column 'x': 'inf' is not a number; expected a number, as 38 of the column's 41 values are"), logit.stderr)
    }

    func testIssue12_yesNoOutcomeInMixedCaseIsBinary() throws {
        var text = "event,age\n"
        for k in 0..<40 { text += "\(["Yes", "NO", "yes", "no"][k % 4]),\(40 + (k * 7) % 30)\n" }
        let dir = try folder(["cohort.csv": text])
        let result = try CohortCommand.run(["incidence", "cohort.csv", "--outcome", "event"], in: dir)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Incidence of event (event = Yes)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("20  40"), "20 events of 40:\n" + result.stdout)
    }

    /// A column name and a level holding ESC [31m, BEL, a line break and a C1 CSI: escaped in
    /// errors, validation reports, text and Markdown tables, never printed raw.
    func testIssue12_controlCharactersFromTheDataAreEscapedInEveryTextOutput() throws {
        let name = "\u{1b}[31mred"
        let text = "id,\"\(name)\",n\nP1,\"a\u{1b}[31m\u{07}b\",1\nP2,c,2\nP3,\"a\u{1b}[31m\u{07}b\",x\nP4,\"\u{9b}1m\nz\",4\n"
        let dir = try folder(["cohort.csv": text, "cohort.codebook.yaml": "variables:\n  n: integer\n"])
        let raw: [Character] = ["\u{1b}", "\u{07}", "\u{9b}"]
        func assertEscaped(_ output: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertFalse(output.contains(where: raw.contains), "\(what) prints a control character:\n\(output.debugDescription)", file: file, line: line)
        }

        let validate = try CohortCommand.run(["validate", "cohort.csv"], in: dir)
        XCTAssertEqual(validate.exitCode, 65)
        assertEscaped(validate.stdout, "validate")
        XCTAssertTrue(validate.stdout.contains("cohort.csv:1: column '\\x1b[31mred': is not in the codebook"), validate.stdout)

        for format in ["text", "md", "latex", "html"] {
            let describe = try CohortCommand.run(["describe", "cohort.csv", "--no-codebook", "--variable", name, "--format", format], in: dir)
            XCTAssertEqual(describe.exitCode, 0, describe.stderr)
            assertEscaped(describe.stdout, "describe --format \(format)")
            // LaTeX then writes each backslash as \textbackslash{}.
            let slash = format == "latex" ? "\\textbackslash{}" : "\\"
            XCTAssertTrue(describe.stdout.contains("a\(slash)x1b[31m\(slash)x07b"), describe.stdout)
            XCTAssertTrue(describe.stdout.contains("\(slash)x9b1m\(slash)nz"), describe.stdout)
        }

        let unknown = try CohortCommand.run(["describe", "cohort.csv", "--no-codebook", "--variables", "nope"], in: dir)
        XCTAssertEqual(unknown.exitCode, 65)
        assertEscaped(unknown.stderr, "an unknown-column error")
        XCTAssertTrue(unknown.stderr.contains("'\\x1b[31mred'"), unknown.stderr)

        let codebook = try CohortCommand.run(["codebook", "cohort.csv"], in: dir)
        assertEscaped(codebook.stdout, "codebook")

        let json = try CohortCommand.run(["validate", "cohort.csv", "--format", "json"], in: dir)
        assertEscaped(json.stdout, "validate --format json")
        XCTAssertTrue(json.stdout.contains(#""column": "\u001b[31mred""#), json.stdout)
    }
}

import CohortTestSupport
import Foundation
import XCTest

/// Issue 18, Word output: `--format docx --out FILE` for table commands, refused without a file;
/// `cohort report --format-set ...,docx` writing one report.docx; and Must show 3, the Johnsrud
/// Table 1 as python-docx read it (Tests/Fixtures/docx, written by Tests/References/docx_table1_cells.py)
/// equal to the Markdown rendering made now.
final class DocxCommandTests: XCTestCase {
    var root: String { Fixtures.repositoryRoot }
    /// The arguments docx_table1_cells.py runs (the study's table1-by-bleeding as a command).
    let table1 = ["describe", "Datasets/johnsrud2021/cohort.csv", "--variables",
                  "age,sex,disease,product,plt_baseline,ldh,crs_grade,icans_grade,plt_low,icans_high,anticoagulation", "--by", "bleeding_any"]

    func temporaryFolder() throws -> String {
        let dir = NSTemporaryDirectory() + "docx-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func testIssue18_docxWithoutAFileIsRefused() throws {
        for out in [[], ["--out", "-"]] {
            let result = try CohortCommand.run(table1 + ["--format", "docx"] + out, in: root)
            XCTAssertEqual(result.exitCode, 64, "a usage error")
            XCTAssertEqual(result.stdout, "", "nothing binary on standard output")
            XCTAssertTrue(result.stderr.contains("--format docx writes a binary Word document: give the file with --out FILE.docx"), result.stderr)
        }
        // A command reached through the request runner and one with its own writer alike.
        let logit = try CohortCommand.run(["logit", "Datasets/johnsrud2021/cohort.csv", "--outcome", "bleeding_any", "--covariates", "sex",
                                           "--format", "docx"], in: root)
        XCTAssertNotEqual(logit.exitCode, 0)
        XCTAssertTrue(logit.stderr.contains("--out FILE.docx"), logit.stderr)
    }

    func testIssue18_describeWritesTheSameWordDocumentTwice() throws {
        let tmp = try temporaryFolder()
        var written: [[UInt8]] = []
        for name in ["a.docx", "b.docx"] {
            let result = try CohortCommand.run(table1 + ["--format", "docx", "--out", "\(tmp)/\(name)"], in: root)
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            XCTAssertEqual(result.stdout, "")
            written.append([UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(tmp)/\(name)"))))
        }
        XCTAssertEqual(written[0], written[1], "byte-identical reruns")
        let entries = StoredZip.entries(written[0])
        XCTAssertEqual(entries.map(\.name), ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml"])
        let xml = try XCTUnwrap(entries.first { $0.name == "word/document.xml" }).text
        XCTAssertEqual(xml.components(separatedBy: "<w:tbl>").count - 1, 1, "one Word table for the one Markdown table")
    }

    /// Suppressed cells print as in Markdown (`<5`, `≥5`, `—`).
    func testIssue18_suppressedCellsAsInMarkdown() throws {
        let tmp = try temporaryFolder()
        let arguments = ["describe", "Datasets/johnsrud2021/cohort.csv", "--variables", "sex,disease", "--by", "bleeding_any", "--suppress-below", "5"]
        let result = try CohortCommand.run(arguments + ["--format", "docx", "--out", "\(tmp)/t.docx"], in: root)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let markdown = try CohortCommand.run(arguments + ["--format", "md"], in: root)
        let entries = StoredZip.entries([UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(tmp)/t.docx"))))
        let xml = try XCTUnwrap(entries.first { $0.name == "word/document.xml" }).text
        for hidden in ["<5", "≥5", "—"] {
            XCTAssertTrue(markdown.stdout.contains("| \(hidden) |"), hidden)
            XCTAssertTrue(xml.contains(">\(hidden.replacingOccurrences(of: "<", with: "&lt;"))</w:t>"), hidden)
        }
    }

    /// Must show 3: the cells python-docx read from the .docx equal the Markdown rendering's, the
    /// title and footnotes as paragraphs around the table, level rows indented as Markdown indents them.
    func testIssue18_johnsrudTable1ReadByPythonDocxEqualsTheMarkdown() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("docx/johnsrud_table1.cells.json")))
        let reference = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(reference["libreoffice"] as? String, "converted to text", "headless LibreOffice opened the file")
        // The study's report.docx: python-docx and LibreOffice (converting it to .odt) both found every table.
        let report = try XCTUnwrap(reference["report"] as? [String: Any])
        let read = try XCTUnwrap(report["pythonDocx"] as? [String: Int]), office = try XCTUnwrap(report["libreoffice"] as? [String: Any])
        XCTAssertEqual(office["converted"] as? Bool, true)
        XCTAssertEqual(office["tables"] as? Int, read["tables"])
        XCTAssertEqual(read["inlinePictures"], 8, "the Johnsrud study's eight figures")
        let blocks = try XCTUnwrap(reference["blocks"] as? [[String: Any]])
        let markdown = try CohortCommand.run(table1 + ["--format", "md"], in: root)
        XCTAssertEqual(markdown.exitCode, 0, markdown.stderr)
        let expected = Self.blocks(ofMarkdown: markdown.stdout)
        XCTAssertEqual(blocks.count, expected.count, "paragraphs and tables")
        for (read, made) in zip(blocks, expected) {
            switch made {
            case .paragraph(let text): XCTAssertEqual(read["paragraph"] as? String, text)
            case .table(let rows, let indents):
                XCTAssertEqual(read["table"] as? [[String]], rows)
                XCTAssertEqual(read["indentSpaces"] as? [[Int]], indents)
                XCTAssertEqual(read["headerRepeats"] as? Bool, true)
            }
        }
    }

    func testIssue18_reportWritesOneWordDocumentListedInTheManifest() throws {
        let out = try temporaryFolder() + "/report"
        let result = try CohortCommand.run(["report", "Datasets/johnsrud2021/study.yaml", "--out", out, "--format-set", "md,docx"], in: root)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let manifest = try String(contentsOfFile: out + "/manifest.txt", encoding: .utf8)
        XCTAssertTrue(manifest.split(separator: "\n").contains("report.docx"), manifest)
        let tables = try FileManager.default.contentsOfDirectory(atPath: out + "/tables")
        XCTAssertFalse(tables.contains { $0.hasSuffix(".docx") }, "one document, not one a table")
        let entries = StoredZip.entries([UInt8](try Data(contentsOf: URL(fileURLWithPath: out + "/report.docx"))))
        let xml = try XCTUnwrap(entries.first { $0.name == "word/document.xml" }).text
        let markdownTables = tables.filter { $0.hasSuffix(".md") }.count
        XCTAssertEqual(xml.components(separatedBy: "<w:tbl>").count - 1, markdownTables, "every table of the report")
        let figures = try FileManager.default.contentsOfDirectory(atPath: out + "/figures").filter { $0.hasSuffix(".svg") }.count
        XCTAssertEqual(xml.components(separatedBy: "<asvg:svgBlip").count - 1, figures, "every figure, as SVG")
        XCTAssertEqual(entries.filter { $0.name.hasSuffix(".svg") }.count, figures)
    }

    /// The study-file equivalent of `--format-set`: `options: formats:`, which the flag overrides.
    func testIssue18_studyFileFormatsAskForTheWordDocument() throws {
        let tmp = try temporaryFolder()
        let source = root + "/Datasets/johnsrud2021"
        for name in ["cohort.csv", "codebook.yaml", "labs.csv", "published.yaml"] {
            try FileManager.default.copyItem(atPath: "\(source)/\(name)", toPath: "\(tmp)/\(name)")
        }
        let study = try String(contentsOfFile: source + "/study.yaml", encoding: .utf8)
        func write(_ formats: String) throws {
            try study.replacingOccurrences(of: "\noptions:\n", with: "\noptions:\n  formats: \(formats)\n")
                .write(toFile: tmp + "/study.yaml", atomically: true, encoding: .utf8)
        }
        try write("[md, docx]")
        let result = try CohortCommand.run(["report", "study.yaml", "--out", "out"], in: tmp)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: tmp + "/out/report.docx"))
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: tmp + "/out/tables").contains { $0.hasSuffix(".csv") })
        let flag = try CohortCommand.run(["report", "study.yaml", "--out", "out2", "--format-set", "csv"], in: tmp)
        XCTAssertEqual(flag.exitCode, 0, flag.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: tmp + "/out2/report.docx"), "--format-set overrides the study file")
        try write("[md, word]")
        let unknown = try CohortCommand.run(["report", "study.yaml", "--out", "out3"], in: tmp)
        XCTAssertNotEqual(unknown.exitCode, 0)
        XCTAssertTrue(unknown.stderr.contains("options: formats: unknown format 'word'; use md, html, csv, json, latex, docx"), unknown.stderr)
    }

    enum Block: Equatable {
        case paragraph(String)
        /// Cells as Word shows them (without Markdown's `&nbsp;` indents and `\|` escapes) and each
        /// cell's indent in spaces.
        case table([[String]], indents: [[Int]])
    }

    /// The title, preamble, table and notes of one Markdown table as MarkdownRenderer writes them.
    static func blocks(ofMarkdown text: String) -> [Block] {
        var out: [Block] = [], rows: [[String]] = [], indents: [[Int]] = []
        func flush() {
            if !rows.isEmpty { out.append(.table(rows, indents: indents)) }
            rows = []
            indents = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("|") {
                if line.hasPrefix("|:---") || line.hasPrefix("|---") { continue }
                // Split on ` | ` not preceded by a backslash.
                let body = String(line.dropFirst(2).dropLast(2)).replacingOccurrences(of: "\\|", with: "\u{0}")
                var row: [String] = [], indent: [Int] = []
                for cell in body.components(separatedBy: " | ") {
                    var cell = cell.replacingOccurrences(of: "\u{0}", with: "|")
                    var spaces = 0
                    while cell.hasPrefix("&nbsp;&nbsp;") {
                        cell.removeFirst(12)
                        spaces += 1
                    }
                    row.append(cell)
                    indent.append(spaces)
                }
                rows.append(row)
                indents.append(indent)
            } else {
                flush()
                var line = line.trailingSpaces.replacingOccurrences(of: "\\|", with: "|")
                if line.hasPrefix("**"), line.hasSuffix("**") { line = String(line.dropFirst(2).dropLast(2)) }
                out.append(.paragraph(line))
            }
        }
        flush()
        return out
    }
}

private extension String {
    var trailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

import CohortTestSupport
import Foundation
import XCTest

/// `cohort report`: byte-identical reruns, all-or-nothing replacement of the report folder (a run
/// killed mid-write leaves the previous report intact; a failing analysis writes nothing),
/// provenance hashes equal to `sha256sum`'s, the date only when asked for, and every figure listed
/// in index.html. (What the figures draw is tested with the figures, not here.)
final class ReportCommandTests: XCTestCase {
    var root: String { Fixtures.repositoryRoot }
    let johnsrud = "Datasets/johnsrud2021/study.yaml"
    let nct = "Datasets/nct02965092/study.yaml"

    func temporaryFolder() throws -> String {
        let dir = NSTemporaryDirectory() + "report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// Every file under `dir` (relative path -> bytes), hidden ones included.
    func snapshot(_ dir: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: dir) else { return files }
        for case let path as String in walker {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[path] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + path))
            }
        }
        return files
    }

    func report(_ study: String, _ out: String, _ extra: [String] = []) throws -> CommandResult {
        try CohortCommand.run(["report", study, "--out", out] + extra, in: root)
    }

    func testRunTwiceGivesByteIdenticalFiles() throws {
        let tmp = try temporaryFolder()
        for (name, study) in [("johnsrud2021", johnsrud), ("nct02965092", nct)] {
            let first = try report(study, "\(tmp)/\(name)-a"), second = try report(study, "\(tmp)/\(name)-b")
            XCTAssertEqual(first.exitCode, 0, first.stderr)
            XCTAssertEqual(second.exitCode, 0, second.stderr)
            let a = try snapshot("\(tmp)/\(name)-a"), b = try snapshot("\(tmp)/\(name)-b")
            XCTAssertGreaterThan(a.count, 40, "\(name): a report has its tables in five formats, figures and pages")
            XCTAssertEqual(a.keys.sorted(), b.keys.sorted(), name)
            var compared = 0
            for (path, bytes) in a {
                XCTAssertEqual(bytes, b[path], "\(name)/\(path) differs between two runs")
                compared += 1
            }
            XCTAssertEqual(compared, a.count)
            for page in ["index.html", "summary.md", "provenance.json"] { XCTAssertNotNil(a[page], "\(name): \(page)") }
            XCTAssertFalse(a.keys.contains { $0.split(separator: "/").contains { $0.hasPrefix(".") } }, "\(name): no hidden or temporary files")
        }
    }

    func testEveryFigureIsWrittenAndListedInIndex() throws {
        let out = try temporaryFolder() + "/report"
        let result = try report(johnsrud, out, ["--format-set", "md,csv"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let files = try snapshot(out)
        let index = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        let summary = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        let figures = files.keys.filter { $0.hasPrefix("figures/") }.sorted()
        XCTAssertEqual(figures, ["figures/bars-bleeding-site.svg", "figures/bars-thrombosis-type.svg", "figures/cuminc-bleeding.svg",
                                 "figures/cuminc-thrombosis.svg", "figures/forest-cox.svg", "figures/forest-firth.svg", "figures/km-overall-survival.svg",
                                 "figures/labs-platelets-by-icans.svg"])
        for figure in figures {
            let svg = String(decoding: try XCTUnwrap(files[figure]), as: UTF8.self)
            XCTAssertTrue(svg.contains("<svg") && svg.contains("</svg>"), "\(figure) is an SVG document")
            XCTAssertTrue(index.contains("src=\"\(figure)\""), "index.html shows \(figure)")
            XCTAssertTrue(summary.contains("(\(figure))"), "summary.md links \(figure)")
        }
        XCTAssertFalse(index.lowercased().contains("<script"), "index.html has no JavaScript")
        // Only the formats asked for.
        let extensions = Set(files.keys.filter { $0.hasPrefix("tables/") }.compactMap { $0.split(separator: ".").last.map(String.init) })
        XCTAssertEqual(extensions, ["md", "csv"])
        XCTAssertTrue(index.contains("<table class=\"cohortkit\">"), "tables embedded as HTML")
        XCTAssertTrue(summary.contains("| product | events | n | % | 95% CI (%) |"), "summary.md holds the tables in Markdown")
    }

    func testProvenanceHashesEqualSha256sum() throws {
        let out = try temporaryFolder() + "/report"
        XCTAssertEqual(try report(johnsrud, out).exitCode, 0)
        let provenance = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/provenance.json"))) as? [String: Any])
        let inputs = try XCTUnwrap(provenance["inputs"] as? [[String: String]])
        XCTAssertEqual(inputs.map { $0["path"] ?? "" }, ["study.yaml", "cohort.csv", "codebook.yaml", "labs.csv"])
        let tool = "/usr/bin/sha256sum"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: tool), "no sha256sum here; SHA256Tests checks the NIST vectors")
        var checked = 0
        for input in inputs {
            let path = "Datasets/johnsrud2021/" + (input["path"] ?? "")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = [root + "/" + path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let expected = String(printed.prefix(64))
            XCTAssertEqual(expected.count, 64, printed)
            XCTAssertEqual(input["sha256"], expected, path)
            checked += 1
        }
        XCTAssertEqual(checked, 4, "study file, data, codebook and the linked lab table")
        XCTAssertEqual((provenance["toolkit"] as? [String: String])?["version"], try CohortCommand.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let outputs = try XCTUnwrap(provenance["outputs"] as? [[String: Any]])
        XCTAssertEqual(outputs.count, 21, "every output of the study file, with its request")
        let logit = try XCTUnwrap(outputs.first { $0["name"] as? String == "logit-firth" }?["request"] as? [String: Any])
        XCTAssertEqual(logit["firth"] as? Bool, true)
        XCTAssertEqual(logit["ci"] as? String, "profile")
        XCTAssertEqual(logit["covariates"] as? [String], ["plt_low", "icans_high"])
    }

    func testDateAppearsOnlyWhenGiven() throws {
        let tmp = try temporaryFolder()
        XCTAssertEqual(try report(johnsrud, tmp + "/plain").exitCode, 0)
        XCTAssertEqual(try report(johnsrud, tmp + "/dated", ["--date", "2031-04-05"]).exitCode, 0)
        let plain = try snapshot(tmp + "/plain"), dated = try snapshot(tmp + "/dated")
        for (path, bytes) in plain {
            let text = String(decoding: bytes, as: UTF8.self)
            XCTAssertFalse(text.contains("2031-04-05"), path)
            XCTAssertFalse(text.contains("\"date\""), path)
        }
        for page in ["provenance.json", "index.html", "summary.md"] {
            XCTAssertTrue(String(decoding: try XCTUnwrap(dated[page]), as: UTF8.self).contains("2031-04-05"), page)
        }
        // The date changes the pages only, never a table or a figure.
        for (path, bytes) in plain where path.hasPrefix("tables/") || path.hasPrefix("figures/") { XCTAssertEqual(bytes, dated[path], path) }
        let bad = try report(johnsrud, tmp + "/bad", ["--date", "5 April"])
        XCTAssertEqual(bad.exitCode, 64)
        XCTAssertTrue(bad.stderr.contains("--date must be YYYY-MM-DD"), bad.stderr)
    }

    /// A study file in `dir` on a copy of the Johnsrud data beside it (a study reads only inside its
    /// folder), with `outputs` as given.
    func writeStudy(_ dir: String, outputs: String) throws -> String {
        for file in ["cohort.csv", "codebook.yaml", "labs.csv"] where !FileManager.default.fileExists(atPath: dir + "/" + file) {
            try FileManager.default.copyItem(atPath: root + "/Datasets/johnsrud2021/" + file, toPath: dir + "/" + file)
        }
        let text = "study: test\ndata: cohort.csv\ncodebook: codebook.yaml\noutputs:\n" + outputs
        let path = dir + "/study.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Issue 13: the Johnsrud curves are drawn on the paper's 3-month window (`svg_max_day: 100`,
    /// a tick every 10 days), not in the first 2% of a 1,400-day axis; overall survival on two years
    /// (a tick every 90 days).
    func testIssue13_johnsrudCurvesUseTheThreeMonthWindow() throws {
        let out = try temporaryFolder() + "/report"
        let result = try report(johnsrud, out, ["--format-set", "md"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        for name in ["cuminc-bleeding", "cuminc-thrombosis"] {
            let svg = try String(contentsOfFile: "\(out)/figures/\(name).svg", encoding: .utf8)
            XCTAssertTrue(svg.contains("The time axis ends at day 100 (follow-up to day"), name)
            XCTAssertTrue(svg.contains("% by day 100 (n = "), "\(name): the description reads the curves at the axis end")
            XCTAssertFalse(svg.contains(">1400</text>") || svg.contains(">1200</text>"), "\(name): no tick of the whole follow-up")
            XCTAssertTrue(svg.contains(">10</text>") && svg.contains(">90</text>"), "\(name): a tick every 10 days")
        }
        let survival = try String(contentsOfFile: "\(out)/figures/km-overall-survival.svg", encoding: .utf8)
        XCTAssertTrue(survival.contains("The time axis ends at day 720 (follow-up to day") && survival.contains(">630</text>"))
        XCTAssertTrue(survival.contains("class=\"censor\""), "censoring marks on the Kaplan-Meier curves")
        let provenance = try String(contentsOfFile: out + "/provenance.json", encoding: .utf8)
        XCTAssertTrue(provenance.contains("\"svg_max_day\": 100") && provenance.contains("\"svg_time_step\": 10"), "recorded in the request")
    }

    /// Issue 13: a report's bar chart says how many rows have no value, as the table beside it does.
    func testIssue13_reportBarChartsCountMissingRows() throws {
        let out = try temporaryFolder() + "/report"
        let result = try report(johnsrud, out, ["--format-set", "md"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        // 12 of 127 bled: 115 rows have no bleeding site, in the figure and in the table beside it.
        let bars = try String(contentsOfFile: out + "/figures/bars-bleeding-site.svg", encoding: .utf8)
        XCTAssertTrue(bars.contains(">n missing = 115 (rows with no value; not drawn).</text>"), bars)
        let table = try String(contentsOfFile: out + "/tables/bars-bleeding-site.md", encoding: .utf8)
        XCTAssertTrue(table.contains("| &nbsp;&nbsp;&nbsp;&nbsp;missing | 115 |"), table)
    }

    /// Issue 13: a report's forest plot labels the terms from the codebook, as `cohort logit --svg`
    /// does; the study's `labels` override single terms, and a label for no term is an error.
    func testIssue13_reportForestPlotShowsCodebookLabels() throws {
        let tmp = try temporaryFolder()
        let logit = "  - {name: model, type: logit, outcome: bleeding_any, covariates: [plt_low, icans_high], firth: true}\n"
        let plain = try writeStudy(tmp, outputs: logit + "  - {name: forest, type: forest, model: model}\n")
        XCTAssertEqual(try report(plain, tmp + "/plain").exitCode, 0)
        let svg = try String(contentsOfFile: tmp + "/plain/figures/forest.svg", encoding: .utf8)
        XCTAssertTrue(svg.contains(">Baseline platelets &lt; 100 x10^9/L</text>"), svg)
        XCTAssertTrue(svg.contains(">ICANS grade &gt;= 3</text>"), svg)
        XCTAssertFalse(svg.contains(">plt_low</text>"))
        let cliSVG = tmp + "/cli.svg"
        XCTAssertEqual(try CohortCommand.run(["logit", tmp + "/cohort.csv", "--outcome", "bleeding_any", "--covariates", "plt_low,icans_high",
                                              "--firth", "--svg", cliSVG]).exitCode, 0)
        let cli = try String(contentsOfFile: cliSVG, encoding: .utf8)
        for label in [">Baseline platelets &lt; 100 x10^9/L</text>", ">ICANS grade &gt;= 3</text>"] {
            XCTAssertTrue(cli.contains(label), "the CLI and the report label alike: \(label)")
        }

        let own = try writeStudy(tmp, outputs: logit + "  - {name: forest, type: forest, model: model, labels: {icans_high: \"Severe ICANS\"}}\n")
        XCTAssertEqual(try report(own, tmp + "/own").exitCode, 0)
        let relabelled = try String(contentsOfFile: tmp + "/own/figures/forest.svg", encoding: .utf8)
        XCTAssertTrue(relabelled.contains(">Severe ICANS</text>") && relabelled.contains(">Baseline platelets &lt; 100 x10^9/L</text>"), relabelled)

        let misspelt = try writeStudy(tmp, outputs: logit + "  - {name: forest, type: forest, model: model, labels: {icans: \"Severe ICANS\"}}\n")
        let result = try report(misspelt, tmp + "/misspelt")
        XCTAssertEqual(result.exitCode, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("output 'forest'") && result.stderr.contains("'labels' names 'icans', which is not a term of the output 'model' (its terms: plt_low, icans_high)"),
                      result.stderr)
    }

    func testFailingAnalysisNamesTheOutputAndReplacesNothing() throws {
        let tmp = try temporaryFolder()
        let out = tmp + "/report"
        let good = try writeStudy(tmp, outputs: "  - {name: rates, type: incidence, outcome: bleeding_any}\n")
        XCTAssertEqual(try report(good, out).exitCode, 0)
        let before = try snapshot(out)
        let bad = try writeStudy(tmp, outputs: """
              - {name: rates, type: incidence, outcome: bleeding_any, by: product}
              - {name: screen, type: compare, outcome: bleeding_any, factors: [plt_low, no_such_column]}

            """)
        let result = try report(bad, out)
        XCTAssertEqual(result.exitCode, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("output 'screen'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("no_such_column"), result.stderr)
        XCTAssertEqual(try snapshot(out), before, "the previous report is untouched")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp).sorted(), ["codebook.yaml", "cohort.csv", "labs.csv", "report", "study.yaml"], "nothing staged")
    }

    /// Issue 12: `trend: true` with a measurement factor would be ignored for it; as `compare --trend`, it is refused.
    func testIssue12_trendOnAMeasurementIsRefused() throws {
        let tmp = try temporaryFolder()
        let study = try writeStudy(tmp, outputs: "  - {name: screen, type: compare, outcome: bleeding_any, factors: [icans_high, plt_baseline], trend: true}\n")
        let result = try report(study, tmp + "/report")
        XCTAssertEqual(result.exitCode, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("output 'screen': 'trend: true' applies to ordered categorical factors (grades, 0/1, declared levels); 'plt_baseline' is a measurement"),
                      result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: tmp + "/report"), "nothing written")
    }

    /// Issue 12: a forest plot's label for a term the model does not have (a misspelling) is an error, not unused.
    func testIssue12_forestLabelForAnUnknownTermIsRefused() throws {
        let tmp = try temporaryFolder()
        let study = try writeStudy(tmp, outputs: """
              - {name: model, type: logit, outcome: bleeding_any, covariates: [icans_high]}
              - {name: plot, type: forest, model: model, labels: {icans_hihg: ICANS grade 3 or more}}

            """)
        let result = try report(study, tmp + "/report")
        XCTAssertEqual(result.exitCode, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("output 'plot': 'labels' names 'icans_hihg', which is not a term of the output 'model' (its terms: icans_high)"),
                      result.stderr)
    }

    func testUnknownKeyIsAnErrorNamingTheLine() throws {
        let tmp = try temporaryFolder()
        let study = try writeStudy(tmp, outputs: "  - name: rates\n    type: incidence\n    outcome: bleeding_any\n    metod: wilson\n")
        let result = try report(study, tmp + "/report")
        XCTAssertEqual(result.exitCode, 65)
        XCTAssertTrue(result.stderr.contains("study.yaml:8: output 'rates' (incidence): unknown key 'metod'"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: tmp + "/report"))
    }

    func testRefusesToReplaceAFolderThatIsNotAReport() throws {
        let tmp = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: tmp + "/notes", withIntermediateDirectories: true)
        try "keep me".write(toFile: tmp + "/notes/thesis.tex", atomically: true, encoding: .utf8)
        let result = try report(johnsrud, tmp + "/notes")
        XCTAssertEqual(result.exitCode, 73)
        XCTAssertTrue(result.stderr.contains("no report wrote (thesis.tex)"), result.stderr)
        XCTAssertEqual(try snapshot(tmp + "/notes").keys.sorted(), ["thesis.tex"])
    }

    /// Issue 13: a previous report that the user has added files to is not swept away. Before, any
    /// folder holding a provenance.json was replaced whole, unrelated files and sub-folders included.
    func testIssue13_neverDeletesAFileItDidNotWrite() throws {
        let tmp = try temporaryFolder(), out = tmp + "/report"
        XCTAssertEqual(try report(johnsrud, out).exitCode, 0)
        let before = try snapshot(out)
        let manifest = try String(contentsOfFile: out + "/manifest.txt", encoding: .utf8)
        let listed = manifest.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        XCTAssertEqual(listed.sorted(), before.keys.sorted(), "the manifest lists exactly the report's files")

        try "my notes".write(toFile: out + "/notes.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: out + "/drafts/old", withIntermediateDirectories: true)
        let refused = try report(johnsrud, out, ["--date", "2026-01-02"])
        XCTAssertEqual(refused.exitCode, 73, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("drafts/old/") && refused.stderr.contains("notes.txt"), refused.stderr)
        var expected = before
        expected["notes.txt"] = Data("my notes".utf8)
        XCTAssertEqual(try snapshot(out), expected, "nothing replaced, nothing deleted")

        // Without them the folder is the toolkit's own again and is replaced.
        try FileManager.default.removeItem(atPath: out + "/notes.txt")
        try FileManager.default.removeItem(atPath: out + "/drafts")
        XCTAssertEqual(try report(johnsrud, out, ["--date", "2026-01-02"]).exitCode, 0)
        XCTAssertNotEqual(try snapshot(out)["index.html"], before["index.html"])
    }

    /// Review of issue 15: the report's own counts follow --suppress-below like its tables' do: rows
    /// a `where:` dropped (2 here, with the kept count hidden beside them, since the rows read are
    /// printed) and the patient-days a daily score left unscored.
    func testIssue15_whereCountsAndScoreNotesFollowSuppression() throws {
        let tmp = try temporaryFolder()
        for file in ["cohort.csv", "codebook.yaml", "labs.csv"] {
            try FileManager.default.copyItem(atPath: root + "/Datasets/nct02965092/" + file, toPath: tmp + "/" + file)
        }
        try """
            study: small
            data: cohort.csv
            codebook: codebook.yaml
            where: age >= 13
            options:
              suppress_below: 5
            outputs:
              - name: dic
                type: incidence
                outcome: dic
            """.write(toFile: tmp + "/study.yaml", atomically: true, encoding: .utf8)
        let ages = try String(contentsOfFile: tmp + "/cohort.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .compactMap { Int($0.split(separator: ",", omittingEmptySubsequences: false)[1]) }
        let dropped = ages.filter { $0 < 13 }.count
        try XCTSkipUnless((1..<5).contains(dropped), "the shipped data drop \(dropped) rows under 13; the test needs 1-4")
        let result = try CohortCommand.run(["report", "study.yaml", "--out", "out"], in: tmp)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let provenance = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp + "/out/provenance.json"))) as? [String: Any])
        let filter = try XCTUnwrap(provenance["where"] as? [String: Any])
        XCTAssertTrue(filter["dropped_false"] is NSNull, "\(filter)")
        XCTAssertTrue(filter["kept"] is NSNull, "secondary: the kept count would give the dropped one away: \(filter)")
        let summary = try String(contentsOfFile: tmp + "/out/summary.md", encoding: .utf8)
        XCTAssertTrue(summary.contains("dropped (hidden)"), summary)
        XCTAssertFalse(summary.contains("dropped \(dropped) "), summary)
    }

    /// Issue 15: a linked lab table is an input of the study like the data: a symbolic link that
    /// leads outside the study's folder is refused, naming the table.
    func testIssue15_linkedTableOutsideTheStudyFolderIsRefused() throws {
        let tmp = try temporaryFolder()
        let source = root + "/Datasets/johnsrud2021"
        for folder in ["study", "elsewhere"] { try FileManager.default.createDirectory(atPath: tmp + "/" + folder, withIntermediateDirectories: true) }
        for file in ["cohort.csv", "codebook.yaml", "study.yaml", "published.yaml"] {
            try FileManager.default.copyItem(atPath: source + "/" + file, toPath: tmp + "/study/" + file)
        }
        try FileManager.default.copyItem(atPath: source + "/labs.csv", toPath: tmp + "/elsewhere/labs.csv")
        try FileManager.default.createSymbolicLink(atPath: tmp + "/study/labs.csv", withDestinationPath: tmp + "/elsewhere/labs.csv")
        let refused = try CohortCommand.run(["report", "study/study.yaml", "--out", "out"], in: tmp)
        XCTAssertEqual(refused.exitCode, 65, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("table 'labs'") && refused.stderr.contains("outside the folder of this file"), refused.stderr)
        let allowed = try CohortCommand.run(["report", "study/study.yaml", "--out", "out", "--allow-path", "elsewhere"], in: tmp)
        XCTAssertEqual(allowed.exitCode, 0, allowed.stderr)
    }

    /// Issue 13: a study file reads only inside its own folder unless --allow-path names another:
    /// `..`, an absolute path and a symlink that lead outside are refused with the key's line.
    func testIssue13_studyFileCannotReadOutsideItsFolder() throws {
        let tmp = try temporaryFolder()
        let source = root + "/Datasets/johnsrud2021"
        try FileManager.default.createDirectory(atPath: tmp + "/study", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: tmp + "/elsewhere", withIntermediateDirectories: true)
        for file in ["cohort.csv", "codebook.yaml", "labs.csv"] {
            try FileManager.default.copyItem(atPath: source + "/" + file, toPath: tmp + "/elsewhere/" + file)
        }
        for file in ["codebook.yaml", "published.yaml", "cohort.csv", "labs.csv"] {  // the study's reproduce output reads these
            try FileManager.default.copyItem(atPath: source + "/" + file, toPath: tmp + "/study/" + file)
        }
        try FileManager.default.createSymbolicLink(atPath: tmp + "/study/link.csv", withDestinationPath: tmp + "/elsewhere/cohort.csv")
        let study = try String(contentsOfFile: source + "/study.yaml", encoding: .utf8)
        for (data, shown) in [("../elsewhere/cohort.csv", "../elsewhere/cohort.csv"), (tmp + "/elsewhere/cohort.csv", "elsewhere/cohort.csv"),
                              ("link.csv", "link.csv"), ("/etc/passwd", "/etc/passwd")] {
            try study.replacingOccurrences(of: "data: cohort.csv", with: "data: \(data)").write(toFile: tmp + "/study/study.yaml", atomically: true, encoding: .utf8)
            let result = try report(tmp + "/study/study.yaml", tmp + "/out")
            XCTAssertEqual(result.exitCode, 65, "data: \(data): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("study.yaml:6") && result.stderr.contains("outside the folder of this file") && result.stderr.contains(shown),
                          "data: \(data): \(result.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: tmp + "/out"), "nothing written for data: \(data)")
        }
        // Named on the command line, the other folder is allowed; the symlink into it too.
        for data in ["../elsewhere/cohort.csv", "link.csv"] {
            try study.replacingOccurrences(of: "data: cohort.csv", with: "data: \(data)").write(toFile: tmp + "/study/study.yaml", atomically: true, encoding: .utf8)
            let allowed = try report(tmp + "/study/study.yaml", tmp + "/out-\(data.count)", ["--allow-path", tmp + "/elsewhere"])
            XCTAssertEqual(allowed.exitCode, 0, "data: \(data) with --allow-path: \(allowed.stderr)")
        }
    }

    /// Issue 13: in a suppressed report a model with a small outcome x level cell is left out and
    /// listed, like the outputs that cannot be suppressed, and the other outputs are written.
    func testIssue13_suppressedReportLeavesOutAModelWithASmallCell() throws {
        let tmp = try temporaryFolder()
        let study = try writeStudy(tmp, outputs: """
              - {name: rates, type: incidence, outcome: bleeding_any}
              - {name: model, type: logit, outcome: bleeding_any, covariates: [disease, icans_high]}

            """)
        let result = try report(study, tmp + "/report", ["--suppress-below", "5"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let files = try snapshot(tmp + "/report")
        XCTAssertNotNil(files["tables/rates.csv"])
        XCTAssertNil(files["tables/model.csv"], "the model is not written")
        let index = String(decoding: try XCTUnwrap(files["index.html"]), as: UTF8.self)
        XCTAssertTrue(index.contains("left out of this report") && index.contains("level &#39;B-ALL&#39;") || index.contains("level 'B-ALL'"), index)
    }

    /// A report written before manifests existed is recognised by its file names.
    func testReportWithoutManifestIsReplacedWhenEveryFileIsTheReports() throws {
        let tmp = try temporaryFolder(), out = tmp + "/report"
        XCTAssertEqual(try report(johnsrud, out).exitCode, 0)
        try FileManager.default.removeItem(atPath: out + "/manifest.txt")
        let again = try report(johnsrud, out)
        XCTAssertEqual(again.exitCode, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("wrote \(try snapshot(out).count) files"), again.stdout)
    }

    /// Kills `cohort report` (SIGKILL) after it has staged `files` files of the new report.
    func killMidway(study: String, out: String, afterFiles files: Int) throws {
        let process = Process()
        process.executableURL = CohortCommand.executable
        process.arguments = ["report", study, "--out", out]
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.environment = ProcessInfo.processInfo.environment.merging(["COHORTKIT_TEST_PAUSE_AFTER_FILES": String(files)]) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var said = ""
        let deadline = Date().addingTimeInterval(120)
        while !said.contains("paused after \(files) files"), Date() < deadline, process.isRunning {
            said += String(decoding: err.fileHandleForReading.availableData, as: UTF8.self)
        }
        XCTAssertTrue(said.contains("paused after \(files) files"), "the writer reached the pause: \(said)")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
    }

    func testKilledMidWriteLeavesThePreviousReportIntact() throws {
        let tmp = try temporaryFolder()
        let out = tmp + "/report"
        // The previous report differs from the next one (its date), so a mixture would show.
        XCTAssertEqual(try report(johnsrud, out, ["--date", "2020-01-01"]).exitCode, 0)
        let before = try snapshot(out)
        for files in [1, 40] {
            try killMidway(study: johnsrud, out: out, afterFiles: files)
            XCTAssertEqual(try snapshot(out), before, "killed after \(files) files: every previous file intact, nothing added")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: tmp).filter { $0 != "report" }
            XCTAssertEqual(leftovers.count, 1, "the killed run's staging folder, beside the report: \(leftovers)")
            XCTAssertTrue(leftovers.allSatisfy { $0.hasPrefix(".report.cohortkit-staging-") }, "\(leftovers)")
        }
        // The next run cleans the abandoned staging folder and replaces the whole report.
        let rerun = try report(johnsrud, out)
        XCTAssertEqual(rerun.exitCode, 0, rerun.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp), ["report"])
        let after = try snapshot(out)
        XCTAssertEqual(after.keys.sorted(), before.keys.sorted())
        XCTAssertNotEqual(after["provenance.json"], before["provenance.json"])
        XCTAssertFalse(String(decoding: try XCTUnwrap(after["index.html"]), as: UTF8.self).contains("2020-01-01"))
    }

    /// --suppress-below 5: every count of 1-4 in every table printed as <5 (bleeding by product: 2 of
    /// 38 in CD19/22), the analysis JSON with those counts null, and the outputs that cannot be suppressed
    /// (curves, figures, reproduced figures) left out and listed in summary.md and index.html.
    func testSuppressedReportHidesSmallCountsAndLeavesOutWhatItCannotSuppress() throws {
        let out = try temporaryFolder() + "/shared"
        let result = try report(johnsrud, out, ["--suppress-below", "5"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let files = try snapshot(out)
        XCTAssertFalse(files.keys.contains { $0.hasPrefix("figures/") }, "no figure is shared under suppression")
        let incidence = String(decoding: try XCTUnwrap(files["tables/incidence-bleeding.md"]), as: UTF8.self)
        XCTAssertTrue(incidence.contains("| CD19/22 | <5 | 38 | — | — |"), incidence)
        // The analysis's own JSON, as without suppression, with the hidden counts null and listed (issue 13).
        let json = String(decoding: try XCTUnwrap(files["tables/incidence-bleeding.json"]), as: UTF8.self)
        XCTAssertFalse(json.contains("\"events\": 2") || json.contains("\"events\":2"), "raw counts in the JSON: \(json)")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(object["rows"] as? [[String: Any]])
        let row = try XCTUnwrap(rows.firstIndex { $0["group"] as? String == "CD19/22" })
        XCTAssertTrue(rows[row]["events"] is NSNull, json)
        XCTAssertEqual(rows[row]["n"] as? Int, 38, json)
        let suppression = try XCTUnwrap(object["suppression"] as? [String: Any])
        XCTAssertEqual(suppression["below"] as? Int, 5)
        XCTAssertTrue((suppression["hidden"] as? [String])?.contains("/rows/\(row)/events") == true, json)
        var tablesChecked = 0
        for (path, bytes) in files where path.hasSuffix(".md") && path.hasPrefix("tables/") {
            let text = String(decoding: bytes, as: UTF8.self)
            // A count of 1-4 as a table prints one: "| 3/38 (7.9%) |" (events/n) or "| 3 (2.4%) |" (n (%)).
            let shown = try NSRegularExpression(pattern: "\\| [1-4](/[0-9]| \\([0-9])")
            let match = shown.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
            XCTAssertNil(match, "\(path) shows a count below 5: \(match.map { (text as NSString).substring(with: $0.range) } ?? "")")
            tablesChecked += 1
        }
        XCTAssertGreaterThan(tablesChecked, 5)
        let summary = String(decoding: try XCTUnwrap(files["summary.md"]), as: UTF8.self)
        XCTAssertTrue(summary.contains("left out of this report: small-cell suppression (below 5)"), summary)
        let provenance = String(decoding: try XCTUnwrap(files["provenance.json"]), as: UTF8.self)
        XCTAssertTrue(provenance.contains("suppress_below"), provenance)
        let two = try report(johnsrud, out + "2", ["--suppress-below", "2"])
        XCTAssertEqual(two.exitCode, 64, two.stderr)
    }
}

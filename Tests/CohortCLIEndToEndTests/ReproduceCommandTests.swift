import CohortTestSupport
import Foundation
import XCTest

/// `cohort reproduce` on the shipped synthetic datasets: every figure matches its printed value and
/// its unrounded value agrees with R's independent recomputation (Tests/Fixtures/datasets/figures.json,
/// written by Tests/References/dataset_figures.R); an altered dataset fails naming the figure; and a
/// copy with every column renamed (its own codebook and figure list) gives the same figures, so no
/// study's column names live in the code.
final class ReproduceCommandTests: XCTestCase {
    struct RFigure: Decodable {
        let study: String
        let figure: String
        let value: Double
    }

    var root: String { Fixtures.repositoryRoot }

    func figures(_ result: CommandResult) throws -> [[String: Any]] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], result.stdout + result.stderr)
    }

    func temporaryFolder() throws -> String {
        let dir = NSTemporaryDirectory() + "reproduce-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func testEveryFigureMatchesAndAgreesWithR() throws {
        let result = try CohortCommand.run(["reproduce", "--all", "--format", "json"], in: root)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let computed = try figures(result)
        let reference = try JSONDecoder().decode([RFigure].self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("datasets/figures.json"))))
        XCTAssertEqual(computed.count, reference.count)
        XCTAssertEqual(computed.count, 74)
        var checked = 0
        for (figure, r) in zip(computed, reference) {
            let id = "\(r.study)/\(r.figure)"
            XCTAssertEqual(figure["study"] as? String, r.study)
            XCTAssertEqual(figure["figure"] as? String, r.figure)
            XCTAssertEqual(figure["match"] as? Bool, true, "\(id): \(figure)")
            // The R script fits with tight convergence (glm epsilon 1e-14, brglm2 1e-12), so model
            // P values are held to 1e-8 (Newton's last step); the rest are counts, medians or
            // closed-form P values.
            let tolerance = r.figure.contains("multivariable") ? 1e-8 : 1e-10
            assertClose(try XCTUnwrap(figure["value"] as? Double, id), r.value, relative: tolerance, id)
            checked += 1
        }
        XCTAssertEqual(checked, 74)
        let text = try CohortCommand.run(["reproduce", "johnsrud2021"], in: root)
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("64 of 64 figures match."), text.stdout)
        XCTAssertTrue(text.stdout.contains("synthetic reconstruction, not patient data"), text.stdout)
    }

    /// One bleeding day moved from 17 to 16 changes the median (17.5 → 17): exit 1, the figure named.
    func testAlteredDatasetFailsNamingTheFigure() throws {
        let dir = try temporaryFolder()
        let study = dir + "/johnsrud2021"
        try FileManager.default.copyItem(atPath: root + "/Datasets/johnsrud2021", toPath: study)
        let csv = try String(contentsOfFile: study + "/cohort.csv", encoding: .utf8)
        var lines = csv.components(separatedBy: "\n")
        let header = lines[0].components(separatedBy: ",")
        let day = try XCTUnwrap(header.firstIndex(of: "bleeding_day"))
        let row = try XCTUnwrap(lines.indices.dropFirst().first { lines[$0].components(separatedBy: ",").count > day && lines[$0].components(separatedBy: ",")[day] == "17" })
        var fields = lines[row].components(separatedBy: ",")
        fields[day] = "16"
        lines[row] = fields.joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: study + "/cohort.csv", atomically: true, encoding: .utf8)
        let result = try CohortCommand.run(["reproduce", study], in: dir)
        XCTAssertEqual(result.exitCode, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("johnsrud2021/bleeding_day_median: published 17.5, computed 17"), result.stderr)
        XCTAssertTrue(result.stdout.contains("63 of 64 figures match."), result.stdout)
    }

    /// Issue 14: a published figure can be any `cohort cox` request (its keys as in a study file)
    /// plus the term whose Wald P it reads; the same request as the command, so the same P.
    func testACoxFigureIsTheCoxRequestPlusItsTerm() throws {
        let dir = try temporaryFolder()
        for file in ["cohort.csv", "codebook.yaml", "labs.csv"] {
            try FileManager.default.copyItem(atPath: root + "/Datasets/johnsrud2021/" + file, toPath: dir + "/" + file)
        }
        let compute = "{analysis: cox, event_days: {bleeding: bleeding_day, death: death_day}, followup_day: last_followup_day, event: bleeding, competing: [death], covariates: [plt_low, icans_high], ties: breslow, term: plt_low}"
        func published(_ compute: String, expect: String) -> String {
            """
            schema: 1
            study: coxfigure
            title: "A Cox figure on the synthetic Johnsrud reconstruction"
            publication: "none (a test)"
            data: cohort.csv
            codebook: codebook.yaml
            figures:
              - id: plt_low_hazard
                tag: derived
                printed: "associated"
                expect: \(expect)
                compute: \(compute)

            """
        }
        try published(compute, expect: "{p_below: 0.05, direction: positive}").write(toFile: dir + "/published.yaml", atomically: true, encoding: .utf8)
        let result = try CohortCommand.run(["reproduce", dir, "--format", "json"], in: dir)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let figure = try XCTUnwrap(try figures(result).first)
        let command = try CohortCommand.run(["cox", "cohort.csv", "--event-days", "bleeding=bleeding_day,death=death_day", "--followup-day", "last_followup_day",
                                             "--event", "bleeding", "--competing", "death", "--covariates", "plt_low,icans_high", "--ties", "breslow",
                                             "--format", "json"], in: dir)
        let model = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(command.stdout.utf8)) as? [String: Any])
        let row = try XCTUnwrap((model["coefficients"] as? [[String: Any]])?.first { $0["term"] as? String == "plt_low" })
        XCTAssertEqual(figure["value"] as? Double, row["p"] as? Double)
        XCTAssertEqual(figure["match"] as? Bool, true)

        // The same for a finegray request.
        let fineGray = compute.replacingOccurrences(of: "analysis: cox", with: "analysis: finegray").replacingOccurrences(of: ", ties: breslow", with: "")
        try published(fineGray, expect: "{p_below: 0.05, direction: positive}").write(toFile: dir + "/published.yaml", atomically: true, encoding: .utf8)
        let fg = try CohortCommand.run(["reproduce", dir, "--format", "json"], in: dir)
        XCTAssertEqual(fg.exitCode, 0, fg.stderr)
        let fgCommand = try CohortCommand.run(["finegray", "cohort.csv", "--event-days", "bleeding=bleeding_day,death=death_day", "--followup-day", "last_followup_day",
                                               "--event", "bleeding", "--competing", "death", "--covariates", "plt_low,icans_high", "--format", "json"], in: dir)
        let fgModel = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(fgCommand.stdout.utf8)) as? [String: Any])
        let fgRow = try XCTUnwrap((fgModel["coefficients"] as? [[String: Any]])?.first { $0["term"] as? String == "plt_low" })
        XCTAssertEqual(try XCTUnwrap(try figures(fg).first)["value"] as? Double, fgRow["p"] as? Double)

        // A key the cox request does not have is refused with its line and the request's keys.
        try published(compute.replacingOccurrences(of: "ties: breslow", with: "tie: breslow"), expect: "{p_below: 0.05}")
            .write(toFile: dir + "/published.yaml", atomically: true, encoding: .utf8)
        let refused = try CohortCommand.run(["reproduce", dir], in: dir)
        XCTAssertNotEqual(refused.exitCode, 0)
        XCTAssertTrue(refused.stderr.contains("published.yaml:12: figure 'plt_low_hazard' (cox): unknown key 'tie'"), refused.stderr)
    }

    /// Every column and derived variable renamed (v1, v2, ...) in the data, the codebook and the
    /// figure list: the same figures, computed the same.
    func testRenamedCopyGivesTheSameFigures() throws {
        let dir = try temporaryFolder()
        var original: [[String: Any]] = []
        var renamed: [[String: Any]] = []
        for study in ["johnsrud2021", "nct02965092"] {
            let source = root + "/Datasets/" + study
            let target = dir + "/" + study
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            let csv = try String(contentsOfFile: source + "/cohort.csv", encoding: .utf8)
            let codebook = try String(contentsOfFile: source + "/codebook.yaml", encoding: .utf8)
            let published = try String(contentsOfFile: source + "/published.yaml", encoding: .utf8)
            let columns = String(csv.prefix { $0 != "\n" }).components(separatedBy: ",")
            let derived = try derivedNames(codebook)
            XCTAssertGreaterThan(derived.count, 3, study)
            var names: [(String, String)] = []
            for (k, name) in (columns + derived).enumerated() { names.append((name, "v\(k + 1)")) }
            let body = csv.drop { $0 != "\n" }
            try (names.prefix(columns.count).map(\.1).joined(separator: ",") + body).write(toFile: target + "/cohort.csv", atomically: true, encoding: .utf8)
            // The linked lab table keeps its own column names (formulas reach them as labs.X, which
            // the renaming leaves alone); only the id it shares with the patient table is renamed in both.
            let tables = codebook.range(of: "\ntables:")!.lowerBound..<codebook.range(of: "\nderived:")!.lowerBound
            let newID = names.first { $0.0 == "patient_id" }!.1
            let renamedCodebook = rename(String(codebook[..<tables.lowerBound]), names)
                + codebook[tables].replacingOccurrences(of: "id: patient_id", with: "id: \(newID)") + rename(String(codebook[tables.upperBound...]), names)
            try renamedCodebook.write(toFile: target + "/codebook.yaml", atomically: true, encoding: .utf8)
            let labs = try String(contentsOfFile: source + "/labs.csv", encoding: .utf8)
            XCTAssertTrue(labs.hasPrefix("patient_id,"))
            try (newID + labs.dropFirst("patient_id".count)).write(toFile: target + "/labs.csv", atomically: true, encoding: .utf8)
            let renamedPublished = rename(published, names)
            XCTAssertFalse(renamedPublished.contains("bleeding_any") || renamedPublished.contains("crs_grade,"), "names replaced")
            try renamedPublished.write(toFile: target + "/published.yaml", atomically: true, encoding: .utf8)
            original += try figures(try CohortCommand.run(["reproduce", study, "--format", "json"], in: root))
            let result = try CohortCommand.run(["reproduce", target, "--format", "json"], in: dir)
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            renamed += try figures(result)
        }
        XCTAssertEqual(renamed.count, 74)
        // Figure ids that are also column names were renamed with them; compare in order.
        for (a, b) in zip(original, renamed) {
            XCTAssertEqual(a["computed"] as? String, b["computed"] as? String, "\(a["figure"] ?? "")")
            XCTAssertEqual(a["value"] as? Double, b["value"] as? Double, "\(a["figure"] ?? "")")
        }
    }

    /// The names under `derived:` in a codebook (two-space indented keys).
    func derivedNames(_ codebook: String) throws -> [String] {
        var inDerived = false
        var names: [String] = []
        for line in codebook.components(separatedBy: "\n") {
            if !line.hasPrefix(" ") && !line.hasPrefix("#") && !line.isEmpty { inDerived = line.hasPrefix("derived:") }
            if inDerived, line.hasPrefix("  "), !line.hasPrefix("   "), let colon = line.firstIndex(of: ":") {
                names.append(String(line[line.index(line.startIndex, offsetBy: 2)..<colon]))
            }
        }
        return names
    }

    /// Whole-word replacement of each name, except where it is a function call (`crs_grade(`) or a
    /// parameter name (`bleeding = bleeding`).
    func rename(_ text: String, _ names: [(String, String)]) -> String {
        var result = text
        for (old, new) in names {
            let pattern = "(?<![A-Za-z0-9_.])" + NSRegularExpression.escapedPattern(for: old) + "(?![A-Za-z0-9_(])(?!\\s*=)"
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            result = regex.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result), withTemplate: new)
        }
        return result
    }
}

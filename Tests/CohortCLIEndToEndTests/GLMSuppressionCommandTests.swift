import CohortTestSupport
import Foundation
import XCTest

/// Issue 16: `--suppress-below K` for `cohort linear`, `poisson` and `logbinomial`, with logit's
/// machinery: the model refused when a cell its numbers reveal holds 1..K − 1 rows (or events),
/// counts of rows left out by reason shown as <K with a secondary cell, the JSON in logit's
/// suppressed schema, `--predict FILE` refused.
extension SuppressedJSONCommandTests {
    /// 60 complete rows (g: a, b, c, 20 each; y continuous, e 0/1, c a count), then 2 rows without x
    /// and 6 without any outcome: 8 left out, of which "missing x: 2" is below 5 and must not show.
    static func glmCSV(extra: [String] = []) -> String {
        var lines = ["y,e,c,g,x"]
        for i in 0..<60 {
            let g = ["a", "b", "c"][i % 3]
            let x = Double(i % 7) + Double(i) / 10
            let y = 2 + 0.5 * x + (g == "b" ? 1 : 0) + Double((i * 37) % 11) / 5
            let e = (i / 3) % 3 == 0 || i % 10 == 1 ? 1 : 0
            lines.append("\(y),\(e),\(i % 4 + (g == "c" ? 1 : 0)),\(g),\(x)")
        }
        lines += ["3.1,1,2,a,", "2.2,0,1,b,"]
        lines += (0..<6).map { ",,,\(["a", "b", "c"][$0 % 3]),\($0)" }
        return (lines + extra).joined(separator: "\n") + "\n"
    }

    static let glmCommands: [(name: String, arguments: [String], outcome: String)] = [
        ("linear", ["linear", "-", "--outcome", "y", "--covariates", "g,x"], "y"),
        ("poisson", ["poisson", "-", "--outcome", "c", "--covariates", "g,x"], "c"),
        ("logbinomial", ["logbinomial", "-", "--outcome", "e", "--covariates", "g,x"], "e"),
    ]

    func testIssue16_glmJSONKeepsItsSchemaUnderSuppression() throws {
        for command in Self.glmCommands {
            let hidden = try checkSuppression(command.arguments, k: 5, stdin: Self.glmCSV())
            // The small reason, the other reason that would give it back from the total, and the
            // warning that lists both.
            XCTAssertEqual(Set(hidden), ["/droppedReasons/missing x", "/droppedReasons/missing \(command.outcome)", "/warnings/0"], command.name)
        }
    }

    /// No count below K in any format (nor on standard error), where the unsuppressed output has it.
    func testIssue16_glmCountBelowKAppearsInNoFormat() throws {
        for command in Self.glmCommands {
            let plain = try CohortCommand.run(command.arguments, stdin: Self.glmCSV())
            XCTAssertEqual(plain.exitCode, 0, plain.stderr)
            XCTAssertTrue(plain.stdout.contains("missing x: 2"), plain.stdout)
            for format in ["text", "csv", "md", "json"] {
                let shared = try CohortCommand.run(command.arguments + ["--suppress-below", "5", "--format", format], stdin: Self.glmCSV())
                XCTAssertEqual(shared.exitCode, 0, "\(command.name) \(format): \(shared.stderr)")
                for leak in ["missing x: 2", "missing \(command.outcome): 6", "\"missing x\" : 2", "\"missing x\": 2", "8 rows left out"] {
                    XCTAssertFalse(shared.stdout.contains(leak) || shared.stderr.contains(leak), "\(command.name) \(format): \(leak)\n\(shared.stdout)\n\(shared.stderr)")
                }
                if format == "text" || format == "md" {
                    XCTAssertTrue(shared.stdout.contains("missing x: <5") && shared.stdout.contains("missing \(command.outcome): ≥5"), shared.stdout)
                    XCTAssertTrue(shared.stdout.contains("Small-cell suppression: counts of 1–4 are shown as <5"), shared.stdout)
                    // Nothing small left to hide: the coefficients and n used (60) are shown.
                    XCTAssertTrue(shared.stdout.contains("n = 60 used, 8 dropped"), shared.stdout)
                }
            }
        }
    }

    /// A level with fewer than K rows (or events) is refused, naming the term and the level, as logit's is.
    func testIssue16_glmRefusesAModelWhoseCellIsSmall() throws {
        // Three rows at level d: a linear coefficient of d is a difference in the mean of 3 patients.
        let small = Self.glmCSV(extra: ["5.0,1,2,d,1", "6.0,1,3,d,2", "4.0,0,0,d,3"])
        for command in Self.glmCommands {
            let plain = try CohortCommand.run(command.arguments, stdin: small)
            XCTAssertEqual(plain.exitCode, 0, plain.stderr)
            let shared = try CohortCommand.run(command.arguments + ["--suppress-below", "5"], stdin: small)
            XCTAssertEqual(shared.exitCode, 65, "\(command.name): \(shared.stdout)")
            XCTAssertTrue(shared.stderr.contains("term 'g': level 'd' has fewer than 5"), "\(command.name): \(shared.stderr)")
            XCTAssertEqual(shared.stdout, "", command.name)
        }
        // Fewer than K rows left out: the residual df give n used back, so the model is refused.
        let fewDropped = Self.glmCSV().split(separator: "\n").dropLast(5).joined(separator: "\n") + "\n"
        for command in Self.glmCommands {
            let shared = try CohortCommand.run(command.arguments + ["--suppress-below", "5"], stdin: fewDropped)
            XCTAssertEqual(shared.exitCode, 65, "\(command.name): \(shared.stdout)")
            XCTAssertTrue(shared.stderr.contains("fewer than 5 rows were left out of the fit"), "\(command.name): \(shared.stderr)")
        }
        // Logbinomial: a level with fewer than K events.
        let fewEvents = Self.glmCSV(extra: (0..<8).map { "5.0,\($0 < 2 ? 1 : 0),1,d,\($0)" })
        let result = try CohortCommand.run(["logbinomial", "-", "--outcome", "e", "--covariates", "g,x", "--suppress-below", "5"], stdin: fewEvents)
        XCTAssertEqual(result.exitCode, 65, result.stdout)
        XCTAssertTrue(result.stderr.contains("level 'd' has fewer than 5 patients with e = 1"), result.stderr)
    }

    func testIssue16_glmPredictFileIsRefusedUnderSuppression() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("glm-suppress-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for command in Self.glmCommands {
            let result = try CohortCommand.run(command.arguments + ["--suppress-below", "5", "--predict", dir + "/p.csv"], stdin: Self.glmCSV())
            XCTAssertEqual(result.exitCode, 64, result.stderr)
            XCTAssertTrue(result.stderr.contains("--predict writes one row per patient and cannot be suppressed"), result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/p.csv"))
            // --at predicts at given values, not per patient: allowed.
            let at = try CohortCommand.run(command.arguments + ["--suppress-below", "5", "--at", "g=b,x=3"], stdin: Self.glmCSV())
            XCTAssertEqual(at.exitCode, 0, at.stderr)
        }
    }
}

import CohortTestSupport
import Foundation
import XCTest

/// `cohort validate` on every file of the malformed-input corpus (`Tests/Fixtures/malformed/`,
/// described case by case in its README): the exact text printed and the exit status.
///
/// A case is `NAME.expected` with, beside it, `NAME.csv` (and `NAME.codebook.yaml` when the case
/// needs one, which the command finds by itself). The expected file holds standard output, then
/// standard error, then a last line `exit: N`. Paths stay stable because the command runs with the
/// corpus folder as its working directory and the bare file name as its argument. Cases too large
/// to commit (1 MiB fields) are generated here, byte for byte the same on every run, into a
/// temporary folder together with their committed codebook, and run the same way there.
///
/// `COHORTKIT_RECORD=1` rewrites every expected file from what the command prints (and fails, so a
/// recording is never taken for a pass); read the diff before committing it.
final class MalformedCorpusTests: XCTestCase {
    let folder = Fixtures.path("malformed")

    /// Cases generated in the test instead of committed: name -> the data file's bytes.
    static let generated: [String: @Sendable () -> [UInt8]] = [
        "huge_field": {
            // Line 2: a quoted note of exactly 1 MiB (commas and doubled quotes inside); line 3: a
            // 1 MiB run of digits in a number column (beyond the double range); line 4: a plain error
            // whose line number shows that nothing before it was miscounted.
            var bytes = Array("patient_id,note,plt\nP001,\"".utf8)
            let unit = Array("lorem, \"\"ip\"\" x ".utf8)  // 16 bytes
            for _ in 0..<(1 << 20) / unit.count { bytes += unit }
            bytes += Array("\",152\nP002,short,".utf8)
            bytes += [UInt8](repeating: UInt8(ascii: "9"), count: 1 << 20)
            bytes += Array("\nP003,ok,abc\n".utf8)
            return bytes
        },
    ]

    static let minimumCases = 30

    func testEveryCasePrintsExactlyTheExpectedReport() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        let names = files.filter { $0.hasSuffix(".expected") }.map { String($0.dropLast(".expected".count)) }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, Self.minimumCases, "the corpus must hold at least \(Self.minimumCases) cases")
        for data in files where data.hasSuffix(".csv") && !names.contains(String(data.dropLast(4))) {
            XCTFail("\(data) has no \(data.dropLast(4)).expected: every file in the corpus is a case")
        }
        let recording = ProcessInfo.processInfo.environment["COHORTKIT_RECORD"] == "1"
        var mismatches: [String] = []
        for name in names {
            let actual = try run(name)
            let expectedPath = "\(folder)/\(name).expected"
            if recording {
                try actual.write(toFile: expectedPath, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
            if actual != expected { mismatches.append("\(name):\n" + Self.lineDiff(expected: expected, actual: actual)) }
        }
        if recording {
            XCTFail("recorded \(names.count) expected files in \(folder); read the diff, unset COHORTKIT_RECORD and run again")
            return
        }
        XCTAssertTrue(mismatches.isEmpty, "\(mismatches.count) of \(names.count) cases differ (- expected, + actual):\n\n"
                      + mismatches.joined(separator: "\n\n"))
    }

    /// `cohort validate NAME.csv` in the corpus folder (or a generated case's temporary folder):
    /// stdout, stderr, `exit: N`.
    func run(_ name: String) throws -> String {
        var directory = folder
        var cleanup: String?
        if !FileManager.default.fileExists(atPath: "\(folder)/\(name).csv") {
            guard let generate = Self.generated[name] else {
                XCTFail("\(name).expected has neither \(name).csv nor a generator in MalformedCorpusTests.generated")
                return ""
            }
            directory = NSTemporaryDirectory() + "cohortkit-corpus-\(UUID().uuidString)"
            cleanup = directory
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(generate()).write(to: URL(fileURLWithPath: "\(directory)/\(name).csv"))
            let codebook = "\(folder)/\(name).codebook.yaml"
            if FileManager.default.fileExists(atPath: codebook) {
                try FileManager.default.copyItem(atPath: codebook, toPath: "\(directory)/\(name).codebook.yaml")
            }
        }
        defer { if let cleanup { try? FileManager.default.removeItem(atPath: cleanup) } }
        let result = try CohortCommand.run(["validate", "\(name).csv"], in: directory)
        return result.stdout + result.stderr + "exit: \(result.exitCode)\n"
    }

    /// A line diff (longest common subsequence): unchanged lines indented by two spaces, removed
    /// ones marked `-`, added ones `+`; line endings shown, since some cases are about them.
    static func lineDiff(expected: String, actual: String) -> String {
        let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
        var common = [[Int]](repeating: [Int](repeating: 0, count: a.count + 1), count: e.count + 1)
        for i in stride(from: e.count - 1, through: 0, by: -1) {
            for j in stride(from: a.count - 1, through: 0, by: -1) {
                common[i][j] = e[i] == a[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        func shown(_ line: String) -> String { line.replacingOccurrences(of: "\r", with: "\\r") }
        var lines: [String] = []
        var i = 0, j = 0
        while i < e.count || j < a.count {
            if i < e.count, j < a.count, e[i] == a[j] {
                lines.append("  " + shown(e[i])); i += 1; j += 1
            } else if i < e.count, j == a.count || common[i + 1][j] >= common[i][j + 1] {
                lines.append("- " + shown(e[i])); i += 1
            } else {
                lines.append("+ " + shown(a[j])); j += 1
            }
        }
        return lines.joined(separator: "\n")
    }
}

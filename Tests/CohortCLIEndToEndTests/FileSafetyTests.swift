import CohortTestSupport
import Foundation
import XCTest

/// Issue 13 (file safety and Unix behaviour): a write failure is an error with a message and exit
/// 73; `--out` never replaces an input, follows a symlink instead of replacing it, honours the umask,
/// and `-` means standard output; CSV cells a spreadsheet would run as formulas are neutralised.
final class FileSafetyTests: XCTestCase {
    func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "safety-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        try "id,age,group\n1,50,\"=HYPERLINK(\"\"http://x\"\")\"\n2,61,-2+3\n3,-4,@SUM(A1)\n4,70,ok\n".write(toFile: dir + "/data.csv", atomically: true, encoding: .utf8)
        return dir
    }

    func testOutNamingAnInputIsRefusedAndTheInputStaysIntact() throws {
        let dir = try folder()
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/data.csv"))
        try FileManager.default.createSymbolicLink(atPath: dir + "/alias.csv", withDestinationPath: dir + "/data.csv")
        for out in ["data.csv", "./data.csv", dir + "/data.csv", "alias.csv"] {
            let result = try CohortCommand.run(["describe", "data.csv", "--no-codebook", "--variables", "age", "--out", out], in: dir)
            XCTAssertEqual(result.exitCode, 73, "--out \(out): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("is an input of this command"), result.stderr)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/data.csv")), before, "--out \(out) left the input intact")
        }
    }

    /// Runs a bash `script` in `dir` with `$0` the cohort binary: for what only a shell sets up
    /// (a redirection to /dev/full, a pipe its reader closes, a umask).
    func shell(_ script: String, in dir: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, CohortCommand.executable.path]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        let err = Pipe()
        process.standardError = err
        try process.run()
        let said = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, said)
    }

    func testWriteFailuresExitNonZeroWithAMessage() throws {
        let dir = try folder()
        // A full device as standard output: the shell redirects, the command must notice.
        let (status, said) = try shell("\"$0\" describe data.csv --no-codebook --variables age > /dev/full", in: dir)
        XCTAssertEqual(status, 73, said)
        XCTAssertTrue(said.contains("standard output: cannot write"), said)

        // --out on a full device.
        let out = try CohortCommand.run(["describe", "data.csv", "--no-codebook", "--variables", "age", "--out", "/dev/full/x"], in: dir)
        XCTAssertEqual(out.exitCode, 73, out.stderr)
        XCTAssertTrue(out.stderr.contains("/dev/full/x: cannot write"), out.stderr)

        // A reader that closed the pipe: EPIPE, not a silent death by SIGPIPE.
        let pipeSaid = try shell("\"$0\" describe data.csv --no-codebook --variables age | (exec 0<&-; sleep 0.2); echo \"status ${PIPESTATUS[0]}\" >&2",
                                 in: dir).stderr
        XCTAssertTrue(pipeSaid.contains("status 73"), pipeSaid)
        XCTAssertTrue(pipeSaid.contains("Broken pipe"), pipeSaid)
    }

    func testOutThroughASymlinkReplacesTheTargetAndKeepsTheLink() throws {
        let dir = try folder()
        try "old".write(toFile: dir + "/target.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.txt", withDestinationPath: "target.txt")
        let result = try CohortCommand.run(["describe", "data.csv", "--no-codebook", "--variables", "age", "--out", "link.txt"], in: dir)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.txt"), "target.txt", "the link is still a link")
        XCTAssertTrue(try String(contentsOfFile: dir + "/target.txt", encoding: .utf8).contains("age"))
    }

    func testNewFilesHonourTheUmaskAndExistingFilesKeepTheirMode() throws {
        let dir = try folder()
        XCTAssertEqual(try shell("umask 077; \"$0\" describe data.csv --no-codebook --variables age --out private.txt", in: dir).status, 0)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: dir + "/private.txt")[.posixPermissions] as? Int)
        XCTAssertEqual(mode, 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: dir + "/private.txt")
        XCTAssertEqual(try CohortCommand.run(["describe", "data.csv", "--no-codebook", "--variables", "age,group", "--out", "private.txt"], in: dir).exitCode, 0)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: dir + "/private.txt")[.posixPermissions] as? Int, 0o640)
    }

    func testOutDashIsStandardOutput() throws {
        let dir = try folder()
        let result = try CohortCommand.run(["describe", "data.csv", "--no-codebook", "--variables", "age", "--out", "-"], in: dir)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("age"), result.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/-"))
    }

    func testCSVCellsThatSpreadsheetsRunAsFormulasAreNeutralised() throws {
        let dir = try folder()
        let result = try CohortCommand.run(["describe", "data.csv", "--no-codebook", "--variables", "age,group", "--format", "csv"], in: dir)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("\"'  =HYPERLINK(\"\"http://x\"\")\""), result.stdout)
        XCTAssertTrue(result.stdout.contains("'  -2+3,"), result.stdout)
        XCTAssertTrue(result.stdout.contains("'  @SUM(A1),"), result.stdout)
        XCTAssertTrue(result.stdout.contains("\n  -4,"), "a negative number stays a number: \(result.stdout)")
        for line in result.stdout.split(separator: "\n") {
            let cell = line.drop { $0 == " " || $0 == "\"" }
            if let first = cell.first, "=+@".contains(first) { XCTFail("formula cell left as it was: \(line)") }
        }
    }
}

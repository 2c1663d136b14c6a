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

    func testWriteFailuresExitNonZeroWithAMessage() throws {
        let dir = try folder()
        // A full device as standard output: the shell redirects, the command must notice.
        let full = Process()
        full.executableURL = URL(fileURLWithPath: "/bin/sh")
        full.arguments = ["-c", "\"$0\" describe data.csv --no-codebook --variables age > /dev/full", CohortCommand.executable.path]
        full.currentDirectoryURL = URL(fileURLWithPath: dir)
        let err = Pipe()
        full.standardError = err
        try full.run()
        let said = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        full.waitUntilExit()
        XCTAssertEqual(full.terminationStatus, 73, said)
        XCTAssertTrue(said.contains("standard output: cannot write"), said)

        // --out on a full device.
        let out = try CohortCommand.run(["describe", "data.csv", "--no-codebook", "--variables", "age", "--out", "/dev/full/x"], in: dir)
        XCTAssertEqual(out.exitCode, 73, out.stderr)
        XCTAssertTrue(out.stderr.contains("/dev/full/x: cannot write"), out.stderr)

        // A reader that closed the pipe: EPIPE, not a silent death by SIGPIPE.
        let pipe = Process()
        pipe.executableURL = URL(fileURLWithPath: "/bin/bash")
        pipe.arguments = ["-c", "\"$0\" describe data.csv --no-codebook --variables age | (exec 0<&-; sleep 0.2); echo \"status ${PIPESTATUS[0]}\" >&2",
                          CohortCommand.executable.path]
        pipe.currentDirectoryURL = URL(fileURLWithPath: dir)
        let pipeErr = Pipe()
        pipe.standardError = pipeErr
        try pipe.run()
        let pipeSaid = String(decoding: pipeErr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        pipe.waitUntilExit()
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
        let run = Process()
        run.executableURL = URL(fileURLWithPath: "/bin/sh")
        run.arguments = ["-c", "umask 077; \"$0\" describe data.csv --no-codebook --variables age --out private.txt", CohortCommand.executable.path]
        run.currentDirectoryURL = URL(fileURLWithPath: dir)
        try run.run()
        run.waitUntilExit()
        XCTAssertEqual(run.terminationStatus, 0)
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

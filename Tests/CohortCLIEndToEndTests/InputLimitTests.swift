import CohortTestSupport
import Foundation
import XCTest

/// Issue 12, "input that cannot hurt": data that never ends, or one enormous line, stops with a
/// message naming the file, line and limit, exit 65, within a bounded memory; a file of 300,000
/// columns is read in memory proportional to it. Every input is made on the fly.
final class InputLimitTests: XCTestCase {
    /// Peak resident memory allowed a command stopped at the default 64 MiB record limit: the
    /// record buffered so far, the binary and the runtime. (Before the limit: all of memory.)
    let boundAtDefaultLimits = 200 << 20

    func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "cohortkit-limits-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func assertBounded(_ result: MeasuredResult, by bound: Int, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThan(result.peakResidentBytes, bound,
                          "\(what): peak RSS \(String(format: "%.1f", result.peakResidentMiB)) MiB in \(String(format: "%.1f", result.seconds)) s",
                          file: file, line: line)
        print("\(what): peak RSS \(String(format: "%.1f", result.peakResidentMiB)) MiB, \(String(format: "%.2f", result.seconds)) s")
    }

    func testIssue12_devZeroAsDataStopsAtTheRecordLimit() throws {
        let result = try MeasuredCommand.cohort(["validate", "/dev/zero"])
        XCTAssertEqual(result.exitCode, 65, result.stderr)
        XCTAssertTrue(result.stdout.contains(
            "/dev/zero:1: a record (line) longer than 64 MiB (67108864 bytes), the most a record may hold; reading stopped here."), result.stdout)
        assertBounded(result, by: boundAtDefaultLimits, "validate /dev/zero")
    }

    /// Writers that would never end: the pipeline ends because cohort stops reading and exits, and
    /// the writers die of SIGPIPE. Once with a small limit (the line it names), once with the default.
    func testIssue12_endlessPipeStopsAtTheRecordLimit() throws {
        let small = try MeasuredCommand.shell(#"yes 'a,b,c' | tr -d '\n' | "$COHORT" validate - --max-record-bytes 1048576"#)
        XCTAssertEqual(small.exitCode, 65, small.stderr)
        XCTAssertTrue(small.stdout.contains("<stdin>:1: a record (line) longer than 1 MiB (1048576 bytes)"), small.stdout)

        // Well-formed records that never end: the stream limit.
        let records = try MeasuredCommand.shell(#"yes 'a,b' | "$COHORT" validate - --max-stream-bytes 4194304"#)
        XCTAssertEqual(records.exitCode, 65, records.stderr)
        XCTAssertTrue(records.stdout.contains("<stdin>: more than 4 MiB (4194304 bytes) arrived from a pipe or standard input"), records.stdout)

        // A header and a good record first: the error names the line the long record starts on.
        let later = try MeasuredCommand.shell(#"{ printf 'a,b\n1,2\n'; cat /dev/zero; } | "$COHORT" describe -"#)
        XCTAssertEqual(later.exitCode, 65, later.stderr)
        XCTAssertTrue(later.stderr.hasPrefix("cohort describe: <stdin>:3: a record (line) longer than 64 MiB"), later.stderr)
        assertBounded(later, by: boundAtDefaultLimits, "cat /dev/zero | describe -")
    }

    /// One line of 3 MiB in a regular (mapped) file, against small limits: a field, then a record.
    func testIssue12_longLineInAFileStopsAtTheFieldOrRecordLimit() throws {
        let dir = try folder()
        let path = dir + "/long.csv"
        try Data(("a,b\n1,2\n3," + String(repeating: "x", count: 3 << 20) + "\n4,5\n").utf8).write(to: URL(fileURLWithPath: path))

        let field = try MeasuredCommand.cohort(["validate", "long.csv", "--max-field-bytes", "1048576"], in: dir)
        XCTAssertEqual(field.exitCode, 65, field.stderr)
        XCTAssertTrue(field.stdout.contains("long.csv:3: column 'b': a field longer than 1 MiB (1048576 bytes), the most a field may hold"), field.stdout)

        let record = try MeasuredCommand.cohort(["validate", "long.csv", "--max-record-bytes", "2000000"], in: dir)
        XCTAssertEqual(record.exitCode, 65, record.stderr)
        XCTAssertTrue(record.stdout.contains("long.csv:3: a record (line) longer than 2000000 bytes"), record.stdout)

        // Within the limits the same file is read: the limit, not the file, made the errors.
        let fits = try MeasuredCommand.cohort(["validate", "long.csv", "--max-field-bytes", "4194304"], in: dir)
        XCTAssertEqual(fits.exitCode, 0, fits.stdout + fits.stderr)
    }

    /// A 10 GB file of one line after the header, sparse so that it costs no disk: the default
    /// field limit stops it after 16 MiB.
    func testIssue12_tenGigabyteLineStopsAtTheDefaultFieldLimit() throws {
        let dir = try folder()
        let path = dir + "/huge.csv"
        FileManager.default.createFile(atPath: path, contents: Data("a,b\n1,".utf8))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 10_000_000_000)
        try handle.close()
        var status = stat()
        XCTAssertEqual(stat(path, &status), 0)
        guard status.st_blocks * 512 < 1 << 30 else { throw XCTSkip("the file system does not keep sparse files sparse") }

        let result = try MeasuredCommand.cohort(["validate", "huge.csv"], in: dir)
        XCTAssertEqual(result.exitCode, 65, result.stderr)
        XCTAssertTrue(result.stdout.contains("huge.csv:2: column 'b': a field longer than 16 MiB (16777216 bytes)"), result.stdout)
        assertBounded(result, by: boundAtDefaultLimits, "validate a 10 GB line")
    }

    func testIssue12_limitsMustBePositive() throws {
        let result = try CohortCommand.run(["validate", "-", "--max-field-bytes", "0"], stdin: "a\n1\n")
        XCTAssertEqual(result.exitCode, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("--max-field-bytes, --max-record-bytes and --max-stream-bytes must be at least 1"), result.stderr)
    }

    /// 300,000 columns by 3 rows (4.5 MB), numbers and words alternating, written once for the
    /// two tests below: every column used to cost kilobytes of reader buffers (2.6 GB in all).
    static let wideFolder: Result<String, Error> = Result {
        let dir = NSTemporaryDirectory() + "cohortkit-wide-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let columns = 300_000
        var text = (0..<columns).map { "c\($0)" }.joined(separator: ",") + "\n"
        var generator = SeededGenerator(seed: 12)
        for _ in 0..<3 {
            text += (0..<columns).map { c in
                c % 2 == 0 ? String(generator.next() % 100) : ["a", "b", "c"][Int(generator.next() % 3)]
            }.joined(separator: ",") + "\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/wide.csv"))
        wideMade = dir
        return dir
    }
    /// Set once the folder exists, so that tearing down does not make it.
    nonisolated(unsafe) static var wideMade: String?

    override class func tearDown() {
        if let dir = wideMade { try? FileManager.default.removeItem(atPath: dir) }
        super.tearDown()
    }

    /// The bound: what the table itself needs (about 600 bytes a column) with room to spare.
    let wideBound = 400 << 20

    func testIssue12_threeHundredThousandColumnsValidateInProportionalMemory() throws {
        let dir = try Self.wideFolder.get()
        let validate = try MeasuredCommand.cohort(["validate", "wide.csv"], in: dir)
        XCTAssertEqual(validate.exitCode, 0, validate.stdout + validate.stderr)
        XCTAssertTrue(validate.stdout.hasPrefix("wide.csv: 0 errors and 0 warnings in 3 rows and 300000 columns"), validate.stdout)
        assertBounded(validate, by: wideBound, "validate 300,000 columns")
    }

    /// Every column is read and typed; three are described, the last among them (a lookup by
    /// name a column, where a search made describing many columns quadratic).
    func testIssue12_threeHundredThousandColumnsDescribeInProportionalMemory() throws {
        let dir = try Self.wideFolder.get()
        let describe = try MeasuredCommand.cohort(["describe", "wide.csv", "--variables", "c0,c1,c299999", "--format", "csv"], in: dir)
        XCTAssertEqual(describe.exitCode, 0, describe.stderr)
        XCTAssertTrue(describe.stdout.contains("c299999"), describe.stdout)
        assertBounded(describe, by: wideBound, "describe 3 of 300,000 columns")
    }

    /// Every column described, as text: a million rows, since three whole numbers make even the
    /// number columns categories. The description, the table and its text took 380 bytes, 80
    /// bytes and three copies of the text a variable besides the cells, 570 MB at the peak; now
    /// about what reading the file takes (250 MB). And in bounded time (18 s in a debug build): a
    /// search or a copy a column would make it quadratic.
    func testIssue12_threeHundredThousandColumnsAllDescribedInProportionalMemory() throws {
        let dir = try Self.wideFolder.get()
        let describe = try MeasuredCommand.cohort(["describe", "wide.csv"], in: dir)
        XCTAssertEqual(describe.exitCode, 0, describe.stderr)
        XCTAssertTrue(describe.stdout.contains("\nc0, n (%)\n"), String(describe.stdout.prefix(2000)))
        XCTAssertTrue(describe.stdout.contains("\nc299999, n (%)\n"), String(describe.stdout.suffix(2000)))
        let lines = describe.stdout.utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        XCTAssertGreaterThan(lines, 1_000_000, "a heading and a row a level for each column")
        assertBounded(describe, by: wideBound, "describe all 300,000 columns")
        XCTAssertLessThan(describe.seconds, 120, "describe all 300,000 columns: \(describe.seconds) s")
    }
}

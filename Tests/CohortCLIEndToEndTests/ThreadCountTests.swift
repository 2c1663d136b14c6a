import CohortTestSupport
import Foundation
import XCTest

/// Issue 12 (identical bytes on every machine): the full-precision JSON of every golden table is the
/// same bytes whatever the thread count (`--threads`, `OPENBLAS_NUM_THREADS`) and whichever variant of
/// the C library's maths the CPU selects. `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE` are left alone:
/// the statistics call no BLAS kernel (see `OrderedKernels`), and some machines set them on purpose.
///
/// glibc picks `exp`, `log`, `pow` and friends by CPU (an FMA build on CPUs that have FMA, SSE2
/// otherwise), and the two round differently in rare cases; masking the CPU's AVX/FMA features with
/// `GLIBC_TUNABLES` runs the other variant here, as an older or virtualised CPU would.
final class ThreadCountTests: XCTestCase {
    static let variants: [(String, [String], [String: String])] = [
        ("--threads 1", ["--threads", "1"], [:]),
        ("--threads 3", ["--threads", "3"], [:]),
        ("OPENBLAS_NUM_THREADS=1", [], ["OPENBLAS_NUM_THREADS": "1"]),
        ("OPENBLAS_NUM_THREADS=2", [], ["OPENBLAS_NUM_THREADS": "2"]),
        ("libm without AVX/FMA", [], ["GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2,-FMA,-AVX,-AVX512F"]),
    ]

    func testGoldenJSONIsIdenticalForEveryThreadCountAndMathsVariant() throws {
        var checked = 0
        for (name, directory, arguments) in TableGoldenTests.cases {
            let golden = try String(contentsOfFile: Fixtures.path("golden/tables/\(name).json"), encoding: .utf8)
            for (label, extra, environment) in Self.variants {
                let result = try CohortCommand.run(arguments + ["--format", "json"] + extra, in: directory, environment: environment)
                XCTAssertEqual(result.exitCode, 0, "\(name) with \(label): \(result.stderr)")
                XCTAssertTrue(result.stdout == golden, "\(name).json differs from its golden file with \(label)")
                checked += 1
            }
        }
        XCTAssertEqual(checked, TableGoldenTests.cases.count * Self.variants.count)
    }

    /// 70,000 rows: the fit's sums span three chunks, so a split that followed the thread count would
    /// show here.
    func testLargeFitIsIdenticalForEveryThreadCount() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cohortkit-threads-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = SeededGenerator(seed: 2026)
        var csv = "y,age,dose,site\n"
        for _ in 0..<70_000 {
            let age = Double.random(in: 20..<80, using: &generator), dose = Double.random(in: 0..<5, using: &generator)
            let site = ["a", "b", "c"][Int.random(in: 0..<3, using: &generator)]
            let eta = -3 + 0.03 * age + 0.2 * dose + (site == "b" ? 0.4 : 0)
            let y = Double.random(in: 0..<1, using: &generator) < 1 / (1 + exp(-eta)) ? 1 : 0
            csv += "\(y),\(String(format: "%.3f", age)),\(String(format: "%.4f", dose)),\(site)\n"
        }
        try csv.write(to: directory.appendingPathComponent("large.csv"), atomically: true, encoding: .utf8)
        let arguments = ["logit", "large.csv", "--no-codebook", "--outcome", "y", "--covariates", "age,dose,site", "--ci", "wald", "--no-lr", "--format", "json"]
        let reference = try CohortCommand.run(arguments + ["--threads", "1"], in: directory.path)
        XCTAssertEqual(reference.exitCode, 0, reference.stderr)
        XCTAssertTrue(reference.stdout.contains("\"estimate\""), reference.stdout)
        for (label, extra, environment) in Self.variants.dropFirst() + [("--threads 2", ["--threads", "2"], [:])] {
            let result = try CohortCommand.run(arguments + extra, in: directory.path, environment: environment)
            XCTAssertEqual(result.exitCode, 0, "\(label): \(result.stderr)")
            XCTAssertTrue(result.stdout == reference.stdout, "70,000-row fit differs with \(label) from --threads 1")
        }
    }

    func testThreadsOutOfRangeIsAUsageError() throws {
        for value in ["0", "-1", "1025", "9223372036854775807", "two"] {
            let result = try CohortCommand.run(["logit", "cohort.csv", "--outcome", "bleeding_any", "--covariates", "disease", "--threads", value],
                                               in: Fixtures.repositoryRoot + "/Datasets/johnsrud2021")
            XCTAssertEqual(result.exitCode, 64, "--threads \(value): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("threads"), "--threads \(value): \(result.stderr)")
        }
    }
}

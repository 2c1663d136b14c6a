import CohortTestSupport
import Foundation
import XCTest

/// The shipped synthetic datasets (issues 5 and 15): `cohort-datasets` rewrites each study's
/// `cohort.csv` and `labs.csv` byte for byte, and each passes `cohort validate` against its codebook
/// with no errors or warnings. The figures themselves are checked independently in R
/// (`Tests/References/dataset_figures.R`) and by `cohort reproduce`.
final class DatasetGeneratorTests: XCTestCase {
    static let studies = ["johnsrud2021", "nct02965092", "multicentre"]
    /// The multi-centre example (issue 17) has no laboratory table.
    static let files = ["johnsrud2021": ["cohort.csv", "labs.csv"], "nct02965092": ["cohort.csv", "labs.csv"], "multicentre": ["cohort.csv"]]
    static let rows = ["johnsrud2021": 127, "nct02965092": 53, "multicentre": 860]
    static let labHeaders = ["johnsrud2021": "patient_id,day,platelets,fibrinogen,pt,ddimer",
                             "nct02965092": "patient_id,day,plt,ddimer,pt_prolong,aptt_prolong,fibrinogen"]

    var datasets: String { Fixtures.repositoryRoot + "/Datasets" }

    func testIssue5_generatorRewritesTheCommittedFilesByteForByte() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cohort-datasets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Twice into the same place: the second run must not depend on the first's output either.
        for run in 1...2 {
            let result = try CohortCommand.run([scratch.path], program: "cohort-datasets")
            XCTAssertEqual(result.exitCode, 0, "run \(run): \(result.stderr)")
            var compared = 0
            for study in Self.studies {
                for file in Self.files[study] ?? [] {
                    let generated = try Data(contentsOf: scratch.appendingPathComponent("\(study)/\(file)"))
                    let committed = try Data(contentsOf: URL(fileURLWithPath: "\(datasets)/\(study)/\(file)"))
                    XCTAssertEqual(generated, committed, "run \(run): \(study)/\(file) differs from the committed file; "
                                   + "run `swift run cohort-datasets` and review the diff")
                    let lines = String(decoding: generated, as: UTF8.self).split(separator: "\n")
                    if file == "cohort.csv" {
                        XCTAssertEqual(lines.count, (Self.rows[study] ?? 0) + 1, "\(study): header + one row a patient")
                    } else {
                        // One row a draw: every patient has draws (the codebook's summaries exist for all).
                        XCTAssertEqual(lines.first.map(String.init), Self.labHeaders[study], "\(study)/labs.csv header")
                        let patients = Set(lines.dropFirst().map { line in line.prefix { $0 != "," } })
                        XCTAssertEqual(patients.count, Self.rows[study], "\(study)/labs.csv: draws for every patient")
                    }
                    compared += 1
                }
            }
            XCTAssertEqual(compared, 5)
        }
    }

    func testIssue5_shippedDatasetsValidateAgainstTheirCodebooks() throws {
        var checked = 0
        for study in Self.studies {
            let directory = "\(datasets)/\(study)"
            let result = try CohortCommand.run(["validate", "\(directory)/cohort.csv", "--codebook", "\(directory)/codebook.yaml"])
            XCTAssertEqual(result.exitCode, 0, "\(study): \(result.stdout)\(result.stderr)")
            XCTAssertTrue(result.stdout.contains("0 errors and 0 warnings in \(Self.rows[study] ?? 0) rows"), "\(study): \(result.stdout)")
            checked += 1
        }
        XCTAssertEqual(checked, 3)
    }

    func testIssue5_wrongArgumentsExitWithUsage() throws {
        let result = try CohortCommand.run(["a", "b"], program: "cohort-datasets")
        XCTAssertEqual(result.exitCode, 64)
        XCTAssertTrue(result.stdout.contains("usage: cohort-datasets"), result.stdout)
    }
}

import CohortTestSupport
import Foundation
import XCTest

/// The notebooks-as-scripts run with one command each and print Markdown: every section, every
/// table, the synthetic-data notice, the reproduction with every figure matching, and no NaN.
final class NotebookTests: XCTestCase {
    func runNotebook(_ name: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixtures.repositoryRoot + "/Notebooks-as-scripts/\(name).sh")
        var environment = ProcessInfo.processInfo.environment
        environment["COHORT"] = CohortCommand.executable(named: "cohort").path
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    func check(_ name: String, sections: [String], figures: Int) throws {
        let result = try runNotebook(name)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("**synthetic reconstruction**"), "the notice")
        for section in sections { XCTAssertTrue(result.stdout.contains(section), "\(name): missing '\(section)'") }
        XCTAssertTrue(result.stdout.contains("\(figures) of \(figures) figures match."), result.stdout)
        XCTAssertFalse(result.stdout.contains("NaN"), "\(name) printed NaN")
        XCTAssertTrue(result.stderr.isEmpty || !result.stderr.contains("cohort "), "\(name): a command complained: \(result.stderr)")
        let tables = result.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("|:---") || $0.hasPrefix("|---") }
        XCTAssertGreaterThanOrEqual(tables.count, 8, "\(name): Markdown tables")
    }

    func testJohnsrudNotebook() throws {
        try check("johnsrud2021", sections: ["## 2. The cohort", "## 3. Incidence", "## 4. Univariable tests",
                                             "Logistic regression (maximum likelihood)", "Firth", "BCa bootstrap",
                                             "## 6. Cumulative incidence", "Gray's test, bleeding"], figures: 64)
    }

    func testNCTNotebook() throws {
        try check("nct02965092", sections: ["## 2. The cohort", "Chi-squared Test for Trend in Proportions",
                                            "Spearman's rank correlation", "Firth"], figures: 10)
    }
}

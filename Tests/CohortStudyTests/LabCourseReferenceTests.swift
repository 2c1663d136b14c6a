import CohortData
import CohortReport
import CohortStats
import CohortStudy
import CohortTestSupport
import Foundation
import XCTest

/// `cohort labs` (issue 15) on the linked-table fixture (Tests/Fixtures/linked: 60 SYNTHETIC
/// patients, 650 unsorted irregular draws with repeated days and missing values) against base R
/// (Tests/References/lab_course_references.R): per-day n and type-7 quartiles of the patients' daily
/// means, by group and overall; each patient's nadir and peak by group with wilcox.test's P.
final class LabCourseReferenceTests: XCTestCase {
    func loadFixture() throws -> DataTable {
        let loaded = try CohortLoader.load(path: Fixtures.path("linked/patients.csv"), codebookPath: Fixtures.path("linked/codebook.yaml"))
        XCTAssertTrue(loaded.report.isValid, loaded.report.failureSummary)
        return loaded.table
    }

    func reference(_ name: String, text: [String]) throws -> DataTable {
        try CSVReader.read(path: Fixtures.path("linked/\(name)"), options: CSVOptions(textColumns: Set(text)))
    }

    func numbers(_ table: DataTable, _ name: String) throws -> [Double] {
        guard case .numeric(let values) = try table.column(named: name).storage else { throw XCTSkip("\(name) is not numeric") }
        return values
    }

    func texts(_ table: DataTable, _ name: String) throws -> [String] {
        let column = try table.column(named: name)
        return (0..<table.rowCount).map { column.displayValue($0) }
    }

    /// Each patient's group (A = 0, B = 1) as the request derives it from the `group` column.
    func groups(_ table: DataTable) throws -> [Int] {
        let column = try table.column(named: "group")
        return (0..<table.rowCount).map { column.displayValue($0) == "A" ? 0 : column.displayValue($0) == "B" ? 1 : -1 }
    }

    /// Means of up to three draws summed in file order (ours) or by R's two-pass mean: equal to a few
    /// ulps, so 1e-12 relative; n exact.
    func testPerDayQuartilesMatchRsQuantileType7() throws {
        let table = try loadFixture()
        let labs = table.linkedTables[0]
        let expected = try reference("course_expected.csv", text: ["lab", "group"])
        let (labNames, groupNames) = (try texts(expected, "lab"), try texts(expected, "group"))
        let (days, n) = (try numbers(expected, "day"), try numbers(expected, "n"))
        let (median, q1, q3) = (try numbers(expected, "median"), try numbers(expected, "q1"), try numbers(expected, "q3"))
        var compared = 0
        for lab in ["platelets", "fibrinogen"] {
            guard let values = labs.column(named: lab)?.numbers else { return XCTFail(lab) }
            let daily = labs.dailyMeans(of: values, days: 0...28)
            let overall = LabCourse(patient: daily.patient, day: daily.day, value: daily.value, patientCount: table.rowCount, groupOfPatient: nil, labels: [])
            let byGroup = LabCourse(patient: daily.patient, day: daily.day, value: daily.value, patientCount: table.rowCount,
                                    groupOfPatient: try groups(table), labels: ["A", "B"])
            for (name, group) in [("all", overall.groups[0]), ("A", byGroup.groups[0]), ("B", byGroup.groups[1])] {
                let rows = expected.lineNumbers.indices.filter { labNames[$0] == lab && groupNames[$0] == name }
                XCTAssertEqual(group.days.map(\.day), rows.map { days[$0] }, "\(lab) \(name): the days with a value")
                for (day, r) in zip(group.days, rows) {
                    let what = "\(lab) \(name) day \(NumberText.shortest(day.day))"
                    XCTAssertEqual(day.summary.n, Int(n[r]), what)
                    assertClose(day.summary.median ?? .nan, median[r], relative: 1e-12, "\(what) median")
                    assertClose(day.summary.lowerQuartile ?? .nan, q1[r], relative: 1e-12, "\(what) Q1")
                    assertClose(day.summary.upperQuartile ?? .nan, q3[r], relative: 1e-12, "\(what) Q3")
                    compared += 1
                }
            }
        }
        XCTAssertEqual(compared, expected.rowCount, "every reference row compared")
    }

    /// Nadir and peak are the window summaries the codebook derives (exact), their quartiles R's
    /// (exact: order statistics of draws), and the rank-sum P R's wilcox.test with its defaults (the
    /// normal approximation with continuity correction, the values having ties) to 1e-12.
    func testNadirAndPeakByGroupMatchRsWilcoxTest() throws {
        let table = try loadFixture()
        let labs = table.linkedTables[0]
        let expected = try reference("extremes_expected.csv", text: ["lab", "summary", "group", "method"])
        let (labNames, summaries, groupNames, methods) = (try texts(expected, "lab"), try texts(expected, "summary"), try texts(expected, "group"), try texts(expected, "method"))
        let (n, missing, median, q1, q3, p) = (try numbers(expected, "n"), try numbers(expected, "missing"), try numbers(expected, "median"),
                                               try numbers(expected, "q1"), try numbers(expected, "q3"), try numbers(expected, "p"))
        for r in 0..<expected.rowCount {
            guard let values = labs.column(named: labNames[r])?.numbers, let summary = WindowSummary(rawValue: summaries[r]) else {
                return XCTFail("row \(r + 2)")
            }
            let result = GroupedMeasurement(values: labs.windowSummary(summary, of: values, days: 0...28), groupOfPatient: try groups(table), labels: ["A", "B"])
            let group = result.groups[groupNames[r] == "A" ? 0 : 1].summary
            let what = "\(labNames[r]) \(summaries[r]) \(groupNames[r])"
            XCTAssertEqual(group.n, Int(n[r]), what)
            XCTAssertEqual(group.missing, Int(missing[r]), what)
            XCTAssertEqual(group.median, median[r], what)
            XCTAssertEqual(group.lowerQuartile, q1[r], what)
            XCTAssertEqual(group.upperQuartile, q3[r], what)
            assertClose(result.test?.pValue ?? .nan, p[r], relative: 1e-12, "\(what) P")
            XCTAssertEqual(result.test?.method, methods[r], what)
        }
    }

    /// The nadir a lab table reports is the codebook's derived `min(labs.platelets, days = 0...28)`:
    /// one implementation of a window summary.
    func testTheNadirIsTheCodebooksDerivedMinimum() throws {
        let table = try loadFixture()
        let labs = table.linkedTables[0]
        guard let values = labs.column(named: "platelets")?.numbers else { return XCTFail("platelets") }
        let nadir = labs.windowSummary(.min, of: values, days: 0...28)
        let derived = try numbers(table, "plt_min_0_28")
        XCTAssertEqual(nadir.map { $0.isNaN ? nil : $0 }, derived.map { $0.isNaN ? nil : $0 })
    }

    /// Three groups: Kruskal-Wallis, named; a group without any value is left out of the test.
    func testThreeGroupsUseKruskalWallisAndEmptyGroupsAreLeftOut() {
        let values = [1, 2, 3, 4, 5, 6, 7, 8, 9, .nan, .nan]
        let three = GroupedMeasurement(values: values, groupOfPatient: [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3], labels: ["a", "b", "c", "d"])
        XCTAssertEqual(three.test?.method, "Kruskal-Wallis rank sum test")
        // kruskal.test(1:9, rep(1:3, each = 3)): H = 7.2, P = exp(-3.6).
        assertClose(three.test?.statistic ?? .nan, 7.2, relative: 1e-12, "H")
        assertClose(three.test?.pValue ?? .nan, 0.027323722447292521, relative: 1e-12, "P")
        XCTAssertEqual(three.groups[3].summary.n, 0)
        XCTAssertEqual(three.groups[3].summary.missing, 2)
        let alone = GroupedMeasurement(values: [1, 2, .nan], groupOfPatient: [0, 0, 1], labels: ["a", "b"])
        XCTAssertNil(alone.test)
        XCTAssertEqual(alone.testProblem, "fewer than two groups have a value")
    }

    /// Several draws a day count once (their mean); a patient without a value in the window has no
    /// course; courses hold days and values only.
    func testEachPatientCountsOnceADay() throws {
        let table = try loadFixture()
        let labs = table.linkedTables[0]
        guard let values = labs.column(named: "platelets")?.numbers else { return XCTFail("platelets") }
        let daily = labs.dailyMeans(of: values, days: 0...28)
        var seen = Set<String>()
        for (p, d) in zip(daily.patient, daily.day) { XCTAssertTrue(seen.insert("\(p)/\(d)").inserted, "patient \(p) day \(d) twice") }
        XCTAssertGreaterThan(daily.daysAveraged, 0, "the fixture has days with several draws")
        XCTAssertGreaterThan(daily.draws, daily.value.count)
        let course = LabCourse(patient: daily.patient, day: daily.day, value: daily.value, patientCount: table.rowCount, groupOfPatient: nil, labels: [])
        XCTAssertEqual(course.groups[0].patientsWithValues, Set(daily.patient).count)
        XCTAssertEqual(course.groups[0].courses.map(\.count).reduce(0, +), daily.value.count)
    }
}

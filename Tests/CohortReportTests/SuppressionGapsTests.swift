import CohortData
import CohortReport
import CohortStats
import XCTest

/// Issue 13, privacy under `--suppress-below K`: what the builders printed before that let a reader
/// recover a hidden count or a single patient's value. Each test fails on the builders as they were.
final class SuppressionGapsTests: XCTestCase {
    let k3 = NumberStyle(suppression: Suppression(below: 3))

    func table(_ text: String) throws -> DataTable {
        try CSVReader.read(bytes: Array(text.utf8), source: "hand.csv")
    }

    /// "<3", "≥3": a cell the rule hid.
    func hidden(_ cell: String) -> Bool { cell.hasPrefix("<") || cell.hasPrefix("≥") }

    /// The cells of the row whose first cell is `label`.
    func row(_ table: ReportTable, _ label: String) throws -> [String] {
        try XCTUnwrap(table.rows.first { $0[0] == label }, "no row \(label)")
    }

    func groupedData() throws -> DataTable { try table(groupedDataText()) }

    func describe(_ data: DataTable, _ variables: [String], style: NumberStyle) throws -> ReportTable {
        DescriptionTable.make(try CohortDescription.describe(table: data, variables: variables, by: "g"), style: style)
    }

    /// Gap 1: the extremes are single patients' values, whatever the n: withheld with a note
    /// (dates, which need a codebook, in `SuppressionGapsCommandTests`).
    func testIssue13_extremesAreWithheldUnderSuppression() throws {
        let data = try groupedData()
        let plain = try describe(data, ["age"], style: .standard)
        XCTAssertEqual(try row(plain, "  min–max")[1], "41–61")
        let shared = try describe(data, ["age"], style: k3)
        XCTAssertEqual(Array(try row(shared, "  min–max")[1...4]), ["—", "—", "—", "—"])
        XCTAssertTrue(shared.notes.contains { $0.contains("min–max (first–last for dates) is not shown") }, "\(shared.notes)")
        XCTAssertFalse(plain.notes.contains { $0.contains("min–max") && $0.contains("not shown") })
    }

    /// Gap 2: a P value whose table has a hidden cell is withheld (exact tests pin it from the
    /// margins); one whose table hides nothing is kept.
    func testIssue13_pValueOfATableWithAHiddenCellIsWithheld() throws {
        // Two groups only (C left out), so that z's table hides nothing.
        let lines = groupedDataText().split(separator: "\n").filter { !$0.hasPrefix("C,") }
        let data = try table(lines.joined(separator: "\n") + "\n")
        let plain = try describe(data, ["x", "z"], style: .standard)
        let p = try XCTUnwrap(plain.columns.firstIndex { $0.key == "p" })
        XCTAssertNotEqual(try row(plain, "x, n (%)")[p], "")
        let shared = try describe(data, ["x", "z"], style: k3)
        XCTAssertTrue(try row(shared, "  n").contains { hidden($0) })
        XCTAssertEqual(try row(shared, "x, n (%)")[p], "—", "x's table hides A's n = 1")
        XCTAssertEqual(try row(shared, "z, n (%)")[p], try row(plain, "z, n (%)")[p], "z's table hides nothing")
        XCTAssertTrue(shared.notes.contains { $0.contains("a P value is shown as — when its test's table has a hidden count") })

        let (event, comparisons) = try OutcomeComparison.compare(table: data, outcome: "x", eventLevel: "n", factors: ["g", "z"])
        let compare = ComparisonTable.make(outcome: "x", eventLabel: event, source: "hand.csv", comparisons: comparisons, style: k3)
        let compareP = try XCTUnwrap(compare.columns.firstIndex { $0.key == "p" })
        XCTAssertEqual(compare.rows[0][compareP], "—", "g's table holds A's 1 event: \(compare.rows)")
        let z = try XCTUnwrap(compare.rows.first { $0[0] == "z" })
        XCTAssertNotEqual(z[compareP], "—")
        XCTAssertTrue(compare.notes.contains { $0.contains("a P value is shown as —") })
    }

    /// Rows in groups A (10), B (10), C (2): age a measurement (one missing in A), day a date,
    /// x a category with one "n" in A, w a category with one missing in B, z a category of even cells.
    func groupedDataText() -> String {
        var lines = ["g,age,day,x,w,z"]
        for i in 0..<10 { lines.append("A,\(i == 0 ? "" : String(40 + i)),2021-01-\(10 + i),\(i == 0 ? "n" : "y"),\(i < 5 ? "p" : "q"),\(i < 5 ? "s" : "t")") }
        for i in 0..<10 { lines.append("B,\(50 + i),2021-02-\(10 + i),\(i < 5 ? "n" : "y"),\(i == 0 ? "" : i < 5 ? "p" : "q"),\(i < 5 ? "s" : "t")") }
        for i in 0..<2 { lines.append("C,\(60 + i),2021-03-1\(i),y,p,s") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Gap 3, Table 1: a missing count of 1 is hidden, and n with it (n + missing = the group's N);
    /// the rows without a group value in the preamble too, with a group's N to protect it.
    func testIssue13_table1MissingCountsAndRowsWithoutGroup() throws {
        let shared = try describe(try groupedData(), ["age"], style: k3)
        let counts = try row(shared, "  n (missing)")
        XCTAssertEqual(counts[1], "≥3 (<3)", "overall: 21 (1) gives the missing 1 away: \(counts)")
        XCTAssertEqual(counts[2], "≥3 (<3)", "A: 9 (1): \(counts)")

        // Groups A and B of 10 and one row without a group value.
        let lines = groupedDataText().split(separator: "\n").filter { !$0.hasPrefix("C,") } + [",50,2021-04-01,y,p,s"]
        let withoutGroup = try table(lines.joined(separator: "\n") + "\n")
        let description = try CohortDescription.describe(table: withoutGroup, variables: ["z"], by: "g")
        XCTAssertEqual(description.rowsWithoutGroup, 1)
        let plain = DescriptionTable.make(description)
        XCTAssertTrue(plain.preamble.contains { $0.hasPrefix("1 row without a g value") }, "\(plain.preamble)")
        let table = DescriptionTable.make(description, style: k3)
        XCTAssertTrue(table.preamble.contains { $0.hasPrefix("<3 rows without a g value") }, "\(table.preamble)")
        // N 21 = A + B + the hidden 1: A's or B's N is hidden, else the 1 comes back.
        let headers = table.columns.map(\.header)
        XCTAssertEqual(headers.filter { $0.contains("N ≥ 3") }.count, 1, "\(headers)")
    }

    /// Gap 3, incidence and compare: a dropped count of 1 is hidden, and an n with it (the data's N
    /// less the n used gives it back).
    func testIssue13_droppedRowsInIncidenceAndCompare() throws {
        var text = "y,g\n"
        for i in 0..<20 { text += "\(i % 2),\(i < 10 ? "A" : "B")\n" }
        text += ",A\n"
        let data = try table(text)
        let result = try Incidence.compute(table: data, outcome: "y", eventLevel: "1", group: "g")
        XCTAssertEqual(result.nDropped, 1)
        XCTAssertTrue(IncidenceTable.make(result).preamble[0].contains("1 row dropped"))
        let incidence = IncidenceTable.make(result, style: k3)
        XCTAssertTrue(incidence.preamble[0].contains("<3 rows dropped"), incidence.preamble[0])
        XCTAssertTrue(incidence.rows.contains { hidden($0[2]) }, "Σ n = 20 and N = 21 give the 1 back: \(incidence.rows)")

        let overall = IncidenceTable.make(try Incidence.compute(table: data, outcome: "y", eventLevel: "1"), style: k3)
        XCTAssertTrue(overall.preamble[0].contains("<3 rows dropped"), overall.preamble[0])
        XCTAssertTrue(hidden(overall.rows[0][1]), "\(overall.rows)")

        let (event, comparisons) = try OutcomeComparison.compare(table: data, outcome: "y", eventLevel: "1", factors: ["g"])
        let compare = ComparisonTable.make(outcome: "y", eventLabel: event, source: "hand.csv", comparisons: comparisons, style: k3)
        XCTAssertTrue(compare.notes.contains("g: <3 rows dropped for a missing outcome or factor value."), "\(compare.notes)")
        XCTAssertTrue(compare.rows.contains { $0[2].contains("/≥3") }, "\(compare.rows)")
    }

    /// Gap 3, logit: n used and dropped add up to the data's N; a dropped 1 is hidden with n used.
    func testIssue13_logitPreambleHidesASmallDroppedCount() throws {
        var text = "y,x\n"
        for i in 0..<40 { text += "\(i % 2),\(i % 4 < 2 ? 0 : 1)\n" }
        text += "1,\n"
        let model = try LogisticModel(table: try table(text), outcome: "y", covariates: ["x"])
        try k3.suppression.check(model)
        let analysis = try LogisticAnalysis.run(model, options: .maximumLikelihood)
        XCTAssertEqual(CoefficientTable.make(analysis).preamble[1], "n = 40 used, 1 dropped for missing values; events = 20")
        let table = CoefficientTable.make(analysis, style: k3)
        XCTAssertEqual(table.preamble[1], "n = ≥3 used, <3 dropped for missing values; events = 20")
        XCTAssertTrue(table.notes.contains { $0.hasPrefix("Small-cell suppression") })
        let diagnostics = ModelDiagnosticsTable.make(analysis.fit, style: k3).rows
        XCTAssertEqual(diagnostics.first { $0[0] == "n used" }?[1], "≥3")
        XCTAssertEqual(diagnostics.first { $0[0] == "n dropped (missing values)" }?[1], "<3")
    }

    /// Gap 3, event types: the events total hidden (the cohort less it gives the 1 patient without
    /// an event) is hidden in the header too.
    func testIssue13_eventTypesHeaderFollowsTheEventsTotal() {
        let counts = EventTypeCounts(source: "hand", column: "site", label: nil, cohortSize: 12, events: 11, types: [("a", 1), ("b", 10)])
        let table = EventTypesTable.make(counts, style: k3)
        XCTAssertEqual(table.rows.last?[1], "≥3")
        XCTAssertEqual(table.columns[2].header, "% of events (N = ≥3)")
    }

    /// Gap 4: Table 1 lets no hidden count be worked out through a percentage (its denominator
    /// holds a hidden missing count), a group's N in the header, or a difference of totals.
    func testIssue13_table1LeaksNoHiddenCount() throws {
        let shared = try describe(try groupedData(), ["x", "w"], style: k3)
        let headers = shared.columns.map(\.header)
        // Group N: C's 2 hidden, and A's or B's N with it (22 − A − B = C).
        XCTAssertTrue(headers.contains("C (N < 3)"), "\(headers)")
        XCTAssertEqual(headers.filter { $0.contains("(N ≥ 3)") }.count, 1, "\(headers)")
        // Difference of totals: overall n − B − C = A's 1, so a second cell of the row is hidden.
        let n = try row(shared, "  n")
        XCTAssertEqual(n[2], "<3")
        XCTAssertGreaterThanOrEqual(n[1...4].filter(hidden).count, 2, "\(n)")
        // Percentage: B's w has one missing; p's % of B's 9 with B's N gives the missing back.
        let missing = try row(shared, "  missing")
        XCTAssertEqual(missing[3], "<3")
        for label in ["  p", "  q"] {
            let cells = try row(shared, label)
            XCTAssertFalse(cells[3].contains("%"), "\(cells)")
        }
        // No shown cell of a column whose N is hidden carries a percentage (N − missing is its denominator).
        for (c, header) in headers.enumerated() where header.contains("N ≥") || header.contains("N <") {
            for r in shared.rows { XCTAssertFalse(r[c].contains("%"), "\(header): \(r)") }
        }
    }
}

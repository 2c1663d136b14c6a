@testable import CohortReport
import CohortData
import CohortStats
import Foundation
import XCTest

/// Issue 13, typed cells: numbers stay numbers until a renderer formats them; JSON has one schema
/// with and without suppression; CSV carries numbers.
final class TableCellTests: XCTestCase {
    let counts = EventTypeCounts(source: "hand-made", column: "site", label: nil, cohortSize: 40, events: 10,
                                 types: [("a", 6), ("b", 3), ("c", 0), ("d", 1)])

    func json(_ table: ReportTable) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(TableFormat.json.render(table).utf8)) as? [String: Any])
    }

    /// The keys of every cell, by column: what a program reading the JSON relies on.
    func schema(_ object: [String: Any]) throws -> [[String: Set<String>]] {
        let rows = try XCTUnwrap(object["rows"] as? [[String: [String: Any]]])
        return rows.map { $0.mapValues { Set($0.keys) } }
    }

    /// Eight bytes a cell, no reference (a Table 1 of 300,000 columns has millions of them).
    func testCellIsCompact() {
        XCTAssertEqual(MemoryLayout<TableCell>.stride, 8)
    }

    func testJSONHasOneSchemaWithAndWithoutSuppression() throws {
        let plain = try json(EventTypesTable.make(counts))
        let shared = try json(EventTypesTable.make(counts, style: NumberStyle(suppression: Suppression(below: 3))))
        XCTAssertEqual(try schema(plain), try schema(shared))
        XCTAssertTrue(plain["suppressBelow"] is NSNull)
        XCTAssertEqual(shared["suppressBelow"] as? Int, 3)
        let rows = try XCTUnwrap(shared["rows"] as? [[String: [String: Any]]])
        // d = 1 is hidden, a = 6 with it (secondary): kinds and keys kept, numbers null.
        XCTAssertEqual(rows[3]["n"]?["kind"] as? String, "count")
        XCTAssertEqual(rows[3]["n"]?["text"] as? String, "<3")
        XCTAssertEqual(rows[3]["n"]?["suppressed"] as? Bool, true)
        XCTAssertTrue(rows[3]["n"]?["value"] is NSNull)
        XCTAssertEqual(rows[0]["n"]?["text"] as? String, "≥3")
        XCTAssertTrue(rows[0]["percentOfEvents"]?["value"] is NSNull)
        XCTAssertEqual(rows[0]["percentOfEvents"]?["suppressed"] as? Bool, true)
        // Shown cells carry the unrounded numbers.
        XCTAssertEqual(rows[1]["n"]?["value"] as? Int, 3)
        XCTAssertEqual(rows[1]["percentOfCohort"]?["value"] as? Double, 3.0 / 40)
        XCTAssertEqual(rows[1]["percentOfCohort"]?["text"] as? String, "7.5")
    }

    /// Every kind's keys are the same whether its cell is shown or hidden.
    func testEveryKindKeepsItsKeysWhenSuppressed() throws {
        let values: [(CellValue, CellValue)] = [
            (.count(4), .count(1, .small)),
            (.percent(0.5), .percent(0.5, .withheld)),
            (.percentInterval(0.1, 0.2), .percentInterval(0.1, 0.2, .withheld)),
            (.countPercent(4, 0.4), .countPercent(1, 0.1, count: .small)),
            (.eventsOfN(2, 10), .eventsOfN(1, 10, events: .small)),
            (.countMissing(9, 0), .countMissing(9, 1, n: .secondary, missing: .small)),
            (.number(1.5), .number(1.5, .withheld)),
            (.pValue(0.02), .pValue(0.02, .withheld)),
            (.interval(1, 2), .interval(1, 2, .withheld)),
            (.meanSD(1, 2, whole: false), .meanSD(1, 2, whole: false, .withheld)),
            (.medianIQR(1, 0, 2, whole: true), .medianIQR(1, 0, 2, whole: true, .withheld)),
            (.range(1, 2, whole: true), .range(1, 2, whole: true, .withheld)),
            (.countDistinct(5, 4), .countDistinct(1, 1, .small)),
            (.dateRange(18_000, 18_100), .dateRange(18_000, 18_100, .withheld)),
            (.figure(0.094, printed: "9.4%"), .figure(0.094, printed: "9.4%", .withheld)),
        ]
        let columns = [ReportTable.Column(key: "shown", header: "shown"), .init(key: "hidden", header: "hidden")]
        let table = ReportTable(columns: columns, rows: values.map { [$0.0, $0.1] }, style: NumberStyle(suppression: Suppression(below: 3)))
        let rows = try XCTUnwrap(try json(table)["rows"] as? [[String: [String: Any]]])
        XCTAssertEqual(Set(TableCell.Kind.allCases.map { "\($0)" }).subtracting(["empty", "text"]),
                       Set(rows.compactMap { $0["shown"]?["kind"] as? String }), "every numeric kind is checked")
        for row in rows {
            let shown = try XCTUnwrap(row["shown"]), hidden = try XCTUnwrap(row["hidden"])
            XCTAssertEqual(Set(shown.keys), Set(hidden.keys), "\(shown)")
            XCTAssertEqual(shown["suppressed"] as? Bool, false)
            XCTAssertEqual(hidden["suppressed"] as? Bool, true, "\(hidden)")
        }
        XCTAssertEqual(table.rows.map { $0[1] }, ["<3", "—", "—", "<3", "<3/10 (—)", "≥3 (<3)", "—", "—", "—", "—", "—", "—", "<3", "—", "—"])
        XCTAssertEqual(table.rows.map { $0[0] }, ["4", "50.0", "10.0–20.0", "4 (40.0%)", "2/10 (20.0%)", "9 (0)", "1.500", "0.020", "1.000, 2.000",
                                                  "1.00 (2.00)", "1 [0–2]", "1–2", "5 (4)", "2019-04-14 to 2019-07-23", "9.4%"])
    }

    /// The time-to-event and reproduction tables' cells (issue 13): percentages to the builder's
    /// decimals rounded as C's printf (9/16 = 56.25% prints 56.2 where the style's rule gives
    /// 56.3), a day in its shortest form, a figure as printed over its number; CSV and JSON carry
    /// the numbers.
    func testFixedPercentShortestNumberAndFigure() throws {
        let columns = ["day", "estimate", "se", "ci", "computed"].map { ReportTable.Column(key: $0, header: $0) }
        let table = ReportTable(columns: columns, rows: [
            [.exactNumber(7.5), .fixedPercent(9.0 / 16, decimals: 1), .fixedPercent(0.0123456, decimals: 2),
             .fixedPercentInterval(0.1, 0.25, decimals: 1), .figure(12.0 / 127, printed: "9.4%")],
            [.exactNumber(365), .fixedPercent(.nan, decimals: 1), .fixedPercent(.nan, decimals: 2),
             .fixedPercentInterval(.nan, .nan, decimals: 1), .text("not computed: no such column")],
        ], style: NumberStyle(percentDecimals: 0))
        XCTAssertEqual(table.rows, [["7.5", "56.2", "1.23", "10.0–25.0", "9.4%"], ["365", "—", "—", "—", "not computed: no such column"]])
        XCTAssertEqual(TableFormat.csv.render(table), """
            day,estimate,se,ciLower,ciUpper,computed
            7.5,56.2,1.23,10.0,25.0,\(NumberText.shortest(12.0 / 127))
            365,,,,,not computed: no such column

            """)
        let rows = try XCTUnwrap(try json(table)["rows"] as? [[String: [String: Any]]])
        XCTAssertEqual(rows[0]["day"]?["kind"] as? String, "number")
        XCTAssertEqual(rows[0]["day"]?["value"] as? Double, 7.5)
        XCTAssertEqual(rows[0]["estimate"]?["kind"] as? String, "percent")
        XCTAssertEqual(rows[0]["estimate"]?["value"] as? Double, 9.0 / 16)
        XCTAssertEqual(rows[0]["computed"]?["kind"] as? String, "figure")
        // Foundation's JSON reader may miss the last bit; the CSV above shows the written digits.
        XCTAssertEqual(try XCTUnwrap(rows[0]["computed"]?["value"] as? Double), 12.0 / 127, accuracy: 1e-16)
        XCTAssertEqual(rows[0]["computed"]?["text"] as? String, "9.4%")
        XCTAssertTrue(rows[1]["ci"]?["lower"] is NSNull)
    }

    /// CSV: counts and percentages as numbers, an interval as two columns, a hidden cell empty and
    /// named in the `suppressed` column.
    func testCSVCarriesNumbersAndMarksHiddenCells() throws {
        var text = "y,g\n"
        for i in 0..<20 { text += "\(i == 0 ? 1 : 0),A\n" }
        for i in 0..<20 { text += "\(i % 2),B\n" }
        let result = try Incidence.compute(table: try CSVReader.read(bytes: Array(text.utf8), source: "hand.csv"), outcome: "y", eventLevel: "1", group: "g")
        let plain = TableFormat.csv.render(IncidenceTable.make(result)).split(separator: "\n")
        XCTAssertEqual(plain[0], "group,events,n,percent,ciLower,ciUpper")
        XCTAssertEqual(plain[1], "A,1,20,5.0,0.1,24.9")
        let shared = TableFormat.csv.render(IncidenceTable.make(result, style: NumberStyle(suppression: Suppression(below: 3)))).split(separator: "\n")
        XCTAssertEqual(shared[0], "group,events,n,percent,ciLower,ciUpper,suppressed")
        XCTAssertEqual(shared[1], "A,,20,,,,events;percent;ci")
    }
}

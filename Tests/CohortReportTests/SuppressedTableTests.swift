import CohortReport
import XCTest

/// Suppression as the builders apply it, on a hand-made event-types table (counts 6, 3, 0, 1 of 10
/// events in a cohort of 40).
final class SuppressedTableTests: XCTestCase {
    let counts = EventTypeCounts(source: "hand-made", column: "site", label: nil, cohortSize: 40, events: 10,
                                 types: [("a", 6), ("b", 3), ("c", 0), ("d", 1)])

    func rows(_ k: Int) -> [[String]] {
        EventTypesTable.make(counts, style: NumberStyle(suppression: Suppression(below: k))).rows
    }

    /// K = 1 changes nothing.
    func testThresholdOneIsTheUnsuppressedTable() {
        XCTAssertEqual(rows(1), EventTypesTable.make(counts).rows)
        XCTAssertEqual(rows(1)[0], ["a", "6", "60.0", "15.0"])
    }

    /// K = 3: d = 1 is hidden; the events total 10 would give it back (10 − 6 − 3 − 0). Hiding the
    /// smallest cell b = 3 would not do: b ≥ 3 and b + d = 4 force b = 3, d = 1. So a = 6 is hidden
    /// (a ≥ 3, a + d = 7 leaves d = 1 or 2); the zero stays with its percentages.
    func testSecondaryCellAndZero() {
        let table = rows(3)
        XCTAssertEqual(table[3], ["d", "<3", "—", "—"])
        XCTAssertEqual(table[0], ["a", "≥3", "—", "—"])
        XCTAssertEqual(table[2], ["c", "0", "0.0", "0.0"])
        XCTAssertEqual(table[1], ["b", "3", "30.0", "7.5"])
    }

    /// K = 5: b = 3 and d = 1 are both small; their sum 4 allows 3+1, 2+2, 1+3: no third cell.
    func testTwoSmallCellsNeedNothingMore() {
        let table = rows(5)
        XCTAssertEqual(table.map { $0[1] }, ["6", "<5", "0", "<5", "10"])
    }

    /// No printed percentage of a hidden count, in any K: each shown % must belong to a shown count.
    func testPercentagesNeverAccompanyAHiddenCount() {
        var checked = 0
        for k in [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] {
            for row in rows(k) where row[1].hasPrefix("<") || row[1].hasPrefix("≥") {
                XCTAssertEqual(row[2], "—", "K = \(k), \(row)")
                XCTAssertEqual(row[3], "—", "K = \(k), \(row)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 10)
    }

    /// K = 2 cannot protect a 1 (the label says it): only relabelled, no cascade of hidden cells.
    func testThresholdTwoOnlyRelabels() {
        XCTAssertEqual(rows(2).map { $0[1] }, ["6", "3", "0", "<2", "10"])
    }

    func testPercentDecimalsAndJournalStyle() {
        var style = NumberStyle.journal
        style.percentDecimals = 0
        XCTAssertEqual(EventTypesTable.make(counts, style: style).rows[0], ["a", "6", "60", "15"])
        XCTAssertEqual(style.pValue(0.0083), ".01")
        XCTAssertEqual(NumberStyle.standard.pValue(0.0083), "0.008")
    }
}

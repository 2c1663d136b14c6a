import CohortReport
import XCTest

/// The small-cell rule (`Suppression`) on hand-made tables whose answer is worked out by hand.
final class SuppressionTests: XCTestCase {
    let k5 = Suppression(below: 5)

    /// A row 3 | 10 | 20 with its total 33 shown: 3 is small; 33 − 10 − 20 would give it back,
    /// so the next smallest non-zero cell (10) is hidden too; 20 stays.
    func testOneSmallCellInARowWithATotalHidesTheNextSmallest() {
        let cells = [3, 10, 20, 33].map { Suppression.Cell($0) }
        let (status, unprotectable) = k5.statuses(cells, constraints: [.init(parts: [0, 1, 2], total: 3)])
        XCTAssertEqual(status, [.small, .secondary, .shown, .shown])
        XCTAssertEqual(unprotectable, [])
        XCTAssertEqual(k5.text(3, status[0]), "<5")
        XCTAssertEqual(k5.text(10, status[1]), "≥5")
    }

    /// 2 | 3 | 20 (total 25): the two small cells protect each other (sum 5: 1+4, 2+3, ...).
    func testTwoSmallCellsProtectEachOther() {
        let cells = [2, 3, 20, 25].map { Suppression.Cell($0) }
        let (status, _) = k5.statuses(cells, constraints: [.init(parts: [0, 1, 2], total: 3)])
        XCTAssertEqual(status, [.small, .small, .shown, .shown])
    }

    /// 1 | 1 | 20 (total 22): two `<5` cells summing to 2 are both 1, so one more cell is hidden.
    func testTwoSmallCellsWhoseSumPinsThemGetAThird() {
        let cells = [1, 1, 20, 8, 30].map { Suppression.Cell($0) }
        let (status, _) = k5.statuses(cells, constraints: [.init(parts: [0, 1, 2, 3], total: 4)])
        XCTAssertEqual(status, [.small, .small, .shown, .secondary, .shown])
    }

    func testThresholdOneHidesNothing() {
        let cells = [1, 2, 0, 3].map { Suppression.Cell($0) }
        let rule = Suppression(below: 1)
        let (status, _) = rule.statuses(cells, constraints: [.init(parts: [0, 1, 2], total: 3)])
        XCTAssertEqual(status, [.shown, .shown, .shown, .shown])
        XCTAssertNil(rule.note(status))
    }

    /// Zeros are shown and never chosen as the secondary cell (hiding a zero protects nothing).
    func testZerosStayAndAreNotChosenAsSecondary() {
        let cells = [0, 3, 0, 12, 15].map { Suppression.Cell($0) }
        let (status, _) = k5.statuses(cells, constraints: [.init(parts: [0, 1, 2, 3], total: 4)])
        XCTAssertEqual(status, [.shown, .small, .shown, .secondary, .shown])
    }

    /// Events 38 of n 40: the two non-events (never printed) follow from n − events, so the
    /// events count is hidden; its percentage must go too (the builder prints it only when shown).
    func testAnUnprintedSmallComplementHidesTheShownCount() {
        let cells = [Suppression.Cell(38), .init(2, printed: false), .init(40)]
        let (status, _) = k5.statuses(cells, constraints: [.init(parts: [0, 1], total: 2)])
        XCTAssertEqual(status[0], .secondary)
        XCTAssertEqual(status[2], .shown)
    }

    /// A 2 × 2 grid with margins (levels × groups, overall column as the row total): one small cell
    /// needs a partner in its row and in its column, and the partner's own row and column then
    /// need one too (the classic four-cell pattern).
    func testGridSuppressionHidesARectangle() {
        // rows: level A, level B; columns: overall, group 1, group 2 (cells row-major).
        let counts = [10, 2, 8, 30, 12, 18]
        let cells = counts.map { Suppression.Cell($0) }
        let constraints: [Suppression.Constraint] = [
            .init(parts: [0, 3]), .init(parts: [1, 4]), .init(parts: [2, 5]),  // column totals (group N)
            .init(parts: [1, 2], total: 0), .init(parts: [4, 5], total: 3),    // groups add up to overall
        ]
        let (status, unprotectable) = k5.statuses(cells, constraints: constraints)
        XCTAssertEqual(status[1], .small)
        XCTAssertEqual(unprotectable, [])
        // Greedy: 8 (row partner), then the overall 10 and 12 (column partner), then 18, whose row
        // (12 + 18 = 30) would otherwise give 12 and hence 2 back. The overall is hidden needlessly
        // (it is 40 − 30 anyway): the rule is safe, not minimal.
        XCTAssertEqual(status, [.secondary, .small, .secondary, .shown, .secondary, .secondary])
        // Every value 1...4 of the small cell completes the table consistently with what is shown
        // (c2 = 10 − v, c4 = 14 − v, c5 = 16 + v), so it cannot be recovered.
        var completions = 0
        for v in 1...4 {
            let t = [10, v, 10 - v, 30, 14 - v, 16 + v]
            let shownAgree = status.indices.allSatisfy { status[$0] != .shown || t[$0] == counts[$0] }
            let marksAgree = status.indices.allSatisfy { status[$0] != .secondary || t[$0] >= 5 }
            if shownAgree, marksAgree, t[0] + t[3] == 40, t[1] + t[4] == 14, t[2] + t[5] == 26, t[1] + t[2] == t[0], t[4] + t[5] == t[3] {
                completions += 1
            }
        }
        XCTAssertEqual(completions, 4)
    }

    func testNoteStatesTheRule() {
        let note = k5.note([.small, .secondary, .shown])
        XCTAssertEqual(note, "Small-cell suppression: counts of 1–4 are shown as <5 (zeros are shown); cells shown as ≥5 were hidden as well because a total would otherwise reveal a <5 count by subtraction; percentages and intervals of hidden counts are not shown.")
    }
}

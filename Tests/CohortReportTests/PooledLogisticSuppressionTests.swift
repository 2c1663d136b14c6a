@testable import CohortReport
import CohortData
import CohortStats
import Foundation
import XCTest

/// The pooled (in-database) logistic table under `--suppress-below`: the sites refuse small outcome
/// cells themselves, but the rows a site left out as incomplete are counted after that rule, so the
/// table withholds those counts when any is 1..K−1 (all of them, as the total would give one back).
final class PooledLogisticSuppressionTests: XCTestCase {
    /// An intercept-only fit from sums of `rows` rows with `events` events (Newton on the sums).
    private func interceptFit(rows: Int, events: Int) throws -> LogisticSumsFit.Result {
        try LogisticSumsFit.fit(parameters: 1) { beta in
            let p = 1 / (1 + PortableMath.exp(-beta[0]))
            let n = Double(rows), e = Double(events)
            let deviance = -2 * (e * PortableMath.log(p) + (n - e) * PortableMath.log(1 - p))
            return LogisticSums(rows: rows, events: events, information: [n * p * (1 - p)], score: [e - n * p], deviance: deviance)
        }
    }

    private func table(dropped: [Int], suppressBelow: Int?) throws -> PooledLogisticTable {
        let parts = dropped.enumerated().map { PooledLogisticTable.Part(label: "site \($0.offset + 1)", rows: 40, events: 12, dropped: $0.element) }
        return PooledLogisticTable(outcome: "y", event: "1", terms: ["(Intercept)"], fit: try interceptFit(rows: 120, events: 36), parts: parts,
                                   level: 0.95, engine: "PostgreSQL, 3 sites", suppressBelow: suppressBelow)
    }

    func testIncompleteRowCountsBelowKAreWithheldEverywhere() throws {
        // Without suppression every count shows; site 2's 3 incomplete rows among them.
        let open = try table(dropped: [12, 3, 20], suppressBelow: nil)
        let openText = TableFormat.text.render(open.table(style: NumberStyle()))
        XCTAssertTrue(openText.contains("dropped = 3"), openText)
        XCTAssertTrue(openText.contains("dropped (incomplete) = 35"), openText)
        XCTAssertTrue(open.json().contains("\"nDropped\": 3"))

        // Under --suppress-below 5: the 3, and the total that would give it back, are withheld.
        let hidden = try table(dropped: [12, 3, 20], suppressBelow: 5)
        let text = TableFormat.text.render(hidden.table(style: NumberStyle()))
        XCTAssertFalse(text.contains("dropped = 3"), text)
        XCTAssertFalse(text.contains("= 35"), text)
        XCTAssertFalse(text.contains("dropped = 12"), text)
        XCTAssertTrue(text.contains("withheld"), text)
        let json = hidden.json()
        XCTAssertFalse(json.contains("\"nDropped\": 3"), json)
        XCTAssertFalse(json.contains("\"nDropped\": 35"), json)
        XCTAssertTrue(json.contains("\"nDropped\": null"), json)

        // Counts of 0 or at least K stay shown under suppression.
        let large = try table(dropped: [12, 0, 20], suppressBelow: 5)
        XCTAssertTrue(TableFormat.text.render(large.table(style: NumberStyle())).contains("dropped (incomplete) = 32"))
    }
}

import CohortTestSupport
import Foundation
import XCTest

/// What the REDCap end-to-end tests share (issue 18): a pandas reference's quartiles, and the check of
/// a `cohort labs --format json` table against them, group by group.
struct RedcapQuartiles: Decodable {
    let n: Int
    let median, q1, q3: Double
}

extension XCTestCase {
    /// Each group's n, median and quartiles in `labsJSON` equal `expected`'s; with `patients`, each
    /// group's missing count is its patients without a value.
    func assertLabSummary(_ labsJSON: String, equals expected: [String: RedcapQuartiles], patients: [String: Int]? = nil, _ what: String,
                          file: StaticString = #filePath, line: UInt = #line) throws {
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(labsJSON.utf8)) as? [String: Any], file: file, line: line)
        let rows = try XCTUnwrap(object["rows"] as? [[String: Any]], file: file, line: line)
        XCTAssertEqual(rows.count, expected.count, what, file: file, line: line)
        for row in rows {
            let group = try XCTUnwrap((row["group"] as? [String: Any])?["text"] as? String, file: file, line: line)
            let reference = try XCTUnwrap(expected[group], group, file: file, line: line)
            let counts = try XCTUnwrap(row["n_missing"] as? [String: Any], file: file, line: line)
            XCTAssertEqual(counts["n"] as? Int, reference.n, "\(what) \(group)", file: file, line: line)
            if let patients { XCTAssertEqual(counts["missing"] as? Int, patients[group]! - reference.n, "\(what) \(group)", file: file, line: line) }
            let summary = try XCTUnwrap(row["median_iqr"] as? [String: Any], file: file, line: line)
            for (key, value) in [("median", reference.median), ("q1", reference.q1), ("q3", reference.q3)] {
                assertClose(try XCTUnwrap(summary[key] as? Double, "\(group) \(key)", file: file, line: line), value, relative: 1e-12,
                            "\(what) \(group) \(key)", file: file, line: line)
            }
        }
    }
}

import CohortTestSupport
import Foundation
import XCTest

/// `cohort km` on the synthetic fixture `survival/cli/cohort_tte.csv`: survival free of bleeding and
/// death against R 4.2.2 survival 3.5-3.
final class KmCommandTests: XCTestCase {
    var folder: String { Fixtures.path("survival/cli") }

    func testFreeOfBothEventsMatchesSurvfit() throws {
        let result = try CohortCommand.run(["km", "cohort_tte.csv", "--event-day", "event_day", "--event-type", "first_event",
                                            "--followup-day", "last_fu_day", "--event", "bleeding", "--competing", "death",
                                            "--days", "28,90,600", "--by", "product", "--format", "json"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["nUsed"] as? Int, 31)
        let rows = try XCTUnwrap(object["estimates"] as? [[String: Any]])
        // R: summary(survfit(Surv(time, first_event != "none") ~ product, conf.type = "log-log"), times = c(28, 90))
        // on the same 31 rows: surv, std.err, lower, upper.
        let expected: [(String, Double, Int, Double, Double, Double, Double)] = [
            ("axi-cel", 28, 9, 0.63636363636363635, 0.14504073367590284, 0.29689209884730317, 0.84516338597030838),
            ("axi-cel", 90, 4, 0.36363636363636359, 0.14504073367590281, 0.11181316880017295, 0.62683030874126611),
            ("liso-cel", 28, 9, 0.79999999999999993, 0.12649110640673517, 0.40869078163340433, 0.94587264583891162),
            ("liso-cel", 90, 7, 0.69999999999999996, 0.14491376746189435, 0.32871659327973485, 0.89194904122484409),
            ("tisa-cel", 28, 8, 0.70000000000000007, 0.14491376746189438, 0.32871659327973485, 0.89194904122484431),
            ("tisa-cel", 90, 7, 0.59999999999999998, 0.15491933384829665, 0.25266889700389367, 0.82722096702851156),
        ]
        for (group, day, atRisk, surv, se, lower, upper) in expected {
            let row = try XCTUnwrap(rows.first { $0["group"] as? String == group && $0["day"] as? Double == day })
            XCTAssertEqual(row["atRisk"] as? Int, atRisk)
            assertClose(try XCTUnwrap(row["survival"] as? Double), surv, relative: 1e-12, "\(group) day \(day) survival")
            assertClose(try XCTUnwrap(row["standardError"] as? Double), se, relative: 1e-12, "\(group) day \(day) SE")
            assertClose(try XCTUnwrap(row["ciLower"] as? Double), lower, relative: 1e-12, "\(group) day \(day) lower")
            assertClose(try XCTUnwrap(row["ciUpper"] as? Double), upper, relative: 1e-12, "\(group) day \(day) upper")
        }
        let late = rows.filter { $0["day"] as? Double == 600 }
        XCTAssertEqual(late.count, 3)
        XCTAssertTrue(late.allSatisfy { ($0["notEstimable"] as? String)?.hasPrefix("after the last follow-up") ?? false })
        let text = try CohortCommand.run(["km", "cohort_tte.csv", "--event-day", "event_day", "--event-type", "first_event",
                                          "--followup-day", "last_fu_day", "--event", "bleeding", "--competing", "death", "--days", "0,28"], in: folder)
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("method: Kaplan-Meier (survival::survfit), any of bleeding, death ends event-free survival; Greenwood variance"), text.stdout)
        XCTAssertFalse(text.stdout.contains("NaN"), text.stdout)
    }
}

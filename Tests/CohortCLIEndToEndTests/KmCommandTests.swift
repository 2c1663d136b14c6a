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

    /// Issue "KM at S = 1": R's `summary(survfit(..., conf.type = "log-log"), times =)` on
    /// `survival/km_censored_first.csv` (`km_boundary_references.R`) gives (1, 1) before the first observed
    /// time and NA at S = 1 after the censorings on days 0 and 1; the table and the JSON say why, not nothing.
    func testIssueKMAtOne_logLogIntervalAtSurvivalOne() throws {
        let folder = Fixtures.path("survival")
        let json = try CohortCommand.run(["km", "km_late_first_event.csv", "--time", "time", "--status", "status", "--event", "1",
                                          "--days", "0,29,30", "--format", "json"], in: folder)
        XCTAssertEqual(json.exitCode, 0, json.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(object["estimates"] as? [[String: Any]])
        for row in rows.prefix(2) {   // days 0 and 29, before the first time (an event on day 30)
            XCTAssertEqual(row["ciLower"] as? Double, 1, "\(row)")
            XCTAssertEqual(row["ciUpper"] as? Double, 1, "\(row)")
            XCTAssertTrue(row["ciNotEstimable"] is NSNull, "\(row)")
        }
        // R: 0.8 (0.203809, 0.969180) on day 30 (km_boundary.json)
        assertClose(try XCTUnwrap(rows[2]["ciLower"] as? Double), 0.20380926326763926, relative: 1e-12, "day 30 lower")

        let censored = try CohortCommand.run(["km", "km_censored_first.csv", "--time", "time", "--status", "status", "--event", "1",
                                              "--days", "0,2,3", "--format", "json"], in: folder)
        XCTAssertEqual(censored.exitCode, 0, censored.stderr)
        let estimates = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(censored.stdout.utf8)) as? [String: Any])?["estimates"] as? [[String: Any]])
        let reason = "estimate 1: log(-log 1) is not defined, so there is no log-log interval "
            + "(R's survfit gives NA at S = 1 after a censoring that precedes every event)"
        for row in estimates.prefix(2) {   // days 0 and 2: S = 1 after the censorings on day 0
            XCTAssertTrue(row["ciLower"] is NSNull, "\(row)")
            XCTAssertEqual(row["ciNotEstimable"] as? String, reason)
        }
        XCTAssertTrue(estimates[2]["ciNotEstimable"] is NSNull)
        let text = try CohortCommand.run(["km", "km_censored_first.csv", "--time", "time", "--status", "status", "--event", "1",
                                          "--days", "0,3"], in: folder)
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("day 0: no interval: " + reason + "."), text.stdout)
        // log and plain give (1, 1) there, as R does
        let log = try CohortCommand.run(["km", "km_censored_first.csv", "--time", "time", "--status", "status", "--event", "1",
                                         "--days", "0", "--ci", "log", "--format", "json"], in: folder)
        let logRow = try XCTUnwrap(((JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [String: Any])?["estimates"] as? [[String: Any]])?.first)
        XCTAssertEqual(logRow["ciLower"] as? Double, 1)
        XCTAssertEqual(logRow["ciUpper"] as? Double, 1)
    }
}

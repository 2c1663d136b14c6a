import CohortTestSupport
import Foundation
import XCTest

/// `cohort cuminc` on the synthetic thirty-three-patient fixture `survival/cli/cohort_tte.csv`:
/// estimates, variances and Gray's test against R 4.2.2 cmprsk 2.2-11, the day and date forms,
/// dropped rows, degenerate inputs and the messages for impossible values.
final class CumincCommandTests: XCTestCase {
    var folder: String { Fixtures.path("survival/cli") }
    let dayForm = ["--event-day", "event_day", "--event-type", "first_event", "--followup-day", "last_fu_day", "--event", "bleeding", "--competing", "death"]

    func run(_ arguments: [String], in directory: String? = nil) throws -> CommandResult {
        try CohortCommand.run(["cuminc"] + arguments, in: directory ?? folder)
    }

    func json(_ arguments: [String], in directory: String? = nil) throws -> [String: Any] {
        let result = try run(arguments + ["--format", "json"], in: directory)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// A scratch folder holding `name` with `contents`.
    func scratch(_ name: String, _ contents: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cuminc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try contents.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return folder.path
    }

    func testByProductMatchesCmprsk() throws {
        let object = try json(["cohort_tte.csv"] + dayForm + ["--days", "28,90,365,600", "--by", "product"])
        XCTAssertEqual(object["nUsed"] as? Int, 31)
        XCTAssertEqual(object["nDropped"] as? Int, 2, "P31: no event and no last follow-up; P32: no product")
        let estimates = try XCTUnwrap(object["estimates"] as? [[String: Any]])
        XCTAssertEqual(estimates.count, 2 * 3 * 4)
        // R 4.2.2, cmprsk 2.2-11: d = rows with a product and (an event or a last follow-up);
        // f = cuminc(time, status, factor(product, levels = c("axi-cel", "tisa-cel", "liso-cel")));
        // timepoints(f, c(28, 90, 365)) (est, var) and f$Tests.
        let expected: [(String, String, Double, Double, Double)] = [
            ("axi-cel", "bleeding", 28, 0.36363636363636365, 0.023511886542189574),
            ("axi-cel", "bleeding", 90, 0.45454545454545453, 0.025538501902138272),
            ("tisa-cel", "bleeding", 365, 0.20000000000000001, 0.017812499999999998),
            ("liso-cel", "bleeding", 90, 0.20000000000000001, 0.017901234567901231),
            ("axi-cel", "death", 90, 0.18181818181818177, 0.016060751818327567),
            ("tisa-cel", "death", 28, 0.10000000000000001, 0.010000000000000002),
            ("tisa-cel", "death", 90, 0.20000000000000001, 0.018016581632653069),
            ("tisa-cel", "death", 365, 0.29999999999999999, 0.024010770975056703),
            ("liso-cel", "death", 365, 0.10000000000000001, 0.010279706790123459),
        ]
        var checked = 0
        for (group, type, day, estimate, variance) in expected {
            let row = try XCTUnwrap(estimates.first { $0["group"] as? String == group && $0["eventType"] as? String == type && $0["day"] as? Double == day })
            assertClose(try XCTUnwrap(row["estimate"] as? Double), estimate, relative: 1e-12, "\(group) \(type) day \(day)")
            let se = try XCTUnwrap(row["standardError"] as? Double)
            assertClose(se * se, variance, relative: 1e-12, "\(group) \(type) day \(day) variance")
            checked += 1
        }
        XCTAssertEqual(checked, 9)
        // Day 600 is after every group's last follow-up: cmprsk gives NA; we say why.
        for row in estimates where row["day"] as? Double == 600 {
            XCTAssertTrue(row["estimate"] is NSNull)
            XCTAssertTrue((row["notEstimable"] as? String)?.hasPrefix("after the last follow-up in this group") ?? false, "\(row)")
        }
        let tests = try XCTUnwrap(object["grayTests"] as? [[String: Any]])
        XCTAssertEqual(tests.count, 2)
        assertClose(try XCTUnwrap(tests[0]["statistic"] as? Double), 2.0072456095245146, relative: 1e-12, "Gray bleeding")
        assertClose(try XCTUnwrap(tests[0]["pValue"] as? Double), 0.36654909702361893, relative: 1e-12, "Gray bleeding P")
        assertClose(try XCTUnwrap(tests[1]["statistic"] as? Double), 0.9585111017281851, relative: 1e-12, "Gray death")
        assertClose(try XCTUnwrap(tests[1]["pValue"] as? Double), 0.61924421607631719, relative: 1e-12, "Gray death P")
        XCTAssertEqual(tests[0]["df"] as? Int, 2)
    }

    func testDateFormGivesTheDayFormsAnswer() throws {
        let days = try json(["cohort_tte.csv"] + dayForm + ["--days", "0,28,90", "--by", "product"])
        let dates = try json(["cohort_tte.csv", "--index-date", "infusion_date", "--event-date", "event_date", "--event-type", "first_event",
                              "--followup-date", "last_contact", "--event", "bleeding", "--competing", "death", "--days", "0,28,90", "--by", "product"])
        XCTAssertEqual(dates["nUsed"] as? Int, 31)
        let a = try XCTUnwrap(days["estimates"] as? [[String: Any]]), b = try XCTUnwrap(dates["estimates"] as? [[String: Any]])
        XCTAssertEqual(a.count, b.count)
        for (x, y) in zip(a, b) {
            XCTAssertEqual(x["estimate"] as? Double, y["estimate"] as? Double)
            XCTAssertEqual(x["atRisk"] as? Int, y["atRisk"] as? Int)
        }
    }

    func testTextStatesMethodCountsAndTests() throws {
        let result = try run(["cohort_tte.csv"] + dayForm + ["--days", "28,600", "--by", "product"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let text = result.stdout
        XCTAssertTrue(text.contains("n = 31 used, 2 dropped (1 missing last_fu_day (no event); 1 missing product)"), text)
        XCTAssertTrue(text.contains("Aalen-Johansen estimate (cmprsk::cuminc); variance as cmprsk"), text)
        XCTAssertTrue(text.contains("95% CI log(-log) transformed"), text)
        XCTAssertTrue(text.contains("Gray's test, bleeding (rho = 0): chi-square = 2.007 on 2 df, P = 0.367."), text)
        XCTAssertTrue(text.contains("axi-cel, day 600: not estimable: after the last follow-up in this group (day 365)."), text)
        XCTAssertFalse(text.contains("NaN"), text)
    }

    /// The whole text table, pinned (record with COHORTKIT_RECORD=1; numbers checked above against R).
    func testTextTableGolden() throws {
        let result = try run(["cohort_tte.csv"] + dayForm + ["--days", "0,28,90,600", "--by", "product"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        assertMatchesGolden(result.stdout, goldenPath: Fixtures.path("golden/cuminc_cohort_tte.txt"))
    }

    func testOneGroupWithOneEventTypeIsOneMinusKaplanMeierWithoutGraysTest() throws {
        let folder = try scratch("one.csv", "t,s,g\n1,1,a\n2,0,a\n3,1,a\n4,0,a\n")
        let one = try run(["one.csv", "--time", "t", "--status", "s", "--event", "1", "--days", "2,3", "--by", "g"], in: folder)
        XCTAssertEqual(one.exitCode, 0, one.stderr)
        XCTAssertTrue(one.stdout.contains("Gray's test, 1: not applicable: one group only: Gray's test compares groups."), one.stdout)
        XCTAssertTrue(one.stdout.contains("No competing event type: the cumulative incidence equals 1 - Kaplan-Meier"), one.stdout)
        // 1 - KM at day 3: 1 - (3/4)(1/2) = 5/8.
        XCTAssertTrue(one.stdout.contains("62.5"), one.stdout)
        XCTAssertFalse(one.stdout.contains("NaN"), one.stdout)
    }

    func testStratifiedGraysTestMatchesCmprsk() throws {
        // Tests/Fixtures/survival/strata.csv and references.json (case "strata"): R 4.2.2 cmprsk 2.2-11
        // cuminc(time, status, group, strata = stratum)$Tests.
        let object = try json(["strata.csv", "--time", "time", "--status", "status", "--event", "1", "--competing", "2", "--days", "5",
                               "--by", "group", "--strata", "stratum"], in: Fixtures.path("survival"))
        XCTAssertEqual(object["strata"] as? String, "stratum")
        let tests = try XCTUnwrap(object["grayTests"] as? [[String: Any]])
        assertClose(try XCTUnwrap(tests[0]["statistic"] as? Double), 6.490063099530952, relative: 1e-12, "stratified Gray, type 1")
        assertClose(try XCTUnwrap(tests[1]["statistic"] as? Double), 2.0367047943510026, relative: 1e-12, "stratified Gray, type 2")
        let noBy = try run(["strata.csv", "--time", "time", "--status", "status", "--event", "1", "--days", "5", "--strata", "stratum"],
                           in: Fixtures.path("survival"))
        XCTAssertEqual(noBy.exitCode, 64)
    }

    func testNoEventsAtAll() throws {
        let folder = try scratch("none.csv", "t,s,g\n5,0,a\n7,0,b\n9,0,a\n0,0,b\n")
        let object = try json(["none.csv", "--time", "t", "--status", "s", "--event", "1", "--competing", "2", "--days", "0,5", "--by", "g"], in: folder)
        let estimates = try XCTUnwrap(object["estimates"] as? [[String: Any]])
        XCTAssertEqual(estimates.count, 8)
        XCTAssertTrue(estimates.allSatisfy { $0["estimate"] as? Double == 0 || $0["notEstimable"] is String })
        let tests = try XCTUnwrap(object["grayTests"] as? [[String: Any]])
        XCTAssertEqual(tests.compactMap { $0["problem"] as? String }, ["no 1 events: nothing to compare", "no 2 events: nothing to compare"])
        XCTAssertTrue(tests.allSatisfy { $0["statistic"] is NSNull })
    }

    func testImpossibleValuesNameTheLineAndColumn() throws {
        let cases: [(String, [String], String)] = [
            ("t,s\n1,bleeding\n-3,none\n", ["--time", "t", "--status", "s"], "bad.csv:3: column 't': time -3 is negative"),
            ("d,type,fu\n5,bleeding,3\n", ["--event-day", "d", "--event-type", "type", "--followup-day", "fu"],
             "bad.csv:2: column 'd': event at day 5 is after the last follow-up ('fu', day 3)"),
            ("d,type,fu\n,bleeding,3\n", ["--event-day", "d", "--event-type", "type", "--followup-day", "fu"],
             "bad.csv:2: column 'd': the event type is 'bleeding' ('type') but the event day is missing"),
            ("d,type,fu\n2,relapse,3\n", ["--event-day", "d", "--event-type", "type", "--followup-day", "fu"],
             "bad.csv:2: column 'type': 'relapse' is not one of the event types named ('bleeding')"),
            ("i,e,type,f\n2021-03-01,2021-02-01,bleeding,2021-04-01\n",
             ["--index-date", "i", "--event-date", "e", "--event-type", "type", "--followup-date", "f"],
             "bad.csv:2: column 'e': event at 28 days before the index date ('i'): a time cannot be negative"),
            ("i,e,type,f\n2021-03-01,2021-02-30,bleeding,2021-04-01\n",
             ["--index-date", "i", "--event-date", "e", "--event-type", "type", "--followup-date", "f"],
             "bad.csv:2: column 'e': '2021-02-30' is not a date (YYYY-MM-DD)"),
        ]
        for (contents, arguments, message) in cases {
            let folder = try scratch("bad.csv", contents)
            let result = try run(["bad.csv"] + arguments + ["--event", "bleeding", "--days", "10"], in: folder)
            XCTAssertEqual(result.exitCode, 65, result.stderr)
            XCTAssertTrue(result.stderr.hasPrefix("cohort cuminc: " + message), result.stderr)
        }
        // Deaths declared no-event while they carry a day: refused rather than read as censoring on that day.
        let deathAsNoEvent = try run(["cohort_tte.csv", "--event-day", "event_day", "--event-type", "first_event", "--followup-day", "last_fu_day",
                                      "--event", "bleeding", "--no-event", "none,death", "--days", "28"])
        XCTAssertEqual(deathAsNoEvent.exitCode, 65)
        XCTAssertTrue(deathAsNoEvent.stderr.contains("cohort_tte.csv:3: column 'event_day': an event at day 150 but the event type ('first_event') is 'death'"),
                      deathAsNoEvent.stderr)
        let usage = try run(["cohort_tte.csv", "--event-day", "event_day", "--event", "bleeding", "--days", "10"])
        XCTAssertEqual(usage.exitCode, 64)
        let badDays = try run(["cohort_tte.csv"] + dayForm + ["--days", "28,soon"])
        XCTAssertEqual(badDays.exitCode, 64)
        XCTAssertTrue(badDays.stderr.contains("--days must be a comma-separated list of days >= 0"), badDays.stderr)
    }

    struct EventDaysReference: Decodable {
        struct Estimate: Decodable { let group: String; let eventType: String; let day: Double; let estimate: Double; let variance: Double }
        struct Test: Decodable { let eventType: String; let statistic: Double; let p: Double; let df: Int }
        let estimates: [Estimate]
        let tests: [Test]
    }

    /// The wide layout (one day column per event type): bleeding with death competing on the shipped
    /// synthetic Johnsrud 2021 data, against cmprsk on the first event built by hand in R
    /// (Tests/References/event_days_references.R). A bleed and a death on the same day count as a bleed.
    func testEventDaysFormMatchesCmprskOnTheFirstEvent() throws {
        let reference = try JSONDecoder().decode(EventDaysReference.self,
                                                 from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("survival/event_days.json"))))
        let object = try json(["Datasets/johnsrud2021/cohort.csv", "--event-days", "bleeding=bleeding_day,death=death_day",
                               "--followup-day", "last_followup_day", "--event", "bleeding", "--days", "28,90,365", "--by", "product"],
                              in: Fixtures.repositoryRoot)
        XCTAssertEqual(object["nUsed"] as? Int, 127)
        let estimates = try XCTUnwrap(object["estimates"] as? [[String: Any]])
        var checked = 0
        for r in reference.estimates {
            let row = try XCTUnwrap(estimates.first { $0["group"] as? String == r.group && $0["eventType"] as? String == r.eventType && $0["day"] as? Double == r.day },
                                    "\(r.group) \(r.eventType) \(r.day)")
            assertClose(try XCTUnwrap(row["estimate"] as? Double), r.estimate, relative: 1e-12, absolute: 1e-15, "\(r.group) \(r.eventType) day \(r.day)")
            let se = try XCTUnwrap(row["standardError"] as? Double)
            assertClose(se * se, r.variance, relative: 1e-10, absolute: 1e-15, "variance \(r.group) \(r.eventType) day \(r.day)")
            checked += 1
        }
        XCTAssertEqual(checked, 12)
        let tests = try XCTUnwrap(object["grayTests"] as? [[String: Any]])
        for r in reference.tests {
            let test = try XCTUnwrap(tests.first { $0["eventType"] as? String == r.eventType })
            assertClose(try XCTUnwrap(test["statistic"] as? Double), r.statistic, relative: 1e-10, "Gray \(r.eventType)")
            assertClose(try XCTUnwrap(test["pValue"] as? Double), r.p, relative: 1e-10, "Gray P \(r.eventType)")
        }
        let missingFollowUp = try run(["d.csv", "--event-days", "bleeding=b", "--followup-day", "f", "--event", "death", "--days", "28"],
                                      in: try scratch("d.csv", "b,f\n3,10\n,12\n"))
        XCTAssertEqual(missingFollowUp.exitCode, 64)
        XCTAssertTrue(missingFollowUp.stderr.contains("is not one of the --event-days types"), missingFollowUp.stderr)
        let after = try run(["d.csv", "--event-days", "bleeding=b", "--followup-day", "f", "--event", "bleeding", "--days", "28"],
                            in: try scratch("d.csv", "b,f\n30,10\n,12\n"))
        XCTAssertEqual(after.exitCode, 65)
        XCTAssertTrue(after.stderr.contains("d.csv:2: column 'b': event at day 30 is after the last follow-up ('f', day 10)"), after.stderr)
    }
}

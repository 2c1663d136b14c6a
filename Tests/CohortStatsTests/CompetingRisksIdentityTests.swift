import CohortData
import CohortStats
import CohortTestSupport
import XCTest

/// Hand-worked values, identities (the curves and the event-free survival add up to 1; row order
/// does not matter) and the table builders' drops and errors.
final class CompetingRisksIdentityTests: XCTestCase {
    /// Four patients: type 1 on day 1, type 2 on day 2, censored on day 3, type 1 on day 4.
    ///
    /// F1(1) = 1 · 1/4 = 1/4; S(2-) = 3/4, F2(2) = 3/4 · 1/3 = 1/4; S(4-) = 1/2, n = 1: F1(4) = 1/4 + 1/2.
    /// Variances by the recurrences of `CumulativeIncidence` (the first: w = 1/16, a = 4/3,
    /// b = 1 + (4/3)(1/4) = 4/3, so v1 = v2 = v3 = 1/9 and Var = 1/9 + 1/144 - 2/36 = 1/16); R 4.2.2
    /// cmprsk 2.2-11 `cuminc(c(1,2,3,4), c(1,2,0,1))` gives the same 1/16, 23/72 and 5/72.
    func testHandWorkedFourPatients() throws {
        let data = try CompetingRisksData(times: [1, 2, 3, 4], status: [1, 2, 0, 1], eventTypes: ["a", "b"])
        let tally = EventTally(data)
        let f1 = CumulativeIncidence.curve(tally, group: 0, type: 1, groupLabel: "all", typeLabel: "a")
        let f2 = CumulativeIncidence.curve(tally, group: 0, type: 2, groupLabel: "all", typeLabel: "b")
        XCTAssertEqual(f1.times, [1, 4])
        assertClose(f1.estimates[0], 1.0 / 4, relative: 1e-15, "F1(1)")
        assertClose(f1.estimates[1], 3.0 / 4, relative: 1e-15, "F1(4)")
        assertClose(f1.variances[0], 1.0 / 16, relative: 1e-14, "Var F1(1)")
        assertClose(f1.variances[1], 23.0 / 72, relative: 1e-14, "Var F1(4)")
        XCTAssertEqual(f2.times, [2])
        assertClose(f2.estimates[0], 1.0 / 4, relative: 1e-15, "F2(2)")
        assertClose(f2.variances[0], 5.0 / 72, relative: 1e-14, "Var F2(2)")
        // Read-off: day 3 is the step of day 2; day 4.5 is after the last follow-up.
        XCTAssertEqual(f1.reading(onDay: 3, atRisk: tally.atRisk(onDay: 3, group: 0)).estimate, 0.25)
        XCTAssertEqual(tally.atRisk(onDay: 3, group: 0), 2)
        XCTAssertNil(f1.reading(onDay: 4.5, atRisk: 0).estimate)
        XCTAssertEqual(f1.reading(onDay: 0.5, atRisk: 4).estimate, 0)
    }

    func testCurvesAndEventFreeSurvivalAddUpToOne() throws {
        let data = try largeCase()
        let tally = EventTally(data)
        let km = KaplanMeier.curves(tally, groupLabels: data.groupLabels)
        var checked = 0
        for g in data.groupLabels.indices {
            let f1 = CumulativeIncidence.curve(tally, group: g, type: 1, groupLabel: "", typeLabel: "")
            let f2 = CumulativeIncidence.curve(tally, group: g, type: 2, groupLabel: "", typeLabel: "")
            for day in stride(from: 0.0, through: km[g].lastFollowUp, by: 7) {
                let total = (f1.reading(onDay: day, atRisk: 0).estimate ?? .nan) + (f2.reading(onDay: day, atRisk: 0).estimate ?? .nan)
                    + (km[g].reading(onDay: day).estimate ?? .nan)
                assertClose(total, 1, relative: 1e-13, "F1 + F2 + S on day \(day), group \(g)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    func testOneEventTypeIsOneMinusKaplanMeier() throws {
        let large = try largeCase()
        let data = try CompetingRisksData(times: large.times, status: large.status.map { $0 > 0 ? 1 : 0 }, eventTypes: ["any"],
                                          groupCodes: large.groupCodes, groupLabels: large.groupLabels)
        let tally = EventTally(data)
        let km = KaplanMeier.curves(tally, groupLabels: data.groupLabels)
        for g in data.groupLabels.indices {
            let f = CumulativeIncidence.curve(tally, group: g, type: 1, groupLabel: "", typeLabel: "")
            for (t, estimate) in zip(f.times, f.estimates) {
                assertClose(estimate, 1 - (km[g].reading(onDay: t).estimate ?? .nan), relative: 1e-12, "F = 1 - S at \(t)")
            }
        }
    }

    func testRowOrderDoesNotMatter() throws {
        let data = try largeCase()
        var generator = SeededGenerator(seed: 17)
        let order = Array(0..<data.count).shuffled(using: &generator)
        let shuffled = try CompetingRisksData(times: order.map { data.times[$0] }, status: order.map { data.status[$0] },
                                              eventTypes: data.eventTypes, groupCodes: order.map { data.groupCodes[$0] },
                                              groupLabels: data.groupLabels)
        let a = CumulativeIncidence.curves(data, tally: EventTally(data))
        let b = CumulativeIncidence.curves(shuffled, tally: EventTally(shuffled))
        XCTAssertEqual(a.map(\.estimates), b.map(\.estimates))
        XCTAssertEqual(a.map(\.variances), b.map(\.variances))
        let testA = GrayTest.test([EventTally(data)], type: 1, eventType: "1")
        let testB = GrayTest.test([EventTally(shuffled)], type: 1, eventType: "1")
        XCTAssertEqual(testA.statistic, testB.statistic)
        // One stratum holding everything is the unstratified test; two copies of the data as two strata
        // double the scores and their variance, so the statistic doubles.
        let doubled = GrayTest.test([EventTally(data), EventTally(shuffled)], type: 1, eventType: "1")
        assertClose(try XCTUnwrap(doubled.statistic), 2 * (testA.statistic ?? .nan), relative: 1e-12, "two identical strata")
    }

    // MARK: - builders

    func table(_ columns: [Column], rows: Int) -> DataTable {
        DataTable(source: "t.csv", columns: columns, lineNumbers: LineNumbers(run: 2, count: rows))
    }

    func testDayFormDropsAndCounts() throws {
        let t = table([
            Column(name: "day", storage: .numeric([3, .nan, .nan, 5, .nan])),
            Column(name: "type", storage: .text(codes: [0, 1, -1, 2, 1], levels: ["bleeding", "none", "death"])),
            Column(name: "fu", storage: .numeric([10, 20, 7, 5, .nan])),
            Column(name: "g", storage: .text(codes: [0, 0, 1, -1, 1], levels: ["x", "y"])),
        ], rows: 5)
        let coding = try EventCoding(events: ["bleeding", "death"])
        let data = try CompetingRisksData.fromDays(table: t, eventDay: "day", eventType: "type", followUpDay: "fu", coding: coding, group: "g")
        XCTAssertEqual(data.times, [3, 20, 7])
        XCTAssertEqual(data.status, [1, 0, 0])
        XCTAssertEqual(data.groupLabels, ["x", "y"])
        XCTAssertEqual(data.dropped, [.init(reason: "missing g", count: 1), .init(reason: "missing fu (no event)", count: 1)])
    }

    func testImpossibleValuesAreErrors() throws {
        let coding = try EventCoding(events: ["bleeding"])
        func attempt(day: Double, type: Int32, fu: Double) -> String {
            let t = table([Column(name: "day", storage: .numeric([day])),
                           Column(name: "type", storage: .text(codes: [type], levels: ["bleeding", "none"])),
                           Column(name: "fu", storage: .numeric([fu]))], rows: 1)
            do {
                _ = try CompetingRisksData.fromDays(table: t, eventDay: "day", eventType: "type", followUpDay: "fu", coding: coding)
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(attempt(day: -1, type: 0, fu: 5), "t.csv:2: column 'day': event at day -1: a time cannot be negative")
        XCTAssertEqual(attempt(day: 9, type: 0, fu: 5), "t.csv:2: column 'day': event at day 9 is after the last follow-up ('fu', day 5)")
        XCTAssertEqual(attempt(day: .nan, type: 0, fu: 5), "t.csv:2: column 'day': the event type is 'bleeding' ('type') but the event day is missing")
        XCTAssertEqual(attempt(day: 4, type: 1, fu: 5), "t.csv:2: column 'day': an event at day 4 but the event type ('type') is 'none'")
        XCTAssertEqual(attempt(day: .nan, type: 1, fu: -2), "t.csv:2: column 'fu': last follow-up at day -2: a time cannot be negative")
        XCTAssertThrowsError(try EventCoding(events: ["none"]))
        XCTAssertThrowsError(try EventCoding(events: ["a", "a"]))
    }

    /// The 2000-row reference dataset (`Tests/Fixtures/survival/large.csv`).
    func largeCase() throws -> CompetingRisksData {
        let text = try String(contentsOfFile: Fixtures.path("survival/large.csv"), encoding: .utf8)
        let groups = ["high", "low", "mid"]
        var times: [Double] = [], status: [Int32] = [], codes: [Int32] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            times.append(try XCTUnwrap(Double(f[0])))
            status.append(try XCTUnwrap(Int32(f[1])))
            codes.append(Int32(try XCTUnwrap(groups.firstIndex(of: f[2]))))
        }
        XCTAssertEqual(times.count, 2000)
        return try CompetingRisksData(times: times, status: status, eventTypes: ["1", "2"], groupCodes: codes, groupLabels: groups)
    }
}

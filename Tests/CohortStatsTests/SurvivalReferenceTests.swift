import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// Kaplan-Meier, cumulative incidence and Gray's test against R `survival::survfit` and
/// `cmprsk::cuminc` / `timepoints` on the 13 datasets of `Tests/References/survival_references.R`
/// (committed values in `Tests/Fixtures/survival/references.json`), to 1e-10 relative.
final class SurvivalReferenceTests: XCTestCase {
    static let relative = 1e-10
    /// For values that are exactly 0 in R (a variance before the first event).
    static let absolute = 1e-15

    struct Case {
        let name: String
        let object: [String: Any]
        let data: CompetingRisksData
    }

    /// Every case with its dataset read from the committed CSV (time,status,group).
    static func cases() throws -> [Case] {
        let url = URL(fileURLWithPath: Fixtures.path("survival/references.json"))
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return try XCTUnwrap(root["cases"] as? [[String: Any]]).map { object in
            let name = object["name"] as? String ?? "?"
            let data = try SurvivalFixtureRows(object).data(source: name, stratified: true)
            return Case(name: name, object: object, data: data)
        }
    }

    /// A JSON number, "Infinity", or null (nil).
    static func number(_ value: Any?) -> Double? {
        if let n = value as? NSNumber { return n.doubleValue }
        if let s = value as? String { return s == "Infinity" ? .infinity : s == "-Infinity" ? -.infinity : nil }
        return nil
    }

    static func numbers(_ object: [String: Any], _ key: String) -> [Double?] {
        (object[key] as? [Any] ?? []).map(number)
    }

    /// Counts the values compared and the worst relative error seen (of expected values above
    /// `worstAbove` in size); nil expected = R's NA. Shared by the survival reference tests.
    final class Checker {
        let relative: Double
        let absolute: Double
        let worstAbove: Double
        var compared = 0
        var worst = 0.0

        init(relative: Double = SurvivalReferenceTests.relative, absolute: Double = SurvivalReferenceTests.absolute, worstAbove: Double = 0) {
            self.relative = relative
            self.absolute = absolute
            self.worstAbove = worstAbove
        }

        func check(_ actual: Double?, _ expected: Double?, _ what: @autoclosure () -> String, file: StaticString = #filePath, line: UInt = #line) {
            compared += 1
            guard let expected else {
                XCTAssertNil(actual, "\(what()): R has NA, got \(String(describing: actual))", file: file, line: line)
                return
            }
            guard let actual else { return XCTFail("\(what()): expected \(expected), got nothing", file: file, line: line) }
            assertClose(actual, expected, relative: relative, absolute: absolute, what(), file: file, line: line)
            if expected.isFinite, abs(expected) > worstAbove { worst = max(worst, abs(actual - expected) / abs(expected)) }
        }
    }

    func testKaplanMeierMatchesSurvfit() throws {
        let checker = Checker()
        var curvesChecked = 0
        for c in try Self.cases() {
            let curves = KaplanMeier.curves(EventTally(c.data), groupLabels: c.data.groupLabels)
            for reference in c.object["km"] as? [[String: Any]] ?? [] {
                let label = reference["group"] as? String ?? ""
                let curve = try XCTUnwrap(curves.first { $0.group == label }, "\(c.name) \(label)")
                let what = "\(c.name) group \(label)"
                XCTAssertEqual(curve.times, Self.numbers(reference, "time").compactMap { $0 }, what)
                XCTAssertEqual(curve.atRisk.map(Double.init), Self.numbers(reference, "nRisk").compactMap { $0 }, what)
                XCTAssertEqual(curve.events.map(Double.init), Self.numbers(reference, "nEvent").compactMap { $0 }, what)
                XCTAssertEqual(curve.censored.map(Double.init), Self.numbers(reference, "nCensor").compactMap { $0 }, what)
                let surv = Self.numbers(reference, "surv"), se = Self.numbers(reference, "stdErr")
                for i in curve.times.indices {
                    checker.check(curve.survival[i], surv[i], "\(what) surv[\(i)]")
                    checker.check(curve.standardErrorOfCumulativeHazard[i], se[i], "\(what) std.err[\(i)]")
                    let seS = curve.standardError(at: i)
                    for (type, prefix) in [(CurveInterval.logLog, "logLog"), (.log, "log"), (.plain, "plain")] {
                        let interval = seS.isNaN ? nil : type.interval(estimate: curve.survival[i], standardError: seS, level: 0.95)
                        checker.check(interval?.lower, Self.numbers(reference, prefix + "Lower")[i], "\(what) \(prefix) lower[\(i)]")
                        checker.check(interval?.upper, Self.numbers(reference, prefix + "Upper")[i], "\(what) \(prefix) upper[\(i)]")
                    }
                }
                // summary(fit, times = days): R returns the days up to the last follow-up, in order.
                let days = Self.numbers(c.object, "kmDays").compactMap { $0 }
                let summaryDays = Self.numbers(reference, "summaryTime").compactMap { $0 }
                var row = 0
                for day in days {
                    let reading = curve.reading(onDay: day)
                    guard row < summaryDays.count, summaryDays[row] == day else {
                        XCTAssertNil(reading.estimate, "\(what) day \(day): summary() drops it, so must we")
                        continue
                    }
                    checker.check(reading.estimate, Self.numbers(reference, "summarySurv")[row], "\(what) summary surv day \(day)")
                    checker.check(reading.standardError, Self.numbers(reference, "summaryStdErr")[row], "\(what) summary std.err day \(day)")
                    XCTAssertEqual(Double(reading.atRisk), Self.numbers(reference, "summaryNRisk")[row], "\(what) n.risk day \(day)")
                    // Before the first time summary() reports log-log limits (1, 1), and so does the reading
                    // (issue: KM at S = 1); after a censoring at S = 1 both have none (R: NA).
                    if day < curve.times[0] { XCTAssertEqual(Self.numbers(reference, "summaryLogLogLower")[row], 1, what) }
                    checker.check(reading.interval(.logLog, level: 0.95)?.lower, Self.numbers(reference, "summaryLogLogLower")[row], "\(what) summary lower day \(day)")
                    checker.check(reading.interval(.logLog, level: 0.95)?.upper, Self.numbers(reference, "summaryLogLogUpper")[row], "\(what) summary upper day \(day)")
                    checker.check(reading.interval(.log, level: 0.95)?.lower, Self.numbers(reference, "summaryLogLower")[row], "\(what) summary log lower day \(day)")
                    checker.check(reading.interval(.log, level: 0.95)?.upper, Self.numbers(reference, "summaryLogUpper")[row], "\(what) summary log upper day \(day)")
                    row += 1
                }
                XCTAssertEqual(row, summaryDays.count, "\(what): every day summary() returned was checked")
                curvesChecked += 1
            }
        }
        XCTAssertEqual(curvesChecked, 31, "Kaplan-Meier curves checked (every group of the 13 cases)")
        XCTAssertGreaterThan(checker.compared, 10_000)
        print("Kaplan-Meier vs survfit: \(curvesChecked) curves, \(checker.compared) values, worst relative error \(checker.worst)")
    }

    /// Issue "KM at S = 1": the limits where the survival is 1 or 0, for all three `conf.type`s, against
    /// `survfit` and `summary(survfit, times =)` on the four datasets of `km_boundary_references.R`
    /// (`Tests/Fixtures/survival/km_boundary.json`). Before the first observed time R gives (1, 1);
    /// at S = 1 after a censoring the log-log limits are NA in R and absent here, with the reason
    /// said; at S = 0 every type is NA.
    func testIssueKMAtOne_intervalsAtSurvivalOneAndZeroMatchSurvfit() throws {
        let url = URL(fileURLWithPath: Fixtures.path("survival/km_boundary.json"))
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let checker = Checker()
        var rules = [String: Int]()
        for object in try XCTUnwrap(root["cases"] as? [[String: Any]]) {
            let name = object["name"] as? String ?? "?"
            let text = try String(contentsOfFile: Fixtures.path("survival/\(object["data"] as? String ?? "")"), encoding: .utf8)
            var times: [Double] = [], status: [Int32] = []
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",").map(String.init)
                times.append(try XCTUnwrap(Double(fields[0])))
                status.append(try XCTUnwrap(Int32(fields[1])))
            }
            let data = try CompetingRisksData(times: times, status: status, eventTypes: ["1"], groupCodes: Array(repeating: 0, count: times.count),
                                              groupLabels: ["all"], groupColumn: nil, strataCodes: nil, strataLabels: [], strataColumn: nil, source: name)
            let curve = try XCTUnwrap(KaplanMeier.curves(EventTally(data), groupLabels: ["all"]).first)
            let fit = try XCTUnwrap(object["survfit"] as? [String: Any])
            let summary = try XCTUnwrap(object["summary"] as? [String: Any])
            XCTAssertEqual(curve.times, Self.numbers(fit, "time").compactMap { $0 }, name)
            let types: [(CurveInterval, String)] = [(.logLog, "logLog"), (.log, "log"), (.plain, "plain")]
            for i in curve.times.indices {
                checker.check(curve.survival[i], Self.numbers(fit, "surv")[i], "\(name) surv[\(i)]")
                let se = curve.standardError(at: i)
                for (type, prefix) in types {
                    let interval = se.isNaN ? nil : type.interval(estimate: curve.survival[i], standardError: se, level: 0.95)
                    checker.check(interval?.lower, Self.numbers(fit, prefix + "Lower")[i], "\(name) survfit \(prefix) lower[\(i)]")
                    checker.check(interval?.upper, Self.numbers(fit, prefix + "Upper")[i], "\(name) survfit \(prefix) upper[\(i)]")
                }
            }
            let days = Self.numbers(object, "days").compactMap { $0 }
            let summaryDays = Self.numbers(summary, "time").compactMap { $0 }
            let rule = summary["rule"] as? [String] ?? []
            for day in days {
                let reading = curve.reading(onDay: day)
                guard let row = summaryDays.firstIndex(of: day) else {
                    XCTAssertNil(reading.estimate, "\(name) day \(day): summary() drops it")
                    continue
                }
                let what = "\(name) day \(day) (\(rule[row]))"
                rules[rule[row], default: 0] += 1
                checker.check(reading.estimate, Self.numbers(summary, "surv")[row], "\(what) surv")
                checker.check(reading.standardError, Self.numbers(summary, "stdErr")[row], "\(what) std.err")
                XCTAssertEqual(Double(reading.atRisk), Self.numbers(summary, "nRisk")[row], what)
                XCTAssertEqual(reading.isBeforeFirstTime, rule[row] == "beforeFirstTime", what)
                for (type, prefix) in types {
                    let (interval, problem) = reading.intervalWithReason(type, level: 0.95)
                    checker.check(interval?.lower, Self.numbers(summary, prefix + "Lower")[row], "\(what) \(prefix) lower")
                    checker.check(interval?.upper, Self.numbers(summary, prefix + "Upper")[row], "\(what) \(prefix) upper")
                    // Where R has NA the reason is said, never nothing.
                    XCTAssertEqual(interval == nil, problem != nil, "\(what) \(prefix): no interval without a reason")
                    if rule[row] == "censoredAtOne", type == .logLog {
                        XCTAssertEqual(problem, "estimate 1: log(-log 1) is not defined, so there is no log-log interval "
                            + "(R's survfit gives NA at S = 1 after a censoring that precedes every event)", what)
                    }
                }
            }
        }
        XCTAssertEqual(rules, ["beforeFirstTime": 4, "censoredAtOne": 11, "zero": 1, "estimate": 22], "the cases cover each rule")
        print("Kaplan-Meier at S = 1 / 0 vs survfit: \(checker.compared) values, worst relative error \(checker.worst)")
    }

    func testCumulativeIncidenceMatchesCuminc() throws {
        let checker = Checker()
        var curvesChecked = 0
        for c in try Self.cases() {
            let tally = EventTally(c.data)
            let days = Self.numbers(c.object, "cumincDays").compactMap { $0 }
            for reference in c.object["cuminc"] as? [[String: Any]] ?? [] {
                let label = reference["group"] as? String ?? ""
                let cause = try XCTUnwrap(Self.number(reference["cause"]).map(Int.init))
                let g = try XCTUnwrap(c.data.groupLabels.firstIndex(of: label))
                let curve = CumulativeIncidence.curve(tally, group: g, type: cause, groupLabel: label, typeLabel: String(cause))
                let what = "\(c.name) \(label) cause \(cause)"
                XCTAssertEqual(curve.times, Self.numbers(reference, "time").compactMap { $0 }, what)
                checker.check(curve.lastFollowUp, Self.number(reference["maxTime"]), "\(what) last follow-up")
                let est = Self.numbers(reference, "est"), variance = Self.numbers(reference, "var")
                for i in curve.times.indices where i < est.count {
                    checker.check(curve.estimates[i], est[i], "\(what) est at \(curve.times[i])")
                    checker.check(curve.variances[i], variance[i], "\(what) var at \(curve.times[i])")
                }
                let daysEst = Self.numbers(reference, "daysEst"), daysVar = Self.numbers(reference, "daysVar")
                for (i, day) in days.enumerated() {
                    let reading = curve.reading(onDay: day, atRisk: tally.atRisk(onDay: day, group: g))
                    checker.check(reading.estimate, daysEst[i], "\(what) timepoints est day \(day)")
                    checker.check(reading.variance, daysVar[i], "\(what) timepoints var day \(day)")
                }
                curvesChecked += 1
            }
        }
        XCTAssertEqual(curvesChecked, 60, "cumulative incidence curves checked (group x cause of the 13 cases)")
        XCTAssertGreaterThan(checker.compared, 10_000)
        print("cumulative incidence vs cuminc: \(curvesChecked) curves, \(checker.compared) values, worst relative error \(checker.worst)")
    }

    func testGraysTestMatchesCuminc() throws {
        let checker = Checker()
        var testsChecked = 0, singleGroup = 0, singular = 0
        for c in try Self.cases() {
            let strata = c.data.strataRows.map { EventTally(c.data, rows: $0) }
            for entry in c.object["grayTests"] as? [[String: Any]] ?? [] {
                let rho = try XCTUnwrap(Self.number(entry["rho"]))
                let tests = entry["tests"] as? [[String: Any]] ?? []
                if tests.isEmpty {
                    let result = GrayTest.test(strata, type: 1, eventType: "1", rho: rho)
                    XCTAssertNil(result.statistic, "\(c.name): one group, no test")
                    XCTAssertEqual(result.problem, "one group only: Gray's test compares groups")
                    singleGroup += 1
                }
                for reference in tests {
                    let cause = try XCTUnwrap(Self.number(reference["cause"]).map(Int.init))
                    let result = GrayTest.test(strata, type: cause, eventType: String(cause), rho: rho)
                    let what = "\(c.name) cause \(cause) rho \(rho)"
                    if Self.number(reference["stat"]) == -1 {
                        // cmprsk's mark for a singular variance (statistic -1, P 1): no statistic here, and why.
                        XCTAssertNil(result.statistic, what)
                        XCTAssertEqual(result.problem, "the variance of the scores is singular: no test", what)
                        singular += 1
                        continue
                    }
                    checker.check(result.statistic, Self.number(reference["stat"]), "\(what) statistic")
                    checker.check(result.pValue, Self.number(reference["pv"]), "\(what) P")
                    XCTAssertEqual(Double(result.df), Self.number(reference["df"]), what)
                    testsChecked += 1
                }
            }
        }
        XCTAssertEqual(testsChecked, 25, "Gray's tests checked (4 of them stratified)")
        XCTAssertEqual(singleGroup, 1)
        XCTAssertEqual(singular, 2, "strata_confounded: singular in cmprsk and here")
        print("Gray's test vs cuminc: \(testsChecked) tests, worst relative error \(checker.worst)")
    }
}

/// One reference case's rows as R wrote them (`time,status,group[,stratum]`, the CSV named by the
/// case's `data`), shared by the survival reference tests.
struct SurvivalFixtureRows {
    let times: [Double]
    let status: [Int32]
    let groupCodes: [Int32]
    let groups: [String]
    /// Empty when the file has no stratum column.
    let strata: [String]

    init(_ object: [String: Any]) throws {
        let name = object["name"] as? String ?? "?"
        groups = object["groups"] as? [String] ?? []
        let text = try String(contentsOfFile: Fixtures.path("survival/\(object["data"] as? String ?? "")"), encoding: .utf8)
        var times: [Double] = [], status: [Int32] = [], codes: [Int32] = [], strata: [String] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            times.append(try XCTUnwrap(Double(fields[0])))
            status.append(try XCTUnwrap(Int32(fields[1])))
            codes.append(Int32(try XCTUnwrap(groups.firstIndex(of: fields[2]), "\(name): group \(fields[2])")))
            if fields.count > 3 { strata.append(fields[3]) }   // the strata cases' fourth column
        }
        (self.times, self.status, groupCodes, self.strata) = (times, status, codes, strata)
    }

    /// The rows as competing-risks data (event types "1" and "2"), stratified when asked and the file
    /// has strata (R's factor levels: sorted, C locale).
    func data(source: String, stratified: Bool) throws -> CompetingRisksData {
        let labels = Array(Set(strata)).sorted()
        let useStrata = stratified && !strata.isEmpty
        return try CompetingRisksData(times: times, status: status, eventTypes: ["1", "2"], groupCodes: groupCodes,
                                      groupLabels: groups, groupColumn: "group",
                                      strataCodes: useStrata ? strata.compactMap { labels.firstIndex(of: $0).map(Int32.init) } : nil,
                                      strataLabels: labels, strataColumn: useStrata ? "stratum" : nil, source: source)
    }
}

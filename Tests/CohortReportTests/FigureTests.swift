@testable import CohortReport
import CohortData
import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// The SVG figures: golden files (Tests/Fixtures/golden/figures, recorded with COHORTKIT_RECORD=1),
/// the pieces (ticks, escaping, coordinate mapping) and the guarantees (no NaN/inf, deterministic).
final class FigureTests: XCTestCase {
    // MARK: - Inputs built from fixture data

    /// hand.csv (20 rows, groups A and B; status 1 = relapse, 2 = death), as the CLI's time form reads it.
    func handAnalysis(groups: Bool = true, interval: CurveInterval = .logLog) throws -> CompetingRisksAnalysis {
        let table = try CSVReader.read(path: Fixtures.path("survival/hand.csv"))
        let data = try CompetingRisksData.fromTimeAndStatus(table: table, time: "time", status: "status",
                                                             coding: try EventCoding(events: ["1", "2"]), group: groups ? "group" : nil)
        return CompetingRisksAnalysis.run(data, days: [2, 5], interval: interval)
    }

    func logistic(_ file: String, outcome: String, covariates: [String], firth: Bool) throws -> LogisticAnalysis {
        let table = try CSVReader.read(path: Fixtures.path("logistic/data/\(file)"))
        let model = try LogisticModel(table: table, outcome: outcome, covariates: covariates)
        return try LogisticAnalysis.run(model, options: FitOptions.defaults(for: firth ? .firth : .maximumLikelihood))
    }

    /// Group y has no event of type a: its curve of a is flat at 0 with no band.
    func noEventsInOneGroup() throws -> CompetingRisksAnalysis {
        let data = try CompetingRisksData(times: [1, 2, 3, 4, 5], status: [1, 0, 2, 0, 0], eventTypes: ["a", "b"],
                                          groupCodes: [0, 0, 1, 1, 1], groupLabels: ["x", "y"], groupColumn: "g")
        return CompetingRisksAnalysis.run(data, days: [1])
    }

    let sites: [(label: String, count: Int)] = [("hematuria", 6), ("soft tissue", 2), ("subdural", 2), ("GI <upper & lower>", 1)]

    func allFigures() throws -> [(name: String, svg: String)] {
        let hand = try handAnalysis()
        return [
            ("cuminc", CumulativeIncidenceFigure.svg(hand, title: "Cumulative incidence of relapse (\"1\")", groupLabel: "Arm")),
            ("cuminc death plain", CumulativeIncidenceFigure.svg(try handAnalysis(interval: .plain), eventType: "2")),
            ("cuminc one group", CumulativeIncidenceFigure.svg(try handAnalysis(groups: false))),
            ("cuminc no events", CumulativeIncidenceFigure.svg(try noEventsInOneGroup())),
            ("cuminc unknown type", CumulativeIncidenceFigure.svg(hand, eventType: "stroke")),
            ("forest firth", ForestPlot.svg(try logistic("cohort127.csv", outcome: "bleed", covariates: ["plt", "icans_high", "age"], firth: true),
                                            termLabels: ["plt": "Platelets (x10^9/L)", "icans_high": "ICANS grade >= 3"])),
            ("forest separated", ForestPlot.svg(try logistic("quasi_separated.csv", outcome: "y", covariates: ["x", "flag"], firth: false))),
            ("forest aliased", ForestPlot.svg(try logistic("rank_deficient.csv", outcome: "y", covariates: ["x1", "x2", "x3"], firth: false))),
            ("bars", BarChart.svg(title: "Bleeding sites", categories: sites, denominator: 127, missing: 116)),
            ("bars empty", BarChart.svg(title: "Thrombosis types", categories: [], missing: 0)),
            ("bars zero", BarChart.svg(title: "Thrombosis types", categories: [("DVT", 0)], missing: 0)),
        ]
    }

    // MARK: - Golden files

    func testFiguresMatchTheirGoldenFiles() throws {
        let hand = try handAnalysis()
        let golden = { (name: String) in Fixtures.path("golden/figures/\(name)") }
        assertMatchesGolden(CumulativeIncidenceFigure.svg(hand, title: "Cumulative incidence of relapse", timeAxis: AxisLabel("Time", unit: "days"),
                                                          groupLabel: "Arm"), goldenPath: golden("cuminc_hand.svg"))
        assertMatchesGolden(ForestPlot.svg(try logistic("cohort127.csv", outcome: "bleed", covariates: ["plt", "icans_high", "age"], firth: true),
                                           termLabels: ["plt": "Platelets (x10^9/L)", "icans_high": "ICANS grade >= 3"]),
                            goldenPath: golden("forest_cohort127_firth.svg"))
        assertMatchesGolden(ForestPlot.svg(try logistic("rank_deficient.csv", outcome: "y", covariates: ["x1", "x2", "x3"], firth: false)),
                            goldenPath: golden("forest_aliased.svg"))
        assertMatchesGolden(BarChart.svg(title: "Bleeding sites", categories: sites, denominator: 127, missing: 116), goldenPath: golden("bars_sites.svg"))
        assertMatchesGolden(BarChart.svg(title: "Thrombosis types", categories: [], missing: 0), goldenPath: golden("bars_empty.svg"))
        assertMatchesGolden(CumulativeIncidenceFigure.svg(try noEventsInOneGroup()), goldenPath: golden("cuminc_no_events.svg"))
    }

    // MARK: - Guarantees

    func testNoFigureContainsNaNOrInfinity() throws {
        // "nan"/"inf" as whole tokens (so "infusion" passes), in any case.
        let pattern = try NSRegularExpression(pattern: "(?<![A-Za-z])(nan|inf|infinity)(?![A-Za-z])", options: [.caseInsensitive])
        var checked = 0
        for (name, svg) in try allFigures() {
            let range = NSRange(svg.startIndex..., in: svg)
            XCTAssertNil(pattern.firstMatch(in: svg, range: range), "\(name) contains NaN or inf")
            XCTAssertTrue(svg.hasPrefix("<?xml"), name)
            XCTAssertTrue(svg.contains("<title>") && svg.contains("<desc>"), "\(name) lacks title/desc")
            XCTAssertFalse(svg.contains("<script") || svg.contains("href"), "\(name) has a script or reference")
            checked += 1
        }
        XCTAssertEqual(checked, 11)
    }

    func testTheSameInputGivesByteIdenticalSVG() throws {
        let first = try allFigures(), second = try allFigures()
        XCTAssertEqual(first.count, second.count)
        for (a, b) in zip(first, second) { XCTAssertEqual(Data(a.svg.utf8), Data(b.svg.utf8), a.name) }
    }

    func testDegenerateInputsSayWhy() throws {
        let figures = Dictionary(uniqueKeysWithValues: try allFigures().map { ($0.name, $0.svg) })
        XCTAssertTrue(figures["bars empty"]?.contains("No events") ?? false)
        XCTAssertTrue(figures["bars zero"]?.contains("No events") ?? false)
        XCTAssertTrue(figures["cuminc unknown type"]?.contains("No curve for event type") ?? false)
        XCTAssertTrue(figures["forest aliased"]?.contains("not estimable") ?? false)
        // A group without events: its curve is the flat line at 0 from day 0 to its last follow-up.
        let flat = try noEventsInOneGroup()
        let curve = try XCTUnwrap(CumulativeIncidenceFigure.plainCurves(flat, type: "a").first { $0.group == "y" })
        XCTAssertTrue(SurvivalCurveFigure.stepPoints(curve, upTo: 10).allSatisfy { $0.value == 0 })
        XCTAssertEqual(SurvivalCurveFigure.bandRuns(SurvivalCurveFigure.segments(curve)).count, 0)
        // One group: no legend entry, but the numbers-at-risk row.
        XCTAssertTrue(figures["cuminc one group"]?.contains("Number at risk") ?? false)
        XCTAssertFalse(figures["cuminc one group"]?.contains("(n = 20,") ?? true)
        // Separation: the diverging odds ratio is drawn as an arrow at the axis edge.
        XCTAssertTrue(figures["forest separated"]?.contains("<polygon") ?? false)
    }

    // MARK: - Pieces

    func testLinearTicksAreNiceNumbersCoveringTheData() {
        XCTAssertEqual(Axis.linear(from: 0, to: 1373, maxTicks: 8).ticks, [0, 200, 400, 600, 800, 1000, 1200, 1400])
        XCTAssertEqual(Axis.linear(from: 0, to: 0.188, maxTicks: 6).ticks, [0, 0.05, 0.1, 0.15, 0.2])
        XCTAssertEqual(Axis.linear(from: 0, to: 7, maxTicks: 6).ticks, [0, 2, 4, 6, 8])
        XCTAssertEqual(Axis.linear(from: 0, to: 1, maxTicks: 10).ticks[3], 0.3) // not 0.30000000000000004
        XCTAssertEqual(Axis.linear(from: 0, to: 0, maxTicks: 5).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]) // zero width widened
        XCTAssertEqual(Axis.linear(from: 0, to: 10, maxTicks: 4).ticks, [0, 2.5, 5, 7.5, 10])
        XCTAssertEqual(Axis.niceStep(17, intervals: 5), 5)
        XCTAssertEqual(Axis.label(2.5), "2.5")
        XCTAssertEqual(Axis.label(0.001), "0.001")
        XCTAssertEqual(Axis.label(1400), "1400")
    }

    func testLogTicksAreDecadesOrOneTwoFiveOnNarrowRanges() {
        XCTAssertEqual(Axis.log(from: 0.5, to: 30.7).ticks, [0.1, 1, 10, 100])
        XCTAssertEqual(Axis.log(from: 0.8, to: 3).ticks, [0.5, 1, 2, 5])
        XCTAssertEqual(Axis.log(from: 0.001, to: 1000).ticks, [0.001, 0.01, 0.1, 1, 10, 100, 1000])
        let axis = Axis.log(from: 0.1, to: 10)
        XCTAssertEqual(axis.position(1, from: 0, to: 200), 100, accuracy: 1e-12) // 1 is halfway between 0.1 and 10
        XCTAssertEqual(Axis.log(from: -1, to: .infinity).ticks.first, 0.1) // invalid ends fall back, never NaN
    }

    func testTextIsXMLEscaped() {
        XCTAssertEqual(SVGDocument.escape(#"a<b & "c" 'd'>"#), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;")
        let svg = BarChart.svg(title: #"Sites <"all"> & more"#, categories: sites, missing: 0)
        XCTAssertTrue(svg.contains("<title>Sites &lt;&quot;all&quot;&gt; &amp; more</title>"))
        XCTAssertTrue(svg.contains(">GI &lt;upper &amp; lower&gt;</text>"))
        XCTAssertFalse(svg.contains("<upper"))
    }

    /// A codebook label can be long: the title wraps and the plot moves down instead of the text being clipped.
    func testLongTitlesWrapAndPushThePlotDown() {
        let long = "Type of that thrombosis (DVT = deep vein thrombosis; visceral = visceral vein thrombosis)"
        XCTAssertEqual(SVGDocument.titleShift("Short", width: 680), 0)
        XCTAssertEqual(SVGDocument.titleShift(long, width: 680), 19)
        let svg = BarChart.svg(title: long, categories: [("DVT", 5)], missing: 0)
        XCTAssertTrue(svg.contains(#"<text x="20.00" y="45.00" class="title">"#), "second title line")
        XCTAssertFalse(svg.contains(">\(long)</text>"))
    }

    /// A label too wide for its column is cut with "…" (full text kept in aria-label and desc), never drawn over the plot.
    func testLongLabelsAreTruncatedNotOverlapping() {
        let long = String(repeating: "very long category name ", count: 4)
        XCTAssertEqual(FigureStyle.truncated("short", toWidth: 100), "short")
        let cut = FigureStyle.truncated(long, toWidth: 260)
        XCTAssertTrue(cut.hasSuffix("…"))
        XCTAssertLessThanOrEqual(FigureStyle.textWidth(cut), 260)
        let svg = BarChart.svg(title: "Sites", categories: [(long, 3)], missing: 0)
        XCTAssertTrue(svg.contains(">\(SVGDocument.escape(cut))</text>"))
        XCTAssertTrue(svg.contains("aria-label=\"\(long)\""))
    }

    func testNumbersAreFormattedWithTwoDecimalsAndNeverNaN() {
        XCTAssertEqual(SVGDocument.number(1), "1.00")
        XCTAssertEqual(SVGDocument.number(-0.001), "0.00")
        XCTAssertEqual(SVGDocument.number(2.345678), "2.35")
        XCTAssertEqual(SVGDocument.number(.nan), "0.00")
        XCTAssertEqual(SVGDocument.number(-.infinity), "0.00")
    }

    /// The step curve's value on every day equals the analysis's reading on that day.
    func testStepCurveAtADayEqualsTheEstimate() throws {
        let analysis = try handAnalysis()
        var checked = 0
        for curve in analysis.curves {
            let plain = try XCTUnwrap(CumulativeIncidenceFigure.plainCurves(analysis, type: curve.eventType).first { $0.group == curve.group })
            let points = SurvivalCurveFigure.stepPoints(plain, upTo: .infinity)
            for day in stride(from: 0.0, through: curve.lastFollowUp, by: 0.5) {
                let drawn = points.last { $0.day <= day }?.value
                XCTAssertEqual(drawn, curve.reading(onDay: day, atRisk: 0).estimate, "\(curve.group) \(curve.eventType) day \(day)")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 2 * 13 + 2 * 17) // 2 event types; A: days 0–6 by 0.5 (13), B: 0–8 (17)
    }

    /// At risk on day t = rows of the group with time >= t, counted directly from the fixture.
    func testNumbersAtRiskCountTimesAtOrAfterTheDay() throws {
        let analysis = try handAnalysis()
        let rows = try String(contentsOfFile: Fixtures.path("survival/hand.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        var checked = 0
        for group in ["A", "B"] {
            for day in stride(from: 0.0, through: 9, by: 0.5) {
                let expected = rows.filter { $0[2] == Substring(group) && (Double($0[0]) ?? -1) >= day }.count
                XCTAssertEqual(analysis.atRisk(onDay: day, group: group), expected, "\(group) day \(day)")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 38)
        XCTAssertEqual(analysis.atRisk(onDay: 0, group: "no such group"), 0)
        // The requested days agree with the readings the table prints.
        for row in analysis.rows { XCTAssertEqual(analysis.atRisk(onDay: row.reading.day, group: row.group), row.reading.atRisk) }
    }

    /// An odds ratio of exactly 1 is drawn centred on the dashed reference line.
    func testOddsRatioOfOneSitsOnTheReferenceLine() throws {
        // Two groups of four with two events each: the estimated OR is 1 (β = 0 to rounding).
        let table = try CSVReader.read(bytes: Array("y,x\n1,0\n0,0\n1,0\n0,0\n1,1\n0,1\n1,1\n0,1\n".utf8), source: "even.csv")
        let model = try LogisticModel(table: table, outcome: "y", covariates: ["x"])
        let analysis = try LogisticAnalysis.run(model, options: .maximumLikelihood)
        XCTAssertEqual(exp(analysis.fit.coefficients[1]), 1, accuracy: 1e-9)
        let svg = ForestPlot.svg(analysis)
        let reference = try XCTUnwrap(attribute("x1", ofFirst: "<line", containing: "class=\"reference\"", in: svg))
        let square = try XCTUnwrap(attribute("x", ofFirst: "<rect", containing: "width=\"9.00\"", in: svg))
        XCTAssertEqual(square + 4.5, reference, accuracy: 0.01)
    }

    // MARK: - Issue 13

    /// One group of `n` patients followed 1–50 days (every tenth an event of type a) and a group of 3.
    func bigAndSmallGroups(n: Int, names: [String]) throws -> CompetingRisksAnalysis {
        let times = (0..<n).map { Double($0 % 50 + 1) } + [1, 2, 3]
        let status: [Int32] = (0..<n).map { $0 % 10 == 0 ? 1 : 0 } + [1, 0, 0]
        let groups: [Int32] = [Int32](repeating: 0, count: n) + [1, 1, 1]
        let data = try CompetingRisksData(times: times, status: status, eventTypes: ["a"], groupCodes: groups, groupLabels: names, groupColumn: "g")
        return CompetingRisksAnalysis.run(data, days: [10])
    }

    /// The at-risk rows of `svg`: each name (right-aligned, in its series colour) with the first count after it.
    func atRiskRows(_ svg: String) -> [(name: String, nameX: Double, first: String, firstX: Double)] {
        let lines = svg.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(where: { $0.contains(">Number at risk</text>") }) else { return [] }
        var rows: [(name: String, nameX: Double, first: String, firstX: Double)] = []
        for i in (start + 1)..<(lines.count - 1) where lines[i].hasPrefix("<text") && lines[i].contains("text-anchor=\"end\" fill=") {
            guard let nameX = attribute("x", ofFirst: "<text", containing: "<text", in: lines[i]),
                  let firstX = attribute("x", ofFirst: "<text", containing: "<text", in: lines[i + 1]) else { continue }
            rows.append((content(lines[i]), nameX, content(lines[i + 1]), firstX))
        }
        return rows
    }

    func content(_ element: String) -> String {
        guard let open = element.firstIndex(of: ">"), let close = element.range(of: "</text>") else { return "" }
        return String(element[element.index(after: open)..<close.lowerBound])
    }

    /// Issue 13: a name ran into the day-0 count once the count had four digits, and a long name
    /// squeezed the plot. Measured with the figures' own text-width estimate (11 px tick text).
    func testIssue13_atRiskNamesNeverOverlapTheDayZeroCounts() throws {
        let long = "Axicabtagene ciloleucel (axi-cel), CD19-directed, made at the central manufacturing facility"
        var checked = 0
        for names in [["x", "y"], ["x", "CD19/22"], [long, "y"]] {
            let svg = CumulativeIncidenceFigure.svg(try bigAndSmallGroups(n: 1200, names: names))
            let rows = atRiskRows(svg)
            XCTAssertEqual(rows.map(\.first), ["1200", "3"], "\(names): the day-0 counts")
            for row in rows {
                let name = FigureStyle.textExtent(row.name, at: row.nameX, anchor: .end, fontSize: 11)
                let count = FigureStyle.textExtent(row.first, at: row.firstX, anchor: .middle, fontSize: 11)
                XCTAssertLessThan(name.upperBound, count.lowerBound, "'\(row.name)' ends at \(name.upperBound), its day-0 count starts at \(count.lowerBound)")
                XCTAssertGreaterThanOrEqual(name.lowerBound, 40, "'\(row.name)' starts after the line sample (x 20–34)")
                // The plot keeps most of its 760 px: a long name is cut, not given the width.
                XCTAssertLessThanOrEqual(row.firstX, 300, "\(names): the time axis starts at \(row.firstX)")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 6)
        XCTAssertTrue(CumulativeIncidenceFigure.svg(try bigAndSmallGroups(n: 1200, names: [long, "y"])).contains("…</text>"), "the long name is cut")
    }

    /// Issue 13: the time-axis limit cuts everything drawn. 200 patients, 2 events (days 5 and 8)
    /// before day 10 and 98 after: cut at day 10 the estimates drawn are at most 2/200 = 1%, so the y
    /// axis is its minimum, 0–10% (not the 0–60% the later events need), and the description and
    /// caption read the curve at day 10.
    func testIssue13_timeAxisLimitCutsCurvesBandsTicksAndAtRiskColumns() throws {
        let times = [5.0, 8] + (0..<98).map { 20 + Double($0) } + [Double](repeating: 200, count: 100)
        let status: [Int32] = [1, 1] + [Int32](repeating: 1, count: 98) + [Int32](repeating: 0, count: 100)
        let analysis = CompetingRisksAnalysis.run(try CompetingRisksData(times: times, status: status, eventTypes: ["a"]), days: [10])
        let full = CumulativeIncidenceFigure.svg(analysis)
        let cut = CumulativeIncidenceFigure.svg(analysis, maxDay: 10)
        XCTAssertTrue(full.contains(">50%</text>"), "uncut, the y axis reaches the 49% at day 200")
        XCTAssertTrue(cut.contains(">10%</text>"))
        XCTAssertFalse(cut.contains(">20%</text>"), "cut at day 10, the y axis stops at 10%")
        // x ticks 0, 2, ..., 10 (a nice step of 2), one at-risk column each, nothing beyond.
        let tickLabels = cut.split(separator: "\n").filter { $0.contains("class=\"tick\" text-anchor=\"middle\"") }.map { content(String($0)) }
        XCTAssertEqual(tickLabels, ["0", "2", "4", "6", "8", "10", "200", "200", "200", "199", "199", "198"])
        // Every coordinate drawn lies between the axis start and end.
        let right = try XCTUnwrap(attribute("x", ofFirst: "<text", containing: ">198</text>", in: cut))
        for element in cut.split(separator: "\n") where element.hasPrefix("<path") {
            let xs = element.split(whereSeparator: { "ML ".contains($0) }).compactMap { $0.split(separator: ",").first.flatMap { Double($0) } }
            XCTAssertFalse(xs.isEmpty)
            XCTAssertTrue(xs.allSatisfy { $0 <= right + 0.005 }, "a path runs past the axis end: \(element)")
        }
        XCTAssertTrue(cut.contains("all: 1.0% by day 10 (n = 200)"), "the description reads the curve at the axis end")
        XCTAssertTrue(cut.contains("The time axis ends at day 10 (follow-up to day 200)"))
        XCTAssertFalse(full.contains("The time axis ends at day"))
        // A limit that cannot end an axis is said, never replaced by a default.
        for bad in [0, -5, Double.nan, .infinity] {
            XCTAssertTrue(CumulativeIncidenceFigure.svg(analysis, maxDay: bad).contains("The time axis cannot end at day"), "\(bad)")
        }
        XCTAssertNil(Axis.timeLimitProblem(0.5))
    }

    /// Issue 13: the rows without a value are counted in the figure, not dropped unsaid.
    func testIssue13_barChartSaysHowManyRowsWereMissing() {
        let svg = BarChart.svg(title: "Sites", categories: sites, denominator: 127, missing: 116)
        XCTAssertTrue(svg.contains(">n missing = 116 (rows with no value; not drawn).</text>"))
        XCTAssertTrue(svg.contains("n missing = 116 (rows with no value; not drawn).</desc>"))
        XCTAssertTrue(BarChart.svg(title: "Sites", categories: [], missing: 4).contains("n missing = 4"), "also when nothing is drawn")
    }

    /// The numeric value of `name` in the first element starting with `tag` whose text contains `marker`.
    func attribute(_ name: String, ofFirst tag: String, containing marker: String, in svg: String) -> Double? {
        for line in svg.split(separator: "\n") where line.hasPrefix(tag) && line.contains(marker) {
            guard let start = line.range(of: " \(name)=\"") else { continue }
            return Double(line[start.upperBound...].prefix { $0 != "\"" })
        }
        return nil
    }
}

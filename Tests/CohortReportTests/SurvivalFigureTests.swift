@testable import CohortReport
import CohortData
import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// The survival-curve figure (Kaplan-Meier and cumulative incidence share ``SurvivalCurveFigure``)
/// and the generic forest plot, read back from the SVG: each mark, band vertex, tick and at-risk
/// column is checked against the numbers it stands for, with the page mapping recovered from the
/// axis's own tick labels (so a wrong mapping in the figure cannot hide in the test).
final class SurvivalFigureTests: XCTestCase {
    // MARK: - Inputs

    /// hand.csv (20 rows, groups A and B; status 1 = relapse, 2 = death, 0 censored).
    func handData(groups: Bool = true) throws -> CompetingRisksData {
        let table = try CSVReader.read(path: Fixtures.path("survival/hand.csv"))
        return try CompetingRisksData.fromTimeAndStatus(table: table, time: "time", status: "status",
                                                        coding: try EventCoding(events: ["1", "2"]), group: groups ? "group" : nil)
    }

    func handKM(groups: Bool = true, interval: CurveInterval = .logLog) throws -> SurvivalAnalysis {
        SurvivalAnalysis.run(try handData(groups: groups), days: [2, 5], interval: interval)
    }

    /// The fixture's rows (time, status, group), read directly, independent of the library.
    func handRows() throws -> [(time: Double, status: Int, group: String)] {
        try String(contentsOfFile: Fixtures.path("survival/hand.csv"), encoding: .utf8).split(separator: "\n").dropFirst().map {
            let f = $0.split(separator: ",")
            return (Double(f[0]) ?? -1, Int(f[1]) ?? -1, String(f[2]))
        }
    }

    // MARK: - Reading the SVG back

    struct Element {
        let line: String
        func number(_ name: String) -> Double? {
            guard let start = line.range(of: " \(name)=\"") else { return nil }
            return Double(line[start.upperBound...].prefix { $0 != "\"" })
        }
        var content: String {
            guard let open = line.firstIndex(of: ">"), let close = line.range(of: "</text>") else { return "" }
            return String(line[line.index(after: open)..<close.lowerBound])
        }
    }

    func elements(_ svg: String) -> [Element] { svg.split(separator: "\n").map { Element(line: String($0)) } }

    /// The x-axis tick labels (value, x) and the page mapping they define (linear through the first and last).
    func xTicks(_ svg: String) -> [(value: Double, x: Double)] {
        let all = elements(svg)
        let end = all.firstIndex { $0.content == "Number at risk" } ?? all.count
        return all[..<end].filter { $0.line.hasPrefix("<text") && $0.line.contains("class=\"tick\" text-anchor=\"middle\"") }
            .compactMap { e in Double(e.content).flatMap { v in e.number("x").map { (v, $0) } } }
    }

    func xMap(_ svg: String) throws -> (Double) -> Double {
        let ticks = xTicks(svg)
        let first = try XCTUnwrap(ticks.first), last = try XCTUnwrap(ticks.last)
        return { first.x + ($0 - first.value) / (last.value - first.value) * (last.x - first.x) }
    }

    /// The y mapping from the y tick labels ("0%" ... "100%", baseline 4 px below the grid line).
    func yMap(_ svg: String) throws -> (Double) -> Double {
        let ticks = elements(svg).filter { $0.line.contains("class=\"tick\" text-anchor=\"end\">") && $0.content.hasSuffix("%") }
            .compactMap { e in Double(e.content.dropLast()).flatMap { v in e.number("y").map { (value: v / 100, y: $0 - 4) } } }
        let first = try XCTUnwrap(ticks.first), last = try XCTUnwrap(ticks.last)
        return { first.y + ($0 - first.value) / (last.value - first.value) * (last.y - first.y) }
    }

    /// The lines inside the `<g aria-label="LABEL">` group.
    func group(_ label: String, in svg: String) -> [Element] {
        let all = elements(svg)
        guard let start = all.firstIndex(where: { $0.line == "<g aria-label=\"\(label)\">" }) else { return [] }
        return Array(all[(start + 1)...].prefix { $0.line != "</g>" })
    }

    /// The points of a path's `d`.
    func points(_ path: Element) -> [(x: Double, y: Double)] {
        guard let start = path.line.range(of: " d=\"") else { return [] }
        return path.line[start.upperBound...].prefix { $0 != "\"" }.split(whereSeparator: { "MLZ ".contains($0) }).compactMap {
            let xy = $0.split(separator: ",")
            guard xy.count == 2, let x = Double(xy[0]), let y = Double(xy[1]) else { return nil }
            return (x, y)
        }
    }

    // MARK: - Censoring marks

    /// Each mark sits at a censored day of its group (from the CSV: status 0), on the curve's value
    /// that day, and every censored day within the axis has one.
    func testCensoringMarksSitAtTheCensoredTimesOnTheCurve() throws {
        let analysis = try handKM()
        let svg = KaplanMeierFigure.svg(analysis, bands: false)
        let x = try xMap(svg), y = try yMap(svg)
        let rows = try handRows()
        var checked = 0
        for curve in analysis.curves {
            let censored = Set(rows.filter { $0.group == curve.group && $0.status == 0 }.map(\.time)).sorted()
            let marks = group("\(curve.group): Kaplan-Meier survival", in: svg).filter { $0.line.contains("class=\"censor\"") }
            XCTAssertEqual(marks.count, censored.count, curve.group)
            for (mark, day) in zip(marks, censored) {
                XCTAssertEqual(try XCTUnwrap(mark.number("x1")), x(day), accuracy: 0.01, "\(curve.group) day \(day)")
                XCTAssertEqual(mark.number("x1"), mark.number("x2"), "vertical")
                let middle = (try XCTUnwrap(mark.number("y1")) + (try XCTUnwrap(mark.number("y2")))) / 2
                XCTAssertEqual(middle, y(curve.reading(onDay: day).estimate ?? .nan), accuracy: 0.01, "on the curve, \(curve.group) day \(day)")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 6) // A: 2, 3, 5; B: 2, 3, 7
        // Cut at day 4: the marks after it are not drawn.
        let cut = KaplanMeierFigure.svg(analysis, maxDay: 4, timeStep: 1)
        XCTAssertEqual(elements(cut).filter { $0.line.contains("class=\"censor\"") }.count, 4)
        XCTAssertTrue(cut.contains("Vertical ticks on the curves: censored patients"))
    }

    /// Cumulative incidence marks only the censored (status 0), not the competing events.
    func testCumulativeIncidenceMarksCensoringNotCompetingEvents() throws {
        let analysis = CompetingRisksAnalysis.run(try handData(), days: [2])
        XCTAssertEqual(analysis.censoredTimes(group: "A"), [2, 3, 5])
        XCTAssertEqual(analysis.censoredTimes(group: "B"), [2, 3, 7])
        XCTAssertEqual(analysis.censoredTimes(group: "C"), [])
        let svg = CumulativeIncidenceFigure.svg(analysis, eventType: "1")
        let x = try xMap(svg)
        let marks = group("A: cumulative incidence", in: svg).filter { $0.line.contains("class=\"censor\"") }
        XCTAssertEqual(marks.count, 3)
        for (mark, day) in zip(marks, [2.0, 3, 5]) { XCTAssertEqual(try XCTUnwrap(mark.number("x1")), x(day), accuracy: 0.01, "day \(day)") }
    }

    // MARK: - Numbers at risk under the ticks

    /// Every at-risk count is centred exactly under an x tick, one column a tick, and its number is
    /// the group's rows with time >= the tick's day (counted from the CSV).
    func testAtRiskColumnsSitUnderTheTicks() throws {
        let rows = try handRows()
        for (options, expectedTicks) in [((nil, nil), [0.0, 1, 2, 3, 4, 5, 6, 7, 8]), ((5.0, 2.0), [0, 2, 4, 6]), ((nil, 2.5), [0, 2.5, 5, 7.5, 10])] as [((Double?, Double?), [Double])] {
            let svg = KaplanMeierFigure.svg(try handKM(), maxDay: options.0, timeStep: options.1)
            let ticks = xTicks(svg)
            XCTAssertEqual(ticks.map(\.value), expectedTicks, "\(options)")
            let all = elements(svg)
            let start = try XCTUnwrap(all.firstIndex { $0.content == "Number at risk" })
            let counts = all[start...].filter { $0.line.contains("class=\"tick\" text-anchor=\"middle\"") }
            XCTAssertEqual(counts.count, 2 * ticks.count, "one column a tick, two groups")
            for (i, group) in ["A", "B"].enumerated() {
                for (k, tick) in ticks.enumerated() {
                    let cell = counts[i * ticks.count + k]
                    XCTAssertEqual(try XCTUnwrap(cell.number("x")), tick.x, accuracy: 0.001, "\(group) column \(k)")
                    XCTAssertEqual(cell.content, String(rows.filter { $0.group == group && $0.time >= tick.value }.count), "\(group) day \(tick.value)")
                }
            }
        }
    }

    /// A tick step that would crowd the at-risk columns is said, never drawn; the axis helpers agree.
    func testTimeStepLimits() throws {
        XCTAssertEqual(Axis.stepped(to: 91, step: 30).ticks, [0, 30, 60, 90, 120])
        XCTAssertEqual(Axis.stepped(to: 90, step: 30).ticks, [0, 30, 60, 90])
        XCTAssertEqual(Axis.stepped(to: 1, step: 0.1).ticks.count, 11)
        XCTAssertEqual(Axis.stepped(to: 1, step: 0.1).ticks[3], 0.3, "no binary drift")
        XCTAssertNil(Axis.tickStepProblem(10, axisEnd: 200))
        XCTAssertNotNil(Axis.tickStepProblem(10, axisEnd: 201))
        XCTAssertNotNil(Axis.tickStepProblem(0, axisEnd: nil))
        XCTAssertNil(Axis.tickStepProblem(1, axisEnd: nil))
        let crowded = KaplanMeierFigure.svg(try handKM(), timeStep: 0.25)
        XCTAssertTrue(crowded.contains("The time axis cannot have a tick every 0.25 days"), crowded)
        XCTAssertFalse(crowded.contains("Number at risk"))
    }

    /// With a long group name (a narrow axis), four-digit counts and 20 ticks, neither the tick labels
    /// nor the counts of a row touch: both are thinned alike, each column under a labelled tick.
    func testAtRiskCountsNeverTouchOnACrowdedAxis() throws {
        let long = "Axicabtagene ciloleucel (axi-cel), CD19-directed, made at the central manufacturing facility"
        let times = (0..<1200).map { Double($0 % 50 + 1) } + [1, 2, 3]
        let status: [Int32] = (0..<1200).map { $0 % 10 == 0 ? 1 : 0 } + [1, 0, 0]
        let data = try CompetingRisksData(times: times, status: status, eventTypes: ["a"], groupCodes: [Int32](repeating: 0, count: 1200) + [1, 1, 1],
                                          groupLabels: [long, "y"], groupColumn: "g")
        let svg = KaplanMeierFigure.svg(SurvivalAnalysis.run(data, days: [10]), timeStep: 2.5)
        let ticks = xTicks(svg)
        XCTAssertEqual(svg.components(separatedBy: "stroke=\"#000000\" stroke-width=\"1.00\"/>").count - 1 >= 21, true, "every tick mark drawn")
        XCTAssertLessThan(ticks.count, 21, "labels thinned")
        XCTAssertEqual(ticks.first?.value, 0)
        for (a, b) in zip(ticks, ticks.dropFirst()) {
            let left = FigureStyle.textExtent(Axis.label(a.value), at: a.x, anchor: .middle, fontSize: 11)
            let right = FigureStyle.textExtent(Axis.label(b.value), at: b.x, anchor: .middle, fontSize: 11)
            XCTAssertLessThan(left.upperBound, right.lowerBound, "tick labels \(a.value) and \(b.value) touch")
        }
        let all = elements(svg)
        let start = try XCTUnwrap(all.firstIndex { $0.content == "Number at risk" })
        let cells = all[start...].filter { $0.line.contains("class=\"tick\" text-anchor=\"middle\"") }
        let firstRow = Array(cells.prefix(cells.count / 2)) // both rows draw the same columns
        XCTAssertEqual(firstRow.first?.content, "1200")
        XCTAssertEqual(firstRow.count, ticks.count, "a column under each labelled tick")
        for cell in firstRow {
            let cellX = try XCTUnwrap(cell.number("x"))
            XCTAssertTrue(ticks.contains { abs($0.x - cellX) < 0.001 }, "under a tick")
        }
        for (a, b) in zip(firstRow, firstRow.dropFirst()) {
            let left = FigureStyle.textExtent(a.content, at: try XCTUnwrap(a.number("x")), anchor: .middle, fontSize: 11)
            let right = FigureStyle.textExtent(b.content, at: try XCTUnwrap(b.number("x")), anchor: .middle, fontSize: 11)
            XCTAssertLessThan(left.upperBound, right.lowerBound, "\(a.content) and \(b.content) touch")
        }
    }

    // MARK: - Bands

    /// The band of one curve is the step-shaped polygon of its pointwise limits: along the top each
    /// segment's upper limit from its jump to the next, back along the bottom its lower limit; and
    /// the curve lies inside it.
    func testBandFollowsTheIntervalBounds() throws {
        let analysis = try handKM(groups: false)
        let svg = KaplanMeierFigure.svg(analysis)
        let x = try xMap(svg), y = try yMap(svg)
        let curve = try XCTUnwrap(analysis.curves.first)
        let limits = curve.pointwiseLimits(analysis.interval, level: analysis.level)
        let jumps = curve.times.indices.filter { curve.events[$0] > 0 }
        var segments: [(from: Double, to: Double, lower: Double, upper: Double, estimate: Double)] = []
        for (k, i) in jumps.enumerated() {
            guard let limit = limits[i] else { continue }
            let to = k + 1 < jumps.count ? curve.times[jumps[k + 1]] : curve.lastFollowUp
            segments.append((curve.times[i], to, limit.lower, limit.upper, curve.survival[i]))
        }
        let bands = group("all: 95% confidence band", in: svg).filter { $0.line.hasPrefix("<path") }
        XCTAssertEqual(bands.count, 1, "one unbroken run: every interval is defined")
        let polygon = points(try XCTUnwrap(bands.first))
        let expected = segments.flatMap { [(x(Double($0.from)), y($0.upper)), (x($0.to), y($0.upper))] }
            + segments.reversed().flatMap { [(x($0.to), y($0.lower)), (x($0.from), y($0.lower))] }
        XCTAssertEqual(polygon.count, expected.count)
        for (drawn, wanted) in zip(polygon, expected) {
            XCTAssertEqual(drawn.x, wanted.0, accuracy: 0.01)
            XCTAssertEqual(drawn.y, wanted.1, accuracy: 0.01)
        }
        for segment in segments {
            XCTAssertLessThanOrEqual(segment.lower, segment.estimate)
            XCTAssertGreaterThanOrEqual(segment.upper, segment.estimate)
        }
    }

    /// Bands: on for one curve, off for several (they would cover each other), and settable both ways.
    func testBandsAreOnForOneCurveAndSettable() throws {
        let one = try handKM(groups: false), two = try handKM()
        func bandCount(_ svg: String) -> Int { elements(svg).filter { $0.line.hasPrefix("<path") && $0.line.contains("fill-opacity") }.count }
        XCTAssertEqual(bandCount(KaplanMeierFigure.svg(one)), 1)
        XCTAssertEqual(bandCount(KaplanMeierFigure.svg(one, bands: false)), 0)
        XCTAssertEqual(bandCount(KaplanMeierFigure.svg(two)), 0)
        XCTAssertEqual(bandCount(KaplanMeierFigure.svg(two, bands: true)), 2)
        XCTAssertTrue(KaplanMeierFigure.svg(two).contains("Confidence bands not drawn"))
        XCTAssertFalse(KaplanMeierFigure.svg(two).contains("with 95% confidence bands"), "the description says what is drawn")
        let cuminc = CompetingRisksAnalysis.run(try handData(), days: [2])
        XCTAssertEqual(bandCount(CumulativeIncidenceFigure.svg(cuminc)), 0)
        XCTAssertEqual(bandCount(CumulativeIncidenceFigure.svg(cuminc, bands: true)), 2)
    }

    /// The Kaplan-Meier curve falls from 100% on a 0–100% axis, and its steps are S at each event.
    func testKaplanMeierStepsAreTheEstimates() throws {
        let analysis = try handKM()
        let svg = KaplanMeierFigure.svg(analysis)
        XCTAssertTrue(svg.contains(">100%</text>") && svg.contains(">0%</text>"))
        let x = try xMap(svg), y = try yMap(svg)
        for curve in analysis.curves {
            let path = try XCTUnwrap(group("\(curve.group): Kaplan-Meier survival", in: svg).first { $0.line.hasPrefix("<path") })
            let drawn = points(path)
            XCTAssertEqual(drawn.first?.y ?? 0, y(1), accuracy: 0.01, "starts at 100%")
            for day in stride(from: 0.0, through: curve.lastFollowUp, by: 0.5) {
                // The last corner at or before the day's x holds the value drawn on that day.
                let value = try XCTUnwrap(drawn.last { $0.x <= x(day) + 0.001 }).y
                XCTAssertEqual(value, y(curve.reading(onDay: day).estimate ?? .nan), accuracy: 0.01, "\(curve.group) day \(day)")
            }
        }
        XCTAssertTrue(svg.contains("Survival free of 1 or 2 by group"))
        XCTAssertTrue(svg.contains("A (n = 10, 7 events)"), "legend: n and events of any type")
    }

    // MARK: - Forest plot

    /// The generic forest plot: each estimate's square is centred on its value on the log axis (read
    /// back from the tick labels), each interval's ends on its limits, a reference row on the line at 1.
    func testForestRowsAreDrawnAtTheirEstimates() throws {
        let rows: [ForestPlot.Row] = [
            .reference("Product: axi-cel"),
            ForestPlot.Row(label: "Product: tisa-cel", estimate: 2, lower: 1.25, upper: 3.2),
            ForestPlot.Row(label: "Age (per 10 years)", estimate: 0.5, lower: 0.25, upper: 1),
            ForestPlot.Row(label: "Platelets below 50", estimate: nil, note: "not estimable (no events)"),
            ForestPlot.Row(label: "Huge", estimate: 5000, lower: 10, upper: .infinity),
        ]
        let svg = ForestPlot.svg(rows: rows, measure: .hazardRatio, level: 0.95, intervalMethod: "Wald", title: "Hazard ratios for death",
                                 caption: ["Model: Cox proportional hazards (Efron ties); n = 120, 40 events."])
        let ticks = elements(svg).filter { $0.line.contains("class=\"tick\" text-anchor=\"middle\"") }
            .compactMap { e in Double(e.content).flatMap { v in e.number("x").map { (value: v, x: $0) } } }
        let first = try XCTUnwrap(ticks.first), last = try XCTUnwrap(ticks.last)
        let x = { (v: Double) in first.x + (log10(v) - log10(first.value)) / (log10(last.value) - log10(first.value)) * (last.x - first.x) }
        func square(_ label: String) -> Element? { group(label, in: svg).first { $0.line.hasPrefix("<rect") } }
        XCTAssertEqual(try XCTUnwrap(square("Product: tisa-cel")?.number("x")) + 4.5, x(2), accuracy: 0.01)
        XCTAssertEqual(try XCTUnwrap(square("Age (per 10 years)")?.number("x")) + 4.5, x(0.5), accuracy: 0.01)
        let reference = try XCTUnwrap(square("Product: axi-cel"))
        XCTAssertEqual(try XCTUnwrap(reference.number("x")) + 4.5, x(1), accuracy: 0.01)
        XCTAssertTrue(reference.line.contains("fill=\"#ffffff\""), "open square")
        let ci = try XCTUnwrap(group("Product: tisa-cel", in: svg).first { $0.line.hasPrefix("<line") && $0.number("y1") == $0.number("y2") })
        XCTAssertEqual(try XCTUnwrap(ci.number("x1")), x(1.25), accuracy: 0.01)
        XCTAssertEqual(try XCTUnwrap(ci.number("x2")), x(3.2), accuracy: 0.01)
        XCTAssertTrue(group("Huge", in: svg).contains { $0.line.hasPrefix("<polygon") }, "beyond the axis: an arrow")
        XCTAssertTrue(group("Platelets below 50", in: svg).contains { $0.content == "not estimable (no events)" })
        for text in [">HR (95% CI)</text>", ">Hazard ratio (log scale)</text>", ">1 (reference)</text>", ">2.00 (1.25–3.20)</text>",
                     "Squares: hazard ratios; lines: 95% confidence intervals (Wald), on a log scale; dashed line: HR = 1.",
                     "Model: Cox proportional hazards (Efron ties); n = 120, 40 events.",
                     "Forest plot of hazard ratios with 95% confidence intervals. Product: axi-cel: reference; Product: tisa-cel: HR 2.00 (1.25 to 3.20)"] {
            XCTAssertTrue(svg.contains(text), text)
        }
        let shr = ForestPlot.svg(rows: [rows[1]], measure: .subdistributionHazardRatio, level: 0.9, intervalMethod: "Wald", title: "t")
        XCTAssertTrue(shr.contains(">Subdistribution hazard ratio (log scale)</text>") && shr.contains(">SHR (90% CI)</text>"))
        XCTAssertTrue(ForestPlot.svg(rows: [], measure: .hazardRatio, level: 0.95, intervalMethod: "Wald", title: "t").contains("No terms"))
    }

    // MARK: - Golden files

    func testSurvivalFiguresMatchTheirGoldenFiles() throws {
        let golden = { (name: String) in Fixtures.path("golden/figures/\(name)") }
        assertMatchesGolden(KaplanMeierFigure.svg(try handKM(), timeAxis: AxisLabel("Time", unit: "days"), groupLabel: "Arm", timeStep: 2, bands: true),
                            goldenPath: golden("km_hand.svg"))
        assertMatchesGolden(KaplanMeierFigure.svg(try handKM(groups: false), title: "Overall survival", maxDay: 5), goldenPath: golden("km_one_group_cut.svg"))
        assertMatchesGolden(ForestPlot.svg(rows: [.reference("Product: axi-cel"), ForestPlot.Row(label: "Product: tisa-cel", estimate: 2, lower: 1.25, upper: 3.2),
                                                  ForestPlot.Row(label: "Age (per 10 years)", estimate: 0.5, lower: 0.25, upper: 1, note: "CI: profile likelihood")],
                                           measure: .hazardRatio, level: 0.95, intervalMethod: "Wald (estimate ± z·SE)", title: "Hazard ratios for death",
                                           caption: ["Model: Cox proportional hazards (Efron ties) of death; n = 120 used; 40 events."]),
                            goldenPath: golden("forest_hazard_generic.svg"))
    }
}

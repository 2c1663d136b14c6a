@testable import CohortReport
import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// The lab course figure's pieces (issue 15): a day axis that starts before day 0, its default
/// weekly ticks, and what it draws for a hand-made course.
final class LabCourseFigureTests: XCTestCase {
    func testSteppedAxisMayStartBeforeDayZero() {
        XCTAssertEqual(Axis.stepped(from: -7, to: 28, step: 7).ticks, [-7, 0, 7, 14, 21, 28])
        XCTAssertEqual(Axis.stepped(from: -3, to: 10, step: 5).ticks, [-5, 0, 5, 10], "from the multiple of the step at or below the start")
        XCTAssertEqual(Axis.stepped(to: 28, step: 7).ticks, [0, 7, 14, 21, 28], "from day 0 as before")
        XCTAssertEqual(Axis.stepped(to: 30, step: 7).ticks, [0, 7, 14, 21, 28, 35], "to the first tick at or after the end")
        XCTAssertEqual(Axis.tickStepProblem(7, axisEnd: 300, axisStart: -100),
                       "a tick every 7 days from day -100 to day 300 makes 58 intervals; at most 20 fit under the numbers at risk (a step of at least 20 days)")
        XCTAssertNil(Axis.tickStepProblem(7, axisEnd: 28, axisStart: -14))
    }

    func testWeeklyTicksForOneToNineteenWeeks() {
        XCTAssertEqual(LabCourseFigure.defaultStep(0...28), 7)
        XCTAssertEqual(LabCourseFigure.defaultStep(-14...30), 7)
        XCTAssertNil(LabCourseFigure.defaultStep(0...5), "under a week: nice ticks")
        XCTAssertNil(LabCourseFigure.defaultStep(0...365), "a year: nice ticks")
    }

    /// Two groups, three patients: medians and quartiles per day as DailySummary computes them, drawn
    /// and described; individual lines without any identifier.
    func testAHandMadeCourse() {
        // Patient 0 (group a): days 0, 1 values 10, 20; patient 1 (a): 30, 40; patient 2 (b): day 0 only, 5.
        let course = LabCourse(patient: [0, 0, 1, 1, 2], day: [0, 1, 0, 1, 0], value: [10, 20, 30, 40, 5], patientCount: 4,
                               groupOfPatient: [0, 0, 1, 1], labels: ["a", "b"])
        XCTAssertEqual(course.groups.map(\.patients), [2, 2])
        XCTAssertEqual(course.groups.map(\.patientsWithValues), [2, 1])
        XCTAssertEqual(course.groups[0].days.map { $0.summary.median }, [20, 30])
        XCTAssertEqual(course.groups[0].days.map { $0.summary.lowerQuartile }, [15, 25], "type 7: 10 + 0.25 · 20")
        let measure = LabMeasure(reference: "labs.x", label: AxisLabel("X", unit: "u"), source: "labs.csv", draws: 5, daysAveraged: 0)
        for spaghetti in [false, true] {
            let svg = LabCourseFigure.svg(course, measure: measure, title: "X by g", timeAxis: AxisLabel("Study day"), window: 0...7,
                                          spaghetti: spaghetti, groupLabel: "g")
            XCTAssertTrue(svg.contains("<desc>Daily medians of X (u)\(spaghetti ? " over each patient&apos;s course" : ""). a: median 20 on day 0, 30 on day 1 (2 patients with a value); b: median 5 on day 0 (1 patient with a value).</desc>"), svg)
            XCTAssertTrue(svg.contains(">a (N = 2; 2 with a value)</text>") && svg.contains(">b (N = 2; 1 with a value)</text>"))
            XCTAssertEqual(svg.contains("aria-label=\"a: individual courses\""), spaghetti)
            XCTAssertEqual(svg.contains("aria-label=\"a: interquartile range\""), !spaghetti)
            XCTAssertEqual(svg, LabCourseFigure.svg(course, measure: measure, title: "X by g", timeAxis: AxisLabel("Study day"), window: 0...7,
                                                    spaghetti: spaghetti, groupLabel: "g"), "the same bytes")
        }
        let empty = LabCourseFigure.svg(LabCourse(patient: [], day: [], value: [], patientCount: 2, groupOfPatient: nil, labels: []),
                                        measure: measure, title: "X", timeAxis: AxisLabel("Study day"), window: 0...28)
        XCTAssertTrue(empty.contains("No value of labs.x in days 0 to 28."))
    }
}

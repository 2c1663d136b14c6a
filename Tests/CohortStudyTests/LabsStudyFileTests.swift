import CohortData
import CohortReport
import CohortStudy
import CohortTestSupport
import Foundation
import XCTest

/// The study output `labs` (issue 15): its window written as in a codebook formula, a summary for
/// every lab or one a lab, and each mistake an error at its key's line.
final class LabsStudyFileTests: XCTestCase {
    let header = "study: s\ndata: cohort.csv\ncodebook: codebook.yaml\noutputs:\n"

    func error(_ text: String) -> String {
        do {
            _ = try StudyFile.parse(header + text, source: "dir/study.yaml")
            return "no error"
        } catch {
            return error.description
        }
    }

    func testAWindowBeforeDayZeroAndOneSummaryALab() throws {
        let study = try StudyFile.parse(header + """
              - {name: course, type: labs, lab: labs.platelets, by: icans_high, days: -7...28, svg: true, spaghetti: true, svg_time_step: 7}
              - {name: extremes, type: labs, lab: [labs.platelets, labs.ddimer], summary: [min, max], days: [0, 30]}
              - {name: nadir, type: labs, lab: labs.platelets, summary: min}
            """, source: "dir/study.yaml")
        guard let course = study.outputs[0].request as? LabsRequest, let extremes = study.outputs[1].request as? LabsRequest,
              let nadir = study.outputs[2].request as? LabsRequest else { return XCTFail("labs") }
        XCTAssertEqual(course.days, DayWindow(-7, 28))
        XCTAssertEqual(course.lab, ["labs.platelets"])
        XCTAssertNotNil(course.unsuppressible, "a figure cannot be suppressed")
        XCTAssertEqual(extremes.windowSummary, [.min, .max])
        XCTAssertEqual(extremes.days, DayWindow(0, 30))
        XCTAssertNil(extremes.unsuppressible, "its tables suppress their counts")
        XCTAssertEqual(nadir.windowSummary, [.min])
        XCTAssertEqual(nadir.days, .standard)
        // The provenance writes the window as it is read.
        XCTAssertTrue(course.encoded.rendered().contains("\"-7...28\""), course.encoded.rendered())
    }

    func testMistakesNameTheKeyAndLine() {
        let cases = [
            ("  - name: l\n    type: labs\n    lab: labs.platelets\n    days: 28...0\n", "dir/study.yaml:8: output 'l' (labs): 'days' must be a window first...last"),
            ("  - name: l\n    type: labs\n    days: 0...28\n", "dir/study.yaml:5: output 'l' (labs): 'lab' is missing"),
            ("  - name: l\n    type: labs\n    lab: labs.platelets\n    summary: [min, max]\n", "dir/study.yaml:8: output 'l' (labs): 'summary' lists 2 summaries for 1 lab"),
            ("  - name: l\n    type: labs\n    lab: labs.platelets\n    summary: nadir\n", "dir/study.yaml:8: output 'l' (labs): 'summary' must be one of min, max, mean, first, last, auc, or a list of them"),
            ("  - name: l\n    type: labs\n    lab: labs.platelets\n    spaghetti: true\n", "dir/study.yaml:8: output 'l' (labs): 'spaghetti' applies to the figure: add 'svg'"),
            ("  - name: l\n    type: labs\n    lab: labs.platelets\n    summary: min\n    svg: true\n", "output 'l' (labs): 'svg' draws the per-day course; 'summary' gives one value a patient instead"),
            ("  - name: l\n    type: labs\n    lab: labs.platelets\n    svg: true\n    days: -100...300\n    svg_time_step: 7\n",
             "'svg_time_step' with 'days' -100...300: a tick every 7 days from day -100 to day 300 makes 58 intervals"),
        ]
        for (text, message) in cases {
            let got = error(text)
            XCTAssertTrue(got.contains(message), "\(text)\ngot: \(got)")
        }
    }
}

import CohortData
import CohortReport
import XCTest

/// Reading study files: defaults resolved into the recorded parameters, paths relative to the file,
/// and every mistake an error naming its line.
final class StudyFileTests: XCTestCase {
    let header = "study: s\ndata: cohort.csv\ncodebook: codebook.yaml\n"

    func parse(_ text: String) throws(CodebookError) -> StudyFile {
        try StudyFile.parse(text, source: "dir/study.yaml")
    }

    func error(_ text: String) -> String {
        do {
            _ = try parse(text)
            return "no error"
        } catch {
            return error.description
        }
    }

    func testOutputsWithDefaultsAndRelativePaths() throws {
        let study = try parse(header + """
            options: {p_style: journal, level: 0.9}
            derived:
              any_event: any_of(a, b)
            outputs:
              - {name: rates, type: incidence, outcome: bleeding}
              - {name: model, type: logit, outcome: bleeding, covariates: [x, y], firth: yes}
              - {name: plot, type: forest, logit: model}
              - {name: ci, type: cuminc, event_days: {bleeding: b_day, death: d_day}, followup_day: fu, event: bleeding, competing: [death], days: [30, 90]}
              - {name: check, type: reproduce}
            """)
        XCTAssertEqual(study.dataPath, "dir/cohort.csv")
        XCTAssertEqual(study.codebookPath, "dir/codebook.yaml")
        XCTAssertEqual(study.resolve("published.yaml"), "dir/published.yaml")
        XCTAssertEqual(study.options.pStyle, .journal)
        XCTAssertEqual(study.options.level, 0.9)
        XCTAssertEqual(study.derived.map(\.name), ["any_event"])
        XCTAssertEqual(study.outputs.map(\.name), ["rates", "model", "plot", "ci", "check"])
        // The study's level is the default of each output; the method's default is recorded.
        let rates = study.outputs[0].parameters
        XCTAssertEqual(rates.map(\.key), ["type", "outcome", "method", "level"])
        XCTAssertEqual(rates.map(\.value), ["incidence", "bleeding", "clopper-pearson", "0.9"])
        guard case .logit(_, _, let covariates, _, let firth, let ci, let level, _) = study.outputs[1].kind else { return XCTFail("logit") }
        XCTAssertEqual(covariates, ["x", "y"])
        XCTAssertTrue(firth)
        XCTAssertEqual(ci, .profile)
        XCTAssertEqual(level, 0.9)
        guard case .cuminc(let input) = study.outputs[3].kind, case .eventDays(let types, let followUp) = input.times else { return XCTFail("cuminc") }
        XCTAssertEqual(types.map(\.type), ["bleeding", "death"])
        XCTAssertEqual(types.map(\.column), ["b_day", "d_day"])
        XCTAssertEqual(followUp, "fu")
        XCTAssertEqual(input.days, [30, 90])
    }

    func testMistakesNameTheLine() {
        let cases: [(String, String)] = [
            (header + "colour: red\noutputs: []\n", "dir/study.yaml:4: the study file: unknown key 'colour'"),
            (header + "outputs:\n  - {name: a, type: table2}\n", "dir/study.yaml:5: output 'a': unknown type 'table2'"),
            (header + "outputs:\n  - name: a\n    type: logit\n    outcome: y\n", "dir/study.yaml:5: output 'a' (logit): 'covariates' must list at least one column"),
            (header + "options:\n  level: 95\noutputs: []\n", "dir/study.yaml:5: 'level' must be between 0 and 1"),
            (header + "outputs:\n  - {name: f, type: forest, logit: nothing}\n", "dir/study.yaml:5: output 'f': 'logit' must name a logit output"),
            (header + "outputs:\n  - {name: a, type: table1}\n  - {name: a, type: table1}\n", "dir/study.yaml:6: output name 'a' is used twice"),
            (header + "outputs:\n  - {name: c, type: cuminc, time: t, event: e, days: [1]}\n", "dir/study.yaml:5: output 'c' (cuminc): give the times"),
            (header + "options: {suppress_below: 2}\noutputs: []\n", "'suppress_below: 2' would print each 1 as <2"),
            (header + "outputs: []\n", "'outputs' is empty"),
        ]
        var checked = 0
        for (text, expected) in cases {
            let message = error(text)
            XCTAssertTrue(message.contains(expected), "expected '\(expected)', got '\(message)'")
            checked += 1
        }
        XCTAssertEqual(checked, 9)
    }

    /// Issue 13: a cuminc output sets its figure's time axis with `svg_max_day` (the `--svg-max-day`
    /// of `cohort cuminc`), recorded with the parameters; a bad value names its line.
    func testIssue13_cumincTimeAxisKeys() throws {
        let cuminc = "outputs:\n  - name: c\n    type: cuminc\n    time: t\n    status: s\n    event: e\n    days: [30]\n"
        let study = try parse(header + cuminc + "    svg_max_day: 91\n")
        guard case .cuminc(let input) = study.outputs[0].kind else { return XCTFail("cuminc") }
        XCTAssertEqual(input.svgMaxDay, 91)
        XCTAssertEqual(study.outputs[0].parameters.first { $0.key == "svg_max_day" }?.value, "91")
        guard case .cuminc(let plain) = try parse(header + cuminc).outputs[0].kind else { return XCTFail("cuminc") }
        XCTAssertNil(plain.svgMaxDay, "default: the last follow-up")
        let cases: [(String, String)] = [
            ("    svg_max_day: 0\n", "dir/study.yaml:11: output 'c' (cuminc): 'svg_max_day' ends the figure's time axis: the axis end must be a day > 0; got 0"),
            ("    svg_max_day: -30\n", "dir/study.yaml:11: output 'c' (cuminc): 'svg_max_day' ends the figure's time axis"),
            ("    svg_max_day: soon\n", "dir/study.yaml:11: 'svg_max_day' must be a number"),
            ("    figure: false\n    svg_max_day: 90\n", "dir/study.yaml:12: output 'c' (cuminc): 'svg_max_day' applies to the figure, which 'figure: false' turns off"),
            ("    figure: false\n    time_axis: Days\n", "dir/study.yaml:12: output 'c' (cuminc): 'time_axis' applies to the figure"),
            ("    svg_max_days: 90\n", "dir/study.yaml:11: output 'c' (cuminc): unknown key 'svg_max_days'"),
        ]
        for (extra, expected) in cases {
            let message = error(header + cuminc + extra)
            XCTAssertTrue(message.contains(expected), "expected '\(expected)', got '\(message)'")
        }
    }
}

import CohortData
import CohortReport
import CohortStudy
import CohortTestSupport
import Foundation
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
              - {name: plot, type: forest, model: model}
              - {name: ci, type: cuminc, event_days: {bleeding: b_day, death: d_day}, followup_day: fu, event: bleeding, competing: [death], days: [30, 90]}
              - {name: check, type: reproduce}
            """)
        XCTAssertEqual(study.dataPath, "dir/cohort.csv")
        XCTAssertEqual(study.codebookPath, "dir/codebook.yaml")
        XCTAssertEqual(study.resolve("published.yaml"), "dir/published.yaml")
        XCTAssertEqual(study.options.style.pStyle, .journal)
        XCTAssertEqual(study.options.level, 0.9)
        XCTAssertEqual(study.derived.map(\.name), ["any_event"])
        XCTAssertEqual(study.outputs.map(\.name), ["rates", "model", "plot", "ci", "check"])
        // The study's level is the default of each output that has one; the request holds every key.
        guard let rates = study.outputs[0].request as? IncidenceRequest else { return XCTFail("incidence") }
        XCTAssertEqual(rates.outcome, "bleeding")
        XCTAssertEqual(rates.method, .clopperPearson)
        XCTAssertEqual(rates.level, 0.9)
        guard let model = study.outputs[1].request as? LogitRequest else { return XCTFail("logit") }
        XCTAssertEqual(model.covariates, ["x", "y"])
        XCTAssertTrue(model.firth)
        XCTAssertEqual(model.ci, .profile)
        XCTAssertEqual(model.level, 0.9)
        guard let curves = study.outputs[3].request as? CumincRequest else { return XCTFail("cuminc") }
        XCTAssertEqual(curves.times.eventDays?.names, ["bleeding", "death"])
        XCTAssertEqual(curves.times.eventDays?.pairs.map(\.value), ["b_day", "d_day"])
        XCTAssertEqual(curves.times.followupDay, "fu")
        XCTAssertEqual(curves.times.days, [30, 90])
        XCTAssertEqual(curves.times.level, 0.9)
        XCTAssertEqual((study.outputs[4].request as? ReproduceRequest)?.published, ["published.yaml"])
    }

    /// Issue 15: `where:` is one condition, read as a formula, and its messages name its line.
    func testIssue15_whereIsAConditionNamedByItsLine() throws {
        let outputs = "outputs:\n  - {name: rates, type: incidence, outcome: bleeding}\n"
        let study = try parse(header + "where: 'age >= 18 and disease == \"LBCL\"'\n" + outputs)
        XCTAssertEqual(study.rowFilter?.formula.description, "age >= 18 and disease == \"LBCL\"")
        XCTAssertEqual(study.rowFilter?.origin, "dir/study.yaml:4: where")
        XCTAssertNil(try parse(header + outputs).rowFilter)
        XCTAssertEqual(error(header + "where: 'age >='\n" + outputs),
                       "dir/study.yaml:4: 'where': at character 7: expected a column, a number, a range a...b, \"text\", a list [...] or a function call in 'age >='")
        XCTAssertEqual(error(header + "where: age >= 18\noutputs:\n  - {name: check, type: reproduce}\n"),
                       "dir/study.yaml:4: 'where' applies to every output, but output 'check' (reproduce) reads the data its published-figure file names; list the published figures in a study without 'where'")
        XCTAssertEqual(error(header + "where: [age]\n" + outputs), "dir/study.yaml:4: 'where' must be one condition as text, such as 'age >= 18 and disease == \"LBCL\"'")
    }

    func testMistakesNameTheLine() {
        let cases: [(String, String)] = [
            (header + "colour: red\noutputs: []\n", "dir/study.yaml:4: the study file: unknown key 'colour'"),
            (header + "outputs:\n  - {name: a, type: table2}\n", "dir/study.yaml:5: output 'a': unknown type 'table2'"),
            (header + "outputs:\n  - name: a\n    type: logit\n    outcome: y\n", "dir/study.yaml:5: output 'a' (logit): 'covariates' must list at least one column"),
            (header + "options:\n  level: 95\noutputs: []\n", "dir/study.yaml:5: 'level' must be between 0 and 1"),
            (header + "outputs:\n  - {name: f, type: forest, model: nothing}\n", "dir/study.yaml:5: output 'f': 'model' must name a logit, cox or finegray output"),
            (header + "outputs:\n  - {name: f, type: forest, logit: nothing}\n", "dir/study.yaml:5: output 'f' (forest): 'logit' is now called 'model'"),
            (header + "outputs:\n  - {name: a, type: describe}\n  - {name: a, type: describe}\n", "dir/study.yaml:6: output name 'a' is used twice"),
            (header + "outputs:\n  - {name: c, type: cuminc, time: t, event: e, days: [1]}\n", "dir/study.yaml:5: output 'c' (cuminc): the time form needs exactly 'time' and 'status', without 'event_type' (given: 'time')"),
            (header + "options: {suppress_below: 2}\noutputs: []\n", "dir/study.yaml:4: options: 'suppress_below' 2 would print each 1 as <2"),
            (header + "outputs: []\n", "'outputs' is empty"),
            // Issue 12: empty lists and misspelt keys are errors naming the key, never ignored.
            (header + "outputs:\n  - {name: t, type: describe, variables: []}\n", "dir/study.yaml:5: output 't' (describe): 'variables' is empty; list the columns"),
            (header + "outputs:\n  - {name: r, type: incidence, outcome: y, lables: x}\n",
             "dir/study.yaml:5: output 'r' (incidence): unknown key 'lables'; the keys of incidence are outcome, event, by, method, level"),
            (header + "derived:\n  z: {formula: 'below(x, 1)', label: [a]}\noutputs:\n  - {name: t, type: describe}\n", "dir/study.yaml:5: 'label' must be text"),
            (header + "options: {p_style: journal, levle: 0.9}\noutputs: []\n", "dir/study.yaml:4: options: unknown key 'levle'; the keys are p_style, percent_decimals, suppress_below, level"),
            // Keys that would change nothing, as their command-line options are refused.
            (header + "outputs:\n  - {name: t, type: describe, test: fisher}\n", "dir/study.yaml:5: output 't' (describe): 'test: fisher' applies to the tests between groups: add 'by'"),
            (header + "outputs:\n  - {name: c, type: compare, outcome: y, factors: [g], trend: true, test: fisher}\n",
             "dir/study.yaml:5: output 'c' (compare): 'test: fisher' does not apply with 'trend: true': ordered factors get the Cochran-Armitage trend test"),
            (header + "outputs:\n  - {name: m, type: logit, outcome: y, covariates: [x], factor: {sex: M}}\n",
             "dir/study.yaml:5: output 'm' (logit): 'factor' names 'sex', which is not among the covariates (x); add it with 'covariates' or drop it from 'factor'"),
            (header + "outputs:\n  - {name: m, type: logit, outcome: y, covariates: [x], reference: {x: M}}\n",
             "dir/study.yaml:5: output 'm' (logit): 'reference' is now called 'factor' (the command-line option's name)"),
            (header + "outputs:\n  - {name: t, type: table1}\n",
             "dir/study.yaml:5: output 't': unknown type 'table1' ('table1' is now called 'describe', the command's name)"),
            (header + "outputs:\n  - {name: c, type: cuminc, time: t, status: s, event: e, days: [1], rho: 1}\n",
             "dir/study.yaml:5: output 'c' (cuminc): 'rho' weights Gray's test between the 'by' groups: give 'by' too"),
            (header + "outputs:\n  - {name: c, type: cuminc, event_days: {e: d}, followup_day: f, event: e, days: [1], no_event: [none]}\n",
             "dir/study.yaml:5: output 'c' (cuminc): 'no_event' does not apply to the event-days form"),
            (header + "outputs:\n  - {name: c, type: cuminc, event_days: {bleeding: b, death: d}, followup_day: f, event: bleding, days: [1]}\n",
             "dir/study.yaml:5: output 'c' (cuminc): 'event' names 'bleding', which is not one of the 'event_days' types (bleeding, death)"),
        ]
        var checked = 0
        for (text, expected) in cases {
            let message = error(text)
            XCTAssertTrue(message.contains(expected), "expected '\(expected)', got '\(message)'")
            checked += 1
        }
        XCTAssertEqual(checked, 22)
    }

    /// Writes `text` to a fresh temporary file and returns its path.
    func temporaryFile(_ text: String, name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("studyfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Issue 12: an alias bomb or 100,000 nested brackets in a study file or a published.yaml is
    /// refused at once (the guard is `YAMLText`'s, shared with codebooks).
    func testIssue12_hostileYAMLIsRefusedAtOnce() throws {
        let cases = [(HostileYAML.aliasBomb(), "'*l0' is a YAML alias"), (HostileYAML.deepNesting(key: "outputs"), "nested more than 1000 levels deep")]
        for (text, expected) in cases {
            let start = ContinuousClock.now
            let study = error(header + text)
            let published = try temporaryFile(header + text, name: "published.yaml")
            var figures = "no error"
            do { _ = try PublishedStudy.read(path: published) } catch { figures = error.description }
            let elapsed = ContinuousClock.now - start
            print("study file and published.yaml, \(expected): \(elapsed)")
            XCTAssertTrue(study.hasPrefix("dir/study.yaml:") && study.contains(expected), study)
            XCTAssertTrue(figures.hasPrefix(published + ":") && figures.contains(expected), figures)
            XCTAssertLessThan(elapsed, .seconds(5), "5 s, not 1 s: this machine is shared with other builds")
        }
    }

    /// Issue 12: every number of a study file is checked against its one rule (`InputRules`), the
    /// same one the command-line option uses; `suppress_below: 1e19` trapped in `Int(_:)` before.
    func testIssue12_numbersOutOfRangeNameTheKeyAndTheRange() {
        let cuminc = "outputs:\n  - {name: c, type: cuminc, time: t, status: s, event: e, days: [1]"
        let cases: [(String, String)] = [
            (header + "options: {suppress_below: 1e19}\noutputs: []\n",
             "dir/study.yaml:4: options: 'suppress_below' must be a whole number: 0, 1, or 3 to 1000000, got '1e19'"),
            (header + "options: {suppress_below: 9223372036854775807}\noutputs: []\n",
             "dir/study.yaml:4: options: 'suppress_below' must be a whole number between 0 and 1000000, got 9223372036854775807"),
            (header + "options: {suppress_below: 4.5}\noutputs: []\n", "'suppress_below' must be a whole number: 0, 1, or 3 to 1000000, got '4.5'"),
            (header + "options: {level: .nan}\noutputs: []\n", "dir/study.yaml:4: 'level' must be a number (between 0 and 1, both excluded (for example 0.95))"),
            (header + cuminc + ", rho: 1e300}\n", "dir/study.yaml:5: output 'c' (cuminc): 'rho' must be between -10 and 10, got 1e+300"),
            (header + "outputs:\n  - {name: c, type: cuminc, time: t, status: s, event: e, days: [1, -2]}\n",
             "dir/study.yaml:5: output 'c' (cuminc): 'days' must be a number of at least 0, got -2"),
            (header + cuminc + ", level: 1}\n", "'level' must be between 0 and 1, both excluded (for example 0.95), got 1"),
        ]
        for (text, expected) in cases {
            let message = error(text)
            XCTAssertTrue(message.contains(expected), "expected '\(expected)', got '\(message)'")
        }
        XCTAssertEqual(try parse(header + "options: {suppress_below: 0}\noutputs:\n  - {name: t, type: describe}\n").options.style.suppressBelow, 0)
        XCTAssertEqual(try parse(header + "options: {suppress_below: 11}\noutputs:\n  - {name: t, type: describe}\n").options.style.suppressBelow, 11)
    }

    /// Issue 12: published-figure thresholds are P values, and the file's keys are checked like a study file's.
    func testIssue12_publishedFiguresRefuseBadNumbersAndUnknownKeys() throws {
        let top = "schema: 1\nstudy: s\ndata: cohort.csv\ncodebook: codebook.yaml\nfigures:\n"
        func figureError(_ text: String) throws -> String {
            let path = try temporaryFile(text, name: "published.yaml")
            do {
                _ = try PublishedStudy.read(path: path)
                return "no error"
            } catch { return String(error.description.dropFirst(path.count)) }
        }
        let cases: [(String, String)] = [
            (top + "  - {id: a, printed: x, expect: {p_below: nan}, compute: {analysis: count}}\n",
             ":6: 'p_below' must be between 0 and 1, 0 excluded, got nan"),
            (top + "  - {id: a, printed: x, expect: {p_at_least: 5}, compute: {analysis: count}}\n",
             ":6: 'p_at_least' must be between 0 and 1, 0 excluded, got 5"),
            (top.replacingOccurrences(of: "figures:", with: "figurse:") + "  - {id: a}\n",
             ":5: the list of published figures: unknown key 'figurse'; the keys are schema, study, title, publication, data, codebook, notes, figures"),
            (top + "  - {id: a, printed: x, fromat: integer, format: integer, compute: {analysis: count}}\n",
             ":6: figure 'a': unknown key 'fromat'; the keys are id, description, source, tag, derivation, printed, format, expect, compute"),
            (top + "  - {id: a, printed: x, format: integer, compute: {analysis: count, were: {sex: F}}}\n",
             ":6: figure 'a' (count): unknown key 'were'; the keys are analysis, where"),
            (top + "  - {id: a, printed: x, format: integer, compute: {analysis: fisher, outcome: y, factor: f, where: {sex: F}}}\n",
             ":6: figure 'a' (fisher): unknown key 'where'; the keys are analysis, outcome, factor"),
            (top + "  - {id: a, printed: x, format: integer, compute: {analysis: logistic, outcome: y, covariates: [], term: x}}\n",
             ":6: figure 'a': 'covariates' is empty; list at least one column"),
            (top + "  - {id: a, printed: x, format: integer, compute: {analysis: logistic, outcome: y, covariates: [x, [z]], term: x}}\n",
             ":6: figure 'a': 'covariates' must list column names"),
            (top + "  - {id: a, printed: x, format: integer, source: {publication: p, page: 3}, compute: {analysis: count}}\n",
             ":6: figure 'a': source: unknown key 'page'; the keys are publication, location"),
            (top.replacingOccurrences(of: "schema: 1", with: "schema: 2") + "  - {id: a}\n", ":1: 'schema' must be 1"),
            (top + "  - {id: a, printed: x, format: integer, compute: {analysis: count}}\n  - {id: a, printed: y, format: integer, compute: {analysis: count}}\n",
             ":7: figure id 'a' is used twice; give each figure its own id"),
        ]
        for (text, expected) in cases {
            let message = try figureError(text)
            XCTAssertTrue(message.hasPrefix(expected), "expected '\(expected)', got '\(message)'")
        }
    }

    /// Issue 13: a cuminc output sets its figure's time axis with `svg_max_day` (the `--svg-max-day`
    /// of `cohort cuminc`), recorded with the parameters; a bad value names its line.
    func testIssue13_cumincTimeAxisKeys() throws {
        let cuminc = "outputs:\n  - name: c\n    type: cuminc\n    time: t\n    status: s\n    event: e\n    days: [30]\n"
        let study = try parse(header + cuminc + "    svg: true\n    svg_max_day: 91\n")
        XCTAssertEqual((study.outputs[0].request as? CumincRequest)?.figure.svgMaxDay, 91)
        XCTAssertEqual(study.outputs[0].parameters.first { $0.key == "svg_max_day" }?.value, "91")
        XCTAssertNil((try parse(header + cuminc).outputs[0].request as? CumincRequest)?.figure.svgMaxDay, "default: the last follow-up")
        let cases: [(String, String)] = [
            ("    svg: true\n    svg_max_day: 0\n", "dir/study.yaml:12: output 'c' (cuminc): 'svg_max_day' must be a number greater than 0, got 0"),
            ("    svg: true\n    svg_max_day: -30\n", "dir/study.yaml:12: output 'c' (cuminc): 'svg_max_day' must be a number greater than 0, got -30"),
            ("    svg_max_day: soon\n", "dir/study.yaml:11: output 'c' (cuminc): 'svg_max_day' must be a number > 0, got 'soon'"),
            ("    svg: false\n    svg_max_day: 90\n", "dir/study.yaml:12: output 'c' (cuminc): 'svg_max_day' applies to the figure: add 'svg'"),
            ("    figure: false\n", "dir/study.yaml:11: output 'c' (cuminc): 'figure' is now called 'svg' (the command-line option's name)"),
            ("    time_label: Days\n", "dir/study.yaml:11: output 'c' (cuminc): 'time_label' applies to the figure: add 'svg'"),
            ("    svg_max_days: 90\n", "dir/study.yaml:11: output 'c' (cuminc): unknown key 'svg_max_days'"),
        ]
        for (extra, expected) in cases {
            let message = error(header + cuminc + extra)
            XCTAssertTrue(message.contains(expected), "expected '\(expected)', got '\(message)'")
        }
    }

    /// The curve figures' keys, the same for km and cuminc: decoded, recorded with the parameters,
    /// and each figure-only key without `svg` refused naming itself.
    func testCurveFigureKeysOfKmAndCuminc() throws {
        for type in ["km", "cuminc"] {
            let output = "outputs:\n  - name: c\n    type: \(type)\n    time: t\n    status: s\n    event: e\n    days: [30]\n"
            let study = try parse(header + output + "    svg: true\n    svg_max_day: 90\n    svg_time_step: 30\n    svg_bands: false\n    time_label: Days\n")
            let figure = (study.outputs[0].request as? KmRequest)?.figure ?? (study.outputs[0].request as? CumincRequest)?.figure
            XCTAssertEqual(figure?.svg, true, type)
            XCTAssertEqual(figure?.svgMaxDay, 90, type)
            XCTAssertEqual(figure?.svgTimeStep, 30, type)
            XCTAssertEqual(figure?.svgBands, false, type)
            XCTAssertEqual(figure?.timeLabel, "Days", type)
            XCTAssertEqual(study.outputs[0].parameters.first { $0.key == "svg_time_step" }?.value, "30", type)
            let defaults = try parse(header + output + "    svg: true\n").outputs[0]
            XCTAssertNil(defaults.parameters.first { $0.key == "svg_bands" }, "\(type): unset, not recorded (default: bands for one curve)")
            let cases: [(String, String)] = [
                ("    svg_time_step: 30\n", ":11: output 'c' (\(type)): 'svg_time_step' applies to the figure: add 'svg'"),
                ("    svg_bands: true\n", ":11: output 'c' (\(type)): 'svg_bands' applies to the figure: add 'svg'"),
                ("    svg_max_day: 90\n", ":11: output 'c' (\(type)): 'svg_max_day' applies to the figure: add 'svg'"),
                ("    svg: true\n    svg_time_step: 0\n", ":12: output 'c' (\(type)): 'svg_time_step' must be a number greater than 0, got 0"),
                ("    svg: true\n    svg_max_day: 90\n    svg_time_step: 2\n",
                 ":13: output 'c' (\(type)): 'svg_time_step' with 'svg_max_day' 90: a tick every 2 days to day 90 makes 45 intervals"),
                ("    svg: true\n    svg_bands: maybe\n", ":12: output 'c' (\(type)): 'svg_bands'"),
            ]
            for (extra, expected) in cases {
                let message = error(header + output + extra)
                XCTAssertTrue(message.contains(expected), "expected '\(expected)', got '\(message)'")
            }
        }
    }
}

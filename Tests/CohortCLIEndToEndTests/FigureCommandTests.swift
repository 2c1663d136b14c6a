import CohortTestSupport
import Foundation
import XCTest

/// The figure options end to end: `cohort cuminc --svg`, `cohort logit --svg` and `cohort plot bars`
/// write standalone SVG (atomically, labelled from the codebook), and bad requests fail clearly.
final class FigureCommandTests: XCTestCase {
    var folder: String { Fixtures.path("survival/cli") }
    let dayForm = ["--event-day", "event_day", "--event-type", "first_event", "--followup-day", "last_fu_day", "--event", "bleeding", "--competing", "death"]

    func scratch() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("figures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func testCumincWritesTheCurveAndStillPrintsTheTable() throws {
        let out = try scratch() + "/cuminc.svg"
        let result = try CohortCommand.run(["cuminc", "cohort_tte.csv"] + dayForm + ["--days", "28,90", "--by", "product", "--svg", out,
                                            "--svg-max-day", "365", "--time-label", "Days since CAR-T infusion"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Gray's test"))
        let svg = try read(out)
        XCTAssertTrue(svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"))
        XCTAssertTrue(svg.contains(">Days since CAR-T infusion</text>"))
        XCTAssertTrue(svg.contains(">Number at risk</text>"))
        XCTAssertTrue(svg.contains("Cumulative incidence of bleeding by product"))
        // Twice: the same bytes.
        _ = try CohortCommand.run(["cuminc", "cohort_tte.csv"] + dayForm + ["--days", "28,90", "--by", "product", "--svg", out + "2",
                                   "--svg-max-day", "365", "--time-label", "Days since CAR-T infusion"], in: folder)
        XCTAssertEqual(try read(out + "2"), svg)
    }

    /// Issue 13: --svg-max-day ends everything the figure draws, and the caption says so.
    func testIssue13_svgMaxDayCutsTheFigure() throws {
        let out = try scratch() + "/cut.svg"
        let result = try CohortCommand.run(["cuminc", "cohort_tte.csv"] + dayForm + ["--days", "28", "--svg", out, "--svg-max-day", "30"], in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let svg = try read(out)
        XCTAssertTrue(svg.contains("The time axis ends at day 30 (follow-up to day"), svg)
        XCTAssertTrue(svg.contains("% by day 30 (n = "), "the description reads the curves at the axis end")
    }

    func testFigureOnlyOptionsNeedSvg() throws {
        let result = try CohortCommand.run(["cuminc", "cohort_tte.csv"] + dayForm + ["--days", "28", "--svg-max-day", "100"], in: folder)
        XCTAssertEqual(result.exitCode, 64)
        XCTAssertTrue(result.stderr.contains("--svg-max-day applies to the figure: add --svg"), result.stderr)
    }

    func testLogitWritesAForestPlotLabelledFromTheCodebook() throws {
        let dataset = Fixtures.repositoryRoot + "/Datasets/johnsrud2021"
        let out = try scratch() + "/forest.svg"
        let result = try CohortCommand.run(["logit", dataset + "/cohort.csv", "--outcome", "bleeding_any", "--covariates", "plt_low,icans_high",
                                            "--firth", "--svg", out])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let svg = try read(out)
        XCTAssertTrue(svg.contains(">Baseline platelets &lt; 100 x10^9/L</text>"), "codebook label, escaped")
        XCTAssertTrue(svg.contains("Firth penalised logistic regression"))
        XCTAssertTrue(svg.contains("profile penalised likelihood"))
    }

    func testPlotBarsCountsACategoricalColumn() throws {
        let dataset = Fixtures.repositoryRoot + "/Datasets/johnsrud2021"
        let result = try CohortCommand.run(["plot", "bars", dataset + "/cohort.csv", "--column", "bleeding_site", "--title", "Bleeding sites"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("<title>Bleeding sites</title>"))
        XCTAssertTrue(result.stdout.contains("Percentages of 127 patients."))
        // Issue 13: the 115 rows without a bleeding site are counted, not dropped unsaid.
        XCTAssertTrue(result.stdout.contains(">n missing = 115 (rows with no value; not drawn).</text>"), result.stdout)
        let unwritable = try CohortCommand.run(["plot", "bars", dataset + "/cohort.csv", "--column", "bleeding_site", "--out", "/nonexistent/dir/x.svg"])
        XCTAssertEqual(unwritable.exitCode, 73)
        let unknown = try CohortCommand.run(["plot", "bars", dataset + "/cohort.csv", "--column", "no_such_column"])
        XCTAssertEqual(unknown.exitCode, 65)
        XCTAssertTrue(unknown.stderr.contains("no_such_column"), unknown.stderr)
    }

    /// `cohort km --svg`: the Kaplan-Meier figure (2-3 groups from the shipped synthetic dataset),
    /// with the time axis and bands the options set, and the table still printed.
    func testKmWritesTheCurvesWithTheTimeAxisAsked() throws {
        let dataset = Fixtures.repositoryRoot + "/Datasets/johnsrud2021"
        let out = try scratch() + "/km.svg"
        let arguments = ["km", dataset + "/cohort.csv", "--event-days", "death=death_day", "--followup-day", "last_followup_day", "--event", "death",
                         "--days", "30,90", "--by", "product", "--svg", out, "--svg-max-day", "90", "--svg-time-step", "30", "--svg-bands",
                         "--time-label", "Days since infusion"]
        let result = try CohortCommand.run(arguments)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("axi-cel"), "the table is still printed")
        let svg = try read(out)
        XCTAssertTrue(svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"))
        for text in [">Survival free of death by product</text>", ">Days since infusion</text>", ">Number at risk</text>", ">100%</text>",
                     ">30</text>", ">60</text>", ">90</text>", "Shaded: pointwise 95% confidence intervals"] {
            XCTAssertTrue(svg.contains(text), text)
        }
        XCTAssertFalse(svg.contains(">120</text>"), "the axis ends at day 90")
        XCTAssertEqual(svg.components(separatedBy: "confidence band\">").count - 1, 2, "two products (axi-cel, CD19/22), bands asked for")
        // Twice: the same bytes.
        let again = out + "2"
        _ = try CohortCommand.run(arguments.map { $0 == out ? again : $0 })
        XCTAssertEqual(try read(again), svg)
    }

    /// The figure options need --svg, and a tick step that crowds the axis is refused naming the option.
    func testKmFigureOptionsAreChecked() throws {
        let dataset = Fixtures.repositoryRoot + "/Datasets/johnsrud2021"
        let base = ["km", dataset + "/cohort.csv", "--event-days", "death=death_day", "--followup-day", "last_followup_day", "--event", "death", "--days", "30"]
        for (extra, expected) in [(["--svg-time-step", "30"], "--svg-time-step applies to the figure: add --svg"),
                                  (["--no-svg-bands"], "--svg-bands applies to the figure: add --svg"),
                                  (["--svg", "x.svg", "--svg-max-day", "90", "--svg-time-step", "1"], "--svg-time-step with --svg-max-day 90: a tick every 1 day to day 90 makes 90 intervals"),
                                  (["--svg", "x.svg", "--svg-time-step", "0"], "--svg-time-step")] {
            let result = try CohortCommand.run(base + extra)
            XCTAssertEqual(result.exitCode, 64, "\(extra)")
            XCTAssertTrue(result.stderr.contains(expected), "\(extra): \(result.stderr)")
        }
    }
}

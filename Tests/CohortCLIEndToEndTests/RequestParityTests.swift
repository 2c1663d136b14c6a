import CohortTestSupport
import Foundation
import XCTest

/// Issue 13's parity test: every analysis is one request, whichever front end asks for it, so a
/// study file's output and the command with the same options (a key is the long option's name with
/// `-` written `_`) write the same bytes: `tables/NAME.md` as `--format md`, `tables/NAME.json` as
/// `--format json`, and the figure as the command's `--svg` (or `plot bars --out`).
final class RequestParityTests: XCTestCase {
    struct Case {
        let type: String
        /// The output's keys, as YAML lines (indented under the output).
        let keys: [String]
        /// The command and its options (the data file comes after the command's name).
        let command: [String]
        var arguments: [String] = []
        /// The figure to compare: the command's option that writes it (`--svg`, `--out`).
        var figureOption: String?
        /// Compare tables (false for `plot bars`, which writes only the figure).
        var tables = true
        /// The style flags the command takes (a command refuses one its output would not use; a
        /// study's options apply to every output that uses them).
        var styleFlags: [String] = []
        /// The data file (its codebook DATA.codebook.yaml when it is not the cohort's).
        var data = "cohort.csv"
    }

    let cases: [Case] = [
        Case(type: "describe", keys: ["variables: [age, sex, plt_baseline, crs_grade]", "by: bleeding_any", "measurement_test: welch"],
             command: ["describe"], arguments: ["--variables", "age,sex,plt_baseline,crs_grade", "--by", "bleeding_any", "--measurement-test", "welch"],
             styleFlags: ["--p-style", "journal", "--percent-decimals", "2"]),
        Case(type: "describe", keys: ["variables: [age, disease]", "by: product", "tests: false"],
             command: ["describe"], arguments: ["--variables", "age,disease", "--by", "product", "--no-tests"], styleFlags: ["--percent-decimals", "2"]),
        Case(type: "incidence", keys: ["outcome: bleeding_any", "by: product", "method: wilson", "level: 0.9"],
             command: ["incidence"], arguments: ["--outcome", "bleeding_any", "--by", "product", "--method", "wilson", "--level", "0.9"],
             styleFlags: ["--percent-decimals", "2"]),
        Case(type: "compare", keys: ["outcome: bleeding_any", "factors: [plt_low, icans_high, age]", "test: fisher"],
             command: ["compare"], arguments: ["--outcome", "bleeding_any", "--factors", "plt_low,icans_high,age", "--test", "fisher"],
             styleFlags: ["--p-style", "journal", "--percent-decimals", "2"]),
        Case(type: "compare", keys: ["outcome: bleeding_any", "factors: [icans_high, plt_low, age]", "strata: disease"],
             command: ["compare"], arguments: ["--outcome", "bleeding_any", "--factors", "icans_high,plt_low,age", "--strata", "disease"]),
        Case(type: "compare", keys: ["outcome: bleeding_any", "factors: [icans_grade]", "trend: true"],
             command: ["compare"], arguments: ["--outcome", "bleeding_any", "--factors", "icans_grade", "--trend"],
             styleFlags: ["--p-style", "journal", "--percent-decimals", "2"]),
        Case(type: "correlate", keys: ["x: plt_baseline", "y: ldh", "method: pearson", "level: 0.9"],
             command: ["correlate"], arguments: ["--x", "plt_baseline", "--y", "ldh", "--method", "pearson", "--level", "0.9"]),
        Case(type: "logit", keys: ["outcome: bleeding_any", "covariates: [plt_low, icans_high, disease]", "factor: {disease: LBCL}", "firth: true",
                                   "ci: wald", "max_iterations: 60", "lr: false", "diagnostics: true", "hosmer_lemeshow_groups: 6"],
             command: ["logit"], arguments: ["--outcome", "bleeding_any", "--covariates", "plt_low,icans_high,disease", "--factor", "disease=LBCL",
                                             "--firth", "--ci", "wald", "--max-iterations", "60", "--no-lr", "--diagnostics",
                                             "--hosmer-lemeshow-groups", "6"]),
        // Issue 16: the model check's figures as study keys, each the command's --roc / --calibration file.
        Case(type: "logit", keys: ["outcome: bleeding_any", "covariates: [plt_baseline, icans_high]", "roc: true"],
             command: ["logit"], arguments: ["--outcome", "bleeding_any", "--covariates", "plt_baseline,icans_high"], figureOption: "--roc"),
        Case(type: "logit", keys: ["outcome: bleeding_any", "covariates: [plt_baseline, icans_high]", "calibration: true"],
             command: ["logit"], arguments: ["--outcome", "bleeding_any", "--covariates", "plt_baseline,icans_high"], figureOption: "--calibration"),
        Case(type: "logit", keys: ["outcome: bleeding_any", "covariates: [plt_low, icans_high]", "bootstrap: 200", "seed: 7", "bootstrap_ci: percentile"],
             command: ["logit"], arguments: ["--outcome", "bleeding_any", "--covariates", "plt_low,icans_high", "--bootstrap", "200", "--seed", "7",
                                             "--bootstrap-ci", "percentile"]),
        // Issue 16: the linear, count and risk-ratio models.
        Case(type: "linear", keys: ["outcome: ldh", "covariates: [sex, disease]", "offset: age", "at: [{sex: F, disease: LBCL, age: 60}]"],
             command: ["linear"], arguments: ["--outcome", "ldh", "--covariates", "sex,disease", "--offset", "age", "--at", "sex=F,disease=LBCL,age=60"]),
        Case(type: "linear", keys: ["outcome: ldh", "covariates: [age, sex, disease]", "factor: {disease: LBCL}", "robust: hc2", "level: 0.9"],
             command: ["linear"], arguments: ["--outcome", "ldh", "--covariates", "age,sex,disease", "--factor", "disease=LBCL", "--robust", "hc2",
                                              "--level", "0.9"], styleFlags: ["--p-style", "journal"]),
        Case(type: "poisson", keys: ["outcome: crs_grade", "covariates: [age, icans_high]", "exposure: last_followup_day", "negative_binomial: true"],
             command: ["poisson"], arguments: ["--outcome", "crs_grade", "--covariates", "age,icans_high", "--exposure", "last_followup_day",
                                               "--negative-binomial"], styleFlags: ["--p-style", "journal"]),
        Case(type: "logbinomial", keys: ["outcome: bleeding_any", "covariates: [plt_low, icans_high]", "weights: age"],
             command: ["logbinomial"], arguments: ["--outcome", "bleeding_any", "--covariates", "plt_low,icans_high", "--weights", "age"]),
        Case(type: "logit", keys: ["outcome: bleeding_any", "covariates: [plt_low, icans_high, age]", "validate: 60", "seed: 3", "influence: true"],
             command: ["logit"], arguments: ["--outcome", "bleeding_any", "--covariates", "plt_low,icans_high,age", "--validate", "60", "--seed", "3",
                                             "--influence"]),
        Case(type: "rates", keys: ["events: bleeding_any", "person_time: last_followup_day", "by: product", "per: 1000", "level: 0.9"],
             command: ["rates"], arguments: ["--events", "bleeding_any", "--person-time", "last_followup_day", "--by", "product", "--per", "1000",
                                             "--level", "0.9"], styleFlags: ["--p-style", "journal"]),
        Case(type: "cox", keys: ["event_days: {bleeding: bleeding_day, death: death_day}", "followup_day: last_followup_day", "event: bleeding",
                                 "competing: [death]", "covariates: [plt_low, icans_high, product]", "factor: {product: axi-cel}", "ties: breslow",
                                 "ci: profile", "level: 0.9", "max_iterations: 50"],
             command: ["cox"], arguments: ["--event-days", "bleeding=bleeding_day,death=death_day", "--followup-day", "last_followup_day",
                                           "--event", "bleeding", "--competing", "death", "--covariates", "plt_low,icans_high,product",
                                           "--factor", "product=axi-cel", "--ties", "breslow", "--ci", "profile", "--level", "0.9",
                                           "--max-iterations", "50"]),
        Case(type: "cox", keys: ["event_days: {bleeding: bleeding_day, death: death_day}", "followup_day: last_followup_day", "event: bleeding",
                                 "covariates: [plt_low, icans_high]", "strata: disease"],
             command: ["cox"], arguments: ["--event-days", "bleeding=bleeding_day,death=death_day", "--followup-day", "last_followup_day",
                                           "--event", "bleeding", "--covariates", "plt_low,icans_high", "--strata", "disease"]),
        Case(type: "cox", keys: ["event_days: {bleeding: bleeding_day, death: death_day}", "followup_day: last_followup_day", "event: bleeding",
                                 "covariates: [plt_low, icans_high]", "weights: age", "offset: crs_grade"],
             command: ["cox"], arguments: ["--event-days", "bleeding=bleeding_day,death=death_day", "--followup-day", "last_followup_day",
                                           "--event", "bleeding", "--covariates", "plt_low,icans_high", "--weights", "age", "--offset", "crs_grade"]),
        Case(type: "logit", keys: ["formula: 'bleeding_any ~ age * plt_low + rcs(plt_baseline, 3) + product'", "factor: {product: axi-cel}"],
             command: ["logit"], arguments: ["--formula", "bleeding_any ~ age * plt_low + rcs(plt_baseline, 3) + product", "--factor", "product=axi-cel"]),
        Case(type: "cox", keys: ["event_days: {bleeding: bleeding_day, death: death_day}", "followup_day: last_followup_day", "event: bleeding",
                                 "formula: '~ plt_low * icans_high + log(age)'"],
             command: ["cox"], arguments: ["--event-days", "bleeding=bleeding_day,death=death_day", "--followup-day", "last_followup_day",
                                           "--event", "bleeding", "--formula", "~ plt_low * icans_high + log(age)"]),
        Case(type: "finegray", keys: ["event_days: {bleeding: bleeding_day, death: death_day}", "followup_day: last_followup_day", "event: bleeding",
                                      "competing: [death]", "covariates: [plt_low, icans_high]", "level: 0.9",
                                      "predict: [{plt_low: 1, icans_high: 0}, {plt_low: 0, icans_high: 0}]", "days: [30, 90]"],
             command: ["finegray"], arguments: ["--event-days", "bleeding=bleeding_day,death=death_day", "--followup-day", "last_followup_day",
                                                "--event", "bleeding", "--competing", "death", "--covariates", "plt_low,icans_high", "--level", "0.9",
                                                "--predict", "plt_low=1,icans_high=0", "--predict", "plt_low=0,icans_high=0", "--days", "30,90"]),
        Case(type: "finegray", keys: ["event_days: {bleeding: bleeding_day, death: death_day}", "followup_day: last_followup_day", "event: bleeding",
                                      "competing: [death]", "covariates: [plt_low, icans_high, product]", "univariable: true", "offset: age",
                                      "convention: finegray-coxph"],
             command: ["finegray"], arguments: ["--event-days", "bleeding=bleeding_day,death=death_day", "--followup-day", "last_followup_day",
                                                "--event", "bleeding", "--competing", "death", "--covariates", "plt_low,icans_high,product",
                                                "--univariable", "--offset", "age", "--convention", "finegray-coxph"]),
        Case(type: "cuminc", keys: ["event_days: {bleeding: bleeding_day, death: death_day}", "followup_day: last_followup_day", "event: bleeding",
                                    "days: [30, 90]", "by: product", "strata: disease", "rho: 1", "svg: true", "svg_max_day: 91", "time_label: Days"],
             command: ["cuminc"], arguments: ["--event-days", "bleeding=bleeding_day,death=death_day", "--followup-day", "last_followup_day",
                                              "--event", "bleeding", "--days", "30,90", "--by", "product", "--strata", "disease", "--rho", "1",
                                              "--svg-max-day", "91", "--time-label", "Days"], figureOption: "--svg"),
        Case(type: "km", keys: ["event_days: {death: death_day}", "followup_day: last_followup_day", "event: death", "days: [90, 365]", "by: product", "ci: log"],
             command: ["km"], arguments: ["--event-days", "death=death_day", "--followup-day", "last_followup_day", "--event", "death",
                                          "--days", "90,365", "--by", "product", "--ci", "log"]),
        // Issue 14: the log-rank test's weight and strata, quantiles and the restricted mean.
        Case(type: "km", keys: ["event_days: {death: death_day}", "followup_day: last_followup_day", "event: death", "days: [90, 365]", "by: product",
                                "rho: 1", "strata: disease", "quantiles: [0.25, 0.75]", "rmst_day: 500", "level: 0.9"],
             command: ["km"], arguments: ["--event-days", "death=death_day", "--followup-day", "last_followup_day", "--event", "death",
                                          "--days", "90,365", "--by", "product", "--rho", "1", "--strata", "disease", "--quantiles", "0.25,0.75",
                                          "--rmst-day", "500", "--level", "0.9"]),
        // The curve figures' time axis and bands (a second km case, so the figure keys stay apart from the table's).
        Case(type: "km", keys: ["event_days: {death: death_day}", "followup_day: last_followup_day", "event: death", "days: [30, 90]", "by: product",
                                "svg: true", "svg_max_day: 90", "svg_time_step: 30", "svg_bands: true", "time_label: Days"],
             command: ["km"], arguments: ["--event-days", "death=death_day", "--followup-day", "last_followup_day", "--event", "death",
                                          "--days", "30,90", "--by", "product", "--svg-max-day", "90", "--svg-time-step", "30", "--svg-bands",
                                          "--time-label", "Days"], figureOption: "--svg"),
        Case(type: "cuminc", keys: ["event_days: {thrombosis: thrombosis_day, death: death_day}", "followup_day: last_followup_day", "event: thrombosis",
                                    "days: [30]", "svg: true", "svg_time_step: 10", "svg_max_day: 100", "svg_bands: false"],
             command: ["cuminc"], arguments: ["--event-days", "thrombosis=thrombosis_day,death=death_day", "--followup-day", "last_followup_day",
                                              "--event", "thrombosis", "--days", "30", "--svg-time-step", "10", "--svg-max-day", "100", "--no-svg-bands"],
             figureOption: "--svg"),
        // Issue 15: a lab's course with its figure (a window before day 0, each patient's line), and
        // the nadir/peak table of several labs, each with its own summary.
        Case(type: "labs", keys: ["lab: labs.platelets", "by: icans_high", "days: -7...28", "svg: true", "spaghetti: true", "svg_time_step: 7",
                                  "time_label: Days since infusion"],
             command: ["labs"], arguments: ["--lab", "labs.platelets", "--by", "icans_high", "--days", "-7...28", "--spaghetti", "--svg-time-step", "7",
                                            "--time-label", "Days since infusion"], figureOption: "--svg"),
        Case(type: "labs", keys: ["lab: [labs.platelets, labs.ddimer]", "by: product", "summary: [min, max]", "days: [0, 30]"],
             command: ["labs"], arguments: ["--lab", "labs.platelets,labs.ddimer", "--by", "product", "--summary", "min,max", "--days", "0...30"],
             styleFlags: ["--p-style", "journal"]),
        Case(type: "event-types", keys: ["column: bleeding_site"], command: ["event-types"], arguments: ["--column", "bleeding_site"],
             styleFlags: ["--percent-decimals", "2"]),
        Case(type: "bars", keys: ["column: bleeding_site", "percent_of: nonmissing", "unit_label: Events"],
             command: ["plot", "bars"], arguments: ["--column", "bleeding_site", "--percent-of", "nonmissing", "--unit-label", "Events"],
             figureOption: "--out", tables: false),
        // Issue 17: the meta-analysis of per-study estimates, with its forest plot.
        Case(type: "meta", keys: ["estimate: yi", "std_error: sei", "method: dl", "label: author", "level: 0.9", "exponentiate: true",
                                  "max_iterations: 50", "svg: true"],
             command: ["meta"], arguments: ["--estimate", "yi", "--std-error", "sei", "--method", "dl", "--label", "author", "--level", "0.9",
                                            "--exponentiate", "--max-iterations", "50"], figureOption: "--svg", data: "bcg.csv"),
        Case(type: "meta", keys: ["estimate: yi", "variance: vi"], command: ["meta"], arguments: ["--estimate", "yi", "--variance", "vi"],
             styleFlags: ["--p-style", "journal"], data: "bcg.csv"),
    ]

    func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "parity-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        for file in ["cohort.csv", "codebook.yaml", "labs.csv", "published.yaml"] {
            try FileManager.default.copyItem(atPath: Fixtures.repositoryRoot + "/Datasets/johnsrud2021/" + file, toPath: dir + "/" + file)
        }
        for file in ["bcg.csv", "bcg.codebook.yaml"] { try FileManager.default.copyItem(atPath: Fixtures.path("meta/" + file), toPath: dir + "/" + file) }
        return dir
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// One study output and its command, compared format by format.
    func check(_ item: Case, options: [String] = [], flags: [String] = [], in dir: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let study = (["study: parity", "data: \(item.data)", "codebook: \(item.data == "cohort.csv" ? "codebook.yaml" : item.data.replacingOccurrences(of: ".csv", with: ".codebook.yaml"))"]
            + (options.isEmpty ? [] : ["options:"] + options.map { "  " + $0 })
            + ["outputs:", "  - name: x", "    type: \(item.type)"] + item.keys.map { "    " + $0 }).joined(separator: "\n") + "\n"
        try study.write(toFile: dir + "/study.yaml", atomically: true, encoding: .utf8)
        let report = dir + "/report-\(UUID().uuidString)"
        let made = try CohortCommand.run(["report", "study.yaml", "--out", report, "--format-set", "md,json,csv"], in: dir)
        XCTAssertEqual(made.exitCode, 0, "report (\(item.type)): \(made.stderr)", file: file, line: line)
        let arguments = item.command + [item.data] + item.arguments + flags
        // A figure's options need the figure: the table runs write it too, to a file not compared.
        let figureArguments = item.figureOption.map { [$0, dir + "/unused-\(UUID().uuidString).svg"] } ?? []
        if item.tables {
            for (format, fileExtension) in [("md", "md"), ("json", "json"), ("csv", "csv")] {
                if format == "csv", item.keys.contains("diagnostics: true") || item.keys.contains(where: { $0.hasPrefix("predict:") || $0.hasPrefix("at:") || $0.hasPrefix("validate:") || $0 == "influence: true" }) { continue }
                let command = try CohortCommand.run(arguments + figureArguments + ["--format", format], in: dir)
                XCTAssertEqual(command.exitCode, 0, "\(arguments.joined(separator: " ")): \(command.stderr)", file: file, line: line)
                let written = FileManager.default.fileExists(atPath: "\(report)/tables/x.\(fileExtension)") ? "\(report)/tables/x.\(fileExtension)" : "\(report)/tables/x-1.\(fileExtension)"
                var expected = try read(written)
                // Several tables (a model and its diagnostics; km's readings, summary, quantiles and
                // test): the command prints them one after the other, and as CSV only the first.
                var next = 2
                while format == "md", FileManager.default.fileExists(atPath: "\(report)/tables/x-\(next).\(fileExtension)") {
                    expected += "\n" + (try read("\(report)/tables/x-\(next).\(fileExtension)"))
                    next += 1
                }
                XCTAssertEqual(command.stdout, expected, "\(item.type) --format \(format) differs from the report's \(written)", file: file, line: line)
            }
        }
        if let option = item.figureOption {
            let svg = dir + "/figure-\(UUID().uuidString).svg"
            let command = try CohortCommand.run(arguments + [option, svg], in: dir)
            XCTAssertEqual(command.exitCode, 0, command.stderr, file: file, line: line)
            XCTAssertEqual(try read(svg), try read("\(report)/figures/x.svg"), "\(item.type): the figure differs", file: file, line: line)
        }
    }

    func testEveryAnalysisGivesTheSameBytesFromAStudyFileAndFromItsCommand() throws {
        let dir = try folder()
        for item in cases { try check(item, in: dir) }
        XCTAssertEqual(Set(cases.map(\.type)), ["describe", "incidence", "rates", "compare", "correlate", "logit", "linear", "poisson", "logbinomial", "cox", "finegray", "cuminc", "km", "labs", "event-types", "bars", "meta"])
    }

    /// Issue 15: a study file's `where:` and the command's `--where` keep the same rows and give the
    /// same bytes; the command says on standard error, and the report's provenance records, how many
    /// rows were kept and dropped. 90 of the 127 rows are LBCL at 50 or older (counted in Python
    /// from cohort.csv: no row lacks an age or a disease).
    func testIssue15_whereGivesTheSameBytesFromAStudyFileAndFromItsCommand() throws {
        let dir = try folder()
        let condition = "age >= 50 and disease == \"LBCL\""
        let study = """
            study: parity
            data: cohort.csv
            codebook: codebook.yaml
            where: 'age >= 50 and disease == "LBCL"'
            outputs:
              - name: x
                type: describe
                variables: [age, sex, plt_baseline]
                by: bleeding_any
            """
        try study.write(toFile: dir + "/study.yaml", atomically: true, encoding: .utf8)
        let report = dir + "/report"
        let made = try CohortCommand.run(["report", "study.yaml", "--out", report, "--format-set", "md,json"], in: dir)
        XCTAssertEqual(made.exitCode, 0, made.stderr)
        for format in ["md", "json"] {
            let command = try CohortCommand.run(["describe", "cohort.csv", "--variables", "age,sex,plt_baseline", "--by", "bleeding_any",
                                                 "--where", condition, "--format", format], in: dir)
            XCTAssertEqual(command.exitCode, 0, command.stderr)
            XCTAssertEqual(command.stdout, try read("\(report)/tables/x.\(format)"), "--format \(format)")
            XCTAssertEqual(command.stderr, "cohort describe: note: --where \(condition): kept 90 of 127 rows, dropped 37 (37 where the condition is 0, 0 where it is missing)\n")
        }
        XCTAssertTrue(try read("\(report)/tables/x.md").contains("Overall (N = 90)"))
        let provenance = try read(report + "/provenance.json")
        XCTAssertTrue(provenance.contains("\"rows\": 90,"), provenance)
        XCTAssertTrue(provenance.contains(#""condition": "age >= 50 and disease == \"LBCL\"""#), provenance)
        XCTAssertTrue(provenance.contains("\"rows_read\": 127,") && provenance.contains("\"kept\": 90,") && provenance.contains("\"dropped_false\": 37,")
                      && provenance.contains("\"dropped_missing\": 0"), provenance)
        XCTAssertTrue(try read(report + "/summary.md").contains("Rows: where age >= 50 and disease == \"LBCL\": kept 90 of 127 rows"))
        // A condition that keeps nothing stops both, naming where it was written.
        let none = try CohortCommand.run(["describe", "cohort.csv", "--variables", "age", "--where", "age > 200"], in: dir)
        XCTAssertEqual(none.exitCode, 65)
        XCTAssertEqual(none.stderr, "cohort describe: --where: age > 200 keeps no row of cohort.csv (127 rows where it is 0, 0 where it is missing); nothing would be analysed\n")
        try study.replacingOccurrences(of: "age >= 50", with: "age >= 500").write(toFile: dir + "/study.yaml", atomically: true, encoding: .utf8)
        let empty = try CohortCommand.run(["report", "study.yaml", "--out", dir + "/empty"], in: dir)
        XCTAssertEqual(empty.exitCode, 65)
        XCTAssertTrue(empty.stderr.contains("study.yaml:4: where: age >= 500 and disease == \"LBCL\" keeps no row of"), empty.stderr)
    }

    func testStyleOptionsAndSuppressionAreTheSameOnBothSides() throws {
        let dir = try folder()
        let style = ["p_style: journal", "percent_decimals: 2", "suppress_below: 5"]
        for item in cases where !item.styleFlags.isEmpty {
            try check(item, options: style, flags: item.styleFlags + ["--suppress-below", "5"], in: dir)
        }
    }

    /// `reproduce` and `forest` have no data options: the reproduction table and the forest plot of
    /// `logit --svg` (with the same title) are the same from both sides.
    func testReproductionAndForestPlotParity() throws {
        let dir = try folder()
        let study = """
            study: parity
            data: cohort.csv
            codebook: codebook.yaml
            outputs:
              - name: fit
                type: logit
                outcome: bleeding_any
                covariates: [plt_low, icans_high]
                firth: true
              - name: forest
                type: forest
                title: "Odds ratios for bleeding_any"
                model: fit
              - name: hazards
                type: cox
                event_days: {bleeding: bleeding_day, death: death_day}
                followup_day: last_followup_day
                event: bleeding
                competing: [death]
                covariates: [plt_low, icans_high, product]
              - name: forest-cox
                type: forest
                title: "Hazard ratios for bleeding"
                model: hazards
              - name: subdistribution
                type: finegray
                event_days: {bleeding: bleeding_day, death: death_day}
                followup_day: last_followup_day
                event: bleeding
                competing: [death]
                covariates: [plt_low, icans_high]
              - name: forest-finegray
                type: forest
                title: "Subdistribution hazard ratios for bleeding"
                model: subdistribution
              - name: again
                type: reproduce
                published: published.yaml

            """
        try study.write(toFile: dir + "/study.yaml", atomically: true, encoding: .utf8)
        let report = dir + "/report"
        let made = try CohortCommand.run(["report", "study.yaml", "--out", report, "--format-set", "md,json"], in: dir)
        XCTAssertEqual(made.exitCode, 0, made.stderr)
        let svg = dir + "/forest.svg"
        let logit = try CohortCommand.run(["logit", "cohort.csv", "--outcome", "bleeding_any", "--covariates", "plt_low,icans_high", "--firth", "--svg", svg], in: dir)
        XCTAssertEqual(logit.exitCode, 0, logit.stderr)
        XCTAssertEqual(try read(svg), try read(report + "/figures/forest.svg"))
        let times = ["--event-days", "bleeding=bleeding_day,death=death_day", "--followup-day", "last_followup_day", "--event", "bleeding", "--competing", "death"]
        for (command, covariates, figure) in [("cox", "plt_low,icans_high,product", "forest-cox"), ("finegray", "plt_low,icans_high", "forest-finegray")] {
            let file = dir + "/\(figure).svg"
            let run = try CohortCommand.run([command, "cohort.csv"] + times + ["--covariates", covariates, "--svg", file], in: dir)
            XCTAssertEqual(run.exitCode, 0, run.stderr)
            XCTAssertEqual(try read(file), try read(report + "/figures/\(figure).svg"), figure)
        }
        let coxFigure = try read(report + "/figures/forest-cox.svg")
        XCTAssertTrue(coxFigure.contains("Hazard ratio"), "the axis names the measure")
        XCTAssertTrue(coxFigure.contains("1 (reference)"), "product's reference level is a row")
        XCTAssertTrue(try read(report + "/figures/forest-finegray.svg").contains("Subdistribution hazard ratio"))
        for format in ["md", "json"] {
            let reproduce = try CohortCommand.run(["reproduce", "published.yaml", "--format", format], in: dir)
            XCTAssertEqual(reproduce.exitCode, 0, reproduce.stderr)
            XCTAssertEqual(reproduce.stdout, try read("\(report)/tables/again.\(format)"), format)
        }
    }
}

extension RequestParityTests {
    /// Library errors name options as request fields; each front end writes them its own way.
    func testLibraryErrorsNameTheOptionAsEachFrontEndWritesIt() throws {
        let dir = try folder()
        let command = try CohortCommand.run(["logit", "cohort.csv", "--outcome", "disease", "--covariates", "age"], in: dir)
        XCTAssertEqual(command.exitCode, 65, command.stderr)
        XCTAssertTrue(command.stderr.contains("say which one is the event with --event"), command.stderr)
        let study = "study: s\ndata: cohort.csv\ncodebook: codebook.yaml\noutputs:\n  - {name: m, type: logit, outcome: disease, covariates: [age]}\n"
        try study.write(toFile: dir + "/study.yaml", atomically: true, encoding: .utf8)
        let report = try CohortCommand.run(["report", "study.yaml", "--out", "r"], in: dir)
        XCTAssertEqual(report.exitCode, 65, report.stderr)
        XCTAssertTrue(report.stderr.contains("output 'm': ") && report.stderr.contains("say which one is the event with 'event'"), report.stderr)
        XCTAssertFalse(report.stderr.contains("{event}") || command.stderr.contains("{event}"))
    }
}

/// One spelling per option: every key a study output takes is the long option of its command.
final class OneSpellingTests: XCTestCase {
    /// The report's format names are `--format`'s (`latex`, not `tex`); the old name says the new one.
    func testReportFormatNamesAreTheFormatOptionsNames() throws {
        let dir = NSTemporaryDirectory() + "spelling-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        let study = Fixtures.repositoryRoot + "/Datasets/nct02965092/study.yaml"
        let old = try CohortCommand.run(["report", study, "--out", dir + "/a", "--format-set", "md,tex"])
        XCTAssertEqual(old.exitCode, 64)
        XCTAssertTrue(old.stderr.contains("unknown format 'tex' ('tex' is now 'latex', the --format name)"), old.stderr)
        let new = try CohortCommand.run(["report", study, "--out", dir + "/b", "--format-set", "latex"])
        XCTAssertEqual(new.exitCode, 0, new.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/b/tables/incidence-bleeding.tex") ||
                      ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/b/tables")) ?? []).contains { $0.hasSuffix(".tex") })
    }

    func testEveryStudyKeyIsALongOptionOfItsCommand() throws {
        let commands: [String: [String]] = [
            "describe": ["describe"], "incidence": ["incidence"], "rates": ["rates"], "compare": ["compare"], "correlate": ["correlate"], "logit": ["logit"],
            "cuminc": ["cuminc"], "km": ["km"], "cox": ["cox"], "event-types": ["event-types"], "bars": ["plot", "bars"], "meta": ["meta"],
            "linear": ["linear"], "poisson": ["poisson"], "logbinomial": ["logbinomial"], "finegray": ["finegray"],
        ]
        let keys: [String: [String]] = [
            "describe": ["variables", "by", "tests", "test", "measurement_test", "layout", "smd"],
            "incidence": ["outcome", "event", "by", "method", "level"],
            "compare": ["outcome", "event", "factors", "test", "measurement_test", "trend", "strata"],
            "correlate": ["x", "y", "method", "alternative", "level"],
            "logit": ["outcome", "event", "covariates", "formula", "factor", "firth", "ci", "level", "lr", "max_iterations", "bootstrap", "seed", "bootstrap_ci", "diagnostics",
                      "hosmer_lemeshow_groups", "at", "weights", "offset", "standardize", "univariable", "validate", "influence", "roc", "calibration", "cluster", "by"],
            "rates": ["events", "person_time", "by", "reference", "per", "level"],
            "linear": ["outcome", "covariates", "formula", "factor", "robust", "weights", "offset", "level", "at", "standardize", "bootstrap", "seed", "cluster"],
            "poisson": ["outcome", "covariates", "formula", "factor", "exposure", "offset", "negative_binomial", "weights", "level", "at", "standardize", "bootstrap", "seed", "cluster"],
            "logbinomial": ["outcome", "event", "covariates", "formula", "factor", "weights", "offset", "level", "at", "standardize", "bootstrap", "seed"],
            "cox": ["event_day", "event_type", "followup_day", "event_days", "index_date", "event_date", "followup_date", "time", "status", "event",
                    "competing", "no_event", "covariates", "formula", "factor", "ties", "strata", "cluster", "ci", "level", "max_iterations",
                    "univariable", "by", "weights", "offset"],
            "finegray": ["event_day", "event_type", "followup_day", "event_days", "index_date", "event_date", "followup_date", "time", "status", "event",
                         "competing", "no_event", "covariates", "formula", "factor", "level", "convention", "max_iterations", "predict", "days",
                         "univariable", "weights", "offset"],
            "cuminc": ["event_day", "event_type", "followup_day", "event_days", "index_date", "event_date", "followup_date", "time", "status", "event",
                       "competing", "no_event", "days", "by", "ci", "level", "strata", "rho", "svg", "time_label", "svg_max_day", "svg_time_step", "svg_bands"],
            "km": ["event_day", "event_type", "followup_day", "event_days", "index_date", "event_date", "followup_date", "time", "status", "event",
                   "competing", "no_event", "days", "by", "ci", "level", "rho", "strata", "quantiles", "rmst_day", "svg", "time_label", "svg_max_day", "svg_time_step", "svg_bands"],
            "event-types": ["column"],
            "bars": ["column", "percent_of", "unit_label"],
            "meta": ["estimate", "std_error", "variance", "method", "label", "level", "exponentiate", "max_iterations", "svg", "term"],
        ]
        // Keys that name another output of the same study file, which a command does not have (its
        // DATA is that output's CSV): documented, but no option.
        let studyOnly: [String: [String]] = ["meta": ["model"]]
        // The reference lists the same keys (generated from the request types).
        let reference = try String(contentsOfFile: Fixtures.repositoryRoot + "/docs/study-files.md", encoding: .utf8)
        for (type, command) in commands {
            let help = try CohortCommand.run(command + ["--help"])
            XCTAssertEqual(help.exitCode, 0)
            let section = reference.components(separatedBy: "### `type: \(type)`").dropFirst().first?.components(separatedBy: "### ").first ?? ""
            XCTAssertFalse(section.isEmpty, "the reference has no section for \(type)")
            for key in keys[type] ?? [] {
                XCTAssertTrue(help.stdout.contains("--" + key.replacingOccurrences(of: "_", with: "-")), "\(type): '\(key)' is not an option of cohort \(command.joined(separator: " "))")
                XCTAssertTrue(section.contains("| `\(key)` |"), "\(type): '\(key)' is not in the study-file reference")
            }
            for key in studyOnly[type] ?? [] {
                XCTAssertTrue(section.contains("| `\(key)` |"), "\(type): '\(key)' is not in the study-file reference")
                XCTAssertFalse(help.stdout.contains("--" + key + " "), "\(type): '\(key)' is study-only but an option of the command")
            }
            let documented = section.components(separatedBy: "\n").filter { $0.hasPrefix("| `") }.count
            XCTAssertEqual(documented, (keys[type]?.count ?? 0) + (studyOnly[type]?.count ?? 0), "\(type): the reference lists other keys than the test knows")
        }
    }
}

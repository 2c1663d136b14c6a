import ArgumentParser
import CohortData
import CohortReport
import CohortStudy
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Every output of a study file (tables, figures, index.html, summary.md, provenance) written to a folder as one step.",
        discussion: """
            A study file (YAML; every key in docs/study-files.md) names the dataset, \
            its codebook, report options and a list of outputs: table1, incidence, compare, logit, \
            cuminc (with its figure), forest, bars and reproduce. Each output runs through the same \
            library call as its own command. Every table is written in each format of --format-set \
            (tables/NAME.EXT), each figure as SVG (figures/NAME.svg), with index.html (standalone, no \
            JavaScript), summary.md and provenance.json: the toolkit version, the SHA-256 of the data, \
            codebook and study file, and every parameter.

            The same inputs give byte-identical files: no clock is read (--date adds a date to the \
            provenance). Everything is computed before anything is written: when an analysis fails \
            the command names the output, exits non-zero and leaves DIR as it was. The files are \
            then written to a staging folder beside DIR and swapped in with one atomic rename, so \
            DIR always holds the whole previous report or the whole new one. DIR must be new, \
            empty, or a previous report.

            Examples:
              cohort report Datasets/johnsrud2021/study.yaml --out reports/johnsrud2021
              cohort report study.yaml --out report --format-set md,html --date 2026-11-22
            """
    )

    @Argument(help: ArgumentHelp("The study file (YAML).", valueName: "study"))
    var study: String

    @Option(help: ArgumentHelp("The report folder (created, or replaced when it holds a previous report).", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("A date for the provenance, YYYY-MM-DD (default: none, so reruns are byte-identical).", valueName: "date"))
    var date: String?

    @Option(name: .customLong("suppress-below"), help: ArgumentHelp(
        "Small-cell suppression for sharing (overrides the study file's suppress_below): counts 1..K-1 print as <K in every table, with further cells hidden where a total would reveal them; outputs that cannot be suppressed (curves, figures, reproduced figures) are left out and listed. K is 3 to 1000000 (0 or 1: nothing hidden).",
        valueName: "K"))
    var suppressBelow: NumberArgument?

    @Option(name: .customLong("format-set"), help: ArgumentHelp("Table formats, comma-separated: md, html, csv, json, latex, and docx (one report.docx holding every table and figure); the --format names. Default: the study file's options: formats, else md,html,csv,json,latex.", valueName: "formats"))
    var formatSet: String?

    /// The formats --format-set names, without repeats; nil when it is not given.
    var formats: [String]? {
        guard let formatSet else { return nil }
        var seen: [String] = []
        for name in formatSet.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) where !seen.contains(name) {
            seen.append(name)
        }
        return seen
    }

    func validate() throws {
        let known = BatchReport.formatNames.map(\.name)
        if let formats {
            guard !formats.isEmpty else { throw ValidationError("--format-set must name at least one of \(known.joined(separator: ", "))") }
            for name in formats where !known.contains(name) {
                let renamed = name == "tex" ? " ('tex' is now 'latex', the --format name)" : ""
                throw ValidationError("--format-set: unknown format '\(name)'\(renamed); use \(known.joined(separator: ", "))")
            }
        }
        if let given = suppressBelow {
            let style = ReportStyle(suppressBelow: try given.whole("--suppress-below", InputRules.suppressBelow))
            do throws(RequestError) {
                try style.validate()
            } catch {
                throw ValidationError(error.commandLineText)
            }
        }
        // One date reader for the toolkit (the codebook's `date` type): 2026-02-31 is not a date.
        if let date, CalendarDate(iso: date) == nil {
            throw ValidationError("--date must be YYYY-MM-DD, a real calendar date, got '\(date)'")
        }
    }

    @OptionGroup var threads: ThreadOptions

    @OptionGroup var paths: ConfinementOptions

    func run() throws {
        try ExitStatus.guarding("report") {
            var studyFile = try StudyFile.read(path: study, confinement: paths.confinement)
            if let given = suppressBelow { studyFile.options.style.suppressBelow = try given.whole("--suppress-below", InputRules.suppressBelow) }
            let files: [ReportFile]
            do throws(BatchError) {
                files = try BatchReport.build(BatchReport.Request(study: studyFile, formats: formats ?? studyFile.options.formats ?? BatchReport.defaultFormats, toolkitVersion: CohortVersion.current, date: date))
            } catch {
                // The message names the output; the exit code is the one the analysis's own command gives.
                let code = error.underlying.map(ExitStatus.code(for:)) ?? ExitStatus.dataError
                ExitStatus.fail("report", "\(study): \(error.description)", code)
            }
            let pause = ProcessInfo.processInfo.environment["COHORTKIT_TEST_PAUSE_AFTER_FILES"].flatMap { Int($0) }
            let written: Int
            do throws(ReportDirectory.WriteError) {
                written = try ReportDirectory.write(files, to: out, pauseAfterFiles: pause)
            } catch {
                ExitStatus.fail("report", error.description, ExitStatus.cannotCreate)
            }
            try StandardOutput.write("cohort report: wrote \(written) files to \(out)\n")
        }
    }
}

import ArgumentParser
import CohortReport
import CohortStudy

struct LabsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labs",
        abstract: "Laboratory courses from a linked table: per-day median [IQR] by group with a figure, or each patient's nadir or peak by group with the rank-sum test.",
        discussion: """
            --lab names a column of a table the codebook links under tables: (one row a draw: patient id \
            and study day), as TABLE.COLUMN: labs.platelets. The window --days is inclusive and written \
            as in a codebook formula (default 0...28; -7...30 reaches before day 0).

            Without --summary it prints, for each group and each day with a value, the patients with a \
            value that day (a patient with several draws that day counts once, with the day's mean) and \
            their median [IQR] (R's type-7 quantiles). --svg FILE also draws the course: each group's \
            daily median with its interquartile range shaded, or with --spaghetti each patient's course \
            as a thin line under the medians (no identifiers are drawn); under the day axis, the \
            patients with a value on each tick day. --svg-time-step sets the day ticks, --time-label \
            the axis label, --svg-bands / --no-svg-bands the IQR bands.

            With --summary min (nadir), max (peak), mean, first, last or auc it prints instead each \
            patient's value over the window (as the codebook's min(labs.platelets, days = 0...28)) by \
            group: n (missing), median [IQR], and the Wilcoxon rank-sum test (two groups) or \
            Kruskal-Wallis (more), named; several --lab give one row a lab, and --summary min,max gives \
            each lab its own (in the order of --lab).

            Examples:
              cohort labs cohort.csv --lab labs.platelets --by icans_high --days 0...28
              cohort labs cohort.csv --lab labs.platelets --by icans_high --svg plt.svg --svg-time-step 7
              cohort labs cohort.csv --lab labs.platelets --by icans_high --svg plt.svg --spaghetti
              cohort labs cohort.csv --lab labs.platelets,labs.fibrinogen --by icans_high --summary min
              cohort labs cohort.csv --lab labs.platelets,labs.ddimer --by icans_high --summary min,max
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("The measurements, comma-separated, each a linked table's column as TABLE.COLUMN (labs.platelets).", valueName: "table.column,..."))
    var lab: String

    @Option(help: ArgumentHelp("A patient-table column to split by.", valueName: "column"))
    var by: String?

    // Unconditional: a window before day 0 (-7...28) would otherwise read as an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("The study days, inclusive, as first...last (default 0...28; -7...28 reaches before day 0).", valueName: "first...last"))
    var days: String?

    @Option(help: ArgumentHelp("Instead of the per-day course, each patient's value over the window by group, with the rank-sum test: min (nadir), max (peak), mean, first, last or auc; one for every --lab, or one a lab, comma-separated (min,max).", valueName: "summary,..."))
    var summary: String?

    @Option(help: ArgumentHelp("Also write the course as an SVG figure to this file (atomically): daily medians with IQR bands, one lab.", valueName: "file"))
    var svg: String?

    @Flag(help: "The --svg figure draws each patient's course as a thin line under the group medians.")
    var spaghetti = false

    @Option(help: ArgumentHelp("The day axis label of the --svg figure (default: Study day).", valueName: "text"))
    var timeLabel: String?

    @Option(help: ArgumentHelp("A tick (and a count of patients with a value) every this many days on the --svg figure's day axis, e.g. 7.", valueName: "days"))
    var svgTimeStep: Double?

    @Flag(inversion: .prefixedNo, help: "Shade the --svg figure's interquartile ranges (default: yes, no with --spaghetti).")
    var svgBands: Bool?

    @OptionGroup var output: OutputOptions

    func request() throws -> LabsRequest {
        var request = LabsRequest()
        request.lab = ColumnList.merge(lab, [])
        request.by = by
        if let days {
            switch DayWindow.parse(days) {
            case .success(let window): request.days = window
            case .failure(let problem): throw ValidationError(problem.commandLineText)
            }
        }
        request.windowSummary = try summary.map { text in
            try text.split(separator: ",", omittingEmptySubsequences: false).map { word in
                let name = String(word).trimmingSpaces()
                guard let summary = LabsRequest.Summary(rawValue: name) else {
                    throw ValidationError("--summary expects min, max, mean, first, last or auc (or a comma-separated list of them), got '\(name)'")
                }
                return summary
            }
        }
        request.svg = svg != nil
        request.spaghetti = spaghetti
        request.timeLabel = timeLabel
        request.svgTimeStep = svgTimeStep
        request.svgBands = svgBands
        return request
    }

    func validate() throws {
        try RequestRunner.validate(try request(), output: output)
        try output.rejectStyleThatDoesNotApply("labs", prints: summary != nil && by != nil ? [.pValues] : [],
                                               pValuesBecause: "prints a P value only with --summary and --by")
    }

    func run() throws {
        try RequestRunner.runCommand(try request(), "labs", input: input, output: output, figures: { result, _ in
            if let svg, let drawn = result.figures.first { try AtomicFile.write(drawn.svg, to: svg) }
        })
    }
}

import ArgumentParser
import CohortData
import CohortReport
import CohortStudy

/// `cohort plot`: figures that are not the by-product of an analysis command (those take `--svg`).
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Write a figure as SVG (the curves and forest plot: cohort cuminc --svg, cohort logit --svg).",
        subcommands: [PlotBarsCommand.self]
    )
}

extension BarsRequest.PercentBase: ExpressibleByArgument {}

struct PlotBarsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bars",
        abstract: "Horizontal bars of the count of rows at each value of a column (e.g. bleeding sites), as SVG.",
        discussion: """
            One bar a value, in the codebook's level order (else sorted); rows missing the column are \
            not counted (for a column such as bleeding_site, missing means no bleeding). Each bar is \
            labelled with its count and, by default, its percentage of all rows (--percent-of \
            nonmissing: of the rows with a value; none: counts only). The title is the column's \
            codebook label unless --title is given; a note gives the rows without a value (n missing). With no \
            non-missing value the figure says "no events".

            Examples:
              cohort plot bars cohort.csv --column bleeding_site --out sites.svg
              cohort plot bars cohort.csv --column thrombosis_type --percent-of nonmissing --title "Thrombosis types"
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("The column whose values are counted.", valueName: "column"))
    var column: String

    @Option(help: "What the percentages are of.")
    var percentOf: BarsRequest.PercentBase = .all

    @Option(help: ArgumentHelp("The figure's title (default: the column's codebook label).", valueName: "text"))
    var title: String?

    @Option(help: ArgumentHelp("What a count counts, for the axis (default: Patients).", valueName: "text"))
    var unitLabel: String = "Patients"

    @Option(help: ArgumentHelp("Write the SVG to this file (atomically) instead of standard output.", valueName: "file"))
    var out: String?

    func request() -> BarsRequest {
        var request = BarsRequest()
        request.column = column
        request.percentOf = percentOf
        request.unitLabel = unitLabel
        return request
    }

    func validate() throws { try RequestRunner.validate(request()) }

    func run() throws {
        try ExitStatus.guarding("plot bars") {
            let result = try RequestRunner.run(request(), on: try input.load("plot bars"), style: NumberStyle.standard, title: title)
            try AtomicFile.emit(result.figures[0].svg, to: out)
        }
    }
}

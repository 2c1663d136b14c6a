import ArgumentParser
import CohortData
import CohortReport

/// `cohort plot`: figures that are not the by-product of an analysis command (those take `--svg`).
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Write a figure as SVG (the curves and forest plot: cohort cuminc --svg, cohort logit --svg).",
        subcommands: [PlotBarsCommand.self]
    )
}

/// Percentages of which rows a bar chart prints.
enum PercentBase: String, ExpressibleByArgument, CaseIterable {
    case all, nonmissing, none
}

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
    var percentOf: PercentBase = .all

    @Option(help: ArgumentHelp("The figure's title (default: the column's codebook label).", valueName: "text"))
    var title: String?

    @Option(help: ArgumentHelp("What a count counts, for the axis (default: Patients).", valueName: "text"))
    var unitLabel: String = "Patients"

    @Option(help: ArgumentHelp("Write the SVG to this file (atomically) instead of standard output.", valueName: "file"))
    var out: String?

    func run() throws {
        try ExitStatus.guarding("plot bars") {
            let table = try input.load()
            let values = try table.column(named: column)
            let present = (0..<table.rowCount).filter { !values.isMissing($0) }
            let categories = values.groups(of: present).map { (label: $0.label, count: $0.rows.count) }
            let denominator: Int? = switch percentOf {
            case .all: table.rowCount
            case .nonmissing: present.count
            case .none: nil
            }
            let figure = BarChart.svg(title: title ?? FigureLabels.text(table, column: column), categories: categories,
                                      valueAxis: AxisLabel(unitLabel), denominator: denominator, missing: table.rowCount - present.count)
            try AtomicFile.emit(figure, to: out)
        }
    }
}

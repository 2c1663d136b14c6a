import ArgumentParser
import CohortStudy

/// The figure options of the curve commands (`cuminc`, `km`): `--svg FILE` and how to lay out its
/// time axis and bands. They fill ``CurveFigureFields``, whose `validate()` checks them (an option
/// without `--svg` is refused there, naming the option).
struct CurveFigureOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Also write the curves as an SVG figure to this file (atomically): step curves with censoring marks, confidence bands and a numbers-at-risk table.", valueName: "file"))
    var svg: String?

    @Option(help: ArgumentHelp("The time axis label of the --svg figure.", valueName: "text"))
    var timeLabel: String?

    @Option(help: ArgumentHelp("End the --svg figure's time axis at the first tick at or after this day (default: the last follow-up).", valueName: "day"))
    var svgMaxDay: Double?

    @Option(help: ArgumentHelp("A tick (and a numbers-at-risk column) every this many days on the --svg figure's time axis, e.g. 30 (default: nice ticks).", valueName: "days"))
    var svgTimeStep: Double?

    @Flag(inversion: .prefixedNo, help: "Draw the --svg figure's confidence bands (default: for one curve only).")
    var svgBands: Bool?

    /// The request's figure fields.
    var fields: CurveFigureFields {
        var fields = CurveFigureFields()
        fields.svg = svg != nil
        fields.timeLabel = timeLabel
        fields.svgMaxDay = svgMaxDay
        fields.svgTimeStep = svgTimeStep
        fields.svgBands = svgBands
        return fields
    }
}

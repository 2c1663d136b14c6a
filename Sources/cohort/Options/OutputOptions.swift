import ArgumentParser
import CohortReport

extension TableFormat: ExpressibleByArgument {}

/// How P values are printed: `standard` 0.020 / <0.001, `journal` .02 / <.01 (Blood Advances).
enum PStyleOption: String, ExpressibleByArgument, CaseIterable {
    case standard, journal
}

/// Where and how results are written.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format.")
    var format: TableFormat = .text

    @Option(help: ArgumentHelp("Write to this file (atomically: a temporary file renamed into place) instead of standard output; - is standard output. An input of the command is never overwritten.", valueName: "file"))
    var out: String?

    @Option(name: .customLong("p-style"), help: "P value style: standard (0.020, <0.001; the default) or journal (.02, <.01).")
    var pStyle: PStyleOption?

    @Option(name: .customLong("percent-decimals"), help: ArgumentHelp("Digits after the point of percentages in Table 1, incidence, compare and event-types tables, 0 to 4 (default 1).", valueName: "n"))
    var percentDecimalsGiven: NumberArgument?

    @Option(name: .customLong("suppress-below"), help: ArgumentHelp(
        "Small-cell suppression for sharing: counts 1..K-1 print as <K, with further cells hidden where a total would reveal them; percentages of hidden counts are not printed. With --format json the table itself is written (no raw counts). K is 3 to 1000000 (0 or 1: nothing hidden).",
        valueName: "K"))
    var suppressBelowGiven: NumberArgument?

    var percentDecimals: Int { percentDecimalsGiven.flatMap { InputRules.percentDecimals.whole($0.value) } ?? 1 }

    var suppressBelow: Int? { suppressBelowGiven.flatMap { InputRules.suppressBelow.whole($0.value) } }

    func validate() throws {
        if let given = percentDecimalsGiven { _ = try given.whole("--percent-decimals", InputRules.percentDecimals) }
        if let given = suppressBelowGiven {
            if let problem = InputRules.suppressionProblem("--suppress-below", given.value, as: given.text) { throw ValidationError(problem) }
        }
    }

    /// For commands whose tables do not implement suppression yet (numbers at risk, correlations,
    /// reproduced figures): refuse --suppress-below rather than print counts the user meant to hide.
    func rejectSuppression(_ command: String) throws {
        if let suppressBelow, suppressBelow > 1 {
            throw ValidationError("--suppress-below is not supported by '\(command)' yet (its counts are not suppressed); share its output only inside the institution")
        }
    }

    /// What a command's output prints, so that a style option that would change nothing is refused
    /// rather than silently ignored (issue 12).
    struct Prints: OptionSet {
        let rawValue: Int
        static let pValues = Prints(rawValue: 1)
        static let percentages = Prints(rawValue: 2)
    }

    /// Refuses --p-style and --percent-decimals when `command`'s output as requested has no P values
    /// or percentages (JSON without suppression carries unrounded numbers, so neither applies).
    func rejectStyleThatDoesNotApply(_ command: String, prints: Prints, because reason: String? = nil) throws {
        let rawJSON = format == .json && !style.suppression.isActive
        let why = rawJSON ? "--format json writes unrounded numbers" : reason.map { "'\(command)' \($0)" }
        if pStyle != nil, rawJSON || !prints.contains(.pValues) {
            throw ValidationError("--p-style does not apply: \(why ?? "'\(command)' prints no P values")")
        }
        if percentDecimalsGiven != nil, rawJSON || !prints.contains(.percentages) {
            throw ValidationError("--percent-decimals does not apply: \(why ?? "'\(command)' prints no percentages")")
        }
    }

    /// The number and suppression style every table builder takes.
    var style: NumberStyle {
        NumberStyle(pValues: pStyle == .journal ? .journal : .threeDecimals, percentDecimals: percentDecimals, suppression: Suppression(below: suppressBelow ?? 1))
    }

    /// The command's text: its stable JSON (raw counts) for `--format json`, except under
    /// suppression, where the suppressed table's JSON is written so no raw count leaves.
    func render(_ table: @autoclosure () -> ReportTable, json: () -> String) -> String {
        writesRawJSON ? json() : format.render(table())
    }

    /// `--format json` without suppression: the command's own JSON, not its table's.
    var writesRawJSON: Bool { format == .json && !style.suppression.isActive }

    func emit(_ text: String) throws { try AtomicFile.emit(text, to: out) }
}

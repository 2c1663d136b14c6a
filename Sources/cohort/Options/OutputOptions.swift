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

    @Option(help: ArgumentHelp("Write to this file (atomically: a temporary file renamed into place) instead of standard output.", valueName: "file"))
    var out: String?

    @Option(name: .customLong("p-style"), help: "P value style: standard (0.020, <0.001) or journal (.02, <.01).")
    var pStyle: PStyleOption = .standard

    @Option(name: .customLong("percent-decimals"), help: ArgumentHelp("Digits after the point of percentages in Table 1, incidence, compare and event-types tables.", valueName: "n"))
    var percentDecimals: Int = 1

    @Option(name: .customLong("suppress-below"), help: ArgumentHelp(
        "Small-cell suppression for sharing: counts 1..K-1 print as <K, with further cells hidden where a total would reveal them; percentages of hidden counts are not printed. With --format json the table itself is written (no raw counts).",
        valueName: "K"))
    var suppressBelow: Int?

    func validate() throws {
        guard (0...4).contains(percentDecimals) else { throw ValidationError("--percent-decimals must be between 0 and 4, got \(percentDecimals)") }
        if let suppressBelow, suppressBelow < 1 { throw ValidationError("--suppress-below must be at least 1 (1 hides nothing), got \(suppressBelow)") }
        if suppressBelow == 2 {
            throw ValidationError("--suppress-below 2 would print each 1 as <2, which (zeros being shown) still says it is 1; use 3 or more")
        }
    }

    /// For commands whose tables do not implement suppression yet (numbers at risk, correlations,
    /// reproduced figures): refuse --suppress-below rather than print counts the user meant to hide.
    func rejectSuppression(_ command: String) throws {
        if let suppressBelow, suppressBelow > 1 {
            throw ValidationError("--suppress-below is not supported by '\(command)' yet (its counts are not suppressed); share its output only inside the institution")
        }
    }

    /// The number and suppression style every table builder takes.
    var style: NumberStyle {
        NumberStyle(pValues: pStyle == .journal ? .journal : .threeDecimals, percentDecimals: percentDecimals, suppression: Suppression(below: suppressBelow ?? 1))
    }

    /// The command's text: its stable JSON (raw counts) for `--format json`, except under
    /// suppression, where the suppressed table's JSON is written so no raw count leaves.
    func render(_ table: @autoclosure () -> ReportTable, json: () -> String) -> String {
        if format == .json, !style.suppression.isActive { return json() }
        return format.render(table())
    }

    func emit(_ text: String) throws {
        if let out {
            try AtomicFile.write(text, to: out)
        } else {
            print(text, terminator: "")
        }
    }
}

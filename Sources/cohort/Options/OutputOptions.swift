import ArgumentParser
import CohortReport
import CohortStudy

extension TableFormat: ExpressibleByArgument {}
extension ReportStyle.PStyle: ExpressibleByArgument {}

/// Where and how results are written.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format (docx: a Word document, written only to a file given with --out).")
    var format: TableFormat = .text

    @Option(help: ArgumentHelp("Write to this file (atomically: a temporary file renamed into place) instead of standard output; - is standard output. An input of the command is never overwritten.", valueName: "file"))
    var out: String?

    @Option(name: .customLong("p-style"), help: "P value style: standard (0.020, <0.001; the default) or journal (.02, <.01).")
    var pStyle: ReportStyle.PStyle?

    @Option(name: .customLong("percent-decimals"), help: ArgumentHelp("Digits after the point of percentages in Table 1, incidence, compare and event-types tables, 0 to 4 (default 1).", valueName: "n"))
    var percentDecimalsGiven: NumberArgument?

    @Option(name: .customLong("suppress-below"), help: ArgumentHelp(
        "Small-cell suppression for sharing: counts 1..K-1 print as <K, with further cells hidden where a total would reveal them; percentages, summaries and P values that would reveal a hidden count are withheld, and a model with a small outcome cell is refused, as is a command whose output cannot be suppressed. With --format json hidden values are null and listed under \"suppression\". K is 3 to 1000000 (0 or 1: nothing hidden).",
        valueName: "K"))
    var suppressBelowGiven: NumberArgument?

    var percentDecimals: Int { percentDecimalsGiven.flatMap { InputRules.percentDecimals.whole($0.value) } ?? 1 }

    var suppressBelow: Int? { suppressBelowGiven.flatMap { InputRules.suppressBelow.whole($0.value) } }

    func validate() throws {
        // A Word document is binary: never written to a terminal or a pipe by accident (issue 18).
        if format == .docx, out == nil || out == "-" {
            throw ValidationError("--format docx writes a binary Word document: give the file with --out FILE.docx (it is never written to standard output)")
        }
        if let given = percentDecimalsGiven { _ = try given.whole("--percent-decimals", InputRules.percentDecimals) }
        if let given = suppressBelowGiven { _ = try given.whole("--suppress-below", InputRules.suppressBelow) }
        do throws(RequestError) {
            try reportStyle.validate()
        } catch {
            throw ValidationError(error.commandLineText)
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
    /// `reason` explains either refusal; `pValuesReason` (`prints a P value (...) only with --by`) a
    /// refused --p-style only.
    func rejectStyleThatDoesNotApply(_ command: String, prints: Prints, because reason: String? = nil,
                                     pValuesBecause pValuesReason: String? = nil) throws {
        let rawJSON = format == .json && !style.suppression.isActive
        let why = rawJSON ? "--format json writes unrounded numbers" : reason.map { "'\(command)' \($0)" }
        if pStyle != nil, rawJSON || !prints.contains(.pValues) {
            throw ValidationError("--p-style does not apply: \(why ?? pValuesReason.map { "'\(command)' \($0)" } ?? "'\(command)' prints no P values")")
        }
        if percentDecimalsGiven != nil, rawJSON || !prints.contains(.percentages) {
            throw ValidationError("--percent-decimals does not apply: \(why ?? "'\(command)' prints no percentages")")
        }
    }

    /// The style as the request layer holds it (the same value a study file's `options:` gives).
    var reportStyle: ReportStyle {
        ReportStyle(pStyle: pStyle ?? .standard, percentDecimals: percentDecimals, suppressBelow: suppressBelow ?? 0)
    }

    /// The number and suppression style every table builder takes.
    var style: NumberStyle { reportStyle.numberStyle }

    /// Writes what `format` rendered: text to --out or standard output; for docx, the
    /// `word/document.xml` it rendered, packaged as the Word file --out names (``validate()``
    /// made sure there is one).
    func emit(_ text: String) throws {
        if format == .docx, let out {
            try AtomicFile.write(DocxPackage.bytes(documentXML: text), to: out)
        } else {
            try AtomicFile.emit(text, to: out)
        }
    }
}

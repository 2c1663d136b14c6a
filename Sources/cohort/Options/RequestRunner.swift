import ArgumentParser
import CohortData
import CohortReport
import CohortStats
import CohortStudy

/// The command line's side of the analysis-request layer: each command turns its flags into a
/// request (``CohortStudy/AnalysisRequest``) and hands it here, where it is validated, refused under
/// suppression when its output cannot be suppressed, run, and its text written. Nothing about an
/// analysis is decided here; only how the command line names fields (`--max-iterations`).
enum RequestRunner {
    /// The request's own rules, as a usage error in flag names.
    static func validate(_ request: some AnalysisRequest, output: OutputOptions? = nil) throws {
        do throws(RequestError) {
            try request.validate()
        } catch {
            throw ValidationError(error.commandLineText)
        }
        if let output, output.style.suppression.isActive, let reason = request.unsuppressible {
            throw ValidationError("--suppress-below is not supported by '\(type(of: request).kind)' yet (\(reason) cannot be suppressed); share its output only inside the institution")
        }
    }

    /// Runs `request` on the data `input` names and returns its result (its tables and JSON
    /// suppressed as `style` asks).
    static func run(_ request: some AnalysisRequest, on table: DataTable, style: NumberStyle, progress: Bootstrap.Progress? = nil,
                    title: String? = nil) throws -> AnalysisResult {
        do {
            return try request.run(on: AnalysisInput(table: table, style: style, progress: progress, title: title))
        } catch let error as RequestError {
            // A rule only the data can check (a test for categories when every variable is a measurement).
            throw ValidationError(error.commandLineText)
        }
    }

    /// The usual command: load, run, write the text of `--format`; warnings to standard error when
    /// the output does not go to the terminal as text.
    @discardableResult
    static func runCommand(_ request: some AnalysisRequest, _ command: String, input: InputOptions, output: OutputOptions,
                           progress: Bootstrap.Progress? = nil, figures: ((AnalysisResult, DataTable) throws -> Void)? = nil) throws -> AnalysisResult? {
        var produced: AnalysisResult?
        try ExitStatus.guarding(command) {
            let table = try input.load(command)
            let result = try run(request, on: table, style: output.style, progress: progress)
            try figures?(result, table)
            try output.emit(result.rendered(output.format))
            for warning in result.warnings where output.out != nil || output.format != .text {
                ExitStatus.printError("cohort \(command): warning: \(warning)")
            }
            produced = result
        }
        return produced
    }
}

extension RequestError.Naming {
    /// Fields as flags: `max_iterations` is `--max-iterations`, `tests` false is `--no-tests`,
    /// `test` fisher is `--test fisher`.
    static let commandLine: RequestError.Naming = {
        let flag: @Sendable (String) -> String = { key in "--" + key.replacingOccurrences(of: "_", with: "-") }
        return RequestError.Naming(name: flag, valued: { key, value in
            value == "true" ? flag(key) : value == "false" ? "--no-" + flag(key).dropFirst(2) : flag(key) + " " + value
        })
    }()
}

extension RequestError {
    var commandLineText: String { text(.commandLine) }
}

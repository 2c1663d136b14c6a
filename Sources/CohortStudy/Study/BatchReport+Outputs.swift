import CohortData
import CohortReport
import CohortStats

/// What one output produced, in memory.
struct ComputedOutput {
    let output: StudyOutput
    var result = AnalysisResult()
    /// The tables made once (a report writes each in several formats).
    var tables: [ReportTable] = []
    var warnings: [String] = []
}

extension BatchReport {
    /// Runs one output's request, as its command does, with the study's style.
    /// - Throws: whatever the request throws (unknown column, model that cannot be fitted, ...).
    static func compute(_ output: StudyOutput, study: StudyFile, table: DataTable, done: [ComputedOutput]) throws -> ComputedOutput {
        let style = study.options.style.numberStyle
        var computed = ComputedOutput(output: output)
        if style.suppression.isActive, let reason = output.request.unsuppressible {
            // Left out rather than shared with the small counts the report was asked to hide.
            computed.warnings = ["left out of this report: small-cell suppression (below \(study.options.style.suppressBelow)) is not implemented for \(reason), whose counts could reveal small cells"]
            return computed
        }
        let input = AnalysisInput(table: table, style: style, earlier: Dictionary(done.map { ($0.output.name, $0.result) }, uniquingKeysWith: { $1 }),
                                  title: output.title, paths: study.paths)
        var result: AnalysisResult
        do {
            result = try output.request.run(on: input)
        } catch let error as SuppressionError {
            // As an output that cannot be suppressed: left out and listed, not the report failed.
            computed.warnings = ["left out of this report: " + FieldNames.written(error.message, .studyFile)]
            return computed
        } catch let error as RequestError {
            throw BatchError(output: output.name, message: error.description, underlying: error)
        }
        if let title = output.title { result.retitle(title) }
        computed.result = result
        computed.tables = computed.result.tables
        computed.warnings = result.warnings
        return computed
    }
}

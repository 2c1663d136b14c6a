import CohortData
import CohortReport
import CohortStats

/// A meta-analysis of one coefficient of per-level fits (issue 17): on the command line the CSV of
/// `logit`/`cox` with `--by` and `--term NAME`, in a study file an earlier `by` output named by
/// `model` with `term`. Both pool the same numbers: the level's estimate and std. error, labelled by
/// the level.
extension MetaRequest {
    /// The rows of `table` whose `term` column holds ``term`` (all rows without one).
    func rowsOfTerm(_ table: DataTable) throws -> DataTable {
        guard let term else { return table }
        guard table.columnNames.contains("term") else {
            throw RequestError("term", value: term, "needs a column 'term' (as the CSV of logit or cox with by has) in \(table.source)")
        }
        let column = try table.column(named: "term")
        let groups = column.groups(of: (0..<table.rowCount).filter { !column.isMissing($0) })
        guard let rows = groups.first(where: { $0.label == term })?.rows else {
            throw RequestError("term", value: term, "is in no row of the column 'term' (its values: \(groups.map(\.label).joined(separator: ", ")))")
        }
        return table.keepingRows(rows)
    }

    /// Pools ``term`` of the per-level fits of the output ``model``; levels not fitted, or without
    /// the term, are named in the notes and left out.
    func runOnModel(_ input: AnalysisInput) throws -> AnalysisResult {
        let model = model ?? "", term = term ?? ""
        guard let levels = input.earlier[model]?.perLevel else {
            throw RequestError("model", value: model, "must name a logit or cox output with by, listed before this meta output")
        }
        var studies: [MetaAnalysis.Study] = []
        var notes: [String] = []
        for level in levels.levels {
            if let failure = level.failure {
                notes.append("\(levels.by) = \(level.level): not pooled (not fitted: \(failure)).")
            } else if let j = level.terms.firstIndex(of: term), level.standardErrors[j].isFinite {
                studies.append(.init(label: level.level, estimate: level.estimates[j], variance: level.standardErrors[j] * level.standardErrors[j]))
                if !level.converged { notes.append("\(levels.by) = \(level.level): its fit did not converge; its estimate is not reliable.") }
            } else {
                notes.append("\(levels.by) = \(level.level): not pooled (no estimate of \(term)).")
            }
        }
        let terms = Set(levels.levels.flatMap(\.terms))
        guard terms.contains(term) else {
            throw RequestError("term", value: term, "is not a term of '\(model)' (its terms: \(levels.levels.first { !$0.terms.isEmpty }?.terms.joined(separator: ", ") ?? "none"))")
        }
        let fit = try MetaAnalysis.fit(studies, method: method, level: level, maxIterations: maxIterations)
        let source = "output '\(model)' (one \(levels.model) fit per level of \(levels.by): \(levels.method))"
        return made(fit, estimateName: term, source: source, notes: notes, input: input)
    }
}

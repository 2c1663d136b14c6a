import CohortData
import CohortReport
import CohortStats

/// `cohort meta`: inverse-variance meta-analysis of per-study (per-centre) estimates, fixed or
/// random effects, as `metafor::rma` (``CohortStats/MetaAnalysis``), with a forest plot.
public struct MetaRequest: AnalysisRequest {
    public static let kind = "meta"
    public static let summary = "Meta-analysis of per-study or per-centre estimates (one row a study): pooled estimate with SE, z-based CI and P, τ² by REML, DerSimonian-Laird or none (fixed) with its Q-profile CI, I², H², Q, weights, and a forest plot (as metafor::rma and confint)."

    /// The column of estimates (log ratios, differences, ... on the scale they are pooled on).
    public var estimate = ""
    /// The standard-error column (squared into the variance); one of this and `variance`.
    public var stdError: String?
    public var variance: String?
    public var method: MetaAnalysis.Method = .reml
    /// The column naming each study (default: its line).
    public var label: String?
    public var level = 0.95
    /// Also show exp(estimate) and draw the forest plot on the ratio scale.
    public var exponentiate = false
    /// Fisher-scoring steps allowed for REML (metafor's maxiter).
    public var maxIterations = 100
    /// Draw the forest plot.
    public var svg = false
    /// Study files only: an earlier logit or cox output with `by`, whose per-level estimates and
    /// standard errors (of ``term``) are pooled instead of a table's columns (issue 17).
    public var model: String?
    /// The coefficient to pool: with ``model``, that term of each level's fit; with a data table (the
    /// CSV of `--by`), the rows whose `term` column holds it.
    public var term: String?

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case estimate, stdError = "std_error", variance, method, label, level, exponentiate, maxIterations = "max_iterations", svg, model, term
    }
    public typealias Keys = CodingKeys

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        estimate = try c.value(.estimate) ?? ""
        stdError = try c.value(.stdError)
        variance = try c.value(.variance)
        method = try c.value(.method) ?? .reml
        label = try c.value(.label)
        level = try c.value(.level) ?? 0.95
        exponentiate = try c.value(.exponentiate) ?? false
        maxIterations = try c.value(.maxIterations) ?? 100
        svg = try c.value(.svg) ?? false
        model = try c.value(.model)
        term = try c.value(.term)
    }

    /// As synthesised, except that an empty `estimate` (a meta output of a `model`) is left out of
    /// the provenance rather than written as "".
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        if !estimate.isEmpty { try c.encode(estimate, forKey: .estimate) }
        try c.encodeIfPresent(stdError, forKey: .stdError)
        try c.encodeIfPresent(variance, forKey: .variance)
        try c.encode(method, forKey: .method)
        try c.encodeIfPresent(label, forKey: .label)
        try c.encode(level, forKey: .level)
        try c.encode(exponentiate, forKey: .exponentiate)
        try c.encode(maxIterations, forKey: .maxIterations)
        try c.encode(svg, forKey: .svg)
        try c.encodeIfPresent(model, forKey: .model)
        try c.encodeIfPresent(term, forKey: .term)
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("estimate", "column", default: "required (or model)", "Each study's estimate, on the scale it is pooled on (a log odds ratio, a log hazard ratio, a mean difference)."),
        FieldDoc("std_error", "column", default: "required (or variance)", "Each study's standard error (positive); its square is the sampling variance."),
        FieldDoc("variance", "column", default: "required (or std_error)", "Each study's sampling variance (positive), instead of std_error."),
        FieldDoc("method", "one of reml, dl, fixed", default: "reml", "τ² by restricted maximum likelihood (Fisher scoring, as metafor), DerSimonian-Laird, or none (fixed/equal effects, metafor's \"EE\")."),
        FieldDoc("label", "column", default: "the line number", "The column naming each study (centre)."),
        FieldDoc("level", "a number between 0 and 1", default: "0.95 (a study's options: level)", "Confidence level of the study, pooled and τ² (Q-profile) intervals."),
        FieldDoc("exponentiate", "true/false", default: "false", "Also give exp(estimate) and its CI, and draw the forest plot on the ratio scale (for log ratios)."),
        FieldDoc("max_iterations", "a whole number of 1 or more", default: "100", "Fisher-scoring steps allowed for REML (metafor's maxiter); not converging is an error."),
        FieldDoc("svg", "true/false", default: "false", "Draw the forest plot: one row a study with its CI, the pooled diamond."),
        FieldDoc("model", "the name of a logit or cox output with by", default: "none", "Study files only (the command's DATA is that output's CSV): pool the per-level estimates and std. errors of this earlier output (one fit per centre), labelled by level, instead of the study's data; with term, and without estimate, std_error, variance and label. Levels not fitted are listed, not pooled."),
        FieldDoc("term", "text", default: "none (required with model)", "The coefficient to pool: with model, that term of each level's fit; with a data table (the CSV of logit or cox with by), the rows whose term column holds it."),
    ]

    public func validate() throws(RequestError) {
        try InputRules.confidenceLevel.check("level", level)
        try InputRules.maxIterations.check("max_iterations", maxIterations)
        if let model {
            if model.isEmpty { throw RequestError("model", "is empty: name the logit or cox output with by whose estimates are pooled") }
            guard let term, !term.isEmpty else { throw RequestError("term", "is missing: name the coefficient of '\(model)' to pool, e.g. icans_high") }
            for (key, given) in [("estimate", !estimate.isEmpty), ("std_error", stdError != nil), ("variance", variance != nil), ("label", label != nil)] where given {
                throw RequestError(key, "is for a table of estimates; with {model} the estimates, std. errors and labels are the model's per-level ones: leave it out")
            }
            return
        }
        if term?.isEmpty == true { throw RequestError("term", "is empty: name the coefficient whose rows are pooled") }
        if estimate.isEmpty { throw RequestError("estimate", "is missing: name the column of per-study estimates") }
        switch (stdError, variance) {
        case (nil, nil): throw RequestError("std_error", "or {variance} is needed: name the column of standard errors or of sampling variances")
        case (.some, .some): throw RequestError("std_error", "and {variance} are both given: name one")
        default: break
        }
        for (key, column) in [("std_error", stdError), ("variance", variance), ("label", label)] where column == estimate {
            throw RequestError(key, value: column, "is the estimate column; name another")
        }
    }

    public func analyze(_ table: DataTable) throws -> MetaAnalysis.Result {
        let spread: MetaAnalysis.Spread = if let stdError { .standardError(stdError) } else { .variance(variance ?? "") }
        let studies = try MetaAnalysis.studies(table: try rowsOfTerm(table), estimate: estimate, spread: spread, label: label)
        return try MetaAnalysis.fit(studies, method: method, level: level, maxIterations: maxIterations)
    }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        if model != nil { return try runOnModel(input) }
        let fit = try analyze(input.table)
        return made(fit, estimateName: estimate, source: input.table.source, notes: [], input: input)
    }

    /// The table, JSON and forest plot of a fit, whichever its studies came from.
    func made(_ fit: MetaAnalysis.Result, estimateName: String, source: String, notes: [String], input: AnalysisInput) -> AnalysisResult {
        var table = MetaTable.make(fit, estimateColumn: estimateName, source: source, exponentiate: exponentiate, title: input.title, style: input.style)
        table.notes += notes
        var result = AnalysisResult(tables: [table], json: MetaJSON.render(fit, estimateColumn: estimateName))
        if svg {
            let title = input.title ?? "Meta-analysis of \(estimateName)"
            result.figures.append(.init(title: title, svg: MetaForestPlot.svg(fit, estimateColumn: estimateName, source: source, exponentiate: exponentiate, title: title)))
        }
        return result
    }
}

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

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case estimate, stdError = "std_error", variance, method, label, level, exponentiate, maxIterations = "max_iterations", svg
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
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("estimate", "column", default: "required", "Each study's estimate, on the scale it is pooled on (a log odds ratio, a log hazard ratio, a mean difference)."),
        FieldDoc("std_error", "column", default: "required (or variance)", "Each study's standard error (positive); its square is the sampling variance."),
        FieldDoc("variance", "column", default: "required (or std_error)", "Each study's sampling variance (positive), instead of std_error."),
        FieldDoc("method", "one of reml, dl, fixed", default: "reml", "τ² by restricted maximum likelihood (Fisher scoring, as metafor), DerSimonian-Laird, or none (fixed/equal effects, metafor's \"EE\")."),
        FieldDoc("label", "column", default: "the line number", "The column naming each study (centre)."),
        FieldDoc("level", "a number between 0 and 1", default: "0.95 (a study's options: level)", "Confidence level of the study, pooled and τ² (Q-profile) intervals."),
        FieldDoc("exponentiate", "true/false", default: "false", "Also give exp(estimate) and its CI, and draw the forest plot on the ratio scale (for log ratios)."),
        FieldDoc("max_iterations", "a whole number of 1 or more", default: "100", "Fisher-scoring steps allowed for REML (metafor's maxiter); not converging is an error."),
        FieldDoc("svg", "true/false", default: "false", "Draw the forest plot: one row a study with its CI, the pooled diamond."),
    ]

    public func validate() throws(RequestError) {
        if estimate.isEmpty { throw RequestError("estimate", "is missing: name the column of per-study estimates") }
        switch (stdError, variance) {
        case (nil, nil): throw RequestError("std_error", "or {variance} is needed: name the column of standard errors or of sampling variances")
        case (.some, .some): throw RequestError("std_error", "and {variance} are both given: name one")
        default: break
        }
        for (key, column) in [("std_error", stdError), ("variance", variance), ("label", label)] where column == estimate {
            throw RequestError(key, value: column, "is the estimate column; name another")
        }
        try InputRules.confidenceLevel.check("level", level)
        try InputRules.maxIterations.check("max_iterations", maxIterations)
    }

    public func analyze(_ table: DataTable) throws -> MetaAnalysis.Result {
        let spread: MetaAnalysis.Spread = if let stdError { .standardError(stdError) } else { .variance(variance ?? "") }
        let studies = try MetaAnalysis.studies(table: table, estimate: estimate, spread: spread, label: label)
        return try MetaAnalysis.fit(studies, method: method, level: level, maxIterations: maxIterations)
    }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let fit = try analyze(input.table)
        let source = input.table.source
        var result = AnalysisResult(tables: [MetaTable.make(fit, estimateColumn: estimate, source: source, exponentiate: exponentiate, title: input.title,
                                                            style: input.style)],
                                    json: MetaJSON.render(fit, estimateColumn: estimate))
        if svg {
            let title = input.title ?? "Meta-analysis of \(estimate)"
            result.figures.append(.init(title: title, svg: MetaForestPlot.svg(fit, estimateColumn: estimate, source: source, exponentiate: exponentiate, title: title)))
        }
        return result
    }
}

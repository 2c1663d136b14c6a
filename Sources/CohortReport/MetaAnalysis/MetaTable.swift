import CohortData
import CohortStats

/// The meta-analysis table (`cohort meta`): one row a study (estimate, SE, CI, weight), then the
/// pooled row; the heterogeneity (τ² with its Q-profile CI, I², H², Q) and the method in the notes.
public enum MetaTable {
    /// "REML random-effects model", the pooled row's label.
    public static func pooledLabel(_ result: MetaAnalysis.Result) -> String {
        switch result.method {
        case .reml: "Pooled (random effects, REML)"
        case .dl: "Pooled (random effects, DL)"
        case .fixed: "Pooled (fixed effects)"
        }
    }

    /// The sentences on the pooled estimate, the heterogeneity and the method, shared by the table's
    /// notes and the forest plot's caption.
    public static func summary(_ result: MetaAnalysis.Result, estimateColumn: String, source: String, style: NumberStyle) -> [String] {
        let levelText = NumberStyle.levelPercent(result.level)
        var lines = [
            "Method: \(result.method.description), as metafor::rma(yi, vi, method = \"\(rmaMethod(result.method))\"); estimates '\(estimateColumn)' from \(source); k = \(result.k) studies used, \(result.nDropped) dropped"
                + (result.iterations.map { "; Fisher scoring converged in \($0) iterations (|Δτ²| ≤ 1e-12)" } ?? "") + ".",
            "Pooled estimate \(style.number(result.estimate)) (SE \(style.number(result.standardError)); \(levelText) CI \(style.interval(result.lower, result.upper)), z-based: estimate ± z·SE); z = \(style.number(result.z)), \(style.pStatement(result.p)).",
        ]
        if let q = result.q, let qP = result.qP {
            lines.append("Heterogeneity: Q = \(style.number(q)) on \(result.qDF) df, \(style.pStatement(qP)).")
        }
        if result.method != .fixed {
            var tau = "τ² = \(style.number(result.tau2))"
            if let ci = result.tau2Interval { tau += " (\(levelText) CI \(style.interval(ci.lower, ci.upper)), Q-profile)" }
            tau += ", τ = \(style.number(result.tau2.squareRoot()))"
            if let ci = result.tauInterval { tau += " (\(style.interval(ci.lower, ci.upper)))" }
            var parts = [tau]
            if let i2 = result.i2 { parts.append("I² = \(style.number(i2))%" + (result.i2Interval.map { " (\(style.interval($0.lower, $0.upper)))" } ?? "")) }
            if let h2 = result.h2 { parts.append("H² = \(style.number(h2))" + (result.h2Interval.map { " (\(style.interval($0.lower, $0.upper)))" } ?? "")) }
            lines.append("Between-study variance: " + parts.joined(separator: "; ") + ". I² = τ²/(τ² + s²), H² = (τ² + s²)/s² with s² the typical within-study variance (metafor).")
        } else if let i2 = result.i2, let h2 = result.h2 {
            lines.append("I² = \(style.number(i2))% (max(0, (Q - df)/Q)), H² = \(style.number(h2)) (Q/df); the fixed-effects model assumes τ² = 0.")
        }
        return lines
    }

    static func rmaMethod(_ method: MetaAnalysis.Method) -> String {
        switch method {
        case .reml: "REML"
        case .dl: "DL"
        case .fixed: "EE"
        }
    }

    public static func make(_ result: MetaAnalysis.Result, estimateColumn: String, source: String, exponentiate: Bool = false,
                            title: String? = nil, style: NumberStyle = .standard) -> ReportTable {
        let levelText = NumberStyle.levelPercent(result.level)
        var columns: [ReportTable.Column] = [
            .init(key: "study", header: "study", alignment: .left),
            .init(key: "estimate", header: "estimate"),
            .init(key: "std_error", header: "SE"),
            .init(key: "ci", header: "\(levelText) CI"),
        ]
        if exponentiate {
            columns += [.init(key: "exp_estimate", header: "exp(estimate)"), .init(key: "exp_ci", header: "\(levelText) CI")]
        }
        columns.append(.init(key: "weight", header: "weight %"))
        let z = Normal.quantile((1 + result.level) / 2)
        var rows: [[CellValue]] = []
        func row(_ label: String, _ y: Double, _ se: Double, _ lower: Double, _ upper: Double, _ weight: Double) -> [CellValue] {
            var cells: [CellValue] = [.label(label), .number(y), .number(se), .interval(lower, upper)]
            if exponentiate { cells += [.number(PortableMath.exp(y)), .interval(PortableMath.exp(lower), PortableMath.exp(upper))] }
            return cells + [.fixedNumber(weight, decimals: 1)]
        }
        for (i, study) in result.studies.enumerated() {
            let se = study.standardError
            rows.append(row(study.label, study.estimate, se, study.estimate - z * se, study.estimate + z * se, result.weights[i]))
        }
        rows.append(row(pooledLabel(result), result.estimate, result.standardError, result.lower, result.upper, 100))
        var notes = summary(result, estimateColumn: estimateColumn, source: source, style: style)
        notes.append("Study CIs: estimate ± z·SE; weights: 1/(SE² + τ²), in percent of their sum.")
        if exponentiate { notes.append("exp(estimate): the estimates and limits exponentiated (ratios, when the estimates are log ratios).") }
        if style.suppression.isActive {
            notes.append("Small-cell suppression: the table holds no patient counts (the estimates are its input), so there is nothing to hide.")
        }
        return ReportTable(title: title ?? "Meta-analysis of \(estimateColumn)", preamble: ["data: \(source); \(result.k) studies, \(result.nDropped) dropped"],
                           columns: columns, rows: rows, notes: notes, style: style)
    }
}

/// `cohort meta --format json`, a stable interface: `{"estimateColumn", "method", "level", "k",
/// "nDropped", "estimate", "stdError", "z", "p", "ciLower", "ciUpper", "tau2", "tau2CI": [l, u],
/// "tau", "tauCI", "I2", "I2CI", "H2", "H2CI", "Q", "Qdf", "Qp", "iterations", "studies": [{"label",
/// "estimate", "stdError", "variance", "weight"}], "methods"}`; unrounded, a missing value null,
/// I² in percent, weights in percent.
public enum MetaJSON {
    public static func render(_ result: MetaAnalysis.Result, estimateColumn: String) -> String {
        func interval(_ i: MetaAnalysis.Interval?) -> JSONValue {
            i.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null
        }
        let studies = result.studies.enumerated().map { i, study -> JSONValue in
            .object([("label", .string(study.label)), ("estimate", .number(study.estimate)), ("stdError", .number(study.standardError)),
                     ("variance", .number(study.variance)), ("weight", .number(result.weights[i]))])
        }
        return JSONValue.object([
            ("estimateColumn", .string(estimateColumn)),
            ("method", .string(result.method.rawValue)),
            ("level", .number(result.level)),
            ("k", .integer(result.k)),
            ("nDropped", .integer(result.nDropped)),
            ("estimate", .number(result.estimate)),
            ("stdError", .number(result.standardError)),
            ("z", .number(result.z)),
            ("p", .number(result.p)),
            ("ciLower", .number(result.lower)),
            ("ciUpper", .number(result.upper)),
            ("tau2", .number(result.tau2)),
            ("tau2CI", interval(result.tau2Interval)),
            ("tau", .number(result.tau2.squareRoot())),
            ("tauCI", interval(result.tauInterval)),
            ("I2", .optionalNumber(result.i2)),
            ("I2CI", interval(result.i2Interval)),
            ("H2", .optionalNumber(result.h2)),
            ("H2CI", interval(result.h2Interval)),
            ("Q", .optionalNumber(result.q)),
            ("Qdf", .integer(result.qDF)),
            ("Qp", .optionalNumber(result.qP)),
            ("iterations", result.iterations.map { .integer($0) } ?? .null),
            ("studies", .array(studies)),
            ("methods", .object([
                ("pooled", .string("\(result.method.description); z-based CI and P (metafor::rma, test = \"z\")")),
                ("tau2CI", .string(result.method == .fixed ? "none (fixed effects)" : "Q-profile (metafor::confint)")),
            ])),
        ]).rendered(indent: 2) + "\n"
    }
}

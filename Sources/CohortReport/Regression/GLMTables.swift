import CohortData
import CohortStats

/// Rows left out, by reason, as the table and JSON of every linear and count model give them; under
/// small-cell suppression (issue 16) a reason's count of 1..K − 1 is shown as <K, with another
/// reason hidden as ≥K where the total left out would give it back. (The total itself is never
/// small here: ``Suppression/check(_:outcome:)`` refuses such a model.)
struct DroppedRows {
    let used: Int
    let reasons: [(reason: String, count: Int)]
    let statuses: [Suppression.Status]
    let unprotectable: Int
    let rule: Suppression

    init(used: Int, dropped: [ExcludedRow], rule: Suppression) {
        self.used = used
        self.rule = rule
        reasons = Dictionary(grouping: dropped, by: \.reason).mapValues(\.count).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let cells = reasons.map { Suppression.Cell($0.count) } + [Suppression.Cell(dropped.count)]
        let (statuses, unprotectable) = rule.statuses(cells, constraints: [.init(parts: Array(reasons.indices), total: reasons.count)])
        self.statuses = Array(statuses.prefix(reasons.count))
        self.unprotectable = unprotectable.count
    }

    var isHidingAny: Bool { statuses.contains { $0 != .shown } }

    /// Every reason's count (the suppressed JSON writes the hidden ones as null: ``hidden(warnings:dropped:)``).
    var json: JSONValue {
        .object(reasons.map { ($0.reason, .integer($0.count)) })
    }

    /// The pointers of the hidden reasons' counts, and of `warnings`' count of rows left out by
    /// reason (``CohortStats/RegressionText/dropped(_:)``) when any is hidden.
    func hidden(warnings: [String], dropped: [ExcludedRow]) -> Set<String> {
        var hidden = Set(zip(reasons, statuses).filter { $0.1 != .shown }.map { JSONValue.pointer("droppedReasons", $0.0.reason) })
        for i in withheldWarnings(warnings, dropped: dropped) { hidden.insert(JSONValue.pointer("warnings", i)) }
        return hidden
    }

    func withheldWarnings(_ warnings: [String], dropped: [ExcludedRow]) -> [Int] {
        guard isHidingAny, !dropped.isEmpty else { return [] }
        let text = RegressionText.dropped(dropped)
        return warnings.indices.filter { warnings[$0] == text }
    }

    func sharedWarnings(_ warnings: [String], dropped: [ExcludedRow]) -> [String] {
        let withheld = Set(withheldWarnings(warnings, dropped: dropped))
        return warnings.indices.filter { !withheld.contains($0) }.map { warnings[$0] }
    }

    func line(dropped: Int, weights: String?) -> String {
        var text = "n = \(used) used, \(dropped) dropped"
        if !reasons.isEmpty { text += " (" + zip(reasons, statuses).map { "\($0.reason): \(rule.text($0.count, $1))" }.joined(separator: ", ") + ")" }
        if let weights { text += "; weights: \(weights)" }
        return text
    }

    /// The suppression note, when a count was hidden.
    var note: String? { rule.note(statuses, unprotectable: unprotectable) }

    static func referenceRows(_ terms: [ModelTerm]) -> [Int: String] {
        Dictionary(terms.compactMap { term -> (Int, String)? in
            guard case .categorical(let reference, _) = term.kind else { return nil }
            return (term.columns.lowerBound, "\(term.name)[\(reference)] (reference)")
        }, uniquingKeysWith: { a, _ in a })
    }

    static func referenceLevels(_ terms: [ModelTerm]) -> JSONValue {
        .object(terms.compactMap { term in
            if case .categorical(let reference, _) = term.kind { return (term.name, .string(reference)) }
            return nil
        })
    }
}

/// The coefficient table of `cohort linear` (R's `summary(lm)`).
public enum LinearTable {
    public static func make(_ fit: LinearFit, level: Double = 0.95, source: String? = nil, style: NumberStyle = .standard) -> ReportTable {
        let levelText = NumberStyle.levelPercent(level)
        let columns = [
            ReportTable.Column(key: "term", header: "term", alignment: .left),
            .init(key: "estimate", header: "estimate"),
            .init(key: "stdError", header: fit.cluster != nil ? "cluster-robust SE" : fit.robust == nil ? "std. error" : "robust SE (\(fit.robust!.rawValue.uppercased()))"),
            .init(key: "t", header: "t"),
            .init(key: "p", header: "P"),
            .init(key: "ci", header: "\(levelText) CI"),
        ]
        let se = fit.standardErrors, t = fit.tStatistics, p = fit.pValues, ci = fit.intervals(level: level)
        let references = DroppedRows.referenceRows(fit.terms)
        let dropped = DroppedRows(used: fit.nObservations, dropped: fit.excludedRows, rule: style.suppression)
        var rows: [[CellValue]] = []
        for j in fit.coefficientNames.indices {
            if let reference = references[j] { rows.append([.text(reference), .text("0")] + Array(repeating: .empty, count: columns.count - 2)) }
            if fit.aliased[j] {
                rows.append([.text(fit.coefficientNames[j] + " (aliased)"), .number(.nan), .number(.nan), .number(.nan), .pValue(.nan), .interval(.nan, .nan)])
                continue
            }
            rows.append([.text(fit.coefficientNames[j]), .number(fit.coefficients[j]), .number(se[j]), .number(t[j]), .pValue(p[j]),
                         .interval(ci[j]?.lower ?? .nan, ci[j]?.upper ?? .nan)])
        }
        let preamble = [
            "outcome: \(fit.outcome)" + (fit.offsetColumn.map { "; offset: \($0) (coefficient 1, subtracted from the outcome)" } ?? "") + (source.map { "; data: \($0)" } ?? ""),
            dropped.line(dropped: fit.nDropped, weights: fit.weightsColumn),
            "residual standard error = \(style.number(fit.residualStandardError)) on \(fit.dfResidual) df; rank \(fit.rank) of \(fit.coefficients.count)",
            "R² = \(style.number(fit.rSquared)); adjusted R² = \(style.number(fit.adjustedRSquared)); "
                + (fit.fNumeratorDF > 0 ? "F = \(style.number(fit.fStatistic)) on \(fit.fNumeratorDF) and \(fit.dfResidual) df, \(style.pStatement(fit.fP))" : "no F test (no covariate column)"),
            "residual sum of squares (deviance) = \(style.number(fit.deviance)); log-likelihood = \(style.number(fit.logLikelihood)); AIC = \(style.number(fit.aic))",
        ]
        var notes = [
            "estimate: change in the mean of \(fit.outcome) per unit of the covariate (per level vs the reference); least squares\(fit.weightsColumn == nil ? "" : " weighted by \(fit.weightsColumn!) (R's lm weights=: df counts rows)") (Cholesky of XᵀWX, as R's lm).",
            fit.cluster.map { "std. error: \($0.description); t, P and CI use it with the residual df. F test and R² are the model-based ones." }
                ?? fit.robust.map { "std. error: heteroscedasticity-consistent (sandwich), \($0.formula), as sandwich::vcovHC(type = \"\($0.rawValue.uppercased())\"); t, P and CI use it with the residual df. F test and R² are the model-based ones." }
                ?? "std. error: σ̂²(XᵀWX)⁻¹, model-based (constant variance).",
            "P: two-sided t test on \(fit.dfResidual) df. CI: estimate ± t(\(fit.dfResidual) df)·SE.",
        ]
        for term in fit.terms {
            if case .categorical(let reference, _) = term.kind { notes.append("\(term.name): reference level '\(reference)'.") }
        }
        notes += dropped.sharedWarnings(fit.warnings, dropped: fit.excludedRows).map { "warning: " + $0 }
        if let note = dropped.note { notes.append(note) }
        return ReportTable(title: "Linear regression (least squares\(fit.cluster.map { ", cluster-robust SEs on \($0.column)" } ?? fit.robust.map { ", robust \($0.rawValue.uppercased()) SEs" } ?? ""))",
                           preamble: preamble, columns: columns, rows: rows, notes: notes, style: style)
    }
}

/// The JSON of `cohort linear --format json`: logit's coefficient schema (`z` holds the t statistic,
/// `ciMethod` "t"), without ratio keys.
public enum LinearJSON {
    public static func value(_ fit: LinearFit, level: Double = 0.95, termTests: [TermTest] = []) -> JSONValue {
        let se = fit.standardErrors, t = fit.tStatistics, p = fit.pValues, ci = fit.intervals(level: level)
        let coefficients: [JSONValue] = fit.coefficientNames.indices.map { j in
            let aliased = fit.aliased[j]
            var fields = CoefficientJSON.fields(term: fit.coefficientNames[j], estimate: aliased ? nil : fit.coefficients[j],
                                                stdError: aliased ? nil : se[j], z: aliased ? nil : t[j], p: aliased ? nil : p[j],
                                                interval: ci[j], ratio: nil, method: "t", level: level)
            fields += [("t", .optionalNumber(aliased ? nil : t[j])), ("aliased", .bool(aliased))]
            return .object(fields)
        }
        // Split in parts: one literal of every key is too much for the type checker's time limit.
        let covariance: String = fit.cluster.map(\.description)
            ?? fit.robust.map { "robust \($0.rawValue.uppercased()) (sandwich::vcovHC type \"\($0.rawValue.uppercased())\")" } ?? "model-based"
        let sample: [(String, JSONValue)] = [
            ("model", .string("linear")),
            ("outcome", .string(fit.outcome)),
            ("n", .integer(fit.nObservations)),
            ("nDropped", .integer(fit.nDropped)),
            ("droppedReasons", DroppedRows(used: fit.nObservations, dropped: fit.excludedRows, rule: .none).json),
            ("weights", fit.weightsColumn.map { .string($0) } ?? .null),
            ("offset", fit.offsetColumn.map { .string($0) } ?? .null),
        ]
        return .object(sample + [
            ("rank", .integer(fit.rank)),
            ("covariance", .string(covariance)),
            ("robust", fit.robust.map { .string($0.rawValue) } ?? .null),
            ("cluster", fit.cluster.map(\.jsonValue) ?? .null),
            ("deviance", .optionalNumber(fit.deviance)),
            ("residualStandardError", .optionalNumber(fit.residualStandardError)),
            ("dfResidual", .integer(fit.dfResidual)),
            ("rSquared", .optionalNumber(fit.rSquared)),
            ("adjustedRSquared", .optionalNumber(fit.adjustedRSquared)),
            ("fStatistic", .optionalNumber(fit.fNumeratorDF > 0 ? fit.fStatistic : nil)),
            ("fDF", .array([.integer(fit.fNumeratorDF), .integer(fit.dfResidual)])),
            ("fP", .optionalNumber(fit.fNumeratorDF > 0 ? fit.fP : nil)),
            ("logLikelihood", .optionalNumber(fit.logLikelihood)),
            ("aic", .optionalNumber(fit.aic)),
            ("referenceLevels", DroppedRows.referenceLevels(fit.terms)),
            ("coefficients", .array(coefficients)),
            ("termTests", TermTestText.json(termTests)),
            ("warnings", .array(fit.warnings.map(JSONValue.string))),
        ])
    }

    /// The pointers of what `rule` hides in ``value(_:level:termTests:)``: the counts of rows left
    /// out by reason that the table hides, and the warning that gives them (the model is refused
    /// when a count the numbers give back would be small: ``Suppression/check(_:outcome:)``).
    public static func hidden(_ fit: LinearFit, rule: Suppression) -> Set<String> {
        DroppedRows(used: fit.nObservations, dropped: fit.excludedRows, rule: rule).hidden(warnings: fit.warnings, dropped: fit.excludedRows)
    }

    /// The fit's warnings as they may be shared under `rule` (the table's notes the same).
    public static func sharedWarnings(_ fit: LinearFit, rule: Suppression) -> [String] {
        DroppedRows(used: fit.nObservations, dropped: fit.excludedRows, rule: rule).sharedWarnings(fit.warnings, dropped: fit.excludedRows)
    }

    public static func render(_ fit: LinearFit, level: Double = 0.95, termTests: [TermTest] = []) -> String {
        value(fit, level: level, termTests: termTests).rendered(indent: 2) + "\n"
    }
}

/// The coefficient table of `cohort poisson` (rate ratios) and `cohort logbinomial` (risk ratios).
public enum CountTable {
    static func ratioName(_ fit: CountFit) -> (short: String, long: String) {
        fit.method == .poisson || fit.method == .negativeBinomial ? ("RR", "rate ratio") : ("RR", "risk ratio")
    }

    static func title(_ fit: CountFit) -> String {
        switch fit.method {
        case .poisson: "Poisson regression (log link, maximum likelihood)"
        case .negativeBinomial: "Negative binomial regression (log link, θ by maximum likelihood; MASS::glm.nb)"
        case .logBinomial: "Log-binomial regression (risk ratios; binomial, log link)"
        case .modifiedPoisson: "Modified Poisson regression (risk ratios; Poisson working model, robust HC0 SEs; Zou 2004)"
        }
    }

    public static func make(_ fit: CountFit, level: Double = 0.95, source: String? = nil, style: NumberStyle = .standard) -> ReportTable {
        let levelText = NumberStyle.levelPercent(level)
        let ratio = ratioName(fit)
        let columns = [
            ReportTable.Column(key: "term", header: "term", alignment: .left),
            .init(key: "estimate", header: "estimate"),
            .init(key: "stdError", header: fit.cluster != nil ? "cluster-robust SE" : fit.isRobust ? "robust SE" : "std. error"),
            .init(key: "z", header: "z"),
            .init(key: "p", header: "P (Wald)"),
            .init(key: "ratio", header: ratio.short),
            .init(key: "ratioCI", header: "\(levelText) CI for \(ratio.short)"),
        ]
        let se = fit.standardErrors, z = fit.zStatistics, p = fit.pValues, ci = fit.intervals(level: level)
        let references = DroppedRows.referenceRows(fit.terms)
        let dropped = DroppedRows(used: fit.nObservations, dropped: fit.excludedRows, rule: style.suppression)
        var rows: [[CellValue]] = []
        for j in fit.coefficientNames.indices {
            if let reference = references[j] {
                var row = [CellValue.text(reference)] + Array(repeating: .empty, count: columns.count - 1)
                row[5] = .text("1")
                rows.append(row)
            }
            if fit.aliased[j] {
                rows.append([.text(fit.coefficientNames[j] + " (aliased)"), .number(.nan), .number(.nan), .number(.nan), .pValue(.nan), .number(.nan), .interval(.nan, .nan)])
                continue
            }
            let isIntercept = fit.terms.first { $0.columns.contains(j) }?.kind == .intercept
            rows.append([.text(fit.coefficientNames[j]), .number(fit.coefficients[j]), .number(se[j]), .number(z[j]), .pValue(p[j]),
                         isIntercept ? .empty : .number(PortableMath.exp(fit.coefficients[j])),
                         isIntercept ? .empty : .interval(PortableMath.exp(ci[j]?.lower ?? .nan), PortableMath.exp(ci[j]?.upper ?? .nan))])
        }
        var outcomeLine = "outcome: \(fit.outcome)"
        if let event = fit.eventLabel { outcomeLine += " (event = \(event))" }
        if let exposure = fit.exposureColumn { outcomeLine += "; exposure: \(exposure) (log offset)" }
        if let offset = fit.offsetColumn { outcomeLine += "; offset: \(offset)" }
        if let source { outcomeLine += "; data: \(source)" }
        var preamble = [
            outcomeLine,
            dropped.line(dropped: fit.nDropped, weights: fit.weightsColumn) + "; \(fit.eventLabel == nil ? "total count" : "events") = \(fit.totalResponse == fit.totalResponse.rounded() && abs(fit.totalResponse) < 1e15 ? String(Int(fit.totalResponse)) : style.number(fit.totalResponse))",
            (fit.converged ? "converged in \(fit.iterations) \(fit.method == .negativeBinomial ? "alternations" : "iterations")" : "NOT converged after \(fit.iterations) iterations")
                + "; rank \(fit.rank) of \(fit.coefficients.count)",
            "deviance = \(style.number(fit.deviance)) on \(fit.dfResidual) df; null deviance = \(style.number(fit.nullDeviance)) on \(fit.dfNull) df; log-likelihood = \(style.number(fit.logLikelihood)); AIC = \(style.number(fit.aic))",
            "Pearson χ² = \(style.number(fit.pearsonChiSquare)) on \(fit.dfResidual) df; dispersion (Pearson χ²/df) = \(style.number(fit.dispersion))",
        ]
        if let theta = fit.theta {
            preamble.append("θ = \(style.number(theta)) (SE \(style.number(fit.thetaStandardError ?? .nan))); variance μ + μ²/θ")
        }
        if let reason = fit.fallbackReason {
            preamble.append("method: modified Poisson, because \(reason)")
        }
        var notes: [String] = []
        switch fit.method {
        case .poisson, .negativeBinomial:
            notes.append("estimate: log rate ratio; RR = exp(estimate), the rate ratio\(fit.exposureColumn == nil ? "" : " per unit of \(fit.exposureColumn!)").")
        case .logBinomial, .modifiedPoisson:
            notes.append("estimate: log risk ratio; RR = exp(estimate), the risk ratio.")
        }
        if let robust = fit.cluster {
            notes.append("std. error: \(robust.description); the Wald tests and CIs use it.")
        } else {
        notes.append(fit.isRobust
            ? "robust SE: sandwich (HC0) around the Poisson information, as sandwich::vcovHC(glm(family = poisson), type = \"HC0\") (Zou 2004)."
            : "std. error: inverse expected information at the estimates (dispersion 1\(fit.method == .negativeBinomial ? ", θ treated as known, as summary(glm.nb)" : "")).")
        }
        notes.append("P (Wald): two-sided normal test of estimate/SE. CI: Wald (estimate ± z·SE), exponentiated; profile-likelihood intervals are not computed for these models.")
        if fit.method == .poisson {
            notes.append("dispersion above 1 suggests overdispersion: the Poisson SEs are then too small; consider --negative-binomial.")
        }
        if fit.weightsColumn != nil { notes.append("weights: frequency (case) weights, as glm's weights=.") }
        for term in fit.terms {
            if case .categorical(let reference, _) = term.kind { notes.append("\(term.name): reference level '\(reference)'.") }
        }
        notes += dropped.sharedWarnings(fit.warnings, dropped: fit.excludedRows).map { "warning: " + $0 }
        if let note = dropped.note { notes.append(note) }
        return ReportTable(title: title(fit), preamble: preamble, columns: columns, rows: rows, notes: notes, style: style)
    }
}

/// The JSON of `cohort poisson` and `cohort logbinomial`: logit's coefficient schema, `estimate` the
/// log rate (or risk) ratio, with `rateRatio`/`riskRatio` and its interval.
public enum CountJSON {
    public static func value(_ fit: CountFit, level: Double = 0.95, termTests: [TermTest] = []) -> JSONValue {
        let se = fit.standardErrors, z = fit.zStatistics, p = fit.pValues, ci = fit.intervals(level: level)
        let keys: CoefficientJSON.RatioKeys = fit.method == .poisson || fit.method == .negativeBinomial ? .rate : .risk
        let coefficients: [JSONValue] = fit.coefficientNames.indices.map { j in
            let aliased = fit.aliased[j]
            var fields = CoefficientJSON.fields(term: fit.coefficientNames[j], estimate: aliased ? nil : fit.coefficients[j],
                                                stdError: aliased ? nil : se[j], z: aliased ? nil : z[j], p: aliased ? nil : p[j],
                                                interval: ci[j].map { ($0.lower, $0.upper) }, ratio: keys, method: "wald", level: level)
            fields.append(("aliased", .bool(aliased)))
            return .object(fields)
        }
        var top: [(String, JSONValue)] = [
            ("model", .string(fit.method.rawValue)),
            ("outcome", .string(fit.outcome)),
            ("event", fit.eventLabel.map { .string($0) } ?? .null),
            ("exposure", fit.exposureColumn.map { .string($0) } ?? .null),
            ("offset", fit.offsetColumn.map { .string($0) } ?? .null),
            ("weights", fit.weightsColumn.map { .string($0) } ?? .null),
            ("n", .integer(fit.nObservations)),
            ("nDropped", .integer(fit.nDropped)),
            ("droppedReasons", DroppedRows(used: fit.nObservations, dropped: fit.excludedRows, rule: .none).json),
            ("converged", .bool(fit.converged)),
            ("iterations", .integer(fit.iterations)),
            ("rank", .integer(fit.rank)),
            ("covariance", .string(fit.cluster.map(\.description) ?? (fit.isRobust ? "robust HC0 (sandwich::vcovHC type \"HC0\" on the Poisson fit)" : "inverse expected information"))),
            ("cluster", fit.cluster.map(\.jsonValue) ?? .null),
            ("deviance", .optionalNumber(fit.deviance)),
            ("nullDeviance", .optionalNumber(fit.nullDeviance)),
            ("dfResidual", .integer(fit.dfResidual)),
            ("dfNull", .integer(fit.dfNull)),
            ("pearsonChiSquare", .optionalNumber(fit.pearsonChiSquare)),
            ("dispersion", .optionalNumber(fit.dispersion)),
            ("logLikelihood", .optionalNumber(fit.logLikelihood)),
            ("aic", .optionalNumber(fit.aic)),
        ]
        if fit.method == .negativeBinomial {
            top += [("theta", .optionalNumber(fit.theta)), ("thetaStdError", .optionalNumber(fit.thetaStandardError))]
        }
        if fit.method == .logBinomial || fit.method == .modifiedPoisson {
            top.append(("method", .object([
                ("used", .string(fit.method.rawValue)),
                ("fallback", .bool(fit.fallbackReason != nil)),
                ("reason", fit.fallbackReason.map { .string($0) } ?? .null),
            ])))
        }
        top += [
            ("referenceLevels", DroppedRows.referenceLevels(fit.terms)),
            ("coefficients", .array(coefficients)),
            ("termTests", TermTestText.json(termTests)),
            ("warnings", .array(fit.warnings.map(JSONValue.string))),
        ]
        return .object(top)
    }

    /// As ``LinearJSON/hidden(_:rule:)``.
    public static func hidden(_ fit: CountFit, rule: Suppression) -> Set<String> {
        DroppedRows(used: fit.nObservations, dropped: fit.excludedRows, rule: rule).hidden(warnings: fit.warnings, dropped: fit.excludedRows)
    }

    /// As ``LinearJSON/sharedWarnings(_:rule:)``.
    public static func sharedWarnings(_ fit: CountFit, rule: Suppression) -> [String] {
        DroppedRows(used: fit.nObservations, dropped: fit.excludedRows, rule: rule).sharedWarnings(fit.warnings, dropped: fit.excludedRows)
    }

    public static func render(_ fit: CountFit, level: Double = 0.95, termTests: [TermTest] = []) -> String {
        value(fit, level: level, termTests: termTests).rendered(indent: 2) + "\n"
    }
}

/// The whole-term tests of the linear and count models (``RegressionTermTests``) as table notes and JSON.
public enum TermTestText {
    public static func notes(_ tests: [TermTest], style: NumberStyle) -> [String] {
        tests.compactMap { test in
            guard test.statistic.isFinite else { return "\(test.name): the test of the whole term could not be computed (\(test.comparison))." }
            let what = switch test.method {
            case .f: "F test of the whole term F = \(style.number(test.statistic)) on \(test.df) and \(test.dfResidual ?? 0) df"
            case .likelihoodRatio: "LR test of the whole term χ² = \(style.number(test.statistic)) on \(test.df) df"
            case .wald: "robust Wald test of the whole term χ² = \(style.number(test.statistic)) on \(test.df) df"
            }
            return "\(test.name): \(what), \(style.pStatement(test.p)); \(test.comparison)."
        }
    }

    public static func json(_ tests: [TermTest]) -> JSONValue {
        .array(tests.map { test in
            .object([("term", .string(test.name)), ("test", .string(test.method.rawValue)), ("statistic", .optionalNumber(test.statistic)),
                     ("df", .integer(test.df)), ("dfResidual", test.dfResidual.map(JSONValue.integer) ?? .null),
                     ("p", .optionalNumber(test.p)), ("comparison", .string(test.comparison))])
        })
    }
}

extension ClusterRobust {
    /// A model JSON's `cluster`: `{"column", "clusters", "type", "factor", "method"}` (null without clusters).
    public var jsonValue: JSONValue {
        .object([("column", .string(column)), ("clusters", .integer(clusters)), ("type", .string(kind.rawValue)),
                 ("factor", .number(factor)), ("method", .string(description))])
    }
}

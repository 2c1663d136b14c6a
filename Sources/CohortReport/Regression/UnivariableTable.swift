import CohortData
import CohortStats

/// The regression table papers print: each covariate's univariable odds ratio (the covariate alone
/// with the outcome) beside its multivariable one (all covariates together), with CIs and P
/// values, a factor's levels indented under it and its reference level shown as "Reference".
public enum UnivariableTable {
    /// One covariate fitted alone.
    public struct Fit: Sendable {
        public let covariate: String
        public let analysis: LogisticAnalysis
        public init(covariate: String, analysis: LogisticAnalysis) {
            self.covariate = covariate
            self.analysis = analysis
        }
    }

    /// - Parameters:
    ///   - labels: the row heading of each covariate (the codebook's label and unit), by name.
    public static func make(multivariable: LogisticAnalysis, univariable: [Fit], labels: [String: String] = [:],
                            style: NumberStyle = .standard) -> ReportTable {
        let fit = multivariable.fit
        let rule = style.suppression
        let level = NumberStyle.levelPercent(multivariable.level)
        let columns: [ReportTable.Column] = [
            .init(key: "characteristic", header: "Characteristic", alignment: .left),
            .init(key: "n", header: "N"),
            .init(key: "univariableOR", header: "Univariable OR"),
            .init(key: "univariableCI", header: "\(level) CI"),
            .init(key: "univariableP", header: "P"),
            .init(key: "multivariableOR", header: "Multivariable OR"),
            .init(key: "multivariableCI", header: "\(level) CI"),
            .init(key: "multivariableP", header: "P"),
        ]
        var rows: [[CellValue]] = []
        var printed: [Suppression.Status] = [], unprotectable = 0
        let lrUsed = multivariable.coefficientTests.contains { $0 != nil }
        for one in univariable {
            let uni = one.analysis
            let sample = rule.sample(uni.fit)
            printed += sample.printed
            unprotectable += sample.unprotectable
            let nCell = CellValue.count(uni.fit.nObservations, .init(sample.used))
            let heading = labels[one.covariate] ?? one.covariate
            // The term of this covariate in each model.
            let uniTerm = uni.fit.terms.first { $0.name == one.covariate }
            let multiTerm = fit.terms.first { $0.name == one.covariate }
            if case .categorical(let reference, _)? = (multiTerm ?? uniTerm)?.kind {
                rows.append([.text(heading), nCell] + Array(repeating: CellValue.empty, count: 6))
                rows.append([.text("  \(reference)"), .empty, .text("Reference"), .empty, .empty, .text("Reference"), .empty, .empty])
                let names = Array(Set((uniTerm.map { Array(uni.fit.coefficientNames[$0.columns]) } ?? [])
                                      + (multiTerm.map { Array(fit.coefficientNames[$0.columns]) } ?? [])))
                // In the models' order of levels.
                let ordered = (multiTerm.map { Array(fit.coefficientNames[$0.columns]) } ?? []) + names.filter { name in !(multiTerm.map { fit.coefficientNames[$0.columns].contains(name) } ?? false) }.sorted()
                for name in ordered {
                    let levelName = name.hasPrefix(one.covariate + "[") && name.hasSuffix("]")
                        ? String(name.dropFirst(one.covariate.count + 1).dropLast()) : name
                    rows.append([.text("  \(levelName)"), .empty] + cells(uni, name) + cells(multivariable, name))
                }
            } else {
                rows.append([.text(heading), nCell] + cells(uni, one.covariate) + cells(multivariable, one.covariate))
            }
        }
        let methodName = multivariable.intervalMethod == .profile
            ? (fit.method == .firth ? "profile penalised likelihood" : "profile likelihood") : "Wald (estimate ± z·SE on the log-odds scale)"
        let model = fit.method == .firth ? "by Firth's penalised logistic regression (logistf convention)" : "by maximum-likelihood logistic regression"
        let multiSample = rule.sample(fit)
        var notes = [
            "OR: odds ratio; CI: \(level) confidence interval, \(methodName), exponentiated; "
                + (lrUsed ? (fit.method == .firth ? "P: penalised likelihood-ratio test of the coefficient = 0 (logistf)." : "P: likelihood-ratio test of dropping the coefficient (χ², 1 df).")
                          : "P: Wald test (two-sided normal test of estimate/SE)."),
            "Univariable: each covariate alone with the outcome, \(model), on the rows where both are recorded (N). "
                + "Multivariable: all covariates together, on the \(rule.text(fit.nObservations, multiSample.used)) rows where all are recorded.",
            "outcome: \(fit.outcome) (event = \(fit.eventLabel))" + (multivariable.source.map { "; data: \($0)" } ?? "") + ".",
        ]
        if let note = rule.note(printed + multiSample.printed, unprotectable: unprotectable + multiSample.unprotectable) { notes.append(note) }
        // Ratios to 3 significant digits, as papers print them.
        var ratios = style
        ratios.significantDigits = 3
        return ReportTable(title: "Univariable and multivariable odds ratios", preamble: [], columns: columns, rows: rows, notes: notes, style: ratios)
    }

    /// OR, CI and P of coefficient `name` in `analysis`; empty when the model has no such column.
    private static func cells(_ analysis: LogisticAnalysis, _ name: String) -> [CellValue] {
        let fit = analysis.fit
        guard let j = fit.coefficientNames.firstIndex(of: name) else { return [.empty, .empty, .empty] }
        if fit.aliased[j] { return [.number(.nan), .interval(.nan, .nan), .pValue(.nan)] }
        let interval = analysis.intervals[j]
        let p: Double
        if let test = analysis.coefficientTests[j] {
            p = test.converged ? test.p : .nan
        } else {
            p = fit.waldPValues[j]
        }
        return [.number(PortableMath.exp(fit.coefficients[j])),
                .interval(interval.map { PortableMath.exp($0.lower) } ?? .nan, interval.map { PortableMath.exp($0.upper) } ?? .nan),
                .pValue(p)]
    }

    /// The univariable fits as JSON: one object a covariate with its sample and its coefficients in
    /// the coefficient schema of `cohort logit` (docs/json.md); with the pointers (from the
    /// document's root) of the counts `suppression` hides: n, nDropped and events as the table's N.
    static func json(_ univariable: [Fit], suppression rule: Suppression = .none) -> (value: JSONValue, hidden: Set<String>) {
        var hidden = Set<String>()
        let items: [JSONValue] = univariable.enumerated().map { i, one in
            var coefficients: JSONValue = .array([])
            if case .object(let pairs) = LogisticJSON.value(one.analysis), let found = pairs.first(where: { $0.0 == "coefficients" }) { coefficients = found.1 }
            let fit = one.analysis.fit
            let sample = rule.sample(fit)
            for (key, status) in [("n", sample.used), ("nDropped", sample.dropped), ("events", sample.events)] where status != .shown {
                hidden.insert(JSONValue.pointer("univariable", i, key))
            }
            return .object([("covariate", .string(one.covariate)), ("n", .integer(fit.nObservations)), ("nDropped", .integer(fit.nDropped)),
                             ("events", .integer(fit.nEvents)), ("converged", .bool(fit.convergence.isConverged)), ("coefficients", coefficients)])
        }
        return (.array(items), hidden)
    }
}

extension LogisticJSON {
    /// ``render(_:bootstrap:bootstrapMethod:suppression:)`` with the univariable fits added as a
    /// top-level `univariable` array (before `suppression`): `[{"covariate", "n", "nDropped",
    /// "events", "converged", "coefficients": [the coefficient schema]}]`.
    public static func render(_ analysis: LogisticAnalysis, bootstrap: LogisticBootstrap? = nil, bootstrapMethod: BootstrapInterval.Method = .bca,
                              suppression rule: Suppression = .none, univariable: [UnivariableTable.Fit]) -> String {
        var top = value(analysis, bootstrap: bootstrap, bootstrapMethod: bootstrapMethod)
        let (fits, fitsHidden) = UnivariableTable.json(univariable, suppression: rule)
        top.append("univariable", fits)
        return top.suppressed(hidden(analysis, rule: rule).union(fitsHidden), rule: rule).rendered(indent: 2) + "\n"
    }
}

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

    /// One model's coefficients as the table reads them: names, terms, estimates (log scale),
    /// intervals, the P printed, and its n with how suppression prints it.
    struct Rows {
        let names: [String], terms: [ModelTerm], estimates: [Double], aliased: [Bool]
        let intervals: [ConfidenceInterval?], p: [Double]
        let n: Int, nStatus: Suppression.Status
        /// The sample's counts as the model's own table prints them (for the suppression note).
        let printed: [Suppression.Status], unprotectable: Int

        init(_ analysis: LogisticAnalysis, rule: Suppression) {
            let fit = analysis.fit, sample = rule.sample(fit)
            names = fit.coefficientNames
            terms = fit.terms
            estimates = fit.coefficients
            aliased = fit.aliased
            intervals = analysis.intervals
            // The LR test where computed (it agrees with a profile interval), else Wald.
            p = fit.coefficientNames.indices.map { j in
                analysis.coefficientTests[j].map { $0.converged ? $0.p : .nan } ?? fit.waldPValues[j]
            }
            (n, nStatus, printed, unprotectable) = (fit.nObservations, sample.used, sample.printed, sample.unprotectable)
        }

        /// A hazard model's rows (Cox, Fine-Gray): Wald P from z, n and the counts' statuses from
        /// its sample as its own table's header prints them.
        init(names: [String], terms: [ModelTerm], estimates: [Double], aliased: [Bool], intervals: [ConfidenceInterval?], z: [Double],
             sample: HazardTable.Sample, rule: Suppression) {
            let statuses = HazardTable.statuses(sample, suppression: rule)
            self.names = names
            self.terms = terms
            self.estimates = estimates
            self.aliased = aliased
            self.intervals = intervals
            p = z.map { $0.isFinite ? Normal.twoSidedP($0) : .nan }
            (n, nStatus, printed, unprotectable) = (sample.used, statuses.statuses[0], statuses.statuses, statuses.unprotectable)
        }

        init(_ analysis: CoxAnalysis, rule: Suppression) {
            let fit = analysis.fit
            self.init(names: fit.coefficientNames, terms: fit.terms, estimates: fit.coefficients, aliased: fit.aliased, intervals: analysis.intervals,
                      z: analysis.zStatistics, sample: CoxTable.sample(analysis), rule: rule)
        }

        /// Ratio, CI and P of coefficient `name`; empty when the model has no such column.
        func cells(_ name: String) -> [CellValue] {
            guard let j = names.firstIndex(of: name) else { return [.empty, .empty, .empty] }
            if aliased[j] { return [.number(.nan), .interval(.nan, .nan), .pValue(.nan)] }
            let interval = intervals[j]
            return [.number(PortableMath.exp(estimates[j])),
                    .interval(interval.map { PortableMath.exp($0.lower) } ?? .nan, interval.map { PortableMath.exp($0.upper) } ?? .nan),
                    .pValue(p[j])]
        }
    }

    /// - Parameters:
    ///   - labels: the row heading of each covariate (the codebook's label and unit), by name.
    ///   - formula: the model was given as a formula, whose terms (a spline, a transform) are fitted
    ///     alone: the footnote says "each term alone" rather than "each covariate alone".
    public static func make(multivariable: LogisticAnalysis, univariable: [Fit], labels: [String: String] = [:], formula: Bool = false,
                            style: NumberStyle = .standard) -> ReportTable {
        let fit = multivariable.fit
        let rule = style.suppression
        let level = NumberStyle.levelPercent(multivariable.level)
        let lrUsed = multivariable.coefficientTests.contains { $0 != nil }
        let methodName = multivariable.intervalMethod == .profile
            ? (fit.method == .firth ? "profile penalised likelihood" : "profile likelihood") : "Wald (estimate ± z·SE on the log-odds scale)"
        let model = fit.method == .firth ? "by Firth's penalised logistic regression (logistf convention)" : "by maximum-likelihood logistic regression"
        let notes = [
            "OR: odds ratio; CI: \(level) confidence interval, \(methodName), exponentiated; "
                + (lrUsed ? (fit.method == .firth ? "P: penalised likelihood-ratio test of the coefficient = 0 (logistf)." : "P: likelihood-ratio test of dropping the coefficient (χ², 1 df).")
                          : "P: Wald test (two-sided normal test of estimate/SE)."),
            "Univariable: each \(unitName(formula: formula)) alone with the outcome, \(model), on the rows where both are recorded (N). ",
            "outcome: \(fit.outcome) (event = \(fit.eventLabel))" + (multivariable.source.map { "; data: \($0)" } ?? "") + ".",
        ]
        return make(multivariable: Rows(multivariable, rule: rule), univariable: univariable.map { ($0.covariate, Rows($0.analysis, rule: rule)) },
                    unit: unitName(formula: formula), ratio: "OR", level: level, title: "Univariable and multivariable odds ratios", notes: notes, labels: labels, style: style)
    }

    /// The Cox model's table: hazard ratios, Wald P (as `summary(coxph)`).
    public static func make(multivariable: CoxAnalysis, univariable: [CoxFit], labels: [String: String] = [:], formula: Bool = false,
                            style: NumberStyle = .standard) -> ReportTable {
        let rule = style.suppression
        let level = NumberStyle.levelPercent(multivariable.level)
        let methodName = multivariable.intervalMethod == .profile ? "profile likelihood" : "Wald (estimate ± z·SE on the log-hazard scale)"
        let ties = multivariable.fit.options.ties == .efron ? "Efron" : "Breslow"
        let notes = [
            "HR: hazard ratio; CI: \(level) confidence interval, \(methodName), exponentiated; P: Wald test (two-sided normal test of estimate/SE"
                + (multivariable.fit.robustCovariance != nil ? ", robust clustered SE)." : ")."),
            "Univariable: each \(unitName(formula: formula)) alone, Cox proportional hazards (\(ties) ties), on the rows where it and the times are recorded (N). ",
            "event: \(multivariable.event)" + (multivariable.competingEvents.isEmpty ? "" : " (\(multivariable.competingEvents.joined(separator: ", ")) censoring)")
                + "; data: \(multivariable.source).",
        ]
        return make(multivariable: Rows(multivariable, rule: rule), univariable: univariable.map { ($0.covariate, Rows($0.analysis, rule: rule)) },
                    unit: unitName(formula: formula), ratio: "HR", level: level, title: "Univariable and multivariable hazard ratios", notes: notes, labels: labels, style: style)
    }

    /// One covariate of a Cox model fitted alone.
    public struct CoxFit: Sendable {
        public let covariate: String
        public let analysis: CoxAnalysis
        public init(covariate: String, analysis: CoxAnalysis) {
            self.covariate = covariate
            self.analysis = analysis
        }
    }

    /// What is fitted alone: a formula's terms, or the covariates.
    static func unitName(formula: Bool) -> String { formula ? "term" : "covariate" }

    /// The side-by-side table of `ratio` ("OR", "HR"); `notes[1]` gets the multivariable sample.
    static func make(multivariable multi: Rows, univariable: [(covariate: String, rows: Rows)], unit: String, ratio: String, level: String, title: String,
                             notes methodNotes: [String], labels: [String: String], style: NumberStyle) -> ReportTable {
        let rule = style.suppression
        let columns: [ReportTable.Column] = [
            .init(key: "characteristic", header: "Characteristic", alignment: .left),
            .init(key: "n", header: "N"),
            .init(key: "univariable\(ratio)", header: "Univariable \(ratio)"),
            .init(key: "univariableCI", header: "\(level) CI"),
            .init(key: "univariableP", header: "P"),
            .init(key: "multivariable\(ratio)", header: "Multivariable \(ratio)"),
            .init(key: "multivariableCI", header: "\(level) CI"),
            .init(key: "multivariableP", header: "P"),
        ]
        var rows: [[CellValue]] = []
        var printed: [Suppression.Status] = [], unprotectable = 0
        /// A term's heading row and its columns indented under it, each `cells` of a column name.
        func termRows(_ heading: String, n nCell: CellValue, columns: [String], label: (String) -> String, cells: (String) -> [CellValue]) {
            rows.append([.text(heading), nCell] + Array(repeating: CellValue.empty, count: 6))
            for name in columns { rows.append([.text("  \(label(name))"), .empty] + cells(name)) }
        }
        func fitted(_ covariate: String, _ uni: Rows) {
            printed += uni.printed
            unprotectable += uni.unprotectable
            let nCell = CellValue.count(uni.n, .init(uni.nStatus))
            let heading = labels[covariate] ?? covariate
            // The term of this covariate in each model.
            let uniTerm = uni.terms.first { $0.name == covariate }
            let multiTerm = multi.terms.first { $0.name == covariate }
            let multiNames = multiTerm.map { Array(multi.names[$0.columns]) } ?? []
            let uniNames = uniTerm.map { Array(uni.names[$0.columns]) } ?? []
            // The columns in the multivariable model's order, then any only the univariable one has.
            let names = multiNames + uniNames.filter { !multiNames.contains($0) }
            switch (multiTerm ?? uniTerm)?.kind {
            case .categorical(let reference, _)?:
                rows.append([.text(heading), nCell] + Array(repeating: CellValue.empty, count: 6))
                rows.append([.text("  \(reference)"), .empty, .text("Reference"), .empty, .empty, .text("Reference"), .empty, .empty])
                for name in names {
                    let levelName = name.hasPrefix(covariate + "[") && name.hasSuffix("]")
                        ? String(name.dropFirst(covariate.count + 1).dropLast()) : name
                    rows.append([.text("  \(levelName)"), .empty] + uni.cells(name) + multi.cells(name))
                }
            case .spline?:
                // rcs(x, k): its columns together, under the term.
                termRows(heading, n: nCell, columns: names, label: { $0 }) { uni.cells($0) + multi.cells($0) }
            default:
                let name = names.count == 1 ? names[0] : covariate
                rows.append([.text(heading), nCell] + uni.cells(name) + multi.cells(name))
            }
        }
        // In the multivariable model's order; an interaction, not fitted alone, only there.
        var interactions: [String] = []
        var done = Set<String>()
        for term in multi.terms {
            if let uni = univariable.first(where: { $0.covariate == term.name }) {
                fitted(uni.covariate, uni.rows)
                done.insert(term.name)
            } else if case .interaction = term.kind {
                interactions.append(term.name)
                let columns = Array(multi.names[term.columns])
                let alone: [CellValue] = [.text("—"), .empty, .empty]
                if columns.count == 1 {
                    rows.append([.text(labels[term.name] ?? term.name), .empty] + alone + multi.cells(columns[0]))
                } else {
                    termRows(labels[term.name] ?? term.name, n: .empty, columns: columns, label: { $0 }) { alone + multi.cells($0) }
                }
            }
        }
        for (covariate, uni) in univariable where !done.contains(covariate) { fitted(covariate, uni) }
        var notes = methodNotes
        if notes.count > 1 {
            notes[1] += "Multivariable: all \(unit)s together, on the \(rule.text(multi.n, multi.nStatus)) rows where all are recorded."
        }
        if !interactions.isEmpty {
            notes.append("—: \(interactions.joined(separator: ", ")): an interaction is not fitted alone (it is estimated beside its main effects); it has a multivariable estimate only, as gtsummary's tbl_uvregression + tbl_merge.")
        }
        if let note = rule.note(printed + multi.printed, unprotectable: unprotectable + multi.unprotectable) { notes.append(note) }
        // Ratios to 3 significant digits, as papers print them.
        var ratios = style
        ratios.significantDigits = 3
        return ReportTable(title: title, preamble: [], columns: columns, rows: rows, notes: notes, style: ratios)
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

extension UnivariableTable {
    /// The Cox fits as JSON, as ``json(_:suppression:)`` the logistic ones: each covariate with its
    /// n, nDropped, events and coefficients in `cohort cox`'s coefficient schema.
    static func json(_ univariable: [CoxFit], suppression rule: Suppression = .none) -> (value: JSONValue, hidden: Set<String>) {
        hazardJSON(univariable.map { ($0.covariate, CoxJSON.value($0.analysis), CoxTable.sample($0.analysis), $0.analysis.fit.convergence.isConverged) }, rule: rule)
    }

    /// One implementation for the hazard models' fits (Cox, Fine-Gray): each covariate with its
    /// sample, convergence and the `coefficients` of its model's own JSON `value`; the counts `rule`
    /// hides as pointers from the document's root.
    static func hazardJSON(_ fits: [(covariate: String, value: JSONValue, sample: HazardTable.Sample, converged: Bool)], rule: Suppression)
        -> (value: JSONValue, hidden: Set<String>) {
        var hidden = Set<String>()
        let items: [JSONValue] = fits.enumerated().map { i, one in
            var coefficients: JSONValue = .array([])
            if case .object(let pairs) = one.value, let found = pairs.first(where: { $0.0 == "coefficients" }) { coefficients = found.1 }
            let status = HazardTable.statuses(one.sample, suppression: rule).statuses
            for (key, k) in [("n", 0), ("nDropped", 1), ("events", 2)] where status[k] != .shown {
                hidden.insert(JSONValue.pointer("univariable", i, key))
            }
            return .object([("covariate", .string(one.covariate)), ("n", .integer(one.sample.used)), ("nDropped", .integer(one.sample.dropped)),
                             ("events", .integer(one.sample.events)), ("converged", .bool(one.converged)), ("coefficients", coefficients)])
        }
        return (.array(items), hidden)
    }
}

extension CoxJSON {
    /// ``render(_:suppression:)`` with the univariable fits added as a top-level `univariable` array
    /// (before `suppression`), as ``LogisticJSON/render(_:bootstrap:bootstrapMethod:suppression:univariable:)``.
    public static func render(_ analysis: CoxAnalysis, suppression rule: Suppression = .none, univariable: [UnivariableTable.CoxFit]) -> String {
        var top = value(analysis)
        let (fits, fitsHidden) = UnivariableTable.json(univariable, suppression: rule)
        top.append("univariable", fits)
        return top.suppressed(hidden(analysis, rule: rule).union(fitsHidden), rule: rule).rendered(indent: 2) + "\n"
    }
}

import CohortData
import CohortStats

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The coefficient table of a logistic analysis, with a header that states the method, n used and
/// dropped, events, convergence and likelihood summaries, and notes that name every method and warning.
public enum CoefficientTable {
    /// - Parameters:
    ///   - bootstrap: bootstrap intervals to add as a column (and a note stating method, B, seed and
    ///     failures), shown by `bootstrapMethod`.
    public static func make(_ analysis: LogisticAnalysis, bootstrap: LogisticBootstrap? = nil,
                            bootstrapMethod: BootstrapInterval.Method = .bca, style: NumberStyle = .standard) -> ReportTable {
        let fit = analysis.fit
        let levelText = NumberStyle.levelPercent(analysis.level)
        let methodName = analysis.intervalMethod == .profile
            ? (fit.method == .firth ? "profile penalised likelihood" : "profile likelihood") : "Wald"
        var columns = [
            ReportTable.Column(key: "term", header: "term", alignment: .left),
            .init(key: "estimate", header: "estimate"),
            .init(key: "stdError", header: "std. error"),
            .init(key: "z", header: "z"),
            .init(key: "p", header: "P (Wald)"),
            .init(key: "oddsRatio", header: "OR"),
            .init(key: "orCI", header: "\(levelText) CI for OR"),
            .init(key: "lrP", header: fit.method == .firth ? "P (penalised LR)" : "P (LR)"),
        ]
        if let bootstrap {
            columns.append(.init(key: "bootstrapCI", header: "\(NumberStyle.levelPercent(bootstrap.level)) CI for OR (\(BootstrapText.methodName(bootstrapMethod)))"))
        }
        let se = fit.standardErrors, z = fit.zStatistics, p = fit.waldPValues
        let separated = Set(fit.separatedColumns)
        var rows: [[CellValue]] = []
        let referenceAt = Dictionary(fit.terms.compactMap { term -> (Int, String)? in
            guard case .categorical(let reference, _) = term.kind else { return nil }
            return (term.columns.lowerBound, "\(term.name)[\(reference)] (reference)")
        }, uniquingKeysWith: { a, _ in a })
        let orColumn = columns.firstIndex { $0.key == "oddsRatio" } ?? 5
        for j in fit.coefficientNames.indices {
            if let reference = referenceAt[j] {
                // The reference level of a categorical covariate: OR 1 by definition, shown so a
                // reader sees what each level is compared with.
                var row = [CellValue.text(reference)] + Array(repeating: .empty, count: columns.count - 1)
                row[orColumn] = .text("1")
                rows.append(row)
            }
            var name = fit.coefficientNames[j]
            if separated.contains(name) { name += " (separated)" }
            if fit.aliased[j] {
                rows.append([.text(name + " (aliased)"), .number(.nan), .number(.nan), .number(.nan), .pValue(.nan), .number(.nan), .interval(.nan, .nan), .pValue(.nan)]
                            + (bootstrap == nil ? [] : [.interval(.nan, .nan)]))
                continue
            }
            let interval = analysis.intervals[j]
            let isIntercept = fit.terms.first { $0.columns.contains(j) }?.kind == .intercept
            func oddsRatios(_ interval: (lower: Double, upper: Double)?) -> CellValue {
                isIntercept ? .empty : .interval(interval.map { PortableMath.exp($0.lower) } ?? .nan, interval.map { PortableMath.exp($0.upper) } ?? .nan)
            }
            let bootstrapCell = bootstrap.map { b in oddsRatios(b.interval(j, method: bootstrapMethod).map { ($0.lower, $0.upper) }) }
            let test = analysis.coefficientTests[j]
            rows.append([
                .text(name),
                .number(fit.coefficients[j]),
                .number(se[j]),
                .number(z[j]),
                .pValue(p[j]),
                isIntercept ? .empty : .number(PortableMath.exp(fit.coefficients[j])),
                oddsRatios(interval.map { ($0.lower, $0.upper) }),
                .pValue(test.map { $0.converged ? $0.p : .nan } ?? .nan),
            ] + (bootstrapCell.map { [$0] } ?? []))
        }

        let methodTitle = fit.method == .firth ? "Firth penalised logistic regression (logistf convention)" : "Logistic regression (maximum likelihood)"
        var preamble = [
            "outcome: \(fit.outcome) (event = \(fit.eventLabel))" + (analysis.source.map { "; data: \($0)" } ?? ""),
            sampleLine(fit, style: style),
            convergenceLine(fit),
        ]
        // Functions of n and events alone: not shown when suppression hides either (issue 13).
        let sample = style.suppression.sample(fit)
        let derivedShown = style.suppression.sampleDerivedStatus(used: sample.used, events: sample.events) == .shown
        let derived = { (x: Double) in derivedShown ? style.number(x) : style.missing }
        var likelihoodLine = "log-likelihood = \(style.number(fit.logLikelihood)); deviance = \(style.number(fit.deviance)); null deviance = \(derived(fit.nullDeviance)); AIC = \(style.number(fit.aic)); BIC = \(derived(fit.bic))"
        if let penalized = fit.penalizedLogLikelihood { likelihoodLine = "penalised log-likelihood = \(style.number(penalized)); " + likelihoodLine }
        preamble.append(likelihoodLine)
        preamble.append("\(fit.method == .firth ? "penalised " : "")LR χ² = \(derived(fit.likelihoodRatioChiSquare)) on \(fit.likelihoodRatioDF) df, "
                        + (derivedShown ? style.pStatement(fit.likelihoodRatioP) : "P = \(style.missing)"))

        var notes = [
            analysis.cluster == nil
                ? "estimate, std. error: log-odds scale; std. error from the inverse Fisher information at the estimates."
                : "estimate, std. error: log-odds scale; std. error cluster-robust (sandwich), as stated above.",
            intervalNote(methodName: methodName, profile: analysis.intervalMethod == .profile),
            fit.method == .firth
                ? "P (penalised LR): penalised likelihood-ratio test of the coefficient = 0 (χ², 1 df): the model with it held at 0 vs the full model, both penalised with the full model's information (logistf)."
                : likelihoodRatioNote(aliased: fit.aliased.contains(true)),
        ]
        // Variable tests: those of several columns, and (with aliased columns) every one, since drop1
        // then compares other models than the coefficient tests do (issue 12).
        let shown = analysis.termTests.filter { $0.df > 1 || fit.aliased.contains(true) && fit.method == .maximumLikelihood }
        for test in shown {
            // A column's own variable is a "variable"; a spline, a transform or an interaction a "term".
            let kind = fit.terms.first { $0.name == test.name }.map { term -> String in
                switch term.kind {
                case .categorical, .numeric: term.factors == [term.name] && !term.name.contains("(") ? "variable" : "term"
                default: "term"
                }
            } ?? "variable"
            if let note = termTestNote(test, kind: kind, style: style) { notes.append(note) }
        }
        for term in fit.terms {
            if case .categorical(let reference, _) = term.kind { notes.append("\(term.name): reference level '\(reference)'.") }
        }
        if let bootstrap {
            notes.append(BootstrapText.note(bootstrap, method: bootstrapMethod, fitMethod: fit.method))
        }
        let epv = EventsPerVariable(fit)
        let epvWithheld = style.suppression.eventsPerVariableStatus(used: sample.used, events: sample.events, survival: false) != .shown
        notes.append(epv.note(style: style, withheld: epvWithheld))
        notes += style.suppression.sharedWarnings(analysis).map { "warning: " + $0 }
        if let warning = epv.warning, !epvWithheld { notes.append("warning: " + warning) }
        if let note = style.suppression.note(sample.printed, unprotectable: sample.unprotectable) { notes.append(note) }
        if let bootstrap { notes += BootstrapText.warnings(bootstrap, method: bootstrapMethod).map { "warning: " + $0 } }
        return ReportTable(title: methodTitle, preamble: preamble, columns: columns, rows: rows, notes: notes, style: style)
    }

    /// The bootstrap's warnings as the table's notes print them (for the CLI's stderr).
    public static func bootstrapWarnings(_ bootstrap: LogisticBootstrap, method: BootstrapInterval.Method) -> [String] {
        BootstrapText.warnings(bootstrap, method: method)
    }

    /// The note on the interval column ("CI: profile likelihood, exponentiated."); shared with ``PooledLogisticTable``.
    static func intervalNote(methodName: String, profile: Bool) -> String {
        "P (Wald): two-sided normal test of estimate/SE. CI: \(methodName)\(profile ? "" : " (estimate ± z·SE)"), exponentiated."
    }

    /// The note on the maximum-likelihood `P (LR)` column; shared with ``PooledLogisticTable``.
    static func likelihoodRatioNote(aliased: Bool) -> String {
        "P (LR): likelihood-ratio test of dropping the coefficient (χ², 1 df): the model without its column vs the full model\(aliased ? ", aliased columns estimated in neither" : "")."
    }

    /// The note of a variable's (several columns') likelihood-ratio test; nil when it did not converge.
    static func termTestNote(_ test: LikelihoodRatioTest, kind: String, style: NumberStyle) -> String? {
        if test.df == 0 { return "\(test.name): LR test of the whole \(kind) not applicable, 0 df: \(test.comparison)." }
        guard test.converged else { return nil }
        return "\(test.name): LR test of the whole \(kind) χ² = \(style.number(test.chiSquare)) on \(test.df) df, \(style.pStatement(test.p)); \(test.comparison)."
    }

    /// "n = 127 used, 0 dropped for missing values; events = 12", each count as ``Suppression/sample(_:)`` prints it.
    static func sampleLine(_ fit: LogisticFit, style: NumberStyle) -> String {
        let rule = style.suppression, status = rule.sample(fit)
        return "n = \(rule.text(fit.nObservations, status.used)) used, \(rule.text(fit.nDropped, status.dropped)) dropped for missing values; events = \(rule.text(fit.nEvents, status.events))"
    }

    static func convergenceLine(_ fit: LogisticFit) -> String {
        switch fit.convergence {
        case .converged(let iterations):
            "converged in \(iterations) iterations; rank \(fit.rank) of \(fit.coefficients.count)"
        case .maxIterationsReached(let iterations):
            "NOT converged after \(iterations) iterations; rank \(fit.rank) of \(fit.coefficients.count)"
        case .separation(let terms, let complete, let iterations):
            "NOT converged: \(complete ? "complete" : "quasi-complete") separation by \(terms.joined(separator: ", ")) (stopped after \(iterations) iterations)"
        }
    }
}

/// The stable JSON interface of `cohort logit --format json` (documented in the README).
public enum LogisticJSON {
    /// - Parameters:
    ///   - bootstrap: adds `bootstrapLower`/`bootstrapUpper` (log-odds) and `bootstrapORLower`/
    ///     `bootstrapORUpper` per coefficient and a top-level `bootstrap` object (method, level,
    ///     resamples, seed, failed, failure reasons, warnings).
    public static func value(_ analysis: LogisticAnalysis, bootstrap: LogisticBootstrap? = nil,
                             bootstrapMethod: BootstrapInterval.Method = .bca, predictions: [PredictionTable.Row] = [],
                             standardization: MarginalStandardization? = nil, inputs: [(String, JSONValue)] = []) -> JSONValue {
        let fit = analysis.fit
        let se = fit.standardErrors, z = fit.zStatistics, p = fit.waldPValues
        let separated = Set(fit.separatedColumns)
        let coefficients: [JSONValue] = fit.coefficientNames.indices.map { j in
            let interval = analysis.intervals[j]
            let test = analysis.coefficientTests[j]
            let aliased = fit.aliased[j]
            let estimate = aliased ? nil : fit.coefficients[j]
            var fields = CoefficientJSON.fields(
                term: fit.coefficientNames[j], estimate: estimate, stdError: aliased ? nil : se[j], z: aliased ? nil : z[j],
                p: aliased ? nil : p[j], interval: interval, ratio: .odds, method: analysis.intervalMethod, level: analysis.level)
            fields += testFields(test) + [
                ("aliased", .bool(aliased)),
                ("separated", .bool(separated.contains(fit.coefficientNames[j]))),
            ]
            if let bootstrap {
                let b = bootstrap.interval(j, method: bootstrapMethod)
                fields += [("bootstrapLower", .optionalNumber(b?.lower)), ("bootstrapUpper", .optionalNumber(b?.upper)),
                           ("bootstrapORLower", .optionalNumber(b.map { PortableMath.exp($0.lower) })),
                           ("bootstrapORUpper", .optionalNumber(b.map { PortableMath.exp($0.upper) })),
                           ("bootstrapSE", .optionalNumber(bootstrap.standardError(j)))]
            }
            return .object(fields)
        }
        let termTests = termTestsJSON(analysis.termTests)
        let referenceLevels: [(String, JSONValue)] = fit.terms.compactMap { term in
            if case .categorical(let reference, _) = term.kind { return (term.name, .string(reference)) }
            return nil
        }
        var top: [(String, JSONValue)] = [
            ("model", .string(fit.method.rawValue)),
            ("outcome", .string(fit.outcome)),
            ("event", .string(fit.eventLabel)),
            ("n", .integer(fit.nObservations)),
            ("nDropped", .integer(fit.nDropped)),
            ("events", .integer(fit.nEvents)),
            ("converged", .bool(fit.convergence.isConverged)),
            ("iterations", .integer(fit.iterations)),
            ("convergenceCriterion", .object([
                ("rule", .string("Newton decrement sqrt(U' I^-1 U) <= tolerance")),
                ("tolerance", .number(fit.options.tolerance)),
                ("newtonDecrement", .optionalNumber(fit.criterion.newtonDecrement)),
                ("maxWorkingScore", .optionalNumber(fit.criterion.maxWorkingScore)),
                ("relativeDevianceChange", .optionalNumber(fit.criterion.relativeObjectiveChange)),
            ])),
            ("rank", .integer(fit.rank)),
            ("logLikelihood", .optionalNumber(fit.logLikelihood)),
            ("penalizedLogLikelihood", .optionalNumber(fit.penalizedLogLikelihood)),
            ("deviance", .optionalNumber(fit.deviance)),
            ("nullDeviance", .optionalNumber(fit.nullDeviance)),
            ("lrChiSquare", .optionalNumber(fit.likelihoodRatioChiSquare)),
            ("lrDF", .integer(fit.likelihoodRatioDF)),
            ("lrP", .optionalNumber(fit.likelihoodRatioP)),
            ("aic", .optionalNumber(fit.aic)),
            ("bic", .optionalNumber(fit.bic)),
            ("eventsPerVariable", .optionalNumber(EventsPerVariable(fit).value)),
            ("parameters", .integer(EventsPerVariable(fit).parameters)),
            ("epvWarning", EventsPerVariable(fit).warning.map { .string($0) } ?? .null),
            ("referenceLevels", .object(referenceLevels)),
            ("coefficients", .array(coefficients)),
            ("termTests", .array(termTests)),
            ("separatedTerms", .array(fit.separatedColumns.map(JSONValue.string))),
        ] + ModelCheckText.json(analysis.check) + [
            ("warnings", .array(analysis.warnings.map(JSONValue.string))),
        ]
        if !inputs.isEmpty, let position = top.firstIndex(where: { $0.0 == "n" }) { top.insert(contentsOf: inputs, at: position) }
        if !predictions.isEmpty { top.append(("predictions", PredictionTable.json(predictions))) }
        if let standardization { top.append(("standardization", StandardizationTable.json(standardization))) }
        if let bootstrap {
            top.append(("bootstrap", .object([
                ("method", .string(bootstrapMethod.rawValue)),
                ("level", .number(bootstrap.level)),
                ("resamples", .integer(bootstrap.replicates)),
                ("seed", .string(String(bootstrap.seed))),
                ("failed", .integer(bootstrap.failed)),
                ("failureReasons", .object(bootstrap.result.failureReasons.map { ($0.reason, .integer($0.count)) })),
                ("warnings", .array(BootstrapText.warnings(bootstrap, method: bootstrapMethod).map(JSONValue.string))),
            ])))
        }
        return .object(top)
    }

    /// A coefficient's likelihood-ratio fields (`lrChiSquare`, `lrP`, `lrComparison`); shared with ``PooledLogisticTable``.
    static func testFields(_ test: LikelihoodRatioTest?) -> [(String, JSONValue)] {
        [("lrChiSquare", .optionalNumber(test?.converged == true ? test?.chiSquare : nil)),
         ("lrP", .optionalNumber(test?.converged == true ? test?.p : nil)),
         ("lrComparison", test.map { .string($0.comparison) } ?? .null)]
    }

    /// The `termTests` array; shared with ``PooledLogisticTable``.
    static func termTestsJSON(_ tests: [LikelihoodRatioTest]) -> [JSONValue] {
        tests.map {
            .object([("term", .string($0.name)), ("chiSquare", .optionalNumber($0.converged ? $0.chiSquare : nil)),
                     ("df", .integer($0.df)), ("p", .optionalNumber($0.converged && $0.p.isFinite ? $0.p : nil)),
                     ("comparison", .string($0.comparison)), ("restrictedColumns", .array($0.restrictedColumns.map(JSONValue.string)))])
        }
    }

    /// - Parameters:
    ///   - suppression: under it the sample's counts the table hides (``Suppression/sample(_:)``:
    ///     `n`, `nDropped`, `events`) are null and listed in `suppression.hidden`, with what gives
    ///     them back: `nullDeviance`, `lrChiSquare`, `lrP` and `bic` (functions of n and events), the
    ///     numbers of `cStatistic`, `hosmerLemeshow` and `calibration` (of the outcome itself) and
    ///     `eventsPerVariable` with `epvWarning`, and the warning giving the rows dropped by reason.
    ///     (The model itself is refused when an outcome cell
    ///     is small: ``Suppression/check(_:)-(LogisticModel)``.)
    public static func render(_ analysis: LogisticAnalysis, bootstrap: LogisticBootstrap? = nil,
                              bootstrapMethod: BootstrapInterval.Method = .bca, predictions: [PredictionTable.Row] = [],
                              standardization: MarginalStandardization? = nil, inputs: [(String, JSONValue)] = [],
                              suppression rule: Suppression = .none, univariable: [UnivariableTable.Fit] = [],
                              validation: LogisticValidation? = nil, influence: InfluenceTable.Summary? = nil) -> String {
        var top = value(analysis, bootstrap: bootstrap, bootstrapMethod: bootstrapMethod, predictions: predictions, standardization: standardization, inputs: inputs)
        var hidden = hidden(analysis, rule: rule)
        // `--univariable`: the fits as a top-level `univariable` array (before `suppression`):
        // `[{"covariate", "n", "nDropped", "events", "converged", "coefficients": [the coefficient schema]}]`.
        if !univariable.isEmpty {
            let (fits, fitsHidden) = UnivariableTable.json(univariable, suppression: rule)
            top.append("univariable", fits)
            hidden.formUnion(fitsHidden)
        }
        // `--validate` and `--influence` (issue 16): objects at the end; the validation's numbers
        // are hidden with the sample's n or events.
        if let validation {
            top.append("validation", ValidationTable.json(validation))
            let sample = rule.sample(analysis.fit)
            if rule.sampleDerivedStatus(used: sample.used, events: sample.events) != .shown { hidden.formUnion(ValidationTable.numberPointers()) }
        }
        if let influence { top.append("influence", InfluenceTable.json(influence, fit: analysis.fit)) }
        return top.suppressed(hidden, rule: rule).rendered(indent: 2) + "\n"
    }

    /// The pointers of what `rule` hides in ``value(_:bootstrap:bootstrapMethod:)``.
    static func hidden(_ analysis: LogisticAnalysis, rule: Suppression) -> Set<String> {
        let fit = analysis.fit
        let sample = rule.sample(fit)
        var hidden = Set<String>()
        for (key, status) in [("n", sample.used), ("nDropped", sample.dropped), ("events", sample.events)] where status != .shown {
            hidden.insert(JSONValue.pointer(key))
        }
        if rule.sampleDerivedStatus(used: sample.used, events: sample.events) != .shown {
            for key in ["nullDeviance", "lrChiSquare", "lrP", "bic"] { hidden.insert(JSONValue.pointer(key)) }
            if analysis.check != nil { hidden.formUnion(ModelCheckText.hiddenWithSample) }  // null with case weights
        }
        if rule.eventsPerVariableStatus(used: sample.used, events: sample.events, survival: false) != .shown {
            hidden.formUnion([JSONValue.pointer("eventsPerVariable"), JSONValue.pointer("epvWarning")])
        }
        for i in rule.withheldWarnings(analysis) { hidden.insert(JSONValue.pointer("warnings", i)) }
        return hidden
    }
}

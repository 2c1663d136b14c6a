import CohortData
import CohortStats

/// The coefficient table of a Cox analysis, laid out as `summary(coxph)` reads: log hazard ratio,
/// its SE (and the robust SE with clusters), z and Wald P, the hazard ratio and its interval; the
/// header states the event, n used and dropped, events, competing events and censored, ties, strata,
/// clusters, convergence and the model's three tests; the notes name every method and warning.
public enum CoxTable {
    public static func make(_ analysis: CoxAnalysis, style: NumberStyle = .standard) -> ReportTable {
        let fit = analysis.fit
        let robust = fit.robustStandardErrors
        let levelText = NumberStyle.levelPercent(analysis.level)
        var columns = [
            ReportTable.Column(key: "term", header: "term", alignment: .left),
            .init(key: "estimate", header: "log HR"),
            .init(key: "stdError", header: "std. error"),
        ]
        if robust != nil { columns.append(.init(key: "robustStdError", header: "robust SE")) }
        columns += [
            .init(key: "z", header: "z"),
            .init(key: "p", header: "P (Wald)"),
            .init(key: "hazardRatio", header: "HR"),
            .init(key: "hrCI", header: "\(levelText) CI for HR"),
        ]
        let se = fit.standardErrors, z = analysis.zStatistics, p = z.map(Normal.twoSidedP)
        let monotone: Set<String> = {
            if case .monotoneLikelihood(let names, _, _) = fit.convergence { return Set(names) }
            return []
        }()
        let referenceAt = Dictionary(fit.terms.compactMap { term -> (Int, String)? in
            guard case .categorical(let reference, _) = term.kind else { return nil }
            return (term.columns.lowerBound, "\(term.name)[\(reference)] (reference)")
        }, uniquingKeysWith: { a, _ in a })
        let hrColumn = columns.firstIndex { $0.key == "hazardRatio" } ?? 0
        var rows: [[CellValue]] = []
        for j in fit.coefficientNames.indices {
            if let reference = referenceAt[j] {
                // The reference level: HR 1 by definition, shown so a reader sees the comparison.
                var row = [CellValue.text(reference)] + Array(repeating: .empty, count: columns.count - 1)
                row[hrColumn] = .text("1")
                rows.append(row)
            }
            var name = fit.coefficientNames[j]
            if monotone.contains(name) { name += " (monotone likelihood)" }
            if fit.aliased[j] {
                rows.append([.text(name + " (aliased)")] + Array(repeating: CellValue.number(.nan), count: columns.count - 3)
                            + [.number(.nan), .interval(.nan, .nan)])
                continue
            }
            let interval = analysis.intervals[j]
            rows.append([.text(name), .number(fit.coefficients[j]), .number(se[j])]
                        + (robust.map { [CellValue.number($0[j])] } ?? [])
                        + [.number(z[j]), .pValue(p[j]), .number(PortableMath.exp(fit.coefficients[j])),
                           .interval(interval.map { PortableMath.exp($0.lower) } ?? .nan, interval.map { PortableMath.exp($0.upper) } ?? .nan)])
        }

        var preamble = [
            "event: \(analysis.event)" + (analysis.competingEvents.isEmpty ? "" : " (cause-specific hazard: \(analysis.competingEvents.joined(separator: ", ")) \(analysis.competingEvents.count == 1 ? "censors" : "censor"))")
                + "; data: \(analysis.source)",
            sampleLine(analysis, style: style),
            designLine(analysis),
            convergenceLine(fit),
            "log partial likelihood = \(style.number(fit.logLikelihood)) (at β = 0: \(style.number(fit.nullLogLikelihood))); AIC = \(style.number(fit.aic))",
            testsLine(fit, style: style),
        ]
        if let robustWald = fit.robustWaldTest, let robustScore = fit.robustScoreTest {
            preamble.append("robust Wald χ² = \(style.number(robustWald.chiSquare)) on \(robustWald.df) df, \(style.pStatement(robustWald.p)); robust score χ² = \(style.number(robustScore.chiSquare)) on \(robustScore.df) df, \(style.pStatement(robustScore.p))")
        }

        let methodName = analysis.intervalMethod == .profile ? "profile likelihood" : "Wald (estimate ± z·SE)"
        var notes = [
            "log HR, std. error: log hazard ratio scale; std. error from the inverse information of the partial likelihood at the estimates.",
        ]
        if robust != nil {
            notes.append("robust SE: the clustered sandwich variance (coxph's cluster =, no small-sample factor); z, P and the CI use it.")
        }
        notes.append("P (Wald): two-sided normal test of estimate/SE. CI: \(methodName), exponentiated.")
        for term in fit.terms {
            if case .categorical(let reference, _) = term.kind { notes.append("\(term.name): reference level '\(reference)'.") }
        }
        let epv = EventsPerVariable(events: fit.nEvents, parameters: fit.degreesOfFreedom)
        notes.append(epv.note(style: style))
        notes += analysis.warnings.map { "warning: " + $0 }
        if let warning = epv.warning { notes.append("warning: " + warning) }
        let sample = sampleStatuses(analysis, style: style)
        if let note = style.suppression.note(sample.statuses, unprotectable: sample.unprotectable) { notes.append(note) }
        return ReportTable(title: "Cox proportional hazards regression (\(fit.options.ties == .efron ? "Efron" : "Breslow") ties)",
                           preamble: preamble, columns: columns, rows: rows, notes: notes, style: style)
    }

    /// n used and dropped, events, competing events and censored, as one table of counts: used and
    /// dropped add up to the data's N (known to the reader), events, competing and censored to n used.
    static func sampleStatuses(_ analysis: CoxAnalysis, style: NumberStyle) -> (statuses: [Suppression.Status], unprotectable: Int) {
        let fit = analysis.fit
        let cells = [fit.nObservations, fit.excludedRows.count, fit.nEvents, analysis.nCompeting, analysis.nCensored].map { Suppression.Cell($0) }
        let (statuses, unprotectable) = style.suppression.statuses(cells, constraints: [.init(parts: [0, 1]), .init(parts: [2, 3, 4], total: 0)])
        return (statuses, unprotectable.count)
    }

    static func sampleLine(_ analysis: CoxAnalysis, style: NumberStyle) -> String {
        let fit = analysis.fit, rule = style.suppression
        let s = sampleStatuses(analysis, style: style).statuses
        return "n = \(rule.text(fit.nObservations, s[0])) used, \(rule.text(fit.excludedRows.count, s[1])) dropped for missing values; "
            + "events = \(rule.text(fit.nEvents, s[2]))"
            + (analysis.competingEvents.isEmpty ? "" : ", competing events = \(rule.text(analysis.nCompeting, s[3]))")
            + ", censored = \(rule.text(analysis.nCensored, s[4]))"
    }

    static func designLine(_ analysis: CoxAnalysis) -> String {
        let fit = analysis.fit
        var parts = ["ties: \(fit.options.ties == .efron ? "Efron (coxph's default)" : "Breslow")"]
        if let strata = analysis.strataColumn { parts.append("strata: \(strata) (\(fit.nStrata) baseline hazards)") }
        if let cluster = analysis.clusterColumn, let count = fit.nClusters { parts.append("clusters: \(cluster) (\(count); robust standard errors)") }
        return parts.joined(separator: "; ")
    }

    static func convergenceLine(_ fit: CoxFit) -> String {
        let rank = "rank \(fit.degreesOfFreedom) of \(fit.coefficients.count)"
        switch fit.convergence {
        case .converged(let iterations):
            return "converged in \(iterations) iterations; \(rank)"
        case .maxIterationsReached(let iterations):
            return "NOT converged after \(iterations) iterations; \(rank)"
        case .monotoneLikelihood(let columns, _, let iterations):
            return "NOT converged: monotone likelihood in \(columns.joined(separator: ", ")) (stopped after \(iterations) iterations); \(rank)"
        case .failed(let reason, let iterations):
            return "NOT converged: \(reason) (after \(iterations) iterations); \(rank)"
        }
    }

    static func testsLine(_ fit: CoxFit, style: NumberStyle) -> String {
        func test(_ name: String, _ t: CoxModelTest) -> String {
            "\(name) χ² = \(style.number(t.chiSquare)) on \(t.df) df, \(style.pStatement(t.p))"
        }
        return [test("LR", fit.likelihoodRatioTest), test("Wald", fit.waldTest), test("score (log-rank)", fit.scoreTest)].joined(separator: "; ")
    }
}

/// The JSON of `cohort cox --format json`: logit's coefficient schema (``CoefficientJSON``) with
/// `hazardRatio`/`hrLower`/`hrUpper`, and the model's counts, tests and convergence (docs/json.md).
public enum CoxJSON {
    public static func value(_ analysis: CoxAnalysis) -> JSONValue {
        let fit = analysis.fit
        let naive = fit.standardErrors, se = analysis.standardErrors, z = analysis.zStatistics
        let monotone: [String] = {
            if case .monotoneLikelihood(let names, _, _) = fit.convergence { return names }
            return []
        }()
        let coefficients: [JSONValue] = fit.coefficientNames.indices.map { j in
            let aliased = fit.aliased[j]
            var fields = CoefficientJSON.fields(
                term: fit.coefficientNames[j], estimate: aliased ? nil : fit.coefficients[j], stdError: aliased ? nil : se[j],
                z: aliased ? nil : z[j], p: aliased ? nil : Normal.twoSidedP(z[j]), interval: analysis.intervals[j], ratio: .hazard,
                method: analysis.intervalMethod, level: analysis.level)
            fields += [
                ("naiveStdError", .optionalNumber(aliased ? nil : naive[j])),
                ("robust", .bool(fit.robustCovariance != nil)),
                ("aliased", .bool(aliased)),
                ("monotone", .bool(monotone.contains(fit.coefficientNames[j]))),
            ]
            return .object(fields)
        }
        func test(_ t: CoxModelTest?) -> JSONValue {
            guard let t else { return .null }
            return .object([("chiSquare", .number(t.chiSquare)), ("df", .integer(t.df)), ("p", .number(t.p))])
        }
        let referenceLevels: [(String, JSONValue)] = fit.terms.compactMap { term in
            if case .categorical(let reference, _) = term.kind { return (term.name, .string(reference)) }
            return nil
        }
        let epv = EventsPerVariable(events: fit.nEvents, parameters: fit.degreesOfFreedom)
        let status: String = switch fit.convergence {
        case .converged: "converged"
        case .maxIterationsReached: "maximum iterations reached"
        case .monotoneLikelihood: "monotone likelihood"
        case .failed: "failed"
        }
        return .object([
            ("model", .string("cox")),
            ("ties", .string(fit.options.ties.rawValue)),
            ("event", .string(analysis.event)),
            ("competingEvents", .array(analysis.competingEvents.map(JSONValue.string))),
            ("n", .integer(fit.nObservations)),
            ("nDropped", .integer(fit.excludedRows.count)),
            ("events", .integer(fit.nEvents)),
            ("competing", .integer(analysis.nCompeting)),
            ("censored", .integer(analysis.nCensored)),
            ("strata", analysis.strataColumn.map { .object([("column", .string($0)), ("count", .integer(fit.nStrata))]) } ?? .null),
            ("clusters", analysis.clusterColumn.map { .object([("column", .string($0)), ("count", fit.nClusters.map(JSONValue.integer) ?? .null)]) } ?? .null),
            ("converged", .bool(fit.convergence.isConverged)),
            ("convergence", .string(status)),
            ("iterations", .integer(fit.convergence.iterations)),
            ("convergenceCriterion", .object([
                ("rule", .string("Newton decrement sqrt(U' I^-1 U) <= tolerance")),
                ("tolerance", .number(fit.options.tolerance)),
                ("newtonDecrement", .optionalNumber(fit.newtonDecrement)),
            ])),
            ("rank", .integer(fit.degreesOfFreedom)),
            ("logLikelihood", .optionalNumber(fit.logLikelihood)),
            ("nullLogLikelihood", .optionalNumber(fit.nullLogLikelihood)),
            ("aic", .optionalNumber(fit.aic)),
            ("lrTest", test(fit.likelihoodRatioTest)),
            ("waldTest", test(fit.waldTest)),
            ("scoreTest", test(fit.scoreTest)),
            ("robustWaldTest", test(fit.robustWaldTest)),
            ("robustScoreTest", test(fit.robustScoreTest)),
            ("eventsPerVariable", .optionalNumber(epv.value)),
            ("parameters", .integer(epv.parameters)),
            ("epvWarning", epv.warning.map { .string($0) } ?? .null),
            ("referenceLevels", .object(referenceLevels)),
            ("coefficients", .array(coefficients)),
            ("monotoneTerms", .array(monotone.map(JSONValue.string))),
            ("warnings", .array(analysis.warnings.map(JSONValue.string))),
        ])
    }

    public static func render(_ analysis: CoxAnalysis) -> String { value(analysis).rendered(indent: 2) + "\n" }
}

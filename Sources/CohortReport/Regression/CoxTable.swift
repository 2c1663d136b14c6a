import CohortData
import CohortStats

/// The coefficient table of a Cox analysis, laid out as `summary(coxph)` reads: log hazard ratio,
/// its SE (and the robust SE with clusters), z and Wald P, the hazard ratio and its interval; the
/// header states the event, n used and dropped, events, competing events and censored, ties, strata,
/// clusters, convergence and the model's three tests; the notes name every method and warning.
public enum CoxTable {
    public static func make(_ analysis: CoxAnalysis, style: NumberStyle = .standard) -> ReportTable {
        let fit = analysis.fit
        let coefficients = HazardTable.Coefficients(
            names: fit.coefficientNames, terms: fit.terms, estimates: fit.coefficients, standardErrors: fit.standardErrors,
            otherStandardErrors: fit.robustStandardErrors.map { ("robust SE", $0) }, z: analysis.zStatistics,
            intervals: analysis.intervals, aliased: fit.aliased, monotone: Set(HazardTable.monotoneTerms(fit.convergence)))
        let columns = HazardTable.columns(coefficients, logHeader: "log HR", ratioHeader: "HR", level: analysis.level)
        let rows = HazardTable.rows(coefficients, columnCount: columns.count)
        let sample = self.sample(analysis)

        var preamble = [
            "event: \(analysis.event)" + (analysis.competingEvents.isEmpty ? "" : " (cause-specific hazard: \(analysis.competingEvents.joined(separator: ", ")) \(analysis.competingEvents.count == 1 ? "censors" : "censor"))")
                + "; data: \(analysis.source)",
            HazardTable.sampleLine(sample, style: style),
            designLine(analysis, suppressed: style.suppression.isActive),
            HazardTable.convergenceLine(fit.convergence, rank: fit.degreesOfFreedom, of: fit.coefficients.count),
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
        if fit.robustCovariance != nil {
            notes.append("robust SE: the clustered sandwich variance (coxph's cluster =, no small-sample factor); z, P and the CI use it.")
        }
        notes.append("P (Wald): two-sided normal test of estimate/SE. CI: \(methodName), exponentiated.")
        for test in analysis.termTests where test.converged {
            let kind = fit.robustCovariance != nil ? "robust Wald test" : "LR test"
            notes.append("\(test.name): \(kind) of the whole term χ² = \(style.number(test.chiSquare)) on \(test.df) df, \(style.pStatement(test.p)); \(test.comparison).")
        }
        notes += HazardTable.referenceNotes(fit.terms)
        notes += HazardTable.closingNotes(sample, parameters: fit.degreesOfFreedom, warnings: analysis.warnings, style: style)
        return ReportTable(title: "Cox proportional hazards regression (\(fit.options.ties == .efron ? "Efron" : "Breslow") ties)",
                           preamble: preamble, columns: columns, rows: rows, notes: notes, style: style)
    }

    static func sample(_ analysis: CoxAnalysis) -> HazardTable.Sample {
        HazardTable.Sample(used: analysis.fit.nObservations, dropped: analysis.fit.excludedRows.count, events: analysis.fit.nEvents,
                           competing: analysis.nCompeting, censored: analysis.nCensored, hasCompeting: !analysis.competingEvents.isEmpty)
    }

    /// - Parameter suppressed: small-cell suppression is on: Σw (which tells about n) is left out.
    static func designLine(_ analysis: CoxAnalysis, suppressed: Bool = false) -> String {
        let fit = analysis.fit
        var parts = ["ties: \(fit.options.ties == .efron ? "Efron (coxph's default)" : "Breslow")"]
        if let strata = analysis.strataColumn { parts.append("strata: \(strata) (\(fit.nStrata) baseline hazards)") }
        if let cluster = analysis.clusterColumn, let count = fit.nClusters { parts.append("clusters: \(cluster) (\(count); robust standard errors)") }
        if analysis.weightColumn != nil, analysis.clusterColumn == nil, fit.robustCovariance != nil {
            parts.append("robust standard errors with each row its own cluster (coxph's default for weights that are not whole numbers)")
        }
        if let weights = analysis.weightColumn, let total = analysis.weightTotal {
            parts.append("case weights: \(weights) (coxph's weights =; n counts rows" + (suppressed ? ")" : ", weights summing to \(NumberText.shortest((total * 1e6).rounded() / 1e6)))"))
        }
        if let offset = analysis.offsetColumn { parts.append("offset: \(offset) (coefficient 1)") }
        return parts.joined(separator: "; ")
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
        let monotone = HazardTable.monotoneTerms(fit.convergence)
        let coefficients = HazardTable.coefficientsJSON(
            names: fit.coefficientNames, estimates: fit.coefficients, standardErrors: analysis.standardErrors,
            naiveStandardErrors: fit.standardErrors, z: analysis.zStatistics, intervals: analysis.intervals, aliased: fit.aliased,
            convergence: fit.convergence, method: analysis.intervalMethod, level: analysis.level,
            extra: [("robust", .bool(fit.robustCovariance != nil))])
        func test(_ t: CoxModelTest?) -> JSONValue {
            guard let t else { return .null }
            return .object([("chiSquare", .number(t.chiSquare)), ("df", .integer(t.df)), ("p", .number(t.p))])
        }
        // weights and offset only when given, so that other outputs keep their bytes.
        let inputs: [(String, JSONValue)] = [
            analysis.weightColumn.map { ("weights", .object([("column", .string($0)), ("sum", .optionalNumber(analysis.weightTotal))])) },
            analysis.offsetColumn.map { ("offset", .string($0)) },
        ].compactMap { $0 }
        return .object([
            ("model", .string("cox")),
            ("ties", .string(fit.options.ties.rawValue)),
            ("event", .string(analysis.event)),
            ("competingEvents", .array(analysis.competingEvents.map(JSONValue.string))),
        ] + inputs + HazardTable.sampleAndFitFields(CoxTable.sample(analysis), convergence: fit.convergence, tolerance: fit.options.tolerance,
                                           newtonDecrement: fit.newtonDecrement, rank: fit.degreesOfFreedom) + [
            ("strata", analysis.strataColumn.map { .object([("column", .string($0)), ("count", .integer(fit.nStrata))]) } ?? .null),
            ("clusters", analysis.clusterColumn.map { .object([("column", .string($0)), ("count", fit.nClusters.map(JSONValue.integer) ?? .null)]) } ?? .null),
            ("logLikelihood", .optionalNumber(fit.logLikelihood)),
            ("nullLogLikelihood", .optionalNumber(fit.nullLogLikelihood)),
            ("aic", .optionalNumber(fit.aic)),
            ("lrTest", test(fit.likelihoodRatioTest)),
            ("waldTest", test(fit.waldTest)),
            ("scoreTest", test(fit.scoreTest)),
            ("robustWaldTest", test(fit.robustWaldTest)),
            ("robustScoreTest", test(fit.robustScoreTest)),
        ] + HazardTable.eventsPerVariableFields(events: fit.nEvents, parameters: fit.degreesOfFreedom) + [
            ("referenceLevels", HazardTable.referenceLevels(fit.terms)),
            ("coefficients", coefficients),
            ("termTests", .array(analysis.termTests.map {
                .object([("term", .string($0.name)), ("chiSquare", .optionalNumber($0.converged ? $0.chiSquare : nil)), ("df", .integer($0.df)),
                         ("p", .optionalNumber($0.converged ? $0.p : nil)), ("comparison", .string($0.comparison))])
            })),
            ("monotoneTerms", .array(monotone.map(JSONValue.string))),
            ("warnings", .array(analysis.warnings.map(JSONValue.string))),
        ])
    }

    /// - Parameters:
    ///   - suppression: under it the sample's counts the table hides (``HazardTable/statuses(_:suppression:)``:
    ///     `n`, `nDropped`, `events`, `competing`, `censored`) are null and listed in
    ///     `suppression.hidden`, with `eventsPerVariable` and `epvWarning` when the events are.
    public static func render(_ analysis: CoxAnalysis, suppression rule: Suppression = .none) -> String {
        value(analysis).suppressed(hidden(analysis, rule: rule), rule: rule).rendered(indent: 2) + "\n"
    }

    /// The pointers of what `rule` hides in ``value(_:)``.
    static func hidden(_ analysis: CoxAnalysis, rule: Suppression) -> Set<String> {
        var hidden = HazardTable.hidden(CoxTable.sample(analysis), rule: rule)
        // Σw tells about n: hidden under any suppression, as in the table's design line.
        if rule.isActive, analysis.weightColumn != nil { hidden.insert(JSONValue.pointer("weights", "sum")) }
        return hidden
    }
}

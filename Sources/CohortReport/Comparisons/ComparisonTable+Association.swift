import CohortStats

/// The measures of association of `cohort compare` (issue 16): what the table and the JSON show of a
/// two-level factor's ``CrudeAssociation`` and of its ``StratifiedComparison``, and what
/// suppression withholds of them (one decision, read by both).
extension ComparisonTable {
    /// Whether suppression withholds the measures of a factor: its risk ratio, risk difference and
    /// odds ratios are functions of its four cells, so they go whenever a count of its table is
    /// hidden (as its P value does).
    public static func associationWithheld(_ status: FactorStatuses, rule: Suppression) -> Bool {
        rule.isActive && status.anyHidden
    }

    /// Whether suppression withholds a factor's Mantel-Haenszel analysis: as its crude measures, and
    /// also when a cell of a stratum's table (never printed) is 1..K − 1, since the pooled
    /// estimates, the test and the homogeneity statistic are functions of those cells.
    public static func stratifiedWithheld(_ comparison: FactorComparison, _ status: FactorStatuses, rule: Suppression) -> Bool {
        guard rule.isActive, let stratified = comparison.stratified else { return false }
        return status.anyHidden || stratified.analysis.strata.contains { t in [t.a, t.b, t.c, t.d].contains(where: rule.isSmall) }
    }

    /// The statuses of the stratified analysis's rows used and rows dropped for a missing stratum
    /// (the factor's rows used are known, so either gives the other back).
    static func stratifiedCounts(_ stratified: StratifiedComparison, rule: Suppression) -> (n: Suppression.Status, dropped: Suppression.Status) {
        let status = rule.parts([stratified.n, stratified.nDropped]).statuses
        return (status[0], status[1])
    }

    /// The association columns: RR and RD with their intervals, and with strata the pooled OR.
    static func associationColumns(strata: Bool) -> [ReportTable.Column] {
        var columns: [ReportTable.Column] = [
            .init(key: "rr", header: "RR"), .init(key: "rrCI", header: "95% CI"),
            .init(key: "rd", header: "RD"), .init(key: "rdCI", header: "95% CI"),
        ]
        if strata { columns += [.init(key: "mhOR", header: "MH OR"), .init(key: "mhORCI", header: "95% CI")] }
        return columns
    }

    /// The cells of one line of a factor: values on the exposed (second) level's line, empty elsewhere.
    static func associationCells(_ comparison: FactorComparison, line: Int, withheld: Bool, stratifiedWithheld: Bool, strata: Bool) -> [CellValue] {
        let width = strata ? 6 : 4
        guard let association = comparison.association, line == 1 else { return Array(repeating: .empty, count: width) }
        func cells(_ e: AssociationEstimate, _ hidden: Bool) -> [CellValue] {
            let status: TableCell.Status = hidden ? .withheld : .shown
            return [.number(e.estimate ?? .nan, status), .interval(e.lower ?? .nan, e.upper ?? .nan, status)]
        }
        var line = cells(association.riskRatio, withheld) + cells(association.riskDifference, withheld)
        if strata {
            line += comparison.stratified.map { cells($0.analysis.oddsRatio, stratifiedWithheld) } ?? [.empty, .empty]
        }
        return line
    }

    /// The notes of a factor's measures: why a value is missing, and the rest of the
    /// Mantel-Haenszel analysis (pooled RR, the test, homogeneity) in words.
    static func associationNotes(_ comparison: FactorComparison, withheld: Bool, stratifiedWithheld: Bool, style: NumberStyle) -> [String] {
        guard let association = comparison.association else { return [] }
        let name = comparison.factor
        var notes: [String] = []
        if !withheld {
            for (label, e) in [("RR", association.riskRatio), ("Wald OR", association.oddsRatio), ("conditional OR", association.conditionalOddsRatio)] {
                if let problem = e.problem { notes.append("\(name): \(label): \(problem).") }
            }
        }
        guard let stratified = comparison.stratified else { return notes }
        let rule = style.suppression
        let counts = stratifiedCounts(stratified, rule: rule)
        let mh = stratified.analysis
        var text = "\(name) over the strata of \(stratified.column) (n = \(rule.text(stratified.n, counts.n)), \(mh.strata.count) strata"
        if mh.uninformativeStrata > 0 { text += ", \(mh.uninformativeStrata) with one level of \(name), which add nothing" }
        if stratified.nDropped > 0 { text += "; \(rule.text(stratified.nDropped, counts.dropped)) rows without a stratum left out" }
        text += "): "
        if stratifiedWithheld {
            notes.append(text + "the Mantel-Haenszel estimates and tests are withheld under small-cell suppression (a stratum's table has a hidden or small count).")
            return notes
        }
        var parts: [String] = []
        func estimate(_ label: String, _ e: AssociationEstimate) -> String {
            guard let value = e.estimate else { return "\(label) not estimable (\(e.problem ?? ""))" }
            let interval = e.lower.flatMap { l in e.upper.map { u in " (95% CI \(style.interval(l, u)))" } } ?? " (\(e.problem ?? "no interval"))"
            return "\(label) \(style.number(value))\(interval)"
        }
        parts.append(estimate("MH RR", mh.riskRatio) + ", Greenland-Robins variance")
        if mh.oddsRatio.estimate != nil, mh.oddsRatio.lower == nil { parts.append(estimate("MH OR", mh.oddsRatio)) }
        if let test = mh.test, let statistic = test.statistic {
            parts.append("Mantel-Haenszel chi-square \(style.number(statistic)) (1 df, no continuity correction), \(style.pStatement(test.pValue))")
        } else if let problem = mh.testProblem {
            parts.append(problem)
        }
        if let h = mh.homogeneity {
            parts.append("homogeneity of the OR: Breslow-Day \(style.number(h.breslowDay)), with Tarone's correction \(style.number(h.tarone)) on \(h.df) df, \(style.pStatement(h.pValue))")
        } else if let problem = mh.homogeneityProblem {
            parts.append(problem)
        }
        notes.append(text + parts.joined(separator: "; ") + ".")
        return notes
    }
}

extension ComparisonJSON {
    /// `{"method", "estimate", "lower", "upper", "problem"}`.
    static func estimate(_ e: AssociationEstimate) -> JSONValue {
        .object([("method", .string(e.method)), ("estimate", .optionalNumber(e.estimate)), ("lower", .optionalNumber(e.lower)),
                 ("upper", .optionalNumber(e.upper)), ("problem", e.problem.map { .string($0) } ?? .null)])
    }

    /// A factor's `association`: null unless it has two levels.
    static func association(_ c: FactorComparison) -> JSONValue {
        guard let a = c.association else { return .null }
        return .object([
            ("exposed", .string(c.levels[1].label)), ("reference", .string(c.levels[0].label)),
            ("n", .integer(a.table.n)), ("level", .number(a.riskRatio.level)),
            ("riskRatio", estimate(a.riskRatio)), ("riskDifference", estimate(a.riskDifference)),
            ("oddsRatio", estimate(a.oddsRatio)), ("conditionalOddsRatio", estimate(a.conditionalOddsRatio)),
        ])
    }

    /// A factor's `stratified`: null without strata or unless it has two levels.
    static func stratified(_ c: FactorComparison) -> JSONValue {
        guard let s = c.stratified else { return .null }
        let mh = s.analysis
        let test: JSONValue = .object([
            ("method", .string("Mantel-Haenszel chi-square, no continuity correction")), ("statistic", .optionalNumber(mh.test?.statistic)),
            ("df", mh.test == nil ? .null : .integer(1)), ("p", .optionalNumber(mh.test?.pValue)),
            ("problem", mh.testProblem.map { .string($0) } ?? .null),
        ])
        let homogeneity: JSONValue = .object([
            ("method", .string("Breslow-Day; P from Tarone's correction")), ("breslowDay", .optionalNumber(mh.homogeneity?.breslowDay)),
            ("tarone", .optionalNumber(mh.homogeneity?.tarone)), ("df", mh.homogeneity.map { .integer($0.df) } ?? .null),
            ("p", .optionalNumber(mh.homogeneity?.pValue)), ("strataUsed", mh.homogeneity.map { .integer($0.strataUsed) } ?? .null),
            ("problem", mh.homogeneityProblem.map { .string($0) } ?? .null),
        ])
        return .object([
            ("strata", .string(s.column)), ("n", .integer(s.n)), ("nDropped", .integer(s.nDropped)),
            ("strataCount", .integer(mh.strata.count)), ("uninformativeStrata", .integer(mh.uninformativeStrata)),
            ("oddsRatio", estimate(mh.oddsRatio)), ("riskRatio", estimate(mh.riskRatio)), ("test", test), ("homogeneity", homogeneity),
        ])
    }

    /// The JSON Pointers of the values suppression withholds of factor `f`'s measures.
    static func hiddenAssociation(_ c: FactorComparison, factor f: Int, status: ComparisonTable.FactorStatuses, rule: Suppression) -> [String] {
        var hidden: [String] = []
        func add(_ tokens: any CustomStringConvertible...) { hidden.append(tokens.map { JSONValue.pointer($0) }.joined()) }
        // A measure's problem names a zero cell, which with a hidden count can give it back.
        if c.association != nil {
            if status.dropped != .shown { add("factors", f, "association", "n") }
            if ComparisonTable.associationWithheld(status, rule: rule) {
                for measure in ["riskRatio", "riskDifference", "oddsRatio", "conditionalOddsRatio"] {
                    for key in ["estimate", "lower", "upper", "problem"] { add("factors", f, "association", measure, key) }
                }
            }
        }
        if let s = c.stratified {
            let counts = ComparisonTable.stratifiedCounts(s, rule: rule)
            if counts.n != .shown { add("factors", f, "stratified", "n") }
            if counts.dropped != .shown { add("factors", f, "stratified", "nDropped") }
            if ComparisonTable.stratifiedWithheld(c, status, rule: rule) {
                for measure in ["oddsRatio", "riskRatio"] {
                    for key in ["estimate", "lower", "upper", "problem"] { add("factors", f, "stratified", measure, key) }
                }
                for key in ["statistic", "p", "problem"] { add("factors", f, "stratified", "test", key) }
                for key in ["breslowDay", "tarone", "p", "problem"] { add("factors", f, "stratified", "homogeneity", key) }
            }
        }
        return hidden
    }
}

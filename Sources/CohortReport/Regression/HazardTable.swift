import CohortData
import CohortStats

/// What the coefficient tables of the hazard models (Cox, Fine-Gray) share: the columns and rows of
/// log ratio, SE, z, Wald P, ratio and interval, with reference-level, aliased and monotone rows;
/// and the sample line of n used and dropped, events, competing events and censored under the
/// suppression rule. One implementation for both models' tables.
enum HazardTable {
    /// One model's coefficients as the rows need them (SEs already the ones z, P and the interval use).
    struct Coefficients {
        let names: [String]
        let terms: [ModelTerm]
        let estimates: [Double]
        /// The model-based SEs (the `std. error` column).
        let standardErrors: [Double]
        /// A second SE column (robust, or crr's sandwich), when the model has one; z uses it.
        let otherStandardErrors: (header: String, values: [Double])?
        let z: [Double]
        let intervals: [ConfidenceInterval?]
        let aliased: [Bool]
        let monotone: Set<String>
    }

    static func columns(_ c: Coefficients, logHeader: String, ratioHeader: String, level: Double) -> [ReportTable.Column] {
        var columns = [
            ReportTable.Column(key: "term", header: "term", alignment: .left),
            .init(key: "estimate", header: logHeader),
            .init(key: "stdError", header: "std. error"),
        ]
        if let other = c.otherStandardErrors { columns.append(.init(key: "otherStdError", header: other.header)) }
        columns += [
            .init(key: "z", header: "z"),
            .init(key: "p", header: "P (Wald)"),
            .init(key: "ratio", header: ratioHeader),
            .init(key: "ratioCI", header: "\(NumberStyle.levelPercent(level)) CI for \(ratioHeader)"),
        ]
        return columns
    }

    static func rows(_ c: Coefficients, columnCount: Int) -> [[CellValue]] {
        let referenceAt = Dictionary(c.terms.compactMap { term -> (Int, String)? in
            guard case .categorical(let reference, _) = term.kind else { return nil }
            return (term.columns.lowerBound, "\(term.name)[\(reference)] (reference)")
        }, uniquingKeysWith: { a, _ in a })
        let ratioColumn = columnCount - 2
        var rows: [[CellValue]] = []
        for j in c.names.indices {
            if let reference = referenceAt[j] {
                // The reference level: ratio 1 by definition, shown so a reader sees the comparison.
                var row = [CellValue.text(reference)] + Array(repeating: .empty, count: columnCount - 1)
                row[ratioColumn] = .text("1")
                rows.append(row)
            }
            var name = c.names[j]
            if c.monotone.contains(name) { name += " (monotone likelihood)" }
            if c.aliased[j] {
                rows.append([.text(name + " (aliased)")] + Array(repeating: CellValue.number(.nan), count: columnCount - 2) + [.interval(.nan, .nan)])
                continue
            }
            let interval = c.intervals[j]
            rows.append([.text(name), .number(c.estimates[j]), .number(c.standardErrors[j])]
                        + (c.otherStandardErrors.map { [CellValue.number($0.values[j])] } ?? [])
                        + [.number(c.z[j]), .pValue(Normal.twoSidedP(c.z[j])), .number(PortableMath.exp(c.estimates[j])),
                           .interval(interval.map { PortableMath.exp($0.lower) } ?? .nan, interval.map { PortableMath.exp($0.upper) } ?? .nan)])
        }
        return rows
    }

    /// The counts of a hazard model's sample.
    struct Sample {
        let used: Int, dropped: Int, events: Int, competing: Int, censored: Int
        /// Whether competing events were named (else the line leaves them out).
        let hasCompeting: Bool
    }

    /// n used and dropped, events, competing events and censored as one table of counts: used and
    /// dropped add up to the data's N (known to the reader), events, competing and censored to n used.
    /// The one computation a hazard model's table and its JSON both read (issue 13).
    static func statuses(_ s: Sample, suppression: Suppression) -> (statuses: [Suppression.Status], unprotectable: Int) {
        let cells = [s.used, s.dropped, s.events, s.competing, s.censored].map { Suppression.Cell($0) }
        let (statuses, unprotectable) = suppression.statuses(cells, constraints: [.init(parts: [0, 1]), .init(parts: [2, 3, 4], total: 0)])
        return (statuses, unprotectable.count)
    }

    /// The JSON pointers of what `rule` hides in a hazard model's JSON (``CoxJSON``,
    /// ``FineGrayJSON``): the sample's counts as the table's header hides them (`n`, `nDropped`,
    /// `events`, `competing`, `censored`), and `eventsPerVariable` with `epvWarning` when the events are.
    static func hidden(_ s: Sample, rule: Suppression) -> Set<String> {
        let status = statuses(s, suppression: rule).statuses
        var hidden = Set<String>()
        for (k, key) in ["n", "nDropped", "events", "competing", "censored"].enumerated() where status[k] != .shown {
            hidden.insert(JSONValue.pointer(key))
        }
        if rule.eventsPerVariableStatus(used: status[0], events: status[2], survival: true) != .shown {
            hidden.formUnion([JSONValue.pointer("eventsPerVariable"), JSONValue.pointer("epvWarning")])
        }
        return hidden
    }

    static func sampleLine(_ s: Sample, style: NumberStyle) -> String {
        let rule = style.suppression, status = statuses(s, suppression: style.suppression).statuses
        return "n = \(rule.text(s.used, status[0])) used, \(rule.text(s.dropped, status[1])) dropped for missing values; "
            + "events = \(rule.text(s.events, status[2]))"
            + (s.hasCompeting ? ", competing events = \(rule.text(s.competing, status[3]))" : "")
            + ", censored = \(rule.text(s.censored, status[4]))"
    }

    /// "converged in 5 iterations; rank 3 of 3", or what stopped the iterations.
    static func convergenceLine(_ convergence: CoxConvergence, rank: Int, of p: Int) -> String {
        let rank = "rank \(rank) of \(p)"
        switch convergence {
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

    static func monotoneTerms(_ convergence: CoxConvergence) -> [String] {
        if case .monotoneLikelihood(let names, _, _) = convergence { return names }
        return []
    }

    static func convergenceStatus(_ convergence: CoxConvergence) -> String {
        switch convergence {
        case .converged: "converged"
        case .maxIterationsReached: "maximum iterations reached"
        case .monotoneLikelihood: "monotone likelihood"
        case .failed: "failed"
        }
    }

    /// The JSON fields both hazard models write about their sample and their fit, in one order.
    static func sampleAndFitFields(_ s: Sample, convergence: CoxConvergence, tolerance: Double, newtonDecrement: Double,
                                   rank: Int) -> [(String, JSONValue)] {
        [
            ("n", .integer(s.used)),
            ("nDropped", .integer(s.dropped)),
            ("events", .integer(s.events)),
            ("competing", .integer(s.competing)),
            ("censored", .integer(s.censored)),
            ("converged", .bool(convergence.isConverged)),
            ("convergence", .string(convergenceStatus(convergence))),
            ("iterations", .integer(convergence.iterations)),
            ("convergenceCriterion", .object([
                ("rule", .string("Newton decrement sqrt(U' I^-1 U) <= tolerance")),
                ("tolerance", .number(tolerance)),
                ("newtonDecrement", .optionalNumber(newtonDecrement)),
            ])),
            ("rank", .integer(rank)),
        ]
    }

    /// Events per variable, its parameters and warning, as both hazard models' JSON writes them.
    static func eventsPerVariableFields(events: Int, parameters: Int) -> [(String, JSONValue)] {
        let epv = EventsPerVariable(events: events, parameters: parameters)
        return [("eventsPerVariable", .optionalNumber(epv.value)), ("parameters", .integer(epv.parameters)),
                ("epvWarning", epv.warning.map { .string($0) } ?? .null)]
    }

    /// The last notes of a hazard model's table: events per variable (withheld when its count is),
    /// the fit's warnings, the EPV warning, and what suppression hid.
    static func closingNotes(_ s: Sample, parameters: Int, warnings: [String], style: NumberStyle) -> [String] {
        let epv = EventsPerVariable(events: s.events, parameters: parameters)
        let statuses = self.statuses(s, suppression: style.suppression)
        let withheld = style.suppression.eventsPerVariableStatus(used: statuses.statuses[0], events: statuses.statuses[2], survival: true) != .shown
        var notes = [epv.note(style: style, withheld: withheld)]
        notes += warnings.map { "warning: " + $0 }
        if let warning = epv.warning, !withheld { notes.append("warning: " + warning) }
        if let note = style.suppression.note(statuses.statuses, unprotectable: statuses.unprotectable) { notes.append(note) }
        return notes
    }

    /// The coefficients of a hazard model in logit's schema (``CoefficientJSON``), each with its
    /// model-based SE, `extra` fields (Cox's `robust`), `aliased` and `monotone`.
    /// - Parameter standardErrors: the SEs z, P and the interval use (robust or sandwich).
    static func coefficientsJSON(names: [String], estimates: [Double], standardErrors: [Double], naiveStandardErrors: [Double],
                                 z: [Double], intervals: [ConfidenceInterval?], aliased: [Bool], convergence: CoxConvergence,
                                 method: ConfidenceInterval.Method, level: Double, extra: [(String, JSONValue)] = []) -> JSONValue {
        let monotone = monotoneTerms(convergence)
        return .array(names.indices.map { j in
            let isAliased = aliased[j]
            var fields = CoefficientJSON.fields(
                term: names[j], estimate: isAliased ? nil : estimates[j], stdError: isAliased ? nil : standardErrors[j],
                z: isAliased ? nil : z[j], p: isAliased ? nil : Normal.twoSidedP(z[j]), interval: intervals[j], ratio: .hazard,
                method: method, level: level)
            fields.append(("naiveStdError", .optionalNumber(isAliased ? nil : naiveStandardErrors[j])))
            fields += extra
            fields += [("aliased", .bool(isAliased)), ("monotone", .bool(monotone.contains(names[j])))]
            return .object(fields)
        })
    }

    static func referenceLevels(_ terms: [ModelTerm]) -> JSONValue {
        .object(terms.compactMap { term in
            if case .categorical(let reference, _) = term.kind { return (term.name, .string(reference)) }
            return nil
        })
    }

    static func referenceNotes(_ terms: [ModelTerm]) -> [String] {
        terms.compactMap { term in
            if case .categorical(let reference, _) = term.kind { return "\(term.name): reference level '\(reference)'." }
            return nil
        }
    }
}

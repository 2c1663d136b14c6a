import CohortData
import CohortStats

/// The table and JSON of a logistic model fitted from aggregate sums (issue 17: inside PostgreSQL,
/// pooled over sites): the coefficient columns, notes and JSON fields of `cohort logit` (Wald P,
/// likelihood-ratio tests, profile or Wald intervals; the tests and profiles refitted from sums too,
/// ``CohortStats/LogisticSumsFit/inference(fitted:names:terms:level:likelihoodRatioTests:profile:reach:maxIterations:evaluate:)``),
/// with each site's counts.
public struct PooledLogisticTable {
    public struct Part: Sendable {
        public let label: String
        public let rows: Int
        public let events: Int
        public let dropped: Int

        public init(label: String, rows: Int, events: Int, dropped: Int) {
            self.label = label
            self.rows = rows
            self.events = events
            self.dropped = dropped
        }
    }

    public let outcome: String
    public let event: String
    public let terms: [String]
    public let fit: LogisticSumsFit.Result
    /// Tests and profile intervals (none: Wald only).
    public let inference: LogisticSumsFit.Inference?
    public let parts: [Part]
    /// The covariates' design columns, and the categorical ones' reference levels (shown as the local
    /// table shows them: a reference row with OR 1, and a note).
    public let covariates: [LogisticSumsFit.Term]
    public let referenceLevels: [String: String]
    public let level: Double
    /// What computed the sums, for the preamble and JSON ("PostgreSQL, 3 sites").
    public let engine: String
    /// `--suppress-below K`: the sites' own rules refused any outcome cell of 1..K−1, but the rows left
    /// out as incomplete are counted after them; see ``droppedShown``.
    public let suppressBelow: Int?
    /// `--cluster`: how ``fit``'s covariance was made cluster-robust (nil: the inverse information).
    public let cluster: ClusterRobust?

    public init(outcome: String, event: String, terms: [String], fit: LogisticSumsFit.Result, inference: LogisticSumsFit.Inference? = nil,
                parts: [Part], covariates: [LogisticSumsFit.Term] = [], referenceLevels: [String: String] = [:], level: Double, engine: String,
                suppressBelow: Int? = nil, cluster: ClusterRobust? = nil) {
        self.cluster = cluster
        self.covariates = covariates
        self.referenceLevels = referenceLevels
        self.suppressBelow = suppressBelow
        self.inference = inference
        self.outcome = outcome
        self.event = event
        self.terms = terms
        self.fit = fit
        self.parts = parts
        self.level = level
        self.engine = engine
    }

    var dropped: Int { parts.reduce(0) { $0 + $1.dropped } }

    /// Whether the counts of incomplete rows are printed: under `--suppress-below K`, not when any of
    /// them (a site's or the total) is 1..K−1. All are withheld together, since the total less the
    /// other sites' counts would give a hidden one back.
    var droppedShown: Bool {
        guard let k = suppressBelow, k > 1 else { return true }
        return !(parts.map(\.dropped) + [dropped]).contains { (1..<k).contains($0) }
    }

    private var droppedText: String { droppedShown ? String(dropped) : "withheld (--suppress-below)" }
    private func droppedText(_ part: Part) -> String { droppedShown ? String(part.dropped) : "withheld" }
    private func droppedJSON(_ count: Int) -> JSONValue { droppedShown ? .integer(count) : .null }

    /// Profile intervals when computed, else Wald's on the log-odds scale: β ± z₁₋α/₂ SE (nil: a
    /// profile limit that could not be computed).
    var intervals: [(lower: Double, upper: Double)?] {
        let z = Normal.quantile(1 - (1 - level) / 2)
        return terms.indices.map { j in
            guard isProfile else { return (fit.coefficients[j] - z * fit.standardErrors[j], fit.coefficients[j] + z * fit.standardErrors[j]) }
            guard let interval = inference?.intervals[j], !interval.lower.isNaN, !interval.upper.isNaN else { return nil }
            return (interval.lower, interval.upper)
        }
    }

    var isProfile: Bool { inference?.intervals.contains { $0 != nil } ?? false }
    var method: ConfidenceInterval.Method { isProfile ? .profile : .wald }

    func test(_ j: Int) -> LikelihoodRatioTest? { inference.flatMap { $0.coefficientTests[j] } }

    public func table(style: NumberStyle) -> ReportTable {
        let columns = [
            ReportTable.Column(key: "term", header: "term", alignment: .left),
            .init(key: "estimate", header: "estimate"),
            .init(key: "stdError", header: "std. error"),
            .init(key: "z", header: "z"),
            .init(key: "p", header: "P (Wald)"),
            .init(key: "oddsRatio", header: "OR"),
            .init(key: "orCI", header: "\(NumberStyle.levelPercent(level)) CI for OR"),
            .init(key: "lrP", header: "P (LR)"),
        ]
        let se = fit.standardErrors, intervals = intervals
        var referenceAt: [Int: String] = [:]
        for term in covariates {
            if let level = referenceLevels[term.name], let first = term.columns.first { referenceAt[first] = "\(term.name)[\(level)] (reference)" }
        }
        let rows: [[CellValue]] = terms.indices.flatMap { j -> [[CellValue]] in
            let intercept = j == 0
            var block: [[CellValue]] = []
            if let reference = referenceAt[j] {
                block.append([.text(reference), .empty, .empty, .empty, .empty, .text("1"), .empty, .empty])
            }
            return block + [[
                .text(terms[j]), .number(fit.coefficients[j]), .number(se[j]), .number(fit.coefficients[j] / se[j]),
                .pValue(Normal.twoSidedP(fit.coefficients[j] / se[j])),
                intercept ? .empty : .number(PortableMath.exp(fit.coefficients[j])),
                intercept ? .empty : .interval(intervals[j].map { PortableMath.exp($0.lower) } ?? .nan, intervals[j].map { PortableMath.exp($0.upper) } ?? .nan),
                .pValue(test(j).map { $0.converged ? $0.p : .nan } ?? .nan),
            ]]
        }
        let preamble = [
            "outcome: \(outcome) (event = \(event)); computed in \(engine) from aggregate sums (no rows left the database)",
            "n = \(fit.sums.rows), events = \(fit.sums.events), dropped (incomplete) = \(droppedText); \(fit.iterations) IRLS iterations",
        ]
        var notes = cluster.map { ["std. error: \($0.description); the Wald tests and CIs use it. LR tests are not computed (they assume independent rows)."] } ?? []
        notes += [
            cluster == nil
                ? "estimate, std. error: log-odds scale; std. error from the inverse Fisher information at the estimates."
                : "estimate, std. error: log-odds scale; std. error cluster-robust (sandwich), as stated above.",
            CoefficientTable.intervalNote(methodName: isProfile ? "profile likelihood" : "Wald", profile: isProfile),
            CoefficientTable.likelihoodRatioNote(aliased: false),
        ]
        for test in inference?.termTests ?? [] where test.df > 1 {
            if let note = CoefficientTable.termTestNote(test, kind: "variable", style: style) { notes.append(note) }
        }
        for term in covariates { if let level = referenceLevels[term.name] { notes.append("\(term.name): reference level '\(level)'.") } }
        for j in terms.indices where isProfile && intervals[j] == nil { notes.append("warning: " + LikelihoodRatioTest.profileFailureWarning(terms[j])) }
        if let warning = LikelihoodRatioTest.failureWarning((inference?.coefficientTests.compactMap { $0 } ?? []) + (inference?.termTests ?? [])) {
            notes.append("warning: " + warning)
        }
        notes += parts.count < 2 ? [] : parts.map { "site \($0.label): n = \($0.rows), events = \($0.events), dropped = \(droppedText($0))" }
        return ReportTable(title: "Logistic regression (maximum likelihood, pooled sums)", preamble: preamble, columns: columns, rows: rows,
                           notes: notes, style: style)
    }

    public func json() -> String {
        let se = fit.standardErrors, intervals = intervals
        let coefficients: [JSONValue] = terms.indices.map { j in
            .object(CoefficientJSON.fields(term: terms[j], estimate: fit.coefficients[j], stdError: se[j], z: fit.coefficients[j] / se[j],
                                           p: Normal.twoSidedP(fit.coefficients[j] / se[j]), interval: intervals[j], ratio: .odds,
                                           method: method.rawValue, level: level) + LogisticJSON.testFields(test(j)))
        }
        // As the local JSON: `cluster` before `n`, only with clusters.
        let top: JSONValue = .object([
            ("model", .string("logistic")),
            ("engine", .string(engine)),
            ("outcome", .string(outcome)),
            ("event", .string(event)),
        ] + (cluster.map { [("cluster", $0.jsonValue)] } ?? []) + [
            ("n", .integer(fit.sums.rows)),
            ("nDropped", droppedJSON(dropped)),
            ("events", .integer(fit.sums.events)),
            ("converged", .bool(true)),
            ("iterations", .integer(fit.iterations)),
            ("newtonDecrement", .optionalNumber(fit.newtonDecrement)),
            ("logLikelihood", .optionalNumber(fit.logLikelihood)),
            ("deviance", .optionalNumber(fit.sums.deviance)),
            ("aic", .optionalNumber(fit.sums.deviance + 2 * Double(terms.count))),
            ("coefficients", .array(coefficients)),
            ("termTests", .array(LogisticJSON.termTestsJSON(inference?.termTests ?? []))),
            ("sites", .array(parts.map { .object([("site", .string($0.label)), ("n", .integer($0.rows)), ("events", .integer($0.events)),
                                                    ("nDropped", droppedJSON($0.dropped))]) })),
        ])
        return top.rendered(indent: 2) + "\n"
    }
}

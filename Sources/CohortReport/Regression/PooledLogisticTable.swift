import CohortData
import CohortStats

/// The table and JSON of a logistic model fitted from aggregate sums (issue 17: inside PostgreSQL,
/// pooled over sites): the coefficient columns and JSON fields of `cohort logit` (Wald P and
/// intervals only: likelihood-ratio tests and profiles need refits), with each site's counts.
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
    public let parts: [Part]
    public let level: Double
    /// What computed the sums, for the preamble and JSON ("PostgreSQL, 3 sites").
    public let engine: String
    /// `--suppress-below K`: the sites' own rules refused any outcome cell of 1..K−1, but the rows left
    /// out as incomplete are counted after them; see ``droppedShown``.
    public let suppressBelow: Int?

    public init(outcome: String, event: String, terms: [String], fit: LogisticSumsFit.Result, parts: [Part], level: Double, engine: String,
                suppressBelow: Int? = nil) {
        self.suppressBelow = suppressBelow
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

    /// Wald intervals on the log-odds scale: β ± z₁₋α/₂ SE.
    var intervals: [(lower: Double, upper: Double)] {
        let z = Normal.quantile(1 - (1 - level) / 2)
        return zip(fit.coefficients, fit.standardErrors).map { ($0 - z * $1, $0 + z * $1) }
    }

    public func table(style: NumberStyle) -> ReportTable {
        let columns = [
            ReportTable.Column(key: "term", header: "term", alignment: .left),
            .init(key: "estimate", header: "estimate"),
            .init(key: "stdError", header: "std. error"),
            .init(key: "z", header: "z"),
            .init(key: "p", header: "P (Wald)"),
            .init(key: "oddsRatio", header: "OR"),
            .init(key: "orCI", header: "\(NumberStyle.levelPercent(level)) CI for OR"),
        ]
        let se = fit.standardErrors, intervals = intervals
        let rows: [[CellValue]] = terms.indices.map { j in
            let intercept = j == 0
            return [
                .text(terms[j]), .number(fit.coefficients[j]), .number(se[j]), .number(fit.coefficients[j] / se[j]),
                .pValue(Normal.twoSidedP(fit.coefficients[j] / se[j])),
                intercept ? .empty : .number(PortableMath.exp(fit.coefficients[j])),
                intercept ? .empty : .interval(PortableMath.exp(intervals[j].lower), PortableMath.exp(intervals[j].upper)),
            ]
        }
        let preamble = [
            "outcome: \(outcome) (event = \(event)); computed in \(engine) from aggregate sums (no rows left the database)",
            "n = \(fit.sums.rows), events = \(fit.sums.events), dropped (incomplete) = \(droppedText); \(fit.iterations) IRLS iterations; Wald \(NumberStyle.levelPercent(level)) CIs",
        ]
        let notes = parts.count < 2 ? [] : parts.map { "site \($0.label): n = \($0.rows), events = \($0.events), dropped = \(droppedText($0))" }
        return ReportTable(title: "Logistic regression (maximum likelihood, pooled sums)", preamble: preamble, columns: columns, rows: rows,
                           notes: notes, style: style)
    }

    public func json() -> String {
        let se = fit.standardErrors, intervals = intervals
        let coefficients: [JSONValue] = terms.indices.map { j in
            .object(CoefficientJSON.fields(term: terms[j], estimate: fit.coefficients[j], stdError: se[j], z: fit.coefficients[j] / se[j],
                                           p: Normal.twoSidedP(fit.coefficients[j] / se[j]), interval: intervals[j], ratio: .odds,
                                           method: "wald", level: level))
        }
        let top: JSONValue = .object([
            ("model", .string("logistic")),
            ("engine", .string(engine)),
            ("outcome", .string(outcome)),
            ("event", .string(event)),
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
            ("sites", .array(parts.map { .object([("site", .string($0.label)), ("n", .integer($0.rows)), ("events", .integer($0.events)),
                                                    ("nDropped", droppedJSON($0.dropped))]) })),
        ])
        return top.rendered(indent: 2) + "\n"
    }
}

import CohortData
import CohortStats

/// Adjusted risks by marginal standardisation (`cohort logit --standardize EXPOSURE`): each level's
/// standardised risk, then each level's risk difference and ratio against the reference, all with
/// percentile bootstrap intervals.
public enum StandardizationTable {
    /// - Parameters:
    ///   - value: what is standardised: "risk" (logit, logbinomial), "mean" (linear), "rate" (poisson).
    ///   - model: the model's description in the note (default: the `method` logistic model).
    ///   - extra: further notes (what a rate is per).
    public static func make(_ s: MarginalStandardization, method: String, value: String = "risk", model: String? = nil, notes extra: [String] = [],
                            style: NumberStyle = .standard) -> ReportTable {
        let percent = NumberText.shortest(100 * s.level)
        let columns = [
            ReportTable.Column(key: "quantity", header: "standardised over the cohort", alignment: .left),
            ReportTable.Column(key: "estimate", header: "estimate"),
            ReportTable.Column(key: "ci", header: "\(percent)% CI (bootstrap percentile)"),
        ]
        var rows: [[CellValue]] = []
        func interval(_ k: Int) -> CellValue { s.intervals[k].map { .interval($0.lower, $0.upper) } ?? .empty }
        for (k, level) in s.levels.enumerated() {
            rows.append([.text("\(value), \(s.exposure) = \(level)"), .number(s.estimates[k]), interval(k)])
        }
        let m = s.levels.count
        for (k, level) in s.levels.dropFirst().enumerated() {
            rows.append([.text("\(value) difference, \(level) vs \(s.levels[0])"), .number(s.estimates[m + k]), interval(m + k)])
        }
        for (k, level) in s.levels.dropFirst().enumerated() {
            rows.append([.text("\(value) ratio, \(level) vs \(s.levels[0])"), .number(s.estimates[2 * m - 1 + k]), interval(2 * m - 1 + k)])
        }
        let b = s.bootstrap
        var notes = [
            "Marginal standardisation (g-computation): each patient's \(value) predicted by the \(model ?? "\(method) logistic model") with \(s.exposure) set to each level and the other covariates as observed, averaged over the \(b.rowCount) patients of the fit.",
            "CI: percentile bootstrap, \(b.requested) resamples of the patients (seed \(b.seed)), each refitted and standardised over its own rows.",
        ] + extra
        if b.failedCount > 0 {
            notes.append("\(b.failedCount) of \(b.requested) resamples could not be refitted and are left out (\(b.failureReasons.map { "\($0.reason): \($0.count)" }.joined(separator: "; "))).")
        }
        return ReportTable(title: "Adjusted \(value)s by \(s.exposure) (marginal standardisation)", columns: columns, rows: rows, notes: notes, style: style)
    }

    /// The `standardization` object of the model's JSON.
    public static func json(_ s: MarginalStandardization, value: String = "risk") -> JSONValue {
        let m = s.levels.count
        func item(_ k: Int, _ fields: [(String, JSONValue)], value key: String) -> JSONValue {
            .object(fields + [(key, .number(s.estimates[k])), ("lower", .optionalNumber(s.intervals[k]?.lower)), ("upper", .optionalNumber(s.intervals[k]?.upper))])
        }
        let b = s.bootstrap
        return .object([
            ("exposure", .string(s.exposure)),
            ("reference", .string(s.levels[0])),
            (value + "s", .array(s.levels.enumerated().map { item($0.offset, [("level", .string($0.element))], value: value) })),
            ("differences", .array(s.levels.dropFirst().enumerated().map { item(m + $0.offset, [("level", .string($0.element))], value: "difference") })),
            ("ratios", .array(s.levels.dropFirst().enumerated().map { item(2 * m - 1 + $0.offset, [("level", .string($0.element))], value: "ratio") })),
            ("level", .number(s.level)),
            ("bootstrap", .object([("method", .string("percentile")), ("resamples", .integer(b.requested)), ("seed", .string(String(b.seed))),
                                   ("failed", .integer(b.failedCount))])),
        ])
    }
}

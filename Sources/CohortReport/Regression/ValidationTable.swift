import CohortData
import CohortStats

/// `cohort logit --validate B`: bootstrap validation (as `rms::validate`) as a table, one row an
/// index (Dxy, C, R², calibration intercept and slope, Brier): apparent, mean training, mean test,
/// optimism, corrected, and the resamples used.
public enum ValidationTable {
    /// - Parameter status: `.withheld` when suppression hides the sample's n or events (every index
    ///   is a function of the outcome, as the apparent C statistic is).
    public static func make(_ validation: LogisticValidation, fit: LogisticFit, status: TableCell.Status = .shown,
                            style: NumberStyle = .standard) -> ReportTable {
        let rows: [[CellValue]] = LogisticValidation.indexNames.indices.map { j in
            [.text(LogisticValidation.indexNames[j]), .number(validation.apparent[j], digits: nil, status),
             .number(validation.training[j], digits: nil, status), .number(validation.test[j], digits: nil, status),
             .number(validation.optimism[j], digits: nil, status), .number(validation.corrected[j], digits: nil, status),
             .count(validation.used)]
        }
        var notes = [
            "\(LogisticValidation.method).",
            "Resamples: \(validation.requested) drawn\(validation.seed.map { ", seed \($0)" } ?? ""); \(validation.used) used, \(validation.failed) failed and left out"
                + (validation.failureReasons.isEmpty ? "." : " (" + validation.failureReasons.map { "\($0.reason): \($0.count)" }.joined(separator: "; ") + ")."),
            "Dxy = 2(C − 0.5) (Somers' D); R2 Nagelkerke's; Intercept and Slope of the logistic recalibration y ~ a + b·η (0 and 1 on the data a model was fitted to); Brier = mean (y − p)². Each resample refitted by \(fit.method == .firth ? "Firth's penalised likelihood" : "maximum likelihood"), indices on its own rows (training) and on the original rows (test).",
        ]
        if fit.method == .firth {
            notes.append("Firth: the indices use the unpenalised likelihood of each linear predictor (R2 from the deviance, as for maximum likelihood); rms::validate has no Firth fit to compare with.")
        }
        if status != .shown { notes.append("Small-cell suppression: the indices are functions of the outcome and are withheld with the sample's hidden n or events.") }
        return ReportTable(title: "Bootstrap validation: \(fit.outcome) (event = \(fit.eventLabel))",
                           columns: [.init(key: "index", header: "index", alignment: .left), .init(key: "apparent", header: "apparent"),
                                     .init(key: "training", header: "training"), .init(key: "test", header: "test"),
                                     .init(key: "optimism", header: "optimism"), .init(key: "corrected", header: "corrected"),
                                     .init(key: "resamples", header: "resamples")],
                           rows: rows, notes: notes, style: style)
    }

    /// The `validation` object of the logit JSON: `{"method", "resamples", "seed", "used", "failed",
    /// "failureReasons", "indices": [{"index", "apparent", "training", "test", "optimism", "corrected"}]}`.
    public static func json(_ validation: LogisticValidation) -> JSONValue {
        .object([
            ("method", .string(LogisticValidation.method)),
            ("resamples", .integer(validation.requested)),
            ("seed", validation.seed.map { .string(String($0)) } ?? .null),
            ("used", .integer(validation.used)),
            ("failed", .integer(validation.failed)),
            ("failureReasons", .object(validation.failureReasons.map { ($0.reason, .integer($0.count)) })),
            ("indices", .array(LogisticValidation.indexNames.indices.map { j in
                .object([("index", .string(LogisticValidation.indexNames[j])), ("apparent", .number(validation.apparent[j])),
                         ("training", .number(validation.training[j])), ("test", .number(validation.test[j])),
                         ("optimism", .number(validation.optimism[j])), ("corrected", .number(validation.corrected[j]))])
            })),
        ])
    }

    /// The pointers of the numbers ``json(_:)`` holds, under the key `validation`.
    static func numberPointers() -> [String] {
        LogisticValidation.indexNames.indices.flatMap { j in
            ["apparent", "training", "test", "optimism", "corrected"].map { JSONValue.pointer("validation", "indices", j, $0) }
        }
    }
}

/// Residuals, leverage and Cook's distance of a logistic fit (`cohort logit --influence`): a summary
/// table, each row's values as a table (for `--influence-out`), and the summary as JSON. Rows are
/// named by their line in the data file, never by an identifier.
public enum InfluenceTable {
    /// The summary of `influence`: each measure's extreme with its line, and counts of flagged rows.
    public struct Summary: Sendable {
        public let n: Int
        public let rank: Int
        public let maxPearson: (value: Double, line: Int)
        public let maxDeviance: (value: Double, line: Int)
        public let maxLeverage: (value: Double, line: Int)
        public let maxCooks: (value: Double, line: Int)
        public let highLeverage: Int
        public let veryHighLeverage: Int
        public let largePearson: Int
        public let largeDeviance: Int
        public let largeCooks: Int
        public let cooksAboveOne: Int

        public init(_ influence: InfluenceMeasures, lines: [Int]) {
            n = influence.leverage.count
            rank = influence.rank
            func largest(_ values: [Double], absolute: Bool) -> (Double, Int) {
                var best = 0
                for i in values.indices where (absolute ? abs(values[i]) : values[i]) > (absolute ? abs(values[best]) : values[best]) { best = i }
                return (values[best], lines[best])
            }
            maxPearson = largest(influence.pearson, absolute: true)
            maxDeviance = largest(influence.deviance, absolute: true)
            maxLeverage = largest(influence.leverage, absolute: false)
            maxCooks = largest(influence.cooksDistance, absolute: false)
            let p = Double(rank), count = Double(n)
            highLeverage = influence.leverage.filter { $0 > 2 * p / count }.count
            veryHighLeverage = influence.leverage.filter { $0 > 3 * p / count }.count
            largePearson = influence.pearson.filter { abs($0) > 2 }.count
            largeDeviance = influence.deviance.filter { abs($0) > 2 }.count
            largeCooks = influence.cooksDistance.filter { $0 > 4 / count }.count
            cooksAboveOne = influence.cooksDistance.filter { $0 > 1 }.count
        }
    }

    static func methodNote(_ fit: LogisticFit) -> String {
        fit.method == .firth
            ? "Firth fit: leverage is the hat value of the penalised fit (logistf's hat.diag: W^½X(XᵀWX)⁻¹XᵀW^½ at the penalised estimates); the residuals and Cook's distance are glm's formulas evaluated at the penalised estimates, for screening only (no package defines Cook's distance under Firth's penalty)."
            : "Computed \(InfluenceMeasures.method); Cook's D = r² h / (p (1 − h)²) with dispersion 1."
    }

    public static func summary(_ summary: Summary, fit: LogisticFit, style: NumberStyle = .standard) -> ReportTable {
        let p = summary.rank, n = summary.n
        let rows: [[CellValue]] = [
            [.text("rows"), .count(n), .empty],
            [.text("largest |Pearson residual|"), .number(summary.maxPearson.value), .count(summary.maxPearson.line)],
            [.text("largest |deviance residual|"), .number(summary.maxDeviance.value), .count(summary.maxDeviance.line)],
            [.text("largest leverage (mean p/n = \(style.number(Double(p) / Double(n))))"), .number(summary.maxLeverage.value), .count(summary.maxLeverage.line)],
            [.text("largest Cook's distance"), .number(summary.maxCooks.value), .count(summary.maxCooks.line)],
            [.text("rows with leverage > 2p/n = \(style.number(2 * Double(p) / Double(n)))"), .count(summary.highLeverage), .empty],
            [.text("rows with leverage > 3p/n = \(style.number(3 * Double(p) / Double(n)))"), .count(summary.veryHighLeverage), .empty],
            [.text("rows with |Pearson residual| > 2"), .count(summary.largePearson), .empty],
            [.text("rows with |deviance residual| > 2"), .count(summary.largeDeviance), .empty],
            [.text("rows with Cook's distance > 4/n"), .count(summary.largeCooks), .empty],
            [.text("rows with Cook's distance > 1"), .count(summary.cooksAboveOne), .empty],
        ]
        return ReportTable(title: "Influence and residuals: \(fit.outcome) (event = \(fit.eventLabel))",
                           preamble: ["p = \(p) (rank), n = \(n); line: the row's line in the data file"],
                           columns: [.init(key: "measure", header: "measure", alignment: .left), .init(key: "value", header: "value"),
                                     .init(key: "line", header: "line")],
                           rows: rows, notes: [methodNote(fit)], style: style)
    }

    /// Every row's values (unrounded in CSV and JSON).
    public static func rows(_ influence: InfluenceMeasures, lines: [Int], outcome: [Double], fit: LogisticFit) -> ReportTable {
        let rows: [[CellValue]] = influence.leverage.indices.map { i in
            [.count(lines[i]), .count(Int(outcome[i])), .exactNumber(influence.fitted[i]), .exactNumber(influence.pearson[i]),
             .exactNumber(influence.deviance[i]), .exactNumber(influence.leverage[i]), .exactNumber(influence.cooksDistance[i])]
        }
        return ReportTable(title: "Influence and residuals by row: \(fit.outcome) (event = \(fit.eventLabel))",
                           columns: [.init(key: "line", header: "line"), .init(key: "outcome", header: "outcome"), .init(key: "fitted", header: "fitted"),
                                     .init(key: "pearson", header: "pearson"), .init(key: "deviance", header: "deviance"),
                                     .init(key: "leverage", header: "leverage"), .init(key: "cooks_distance", header: "cooks_distance")],
                           rows: rows, notes: [methodNote(fit)])
    }

    /// The `influence` object of the logit JSON.
    public static func json(_ summary: Summary, fit: LogisticFit) -> JSONValue {
        func extreme(_ e: (value: Double, line: Int)) -> JSONValue { .object([("value", .number(e.value)), ("line", .integer(e.line))]) }
        return .object([
            ("method", .string(methodNote(fit))),
            ("rank", .integer(summary.rank)),
            ("maxAbsPearson", extreme(summary.maxPearson)),
            ("maxAbsDeviance", extreme(summary.maxDeviance)),
            ("maxLeverage", extreme(summary.maxLeverage)),
            ("maxCooksDistance", extreme(summary.maxCooks)),
            ("leverageAbove2pOverN", .integer(summary.highLeverage)),
            ("leverageAbove3pOverN", .integer(summary.veryHighLeverage)),
            ("absPearsonAbove2", .integer(summary.largePearson)),
            ("absDevianceAbove2", .integer(summary.largeDeviance)),
            ("cooksAbove4OverN", .integer(summary.largeCooks)),
            ("cooksAbove1", .integer(summary.cooksAboveOne)),
        ])
    }
}

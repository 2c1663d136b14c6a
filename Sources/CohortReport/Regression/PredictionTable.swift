import CohortData
import CohortStats

/// A model's predictions at given covariate values (`cohort logit --at 'age=60,smoke=1'`, and
/// `cohort linear`, `poisson`, `logbinomial`): each set of values with the linear predictor, its
/// standard error and the fitted value (risk, mean or rate) with its interval.
public enum PredictionTable {
    /// What the fitted value is called ("risk", "mean", "rate"), its scale of the linear predictor
    /// and how the note states the interval, from the prediction's link.
    static func wording(_ link: PredictionLink) -> (scale: String, fitted: String, interval: String) {
        switch link {
        case .logit: ("log-odds", "expit(x'β)", "CI expit(x'β ± z·SE), formed on the log-odds scale (as R's predict(se.fit = TRUE))")
        case .identity: ("the outcome's scale", "x'β", "CI x'β ± t·SE, t on the residual df (as R's predict.lm(se.fit = TRUE, interval = \"confidence\"))")
        case .log: ("log scale", "exp(x'β)", "CI exp(x'β ± z·SE), formed on the log scale (as R's predict.glm(se.fit = TRUE))")
        }
    }

    /// One set of values and its prediction.
    public struct Row: Sendable {
        public let values: [(name: String, value: String)]
        public let prediction: LinearPrediction
        public init(values: [(name: String, value: String)], prediction: LinearPrediction) {
            self.values = values
            self.prediction = prediction
        }
        var label: String { values.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") }
    }

    /// - Parameters:
    ///   - fitted: the fitted value's name: "risk" (logit, logbinomial), "mean" (linear), "rate" (poisson).
    ///   - notes: further notes (what the offset or exposure of a prediction is).
    public static func make(_ rows: [Row], method: String, fitted: String = "risk", notes extra: [String] = [], style: NumberStyle = .standard) -> ReportTable {
        let link = rows.first?.prediction.link ?? .logit
        let words = wording(link)
        let level = rows.first.map { NumberText.shortest(100 * $0.prediction.level) } ?? "95"
        let columns = [
            ReportTable.Column(key: "at", header: "covariate values", alignment: .left),
            ReportTable.Column(key: "linear_predictor", header: "linear predictor"),
            ReportTable.Column(key: "std_error", header: "std. error"),
            ReportTable.Column(key: fitted, header: "predicted \(fitted)"),
            ReportTable.Column(key: "ci", header: "\(level)% CI"),
        ]
        let cells: [[CellValue]] = rows.map { row in
            let p = row.prediction
            return [.text(row.label), .number(p.linearPredictor), .number(p.standardError), .number(p.fitted), .interval(p.lower, p.upper)]
        }
        return ReportTable(title: "Predicted \(fitted)s at given covariate values", columns: columns, rows: cells, notes: [
            "Linear predictor x'β (\(words.scale)) with std. error √(x'Vx), V the \(method) covariance; predicted \(fitted) \(words.fitted); "
                + "\(words.interval).",
        ] + extra, style: style)
    }

    /// The `predictions` array of the model's JSON.
    public static func json(_ rows: [Row], fitted: String = "risk") -> JSONValue {
        .array(rows.map { row in
            let p = row.prediction
            return .object([
                ("at", .object(row.values.map { ($0.name, .string($0.value)) })),
                ("linearPredictor", .number(p.linearPredictor)), ("stdError", .number(p.standardError)),
                (fitted, .number(p.fitted)), ("lower", .number(p.lower)), ("upper", .number(p.upper)), ("level", .number(p.level)),
            ])
        })
    }

    /// Every fitted row's prediction as CSV: the row's line in the data file (never an identifier),
    /// the linear predictor, its SE, the fitted risk and its interval; rows in file order.
    public static func csv(lines: [Int], predictions: [LinearPrediction], fitted: String = "risk") -> String {
        var text = "line,linear_predictor,std_error,fitted_\(fitted),lower,upper\n"
        for (line, p) in zip(lines, predictions) {
            text += "\(line),\(NumberText.shortest(p.linearPredictor)),\(NumberText.shortest(p.standardError)),\(NumberText.shortest(p.fitted)),"
                + "\(NumberText.shortest(p.lower)),\(NumberText.shortest(p.upper))\n"
        }
        return text
    }
}

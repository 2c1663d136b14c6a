import CohortData
import CohortStats

/// The two figures of a logistic model's check (issue 16), on the unit square:
/// - the ROC curve (sensitivity against 1 − specificity at every distinct fitted risk, the diagonal
///   of no discrimination dashed), with the C statistic and its DeLong interval in the caption;
/// - the calibration plot: the observed proportion against the mean fitted risk in each
///   Hosmer-Lemeshow group (diamonds), a lowess smoother of the outcome on the fitted risk
///   (f = 2/3 with no robustness passes, as `rms::val.prob`: with a 0/1 outcome the passes would
///   weigh every event among low risks down as an outlier), and the ideal diagonal dashed.
///
/// Both state n, events and that the check is apparent (on the rows the model was fitted to).
public struct ModelCheckFigures: Sendable {
    /// Per fitted row: the linear predictor and the outcome.
    public let linearPredictor: [Double]
    public let outcome: [Double]
    public let check: LogisticModelCheck
    /// "maximum likelihood" or "Firth", for the captions.
    public let method: String

    public init(linearPredictor: [Double], outcome: [Double], check: LogisticModelCheck, method: String) {
        self.linearPredictor = linearPredictor
        self.outcome = outcome
        self.check = check
        self.method = method
    }

    static let size = 420.0
    static let left = 70.0
    static let width = left + size + 40

    /// The frame both figures share: title, axes from 0 to 1 with ticks every 0.2 and their titles,
    /// and the dashed diagonal. Returns the document and the plot's top edge.
    static func frame(title: String, xTitle: String, yTitle: String, captionLines: Int) -> (SVGDocument, (Double) -> Double, (Double) -> Double, Double) {
        let shift = SVGDocument.titleShift(title, width: width)
        let top = 50 + shift, bottom = top + size
        var doc = SVGDocument(width: width, height: bottom + 62 + 16 * Double(captionLines))
        doc.title(title)
        let axis = Axis.linear(from: 0, to: 1, maxTicks: 5)
        let x = { (v: Double) in axis.position(min(max(v, 0), 1), from: left, to: left + size) }
        let y = { (v: Double) in axis.position(min(max(v, 0), 1), from: bottom, to: top) }
        for tick in axis.ticks {
            doc.line(x(tick), top, x(tick), bottom, stroke: "#eeeeee", width: 0.75)
            doc.line(left, y(tick), left + size, y(tick), stroke: "#eeeeee", width: 0.75)
            doc.line(x(tick), bottom, x(tick), bottom + 5)
            doc.text(x(tick), bottom + 18, Axis.label(tick), anchor: .middle, className: "tick")
            doc.line(left - 5, y(tick), left, y(tick))
            doc.text(left - 8, y(tick) + 4, Axis.label(tick), anchor: .end, className: "tick")
        }
        doc.line(left, top, left, bottom)
        doc.line(left, bottom, left + size, bottom)
        doc.text(left + size / 2, bottom + 38, xTitle, anchor: .middle)
        doc.text(18, top + size / 2, yTitle, anchor: .middle, rotate: -90)
        doc.line(x(0), y(0), x(1), y(1), stroke: "#999999", width: 1, dash: "6 4")
        return (doc, x, y, bottom)
    }

    /// Caption sentences as lines that fit the figure (11 px text, by ``FigureStyle/textWidth(_:fontSize:)``).
    static func wrapped(_ sentences: [String]) -> [String] {
        sentences.flatMap { FigureStyle.wrap($0, width: Int((width - 40) / (11 * 0.6))) }
    }

    var sampleText: String { "n = \(check.n), events = \(check.events); \(method) fit, apparent (measured on the rows it was fitted to)." }

    /// The ROC curve with the C statistic and its DeLong interval in the caption.
    public func rocSVG(title: String) -> String {
        let points = ConcordanceStatistic.rocPoints(risk: linearPredictor, outcome: outcome)
        let c = check.concordance
        let cText = c.map { c in
            "C = \(NumberStyle(significantDigits: 3).number(c.estimate))"
                + (c.standardError.isNaN ? " (no DeLong interval: one event or one non-event)"
                   : " (\(NumberStyle.levelPercent(c.level)) CI \(NumberStyle(significantDigits: 3).number(c.lower))–\(NumberStyle(significantDigits: 3).number(c.upper)), DeLong)")
        } ?? "no C statistic"
        let caption = Self.wrapped([cText + "; dashed: no discrimination (C = 0.5).", sampleText])
        var (doc, x, y, bottom) = Self.frame(title: title, xTitle: "1 − specificity", yTitle: "Sensitivity", captionLines: caption.count)
        doc.beginGroup("ROC curve")
        doc.path(points.map { (x($0.falsePositiveRate), y($0.truePositiveRate)) }, stroke: FigureStyle.palette[0], width: 2)
        doc.endGroup()
        for (i, line) in caption.enumerated() { doc.text(20, bottom + 58 + 16 * Double(i), line, className: "caption") }
        return doc.rendered(title: title, description: "ROC curve of the fitted risks: \(points.count) points. " + caption.joined(separator: " "))
    }

    /// Observed against predicted risk by Hosmer-Lemeshow group, with a lowess smoother.
    public func calibrationSVG(title: String) -> String {
        let fitted = linearPredictor.map { CalibrationMeasures.expit($0) }
        let smooth = Lowess.smooth(x: fitted, y: outcome, f: 2.0 / 3.0, iterations: 0)
        let hl = check.hosmerLemeshow
        let groups = hl.sizes.indices.filter { hl.sizes[$0] > 0 }.map { k in
            (predicted: hl.expected[k] / Double(hl.sizes[k]), observed: Double(hl.observed[k]) / Double(hl.sizes[k]))
        }
        let calibration = check.calibration
        let style = NumberStyle(significantDigits: 3)
        let caption = Self.wrapped([
            "Diamonds: observed proportion vs mean fitted risk in the \(groups.count) Hosmer-Lemeshow groups; line: lowess (f = 2/3, no robustness passes); dashed: ideal.",
            "Calibration intercept \(style.number(calibration.intercept)), slope \(style.number(calibration.slope)), Brier \(style.number(calibration.brier)); " + sampleText,
        ])
        var (doc, x, y, bottom) = Self.frame(title: title, xTitle: "Fitted risk", yTitle: "Observed proportion", captionLines: caption.count)
        doc.beginGroup("lowess smoother")
        doc.path(zip(smooth.x, smooth.y).map { (x($0), y($1)) }, stroke: FigureStyle.palette[1], width: 2)
        doc.endGroup()
        doc.beginGroup("Hosmer-Lemeshow groups")
        for group in groups {
            let cx = x(group.predicted), cy = y(group.observed)
            doc.polygon([(cx, cy - 5), (cx + 5, cy), (cx, cy + 5), (cx - 5, cy)], fill: FigureStyle.palette[0])
        }
        doc.endGroup()
        for (i, line) in caption.enumerated() { doc.text(20, bottom + 58 + 16 * Double(i), line, className: "caption") }
        let points = groups.map { "\(style.number($0.predicted)) → \(style.number($0.observed))" }.joined(separator: "; ")
        return doc.rendered(title: title, description: "Calibration plot. Groups (mean fitted risk → observed proportion): \(points). " + caption.joined(separator: " "))
    }
}

import CohortData
import CohortStats

/// A logistic model's check (issue 16) as diagnostics-table rows with their notes, and as the logit
/// JSON's `cStatistic`, `hosmerLemeshow` and `calibration` objects.
enum ModelCheckText {
    /// Rows of the diagnostics table (item, typed value), each number `status` (withheld when
    /// suppression hides n or events), and the notes that name the methods.
    static func rows(_ check: LogisticModelCheck, status: TableCell.Status, style: NumberStyle) -> (rows: [[CellValue]], notes: [String]) {
        let hl = check.hosmerLemeshow, calibration = check.calibration
        var rows: [[CellValue]] = []
        if let c = check.concordance {
            rows.append([.text("C statistic (AUC)"), .number(c.estimate, status)])
            rows.append([.text("C statistic \(NumberStyle.levelPercent(c.level)) CI (DeLong)"), .interval(c.lower, c.upper, status)])
        }
        rows += [
            [.text("Hosmer-Lemeshow χ² (\(hl.df) df)"), .number(hl.statistic, status)],
            [.text("Hosmer-Lemeshow P"), .pValue(hl.p, status)],
            [.text("Hosmer-Lemeshow groups"), .text("\(hl.groupCount) of \(hl.requestedGroups)")],
            [.text("calibration intercept (in the large)"), .number(calibration.intercept, status)],
            [.text("calibration slope"), .number(calibration.slope, status)],
            [.text("Brier score"), .number(calibration.brier, status)],
        ]
        var notes = [
            "C statistic: the probability that a patient with the event has the higher fitted risk (ties ½), with DeLong's SE; CI C ± z·SE on the probability scale, capped at 0 and 1 (pROC's ci.auc, method delong).",
            "Hosmer-Lemeshow: \(hl.requestedGroups) groups at the type-7 quantiles of the fitted risk, df = g − 2 (ResourceSelection::hoslem.test). "
                + "Calibration intercept: logit offset, slope fixed at 1; slope: logistic regression of the outcome on the linear predictor (rms::val.prob); Brier = mean (p − y)².",
            "The C statistic, Hosmer-Lemeshow test and calibration are apparent: measured on the rows that chose the coefficients, so optimistic; a maximum-likelihood fit has calibration intercept 0 and slope 1 on them by construction.",
        ]
        if hl.groupsCollapsed {
            notes.append("Hosmer-Lemeshow: tied fitted risks repeat quantiles, so \(hl.groupCount) groups were formed, not \(hl.requestedGroups); df stays \(hl.df), as in hoslem.test.")
        }
        if let problem = hl.problem { notes.append("Hosmer-Lemeshow: \(problem).") }
        if let problem = calibration.problem { notes.append("calibration slope: \(problem).") }
        if check.concordance?.isTruncated == true, status == .shown { notes.append("C statistic: the interval reached past 0 or 1 and is capped there (as pROC).") }
        return (rows, notes)
    }

    /// nil (a model with case weights, whose check is not computed): the three objects are null.
    static func json(_ check: LogisticModelCheck?) -> [(String, JSONValue)] {
        guard let check else { return [("cStatistic", .null), ("hosmerLemeshow", .null), ("calibration", .null)] }
        let c = check.concordance, hl = check.hosmerLemeshow, calibration = check.calibration
        func finite(_ x: Double?) -> JSONValue { .optionalNumber(x.flatMap { $0.isFinite ? $0 : nil }) }
        return [
            ("cStatistic", .object([
                ("estimate", finite(c?.estimate)), ("se", finite(c?.standardError)),
                ("lower", finite(c?.lower)), ("upper", finite(c?.upper)),
                ("level", finite(c?.level)), ("method", .string(ConcordanceStatistic.method)),
            ])),
            ("hosmerLemeshow", .object([
                ("statistic", finite(hl.statistic)), ("df", .integer(hl.df)), ("p", finite(hl.p)),
                ("groups", .integer(hl.groupCount)), ("problem", hl.problem.map { .string($0) } ?? .null),
            ])),
            ("calibration", .object([
                ("intercept", finite(calibration.intercept)), ("slope", finite(calibration.slope)),
                ("brier", finite(calibration.brier)), ("method", .string(CalibrationMeasures.method)),
                ("problem", calibration.problem.map { .string($0) } ?? .null),
            ])),
        ]
    }

    /// What suppression hides of ``json(_:)`` when n or events are hidden: every number computed
    /// from the outcome (the C statistic is a fraction over events × non-events, the Brier score a
    /// mean over n).
    static let hiddenWithSample: [String] = [
        JSONValue.pointer("cStatistic", "estimate"), JSONValue.pointer("cStatistic", "se"),
        JSONValue.pointer("cStatistic", "lower"), JSONValue.pointer("cStatistic", "upper"),
        JSONValue.pointer("hosmerLemeshow", "statistic"), JSONValue.pointer("hosmerLemeshow", "p"),
        JSONValue.pointer("calibration", "intercept"), JSONValue.pointer("calibration", "slope"),
        JSONValue.pointer("calibration", "brier"),
    ]
}

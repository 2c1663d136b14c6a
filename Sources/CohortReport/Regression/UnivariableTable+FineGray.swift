import CohortData
import CohortStats

/// The side-by-side table and JSON of `cohort finegray --univariable`: each covariate's
/// subdistribution hazard ratio alone beside the multivariable one, as the Cox table has them
/// (the same layout, ``UnivariableTable``; Wald P and CIs from crr's sandwich variance).
extension UnivariableTable {
    /// One covariate of a Fine-Gray model fitted alone.
    public struct FineGrayFit: Sendable {
        public let covariate: String
        public let analysis: FineGrayAnalysis
        public init(covariate: String, analysis: FineGrayAnalysis) {
            self.covariate = covariate
            self.analysis = analysis
        }
    }

    public static func make(multivariable: FineGrayAnalysis, univariable: [FineGrayFit], labels: [String: String] = [:], formula: Bool = false,
                            style: NumberStyle = .standard) -> ReportTable {
        let rule = style.suppression
        let level = NumberStyle.levelPercent(multivariable.level)
        let crr = multivariable.fit.options.convention == .crr
        let notes = [
            "SHR: subdistribution hazard ratio; CI: \(level) confidence interval, Wald (estimate ± z·SE on the log scale), exponentiated; P: Wald test, SE from "
                + (crr ? "crr's sandwich variance." : "coxph's robust variance (survival::finegray + coxph)."),
            "Univariable: each \(unitName(formula: formula)) alone, Fine-Gray (\(crr ? "cmprsk::crr conventions" : "survival::finegray + coxph conventions")), on the rows where it and the times are recorded (N). ",
            "event: \(multivariable.event)" + (multivariable.competingEvents.isEmpty ? "" : "; competing: \(multivariable.competingEvents.joined(separator: ", "))")
                + "; data: \(multivariable.source).",
        ]
        return make(multivariable: Rows(multivariable, rule: rule), univariable: univariable.map { ($0.covariate, Rows($0.analysis, rule: rule)) },
                    unit: unitName(formula: formula), ratio: "SHR", level: level, title: "Univariable and multivariable subdistribution hazard ratios",
                    notes: notes, labels: labels, style: style)
    }

    static func json(_ univariable: [FineGrayFit], suppression rule: Suppression = .none) -> (value: JSONValue, hidden: Set<String>) {
        hazardJSON(univariable.map { ($0.covariate, FineGrayJSON.value($0.analysis), FineGrayTable.sample($0.analysis), $0.analysis.fit.convergence.isConverged) },
                   rule: rule)
    }
}

extension UnivariableTable.Rows {
    init(_ analysis: FineGrayAnalysis, rule: Suppression) {
        let fit = analysis.fit
        self.init(names: fit.coefficientNames, terms: fit.terms, estimates: fit.coefficients, aliased: fit.aliased, intervals: analysis.intervals,
                  z: fit.zStatistics, sample: FineGrayTable.sample(analysis), rule: rule)
    }
}

extension FineGrayJSON {
    /// ``render(_:suppression:)`` with the univariable fits as a top-level `univariable` array, as
    /// `cohort cox --univariable` has them.
    public static func render(_ analysis: FineGrayAnalysis, suppression rule: Suppression = .none, univariable: [UnivariableTable.FineGrayFit]) -> String {
        var top = value(analysis)
        let (fits, fitsHidden) = UnivariableTable.json(univariable, suppression: rule)
        top.append("univariable", fits)
        return top.suppressed(HazardTable.hidden(FineGrayTable.sample(analysis), rule: rule).union(fitsHidden), rule: rule).rendered(indent: 2) + "\n"
    }
}

/// A Fine-Gray fit together with what its tables report: the event and competing events, Wald
/// intervals from crr's sandwich variance, predicted cumulative incidence for given covariate
/// profiles, and every warning. Renderers read this value and compute nothing.
public struct FineGrayAnalysis: Sendable {
    public let fit: FineGrayFit
    public let level: Double
    /// Wald intervals on the log subdistribution hazard ratio scale with the sandwich SEs (nil for
    /// aliased coefficients). A pseudo-likelihood has no profile intervals.
    public let intervals: [ConfidenceInterval?]
    public let event: String
    public let competingEvents: [String]
    /// Each covariate profile's predicted cumulative incidence of the event at `days`.
    public let predictions: [Prediction]
    public let days: [Double]
    public let warnings: [String]
    public let source: String
    /// The weights and offset columns of the rows, for statements (nil without).
    public internal(set) var weightColumn: String?
    public internal(set) var offsetColumn: String?

    /// A covariate profile (`age=60, product=B`) and its predicted cumulative incidence.
    public struct Prediction: Sendable, Equatable {
        public let label: String
        /// One value per design column, as the design codes the profile.
        public let covariates: [Double]
        public let cumulativeIncidence: [Double]
    }

    /// A covariate profile to predict for: its label and one value per design column.
    public struct Profile: Sendable, Equatable {
        public let label: String
        public let covariates: [Double]
        public init(label: String, covariates: [Double]) {
            self.label = label
            self.covariates = covariates
        }
    }

    /// Fits the model of `rows` (status 1 the event of interest, any other event type competing).
    public static func run(_ rows: SurvivalDesign, options: FineGrayOptions = FineGrayOptions(), level: Double = 0.95,
                           profiles: [Profile] = [], days: [Double] = []) throws(ModelError) -> FineGrayAnalysis {
        try run(try FineGrayModel(rows), rows: rows, options: options, level: level, profiles: profiles, days: days)
    }

    /// As ``run(_:options:level:profiles:days:)`` for a model already built from `rows`.
    public static func run(_ model: FineGrayModel, rows: SurvivalDesign, options: FineGrayOptions = FineGrayOptions(), level: Double = 0.95,
                           profiles: [Profile] = [], days: [Double] = []) throws(ModelError) -> FineGrayAnalysis {
        let fitted = try CohortStats.fit(model, options: options)
        let warnings = fitted.diagnostics.compactMap { diagnostic -> String? in
            if case .rowsDropped = diagnostic { return nil }   // the sample line says it
            return diagnostic.description
        }
        let intervals = zip(fitted.waldIntervals(level: level), fitted.aliased).map { $1 ? nil : $0 }
        let predictions = profiles.map { profile in
            Prediction(label: profile.label, covariates: profile.covariates,
                       cumulativeIncidence: fitted.cumulativeIncidence(covariates: profile.covariates, at: days))
        }
        var analysis = FineGrayAnalysis(fit: fitted, level: level, intervals: intervals, event: rows.eventTypes.first ?? "",
                                        competingEvents: Array(rows.eventTypes.dropFirst()), predictions: predictions, days: days,
                                        warnings: warnings, source: rows.source)
        analysis.weightColumn = model.weights == nil ? nil : rows.weightColumn
        analysis.offsetColumn = model.offset == nil ? nil : rows.offsetColumn
        return analysis
    }
}

extension FineGrayModel {
    /// As ``CoxModel/outcomeCells``: events of interest and rows without one, by level.
    public var outcomeCells: [OutcomeCell] { design.outcomeCells { status[$0] == .event } }
}

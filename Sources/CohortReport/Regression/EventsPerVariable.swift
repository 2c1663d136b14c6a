import CohortStats

/// Events per variable: the rarer outcome's count over the model's estimated non-intercept
/// parameters (indicator columns count one each; aliased columns are not estimated).
///
/// ```
/// EPV = min(events, non-events) / p,   p = non-intercept, non-aliased coefficients
/// ```
///
/// Below 10 the estimates are biased away from 0 and their intervals too narrow (Peduzzi et al.,
/// J Clin Epidemiol 1996;49:1373–9); the table says so in a warning note and the JSON in
/// `epvWarning`. With events the rarer class (the usual case) EPV is events / p.
public struct EventsPerVariable: Sendable, Equatable {
    public let events: Int
    public let nonEvents: Int
    public let parameters: Int
    /// Firth's method already reduces the small-sample bias, so the warning does not suggest it.
    public let isFirth: Bool
    /// A survival model (Cox, Fine-Gray): EPV is its events of interest over its coefficients, and
    /// the warning cites the Cox simulation (Peduzzi et al., J Clin Epidemiol 1995;48:1503–10).
    public let isSurvival: Bool

    public init(_ fit: LogisticFit) {
        events = fit.nEvents
        nonEvents = fit.nObservations - fit.nEvents
        let intercept = Set(fit.terms.filter { $0.kind == .intercept }.flatMap { Array($0.columns) })
        isFirth = fit.method == .firth
        parameters = fit.aliased.indices.filter { !fit.aliased[$0] && !intercept.contains($0) }.count
        isSurvival = false
    }

    /// A survival model's events of interest over its estimated (non-aliased) coefficients; rows
    /// without the event do not limit a hazard model as non-events limit a logistic one.
    public init(events: Int, parameters: Int) {
        self.events = events
        nonEvents = Int.max
        self.parameters = parameters
        isFirth = false
        isSurvival = true
    }

    /// nil for a model without covariates.
    public var value: Double? {
        parameters > 0 ? Double(min(events, nonEvents)) / Double(parameters) : nil
    }

    public static let threshold = 10.0

    public var warning: String? {
        guard let value, value < Self.threshold else { return nil }
        let advice = isSurvival ? "estimates may be biased away from 1 and intervals too narrow; consider fewer covariates"
            : isFirth ? "few events for this many parameters, even with Firth's correction; consider fewer covariates"
            : "estimates may be biased away from 1 and intervals too narrow; consider fewer covariates or Firth's method"
        return "events per variable = \(NumberStyle(significantDigits: 2).number(value)) (below 10): \(advice) (Peduzzi \(isSurvival ? 1995 : 1996))."
    }

    /// - Parameter withheld: suppression hides the count EPV is made of
    ///   (``Suppression/eventsPerVariableStatus(used:events:survival:)``): the note says so instead.
    func note(style: NumberStyle, withheld: Bool = false) -> String {
        guard let value else { return "Events per variable: no covariates." }
        if withheld { return "Events per variable (EPV): not shown, as small-cell suppression hides the count it is made of." }
        let rarer = events <= nonEvents ? "events" : "non-events"
        let count = style.suppression.isSmall(min(events, nonEvents)) ? "<\(style.suppression.threshold)" : String(min(events, nonEvents))
        let shown = style.suppression.isSmall(min(events, nonEvents)) ? "<\(NumberStyle(significantDigits: 2).number(Double(style.suppression.threshold) / Double(parameters)))"
            : NumberStyle(significantDigits: 2).number(value)
        return "Events per variable (EPV) = \(shown): \(count) \(rarer) / \(parameters) \(isSurvival ? "coefficient" : "non-intercept parameter")\(parameters == 1 ? "" : "s")."
    }
}

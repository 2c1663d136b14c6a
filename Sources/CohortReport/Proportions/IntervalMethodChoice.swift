import CohortStats

/// The interval methods as the command line (`cohort incidence --method`) and study files spell
/// them.
public enum IntervalMethodChoice: String, CaseIterable, Sendable, Codable {
    case clopperPearson = "clopper-pearson", wilson, jeffreys, agrestiCoull = "agresti-coull"

    public var method: BinomialInterval.Method {
        switch self {
        case .clopperPearson: .clopperPearson
        case .wilson: .wilson
        case .jeffreys: .jeffreys
        case .agrestiCoull: .agrestiCoull
        }
    }
}

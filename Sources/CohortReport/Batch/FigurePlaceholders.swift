// PLACEHOLDER until the figures branch merges; delete on merge.
// These are the figure entry points of the agreed contract (Sources/CohortReport/Figures/), with a
// trivial SVG body so the batch report compiles and can be tested before the real figures land.
// Nothing in Batch/ or its tests depends on what these draw: only on each returning an SVG document.
import CohortStats

/// An axis title and its unit. (Placeholder until the figures branch merges; delete on merge.)
public struct AxisLabel: Sendable, Equatable {
    public var text: String
    public var unit: String?
    public init(_ text: String, unit: String? = nil) {
        self.text = text
        self.unit = unit
    }
}

/// Placeholder until the figures branch merges; delete on merge.
public enum CumulativeIncidenceFigure {
    public static func svg(_ analysis: CompetingRisksAnalysis, eventType: String? = nil, title: String? = nil,
                           timeAxis: AxisLabel = AxisLabel("Days since infusion"), groupLabel: String? = nil) -> String {
        PlaceholderSVG.document(title ?? "Cumulative incidence of \(eventType ?? analysis.eventTypes.first ?? "event")")
    }
}

/// Placeholder until the figures branch merges; delete on merge.
public enum ForestPlot {
    public static func svg(_ analysis: LogisticAnalysis, title: String? = nil, termLabels: [String: String] = [:]) -> String {
        PlaceholderSVG.document(title ?? "Odds ratios")
    }
}

/// Placeholder until the figures branch merges; delete on merge.
public enum BarChart {
    public static func svg(title: String, categories: [(label: String, count: Int)], valueAxis: AxisLabel = AxisLabel("Patients"),
                           denominator: Int? = nil) -> String {
        PlaceholderSVG.document(title)
    }
}

/// Placeholder until the figures branch merges; delete on merge.
private enum PlaceholderSVG {
    static func document(_ title: String) -> String {
        let escaped = title.replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;").replacingAll(">", with: "&gt;")
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="640" height="80" viewBox="0 0 640 80"><title>\(escaped)</title>\
            <rect x="0.5" y="0.5" width="639" height="79" fill="#f4f4f4" stroke="#999"/>\
            <text x="320" y="45" text-anchor="middle" font-family="sans-serif" font-size="14">\(escaped) (figure placeholder)</text></svg>

            """
    }
}

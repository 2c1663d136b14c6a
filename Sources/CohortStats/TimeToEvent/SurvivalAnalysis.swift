/// Everything `cohort km` reports: for each group the Kaplan-Meier probability of being free of
/// every named event type, read off at the requested days with its Greenwood standard error and
/// interval, as `summary(survfit(...), times = days)`.
public struct SurvivalAnalysis: Sendable {
    /// One group × day.
    public struct Row: Sendable {
        public let group: String
        public let reading: CurveReading
        public let interval: (lower: Double, upper: Double)?
        public let intervalProblem: String?
    }

    public let source: String
    /// The event types that end event-free survival (any of them counts).
    public let eventTypes: [String]
    public let groupColumn: String?
    public let groups: [CompetingRisksData.GroupSummary]
    public let nUsed: Int
    public let dropped: [CompetingRisksData.DroppedRows]
    public let days: [Double]
    public let curves: [KaplanMeierCurve]
    /// Groups outermost, then days.
    public let rows: [Row]
    public let interval: CurveInterval
    public let level: Double

    public var nDropped: Int { dropped.reduce(0) { $0 + $1.count } }

    /// Sorts and tallies `data` once, then builds each group's curve and readings.
    public static func run(_ data: CompetingRisksData, days: [Double], interval: CurveInterval = .logLog, level: Double = 0.95) -> SurvivalAnalysis {
        let tally = EventTally(data)
        let curves = KaplanMeier.curves(tally, groupLabels: data.groupLabels)
        let rows = curves.flatMap { curve in
            days.map { day in
                let reading = curve.reading(onDay: day)
                let (limits, problem) = reading.intervalWithReason(interval, level: level)
                return Row(group: curve.group, reading: reading, interval: limits, intervalProblem: problem)
            }
        }
        let groups = data.groupSummaries
        return SurvivalAnalysis(source: data.source, eventTypes: data.eventTypes, groupColumn: data.groupColumn, groups: groups,
                                nUsed: data.count, dropped: data.dropped, days: days, curves: curves, rows: rows,
                                interval: interval, level: level)
    }
}

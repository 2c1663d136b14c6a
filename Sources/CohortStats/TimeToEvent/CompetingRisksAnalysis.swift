/// Everything `cohort cuminc` reports: for each group × event type the cumulative incidence read
/// off at the requested days with its standard error and interval, and Gray's test per event type
/// when there are groups.
public struct CompetingRisksAnalysis: Sendable {
    /// One group × event type × day.
    public struct Row: Sendable {
        public let group: String
        public let eventType: String
        public let reading: CurveReading
        /// The interval, or nil with `intervalProblem` saying why.
        public let interval: (lower: Double, upper: Double)?
        public let intervalProblem: String?
    }

    public let source: String
    public let eventTypes: [String]
    public let groupColumn: String?
    public let groups: [CompetingRisksData.GroupSummary]
    public let nUsed: Int
    public let dropped: [CompetingRisksData.DroppedRows]
    public let days: [Double]
    public let curves: [IncidenceCurve]
    /// Event types outermost, then groups, then days.
    public let rows: [Row]
    /// One per event type when there is a group column (each may carry a problem instead of a
    /// statistic); empty without one.
    public let tests: [GrayTestResult]
    public let interval: CurveInterval
    public let level: Double
    public let rho: Double
    /// The column Gray's test is stratified by, or nil.
    public let strataColumn: String?
    /// The sorted counts behind every curve, kept so figures can read the number at risk on any day.
    let tally: EventTally

    public var nDropped: Int { dropped.reduce(0) { $0 + $1.count } }
    /// With a single event type (no competing event) the cumulative incidence is 1 - Kaplan-Meier.
    public var isOneMinusKaplanMeier: Bool { eventTypes.count == 1 }

    /// Patients of group `group` (a label in ``groups``) with time >= `day`: the number at risk that
    /// day, as the readings' `atRisk`; 0 for an unknown group. (A figure's numbers-at-risk table
    /// reads days that were not requested with `days`.)
    public func atRisk(onDay day: Double, group: String) -> Int {
        guard let g = groups.firstIndex(where: { $0.label == group }) else { return 0 }
        return tally.atRisk(onDay: day, group: g)
    }

    /// The distinct times at which patients of group `group` were censored (no event of any type),
    /// ascending: where a figure marks censoring on the curves; empty for an unknown group.
    public func censoredTimes(group: String) -> [Double] {
        guard let g = groups.firstIndex(where: { $0.label == group }) else { return [] }
        return tally.times.indices.filter { tally.count(time: $0, group: g, status: 0) > 0 }.map { tally.times[$0] }
    }

    /// Sorts and tallies `data` once, then builds every curve, reading and test.
    public static func run(_ data: CompetingRisksData, days: [Double], interval: CurveInterval = .logLog, level: Double = 0.95,
                           rho: Double = 0) -> CompetingRisksAnalysis {
        let tally = EventTally(data)
        let curves = CumulativeIncidence.curves(data, tally: tally)
        var rows: [Row] = []
        for curve in curves {
            let g = data.groupLabels.firstIndex(of: curve.group) ?? 0
            for day in days {
                let reading = curve.reading(onDay: day, atRisk: tally.atRisk(onDay: day, group: g))
                let (limits, problem) = reading.intervalWithReason(interval, level: level)
                rows.append(Row(group: curve.group, eventType: curve.eventType, reading: reading, interval: limits, intervalProblem: problem))
            }
        }
        let groups = data.groupSummaries
        // Gray's test within strata when there are strata (the curves are not stratified, as in cmprsk).
        let strata = data.strataCodes == nil ? [tally] : data.strataRows.map { EventTally(data, rows: $0) }
        let tests = data.groupColumn == nil ? [] : data.eventTypes.indices.map {
            GrayTest.test(strata, type: $0 + 1, eventType: data.eventTypes[$0], rho: rho)
        }
        return CompetingRisksAnalysis(source: data.source, eventTypes: data.eventTypes, groupColumn: data.groupColumn, groups: groups,
                                      nUsed: data.count, dropped: data.dropped, days: days, curves: curves, rows: rows, tests: tests,
                                      interval: interval, level: level, rho: rho, strataColumn: data.strataColumn,
                                      tally: tally)
    }
}

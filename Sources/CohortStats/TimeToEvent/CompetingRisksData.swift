/// Time-to-event data with competing risks: for each patient a time in days and what happened
/// then (censored, or one of several event types), optionally a group.
///
/// This is the input of ``KaplanMeier``, ``CumulativeIncidence`` and ``GrayTest``. Build it from a
/// `DataTable` with ``CompetingRisksData/fromDays(table:eventDay:eventType:followUpDay:coding:group:)``,
/// ``CompetingRisksData/fromTimeAndStatus(table:time:status:coding:group:)`` or
/// ``CompetingRisksData/fromDates(table:indexDate:eventDate:eventType:followUpDate:coding:group:)``,
/// which drop and count rows with missing required values and throw ``TimeToEventError`` for
/// impossible ones; or directly with ``init(times:status:eventTypes:groupCodes:groupLabels:groupColumn:source:dropped:)``.
public struct CompetingRisksData: Sendable {
    /// Time of the event or of censoring, in days; never negative.
    public let times: [Double]
    /// 0 = censored; k in 1...eventTypes.count = event type `eventTypes[k - 1]`.
    public let status: [Int32]
    /// The event types, the event of interest first when built from a table.
    public let eventTypes: [String]
    /// Index into `groupLabels` for each row; all 0 when there is no group.
    public let groupCodes: [Int32]
    /// The groups in display order (a text column's codebook order, else sorted); `["all"]` without a group.
    public let groupLabels: [String]
    /// The grouping column, or nil.
    public let groupColumn: String?
    /// Index into `strataLabels` for each row when Gray's test is stratified, else nil.
    public let strataCodes: [Int32]?
    public let strataLabels: [String]
    /// The stratification column, or nil.
    public let strataColumn: String?
    /// Where the data came from (for messages and reports).
    public let source: String
    /// Rows left out for a missing required value, counted by reason, in the order first met.
    public let dropped: [DroppedRows]
    /// Built from a table: the table row of each row here (a regression joins its covariates on
    /// them), and the rows left out with their lines and reasons. nil and empty when built directly.
    public internal(set) var sourceRows: [Int]?
    public internal(set) var excludedRows: [ExcludedRow] = []

    /// A count of rows left out and why ("missing last follow-up day").
    public struct DroppedRows: Sendable, Equatable {
        public let reason: String
        public let count: Int
        public init(reason: String, count: Int) {
            self.reason = reason
            self.count = count
        }
    }

    /// Checks the arrays agree, times are finite and non-negative, statuses and group codes in range.
    /// - Throws: ``TimeToEventError/invalidData(_:)`` naming the first problem.
    public init(times: [Double], status: [Int32], eventTypes: [String], groupCodes: [Int32]? = nil, groupLabels: [String] = ["all"],
                groupColumn: String? = nil, strataCodes: [Int32]? = nil, strataLabels: [String] = [], strataColumn: String? = nil,
                source: String = "<memory>", dropped: [DroppedRows] = []) throws(TimeToEventError) {
        let groupCodes = groupCodes ?? [Int32](repeating: 0, count: times.count)
        guard status.count == times.count, groupCodes.count == times.count else {
            throw .invalidData("times, status and groups have different lengths (\(times.count), \(status.count), \(groupCodes.count))")
        }
        guard !eventTypes.isEmpty else { throw .invalidData("no event type named") }
        guard !groupLabels.isEmpty else { throw .invalidData("no group labels") }
        if let i = times.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
            throw .invalidData("row \(i + 1): time \(times[i]) is not a finite number >= 0")
        }
        if let i = status.firstIndex(where: { $0 < 0 || Int($0) > eventTypes.count }) {
            throw .invalidData("row \(i + 1): status \(status[i]) is not 0 (censored) or 1...\(eventTypes.count)")
        }
        if let i = groupCodes.firstIndex(where: { $0 < 0 || Int($0) >= groupLabels.count }) {
            throw .invalidData("row \(i + 1): group code \(groupCodes[i]) is outside 0..<\(groupLabels.count)")
        }
        if let strataCodes {
            guard strataCodes.count == times.count else { throw .invalidData("\(strataCodes.count) strata codes for \(times.count) rows") }
            if let i = strataCodes.firstIndex(where: { $0 < 0 || Int($0) >= strataLabels.count }) {
                throw .invalidData("row \(i + 1): stratum code \(strataCodes[i]) is outside 0..<\(strataLabels.count)")
            }
        }
        self.strataCodes = strataCodes
        self.strataLabels = strataLabels
        self.strataColumn = strataColumn
        self.times = times
        self.status = status
        self.eventTypes = eventTypes
        self.groupCodes = groupCodes
        self.groupLabels = groupLabels
        self.groupColumn = groupColumn
        self.source = source
        self.dropped = dropped
    }

    /// Rows kept.
    public var count: Int { times.count }
    /// Rows left out for missing values, all reasons together.
    public var nDropped: Int { dropped.reduce(0) { $0 + $1.count } }
    public var groupCount: Int { groupLabels.count }

    /// Rows in each group.
    public var groupSizes: [Int] {
        var sizes = [Int](repeating: 0, count: groupLabels.count)
        for g in groupCodes { sizes[Int(g)] += 1 }
        return sizes
    }

    /// Events of each type (index k - 1 for type k).
    public var eventCounts: [Int] {
        var counts = [Int](repeating: 0, count: eventTypes.count)
        for s in status where s > 0 { counts[Int(s) - 1] += 1 }
        return counts
    }

    /// One group: its size and events of each type (in `eventTypes` order).
    public struct GroupSummary: Sendable, Equatable {
        public let label: String
        public let n: Int
        public let events: [Int]
    }

    /// The rows of each stratum (one list holding every row when there are no strata).
    public var strataRows: [[Int]] {
        guard let strataCodes else { return [Array(0..<count)] }
        var rows = [[Int]](repeating: [], count: strataLabels.count)
        for (i, s) in strataCodes.enumerated() { rows[Int(s)].append(i) }
        return rows.filter { !$0.isEmpty }
    }

    /// Each group's size and events of each type, in `groupLabels` order.
    public var groupSummaries: [GroupSummary] {
        let sizes = groupSizes
        var events = [[Int]](repeating: [Int](repeating: 0, count: eventTypes.count), count: groupCount)
        for (g, s) in zip(groupCodes, status) where s > 0 { events[Int(g)][Int(s) - 1] += 1 }
        return groupLabels.indices.map { GroupSummary(label: groupLabels[$0], n: sizes[$0], events: events[$0]) }
    }
}

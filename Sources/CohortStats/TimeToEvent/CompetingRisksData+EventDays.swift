import CohortData

extension CompetingRisksData {
    /// From one day column per event type (the wide layout of most registries: `bleeding_day`,
    /// `death_day`, ...) and a last-follow-up-day column.
    ///
    /// ```
    /// some event day present  ->  time = the earliest event day, status = its type
    /// no event day            ->  time = last follow-up day,     status = 0 (censored)
    /// ```
    /// Two types on the same earliest day: the one listed first counts (list the event of interest
    /// first, so a bleed on the day of death is a bleed), as the first-event definition of a
    /// competing-risks analysis needs one type per patient. The later events are not used.
    /// Dropped and counted: a missing group or stratum; a missing last follow-up day on a row without
    /// an event. Errors: a negative day; the first event after the last follow-up; text in a day
    /// column.
    /// - Parameter eventDays: each event type with its day column, the event of interest first.
    /// - Throws: ``TimeToEventError`` naming the line and column; `DataError` for an unknown column.
    public static func fromEventDays(table: DataTable, eventDays: [(type: String, column: String)], followUpDay: String,
                                     group: String? = nil, strata: String? = nil) throws -> CompetingRisksData {
        let coding = try EventCoding(events: eventDays.map(\.type), noEventValues: [])
        let days = try eventDays.map { try numbers(try table.column(named: $0.column), table) }
        let followUp = try numbers(try table.column(named: followUpDay), table)
        let groupColumn = try group.map { try table.column(named: $0) }
        let strataColumn = try strata.map { try table.column(named: $0) }
        var tally = DropTally()
        var kept: [Int] = [], times: [Double] = [], status: [Int32] = []
        for row in 0..<table.rowCount {
            if groupColumn?.isMissing(row) ?? false { tally.add("missing \(group ?? "")", row: row); continue }
            if strataColumn?.isMissing(row) ?? false { tally.add("missing \(strata ?? "")", row: row); continue }
            var first: (day: Double, type: Int)?
            for (k, column) in days.enumerated() {
                let day = column[row]
                guard !day.isNaN else { continue }
                guard day >= 0 else {
                    throw TimeToEventError.impossibleValue(location: table.location(ofRow: row), column: eventDays[k].column,
                                                           message: "day \(NumberText.shortest(day)): a time cannot be negative")
                }
                if first.map({ day < $0.day }) ?? true { first = (day, k) }
            }
            let last = followUp[row]
            if last < 0 {
                throw TimeToEventError.impossibleValue(location: table.location(ofRow: row), column: followUpDay,
                                                       message: "day \(NumberText.shortest(last)): a time cannot be negative")
            }
            if let first {
                if !last.isNaN, first.day > last {
                    throw TimeToEventError.impossibleValue(location: table.location(ofRow: row), column: eventDays[first.type].column,
                                                           message: "event at day \(NumberText.shortest(first.day)) is after the last follow-up ('\(followUpDay)', day \(NumberText.shortest(last)))")
                }
                kept.append(row); times.append(first.day); status.append(Int32(first.type + 1))
            } else {
                if last.isNaN { tally.add("missing \(followUpDay) (no event)", row: row); continue }
                kept.append(row); times.append(last); status.append(0)
            }
        }
        return try make(table: table, kept: kept, times: times, status: status, coding: coding, groupColumn: groupColumn,
                        strataColumn: strataColumn, tally: tally)
    }
}

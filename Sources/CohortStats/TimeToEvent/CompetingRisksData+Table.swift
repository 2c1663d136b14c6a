import CohortData

extension CompetingRisksData {
    /// From an event-day column, an event-type column and a last-follow-up-day column.
    ///
    /// ```
    /// event type is an event k  ->  time = event day,          status = k
    /// event type missing / none ->  time = last follow-up day, status = 0 (censored)
    /// ```
    /// Dropped and counted: a missing group; a missing last follow-up day on a row without an event.
    /// Errors (never silent): a negative day; an event day after the last follow-up day; an event
    /// type without an event day; an event day without an event type; an event type that is neither
    /// named nor a no-event value; text in a day column.
    /// - Throws: ``TimeToEventError`` naming the line and column; `DataError` for an unknown column.
    public static func fromDays(table: DataTable, eventDay: String, eventType: String, followUpDay: String,
                                coding: EventCoding, group: String? = nil, strata: String? = nil) throws -> CompetingRisksData {
        let days = try table.column(named: eventDay)
        let followUp = try table.column(named: followUpDay)
        let columns = DayColumns(event: try numbers(days, table), eventName: eventDay,
                                 followUp: try numbers(followUp, table), followUpName: followUpDay, describe: { "day \(NumberText.shortest($0))" })
        return try assemble(table: table, columns: columns, typeColumn: try table.column(named: eventType), coding: coding, group: group,
                            strata: strata)
    }

    /// From dates: time = event date - index date when there is an event, else last follow-up
    /// date - index date (in days). Date columns are `date` in the codebook, or text `YYYY-MM-DD`.
    ///
    /// Dropped and counted: a missing index date or group; a missing last follow-up date on a row
    /// without an event. Errors as ``fromDays(table:eventDay:eventType:followUpDay:coding:group:)``,
    /// with "before the index date" for a negative time.
    public static func fromDates(table: DataTable, indexDate: String, eventDate: String, eventType: String, followUpDate: String,
                                 coding: EventCoding, group: String? = nil, strata: String? = nil) throws -> CompetingRisksData {
        let index = try dates(try table.column(named: indexDate), table)
        let event = try dates(try table.column(named: eventDate), table)
        let followUp = try dates(try table.column(named: followUpDate), table)
        // Days since the index date; a missing index leaves both NaN, and the row is dropped below.
        let columns = DayColumns(event: zip(event, index).map { $0 - $1 }, eventName: eventDate,
                                 followUp: zip(followUp, index).map { $0 - $1 }, followUpName: followUpDate,
                                 describe: { days in
                                     "\(NumberText.shortest(abs(days))) days \(days < 0 ? "before" : "after") the index date ('\(indexDate)')" },
                                 index: index, indexName: indexDate)
        return try assemble(table: table, columns: columns, typeColumn: try table.column(named: eventType), coding: coding, group: group,
                            strata: strata)
    }

    /// From a time column and a status column (0 / censored or an event type).
    ///
    /// Dropped and counted: a missing time, status or group. Errors: a negative time, an unknown
    /// status value, text in the time column.
    public static func fromTimeAndStatus(table: DataTable, time: String, status: String, coding: EventCoding,
                                         group: String? = nil, strata: String? = nil) throws -> CompetingRisksData {
        let timeColumn = try table.column(named: time)
        let values = try numbers(timeColumn, table)
        let codes = try eventCodes(try table.column(named: status), coding, table)
        let groupColumn = try group.map { try table.column(named: $0) }
        let strataColumn = try strata.map { try table.column(named: $0) }
        var tally = DropTally()
        var kept: [Int] = []
        kept.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount {
            if groupColumn?.isMissing(row) ?? false { tally.add("missing \(group ?? "")", row: row); continue }
            if strataColumn?.isMissing(row) ?? false { tally.add("missing \(strata ?? "")", row: row); continue }
            if values[row].isNaN { tally.add("missing \(time)", row: row); continue }
            if codes[row] < 0 { tally.add("missing \(status)", row: row); continue }
            if values[row] < 0 {
                throw TimeToEventError.impossibleValue(location: table.location(ofRow: row), column: time,
                                                       message: "time \(NumberText.shortest(values[row])) is negative")
            }
            kept.append(row)
        }
        return try make(table: table, kept: kept, times: kept.map { values[$0] }, status: kept.map { codes[$0] },
                        coding: coding, groupColumn: groupColumn, strataColumn: strataColumn, tally: tally)
    }

    // MARK: - shared assembly

    /// Day values of the two day columns (NaN = missing) and how to describe a value in a message.
    private struct DayColumns {
        let event: [Double]
        let eventName: String
        let followUp: [Double]
        let followUpName: String
        let describe: (Double) -> String
        var index: [Double]? = nil
        var indexName: String? = nil
    }

    /// Rows left out and why: counted by reason for the tables, kept by row for a regression's
    /// complete-case accounting (``CompetingRisksData/excludedRows``).
    struct DropTally {
        private(set) var reasons: [String] = []
        private(set) var counts: [String: Int] = [:]
        private(set) var rows: [(row: Int, reason: String)] = []
        mutating func add(_ reason: String, row: Int) {
            if counts[reason] == nil { reasons.append(reason) }
            counts[reason, default: 0] += 1
            rows.append((row, reason))
        }
        var dropped: [DroppedRows] { reasons.map { DroppedRows(reason: $0, count: counts[$0] ?? 0) } }
    }

    private static func assemble(table: DataTable, columns c: DayColumns, typeColumn: Column, coding: EventCoding,
                                 group: String?, strata: String?) throws -> CompetingRisksData {
        let codes = try eventCodes(typeColumn, coding, table)
        let groupColumn = try group.map { try table.column(named: $0) }
        let strataColumn = try strata.map { try table.column(named: $0) }
        var tally = DropTally()
        var kept: [Int] = [], times: [Double] = [], status: [Int32] = []
        kept.reserveCapacity(table.rowCount); times.reserveCapacity(table.rowCount); status.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount {
            let location = { table.location(ofRow: row) }
            if let index = c.index, index[row].isNaN { tally.add("missing \(c.indexName ?? "")", row: row); continue }
            if groupColumn?.isMissing(row) ?? false { tally.add("missing \(group ?? "")", row: row); continue }
            if strataColumn?.isMissing(row) ?? false { tally.add("missing \(strata ?? "")", row: row); continue }
            let day = c.event[row], last = c.followUp[row]
            if day < 0 {
                throw TimeToEventError.impossibleValue(location: location(), column: c.eventName, message: "event at \(c.describe(day)): a time cannot be negative")
            }
            if last < 0 {
                throw TimeToEventError.impossibleValue(location: location(), column: c.followUpName, message: "last follow-up at \(c.describe(last)): a time cannot be negative")
            }
            let code = codes[row]
            if code > 0 {
                guard !day.isNaN else {
                    throw TimeToEventError.impossibleValue(location: location(), column: c.eventName,
                                                           message: "the event type is '\(typeColumn.displayValue(row))' ('\(typeColumn.name)') but the event day is missing")
                }
                if !last.isNaN, day > last {
                    throw TimeToEventError.impossibleValue(location: location(), column: c.eventName,
                                                           message: "event at \(c.describe(day)) is after the last follow-up ('\(c.followUpName)', \(c.describe(last)))")
                }
                kept.append(row); times.append(day); status.append(code)
            } else {
                if !day.isNaN {
                    let type = code == 0 ? "'\(typeColumn.displayValue(row))'" : "missing"
                    throw TimeToEventError.impossibleValue(location: location(), column: c.eventName,
                                                           message: "an event at \(c.describe(day)) but the event type ('\(typeColumn.name)') is \(type)")
                }
                if last.isNaN { tally.add("missing \(c.followUpName) (no event)", row: row); continue }
                kept.append(row); times.append(last); status.append(0)
            }
        }
        return try make(table: table, kept: kept, times: times, status: status, coding: coding, groupColumn: groupColumn,
                        strataColumn: strataColumn, tally: tally)
    }

    static func make(table: DataTable, kept: [Int], times: [Double], status: [Int32], coding: EventCoding,
                             groupColumn: Column?, strataColumn: Column?, tally: DropTally) throws -> CompetingRisksData {
        guard !kept.isEmpty else {
            let reasons = tally.dropped.map { "\($0.count) \($0.count == 1 ? "row" : "rows") \($0.reason)" }
            throw TimeToEventError.noRows(source: table.source, reason: reasons.isEmpty ? "the table has no rows" : reasons.joined(separator: "; "))
        }
        // Codes are positions in `kept`, so they line up with `times` and `status`.
        var position = [Int](repeating: -1, count: groupColumn == nil && strataColumn == nil ? 0 : table.rowCount)
        for (i, row) in kept.enumerated() where !position.isEmpty { position[row] = i }
        func codes(_ column: Column?) -> (codes: [Int32], labels: [String])? {
            guard let column else { return nil }
            var codes = [Int32](repeating: 0, count: kept.count)
            let groups = column.groups(of: kept)
            for (g, members) in groups.enumerated() { for row in members.rows { codes[position[row]] = Int32(g) } }
            return (codes, groups.map(\.label))
        }
        let groups = codes(groupColumn), strata = codes(strataColumn)
        var data = try CompetingRisksData(times: times, status: status, eventTypes: coding.events, groupCodes: groups?.codes,
                                      groupLabels: groups?.labels ?? ["all"], groupColumn: groupColumn?.name,
                                      strataCodes: strata?.codes, strataLabels: strata?.labels ?? [], strataColumn: strataColumn?.name,
                                      source: table.source, dropped: tally.dropped)
        data.sourceRows = kept
        data.excludedRows = tally.rows.map { ExcludedRow(line: Int(table.lineNumbers[$0.row]), reason: $0.reason) }
        return data
    }

    // MARK: - column readers

    /// A number column's values (NaN = missing). A text column is refused at its first non-number.
    static func numbers(_ column: Column, _ table: DataTable) throws(TimeToEventError) -> [Double] {
        switch column.storage {
        case .numeric(let values): return values
        case .text(let codes, let levels):
            let row = column.firstNonNumeric?.row ?? codes.firstIndex(where: { $0 >= 0 }) ?? 0
            let value = column.firstNonNumeric?.value ?? (codes.isEmpty || codes[row] < 0 ? "" : levels[Int(codes[row])])
            throw .notNumeric(location: table.location(ofRow: row), column: column.name, value: value)
        }
    }

    /// A date column as days since 1970-01-01 (NaN = missing): a codebook `date` column as stored,
    /// or text `YYYY-MM-DD` parsed once per distinct value.
    private static func dates(_ column: Column, _ table: DataTable) throws(TimeToEventError) -> [Double] {
        switch column.storage {
        case .numeric(let values):
            guard column.variable?.type == .date else {
                let row = values.firstIndex(where: { !$0.isNaN }) ?? 0
                throw .notDate(location: table.location(ofRow: row), column: column.name, value: column.displayValue(row))
            }
            return values
        case .text(let codes, let levels):
            let days = levels.map { CalendarDate(iso: $0).map { Double($0.daysSinceEpoch) } }
            var out = [Double](repeating: .nan, count: codes.count)
            for (row, code) in codes.enumerated() where code >= 0 {
                guard let day = days[Int(code)] else {
                    throw .notDate(location: table.location(ofRow: row), column: column.name, value: levels[Int(code)])
                }
                out[row] = day
            }
            return out
        }
    }

    /// Each row's event code: -1 missing, 0 no event, k the k-th event type. Distinct values are
    /// classified once (text levels; a number column's distinct values).
    private static func eventCodes(_ column: Column, _ coding: EventCoding, _ table: DataTable) throws(TimeToEventError) -> [Int32] {
        func unknown(_ row: Int) -> TimeToEventError {
            .unknownEventType(location: table.location(ofRow: row), column: column.name, value: column.displayValue(row),
                              events: coding.events, noEvent: coding.noEventValues)
        }
        switch column.storage {
        case .text(let codes, let levels):
            let classified = levels.map { coding.code(of: $0) }
            var out = [Int32](repeating: -1, count: codes.count)
            for (row, code) in codes.enumerated() where code >= 0 {
                guard let k = classified[Int(code)] else { throw unknown(row) }
                out[row] = k
            }
            return out
        case .numeric(let values):
            var seen: [Double: Int32] = [:]
            var out = [Int32](repeating: -1, count: values.count)
            for (row, value) in values.enumerated() where !value.isNaN {
                if let k = seen[value] { out[row] = k; continue }
                guard let k = coding.code(of: NumberText.shortest(value)) else { throw unknown(row) }
                seen[value] = k
                out[row] = k
            }
            return out
        }
    }
}

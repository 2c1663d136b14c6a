import CohortData

/// The counts behind an event-types table: how many patients with an event had each type (bleeding
/// sites, thrombosis types), with two denominators, the patients with an event and the cohort.
public struct EventTypeCounts: Sendable, Equatable {
    public let source: String
    public let column: String
    /// The codebook's label of the column, if any.
    public let label: String?
    /// Rows in the cohort (the second denominator).
    public let cohortSize: Int
    /// Patients with an event: rows with a type recorded (the first denominator).
    public let events: Int
    /// Each type in display order (codebook order, else sorted) with its count.
    public let types: [(label: String, count: Int)]

    public static func == (a: EventTypeCounts, b: EventTypeCounts) -> Bool {
        a.source == b.source && a.column == b.column && a.cohortSize == b.cohortSize && a.events == b.events
            && a.types.map(\.label) == b.types.map(\.label) && a.types.map(\.count) == b.types.map(\.count)
    }

    /// Counts `column`'s values among the rows where it is recorded: one patient, one type (the
    /// datasets record the first event's type). A missing value means no event.
    /// - Throws: `DataError` when the column does not exist.
    public static func count(table: DataTable, column name: String) throws(DataError) -> EventTypeCounts {
        let column = try table.column(named: name)
        let rows = (0..<table.rowCount).filter { !column.isMissing($0) }
        let groups = column.groups(of: rows)
        return EventTypeCounts(source: table.source, column: name, label: column.variable?.label, cohortSize: table.rowCount,
                               events: rows.count, types: groups.map { ($0.label, $0.rows.count) })
    }

    public init(source: String, column: String, label: String?, cohortSize: Int, events: Int, types: [(label: String, count: Int)]) {
        self.source = source
        self.column = column
        self.label = label
        self.cohortSize = cohortSize
        self.events = events
        self.types = types
    }
}

/// Event types: n, % of the patients with an event and % of the cohort for each type. `describe
/// --variable` gives the first only, with the patients without an event counted as missing; a
/// manuscript reports both ("hematuria in 6 of 12 bleeding events (50%), 4.7% of the cohort").
public enum EventTypesTable {
    public static func make(_ counts: EventTypeCounts, style: NumberStyle = .standard) -> ReportTable {
        // Cells: each type, then the events total and the patients without an event (not printed).
        var cells = counts.types.map { Suppression.Cell($0.count) }
        let eventsCell = cells.count
        cells += [.init(counts.events), .init(counts.cohortSize - counts.events, printed: false)]
        let constraints: [Suppression.Constraint] = [
            .init(parts: Array(counts.types.indices), total: eventsCell),
            .init(parts: [eventsCell, eventsCell + 1]),
        ]
        let (status, unprotectable) = style.suppression.statuses(cells, constraints: constraints)
        // The header prints the events total as the table does: hidden when it is.
        let columns = [
            ReportTable.Column(key: "type", header: counts.label.map { "\(counts.column): \($0)" } ?? counts.column, alignment: .left),
            .init(key: "n", header: "n"),
            .init(key: "percentOfEvents", header: "% of events (N = \(style.suppression.text(counts.events, status[eventsCell])))"),
            .init(key: "percentOfCohort", header: "% of cohort (N = \(counts.cohortSize))"),
        ]
        let eventsShown = status[eventsCell] == .shown
        // A percentage of a hidden count (or of a hidden events total) would give the count back.
        func percent(_ count: Int, of total: Int, shown: Bool) -> CellValue {
            .percent(total > 0 ? Double(count) / Double(total) : .nan, shown ? .shown : .withheld)
        }
        var rows = counts.types.enumerated().map { k, type -> [CellValue] in
            let shown = status[k] == .shown
            return [.text(type.label), .count(type.count, .init(status[k])),
                    percent(type.count, of: counts.events, shown: shown && eventsShown), percent(type.count, of: counts.cohortSize, shown: shown)]
        }
        rows.append([.text("all events"), .count(counts.events, .init(status[eventsCell])), percent(counts.events, of: counts.events, shown: eventsShown),
                     percent(counts.events, of: counts.cohortSize, shown: eventsShown)])
        var notes = ["Patients with an event: rows with a \(counts.column) value (one type a patient); the cohort: every row. Percentages rounded to \(rounding(style))."]
        if let note = style.suppression.note(Array(status.prefix(eventsCell + 1)), unprotectable: unprotectable.count) { notes.append(note) }
        return ReportTable(title: "Event types: \(counts.column)", preamble: ["data: \(counts.source); \(counts.cohortSize) rows"],
                           columns: columns, rows: rows, notes: notes, style: style)
    }
}

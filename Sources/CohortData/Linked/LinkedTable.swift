/// A table linked to the patient table, declared in the codebook's `tables:` section: a long table
/// (one row per patient per measurement, a lab draw), or, without `day` or `date`, a per-patient
/// table (`baseline: {file: baseline.csv, id: patient_id}`: at most one row a patient, its columns
/// joined onto the patient table as a left join, so a patient without a row has them missing).
///
/// ```yaml
/// tables:
///   labs:
///     file: labs.csv          # beside the codebook
///     id: patient_id          # the column both tables share
///     day: day                # study day of the draw (day 0 = infusion); or:
///     # date: draw_date       #   the draw's date, with
///     # index: infusion_date  #   the patient table's day-0 date
///     # redcap_instrument: labs  # instead of file: the data file's rows of this REDCap repeating instrument
///     # redcap_event: followup_arm_1  # or of this REDCap repeating event (the whole event repeats)
///     missing: ["", NA]       # optional, as for the patient table
///     variables:              # optional; undeclared columns are inferred
///       platelets: {type: real, unit: x10^9/L, range: [0, 2000]}
/// ```
public struct LinkedTableSpec: Sendable, Equatable {
    /// Which rows of a REDCap export a table is: a repeating instrument's (`redcap_repeat_instrument`
    /// names the form) or a repeating event's (an instance number, no instrument, and this unique
    /// event name in `redcap_event_name`).
    public enum RedcapRows: Sendable, Equatable {
        case instrument(String)
        case event(String)

        var isEvent: Bool { if case .event = self { true } else { false } }
        /// The instrument's form name; nil for an event.
        var instrument: String? { if case .instrument(let form) = self { form } else { nil } }
    }

    public var name: String
    public var file: String
    public var id: String
    /// How a row's study day is found: a day column, or a date column less the patient's index date;
    /// or neither: a per-patient table (at most one row a patient), whose columns are joined onto
    /// the patient table.
    public enum DayRule: Sendable, Equatable {
        case day(String)
        case date(column: String, index: String)
        case perPatient
    }
    public var dayRule: DayRule
    /// Rows of the data file itself, a REDCap export (``RedcapExport``); nil for a table read from
    /// `file`.
    public var redcapRows: RedcapRows?
    public var missing: [String]?
    public var variables: [VariableSpec]
    public var line: Int?

    public init(name: String, file: String, id: String, dayRule: DayRule, missing: [String]? = nil, variables: [VariableSpec] = [], line: Int? = nil) {
        self.name = name
        self.file = file
        self.id = id
        self.dayRule = dayRule
        self.missing = missing
        self.variables = variables
        self.line = line
    }
}

/// One column of a linked table: its name and declaration, and, for a numeric column, its values
/// in walking order. A text column keeps no values: summaries need numbers, and the id column's
/// text served only to match rows to patients.
public struct LinkedColumn: Sendable {
    public let name: String
    /// The codebook's declaration, or nil for an inferred column.
    public let variable: VariableSpec?
    /// The values in walking order; nil for a text column.
    public let numbers: LinkedValues?
}

/// A linked table read, typed and matched to the patient table's rows, kept in the order the
/// window summaries walk it: by patient (patient table order), then day, then file order.
///
/// Sorting once here is what makes every summary a single pass over contiguous rows, and it fixes
/// the order of every sum (a mean, an area) independently of the file's order or the machine.
/// The values are stored in that order and compactly (``LinkedValues``), with nothing kept by file
/// row: every message about a row was made while reading, so a table of millions of draws costs
/// little more than its numbers (issue 15).
public struct LinkedTable: Sendable {
    public let name: String
    public let source: String
    /// The columns in file order (the id and day columns included).
    public let columns: [LinkedColumn]
    /// The study day of the k-th row in walking order (its patient is the p with
    /// `patientStart[p] <= k < patientStart[p + 1]`); whole days take 32 bits each.
    public let day: CompactNumbers
    /// Rows of patient p are `patientStart[p]..<patientStart[p + 1]` in walking order.
    public let patientStart: [Int]

    public var rowCount: Int { day.count }
    public var patientCount: Int { patientStart.count - 1 }

    public func column(named name: String) -> LinkedColumn? { columns.first { $0.name == name } }

    /// Puts the rows in walking order and stores each column so. `columns` carry the names and
    /// declarations, `numbers` the number columns' values (nil for a text column); `patientOfRow`
    /// and `dayOfRow` are in file order, -1 and NaN for a row left out (the loader reported why);
    /// `dayColumn` names the column that holds the study day itself (not a date). The columns are
    /// consumed one by one, each file-order column freed as soon as its walking-order copy is made,
    /// so that the table's memory never holds both in full; a file already in walking order (a
    /// lab export by patient and day, the patients in the patient table's order) is kept as it is,
    /// without a copy (issue 15).
    init(name: String, source: String, columns: [Column], numbers: consuming [CompactNumbers?], dayColumn: String?,
         patientOfRow: consuming [Int32], dayOfRow: consuming CompactNumbers, patientCount: Int) {
        self.name = name
        self.source = source
        // Counting sort by patient (stable, so file order is kept within a patient) ...
        var start = [Int](repeating: 0, count: patientCount + 1)
        for r in patientOfRow.indices where patientOfRow[r] >= 0 { start[Int(patientOfRow[r]) + 1] += 1 }
        for p in 0..<patientCount { start[p + 1] += start[p] }
        // A file already in walking order needs no order array (12.6 MB at 3.1 million draws).
        var inWalkingOrder = true
        for r in patientOfRow.indices.dropFirst() {
            let (p, q) = (patientOfRow[r - 1], patientOfRow[r])
            if p < 0 || q < p || (q == p && dayOfRow[r] < dayOfRow[r - 1]) { inWalkingOrder = false; break }
        }
        if patientOfRow.first.map({ $0 < 0 }) ?? false { inWalkingOrder = false }
        var order: [Int32] = []
        if !inWalkingOrder {
            var next = start
            order = [Int32](repeating: 0, count: start[patientCount])
            for r in patientOfRow.indices where patientOfRow[r] >= 0 {
                let p = Int(patientOfRow[r])
                order[next[p]] = Int32(r)
                next[p] += 1
            }
        }
        patientOfRow = []
        // ... then a stable insertion sort by day within each patient: linear on files already in
        // day order, as lab exports nearly always are.
        for p in 0..<patientCount where !inWalkingOrder && start[p + 1] - start[p] > 1 {
            for k in (start[p] + 1)..<start[p + 1] {
                let row = order[k]
                let d = dayOfRow[Int(row)]
                var j = k
                while j > start[p], dayOfRow[Int(order[j - 1])] > d {
                    order[j] = order[j - 1]
                    j -= 1
                }
                order[j] = row
            }
        }
        self.patientStart = start
        func walking(_ values: CompactNumbers) -> CompactNumbers { inWalkingOrder ? values : values.keeping(order) }
        var linked: [LinkedColumn] = []
        for c in columns.indices {
            let column = columns[c]
            let fileOrder = numbers[c]
            numbers[c] = nil
            // The day column is set below, sharing `day`.
            let values = column.name == dayColumn ? nil : fileOrder.map { LinkedValues(walking($0)) }
            linked.append(LinkedColumn(name: column.name, variable: column.variable, numbers: values))
        }
        let day = walking(dayOfRow)
        dayOfRow = CompactNumbers()
        self.day = day
        // The day column holds the study days themselves: it shares their storage.
        self.columns = linked.map { column in
            column.name == dayColumn ? LinkedColumn(name: column.name, variable: column.variable, numbers: LinkedValues(day)) : column
        }
    }
}

extension LinkedTable {
    /// The same table for a patient table restricted to `patients` (rows of the old patient table,
    /// in their new order): the k-th patient kept has the draws the old row `patients[k]` had, in
    /// the same walking order (so every summary sums in the same order as before); the draws of
    /// patients not kept are left out.
    public func keeping(patients rows: [Int]) -> LinkedTable {
        var positions: [Int32] = []
        var start = [Int](repeating: 0, count: rows.count + 1)
        for (k, old) in rows.enumerated() {
            positions += (patientStart[old]..<patientStart[old + 1]).map { Int32($0) }
            start[k + 1] = positions.count
        }
        return LinkedTable(name: name, source: source,
                           columns: columns.map { LinkedColumn(name: $0.name, variable: $0.variable, numbers: $0.numbers?.keeping(positions)) },
                           day: day.keeping(positions), patientStart: start)
    }

    /// A table already in walking order.
    private init(name: String, source: String, columns: [LinkedColumn], day: CompactNumbers, patientStart: [Int]) {
        self.name = name
        self.source = source
        self.columns = columns
        self.day = day
        self.patientStart = patientStart
    }
}

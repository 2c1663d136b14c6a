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
///     missing: ["", NA]       # optional, as for the patient table
///     variables:              # optional; undeclared columns are inferred
///       platelets: {type: real, unit: x10^9/L, range: [0, 2000]}
/// ```
public struct LinkedTableSpec: Sendable, Equatable {
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

/// A linked table read, typed and matched to the patient table's rows, kept in the order the
/// window summaries walk it: by patient (patient table order), then day, then file order.
///
/// Sorting once here is what makes every summary a single pass over contiguous rows, and it fixes
/// the order of every sum (a mean, an area) independently of the file's order or the machine.
public struct LinkedTable: Sendable {
    public let name: String
    public let source: String
    /// Typed columns in file order (the id and day columns included).
    public let columns: [Column]
    /// 1-based line of each row in file order.
    public let lineNumbers: [Int32]
    /// Rows in walking order: `order[k]` is the file row of the k-th row.
    public let order: [Int32]
    /// The patient (row of the patient table) and the study day of the k-th row in walking order.
    public let patient: [Int32]
    public let day: [Double]
    /// Rows of patient p are `patientStart[p]..<patientStart[p + 1]` in walking order.
    public let patientStart: [Int]

    public var rowCount: Int { order.count }
    public var patientCount: Int { patientStart.count - 1 }

    public func column(named name: String) -> Column? { columns.first { $0.name == name } }

    /// Puts the rows in walking order. `patientOfRow` and `dayOfRow` are in file order; every row
    /// must have both (the loader reports those that do not and leaves them out).
    init(name: String, source: String, columns: [Column], lineNumbers: [Int32], patientOfRow: [Int32], dayOfRow: [Double], rowsUsed: [Int32], patientCount: Int) {
        self.name = name
        self.source = source
        self.columns = columns
        self.lineNumbers = lineNumbers
        // Counting sort by patient (stable, so file order is kept within a patient) ...
        var start = [Int](repeating: 0, count: patientCount + 1)
        for r in rowsUsed { start[Int(patientOfRow[Int(r)]) + 1] += 1 }
        for p in 0..<patientCount { start[p + 1] += start[p] }
        var next = start
        var order = [Int32](repeating: 0, count: rowsUsed.count)
        for r in rowsUsed {
            let p = Int(patientOfRow[Int(r)])
            order[next[p]] = r
            next[p] += 1
        }
        // ... then a stable insertion sort by day within each patient: linear on files already in
        // day order, as lab exports nearly always are.
        for p in 0..<patientCount where start[p + 1] - start[p] > 1 {
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
        self.order = order
        self.patient = order.map { patientOfRow[Int($0)] }
        self.day = order.map { dayOfRow[Int($0)] }
        self.patientStart = start
    }
}

extension LinkedTable {
    /// The same table for a patient table restricted to `patients` (rows of the old patient table,
    /// in their new order): the k-th patient kept has the draws the old row `patients[k]` had, in
    /// the same walking order (so every summary sums in the same order as before); the draws of
    /// patients not kept are left out. The columns and line numbers stay in file order.
    public func keeping(patients rows: [Int]) -> LinkedTable {
        var order: [Int32] = []
        var patient: [Int32] = []
        var day: [Double] = []
        var start = [Int](repeating: 0, count: rows.count + 1)
        for (k, old) in rows.enumerated() {
            let slice = patientStart[old]..<patientStart[old + 1]
            order += self.order[slice]
            patient += repeatElement(Int32(k), count: slice.count)
            day += self.day[slice]
            start[k + 1] = order.count
        }
        return LinkedTable(name: name, source: source, columns: columns, lineNumbers: lineNumbers, order: order, patient: patient, day: day, patientStart: start)
    }

    /// A table already in walking order.
    private init(name: String, source: String, columns: [Column], lineNumbers: [Int32], order: [Int32], patient: [Int32], day: [Double], patientStart: [Int]) {
        self.name = name
        self.source = source
        self.columns = columns
        self.lineNumbers = lineNumbers
        self.order = order
        self.patient = patient
        self.day = day
        self.patientStart = patientStart
    }
}

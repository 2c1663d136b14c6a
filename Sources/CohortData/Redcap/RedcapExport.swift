/// A REDCap export whose rows are not one a record, read onto the toolkit's tables (issue 18).
///
/// In a longitudinal project every row is one event of a record (`redcap_event_name`); with
/// repeating instruments a row may be one instance of a form (`redcap_repeat_instrument`,
/// `redcap_repeat_instance`). Such an export is split here, before the codebook types it:
///
/// - the record's rows that are not a repeated instance (one an event) become one row of the
///   patient table, each field's value taken from the event that holds it; a field with two
///   different values at two events is an error naming both lines (a measurement repeated over
///   events is a long table, not a patient's value);
/// - the rows of a repeating instrument declared under the codebook's `tables:` with
///   `redcap_instrument: NAME` become that linked table's rows (one a instance), with the record id,
///   the event, the instance number, the table's declared fields and the form's `*_complete` column;
///   the table's day comes from its `date:` less the patient table's `index:` date, as for any
///   linked table;
/// - the rows of a repeating event (an instance number, no instrument: the whole event repeats)
///   whose event a table declares with `redcap_event: UNIQUE_EVENT_NAME` become that table's rows,
///   with every field the table declares (the event's forms' fields) and the status columns
///   (`*_complete`) that hold values only on its rows; the table's columns stay out of the patient
///   table, as an instrument's do;
/// - rows of an instrument or a repeating event no table declares are errors naming the line and
///   column.
///
/// The record id is the export's first column, as REDCap always writes it. A label export names
/// the instrument by its display name ("Lab results" for `lab_results`): it matches a table whose
/// instrument it spells, lowercased with spaces and punctuation as `_`; and an event by its label
/// and arm, "Follow-up (Arm 1: Arm 1)", which matches the unique event name REDCap derives from them
/// (``eventMatches(_:uniqueName:)``).
enum RedcapExport {
    static let eventColumn = "redcap_event_name"
    static let instrumentColumn = "redcap_repeat_instrument"
    static let instanceColumn = "redcap_repeat_instance"
    static let longColumns = [eventColumn, instrumentColumn, instanceColumn]

    /// Whether a value of `redcap_event_name` is the event `uniqueName`: the raw export writes the
    /// unique name itself (`followup_arm_1`); the label export the event's label and arm, "Follow-up
    /// (Arm 1: Arm 1)", from which REDCap made the unique name: the label lowercased, characters other
    /// than a-z, 0-9, `_` and space dropped, spaces as `_`, cut to 18 characters (with or without a
    /// `_` the cut leaves at the end), then `_arm_N` (REDCap's rule; a name REDCap had to make
    /// distinct with a suffix is matched only raw).
    static func eventMatches(_ value: String, uniqueName: String) -> Bool {
        if value == uniqueName { return true }
        // "Label (Arm N: Arm name)": the arm's number follows the last " (Arm ".
        guard value.hasSuffix(")"), let open = value.range(of: " (Arm ", options: .backwards) else { return false }
        let arm = value[open.upperBound...].prefix { $0.isASCII && $0.isNumber }
        guard !arm.isEmpty else { return false }
        let kept = value[..<open.lowerBound].lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == " ") }
        let name = kept.replacingOccurrences(of: " ", with: "_")
        let cut = String(name.prefix(18))
        return [cut, String(cut.reversed().drop { $0 == "_" }.reversed()), name].contains { uniqueName == "\($0)_arm_\(arm)" }
    }

    /// The export split: the patient table (one row a record) and each in-export table's rows.
    struct Split {
        var patients: DataTable
        /// The rows of each table declared with `redcap_instrument:` or `redcap_event:`, by table name.
        var instances: [String: DataTable] = [:]
        var problems: [DataProblem] = []
        /// What the split did, for the validation report; nil for an export without these columns.
        var note: String?
    }

    /// The instrument name a value of `redcap_repeat_instrument` spells: the raw export writes the
    /// form's name, the label export its display name.
    static func instrumentName(_ value: String) -> String {
        String(value.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    static func split(_ table: DataTable, codebook: Codebook?) -> Split {
        let column = { (name: String) in table.columns.first { $0.name == name } }
        guard table.columns.contains(where: { longColumns.contains($0.name) }), let idColumn = table.columns.first else {
            return Split(patients: table)
        }
        let event = column(eventColumn), instrument = column(instrumentColumn), instance = column(instanceColumn)
        func text(_ column: Column?, _ r: Int) -> String? { column.flatMap { $0.isMissing(r) ? nil : $0.displayValue(r) } }
        func line(_ r: Int) -> Int { Int(table.lineNumbers[r]) }
        let specs = (codebook?.tables ?? []).filter { $0.redcapRows != nil }
        var split = Split(patients: table)
        var instanceRows: [String: [Int]] = [:]
        var recordOrder: [String] = [], rowsOfRecord: [String: [Int]] = [:]
        var reported: Set<String> = []
        for r in 0..<table.rowCount {
            guard let id = text(idColumn, r) else {
                split.problems.append(DataProblem(.error, source: table.source, line: line(r), column: idColumn.name,
                                                  message: "the record id is missing; every row of a REDCap export has one"))
                continue
            }
            if let form = text(instrument, r) {
                let name = instrumentName(form)
                if let spec = specs.first(where: { $0.redcapRows == .instrument(name) }) {
                    instanceRows[spec.name, default: []].append(r)
                } else if reported.insert("instrument " + name).inserted {
                    split.problems.append(DataProblem(.error, source: table.source, line: line(r), column: instrumentColumn, message: """
                        a row of the repeating instrument '\(form)', which no table of the codebook reads: declare it under \
                        'tables:' with 'redcap_instrument: \(name)' (cohort codebook --from-redcap DICTIONARY --repeating \
                        REPEATING.csv writes it); first such row
                        """))
                }
                continue
            }
            if let number = text(instance, r) {
                let name = text(event, r) ?? ""
                let declared = specs.first { spec in
                    if case .event(let unique) = spec.redcapRows { return eventMatches(name, uniqueName: unique) }
                    return false
                }
                if let declared {
                    instanceRows[declared.name, default: []].append(r)
                } else if reported.insert("event " + name).inserted {
                    split.problems.append(DataProblem(.error, source: table.source, line: line(r), column: instanceColumn, message: """
                        instance \(number) of the repeating event '\(name)', which no table of the codebook reads: declare it under \
                        'tables:' with 'redcap_event: UNIQUE_EVENT_NAME' (cohort codebook --from-redcap DICTIONARY --repeating \
                        REPEATING.csv --designations MAPPING.csv writes it); first such row
                        """))
                }
                continue
            }
            if rowsOfRecord[id] == nil { recordOrder.append(id) }
            rowsOfRecord[id, default: []].append(r)
        }
        // Columns that belong to an in-export table, and the split's own, stay out of the patient table.
        var tableColumns: Set<String> = Set(longColumns)
        let ownRows = recordOrder.flatMap { rowsOfRecord[$0]! }.sorted()
        // A form's status column (`FORM_complete`) goes with the form's rows: an instrument's by
        // name; a repeating event's forms are not named in the codebook, so the status columns that
        // hold values on its rows and on no record's own row.
        var statusColumns: [String: [String]] = [:]
        for spec in specs {
            tableColumns.formUnion(spec.variables.map(\.name).filter { $0 != spec.id })
            switch spec.redcapRows! {
            case .instrument(let form):
                statusColumns[spec.name] = ["\(form)_complete"]
            case .event:
                let rows = instanceRows[spec.name] ?? []
                statusColumns[spec.name] = table.columns.filter { c in
                    c.name.hasSuffix("_complete") && !tableColumns.contains(c.name) && spec.variables.allSatisfy { $0.name != c.name }
                        && rows.contains { !c.isMissing($0) } && ownRows.allSatisfy { c.isMissing($0) }
                }.map(\.name)
            }
            tableColumns.formUnion(statusColumns[spec.name]!)
        }
        // A table's field with a value on a record's own row (a form that repeats in one event and is
        // also recorded once at another) would be lost from both tables: say so.
        for c in table.columns where tableColumns.contains(c.name) && !longColumns.contains(c.name) {
            guard let r = ownRows.first(where: { !c.isMissing($0) }) else { continue }
            let owner = specs.first { $0.variables.contains { $0.name == c.name } || statusColumns[$0.name]!.contains(c.name) }
            split.problems.append(DataProblem(.error, source: table.source, line: line(r), column: c.name, message: """
                a value on a row that is not an instance\(text(event, r).map { " (event '\($0)')" } ?? ""), but the field is read as \
                table '\(owner?.name ?? "?")''s: its form repeats elsewhere and is recorded here once; export the events apart, \
                or make the form repeat in this event too; first such row
                """))
        }
        var merged: [Column] = []
        for c in table.columns where !tableColumns.contains(c.name) {
            var rows: [Int32] = []
            rows.reserveCapacity(recordOrder.count)
            for id in recordOrder {
                let candidates = rowsOfRecord[id]!
                guard let first = candidates.first(where: { !c.isMissing($0) }) else {
                    rows.append(Int32(candidates[0]))
                    continue
                }
                if c.name != idColumn.name,
                   let other = candidates.first(where: { $0 > first && !c.isMissing($0) && c.displayValue($0) != c.displayValue(first) }) {
                    let events = [first, other].map { text(event, $0).map { " (event '\($0)')" } ?? "" }
                    split.problems.append(DataProblem(.error, source: table.source, line: line(other), column: c.name, message: """
                        the record has another value here\(events[1]) than on line \(line(first))\(events[0]): a field recorded at two \
                        events is a measurement over time; make its form a repeating instrument (a linked table), or export one event
                        """))
                }
                rows.append(Int32(first))
            }
            merged.append(c.gathering(rows))
        }
        let lines = LineNumbers(recordOrder.map { table.lineNumbers[rowsOfRecord[$0]![0]] })
        split.patients = DataTable(source: table.source, columns: merged, lineNumbers: lines)
        for spec in specs {
            let rows = instanceRows[spec.name] ?? []
            let wanted = Set([idColumn.name, eventColumn, instanceColumn] + statusColumns[spec.name]! + spec.variables.map(\.name))
            let kept = table.keepingRows(rows)
            // The table's id is the record id, whatever the codebook calls it.
            let columns = kept.columns.filter { wanted.contains($0.name) }.map { c in
                c.name == idColumn.name && spec.id != idColumn.name ? Column(name: spec.id, storage: c.storage, variable: c.variable) : c
            }
            split.instances[spec.name] = DataTable(source: table.source, columns: columns, lineNumbers: kept.lineNumbers)
        }
        let counts = specs.map { spec in
            let what = switch spec.redcapRows! {
            case .instrument(let form): "repeating instrument '\(form)'"
            case .event(let event): "repeating event '\(event)'"
            }
            return "\(instanceRows[spec.name]?.count ?? 0) of \(what) (table '\(spec.name)')"
        }
        split.note = "REDCap export: \(table.rowCount) rows read as \(recordOrder.count) records (\(rowsOfRecord.values.reduce(0) { $0 + $1.count }) event rows merged)"
            + (counts.isEmpty ? "" : ", and \(counts.joined(separator: ", ")) rows")
        return split
    }
}

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
/// - rows of an instrument no table declares, and repeating events (an instance number without an
///   instrument), are errors naming the line and column.
///
/// The record id is the export's first column, as REDCap always writes it. A label export names
/// the instrument by its display name ("Lab results" for `lab_results`): it matches a table whose
/// instrument it spells, lowercased with spaces and punctuation as `_`.
enum RedcapExport {
    static let eventColumn = "redcap_event_name"
    static let instrumentColumn = "redcap_repeat_instrument"
    static let instanceColumn = "redcap_repeat_instance"
    static let longColumns = [eventColumn, instrumentColumn, instanceColumn]

    /// The export split: the patient table (one row a record) and each in-export table's rows.
    struct Split {
        var patients: DataTable
        /// The rows of each table declared with `redcap_instrument:`, by table name.
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
        let specs = (codebook?.tables ?? []).filter { $0.redcapInstrument != nil }
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
                if let spec = specs.first(where: { $0.redcapInstrument == name }) {
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
                if reported.insert("event").inserted {
                    split.problems.append(DataProblem(.error, source: table.source, line: line(r), column: instanceColumn, message: """
                        instance \(number) of a repeating event\(text(event, r).map { " ('\($0)')" } ?? ""): events that repeat \
                        as a whole are not read onto linked tables (repeating instruments are); export the event's forms as \
                        repeating instruments, or without that event; first such row
                        """))
                }
                continue
            }
            if rowsOfRecord[id] == nil { recordOrder.append(id) }
            rowsOfRecord[id, default: []].append(r)
        }
        // Columns that belong to an in-export table, and the split's own, stay out of the patient table.
        var tableColumns: Set<String> = Set(longColumns)
        for spec in specs {
            tableColumns.formUnion(spec.variables.map(\.name).filter { $0 != spec.id })
            tableColumns.insert("\(spec.redcapInstrument!)_complete")
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
            let wanted = Set([idColumn.name, eventColumn, instanceColumn, "\(spec.redcapInstrument!)_complete"] + spec.variables.map(\.name))
            let kept = table.keepingRows(rows)
            // The table's id is the record id, whatever the codebook calls it.
            let columns = kept.columns.filter { wanted.contains($0.name) }.map { c in
                c.name == idColumn.name && spec.id != idColumn.name ? Column(name: spec.id, storage: c.storage, variable: c.variable) : c
            }
            split.instances[spec.name] = DataTable(source: table.source, columns: columns, lineNumbers: kept.lineNumbers)
        }
        let counts = specs.map { "\(instanceRows[$0.name]?.count ?? 0) of repeating instrument '\($0.redcapInstrument!)' (table '\($0.name)')" }
        split.note = "REDCap export: \(table.rowCount) rows read as \(recordOrder.count) records (\(rowsOfRecord.values.reduce(0) { $0 + $1.count }) event rows merged)"
            + (counts.isEmpty ? "" : ", and \(counts.joined(separator: ", ")) rows")
        return split
    }
}

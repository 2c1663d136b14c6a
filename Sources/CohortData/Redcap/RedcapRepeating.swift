/// REDCap's "repeating instruments and events" file (the CSV its Project Setup page exports, columns
/// `event_name,form_name,custom_form_label`; a classic project without events has no `event_name`):
/// which forms repeat, in which event, and which events repeat as a whole (a blank `form_name`).
/// `cohort codebook --from-redcap DICTIONARY --repeating FILE [--designations MAPPING]` reads it to
/// write each repeating form and each repeating event as a linked table (issue 18).
public struct RedcapRepeating: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// The event (empty in a classic project).
        public var event: String
        /// The repeating form; empty when the whole event repeats.
        public var form: String
        public var line: Int
    }
    public var source: String
    public var entries: [Entry]

    /// The repeating forms, each once, in the file's order.
    public var forms: [String] {
        var seen: Set<String> = []
        return entries.map(\.form).filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// - Throws: ``DataError`` naming the file and line when it has no `form_name` column or cannot be read.
    public static func read(path: String) throws(DataError) -> RedcapRepeating {
        let (table, columns) = try RedcapRepeating.table(path: path, what: "repeating instruments and events file",
                                                         columns: ["event_name", "form_name", "custom_form_label"], required: ["form_name"])
        let entries = (0..<table.rowCount).map { r in
            Entry(event: columns["event_name"].map { $0(r) } ?? "", form: columns["form_name"]!(r), line: Int(table.lineNumbers[r]))
        }
        return RedcapRepeating(source: path, entries: entries)
    }

    /// One of REDCap's small setup files read as text, and a trimmed-text reader for each of its
    /// `columns` present; `required` ones must be.
    static func table(path: String, what: String, columns: [String], required: [String]) throws(DataError) -> (DataTable, [String: (Int) -> String]) {
        var options = CSVOptions(missingTokens: [""])
        options.textColumns = Set(columns)
        let table = try CSVReader.read(path: path, options: options)
        for name in required where !table.columnNames.contains(name) {
            throw .codebook(CodebookError(source: path, line: 1, message: """
                not REDCap's \(what): no column '\(name)' (its columns are \(columns.joined(separator: ", "))); the columns are \
                \(table.columnNames.joined(separator: ", "))
                """))
        }
        var readers: [String: (Int) -> String] = [:]
        for column in table.columns where columns.contains(column.name) {
            readers[column.name] = { r in column.isMissing(r) ? "" : trimmedText(column.displayValue(r)) }
        }
        return (table, readers)
    }
}

/// REDCap's instrument designations of a longitudinal project (the "Designate instruments for my
/// events" page's CSV, or the API's instrument-event mapping: `arm_num,unique_event_name,form`):
/// which forms each event holds. A repeating event's linked table takes its forms' fields.
public struct RedcapDesignations: Sendable, Equatable {
    public var source: String
    /// (unique event name, form, line), in the file's order.
    public var entries: [(event: String, form: String, line: Int)]

    public static func == (a: Self, b: Self) -> Bool {
        a.source == b.source && a.entries.elementsEqual(b.entries) { $0 == $1 }
    }

    public static func read(path: String) throws(DataError) -> RedcapDesignations {
        let (table, columns) = try RedcapRepeating.table(path: path, what: "instrument designations (instrument-event mapping)",
                                                         columns: ["arm_num", "unique_event_name", "form"], required: ["unique_event_name", "form"])
        let entries = (0..<table.rowCount).map { r in (columns["unique_event_name"]!(r), columns["form"]!(r), Int(table.lineNumbers[r])) }
        return RedcapDesignations(source: path, entries: entries)
    }

    /// The forms of `event`, in the file's order.
    func forms(of event: String) -> [String] { entries.filter { $0.event == event }.map(\.form) }
}

/// A linked table the codebook writes for a REDCap project: a repeating form, or an event that
/// repeats as a whole with its forms.
struct RedcapRepeatingTable {
    var name: String
    var rows: LinkedTableSpec.RedcapRows
    var forms: [String]
    /// Where it is declared: the repeating file's line.
    var line: Int
    /// The events a repeating form repeats in (empty in a classic project).
    var events: [String] = []
}

extension RedcapRepeating {
    /// The linked tables: each repeating form once, and each repeating event with the forms the
    /// designations give it.
    ///
    /// - Throws: ``DataError/codebook(_:)`` naming the repeating file's line for a repeating event
    ///   without designations or without any form, or a form the dictionary does not have.
    func tables(forms known: Set<String>, dictionary: String, designations: RedcapDesignations?) throws(DataError) -> [RedcapRepeatingTable] {
        var tables: [RedcapRepeatingTable] = []
        for entry in entries where !entry.form.isEmpty && !known.contains(entry.form) {
            throw .codebook(CodebookError(source: source, line: entry.line, message: """
                column 'form_name': '\(entry.form)' is not a form of the data dictionary \(dictionary) (its forms: \
                \(known.sorted().joined(separator: ", ")))
                """))
        }
        for form in forms {
            let own = entries.filter { $0.form == form }
            tables.append(RedcapRepeatingTable(name: form, rows: .instrument(form), forms: [form], line: own[0].line,
                                               events: own.map(\.event).filter { !$0.isEmpty }))
        }
        for entry in entries where entry.form.isEmpty {
            guard let designations else {
                throw .codebook(CodebookError(source: source, line: entry.line, message: """
                    the event '\(entry.event)' repeats as a whole: give its forms with --designations MAPPING.csv (REDCap's \
                    instrument designations, arm_num,unique_event_name,form)
                    """))
            }
            let eventForms = designations.forms(of: entry.event)
            guard !eventForms.isEmpty else {
                throw .codebook(CodebookError(source: source, line: entry.line, message: """
                    the event '\(entry.event)' repeats as a whole, but \(designations.source) designates no form to it \
                    (its events: \(Array(Set(designations.entries.map(\.event))).sorted().joined(separator: ", ")))
                    """))
            }
            for form in eventForms where !known.contains(form) {
                let line = designations.entries.first { $0.event == entry.event && $0.form == form }!.line
                throw .codebook(CodebookError(source: designations.source, line: line, message: """
                    column 'form': '\(form)' is not a form of the data dictionary \(dictionary)
                    """))
            }
            let name = String(entry.event.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
            tables.append(RedcapRepeatingTable(name: name, rows: .event(entry.event), forms: eventForms, line: entry.line))
        }
        return tables
    }
}


extension RedcapDictionary {
    static func isDate(_ field: RedcapField) -> Bool {
        field.type == "text" && ["date_ymd", "date_mdy", "date_dmy"].contains(field.validation)
    }

    /// The `tables:` section for the repeating forms and events: one linked table each, read from
    /// the export's rows of that instrument (`redcap_instrument:`) or event (`redcap_event:`), keyed
    /// by the record id, its study day the first date field of its forms less `indexDate` (a date
    /// field of a form that does not repeat; by default the first such field).
    ///
    /// - Throws: ``DataError/codebook(_:)`` naming the repeating file's line for a form that holds
    ///   the record id, or the dictionary for an index date that is not a usable field.
    static func tablesYAML(_ fields: [RedcapField], source: String, tables: [RedcapRepeatingTable], repeatingSource: String,
                           indexDate: String?) throws(DataError) -> [String] {
        let repeated = Set(tables.flatMap(\.forms))
        if let table = tables.first(where: { $0.forms.contains(fields[0].form) }) {
            throw .codebook(CodebookError(source: repeatingSource, line: table.line, message: """
                the form '\(fields[0].form)' holds the record id '\(fields[0].name)', so it cannot repeat
                """))
        }
        guard !tables.isEmpty else { return [] }
        let index: RedcapField
        if let indexDate {
            guard let field = fields.first(where: { $0.name == indexDate }) else {
                throw .codebook(CodebookError(source: source, line: nil, message: "the index date '\(indexDate)' is not a field of the data dictionary"))
            }
            guard isDate(field), !repeated.contains(field.form) else {
                throw .codebook(CodebookError(source: source, line: field.line, message: """
                    field '\(indexDate)': the index date (day 0) must be a date field (text with date_ymd, date_mdy or date_dmy) \
                    of a form that does not repeat
                    """))
            }
            index = field
        } else {
            guard let field = fields.first(where: { isDate($0) && !repeated.contains($0.form) }) else {
                throw .codebook(CodebookError(source: source, line: nil, message: """
                    no date field outside the repeating forms to serve as day 0 of their linked tables: add one, or leave out --repeating
                    """))
            }
            index = field
        }
        var lines = ["tables:"]
        let recordID = fields[0].name
        for table in tables {
            let own = fields.filter { table.forms.contains($0.form) }
            let what: String, heading: String, key: String
            switch table.rows {
            case .instrument(let form):
                let at = table.events.isEmpty ? "" : " in event \(table.events.joined(separator: ", "))"
                (what, heading) = ("The repeating form '\(form)'\(at)", "REDCap repeating instrument\(at)")
                key = "redcap_instrument: \(CodebookYAML.quoted(form))"
            case .event(let event):
                (what, heading) = ("The repeating event '\(event)'", "REDCap repeating event, forms \(table.forms.joined(separator: ", "))")
                key = "redcap_event: \(CodebookYAML.quoted(event))"
            }
            guard let date = own.first(where: isDate) else {
                lines.append("  # \(what) has no date field, so its rows have no study day: not linked; validate refuses its rows.")
                continue
            }
            lines += [
                "  \(CodebookYAML.key(table.name)):   # \(heading) (\(repeatingSource) line \(table.line))",
                "    \(key)",
                "    id: \(CodebookYAML.quoted(recordID))",
                "    date: \(CodebookYAML.quoted(date.name))",
                "    index: \(CodebookYAML.quoted(index.name))" + (indexDate == nil ? "   # the first date field of a form that does not repeat; choose day 0 with --index-date" : ""),
                "    variables:",
            ]
            for field in own {
                for spec in try variables(of: field, isRecordID: false, source: source, evaluatesBranching: false) {
                    lines += CodebookYAML.variable(spec, comment: comment(field)).map { "    " + $0 }
                }
            }
        }
        return lines
    }
}

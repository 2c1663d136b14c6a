/// REDCap's "repeating instruments and events" file (the CSV its Project Setup page exports, columns
/// `event_name,form_name,custom_form_label`; a classic project without events has no `event_name`):
/// which forms repeat, in which event. `cohort codebook --from-redcap DICTIONARY --repeating FILE`
/// reads it to write each repeating form as a linked table (issue 18).
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
        var options = CSVOptions(missingTokens: [""])
        options.textColumns = ["event_name", "form_name", "custom_form_label"]
        let table = try CSVReader.read(path: path, options: options)
        guard let form = table.columns.first(where: { $0.name == "form_name" }) else {
            throw .codebook(CodebookError(source: path, line: 1, message: """
                not REDCap's repeating instruments and events file: no column 'form_name' (its columns are \
                event_name, form_name, custom_form_label); the columns are \(table.columnNames.joined(separator: ", "))
                """))
        }
        let event = table.columns.first { $0.name == "event_name" }
        let entries = (0..<table.rowCount).map { r in
            Entry(event: event.map { trimmedText($0.displayValue(r)) } ?? "", form: trimmedText(form.displayValue(r)), line: Int(table.lineNumbers[r]))
        }
        return RedcapRepeating(source: path, entries: entries)
    }
}

extension RedcapDictionary {
    static func isDate(_ field: RedcapField) -> Bool {
        field.type == "text" && ["date_ymd", "date_mdy", "date_dmy"].contains(field.validation)
    }

    /// The `tables:` section for the repeating forms: one linked table a form, read from the
    /// export's rows of that instrument (`redcap_instrument:`), keyed by the record id, its study day
    /// the form's first date field less `indexDate` (a date field of a form that does not repeat;
    /// by default the first such field).
    ///
    /// - Throws: ``DataError/codebook(_:)`` naming the repeating file's line for a form the
    ///   dictionary does not have, or the dictionary for an index date that is not a usable field.
    static func tablesYAML(_ fields: [RedcapField], source: String, repeating: RedcapRepeating, indexDate: String?) throws(DataError) -> [String] {
        let forms = Set(fields.map(\.form))
        for entry in repeating.entries where !entry.form.isEmpty && !forms.contains(entry.form) {
            throw .codebook(CodebookError(source: repeating.source, line: entry.line, message: """
                column 'form_name': '\(entry.form)' is not a form of the data dictionary \(source) (its forms: \
                \(Array(Set(fields.map(\.form))).sorted().joined(separator: ", ")))
                """))
        }
        let repeated = Set(repeating.forms)
        if repeated.contains(fields[0].form) {
            let entry = repeating.entries.first { $0.form == fields[0].form }!
            throw .codebook(CodebookError(source: repeating.source, line: entry.line, message: """
                column 'form_name': the form '\(entry.form)' holds the record id '\(fields[0].name)', so it cannot repeat
                """))
        }
        var lines: [String] = []
        for entry in repeating.entries where entry.form.isEmpty {
            lines.append("# The event '\(entry.event)' repeats as a whole (\(repeating.source) line \(entry.line)): not read onto a linked table; validate refuses its instances.")
        }
        guard !repeated.isEmpty else { return lines }
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
        lines.append("tables:")
        let recordID = fields[0].name
        for form in repeating.forms {
            let own = fields.filter { $0.form == form }
            let events = repeating.entries.filter { $0.form == form }.map(\.event).filter { !$0.isEmpty }
            let at = events.isEmpty ? "" : " in event \(events.joined(separator: ", "))"
            guard let date = own.first(where: isDate) else {
                lines.append("  # The repeating form '\(form)'\(at) has no date field, so its rows have no study day: not linked; validate refuses its rows.")
                continue
            }
            lines += [
                "  \(CodebookYAML.key(form)):   # REDCap repeating instrument\(at) (\(repeating.source) line \(repeating.entries.first { $0.form == form }!.line))",
                "    redcap_instrument: \(CodebookYAML.quoted(form))",
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

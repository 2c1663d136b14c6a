/// A codebook from a REDCap data dictionary (`cohort codebook --from-redcap`, issue 18): each
/// field becomes the columns REDCap's export writes for it, typed so that `cohort validate`
/// checks the export as the project designer declared it.
///
/// | REDCap field | codebook |
/// |---|---|
/// | radio, dropdown | `categorical`: the choice labels as `levels`, their codes as `codes` |
/// | yesno, truefalse | `binary`: levels [No, Yes] / [False, True], codes [0, 1] |
/// | checkbox | one `binary` column `field___code` a choice (levels [Unchecked, Checked]); no parent |
/// | text + `integer` / `number*` | `integer` / `real`, with min and max as `range` |
/// | text + `date_ymd`, `date_mdy`, `date_dmy` | `date` (REDCap exports dates as YYYY-MM-DD whatever their display) |
/// | text + `datetime*`, `time*`, other validations; notes, file, sql | `text` (the codebook's dates hold days, not times) |
/// | calc | `real` |
/// | slider | `integer` in [min, max] (0-100 unless given) |
/// | descriptive | nothing (it holds no data) |
/// | `Identifier? = y`, and the first field (REDCap's record id) | `identifier` |
///
/// The field label becomes `label`; the field note and any bounds the type cannot hold are kept in
/// `note`. Branching logic that is a simple condition (``BranchingLogic``) on fields of forms that
/// do not repeat becomes `shown_if`, which tells "not applicable" (blank where it is false) from
/// "missing"; other logic is kept in `note`.
///
/// With REDCap's repeating instruments and events file (`--repeating`), each repeating form, and
/// each event that repeats as a whole (its forms from `--designations`), becomes a linked table
/// under `tables:` instead (``tablesYAML(_:source:tables:repeatingSource:indexDate:)``).
extension RedcapDictionary {
    /// The codebook variables of `fields`, in dictionary order.
    ///
    /// - Throws: ``DataError/codebook(_:)`` naming `source`, the line and the field, for an unknown
    ///   field type, a choice list that does not parse, or a bound that is not a number.
    public static func variables(_ fields: [RedcapField], source: String) throws(DataError) -> [VariableSpec] {
        var specs: [VariableSpec] = []
        for (index, field) in fields.enumerated() {
            specs += try variables(of: field, isRecordID: index == 0, source: source)
        }
        return specs
    }

    static let knownTypes: Set<String> = ["text", "notes", "radio", "dropdown", "checkbox", "yesno", "truefalse", "calc", "slider", "file", "sql", "descriptive"]

    static func variables(of field: RedcapField, isRecordID: Bool, source: String, evaluatesBranching: Bool = true) throws(DataError) -> [VariableSpec] {
        func fail(_ message: String) -> DataError {
            .codebook(CodebookError(source: source, line: field.line, message: "field '\(field.name)': \(message)"))
        }
        guard knownTypes.contains(field.type) else {
            throw fail("unknown field type '\(field.type)'; REDCap's types are \(knownTypes.sorted().joined(separator: ", "))")
        }
        var notes: [String] = []
        if !field.note.isEmpty { notes.append(field.note) }
        var shownIf: String?
        if !field.branching.isEmpty {
            if evaluatesBranching, BranchingLogic.parse(field.branching) != nil { shownIf = field.branching } else { notes.append("shown only if \(field.branching)") }
        }
        var spec = VariableSpec(name: field.name, type: .text, label: field.label.isEmpty ? nil : field.label, line: field.line)

        switch field.type {
        case "descriptive":
            return []
        case "checkbox":
            // One 0/1 column a choice, named as REDCap's export names it: the code lowercased, any
            // character other than a letter, digit or '_' written as '_' (code -1 -> `field____1`).
            return try choices(of: field, source: source).map { choice in
                let code = String(choice.code.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
                var box = VariableSpec(name: "\(field.name)___\(code)", type: .binary, label: "\(field.label): \(choice.label)",
                                       levels: ["Unchecked", "Checked"], line: field.line, codes: ["0", "1"])
                box.note = notes.isEmpty ? nil : notes.joined(separator: "; ")
                box.shownIf = shownIf
                return box
            }
        case "radio", "dropdown":
            let options = try choices(of: field, source: source)
            spec.type = .categorical
            spec.levels = options.map(\.label)
            // A code that is another choice's label would make a value mean two levels.
            for (k, choice) in options.enumerated() {
                if let other = options.firstIndex(where: { $0.label == choice.code }), other != k {
                    throw fail("the code '\(choice.code)' of '\(choice.label)' is also the label of choice \(options[other].code), so an export's '\(choice.code)' would mean two choices")
                }
            }
            if options.contains(where: { $0.code != $0.label }) { spec.codes = options.map(\.code) }
        case "yesno":
            spec.type = .binary
            spec.levels = ["No", "Yes"]
            spec.codes = ["0", "1"]
        case "truefalse":
            spec.type = .binary
            spec.levels = ["False", "True"]
            spec.codes = ["0", "1"]
        case "calc":
            spec.type = .real
            if !field.choices.isEmpty { notes.append("calculated: \(field.choices)") }
        case "slider":
            spec.type = .integer
            spec.range = try bounds(field, fail: fail) ?? 0...100
        case "text":
            switch field.validation {
            case "integer":
                spec.type = .integer
                spec.range = try bounds(field, fail: fail)
            case _ where field.validation.hasPrefix("number"):
                spec.type = .real
                spec.range = try bounds(field, fail: fail)
            case "date_ymd", "date_mdy", "date_dmy":
                spec.type = .date
                if !field.minimum.isEmpty || !field.maximum.isEmpty { notes.append("REDCap range \(field.minimum) to \(field.maximum)") }
            case "":
                break
            default:
                notes.append("REDCap validation \(field.validation)")
            }
        default:
            // notes, file, sql: free text, a file name, a value chosen from a query.
            break
        }
        if field.isIdentifier || isRecordID {
            // Identifiers are never analysed or printed, whatever else REDCap says of them.
            spec = VariableSpec(name: spec.name, type: .identifier, label: spec.label, line: spec.line)
        }
        spec.note = notes.isEmpty ? nil : notes.joined(separator: "; ")
        if spec.type != .identifier { spec.shownIf = shownIf }
        return [spec]
    }

    /// The field's minimum and maximum as a range; nil when both are empty. One bound alone is
    /// written with the type's widest other bound, as REDCap checks it.
    static func bounds(_ field: RedcapField, fail: (String) -> DataError) throws(DataError) -> ClosedRange<Double>? {
        guard !field.minimum.isEmpty || !field.maximum.isEmpty else { return nil }
        func number(_ text: String, _ what: String, default value: Double) throws(DataError) -> Double {
            guard !text.isEmpty else { return value }
            guard let number = NumberParser.parse(text) else { throw fail("the validation \(what) '\(text)' is not a number") }
            return number
        }
        let low = try number(field.minimum, "minimum", default: -Double.greatestFiniteMagnitude)
        let high = try number(field.maximum, "maximum", default: Double.greatestFiniteMagnitude)
        guard low <= high else { throw fail("the validation minimum \(field.minimum) is above the maximum \(field.maximum)") }
        return low...high
    }

    /// The codebook's YAML for the dictionary at `source`; with `repeating` (REDCap's repeating
    /// instruments and events file), the repeating forms, and the repeating events with the forms
    /// `designations` gives them, as linked tables whose day 0 is `indexDate`.
    public static func yaml(_ fields: [RedcapField], source: String, repeating: RedcapRepeating? = nil,
                            designations: RedcapDesignations? = nil, indexDate: String? = nil) throws(DataError) -> String {
        let tables = try repeating?.tables(forms: Set(fields.map(\.form)), dictionary: source, designations: designations) ?? []
        let repeated = Set(tables.flatMap(\.forms))
        let formOf = Dictionary(fields.map { ($0.name, $0.form) }, uniquingKeysWith: { first, _ in first })
        var lines = [
            "# Codebook from the REDCap data dictionary \(source) (\(fields.count) fields), by cohort codebook --from-redcap.",
            "# Levels are the choice labels (what outputs print); codes are what REDCap's raw export writes.",
            "# shown_if: the field's branching logic; a blank where it is false is \"not applicable\", not missing.",
        ]
        if let repeating {
            lines.append("# Repeating forms and events (\(repeating.source)) are linked tables under tables:, read from the export's rows of that instrument or event.")
        }
        lines += ["# The export's *_complete columns are not declared: validate warns about them.", "variables:"]
        for (index, field) in fields.enumerated() where !repeated.contains(field.form) {
            // Logic on a repeating form's field has no one value a record: kept as a note.
            let evaluates = BranchingLogic.parse(field.branching)?.fields.allSatisfy { formOf[$0].map { !repeated.contains($0) } ?? false } ?? false
            for spec in try variables(of: field, isRecordID: index == 0, source: source, evaluatesBranching: evaluates) {
                lines += CodebookYAML.variable(spec, comment: comment(field))
            }
        }
        if let repeating {
            lines += try tablesYAML(fields, source: source, tables: tables, repeatingSource: repeating.source, indexDate: indexDate)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func comment(_ field: RedcapField) -> String {
        "REDCap \(field.type)\(field.validation.isEmpty ? "" : " " + field.validation), form \(field.form), line \(field.line)"
    }
}

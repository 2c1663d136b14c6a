/// A REDCap export with labelled headers (issue 18): REDCap's "labels" export can head each column
/// with its field label ("Date of CAR-T infusion") instead of its variable name (`infusion_date`).
/// The header is mapped back to the names through the codebook's labels before the file is typed.
///
/// | labelled header | name |
/// |---|---|
/// | a variable's `label` | the variable |
/// | `Field label (choice=Choice label)` | the checkbox column whose label is `Field label: Choice label` |
/// | `Event Name`, `Repeat Instrument`, `Repeat Instance`, `Survey Identifier`, `Data Access Group` | `redcap_event_name`, ... |
/// | `Complete?` (a form's status, one a form) | `Complete? (column N)`, undeclared as the raw `*_complete` columns are |
///
/// A header is labelled when some column is not a name the codebook declares but is one of its
/// labels; then every column must map: a label two variables share, or a header that is neither a
/// label nor a name, is an error naming the column.
enum RedcapHeaders {
    static let fixed = [
        "Event Name": "redcap_event_name", "Repeat Instrument": "redcap_repeat_instrument", "Repeat Instance": "redcap_repeat_instance",
        "Survey Identifier": "redcap_survey_identifier", "Data Access Group": "redcap_data_access_group",
    ]

    /// The names for `header`; `header` itself when it is not labelled.
    static func names(_ header: [String], codebook: Codebook, source: String) throws(DataError) -> [String] {
        let specs = codebook.variables + codebook.tables.filter { $0.redcapRows != nil }.flatMap(\.variables)
        let declared = Set(specs.map(\.name))
        var byLabel: [String: [String]] = [:]
        for spec in specs {
            guard let label = spec.label else { continue }
            var forms = [label]
            // A checkbox column's label is "Field: Choice"; REDCap heads it "Field (choice=Choice)".
            if spec.name.contains("___") {
                var search = label.startIndex
                while let range = label[search...].firstRange(of: ": ") {
                    forms.append("\(label[..<range.lowerBound]) (choice=\(label[range.upperBound...]))")
                    search = range.upperBound
                }
            }
            for form in forms where !(byLabel[form]?.contains(spec.name) ?? false) { byLabel[form, default: []].append(spec.name) }
        }
        let labelled = header.contains { !declared.contains($0) && (byLabel[$0] != nil || fixed[$0] != nil) }
        guard labelled else { return header }
        var names: [String] = []
        for (k, text) in header.enumerated() {
            func fail(_ message: String) -> DataError {
                .inputFormat(source: source, message: "line 1, column \(k + 1) '\(text)': \(message)")
            }
            if let name = fixed[text] {
                names.append(name)
            } else if text == "Complete?" {
                names.append("Complete? (column \(k + 1))")
            } else if let candidates = byLabel[text] {
                guard candidates.count == 1 else {
                    throw fail("""
                        a labelled header (REDCap's labels export), but \(candidates.count) variables of \(codebook.source) have this \
                        label (\(candidates.joined(separator: ", "))); export with variable names as headers, or give the fields distinct labels
                        """)
                }
                names.append(candidates[0])
            } else if declared.contains(text) {
                names.append(text)
            } else {
                throw fail("""
                    a labelled header (REDCap's labels export), but no variable of \(codebook.source) has this label or name; \
                    export with variable names as headers, or write the codebook from the project's data dictionary
                    """)
            }
        }
        return names
    }
}

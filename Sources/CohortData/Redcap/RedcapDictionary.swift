/// One row of a REDCap data dictionary: a field as the project designer declared it.
public struct RedcapField: Sendable, Equatable {
    public var name: String
    public var form: String
    /// REDCap's field type: text, notes, radio, dropdown, checkbox, yesno, truefalse, calc, slider,
    /// file, sql or descriptive.
    public var type: String
    public var label: String
    /// Choices (`1, Yes | 0, No`), a calculation, or slider labels, depending on `type`.
    public var choices: String
    public var note: String
    /// The text validation (`integer`, `number`, `date_ymd`, ...), or for a slider whether to show the number.
    public var validation: String
    public var minimum: String
    public var maximum: String
    public var isIdentifier: Bool
    public var branching: String
    /// The dictionary line the row starts on (a quoted label may span several lines).
    public var line: Int
}

/// Reads a REDCap data dictionary (the CSV of 18 columns that REDCap's "Data Dictionary" page
/// exports) with the toolkit's own CSV reader, every cell as text.
///
/// Columns are found by their header, not their position, so a dictionary from an older REDCap
/// with columns in another order still reads; the ones this reader uses must be present, the
/// others (section header, alignment, question number, matrix group and ranking, annotation,
/// required) are not needed to type the export and are ignored.
public enum RedcapDictionary {
    /// The headers this reader uses, as REDCap writes them.
    public static let requiredColumns = [
        "Variable / Field Name", "Form Name", "Field Type", "Field Label",
        "Choices, Calculations, OR Slider Labels", "Field Note",
        "Text Validation Type OR Show Slider Number", "Text Validation Min", "Text Validation Max",
        "Identifier?", "Branching Logic (Show field only if...)",
    ]

    public static func read(path: String) throws(DataError) -> [RedcapField] {
        try fields(CSVReader.read(path: path, options: options))
    }

    public static func read(bytes: [UInt8], source: String) throws(DataError) -> [RedcapField] {
        try fields(CSVReader.read(bytes: bytes, source: source, options: options))
    }

    /// Every cell as text and only the empty cell missing: a choice label `NA` or a minimum `.`
    /// is the designer's text, not a missing value.
    static var options: CSVOptions {
        var options = CSVOptions(missingTokens: [""])
        options.textColumns = Set(requiredColumns)
        return options
    }

    static func fields(_ table: DataTable) throws(DataError) -> [RedcapField] {
        let missing = requiredColumns.filter { !table.columnNames.contains($0) }
        guard missing.isEmpty else {
            throw .codebook(CodebookError(source: table.source, line: 1, message: """
                not a REDCap data dictionary: no column \(missing.map { "'\($0)'" }.joined(separator: ", ")); \
                export it from REDCap's Data Dictionary page (CSV), whose header names the 18 columns
                """))
        }
        let column = Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0) })
        func text(_ name: String, _ row: Int) -> String {
            trimmedText(column[name]!.displayValue(row))
        }
        var fields: [RedcapField] = []
        var seen: [String: Int] = [:]
        for row in 0..<table.rowCount {
            let line = Int(table.lineNumbers[row])
            let name = text(requiredColumns[0], row)
            guard !name.isEmpty else {
                throw .codebook(CodebookError(source: table.source, line: line, message: "a field has no 'Variable / Field Name'"))
            }
            if let first = seen[name] {
                throw .codebook(CodebookError(source: table.source, line: line, message: "field '\(name)' is declared again (first on line \(first))"))
            }
            seen[name] = line
            fields.append(RedcapField(
                name: name, form: text("Form Name", row), type: text("Field Type", row).lowercased(),
                label: text("Field Label", row), choices: text("Choices, Calculations, OR Slider Labels", row),
                note: text("Field Note", row), validation: text("Text Validation Type OR Show Slider Number", row).lowercased(),
                minimum: text("Text Validation Min", row), maximum: text("Text Validation Max", row),
                isIdentifier: text("Identifier?", row).lowercased() == "y",
                branching: text("Branching Logic (Show field only if...)", row), line: line))
        }
        guard !fields.isEmpty else {
            throw .codebook(CodebookError(source: table.source, line: 1, message: "the data dictionary declares no fields"))
        }
        return fields
    }

    /// A choice list `1, Yes | 2, No`: code, comma, label, separated by `|`. REDCap splits at the
    /// first comma only, so a label may hold commas (`3, Grade 3, severe`).
    public static func choices(of field: RedcapField, source: String) throws(DataError) -> [(code: String, label: String)] {
        func fail(_ message: String) -> DataError {
            .codebook(CodebookError(source: source, line: field.line, message: "field '\(field.name)' (\(field.type)): \(message)"))
        }
        guard !field.choices.isEmpty else { throw fail("no choices; write them as '1, Yes | 0, No'") }
        var choices: [(code: String, label: String)] = []
        for item in field.choices.split(separator: "|", omittingEmptySubsequences: false) {
            let item = trimmedText(item)
            guard let comma = item.firstIndex(of: ",") else {
                throw fail("the choice '\(item)' has no comma; each choice is 'code, label', such as '1, Yes'")
            }
            let code = trimmedText(item[..<comma])
            let label = trimmedText(item[item.index(after: comma)...])
            guard !code.isEmpty, !label.isEmpty else { throw fail("the choice '\(item)' has an empty code or label") }
            guard !choices.contains(where: { $0.code == code }) else { throw fail("the code '\(code)' is listed twice") }
            guard !choices.contains(where: { $0.label == label }) else { throw fail("the label '\(label)' is listed twice") }
            choices.append((code, label))
        }
        return choices
    }
}

/// The text without leading and trailing white space (spreadsheet editors leave spaces and line
/// breaks around cells); without Foundation, which this target imports only for the container readers.
func trimmedText(_ text: some StringProtocol) -> String {
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
          let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
    return String(String.UnicodeScalarView(scalars[first...last]))
}

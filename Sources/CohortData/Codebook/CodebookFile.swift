import Yams

/// A mistake in a codebook file, with the line it is on.
public struct CodebookError: Error, Equatable, CustomStringConvertible {
    public let source: String
    public let line: Int?
    public let message: String
    /// The file could not be read at all (missing, unreadable): a usage problem, not a content one.
    public let isUnreadable: Bool

    public init(source: String, line: Int?, message: String, isUnreadable: Bool = false) {
        self.source = source
        self.line = line
        self.message = message
        self.isUnreadable = isUnreadable
    }

    public var description: String { "\(source)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

/// Reads and writes codebooks as YAML:
///
/// ```yaml
/// missing: ["", NA, N/A, ".", NaN]     # optional; these are the defaults
/// variables:
///   patient_id: identifier             # a type alone
///   age:
///     type: integer
///     label: Age at infusion
///     unit: years
///     range: [0, 120]                  # outside: an error
///     typical: [18, 90]                # outside: a warning
///   sex:
///     type: categorical
///     levels: [F, M]                   # the first is the reference level
///   response:
///     type: categorical
///     levels: [Complete, Partial, None]  # what outputs print
///     codes: ["1", "2", "3"]           # what the file may write instead, level by level
///     note: "Data manager's remark"    # free text, kept, never checked
///     shown_if: "[infused] = '1'"      # REDCap branching logic: blank where false is "not applicable"
///   "PLT (x10^9/L)":
///     type: real
///     missing: ["not done"]            # extra tokens for this variable
/// derived:
///   baseline_thrombocytopenia: below(`PLT (x10^9/L)`, 150)
///   bleeding_3mo:
///     formula: event_within(bleeding_day, 0...91)
///     label: Bleeding by day 91
///   plt_nadir: min(labs.platelets, days = 0...28)
/// tables:                              # optional: long tables linked to the patient table
///   labs:
///     file: labs.csv                   # beside the codebook
///     id: patient_id                   # the column both tables share
///     day: day                         # the draw's study day (or date: + index:)
///     variables:                       # optional, as above; undeclared columns are inferred
///       platelets: {type: real, unit: x10^9/L}
///   baseline: {file: baseline.csv, id: patient_id}   # no day or date: one row a patient, its
///                                      # columns joined onto the patient table (left join)
/// ```
public enum CodebookFile {
    static let variableKeys = ["type", "label", "unit", "range", "typical", "levels", "codes", "missing", "note", "shown_if"]
    static let topKeys = ["missing", "variables", "derived", "tables"]
    static let tableKeys = ["file", "redcap_instrument", "redcap_event", "id", "day", "date", "index", "missing", "variables"]

    public static func read(path: String) throws(CodebookError) -> Codebook {
        try parse(try YAMLText.read(path: path, what: "codebook"), source: path)
    }

    public static func parse(_ text: String, source: String) throws(CodebookError) -> Codebook {
        let root = try YAMLText.compose(text, source: source)
        guard let root, let top = root.mapping else {
            throw CodebookError(source: source, line: root?.mark?.line, message: "expected a mapping with 'variables' (and optionally 'missing' and 'derived')")
        }
        let reader = NodeReader(source: source)
        if let (key, name) = YAMLText.firstUnknownKey(top, allowed: topKeys) {
            throw reader.error(key, "unknown key '\(name)'; a codebook has \(topKeys.map { "'\($0)'" }.joined(separator: ", "))")
        }
        var codebook = Codebook(source: source, variables: [])
        if let missing = top["missing"] { codebook.missing = try reader.strings(missing, what: "missing") }
        guard let variables = top["variables"] else {
            throw CodebookError(source: source, line: root.mark?.line, message: "no 'variables' section; list every column under 'variables:'")
        }
        guard let variableMap = variables.mapping else { throw reader.error(variables, "'variables' must map each column name to its type or settings") }
        for (key, value) in variableMap {
            codebook.variables.append(try reader.variable(key: key, value: value))
        }
        if let derived = top["derived"] {
            guard let derivedMap = derived.mapping else { throw reader.error(derived, "'derived' must map each new variable's name to a formula") }
            for (key, value) in derivedMap {
                codebook.derived.append(try reader.derived(key: key, value: value))
            }
        }
        if let tables = top["tables"] {
            guard let tableMap = tables.mapping else { throw reader.error(tables, "'tables' must map each linked table's name to its file, id and day, such as labs: {file: labs.csv, id: patient_id, day: day} (or, for one row a patient, baseline: {file: baseline.csv, id: patient_id})") }
            for (key, value) in tableMap {
                codebook.tables.append(try reader.table(key: key, value: value))
            }
        }
        var seen: [String: Int] = [:]
        for name in codebook.variables.map(\.name) + codebook.derived.map(\.name) {
            seen[name, default: 0] += 1
        }
        if let repeated = (codebook.variables.map(\.name) + codebook.derived.map(\.name)).first(where: { seen[$0]! > 1 }) {
            let line = codebook.derived.first { $0.name == repeated }?.line
            throw CodebookError(source: source, line: line, message: "'\(repeated)' is declared more than once (as a variable or a derived variable)")
        }
        return codebook
    }
}

/// Turns YAML nodes into codebook values, with messages that name the line.
private struct NodeReader {
    let source: String

    func error(_ node: Node, _ message: String) -> CodebookError {
        CodebookError(source: source, line: node.mark?.line, message: message)
    }

    func strings(_ node: Node, what: String) throws(CodebookError) -> [String] {
        guard let sequence = node.sequence else { throw error(node, "'\(what)' must be a list, such as [a, b]") }
        var values: [String] = []
        for item in sequence {
            guard let text = item.scalar?.string else { throw error(item, "each entry of '\(what)' must be a single value") }
            values.append(text)
        }
        return values
    }

    func range(_ node: Node, what: String, of name: String) throws(CodebookError) -> ClosedRange<Double> {
        let values = try strings(node, what: what)
        guard values.count == 2, let low = NumberParser.parse(values[0]), let high = NumberParser.parse(values[1]) else {
            throw error(node, "variable '\(name)': '\(what)' must be two numbers [lowest, highest], got [\(values.joined(separator: ", "))]")
        }
        guard low <= high else { throw error(node, "variable '\(name)': '\(what)' [\(values[0]), \(values[1])] is empty: the lowest value comes first") }
        return low...high
    }

    /// A text setting (`label`, `unit`); a list or mapping there is a mistake, not something to drop.
    func text(_ settings: Node.Mapping, _ key: String, of name: String) throws(CodebookError) -> String? {
        guard let node = settings[key] else { return nil }
        guard let text = node.scalar?.string else { throw error(node, "variable '\(name)': '\(key)' must be text") }
        return text
    }

    func type(_ node: Node) throws(CodebookError) -> VariableType {
        let text = node.scalar?.string ?? ""
        guard let type = VariableType(rawValue: text) else {
            throw error(node, "unknown type '\(text)'; the types are \(VariableType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return type
    }

    func variable(key: Node, value: Node) throws(CodebookError) -> VariableSpec {
        guard let name = key.scalar?.string, !name.isEmpty else { throw error(key, "a variable needs a name") }
        let line = key.mark?.line
        if value.scalar != nil { return VariableSpec(name: name, type: try type(value), line: line) }
        guard let settings = value.mapping else {
            throw error(value, "variable '\(name)': give a type (such as 'integer') or a mapping with 'type:' and other settings")
        }
        if let (key, setting) = YAMLText.firstUnknownKey(settings, allowed: CodebookFile.variableKeys) {
            throw error(key, "variable '\(name)': unknown setting '\(setting)'; the settings are \(CodebookFile.variableKeys.joined(separator: ", "))")
        }
        guard let typeNode = settings["type"] else { throw error(key, "variable '\(name)': no 'type'") }
        var spec = VariableSpec(name: name, type: try type(typeNode), line: line)
        spec.label = try text(settings, "label", of: name)
        spec.unit = try text(settings, "unit", of: name)
        spec.note = try text(settings, "note", of: name)
        if let shownIf = try text(settings, "shown_if", of: name) {
            guard BranchingLogic.parse(shownIf) != nil else {
                throw error(settings["shown_if"]!, """
                    variable '\(name)': 'shown_if' must be a simple condition: [field] = 'value' (or <>, !=, <, <=, >, >=), \
                    [field(code)] for a checkbox choice, joined by and / or, with parentheses; keep other logic as a 'note'
                    """)
            }
            spec.shownIf = shownIf
        }
        if let node = settings["range"] { spec.range = try range(node, what: "range", of: name) }
        if let node = settings["typical"] { spec.typical = try range(node, what: "typical", of: name) }
        if let node = settings["missing"] { spec.missing = try strings(node, what: "missing") }
        if let node = settings["levels"] {
            let levels = try strings(node, what: "levels")
            // An empty list would declare a variable no value can satisfy (every value an error).
            guard !levels.isEmpty else { throw error(node, "variable '\(name)': 'levels' is empty; list the levels in order, such as [F, M] (the first is the reference)") }
            guard Set(levels).count == levels.count else { throw error(node, "variable '\(name)': a level is listed twice") }
            switch spec.type {
            case .categorical: break
            case .binary:
                guard levels.count == 2 else { throw error(node, "variable '\(name)': a binary variable's levels are two: [absent, present]") }
            default:
                throw error(node, "variable '\(name)': 'levels' applies to categorical and binary variables, not \(spec.type.rawValue)")
            }
            spec.levels = levels
        }
        if let node = settings["codes"] { spec.codes = try codes(node, of: spec) }
        if spec.range != nil || spec.typical != nil, !spec.type.isReadAsNumber {
            throw error(key, "variable '\(name)': 'range' and 'typical' apply to integer, real, grade and day variables, not \(spec.type.rawValue)")
        }
        return spec
    }

    /// A categorical or binary variable's `codes`: one a level, distinct, and none equal to another level's
    /// label (a value such as `2` would then mean two levels, in a raw export and a label export).
    func codes(_ node: Node, of spec: VariableSpec) throws(CodebookError) -> [String] {
        let name = spec.name
        let codes = try strings(node, what: "codes")
        guard spec.type == .categorical || spec.type == .binary, let levels = spec.levels else {
            throw error(node, "variable '\(name)': 'codes' goes with a categorical or binary variable's 'levels' (one code a level)")
        }
        guard codes.count == levels.count else {
            throw error(node, "variable '\(name)': 'codes' has \(codes.count) entries for \(levels.count) levels; give one code a level, in the same order")
        }
        guard Set(codes).count == codes.count else { throw error(node, "variable '\(name)': a code is listed twice") }
        for (k, code) in codes.enumerated() {
            if let other = levels.firstIndex(of: code), other != k {
                throw error(node, "variable '\(name)': the code '\(code)' of level '\(levels[k])' is also the level '\(levels[other])', so a value '\(code)' would mean two levels")
            }
        }
        return codes
    }

    func table(key: Node, value: Node) throws(CodebookError) -> LinkedTableSpec {
        guard let name = key.scalar?.string, !name.isEmpty else { throw error(key, "a linked table needs a name") }
        guard name.first!.isLetter || name.first == "_", name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw error(key, "table '\(name)': a table's name is letters, digits and '_' (formulas write it as \(name).column)")
        }
        guard let settings = value.mapping else { throw error(value, "table '\(name)': give file, id and day, such as {file: labs.csv, id: patient_id, day: day}") }
        if let (key, setting) = YAMLText.firstUnknownKey(settings, allowed: CodebookFile.tableKeys) {
            throw error(key, "table '\(name)': unknown setting '\(setting)'; the settings are \(CodebookFile.tableKeys.joined(separator: ", "))")
        }
        func required(_ setting: String) throws(CodebookError) -> String {
            guard let node = settings[setting] else { throw error(key, "table '\(name)': no '\(setting)'") }
            guard let text = node.scalar?.string, !text.isEmpty else { throw error(node, "table '\(name)': '\(setting)' must be text") }
            return text
        }
        var file = ""
        var rows: LinkedTableSpec.RedcapRows?
        let sources = ["file", "redcap_instrument", "redcap_event"].filter { settings[$0] != nil }
        guard sources.count <= 1 else {
            throw error(key, """
                table '\(name)': give one of 'file' (a file beside the codebook), 'redcap_instrument' (the data file's rows of a \
                REDCap repeating instrument) or 'redcap_event' (its rows of a REDCap repeating event), not \(sources.joined(separator: " and "))
                """)
        }
        if settings["redcap_instrument"] != nil {
            rows = .instrument(RedcapExport.instrumentName(try required("redcap_instrument")))
        } else if settings["redcap_event"] != nil {
            rows = .event(try required("redcap_event"))
        } else {
            file = try required("file")
        }
        // A codebook reads only inside its own folder, as a study file does.
        if file.hasPrefix("/") || file.split(separator: "/").contains("..") {
            throw error(settings["file"]!, "table '\(name)': '\(file)' is outside the codebook's folder; name a file beside the codebook or below it")
        }
        let id = try required("id")
        let rule: LinkedTableSpec.DayRule
        switch (settings["day"], settings["date"], settings["index"]) {
        case (.some, nil, nil): rule = .day(try required("day"))
        case (nil, .some, .some): rule = .date(column: try required("date"), index: try required("index"))
        case (nil, nil, nil): rule = .perPatient
        case (nil, .some, nil): throw error(key, "table '\(name)': 'date' needs 'index', the patient table's day-0 date column")
        case (nil, nil, .some): throw error(key, "table '\(name)': 'index' goes with 'date' (the draw's date column); a per-patient table has neither")
        default: throw error(key, "table '\(name)': give 'day' (a study-day column) or 'date' with 'index' (a date column and the patient table's day-0 date), not both; or neither, for a per-patient table")
        }
        var spec = LinkedTableSpec(name: name, file: file, id: id, dayRule: rule, line: key.mark?.line)
        if let rows {
            guard rule != .perPatient else {
                throw error(key, "table '\(name)': a REDCap repeating \(rows.isEvent ? "event" : "instrument") has a row an instance: give 'date' and 'index' (a date field of its forms and the patient table's day-0 date) or 'day'")
            }
            spec.redcapRows = rows
        }
        if let missing = settings["missing"] { spec.missing = try strings(missing, what: "missing") }
        if let variables = settings["variables"] {
            guard let map = variables.mapping else { throw error(variables, "table '\(name)': 'variables' must map each column name to its type or settings") }
            for (key, value) in map { spec.variables.append(try variable(key: key, value: value)) }
        }
        return spec
    }

    func derived(key: Node, value: Node) throws(CodebookError) -> DerivedSpec {
        guard let name = key.scalar?.string, !name.isEmpty else { throw error(key, "a derived variable needs a name") }
        var formulaNode = value
        var label: String?
        if let settings = value.mapping {
            if let (key, setting) = YAMLText.firstUnknownKey(settings, allowed: ["formula", "label"]) {
                throw error(key, "derived '\(name)': unknown setting '\(setting)'; the settings are formula, label")
            }
            guard let node = settings["formula"] else { throw error(key, "derived '\(name)': no 'formula'") }
            formulaNode = node
            if let node = settings["label"] {
                guard let text = node.scalar?.string else { throw error(node, "derived '\(name)': 'label' must be text") }
                label = text
            }
        }
        guard let text = formulaNode.scalar?.string else { throw error(formulaNode, "derived '\(name)': the formula must be text such as below(platelets, 150)") }
        do throws(FormulaSyntaxError) {
            return DerivedSpec(name: name, formula: try DerivedFormula.parse(text), label: label, line: key.mark?.line)
        } catch {
            throw self.error(formulaNode, "derived '\(name)': \(error) in '\(text)'")
        }
    }
}

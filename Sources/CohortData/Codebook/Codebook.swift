/// What a variable holds, as a codebook declares it.
///
/// The reader stores every column as numbers or as text levels; the type says how to check and
/// convert them:
///
/// | type | stored as | checked |
/// |---|---|---|
/// | `integer` | numbers | whole numbers; `range` |
/// | `real` | numbers | `range` |
/// | `grade` | numbers | whole numbers in `range` (0-5 unless given), ordered |
/// | `day` | numbers | whole days since day 0; a negative day is an event before day 0 |
/// | `binary` | numbers 0/1 | 0/1, true/false, yes/no, y/n (any case), or the two `levels` (absent, present) |
/// | `categorical` | text levels in the declared order | one of `levels` |
/// | `date` | numbers: days since 1970-01-01 | ISO 8601 `YYYY-MM-DD` |
/// | `text` | text levels | nothing |
/// | `identifier` | text levels | unique; never analysed or printed |
public enum VariableType: String, Sendable, CaseIterable, Codable {
    case integer, real, grade, day, binary, categorical, date, text, identifier

    /// Types whose values the reader should parse as numbers (the others are read as text, so
    /// that codes such as `01` keep their leading zeros).
    public var isReadAsNumber: Bool { [.integer, .real, .grade, .day].contains(self) }

    /// Types held as numbers after conversion.
    public var isNumeric: Bool { isReadAsNumber || self == .binary || self == .date }
}

/// One variable of a codebook.
public struct VariableSpec: Sendable, Equatable {
    public var name: String
    public var type: VariableType
    public var label: String?
    public var unit: String?
    /// Values outside are impossible: errors.
    public var range: ClosedRange<Double>?
    /// Values outside are legal but suspicious: warnings.
    public var typical: ClosedRange<Double>?
    /// `categorical`: the levels in order (the first is the reference). `binary`: the value meaning
    /// absent (0), then the value meaning present (1).
    public var levels: [String]?
    /// `categorical` and `binary`: the value the data file writes for each level, in the order of `levels`
    /// (REDCap's raw export writes `1` where its label export writes `Yes`; issue 18). The level
    /// itself (the label) is what outputs print; a value equal to a level is accepted too.
    public var codes: [String]?
    /// Tokens meaning missing for this variable, besides the codebook's (or the reader's) own.
    public var missing: [String]
    /// Free text kept with the declaration (a REDCap field note or branching logic); never checked.
    public var note: String?
    /// A REDCap field's simple branching logic (``BranchingLogic``): on a row where it is false a
    /// blank value is "not applicable", not missing.
    public var shownIf: String?
    /// The codebook line that declares it, for messages.
    public var line: Int?

    public init(name: String, type: VariableType, label: String? = nil, unit: String? = nil, range: ClosedRange<Double>? = nil,
                typical: ClosedRange<Double>? = nil, levels: [String]? = nil, missing: [String] = [], line: Int? = nil,
                codes: [String]? = nil, note: String? = nil) {
        self.name = name
        self.type = type
        self.label = label
        self.unit = unit
        self.range = range
        self.typical = typical
        self.levels = levels
        self.missing = missing
        self.line = line
        self.codes = codes
        self.note = note
    }

    /// The allowed range after the type's own limits: grades are 0-5 and days at least 0 unless
    /// the codebook says otherwise.
    public var effectiveRange: ClosedRange<Double>? {
        if let range { return range }
        switch type {
        case .grade: return 0...5
        case .day: return 0...Double.greatestFiniteMagnitude
        default: return nil
        }
    }
}

/// A derived variable: a name, a built-in definition applied to columns, and its text as written.
public struct DerivedSpec: Sendable, Equatable {
    public var name: String
    public var formula: DerivedFormula
    public var label: String?
    public var line: Int?

    public init(name: String, formula: DerivedFormula, label: String? = nil, line: Int? = nil) {
        self.name = name
        self.formula = formula
        self.label = label
        self.line = line
    }
}

/// The variables of a data file, their types, allowed values and derived variables.
public struct Codebook: Sendable {
    /// Where it came from (a path), for messages.
    public var source: String
    /// Missing-value tokens for every variable; nil keeps the reader's defaults.
    public var missing: [String]?
    public var variables: [VariableSpec]
    public var derived: [DerivedSpec]
    /// Long tables linked to the patient table (lab draws), which derived variables summarise.
    public var tables: [LinkedTableSpec]

    public init(source: String, missing: [String]? = nil, variables: [VariableSpec], derived: [DerivedSpec] = [], tables: [LinkedTableSpec] = []) {
        self.source = source
        self.missing = missing
        self.variables = variables
        self.derived = derived
        self.tables = tables
    }

    public func variable(named name: String) -> VariableSpec? { variables.first { $0.name == name } }

    public var identifiers: Set<String> { Set(variables.filter { $0.type == .identifier }.map(\.name)) }
}

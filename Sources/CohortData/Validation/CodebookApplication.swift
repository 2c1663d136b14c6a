/// Checks a table read from a file against its codebook and converts each column to its declared
/// type, collecting every problem (row by row) instead of stopping at the first.
struct CodebookApplication {
    let codebook: Codebook
    let table: DataTable
    /// The reader took `,` as the decimal mark: so do the numbers found in columns read as text.
    let decimalComma: Bool
    private(set) var problems: [DataProblem] = []

    init(codebook: Codebook, table: DataTable, decimalComma: Bool = false) {
        self.codebook = codebook
        self.table = table
        self.decimalComma = decimalComma
    }

    /// The typed columns, in the data's order; identifier columns included (the loader withholds them).
    mutating func typedColumns() -> [Column] {
        reportMissingColumns()
        return table.columns.map { typedColumn($0) }
    }

    /// Declared variables the table has no column for.
    mutating func reportMissingColumns() {
        let names = Set(table.columnNames)
        for spec in codebook.variables where !names.contains(spec.name) {
            problems.append(DataProblem(.error, source: codebook.source, line: spec.line,
                                        message: "variable '\(spec.name)' is declared but \(table.source) has no such column"))
        }
    }

    /// One column typed (the table's columns are typed one by one).
    mutating func typedColumn(_ column: Column) -> Column {
        guard let spec = codebook.variable(named: column.name) else {
            problems.append(DataProblem(.warning, source: table.source, line: 1, column: column.name,
                                        message: "is not in the codebook \(codebook.source); read as \(Self.inferredKind(column))"))
            return column
        }
        return typed(column, spec)
    }

    /// A number column read as ``CompactNumbers`` (a linked long table), typed: its declaration
    /// (nil: none), and its values, checked where they lie (a declared number type without missing
    /// tokens of its own, the usual case) or typed as doubles and stored again; nil values for a
    /// column typed as text. Never more than one column as doubles (issue 15).
    mutating func typedColumn(named name: String, _ values: CompactNumbers) -> (Column, CompactNumbers?) {
        guard let spec = codebook.variable(named: name) else {
            return (typedColumn(Column(name: name, storage: .numeric([]))), values)
        }
        if spec.type.isReadAsNumber, spec.missing.isEmpty {
            check(values, named: name, spec)
            return (Column(name: name, storage: .numeric([]), variable: spec), values)
        }
        let column = typed(Column(name: name, storage: .numeric(Array(values))), spec)
        guard case .numeric(let typed) = column.storage else { return (column, nil) }
        return (Column(name: name, storage: .numeric([]), variable: column.variable), CompactNumbers(typed))
    }

    static func inferredKind(_ column: Column) -> String {
        if case .numeric = column.storage { return "numbers" }
        return "text"
    }

    private mutating func report(_ row: Int, _ column: Column, _ value: String?, _ message: String, _ severity: DataProblem.Severity = .error) {
        report(row, named: column.name, value, message, severity)
    }

    private mutating func report(_ row: Int, named name: String, _ value: String?, _ message: String, _ severity: DataProblem.Severity = .error) {
        problems.append(DataProblem(severity, source: table.source, line: Int(table.lineNumbers[row]), column: name,
                                    value: value, message: message))
    }

    private mutating func typed(_ column: Column, _ spec: VariableSpec) -> Column {
        switch spec.type {
        case .integer, .real, .grade, .day: return numeric(column, spec)
        case .binary: return binary(column, spec)
        case .categorical: return categorical(column, spec)
        case .date: return date(column, spec)
        case .text: return withoutMissing(column, spec).declared(as: spec)
        case .identifier: return identifier(column, spec)
        }
    }

    /// The column with the variable's own missing tokens taken as missing.
    private func withoutMissing(_ column: Column, _ spec: VariableSpec) -> Column {
        guard !spec.missing.isEmpty else { return column }
        switch column.storage {
        case .numeric(let values):
            let tokens = Set(spec.missing.compactMap { NumberParser.parse($0, decimalComma: decimalComma) })
            return Column(name: column.name, storage: .numeric(values.map { tokens.contains($0) ? .nan : $0 }))
        case .text(let codes, let levels):
            let tokens = Set(spec.missing)
            let dropped = Set(levels.indices.filter { tokens.contains(levels[$0]) }.map(Int32.init))
            return Column(name: column.name, storage: .text(codes: codes.map { dropped.contains($0) ? -1 : $0 }, levels: levels),
                          firstNonNumeric: column.firstNonNumeric, numericLikeCount: column.numericLikeCount)
        }
    }

    private static func expectation(_ spec: VariableSpec) -> String {
        switch spec.type {
        case .integer: "a whole number"
        case .real: "a number"
        case .grade: "a whole-number grade"
        case .day: "a whole number of days since day 0"
        default: spec.type.rawValue
        }
    }

    private mutating func numeric(_ column: Column, _ spec: VariableSpec) -> Column {
        let column = withoutMissing(column, spec)
        var values: [Double]
        switch column.storage {
        case .numeric(let numbers):
            values = numbers
        case .text(let codes, let levels):
            // The reader's decimal mark: in a `;` file `152,5` stays a number when a stray word
            // elsewhere in the column made the reader keep the column as text.
            let parsed = levels.map { NumberParser.parse($0, decimalComma: decimalComma) }
            values = codes.map { $0 < 0 ? .nan : parsed[Int($0)] ?? .nan }
            for (row, code) in codes.enumerated() where code >= 0 && parsed[Int(code)] == nil {
                let level = levels[Int(code)]
                report(row, column, level, "\(NumberParser.refusal(level, decimalComma: decimalComma)); expected \(Self.expectation(spec))")
            }
        }
        check(values, named: column.name, spec)
        return Column(name: column.name, storage: .numeric(values), variable: spec)
    }

    /// A number column's values against their declaration: whole numbers, day 0, the allowed and
    /// the typical range.
    private mutating func check(_ values: [Double], named name: String, _ spec: VariableSpec) {
        let test = NumberCheck(spec)
        for (row, value) in values.enumerated() where !test.passes(value) { check(value, row: row, named: name, spec) }
    }

    /// The same for a long table's column, read where it lies (tens of millions of values: the
    /// common value costs one comparison pair).
    private mutating func check(_ values: CompactNumbers, named name: String, _ spec: VariableSpec) {
        let test = NumberCheck(spec)
        values.forEachValue(outside: test.low, test.high, whole: test.whole) { row, value in check(value, row: row, named: name, spec) }
    }

    /// What lets most values through without a closer look: inside both the allowed and the
    /// typical range (and whole, where the type wants it).
    private struct NumberCheck {
        let low: Double, high: Double, whole: Bool
        init(_ spec: VariableSpec) {
            var low = -Double.infinity, high = Double.infinity
            for range in [spec.effectiveRange, spec.typical].compactMap({ $0 }) {
                low = max(low, range.lowerBound)
                high = min(high, range.upperBound)
            }
            self.low = low
            self.high = high
            whole = spec.type != .real
        }
        @inline(__always)
        func passes(_ value: Double) -> Bool {
            value.isNaN || (value >= low && value <= high && (!whole || value.isWholeNumber))
        }
    }

    /// One value that did not pass ``NumberCheck``: which rule it breaks, if any (a value outside
    /// no range, on a boundary the quick test is unsure of, is no problem).
    private mutating func check(_ value: Double, row: Int, named name: String, _ spec: VariableSpec) {
        // The value's text is made only for a row reported (most rows are not: formatting every
        // value was most of the time of reading a large table).
        if spec.type != .real, !value.isWholeNumber {
            report(row, named: name, NumberText.shortest(value), "is not a whole number; expected \(Self.expectation(spec))")
        } else if spec.type == .day, value < 0, spec.range == nil {
            report(row, named: name, NumberText.shortest(value), "is before day 0; study days count from day 0 (expected 0 or more)")
        } else if let range = spec.effectiveRange, !range.contains(value) {
            let what = spec.type == .grade ? "grade" : "value"
            report(row, named: name, NumberText.shortest(value), "is outside the allowed \(what)s \(Self.describe(range, spec.unit))")
        } else if let typical = spec.typical, !typical.contains(value) {
            report(row, named: name, NumberText.shortest(value), "is outside the typical range \(Self.describe(typical, spec.unit)); check it", .warning)
        }
    }

    static func describe(_ range: ClosedRange<Double>, _ unit: String?) -> String {
        let high = range.upperBound == .greatestFiniteMagnitude ? "" : NumberText.shortest(range.upperBound)
        let low = NumberText.shortest(range.lowerBound)
        // "0-120", but "-7 to 100" and "-10 to -1": a hyphen beside a minus sign reads as a subtraction.
        let separator = range.lowerBound < 0 || range.upperBound < 0 ? " to " : "-"
        let text = high.isEmpty ? "\(low) or more" : "\(low)\(separator)\(high)"
        return unit.map { "\(text) \($0)" } ?? text
    }


    private mutating func binary(_ column: Column, _ spec: VariableSpec) -> Column {
        let column = withoutMissing(column, spec)
        let expected = spec.levels.map { "expected \($0[0]) (absent) or \($0[1]) (present)" }
            ?? "expected 0/1, true/false, yes/no or y/n"
        var values: [Double]
        switch column.storage {
        case .numeric(let numbers):
            values = numbers
            for (row, value) in numbers.enumerated() where !value.isNaN && value != 0 && value != 1 {
                report(row, column, NumberText.shortest(value), "is not binary; \(expected)")
                values[row] = .nan
            }
        case .text(let codes, let levels):
            let meaning: [Double?] = levels.map { level in
                if let declared = spec.levels {
                    // A declared code (REDCap's raw `1`/`0` for Yes/No) means its level.
                    let codes = spec.codes ?? declared
                    return declared[1] == level || codes[1] == level ? 1 : declared[0] == level || codes[0] == level ? 0 : nil
                }
                return BinaryWords.value(level)
            }
            values = codes.map { $0 < 0 ? .nan : meaning[Int($0)] ?? .nan }
            for (row, code) in codes.enumerated() where code >= 0 && meaning[Int(code)] == nil {
                report(row, column, levels[Int(code)], "is not binary; \(expected)")
            }
        }
        return Column(name: column.name, storage: .numeric(values), variable: spec)
    }

    private mutating func categorical(_ column: Column, _ spec: VariableSpec) -> Column {
        let column = withoutMissing(column, spec)
        guard case .text(let codes, let levels) = column.storage else {
            // Read as numbers (an inferred table): the codes as text.
            guard case .numeric(let values) = column.storage else { return column }
            var lookup: [String: Int32] = [:]
            var newLevels: [String] = []
            let newCodes = values.map { v -> Int32 in
                guard !v.isNaN else { return -1 }
                let s = NumberText.shortest(v)
                if let c = lookup[s] { return c }
                lookup[s] = Int32(newLevels.count); newLevels.append(s)
                return lookup[s]!
            }
            return categorical(Column(name: column.name, storage: .text(codes: newCodes, levels: TextLevels(newLevels))), spec)
        }
        guard let declared = spec.levels else { return column.declared(as: spec) }
        let position = Dictionary(uniqueKeysWithValues: declared.enumerated().map { ($0.element, Int32($0.offset)) })
        // A declared code (REDCap's raw export) stands for its level; the codebook reader made sure
        // no code is another level's label, so the two lookups cannot disagree.
        let codePosition = Dictionary(uniqueKeysWithValues: (spec.codes ?? []).enumerated().map { ($0.element, Int32($0.offset)) })
        let remap = levels.map { codePosition[$0] ?? position[$0] }
        let newCodes = codes.map { $0 < 0 ? -1 : remap[Int($0)] ?? -1 }
        for (row, code) in codes.enumerated() where code >= 0 && remap[Int(code)] == nil {
            report(row, column, levels[Int(code)], "is not a level of this variable; expected one of \(declared.joined(separator: ", "))"
                   + (spec.codes.map { " (or their codes \($0.joined(separator: ", ")))" } ?? ""))
        }
        return Column(name: column.name, storage: .text(codes: newCodes, levels: TextLevels(declared)), variable: spec)
    }

    private mutating func date(_ column: Column, _ spec: VariableSpec) -> Column {
        let column = withoutMissing(column, spec)
        guard case .text(let codes, let levels) = column.storage else {
            if case .numeric(let values) = column.storage, let row = values.firstIndex(where: { !$0.isNaN }) {
                report(row, column, NumberText.shortest(values[row]), "is not a date; expected YYYY-MM-DD (ISO 8601)")
            }
            return Column(name: column.name, storage: .numeric([Double](repeating: .nan, count: column.count)), variable: spec)
        }
        let days = levels.map { CalendarDate(iso: $0).map { Double($0.daysSinceEpoch) } }
        for (row, code) in codes.enumerated() where code >= 0 && days[Int(code)] == nil {
            report(row, column, levels[Int(code)], "is not a date; expected YYYY-MM-DD (ISO 8601), a real calendar date")
        }
        return Column(name: column.name, storage: .numeric(codes.map { $0 < 0 ? .nan : days[Int($0)] ?? .nan }), variable: spec)
    }

    private mutating func identifier(_ column: Column, _ spec: VariableSpec) -> Column {
        let column = withoutMissing(column, spec)
        var firstRow: [Int32: Int] = [:]
        for row in 0..<column.count {
            switch column.storage {
            case .text(let codes, _):
                let code = codes[row]
                if code < 0 {
                    // No value: the cell may hold a missing token ("NA"), which '' would misquote.
                    report(row, column, nil, "the identifier is missing; every row needs one")
                } else if let first = firstRow[code] {
                    // The value is not shown: identifiers appear in no output, this report included.
                    report(row, column, nil, "repeats the identifier on line \(table.lineNumbers[first]); identifiers must be unique")
                } else {
                    firstRow[code] = row
                }
            case .numeric:
                break
            }
        }
        return column.declared(as: spec)
    }
}

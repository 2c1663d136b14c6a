/// `standardize`, `if_else`, `cut` and `recode` (``PreparationFunction``): evaluated here rather
/// than as ``DerivedFunction``s because they read a whole column or give text.
extension DerivedEvaluation {
    typealias Bound = [String: DerivedExpression]

    mutating func prepare(_ function: PreparationFunction, _ arguments: [DerivedExpression], _ named: [DerivedExpression.NamedArgument],
                          _ context: inout Context, frame: WindowFrame?) throws(EvaluationError) -> Value {
        let bound = try Self.bind(function, arguments, named)
        switch function {
        case .standardize:
            let x = try patientNumbers(bound["x"]!, function, &context, frame: frame)
            switch Standardization.zScores(x.values) {
            case .success(let z): return .numbers(Numbers(values: z, grain: .patient, type: .real))
            case .failure(let refusal): throw EvaluationError("standardize(\(bound["x"]!)): \(refusal.reason)")
            }
        case .ifElse:
            return try ifElse(bound, &context, frame: frame)
        case .cut:
            return try cut(bound, &context, frame: frame)
        case .recode:
            return try recode(bound, &context, frame: frame)
        }
    }

    /// Positional arguments in order, then named ones; every required parameter given once.
    static func bind(_ function: PreparationFunction, _ arguments: [DerivedExpression], _ named: [DerivedExpression.NamedArgument]) throws(EvaluationError) -> Bound {
        let parameters = function.parameters
        guard arguments.count <= parameters.count else {
            throw EvaluationError("\(function.rawValue) takes at most \(parameters.count) arguments: \(function.signature)")
        }
        var bound: Bound = [:]
        for (parameter, argument) in zip(parameters, arguments) { bound[parameter.name] = argument }
        for argument in named {
            guard parameters.contains(where: { $0.name == argument.name }) else {
                throw EvaluationError("\(function.rawValue) has no parameter '\(argument.name)': \(function.signature)")
            }
            guard bound[argument.name] == nil else { throw EvaluationError("'\(argument.name)' is given twice") }
            bound[argument.name] = argument.value
        }
        for parameter in parameters where bound[parameter.name] == nil {
            if let value = parameter.defaultValue { bound[parameter.name] = value } else if !parameter.optional {
                throw EvaluationError("\(function.rawValue) needs '\(parameter.name)': \(function.signature)")
            }
        }
        return bound
    }

    /// A value a patient: these functions read the whole table (a z-score) or give a categorical
    /// variable, which has no meaning for one draw inside a window summary.
    private mutating func patientNumbers(_ argument: DerivedExpression, _ function: PreparationFunction, _ context: inout Context,
                                         frame: WindowFrame?) throws(EvaluationError) -> Numbers {
        guard frame == nil else {
            throw EvaluationError("\(function.rawValue)(...) inside a window summary: it works on one value a patient; summarise first, then \(function.rawValue) the result")
        }
        return try Self.numbers(try evaluate(argument, &context, frame: nil), what: function.rawValue, rowCount: context.rowCount)
    }

    // MARK: - if_else

    private mutating func ifElse(_ bound: Bound, _ context: inout Context, frame: WindowFrame?) throws(EvaluationError) -> Value {
        var condition = try Self.numbers(try evaluate(bound["condition"]!, &context, frame: frame), what: "if_else's condition", frame: frame, rowCount: context.rowCount)
        guard condition.type == .binary else {
            throw EvaluationError("if_else's condition must be 0/1 (a comparison, and/or/not, or a binary column), such as age >= 65; \(bound["condition"]!) is \(condition.type.rawValue)")
        }
        let a = try evaluate(bound["a"]!, &context, frame: frame), b = try evaluate(bound["b"]!, &context, frame: frame)
        if Self.isText(a) || Self.isText(b) {
            guard Self.isText(a), Self.isText(b) else {
                throw EvaluationError("if_else's a and b must both be numbers or both text; \(bound["a"]!) and \(bound["b"]!) are not")
            }
            guard condition.grain == .patient else { throw EvaluationError("if_else with text inside a window summary: text has no summary") }
            let (textA, levelsA) = try Self.strings(a, rowCount: context.rowCount), (textB, levelsB) = try Self.strings(b, rowCount: context.rowCount)
            var levels = levelsA
            for level in levelsB where !levels.contains(level) { levels.append(level) }
            let rows = (0..<context.rowCount).map { r -> String? in
                condition.values[r].isNaN ? nil : condition.values[r] != 0 ? textA[r] : textB[r]
            }
            return Self.categorical("if_else(...)", rows, levels: levels)
        }
        var x = try Self.numbers(a, what: "if_else's a", frame: frame, rowCount: context.rowCount)
        var y = try Self.numbers(b, what: "if_else's b", frame: frame, rowCount: context.rowCount)
        let typeA = Self.constantType(a) ?? x.type, typeB = Self.constantType(b) ?? y.type
        // One grain for the three: a patient's value stands for each of its draws or days.
        (condition, x) = try Self.aligned(condition, x, frame: frame)
        (condition, y) = try Self.aligned(condition, y, frame: frame)
        (condition, x) = try Self.aligned(condition, x, frame: frame)
        var values = [Double](repeating: .nan, count: condition.values.count)
        for r in values.indices where !condition.values[r].isNaN { values[r] = condition.values[r] != 0 ? x.values[r] : y.values[r] }
        let whole: Set<VariableType> = [.integer, .binary, .grade, .day]
        let type: VariableType = typeA == .binary && typeB == .binary ? .binary : whole.contains(typeA) && whole.contains(typeB) ? .integer : .real
        return .numbers(Numbers(values: values, grain: condition.grain, type: type))
    }

    private static func isText(_ value: Value) -> Bool {
        switch value {
        case .text, .constant(.text): true
        default: false
        }
    }

    /// A number written in the formula: 0 and 1 are binary, other whole numbers integer.
    private static func constantType(_ value: Value) -> VariableType? {
        guard case .constant(.number(let x)) = value else { return nil }
        return x == 0 || x == 1 ? .binary : x == x.rounded() ? .integer : .real
    }

    /// Each row's text (nil: missing), and the levels in their order: declared, then as read.
    private static func strings(_ value: Value, rowCount: Int) throws(EvaluationError) -> ([String?], [String]) {
        switch value {
        case .constant(.text(let s)): return ([String?](repeating: s, count: rowCount), [s])
        case .text(let column):
            guard case .text(let codes, let levels) = column.storage else { throw EvaluationError("'\(column.name)' holds no text") }
            return (codes.map { $0 < 0 ? nil : levels[Int($0)] }, knownLevels(column))
        default: throw EvaluationError("expected text")
        }
    }

    /// A text column's levels: the codebook's in its order, then any others read.
    static func knownLevels(_ column: Column) -> [String] {
        var levels = column.variable?.levels ?? []
        if case .text(_, let read) = column.storage { for level in read where !levels.contains(level) { levels.append(level) } }
        return levels
    }

    /// A categorical value with `levels` in this order (the first is the reference in models).
    static func categorical(_ name: String, _ rows: [String?], levels: [String]) -> Value {
        var code: [String: Int32] = [:]
        for (k, level) in levels.enumerated() { code[level] = Int32(k) }
        let codes = rows.map { $0.flatMap { code[$0] } ?? -1 }
        return .text(Column(name: name, storage: .text(codes: codes, levels: TextLevels(levels)),
                            variable: VariableSpec(name: name, type: .categorical, levels: levels)))
    }

    // MARK: - cut

    private mutating func cut(_ bound: Bound, _ context: inout Context, frame: WindowFrame?) throws(EvaluationError) -> Value {
        let x = try patientNumbers(bound["x"]!, .cut, &context, frame: frame)
        let breaks = try Self.numberList(bound["breaks"]!, "cut's 'breaks'")
        guard breaks.count >= 2 else { throw EvaluationError("cut's 'breaks' needs at least two numbers, such as [0, 250, 500, inf]") }
        for (low, high) in zip(breaks, breaks.dropFirst()) where !(low < high) {
            throw EvaluationError("cut's 'breaks' must increase: \(NumberText.shortest(low)) is followed by \(NumberText.shortest(high))")
        }
        let rightClosed: Bool
        switch bound["right"]! {
        case .column("true"): rightClosed = true
        case .column("false"): rightClosed = false
        case let other: throw EvaluationError("cut's 'right' must be true or false, not \(other)")
        }
        let binning = Binning(breaks: breaks, rightClosed: rightClosed)
        var labels = binning.defaultLabels
        if let given = bound["labels"] {
            labels = try Self.textList(given, "cut's 'labels'")
            guard labels.count == breaks.count - 1 else {
                throw EvaluationError("cut has \(breaks.count - 1) intervals between its \(breaks.count) breaks, but \(labels.count) labels")
            }
            guard Set(labels).count == labels.count else { throw EvaluationError("cut's 'labels' lists a label twice") }
        }
        var outside = 0
        let rows = x.values.map { value -> String? in
            guard let k = binning.interval(of: value) else {
                if !value.isNaN { outside += 1 }
                return nil
            }
            return labels[k]
        }
        if outside > 0 {
            let span = rightClosed ? "(\(NumberText.shortest(breaks.first!)), \(NumberText.shortest(breaks.last!))]"
                : "[\(NumberText.shortest(breaks.first!)), \(NumberText.shortest(breaks.last!)))"
            context.warnings.append("\(outside) row\(outside == 1 ? " has" : "s have") \(bound["x"]!) outside the breaks \(span) and \(outside == 1 ? "is" : "are") missing; widen the breaks (-inf, inf) to keep \(outside == 1 ? "it" : "them")")
        }
        return Self.categorical("cut(...)", rows, levels: labels)
    }

    private static func listItems(_ expression: DerivedExpression, _ what: String) throws(EvaluationError) -> [DerivedExpression] {
        guard case .list(let items) = expression else { throw EvaluationError("\(what) must be a list in brackets, such as [a, b], not \(expression)") }
        return items
    }

    private static func numberList(_ expression: DerivedExpression, _ what: String) throws(EvaluationError) -> [Double] {
        var numbers: [Double] = []
        for item in try listItems(expression, what) {
            switch item {
            case .number(let x): numbers.append(x)
            case .negate(.number(let x)): numbers.append(-x)
            default: throw EvaluationError("\(what) must list numbers; \(item) is not one")
            }
        }
        return numbers
    }

    /// Text items; numbers are spelt as the data would spell them (1, not 1.0).
    private static func textList(_ expression: DerivedExpression, _ what: String) throws(EvaluationError) -> [String] {
        var texts: [String] = []
        for item in try listItems(expression, what) {
            switch item {
            case .text(let s): texts.append(s)
            case .number(let x) where x.isFinite: texts.append(NumberText.shortest(x))
            case .negate(.number(let x)) where x.isFinite: texts.append(NumberText.shortest(-x))
            default: throw EvaluationError("\(what) must list text in double quotes (or numbers); \(item) is not one")
            }
        }
        return texts
    }

    // MARK: - recode

    private mutating func recode(_ bound: Bound, _ context: inout Context, frame: WindowFrame?) throws(EvaluationError) -> Value {
        guard frame == nil else { throw EvaluationError("recode(...) inside a window summary: it works on one value a patient") }
        let from = try Self.textList(bound["from"]!, "recode's 'from'"), to = try Self.textList(bound["to"]!, "recode's 'to'")
        guard from.count == to.count else {
            throw EvaluationError("recode's 'from' lists \(from.count) value\(from.count == 1 ? "" : "s") and 'to' \(to.count); give one new level for each old one")
        }
        guard !from.isEmpty else { throw EvaluationError("recode's 'from' is empty; list the levels to rename") }
        if let repeated = from.enumerated().first(where: { from[..<$0.offset].contains($0.element) })?.element {
            throw EvaluationError("recode's 'from' lists \"\(repeated)\" twice")
        }
        let x = try evaluate(bound["x"]!, &context, frame: nil)
        // The rows as text, and the levels x can take: a text column's, or the numbers present.
        var rows: [String?]
        var known: [String]
        switch x {
        case .text:
            (rows, known) = try Self.strings(x, rowCount: context.rowCount)
        case .numbers(let numbers) where numbers.grain == .patient:
            rows = numbers.values.map { $0.isNaN ? nil : NumberText.shortest($0) }
            known = Set(numbers.values.filter { !$0.isNaN }).sorted().map(NumberText.shortest)
        default:
            throw EvaluationError("recode's x must be a column, not \(bound["x"]!)")
        }
        let unknown = from.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            let what = if case .text = x { "\(unknown.count == 1 ? "is not a level" : "are not levels") of \(bound["x"]!); its levels are" }
                else { "\(unknown.count == 1 ? "is not a value" : "are not values") of \(bound["x"]!) in any row; its values are" }
            throw EvaluationError("recode: \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")) \(what) \(known.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        var mapping: [String: String] = [:]
        for (old, new) in zip(from, to) { mapping[old] = new }
        var levels: [String] = []
        for level in to + known.filter({ mapping[$0] == nil }) where !levels.contains(level) { levels.append(level) }
        for r in rows.indices { if let old = rows[r], let new = mapping[old] { rows[r] = new } }
        return Self.categorical("recode(...)", rows, levels: levels)
    }
}

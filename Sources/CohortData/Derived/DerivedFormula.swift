/// A derived variable's definition as written in a codebook or study file: an expression over
/// columns, constants and built-in functions.
///
/// ```
/// below(platelets_baseline, 150)
/// event_within(bleeding_day, 0...91)
/// isth_dic_score(platelets = plt_nadir, fibrin_marker = ddimer_xuln, pt_prolongation = pt_prol, fibrinogen = fib_nadir)
/// min(labs.platelets, days = 0...28)
/// first_day(isth_dic_score(labs.platelets, labs.ddimer_xuln, labs.pt_prol, labs.fibrinogen) >= 5, days = 0...28)
/// plt_first - plt_nadir
/// age >= 18 and disease == "LBCL"
/// ```
///
/// A bare name or a `backquoted` name is a column (a data column or an earlier derived variable);
/// `table.column` is a column of a linked long table (only inside a window summary); `a...b` is an
/// inclusive range; `[a, b]` a list; text in double quotes is a literal; `inf` is infinity.
/// Arguments are positional, or named with `name = value` after the positional ones. Operators, from
/// loosest to tightest: `or`, `and`, `not`, the comparisons `< <= > >= == !=`, `+ -`, `* /`, unary `-`.
public struct DerivedFormula: Sendable, Equatable, CustomStringConvertible {
    public var expression: DerivedExpression

    public init(_ expression: DerivedExpression) { self.expression = expression }

    /// The canonical spelling (provenance prints it): calls as `f(a, name = b)`, operators spaced.
    public var description: String { expression.description }

    /// Parses `text`; errors give the character position (1-based) and what was expected.
    public static func parse(_ text: String) throws(FormulaSyntaxError) -> DerivedFormula {
        var parser = FormulaParser(text)
        return DerivedFormula(try parser.whole())
    }
}

/// One node of a formula.
public indirect enum DerivedExpression: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case text(String)
    /// A column of the patient table, or an earlier derived variable.
    case column(String)
    /// `table.column`: a column of a linked long table.
    case linked(table: String, column: String)
    case range(ClosedRange<Double>)
    case list([DerivedExpression])
    case call(String, [DerivedExpression], [NamedArgument])
    case negate(DerivedExpression)
    case not(DerivedExpression)
    case binary(BinaryOperator, DerivedExpression, DerivedExpression)

    public struct NamedArgument: Sendable, Equatable {
        public var name: String
        public var value: DerivedExpression
        public init(name: String, value: DerivedExpression) {
            self.name = name
            self.value = value
        }
    }

    public enum BinaryOperator: String, Sendable, CaseIterable {
        case or, and
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="
        case add = "+", subtract = "-", multiply = "*", divide = "/"
        /// `x ^ k` for a whole-number `k` (products in a fixed order, the same bits on every CPU).
        case power = "^"

        /// Binding strength: higher binds tighter.
        var precedence: Int {
            switch self {
            case .or: 1
            case .and: 2
            case .less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual: 4
            case .add, .subtract: 5
            case .multiply, .divide: 6
            case .power: 8
            }
        }

        public var isComparison: Bool { precedence == 4 }
        public var isLogical: Bool { self == .and || self == .or }
    }

    /// The function called at the top, when the formula is a call (`below(x, 150)`).
    public var function: String? {
        if case .call(let name, _, _) = self { return name }
        return nil
    }

    public var description: String { spelled(context: 0) }

    /// Spelled with the parentheses its place needs: an operand of a tighter operator is wrapped.
    private func spelled(context: Int) -> String {
        switch self {
        case .number(let x): return x.isInfinite ? (x > 0 ? "inf" : "-inf") : NumberText.shortest(x)
        case .text(let s): return "\"\(s)\""
        case .column(let name): return Self.quoted(name)
        case .linked(let table, let column): return "\(Self.quoted(table)).\(Self.quoted(column))"
        case .range(let r): return "\(NumberText.shortest(r.lowerBound))...\(NumberText.shortest(r.upperBound))"
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .call(let name, let arguments, let named):
            let all = arguments.map(\.description) + named.map { "\($0.name) = \($0.value)" }
            return "\(name)(\(all.joined(separator: ", ")))"
        case .negate(let x): return "-" + x.spelled(context: 7)
        case .not(let x):
            let text = "not " + x.spelled(context: 3)
            return context > 3 ? "(\(text))" : text
        case .binary(.power, let lhs, let rhs):
            // Right-associative and tighter than a sign: `(-x)^2`, `x^2^3` = `x^(2^3)`.
            let text = "\(lhs.spelled(context: 9))^\(rhs.spelled(context: 8))"
            return context > 8 ? "(\(text))" : text
        case .binary(let op, let lhs, let rhs):
            // Left-associative: the right operand of an equal-precedence operator needs parentheses.
            let text = "\(lhs.spelled(context: op.precedence)) \(op.rawValue) \(rhs.spelled(context: op.precedence + 1))"
            return context > op.precedence ? "(\(text))" : text
        }
    }

    static func quoted(_ name: String) -> String {
        let plain = name.first.map { $0.isLetter || $0 == "_" } == true
            && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !FormulaParser.keywords.contains(name)
        return plain ? name : "`\(name)`"
    }
}

public struct FormulaSyntaxError: Error, Equatable, CustomStringConvertible {
    public let position: Int
    public let message: String
    public var description: String { "at character \(position): \(message)" }
}

/// A recursive-descent parser over the formula's characters, one method per precedence level.
struct FormulaParser {
    /// Words that are operators or constants, never bare column names (backquote such a column).
    static let keywords: Set<String> = ["and", "or", "not", "inf"]

    let characters: [Character]
    var index = 0

    init(_ text: String) { characters = Array(text) }

    func fail(_ message: String) -> FormulaSyntaxError { FormulaSyntaxError(position: index + 1, message: message) }

    mutating func skipSpaces() { while index < characters.count, characters[index].isWhitespace { index += 1 } }

    mutating func whole() throws(FormulaSyntaxError) -> DerivedExpression {
        skipSpaces()
        guard index < characters.count else { throw fail("the formula is empty; write a function such as below(platelets, 150) or an expression") }
        let expression = try disjunction()
        skipSpaces()
        guard index == characters.count else { throw fail("unexpected text '\(String(characters[index...]).prefix(20))' after a complete expression") }
        return expression
    }

    mutating func disjunction() throws(FormulaSyntaxError) -> DerivedExpression {
        var left = try conjunction()
        while keyword("or") { left = .binary(.or, left, try conjunction()) }
        return left
    }

    mutating func conjunction() throws(FormulaSyntaxError) -> DerivedExpression {
        var left = try negation()
        while keyword("and") { left = .binary(.and, left, try negation()) }
        return left
    }

    mutating func negation() throws(FormulaSyntaxError) -> DerivedExpression {
        if keyword("not") { return .not(try negation()) }
        return try comparison()
    }

    mutating func comparison() throws(FormulaSyntaxError) -> DerivedExpression {
        let left = try additive()
        skipSpaces()
        // Longest spelling first, so `<=` is not read as `<` then `=`.
        for op in [DerivedExpression.BinaryOperator.lessOrEqual, .greaterOrEqual, .equal, .notEqual, .less, .greater] where consume(op.rawValue) {
            let right = try additive()
            skipSpaces()
            if ["<", ">", "==", "!="].contains(where: { peek($0) }) {
                throw fail("comparisons do not chain (a < b < c); join two with 'and'")
            }
            return .binary(op, left, right)
        }
        if peek("="), !peek("==") { throw fail("'=' names an argument inside a call; to compare, write '=='") }
        return left
    }

    mutating func additive() throws(FormulaSyntaxError) -> DerivedExpression {
        var left = try multiplicative()
        while true {
            skipSpaces()
            if peek("...") { return left }
            if consume("+") { left = .binary(.add, left, try multiplicative()) } else if consume("-") { left = .binary(.subtract, left, try multiplicative()) } else { return left }
        }
    }

    mutating func multiplicative() throws(FormulaSyntaxError) -> DerivedExpression {
        var left = try unary()
        while true {
            skipSpaces()
            if consume("*") { left = .binary(.multiply, left, try unary()) } else if consume("/") { left = .binary(.divide, left, try unary()) } else { return left }
        }
    }

    mutating func unary() throws(FormulaSyntaxError) -> DerivedExpression {
        skipSpaces()
        // A sign before a digit belongs to the number (so -7...0 is a range); before anything else it negates.
        if index + 1 < characters.count, characters[index] == "-" || characters[index] == "+",
           characters[index + 1].isNumber || characters[index + 1] == "." {
            return try power()
        }
        if consume("-") { return .negate(try unary()) }
        return try power()
    }

    /// `primary ^ unary`, right-associative, binding tighter than a leading minus (`-x^2` is
    /// `-(x^2)`, as in R).
    mutating func power() throws(FormulaSyntaxError) -> DerivedExpression {
        let base = try primary()
        skipSpaces()
        guard consume("^") else { return base }
        return .binary(.power, base, try unary())
    }

    mutating func primary() throws(FormulaSyntaxError) -> DerivedExpression {
        skipSpaces()
        guard index < characters.count else { throw fail("expected a column, a number, a range a...b, \"text\", a list [...] or a function call") }
        let c = characters[index]
        if c == "(" {
            index += 1
            let inner = try disjunction()
            skipSpaces()
            guard consume(")") else { throw fail("expected ')' to close the '(' opened earlier") }
            return inner
        }
        if c == "[" {
            index += 1
            var items: [DerivedExpression] = []
            skipSpaces()
            if !consume("]") {
                while true {
                    items.append(try disjunction())
                    skipSpaces()
                    if consume("]") { break }
                    guard consume(",") else { throw fail("expected ',' or ']' in the list") }
                }
            }
            return .list(items)
        }
        if c == "\"" {
            return .text(try quoted("\""))
        }
        if c == "`" {
            return try columnReference(first: try quoted("`"))
        }
        if c.isNumber || c == "-" || c == "+" || c == "." {
            let low = try number()
            skipSpaces()
            if consume("...") {
                skipSpaces()
                let high = try signedNumberOrInfinity()
                guard low <= high else { throw fail("the range \(NumberText.shortest(low))...\(NumberText.shortest(high)) is empty") }
                return .range(low...high)
            }
            return .number(low)
        }
        guard let word = name() else { throw fail("expected a column, a number, a range a...b, \"text\", a list [...] or a function call") }
        if word == "inf" { return .number(.infinity) }
        if Self.keywords.contains(word) { index -= word.count; throw fail("'\(word)' needs something before it") }
        skipSpaces()
        if consume("(") { return try call(word) }
        return try columnReference(first: word)
    }

    /// `name` or `table.column` (either part may be backquoted).
    mutating func columnReference(first: String) throws(FormulaSyntaxError) -> DerivedExpression {
        // `.` then a name or a backquote: a linked table's column (`...` is a range, a digit a number).
        if index + 1 < characters.count, characters[index] == ".", characters[index + 1].isLetter || characters[index + 1] == "_" || characters[index + 1] == "`" {
            index += 1
            let column: String
            if characters[index] == "`" { column = try quoted("`") } else { column = name()! }
            return .linked(table: first, column: column)
        }
        return .column(first)
    }

    mutating func call(_ function: String) throws(FormulaSyntaxError) -> DerivedExpression {
        var positional: [DerivedExpression] = []
        var named: [DerivedExpression.NamedArgument] = []
        skipSpaces()
        if consume(")") { return .call(function, [], []) }
        while true {
            skipSpaces()
            let start = index
            if let key = name() {
                skipSpaces()
                if peek("="), !peek("==") {
                    index += 1
                    guard !named.contains(where: { $0.name == key }) else { index = start; throw fail("'\(key)' is given twice") }
                    named.append(.init(name: key, value: try disjunction()))
                } else {
                    index = start
                    guard named.isEmpty else { throw fail("positional arguments come before named ones") }
                    positional.append(try disjunction())
                }
            } else {
                guard named.isEmpty else { throw fail("positional arguments come before named ones") }
                positional.append(try disjunction())
            }
            skipSpaces()
            if consume(")") { break }
            guard consume(",") else { throw fail("expected ',' or ')' in the call to \(function)") }
        }
        return .call(function, positional, named)
    }

    mutating func quoted(_ mark: Character) throws(FormulaSyntaxError) -> String {
        let open = index
        index += 1
        let start = index
        while index < characters.count, characters[index] != mark { index += 1 }
        guard index < characters.count else { index = open; throw fail("the \(mark) opened here is never closed") }
        let content = String(characters[start..<index])
        index += 1
        return content
    }

    mutating func signedNumberOrInfinity() throws(FormulaSyntaxError) -> Double {
        if consume("inf") { return .infinity }
        return try number()
    }

    mutating func number() throws(FormulaSyntaxError) -> Double {
        let start = index
        if index < characters.count, characters[index] == "-" || characters[index] == "+" { index += 1 }
        if characters[index...].starts(with: "inf") {
            index += 3
            return characters[start] == "-" ? -.infinity : .infinity
        }
        while index < characters.count, characters[index].isNumber { index += 1 }
        // A '.' is a decimal point only when a digit follows; '...' is a range.
        if index + 1 < characters.count, characters[index] == ".", characters[index + 1].isNumber {
            index += 1
            while index < characters.count, characters[index].isNumber { index += 1 }
        }
        if index < characters.count, characters[index] == "e" || characters[index] == "E" {
            index += 1
            if index < characters.count, characters[index] == "-" || characters[index] == "+" { index += 1 }
            while index < characters.count, characters[index].isNumber { index += 1 }
        }
        let text = String(characters[start..<index])
        guard let value = NumberParser.parse(text) else {
            index = start
            throw fail("expected a number")
        }
        return value
    }

    mutating func name() -> String? {
        guard index < characters.count, characters[index].isLetter || characters[index] == "_" else { return nil }
        let start = index
        while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" { index += 1 }
        return String(characters[start..<index])
    }

    /// A keyword as a whole word (`and` but not the start of `android`).
    mutating func keyword(_ word: String) -> Bool {
        skipSpaces()
        let start = index
        guard let found = name() else { return false }
        if found == word { return true }
        index = start
        return false
    }

    func peek(_ token: String) -> Bool {
        let t = Array(token)
        return index + t.count <= characters.count && Array(characters[index..<index + t.count]) == t
    }

    mutating func consume(_ token: String) -> Bool {
        guard peek(token) else { return false }
        index += token.count
        return true
    }
}

import CohortData

/// A model written as R writes one: `low ~ age * smoke + race + rcs(lwt, 4) + log(ldh) + I(age^2)`.
/// A value; ``DesignBuilder`` turns it and a table into a design matrix.
///
/// The right-hand side is read as R's `terms()` reads it, with `keep.order = TRUE`: terms stay in
/// the order written (R's default would move interactions after the main effects).
/// - `a + b`: both terms; `a - b` removes `b`.
/// - `a:b`: the interaction alone; `a * b` = `a + b + a:b`; `(a + b) * c` = `a + b + c + a:c + b:c`.
///   The factors of an interaction are ordered by their first appearance in the formula (R's
///   rule), so `smoke:age` after `age * smoke` is the same term `age:smoke`.
/// - `rcs(x, k)`: a restricted cubic spline with `k` knots at Harrell's default quantiles (rms);
///   `rcs(x, c(a, b, c))` or `rcs(x, [a, b, c])` with given knots; `rcs(x)` has 5 knots (rms).
/// - `log(x)`, `log10`, `exp`, `sqrt`, `abs`, and `I(expression)`: evaluated by the codebook's
///   formula language (arithmetic, `^` with a whole exponent), so they mean the same in both places.
/// - `1` keeps the intercept (always there); removing it (`- 1`, `+ 0`) is refused.
public struct ModelFormula: Sendable, Equatable, CustomStringConvertible {
    /// The outcome column, or nil for a formula with no left side (`~ age + sex`).
    public var response: String?
    public var terms: [Term]

    public init(response: String?, terms: [Term]) {
        self.response = response
        self.terms = terms
    }

    /// The additive model of named columns, `response ~ a + b + c`: what `--covariates` means.
    public init(response: String?, covariates: [String]) {
        self.init(response: response, terms: covariates.map { Term(factors: [.variable($0)]) })
    }

    /// One term: a product of factors (one factor for a main effect).
    public struct Term: Sendable, Equatable, CustomStringConvertible {
        public var factors: [Factor]
        public init(factors: [Factor]) { self.factors = factors }
        /// R's label: factors joined by `:`.
        public var name: String { factors.map(\.name).joined(separator: ":") }
        public var description: String { name }
        /// Whether every factor of this term is also a factor of `other` (R's marginality: such a
        /// term is not dropped on its own by `drop1`).
        public func isContained(in other: Term) -> Bool { !hasSameFactors(as: other) && factors.allSatisfy(other.factors.contains) }
        /// The same term written in another order (`a:b` and `b:a`).
        func hasSameFactors(as other: Term) -> Bool { Set(factors.map(\.name)) == Set(other.factors.map(\.name)) }
    }

    /// What one factor of a term reads and how it codes it.
    public enum Factor: Sendable, Equatable, CustomStringConvertible {
        /// A column: numeric as it is, text treatment-coded.
        case variable(String)
        /// `rcs(x, ...)`: a restricted cubic spline of a numeric column.
        case spline(variable: String, knots: SplineKnots)
        /// `log(x)`, `I(x^2)`: a formula of columns, `text` its label.
        case transform(text: String, formula: DerivedFormula)

        public var name: String {
            switch self {
            case .variable(let name): name
            case .spline(let variable, let knots): "rcs(\(DerivedExpression.column(variable)), \(knots))"
            case .transform(let text, _): text
            }
        }
        public var description: String { name }

        /// The columns of the table this factor reads.
        public var variables: [String] {
            switch self {
            case .variable(let name): [name]
            case .spline(let variable, _): [variable]
            case .transform(_, let formula): formula.expression.columnNames
            }
        }
    }

    /// The knots of `rcs(x, ...)`: a count placed by Harrell's rule, or given values.
    public enum SplineKnots: Sendable, Equatable, CustomStringConvertible {
        case count(Int)
        case given([Double])
        public var description: String {
            switch self {
            case .count(let k): "\(k)"
            case .given(let knots): "c(" + knots.map(NumberText.shortest).joined(separator: ", ") + ")"
            }
        }
    }

    /// Every column read, in order of first use (the complete-case check reads these).
    public var variables: [String] {
        var seen = Set<String>(), names: [String] = []
        for term in terms { for factor in term.factors { for name in factor.variables where seen.insert(name).inserted { names.append(name) } } }
        return names
    }

    public var description: String {
        (response.map { DerivedExpression.column($0).description + " ~ " } ?? "~ ") + terms.map(\.name).joined(separator: " + ")
    }

    /// Reads `text`; see the type's description for the grammar.
    /// - Throws: ``ModelFormulaError`` naming the character where reading stopped.
    public static func parse(_ text: String) throws(ModelFormulaError) -> ModelFormula {
        var parser = ModelFormulaParser(text)
        return try parser.formula()
    }
}

/// Why a model formula could not be read: the position (1-based character) and what was expected.
public struct ModelFormulaError: Error, Equatable, CustomStringConvertible {
    public let formula: String
    public let position: Int
    public let message: String
    public var description: String { "formula '\(formula)': at character \(position): \(message)" }
}

extension DerivedExpression {
    /// The patient-table columns an expression reads, in order of first use.
    var columnNames: [String] {
        var names: [String] = []
        func walk(_ e: DerivedExpression) {
            switch e {
            case .column(let name): if !names.contains(name) { names.append(name) }
            case .list(let items): items.forEach(walk)
            case .call(_, let arguments, let named): arguments.forEach(walk); named.forEach { walk($0.value) }
            case .negate(let x), .not(let x): walk(x)
            case .binary(_, let a, let b): walk(a); walk(b)
            case .number, .text, .linked, .range: break
            }
        }
        walk(self)
        return names
    }
}

/// Recursive descent over the formula's characters. Each right-hand-side rule returns the list of
/// terms it stands for, so `*` and `:` expand as R expands them.
struct ModelFormulaParser {
    /// Calls read by the codebook's formula language (one column transformed a row).
    static let transforms: Set<String> = ["log", "log10", "exp", "sqrt", "abs", "I"]

    let text: String
    let characters: [Character]
    var index = 0
    /// Factors in order of first appearance: the order of the factors inside an interaction.
    var factorOrder: [ModelFormula.Factor] = []

    init(_ text: String) {
        self.text = text
        characters = Array(text)
    }

    func fail(_ message: String, at position: Int? = nil) -> ModelFormulaError {
        ModelFormulaError(formula: text, position: (position ?? index) + 1, message: message)
    }

    mutating func skipSpaces() { while index < characters.count, characters[index].isWhitespace { index += 1 } }

    mutating func consume(_ c: Character) -> Bool {
        skipSpaces()
        guard index < characters.count, characters[index] == c else { return false }
        index += 1
        return true
    }

    mutating func formula() throws(ModelFormulaError) -> ModelFormula {
        skipSpaces()
        guard characters.contains("~") else {
            throw fail("a model formula needs '~' between the outcome and the terms, e.g. 'low ~ age + smoke' (or '~ age + smoke' where the outcome is given otherwise)", at: characters.count)
        }
        var response: String?
        if !consume("~") {
            response = try name()
            guard consume("~") else { throw fail("expected '~' after the outcome '\(response!)'") }
        }
        skipSpaces()
        guard index < characters.count else { throw fail("the formula has no terms after '~'") }
        let terms = try sum()
        skipSpaces()
        guard index == characters.count else { throw fail("unexpected '\(String(characters[index...]).prefix(20))' after a complete formula") }
        guard !terms.isEmpty else { throw fail("the formula has no terms left after removals", at: 0) }
        // Interactions list their factors by first appearance in the formula.
        let ordered = terms.map { term in
            ModelFormula.Term(factors: term.factors.sorted { factorOrder.firstIndex(of: $0)! < factorOrder.firstIndex(of: $1)! })
        }
        var unique: [ModelFormula.Term] = []
        for term in ordered where !unique.contains(where: { $0.hasSameFactors(as: term) }) { unique.append(term) }
        return ModelFormula(response: response, terms: unique)
    }

    /// `product (('+' | '-') product)*`; a leading sign is allowed.
    mutating func sum() throws(ModelFormulaError) -> [ModelFormula.Term] {
        var terms: [ModelFormula.Term] = []
        var sign: Character = "+"
        skipSpaces()
        if consume("-") { sign = "-" } else { _ = consume("+") }
        while true {
            let start = index
            let part = try product()
            if sign == "+" {
                for term in part where !terms.contains(where: { $0.hasSameFactors(as: term) }) { terms.append(term) }
            } else {
                if part.isEmpty { throw fail("the intercept cannot be removed: these models always have one (or a baseline hazard)", at: start) }
                terms.removeAll { term in part.contains { $0.hasSameFactors(as: term) } }
            }
            skipSpaces()
            if consume("+") { sign = "+" } else if consume("-") { sign = "-" } else { return terms }
        }
    }

    /// `interaction ('*' interaction)*`: `a * b` is `a + b + a:b`.
    mutating func product() throws(ModelFormulaError) -> [ModelFormula.Term] {
        var left = try interaction()
        while consume("*") {
            let right = try interaction()
            left = Self.union(Self.union(left, right), Self.cross(left, right))
        }
        return left
    }

    /// `atom (':' atom)*`: the products of the terms, without the main effects.
    mutating func interaction() throws(ModelFormulaError) -> [ModelFormula.Term] {
        var left = try atom()
        while consume(":") { left = Self.cross(left, try atom()) }
        return left
    }

    static func union(_ a: [ModelFormula.Term], _ b: [ModelFormula.Term]) -> [ModelFormula.Term] {
        a + b.filter { term in !a.contains { $0.hasSameFactors(as: term) } }
    }

    static func cross(_ a: [ModelFormula.Term], _ b: [ModelFormula.Term]) -> [ModelFormula.Term] {
        var result: [ModelFormula.Term] = []
        for x in a {
            for y in b {
                var factors = x.factors
                for f in y.factors where !factors.contains(f) { factors.append(f) }
                let term = ModelFormula.Term(factors: factors)
                if !result.contains(where: { $0.hasSameFactors(as: term) }) { result.append(term) }
            }
        }
        return result
    }

    /// A name, a call, `(sum)`, or `1` (the intercept: no term).
    mutating func atom() throws(ModelFormulaError) -> [ModelFormula.Term] {
        skipSpaces()
        guard index < characters.count else { throw fail("expected a term (a column, rcs(x, k), log(x), I(...)) at the end of the formula") }
        let c = characters[index]
        if c == "(" {
            index += 1
            let inner = try sum()
            guard consume(")") else { throw fail("expected ')' to close the '(' opened earlier") }
            return inner
        }
        if c == "1" || c == "0" {
            let start = index
            index += 1
            if c == "0" { throw fail("the intercept cannot be removed: these models always have one (or a baseline hazard)", at: start) }
            return []
        }
        let start = index
        let word = try name()
        skipSpaces()
        guard index < characters.count, characters[index] == "(" else { return [factorTerm(.variable(word))] }
        if word == "rcs" { return [factorTerm(try spline(start: start))] }
        guard Self.transforms.contains(word) else {
            throw fail("'\(word)(...)' is not a model term; use rcs(x, k), \(Self.transforms.sorted().map { "\($0)(...)" }.joined(separator: ", ")), or derive the column in the codebook", at: start)
        }
        let inside = try balancedArgument()
        let source = word == "I" ? inside : "\(word)(\(inside))"
        let expression: DerivedFormula
        do { expression = try DerivedFormula.parse(source) } catch {
            throw fail("in \(word)(\(inside)): \(error.message)", at: start)
        }
        let label = word == "I" ? "I(\(expression))" : expression.description
        return [factorTerm(.transform(text: label, formula: expression))]
    }

    mutating func factorTerm(_ factor: ModelFormula.Factor) -> ModelFormula.Term {
        if !factorOrder.contains(factor) { factorOrder.append(factor) }
        return ModelFormula.Term(factors: [factor])
    }

    /// `rcs(x)`, `rcs(x, k)`, `rcs(x, c(a, b, ...))` or `rcs(x, [a, b, ...])`; `(` is next.
    mutating func spline(start: Int) throws(ModelFormulaError) -> ModelFormula.Factor {
        index += 1   // "("
        skipSpaces()
        let variable = try name()
        var knots = ModelFormula.SplineKnots.count(5)
        if consume(",") {
            skipSpaces()
            if consume("[") {
                knots = .given(try numbers(closing: "]"))
            } else if index + 1 < characters.count, characters[index] == "c", characters[index + 1] == "(" {
                index += 2
                knots = .given(try numbers(closing: ")"))
            } else {
                let at = index
                let k = try number()
                guard k == k.rounded(), (3...7).contains(k) else {
                    throw fail("rcs(\(variable), k) takes 3 to 7 knots (or the knots themselves, rcs(\(variable), c(10, 20, 30))), not \(NumberText.shortest(k))", at: at)
                }
                knots = .count(Int(k))
            }
        }
        guard consume(")") else { throw fail("expected ')' to close rcs(\(variable), ...)") }
        if case .given(let values) = knots {
            guard values.count >= 3 else { throw fail("rcs(\(variable), ...) needs at least 3 knots; \(values.count) given", at: start) }
            guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw fail("the knots of rcs(\(variable), ...) must increase: \(knots)", at: start)
            }
        }
        return .spline(variable: variable, knots: knots)
    }

    mutating func numbers(closing: Character) throws(ModelFormulaError) -> [Double] {
        var values: [Double] = []
        if consume(closing) { return values }
        while true {
            values.append(try number())
            if consume(closing) { return values }
            guard consume(",") else { throw fail("expected ',' or '\(closing)' in the list of knots") }
        }
    }

    mutating func number() throws(ModelFormulaError) -> Double {
        skipSpaces()
        let start = index
        while index < characters.count, characters[index].isNumber || "+-.eE".contains(characters[index]) { index += 1 }
        guard let value = Double(String(characters[start..<index])), value.isFinite else { throw fail("expected a number", at: start) }
        return value
    }

    /// A column name: letters, digits, `_` and `.` (not first a digit), or any text in backquotes.
    mutating func name() throws(ModelFormulaError) -> String {
        skipSpaces()
        guard index < characters.count else { throw fail("expected a column name") }
        if characters[index] == "`" {
            let start = index
            index += 1
            let open = index
            while index < characters.count, characters[index] != "`" { index += 1 }
            guard index < characters.count else { throw fail("a backquoted name is not closed", at: start) }
            let name = String(characters[open..<index])
            index += 1
            return name
        }
        let start = index
        while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" || characters[index] == "." { index += 1 }
        guard index > start, !characters[start].isNumber else {
            throw fail("expected a column name, found '\(characters[start])'", at: start)
        }
        return String(characters[start..<index])
    }

    /// The text between `(` (next) and its matching `)`, which is consumed; quotes are skipped whole.
    mutating func balancedArgument() throws(ModelFormulaError) -> String {
        let open = index
        index += 1
        var depth = 1
        var quote: Character?
        while index < characters.count {
            let c = characters[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "`" {
                quote = c
            } else if c == "(" || c == "[" {
                depth += 1
            } else if c == ")" || c == "]" {
                depth -= 1
                if depth == 0 {
                    index += 1
                    var inside = characters[(open + 1)..<(index - 1)]
                    while inside.first?.isWhitespace == true { inside.removeFirst() }
                    while inside.last?.isWhitespace == true { inside.removeLast() }
                    return String(inside)
                }
            }
            index += 1
        }
        throw fail("the '(' here is never closed", at: open)
    }
}

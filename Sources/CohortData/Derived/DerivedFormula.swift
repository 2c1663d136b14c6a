/// A derived variable's definition as written in a codebook: a built-in function applied to
/// columns and constants.
///
/// ```
/// below(platelets_baseline, 150)
/// event_within(bleeding_day, 0...91)
/// at_least(`ICANS grade`, 3)
/// isth_dic_score(platelets = plt_nadir, fibrin_marker = ddimer_xuln, pt_prolongation = pt_prol, fibrinogen = fib_nadir)
/// equals(disease, "B-ALL")
/// ```
///
/// A bare name or a `backquoted` name is a column (a data column or an earlier derived variable);
/// `a...b` is an inclusive range; text in double quotes is a literal. Arguments are positional, or
/// named with `name = value` after the positional ones.
public struct DerivedFormula: Sendable, Equatable, CustomStringConvertible {
    public enum Argument: Sendable, Equatable, CustomStringConvertible {
        case column(String)
        case number(Double)
        case range(ClosedRange<Double>)
        case text(String)

        public var description: String {
            switch self {
            case .column(let name): name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? name : "`\(name)`"
            case .number(let x): NumberText.shortest(x)
            case .range(let r): "\(NumberText.shortest(r.lowerBound))...\(NumberText.shortest(r.upperBound))"
            case .text(let s): "\"\(s)\""
            }
        }
    }

    public struct NamedArgument: Sendable, Equatable {
        public var name: String
        public var value: Argument
    }

    public var function: String
    public var arguments: [Argument]
    public var named: [NamedArgument]

    public var description: String {
        let all = arguments.map(\.description) + named.map { "\($0.name) = \($0.value)" }
        return "\(function)(\(all.joined(separator: ", ")))"
    }

    /// Parses `text`; errors give the character position (1-based) and what was expected.
    public static func parse(_ text: String) throws(FormulaSyntaxError) -> DerivedFormula {
        var parser = FormulaParser(text)
        return try parser.formula()
    }
}

public struct FormulaSyntaxError: Error, Equatable, CustomStringConvertible {
    public let position: Int
    public let message: String
    public var description: String { "at character \(position): \(message)" }
}

/// A recursive-descent parser over the formula's characters.
private struct FormulaParser {
    let characters: [Character]
    var index = 0

    init(_ text: String) { characters = Array(text) }

    func fail(_ message: String) -> FormulaSyntaxError { FormulaSyntaxError(position: index + 1, message: message) }

    mutating func skipSpaces() { while index < characters.count, characters[index].isWhitespace { index += 1 } }

    mutating func formula() throws(FormulaSyntaxError) -> DerivedFormula {
        skipSpaces()
        guard let function = name() else { throw fail("expected a function name such as below, at_least or event_within") }
        skipSpaces()
        guard consume("(") else { throw fail("expected '(' after \(function)") }
        var positional: [DerivedFormula.Argument] = []
        var named: [DerivedFormula.NamedArgument] = []
        skipSpaces()
        if !consume(")") {
            while true {
                skipSpaces()
                let start = index
                if let key = name() {
                    skipSpaces()
                    if consume("=") {
                        skipSpaces()
                        named.append(.init(name: key, value: try argument()))
                    } else {
                        index = start
                        guard named.isEmpty else { throw fail("positional arguments come before named ones") }
                        positional.append(try argument())
                    }
                } else {
                    guard named.isEmpty else { throw fail("positional arguments come before named ones") }
                    positional.append(try argument())
                }
                skipSpaces()
                if consume(")") { break }
                guard consume(",") else { throw fail("expected ',' or ')'") }
            }
        }
        skipSpaces()
        guard index == characters.count else { throw fail("unexpected text after the closing ')'") }
        return DerivedFormula(function: function, arguments: positional, named: named)
    }

    mutating func argument() throws(FormulaSyntaxError) -> DerivedFormula.Argument {
        skipSpaces()
        guard index < characters.count else { throw fail("expected a column, a number, a range a...b or \"text\"") }
        let c = characters[index]
        if c == "`" || c == "\"" {
            index += 1
            let start = index
            while index < characters.count, characters[index] != c { index += 1 }
            guard index < characters.count else { throw fail("the \(c) opened here is never closed") }
            let content = String(characters[start..<index])
            index += 1
            return c == "`" ? .column(content) : .text(content)
        }
        if c.isNumber || c == "-" || c == "+" || c == "." {
            let low = try number()
            if consume("...") {
                let high = try number()
                guard low <= high else { throw fail("the range \(NumberText.shortest(low))...\(NumberText.shortest(high)) is empty") }
                return .range(low...high)
            }
            return .number(low)
        }
        if let column = name() { return .column(column) }
        throw fail("expected a column, a number, a range a...b or \"text\"")
    }

    mutating func number() throws(FormulaSyntaxError) -> Double {
        let start = index
        if index < characters.count, characters[index] == "-" || characters[index] == "+" { index += 1 }
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

    mutating func consume(_ token: String) -> Bool {
        let t = Array(token)
        guard index + t.count <= characters.count, Array(characters[index..<index + t.count]) == t else { return false }
        index += t.count
        return true
    }
}

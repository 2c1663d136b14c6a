/// A REDCap branching condition simple enough to evaluate (issue 18): comparisons of a field with
/// a value, joined by `and` / `or`, with parentheses.
///
/// ```text
/// condition  := clause ('or' clause)*
/// clause     := factor ('and' factor)*
/// factor     := '(' condition ')' | operand op operand
/// operand    := '[' field ']' | '[' field '(' code ')' ']' | 'text' | "text" | number
/// op         := = | <> | != | < | <= | > | >=
/// ```
///
/// `[field(code)]` is a checkbox choice: the export's column `field___code`. Anything else
/// (functions such as `datediff`, arithmetic, another event's `[event][field]`, smart variables)
/// is not simple: ``parse(_:)`` returns nil and the logic stays a note.
///
/// Evaluated as REDCap does on a record's raw values (codes, not labels): `=` and `<>` compare as
/// numbers when both sides are numbers and as text otherwise (a blank field is the text `''`);
/// `<`, `<=`, `>` and `>=` compare numbers, and are false when either side is blank or not a number.
public indirect enum BranchingLogic: Sendable, Equatable {
    public enum Operand: Sendable, Equatable {
        /// A field, or a checkbox choice (`code` set).
        case field(String, code: String?)
        case value(String)
    }
    case compare(Operand, String, Operand)
    case and(BranchingLogic, BranchingLogic)
    case or(BranchingLogic, BranchingLogic)

    /// The export column an operand `[field]` / `[field(code)]` reads.
    public static func column(_ field: String, code: String?) -> String {
        guard let code else { return field }
        return "\(field)___\(String(code.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" }))"
    }

    /// Every column the condition reads, in order of appearance.
    public var columns: [String] {
        switch self {
        case .compare(let a, _, let b):
            var names: [String] = []
            for case .field(let name, let code) in [a, b] { names.append(Self.column(name, code: code)) }
            return names
        case .and(let a, let b), .or(let a, let b):
            return a.columns + b.columns
        }
    }

    /// Whether the condition holds, given each column's raw value (nil: blank).
    public func holds(_ value: (String) -> String?) -> Bool {
        switch self {
        case .and(let a, let b): return a.holds(value) && b.holds(value)
        case .or(let a, let b): return a.holds(value) || b.holds(value)
        case .compare(let a, let op, let b):
            func resolve(_ operand: Operand) -> String {
                switch operand {
                case .field(let name, let code): return value(Self.column(name, code: code)) ?? ""
                case .value(let text): return text
                }
            }
            let (x, y) = (resolve(a), resolve(b))
            let (u, v) = (NumberParser.parse(x), NumberParser.parse(y))
            switch op {
            case "=": if let u, let v { return u == v } else { return x == y }
            case "<>", "!=": if let u, let v { return u != v } else { return x != y }
            default:
                guard let u, let v else { return false }
                switch op {
                case "<": return u < v
                case "<=": return u <= v
                case ">": return u > v
                default: return u >= v
                }
            }
        }
    }

    /// The condition, or nil when `text` is not a simple condition.
    public static func parse(_ text: String) -> BranchingLogic? {
        guard let tokens = tokens(text), !tokens.isEmpty else { return nil }
        var parser = Parser(tokens: tokens)
        guard let condition = parser.condition(), parser.position == tokens.count else { return nil }
        return condition
    }

    enum Token: Equatable {
        case field(String, code: String?), value(String), op(String), open, close, and, or
    }

    static func tokens(_ text: String) -> [Token]? {
        let chars = Array(text)
        var tokens: [Token] = []
        var i = 0
        func isName(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            switch c {
            case "[":
                guard let close = chars[i...].firstIndex(of: "]") else { return nil }
                let inner = String(chars[(i + 1)..<close])
                var name = inner, code: String?
                if let paren = inner.firstIndex(of: "("), inner.hasSuffix(")") {
                    name = String(inner[..<paren])
                    code = String(inner[inner.index(after: paren)..<inner.index(before: inner.endIndex)])
                    guard let c = code, !c.isEmpty, c.allSatisfy({ isName($0) || $0 == "-" }) else { return nil }
                }
                guard !name.isEmpty, name.allSatisfy(isName) else { return nil }
                tokens.append(.field(name, code: code))
                i = close + 1
            case "'", "\"":
                guard let close = chars[(i + 1)...].firstIndex(of: c) else { return nil }
                tokens.append(.value(String(chars[(i + 1)..<close])))
                i = close + 1
            case "(": tokens.append(.open); i += 1
            case ")": tokens.append(.close); i += 1
            case "=": tokens.append(.op("=")); i += 1
            case "!":
                guard i + 1 < chars.count, chars[i + 1] == "=" else { return nil }
                tokens.append(.op("<>")); i += 2
            case "<", ">":
                if i + 1 < chars.count, chars[i + 1] == "=" { tokens.append(.op("\(c)=")); i += 2 }
                else if c == "<", i + 1 < chars.count, chars[i + 1] == ">" { tokens.append(.op("<>")); i += 2 }
                else { tokens.append(.op(String(c))); i += 1 }
            default:
                var j = i
                while j < chars.count, isName(chars[j]) || chars[j] == "." || chars[j] == "-" { j += 1 }
                guard j > i else { return nil }
                let word = String(chars[i..<j])
                switch word.lowercased() {
                case "and": tokens.append(.and)
                case "or": tokens.append(.or)
                default:
                    // A bare number; any other word (a function, a smart variable) is not simple.
                    guard NumberParser.parse(word) != nil else { return nil }
                    tokens.append(.value(word))
                }
                i = j
            }
        }
        return tokens
    }

    struct Parser {
        let tokens: [Token]
        var position = 0

        mutating func condition() -> BranchingLogic? { chain(.or, of: { $0.clause() }, BranchingLogic.or) }

        mutating func clause() -> BranchingLogic? { chain(.and, of: { $0.factor() }, BranchingLogic.and) }

        /// `operand (joiner operand)*`, joined from the left.
        mutating func chain(_ joiner: Token, of operand: (inout Parser) -> BranchingLogic?,
                            _ join: (BranchingLogic, BranchingLogic) -> BranchingLogic) -> BranchingLogic? {
            guard var left = operand(&self) else { return nil }
            while position < tokens.count, tokens[position] == joiner {
                position += 1
                guard let right = operand(&self) else { return nil }
                left = join(left, right)
            }
            return left
        }

        mutating func factor() -> BranchingLogic? {
            guard position < tokens.count else { return nil }
            if tokens[position] == .open {
                position += 1
                guard let inner = condition(), position < tokens.count, tokens[position] == .close else { return nil }
                position += 1
                return inner
            }
            guard let a = operand(), position < tokens.count, case .op(let op) = tokens[position] else { return nil }
            position += 1
            guard let b = operand() else { return nil }
            // A comparison of two constants, or of no field, is not a condition on the record.
            if case .value = a, case .value = b { return nil }
            return .compare(a, op, b)
        }

        mutating func operand() -> Operand? {
            guard position < tokens.count else { return nil }
            defer { position += 1 }
            switch tokens[position] {
            case .field(let name, let code): return .field(name, code: code)
            case .value(let text): return .value(text)
            default: position -= 1; return nil
            }
        }
    }
}

extension BranchingLogic {
    /// Every field the condition reads (a checkbox's field, not its column), in order of appearance.
    public var fields: [String] {
        switch self {
        case .compare(let a, _, let b):
            var names: [String] = []
            for case .field(let name, _) in [a, b] { names.append(name) }
            return names
        case .and(let a, let b), .or(let a, let b):
            return a.fields + b.fields
        }
    }
}

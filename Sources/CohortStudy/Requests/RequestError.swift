import CohortData
import CohortReport

/// A request that cannot run as asked, in the request's own words: the field (key) at fault and a
/// message in which other fields are written `{key}`. Each front end names fields its own way
/// (``text(_:)``): the command line as `--max-iterations`, a study file as `'max_iterations'`
/// with the line of the key, so one rule gives one message everywhere (issue 13).
public struct RequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key at fault; nil for the request as a whole.
    public let field: String?
    /// The field's value as the message should show it (`fisher` gives `--test fisher` on the
    /// command line, `'test: fisher'` in a study file); nil: the field's name alone.
    public let value: String?
    /// What is wrong, after the field: "must be ...", "applies to {bootstrap} ...". A field with a
    /// value is written `{key=value}` (`{tests=false}`: `--no-tests`, `'tests: false'`).
    public let message: String

    public init(_ field: String?, value: String? = nil, _ message: String) {
        self.field = field
        self.value = value
        self.message = message
    }

    /// How a front end writes a field, and a field with a value.
    public struct Naming: Sendable {
        public let name: @Sendable (String) -> String
        public let valued: @Sendable (String, String) -> String

        public init(name: @escaping @Sendable (String) -> String, valued: @escaping @Sendable (String, String) -> String) {
            self.name = name
            self.valued = valued
        }

        /// A study file's: `'max_iterations'`, `'tests: false'`.
        public static let studyFile = Naming(name: { "'\($0)'" }, valued: { "'\($0): \($1)'" })
    }

    /// The message with every `{key}` and `{key=value}` (and the field in front) written by `naming`.
    public func text(_ naming: Naming) -> String {
        let body = Self.substitute(message, naming)
        guard let field else { return body }
        return (value.map { naming.valued(field, $0) } ?? naming.name(field)) + " " + body
    }

    /// As a study file writes it: `'key'`.
    public var description: String { text(.studyFile) }

    /// Replaces each `{key}` or `{key=value}` whose key is a field (``FieldNames/all``).
    static func substitute(_ text: String, _ naming: Naming) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else {
                result += "{"
                rest = after
                continue
            }
            let inside = after[..<close]
            let parts = inside.split(separator: "=", maxSplits: 1).map(String.init)
            // Only the fields there are: a brace in a column name or a level stays as written.
            if let key = parts.first, FieldNames.all.contains(key) {
                result += parts.count == 2 ? naming.valued(key, parts[1]) : naming.name(key)
                rest = after[after.index(after: close)...]
            } else {
                result += "{"
                rest = after
            }
        }
        return result + rest
    }
}

extension NumberRule {
    /// Throws a ``RequestError`` of `field` when `value` is outside the rule.
    func check(_ field: String, _ value: Double) throws(RequestError) {
        if !accepts(value) { throw RequestError(field, "must be \(expected), got \(NumberText.shortest(value))") }
    }

    /// A whole-number field, its value written as the integer it is.
    func check(_ field: String, _ value: Int) throws(RequestError) {
        if !accepts(Double(value)) { throw RequestError(field, "must be \(expected), got \(value)") }
    }
}

/// The fields of every request and of the style: what `{key}` in a message may name. Library
/// errors (`ModelError`, `TimeToEventError`, `SuppressionError`) write options this way too, so a
/// message says `--event` on the command line and `'event'` in a study file (issue 13).
public enum FieldNames {
    public static let all: Set<String> = Set(AnalysisKinds.entries.flatMap(\.keys) + StudyOptions.fields.map(\.key))

    /// `message` (a library error's text) with its fields written by `naming`.
    public static func written(_ message: String, _ naming: RequestError.Naming) -> String {
        RequestError.substitute(message, naming)
    }
}

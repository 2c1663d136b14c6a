import ArgumentParser
import CohortData

/// A whole-number option read as any number the user may type (`1e19`, `9223372036854775807`), so
/// that a value out of range is checked by its ``NumberRule`` and refused with the option's name
/// and range, instead of the parser's bare "invalid value" or an `Int` that traps later.
struct NumberArgument: ExpressibleByArgument, Equatable {
    let value: Double
    /// As typed, for messages.
    let text: String

    init?(argument: String) {
        guard let value = Double(argument) else { return nil }
        self.value = value
        text = argument
    }

    init(_ value: Int) {
        self.value = Double(value)
        text = String(value)
    }

    var defaultValueDescription: String { text }

    /// The value as a whole number, or a usage error naming `option` and the rule's range.
    func whole(_ option: String, _ rule: NumberRule) throws -> Int {
        if let problem = rule.problem(option, value, as: text) { throw ValidationError(problem) }
        guard let whole = rule.whole(value) else { throw ValidationError("\(option) must be \(rule.expected), got \(text)") }
        return whole
    }
}

extension NumberRule {
    /// Throws a usage error naming `option` when `value` is outside the rule.
    func check(_ option: String, _ value: Double) throws {
        if let problem = problem(option, value) { throw ValidationError(problem) }
    }
}

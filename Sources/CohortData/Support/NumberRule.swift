/// The values a number given by the user (a command-line option, a YAML key, a formula parameter)
/// may take, and the message when it is outside them.
///
/// Issue 12: an out-of-range number must be an error naming the option or key and the accepted
/// range, never a trap (`Int(1e19)`), an array sized by the user, or a silent clamp. Each kind of
/// number has one rule (the catalogue of option rules is `InputRules` in CohortReport; formula
/// parameters carry theirs in ``DerivedFunction/Parameter``), and every front end that reads that
/// number checks it with the rule, so the same value gets the same answer from a flag and a file.
public struct NumberRule: Sendable, Equatable {
    public let lowest: Double
    public let highest: Double
    /// Whether `lowest` itself is accepted (a confidence level is above 0, not 0).
    public let includesLowest: Bool
    public let includesHighest: Bool
    public let wholeNumbers: Bool
    /// A typical value, shown in the message ("for example 0.95").
    public let example: String?

    public init(_ range: ClosedRange<Double>, wholeNumbers: Bool = false, includesLowest: Bool = true, includesHighest: Bool = true,
                example: String? = nil) {
        lowest = range.lowerBound
        highest = range.upperBound
        self.wholeNumbers = wholeNumbers
        self.includesLowest = includesLowest
        self.includesHighest = includesHighest
        self.example = example
    }

    /// Non-negative numbers without an upper limit but the largest finite double.
    public static func atLeast(_ lowest: Double, includingIt: Bool = true, wholeNumbers: Bool = false) -> NumberRule {
        NumberRule(lowest...Double.greatestFiniteMagnitude, wholeNumbers: wholeNumbers, includesLowest: includingIt)
    }

    public func accepts(_ value: Double) -> Bool {
        guard value.isFinite, !wholeNumbers || value.isWholeNumber else { return false }
        return (includesLowest ? value >= lowest : value > lowest) && (includesHighest ? value <= highest : value < highest)
    }

    /// What is accepted, in words: "a whole number between 1 and 100000".
    public var expected: String {
        let kind = wholeNumbers ? "a whole number" : "a number"
        let (low, high) = (NumberText.shortest(lowest), NumberText.shortest(highest))
        var text: String
        if highest == .greatestFiniteMagnitude {
            text = "\(kind) \(includesLowest ? "of at least" : "greater than") \(low)"
        } else {
            let ends = switch (includesLowest, includesHighest) {
            case (true, true): ""
            case (false, false): ", both excluded"
            case (false, true): ", \(low) excluded"
            case (true, false): ", \(high) excluded"
            }
            text = "\(wholeNumbers ? "a whole number " : "")between \(low) and \(high)\(ends)"
        }
        if let example { text += " (for example \(example))" }
        return text
    }

    /// nil when `value` is accepted; else "`name` must be EXPECTED, got TEXT" (`text`: the value as
    /// the user wrote it, else as a number).
    public func problem(_ name: String, _ value: Double, as text: String? = nil) -> String? {
        accepts(value) ? nil : "\(name) must be \(expected), got \(text ?? NumberText.shortest(value))"
    }

    /// The accepted whole number as an `Int` (nil when not accepted; never traps).
    public func whole(_ value: Double) -> Int? {
        accepts(value) && wholeNumbers ? Int(exactly: value) : nil
    }
}

extension Double {
    /// Whether the value is a whole number (as `x == x.rounded()`: infinities are, NaN is not),
    /// without the C library's `round`, a call on baseline x86-64 that validating a long table made
    /// once a value.
    @inline(__always)
    public var isWholeNumber: Bool {
        // Every double of magnitude 2^52 or more is whole; below, the conversion is exact.
        if magnitude < 0x1p52 { return Double(Int64(self)) == self }
        return !isNaN
    }
}

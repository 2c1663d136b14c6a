import CohortReport
/// How a computed figure is printed to be compared with the published text, character for
/// character.
public enum FigureFormat: String, Sendable, CaseIterable {
    /// A count, or the k of a proportion: `127`.
    case integer
    /// k/n: `12/127`.
    case fraction
    /// 100 k/n to 0 or 1 decimal with `%`, half away from zero (as every table): `15%`, `9.4%`.
    case percent0, percent1
    /// At most one decimal, a whole number without `.0`: `17.5`, `86`.
    case number
    /// A P value as Blood Advances prints it: `.01`, `.04`, `<.01`.
    case pJournal = "p_journal"
    /// A P value to two significant digits: `0.0083`.
    case sig2

    /// `value` printed this way, or nil when the format does not apply to it (a P value asked for
    /// as a fraction).
    public func render(_ value: FigureValue) -> String? {
        switch (self, value) {
        case (.integer, .count(let k)), (.integer, .proportion(let k, _)): return String(k)
        case (.fraction, .proportion(let k, let n)): return "\(k)/\(n)"
        case (.percent0, .proportion(let k, let n)): return Self.percent(k, n, decimals: 0)
        case (.percent1, .proportion(let k, let n)): return Self.percent(k, n, decimals: 1)
        case (.number, .number(let x)):
            let text = NumberStyle.fixed(x, decimals: 1)
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        case (.pJournal, .test(let p, _)): return NumberStyle(pValues: .journal).pValue(p)
        case (.sig2, .test(let p, _)): return NumberStyle(significantDigits: 2).number(p)
        default: return nil
        }
    }

    /// 100 k/n with `%`, rounded as every table rounds a percentage (``NumberStyle/percent(_:)``).
    static func percent(_ k: Int, _ n: Int, decimals: Int) -> String? {
        guard n > 0 else { return nil }
        return NumberStyle(percentDecimals: decimals).percent(Double(k) / Double(n)) + "%"
    }
}

/// What an analysis computed for a figure.
public enum FigureValue: Sendable, Equatable {
    case count(Int)
    case proportion(k: Int, n: Int)
    case number(Double)
    /// A test: its P and the direction of the effect when it has one (higher, lower, positive,
    /// negative).
    case test(p: Double, direction: String?)

    /// The unrounded number behind the figure: a count, k/n, the value, or the P of a test.
    public var number: Double {
        switch self {
        case .count(let k): Double(k)
        case .proportion(let k, let n): n > 0 ? Double(k) / Double(n) : .nan
        case .number(let x): x
        case .test(let p, _): p
        }
    }

    /// The value as the reproduce table shows it for a figure printed as words.
    var described: String {
        switch self {
        case .count(let k): String(k)
        case .proportion(let k, let n): "\(k)/\(n)"
        case .number(let x): NumberStyle.standard.number(x)
        case .test(let p, let direction):
            NumberStyle.standard.pStatement(p) + (p < 0.001 ? " (\(NumberStyle(significantDigits: 2).number(p)))" : "") + (direction.map { ", \($0)" } ?? "")
        }
    }

    /// True when every expectation holds.
    func satisfies(_ expectations: [Expectation]) -> Bool {
        guard case .test(let p, let direction) = self else { return false }
        return expectations.allSatisfy { expectation in
            switch expectation {
            case .pBelow(let limit): p < limit
            case .pAtLeast(let limit): p >= limit
            case .direction(let expected): direction == expected
            }
        }
    }
}

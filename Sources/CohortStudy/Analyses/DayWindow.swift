import CohortData

/// An inclusive window of study days, written `first...last` as in a codebook formula
/// (`min(labs.platelets, days = 0...28)`), parsed by the formula reader so the two read alike.
/// A study file writes `days: 0...28` (or `days: [0, 28]`); the provenance records `"0...28"`.
public struct DayWindow: Sendable, Equatable, Codable, CustomStringConvertible {
    public var first: Double
    public var last: Double

    public init(_ first: Double, _ last: Double) {
        self.first = first
        self.last = last
    }

    /// Days 0 to 28, the window the issue asks about (the first four weeks after infusion).
    public static let standard = DayWindow(0, 28)

    public var range: ClosedRange<Double> { first...last }

    public var description: String { "\(NumberText.shortest(first))...\(NumberText.shortest(last))" }

    /// `text` as `first...last` (whole or decimal days, negative allowed), or why it is not one.
    public static func parse(_ text: String) -> Result<DayWindow, RequestError> {
        let what = "must be a window of study days first...last, such as 0...28"
        guard let formula = try? DerivedFormula.parse(text), case .range(let range) = formula.expression else {
            return .failure(RequestError("days", value: text, what))
        }
        guard range.lowerBound.isFinite, range.upperBound.isFinite else { return .failure(RequestError("days", value: text, "\(what), with finite ends")) }
        return .success(DayWindow(range.lowerBound, range.upperBound))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let pair = try? container.decode([Double].self) {
            guard pair.count == 2, pair[0] <= pair[1] else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a window is two days, first <= last")
            }
            self.init(pair[0], pair[1])
            return
        }
        switch Self.parse(try container.decode(String.self)) {
        case .success(let window): self = window
        case .failure(let problem): throw DecodingError.dataCorruptedError(in: container, debugDescription: problem.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

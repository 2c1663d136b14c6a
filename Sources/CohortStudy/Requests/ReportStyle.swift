import CohortData
import CohortReport

/// How tables print numbers and which counts they hide: one value for a command's `--p-style`,
/// `--percent-decimals` and `--suppress-below` and a study file's `options:`, with the same names
/// and rules (issue 13: the suppress-below-2 rule and the P-style names were written three times).
public struct ReportStyle: Sendable, Equatable, Codable {
    public enum PStyle: String, Sendable, CaseIterable, Codable {
        /// `0.020`, `<0.001`.
        case standard
        /// Blood Advances: `.02`, `<.01`.
        case journal
    }

    public var pStyle: PStyle = .standard
    /// Digits after the point of percentages.
    public var percentDecimals: Int = 1
    /// Counts 1..K-1 are hidden (``CohortReport/Suppression``); 0 or 1: nothing hidden.
    public var suppressBelow: Int = 0

    public init(pStyle: PStyle = .standard, percentDecimals: Int = 1, suppressBelow: Int = 0) {
        self.pStyle = pStyle
        self.percentDecimals = percentDecimals
        self.suppressBelow = suppressBelow
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case pStyle = "p_style", percentDecimals = "percent_decimals", suppressBelow = "suppress_below"
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("p_style", "one of standard, journal", default: "standard", "P values as 0.020 and <0.001 (standard) or .02 and <.01 (journal, Blood Advances)."),
        FieldDoc("percent_decimals", "a whole number from 0 to 4", default: "1", "Digits after the point of percentages."),
        FieldDoc("suppress_below", "a whole number: 0, 1, or 3 to 1000000", default: "0",
                 "Small-cell suppression for sharing: counts 1..K-1 print as <K, with further cells hidden where a total would reveal them; outputs that cannot be suppressed are refused by a command and left out of a report. 0 or 1: nothing hidden."),
    ]

    /// The rules of the three values, in the request layer's words.
    public func validate() throws(RequestError) {
        try InputRules.percentDecimals.check("percent_decimals", percentDecimals)
        if suppressBelow == 2 {
            // Zeros are shown, so a `<2` can only be 1: nothing would be hidden.
            throw RequestError("suppress_below", "2 would print each 1 as <2, which (zeros being shown) still says it is 1; use 3 or more (0 hides nothing)")
        }
        try InputRules.suppressBelow.check("suppress_below", suppressBelow)
    }

    public var suppression: Suppression { suppressBelow > 1 ? Suppression(below: suppressBelow) : .none }

    /// The style every table builder takes.
    public var numberStyle: NumberStyle {
        NumberStyle(pValues: pStyle == .journal ? .journal : .threeDecimals, percentDecimals: percentDecimals, suppression: suppression)
    }
}

extension ReportStyle {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(pStyle: try c.value(.pStyle) ?? .standard, percentDecimals: try c.value(.percentDecimals) ?? 1,
                  suppressBelow: try c.value(.suppressBelow) ?? 0)
    }
}

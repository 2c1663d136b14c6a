import CohortData
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place that decides how numbers look in tables: digits, P values, percentages, missing
/// values, and which small counts are hidden (the journal style and sharing rules every table
/// builder takes as its `style:` argument).
/// Formatting goes through C's `snprintf`, which rounds correctly and never depends on a locale
/// setting here (the C locale is in force), so output is identical on every machine.
public struct NumberStyle: Sendable, Equatable {
    public enum PValueStyle: Sendable, Equatable {
        /// `0.020`, `<0.001`.
        case threeDecimals
        /// Blood Advances: rounded to two decimals without the leading zero, `.02`; `<.01` when it
        /// rounds to .00. Johnsrud 2021 prints Fisher's P = 0.0083 as `.01` (shared facts), so the
        /// journal rounds rather than writing every P below .01 as `<.01`.
        case journal
    }

    public var significantDigits: Int
    public var pValues: PValueStyle
    /// Shown for a value that does not exist (aliased coefficient, interval not computed).
    public var missing: String
    /// Digits after the point of percentages and their interval limits (1: `12.5%`).
    public var percentDecimals: Int
    /// Small-cell suppression applied to every count the builders print (`.none` by default).
    public var suppression: Suppression

    public init(significantDigits: Int = 4, pValues: PValueStyle = .threeDecimals, missing: String = "—",
                percentDecimals: Int = 1, suppression: Suppression = .none) {
        self.significantDigits = significantDigits
        self.pValues = pValues
        self.missing = missing
        self.percentDecimals = percentDecimals
        self.suppression = suppression
    }

    /// The journal style (Blood Advances): P as `.01`/`<.01`, percentages to one decimal.
    public static let journal = NumberStyle(pValues: .journal)

    /// A proportion (0...1) as a percentage with `percentDecimals` digits, without the % sign.
    ///
    /// Halves round away from zero, the schoolbook rule journals print with (9/16 = 56.25% prints
    /// 56.3, where C's `printf` would give the round-half-even 56.2). A proportion k/n that lies on a
    /// half in exact arithmetic can land a few ulps below it in binary, so values within 1e-9 of a
    /// half count as the half.
    public func percent(_ proportion: Double) -> String {
        guard proportion.isFinite else { return Self.fixed(proportion, decimals: percentDecimals) }
        let scale = (0..<percentDecimals).reduce(1.0) { value, _ in value * 10 }
        let scaled = abs(proportion * 100 * scale)
        let lower = scaled.rounded(.down)
        let units = scaled - lower >= 0.5 - 1e-9 ? lower + 1 : lower
        // Below 10¹¹ units the quotient's nearest double prints back as `units` with the point put
        // in (its error is under a thousandth of the last digit), so the digits are written
        // directly: a C call a cell cost a tenth of describing a wide file (issue 12).
        if units < 1e11 {
            var digits = String(Int64(units))
            if percentDecimals > 0 {
                if digits.utf8.count <= percentDecimals { digits = String(repeating: "0", count: percentDecimals + 1 - digits.utf8.count) + digits }
                digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -percentDecimals))
            }
            // fixed prints no sign on a zero.
            return proportion < 0 && units > 0 ? "-" + digits : digits
        }
        return Self.fixed((proportion < 0 ? -units : units) / scale, decimals: percentDecimals)
    }

    public static let standard = NumberStyle()

    /// The style without suppression: the time-to-event tables do not suppress (their notes say
    /// so), and their table JSON says `"suppressBelow": null`.
    var unsuppressed: NumberStyle {
        var style = self
        style.suppression = .none
        return style
    }

    /// `x` with `decimals` digits after the point.
    /// A confidence level as a label: 0.95 → "95%", 0.975 → "97.5%".
    public static func levelPercent(_ level: Double) -> String {
        let percent = level * 100
        return fixed(percent, decimals: percent == percent.rounded() ? 0 : 1) + "%"
    }

    public static func fixed(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "Inf" : "-Inf") }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = withVaList([Int32(decimals), x]) { vsnprintf(&buffer, 64, "%.*f", $0) }
        var text = String(decoding: buffer.prefix(Int(count)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { text.removeFirst() }
        return text
    }

    /// About `significantDigits` significant digits, in fixed notation between 1e-4 and 1e7 and
    /// in scientific notation outside, as R's `format` does for coefficient tables.
    public func number(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? missing : (x > 0 ? "Inf" : "-Inf") }
        if x == 0 { return "0" }
        let magnitude = PortableMath.decimalExponent(x)
        if magnitude < -4 || magnitude >= 7 {
            var buffer = [CChar](repeating: 0, count: 64)
            let count = withVaList([Int32(significantDigits - 1), x]) { vsnprintf(&buffer, 64, "%.*e", $0) }
            return String(decoding: buffer.prefix(Int(count)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return Self.fixed(x, decimals: max(0, significantDigits - 1 - magnitude))
    }

    public func pValue(_ p: Double) -> String {
        guard p.isFinite else { return missing }
        switch pValues {
        case .threeDecimals:
            return p < 0.001 ? "<0.001" : Self.fixed(p, decimals: 3)
        case .journal:
            let text = Self.fixed(p, decimals: 2)
            if text == "0.00" { return "<.01" }
            return text.hasPrefix("0") ? String(text.dropFirst()) : text
        }
    }

    /// "P = 0.020" or "P < 0.001": a P value inside a sentence.
    public func pStatement(_ p: Double) -> String {
        let text = pValue(p)
        return text.hasPrefix("<") ? "P " + text.prefix(1) + " " + text.dropFirst() : "P = " + text
    }

    /// An interval as `lower, upper` (or `lower to upper` when a bound is negative, which reads better).
    public func interval(_ lower: Double, _ upper: Double) -> String {
        let separator = lower < 0 || upper < 0 ? " to " : ", "
        return number(lower) + separator + number(upper)
    }
}

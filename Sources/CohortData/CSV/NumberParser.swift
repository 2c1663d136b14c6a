#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decimal text to `Double`, correctly rounded.
///
/// Accepts `[+-]digits[.digits][(e|E)[+-]digits]` (at least one digit), with surrounding spaces. No
/// hexadecimal, `inf` or `nan` words: a cohort file that says "inf" has an entry error, not infinity.
/// A decimal beyond the double range (`1e400`) is not a number either, rather than a silent infinity.
/// Clinger's fast path: when the decimal significand is at most 2⁵³ and the power of ten is at most
/// 22 in magnitude, both are exact doubles and one multiplication or division rounds correctly.
/// Anything else goes to the C library's `strtod`, which is correctly rounded on glibc.
enum NumberParser {
    private static let powersOfTen: [Double] = (0...22).map { Double(sign: .plus, exponent: 0, significand: 1) * pow(10.0, Double($0)) }

    /// - Parameter decimalComma: accept `,` as the decimal mark as well as `.` (files written with a
    ///   semicolon delimiter, R's `read.csv2` convention).
    static func parse(_ field: UnsafeBufferPointer<UInt8>, decimalComma: Bool = false) -> Double? {
        var start = 0, end = field.count
        while start < end, field[start] == 0x20 { start += 1 }
        while end > start, field[end - 1] == 0x20 { end -= 1 }
        guard start < end else { return nil }
        var i = start
        var negative = false
        if field[i] == 0x2D || field[i] == 0x2B { negative = field[i] == 0x2D; i += 1 }
        // Up to 19 digits always fit a UInt64 (10¹⁹ < 2⁶⁴); more digits go to strtod.
        var mantissa: UInt64 = 0
        var digits = 0, exponent = 0
        while i < end {
            let d = field[i] &- 0x30
            if d >= 10 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            digits += 1; i += 1
        }
        var commaAt: Int?
        if i < end, field[i] == 0x2E || (decimalComma && field[i] == 0x2C) {
            if field[i] == 0x2C { commaAt = i }
            i += 1
            while i < end {
                let d = field[i] &- 0x30
                if d >= 10 { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                digits += 1; exponent -= 1; i += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < end, field[i] | 0x20 == 0x65 {  // e or E
            i += 1
            var expNegative = false
            if i < end, field[i] == 0x2D || field[i] == 0x2B { expNegative = field[i] == 0x2D; i += 1 }
            var e = 0, expDigits = 0
            while i < end, field[i] &- 0x30 < 10 {
                if e < 100_000 { e = e * 10 + Int(field[i] &- 0x30) }
                expDigits += 1; i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == end else { return nil }
        // Clinger's fast path: the mantissa (≤ 2⁵³) and 10^|exponent| (≤ 10²²) are exact doubles, so
        // one multiplication or division rounds correctly.
        if digits <= 19, mantissa <= 1 << 53, abs(exponent) <= 22 {
            let m = Double(Int64(truncatingIfNeeded: mantissa))  // one instruction, unlike UInt64
            let value = exponent >= 0 ? m * powersOfTen[exponent] : m / powersOfTen[-exponent]
            return negative ? -value : value
        }
        return slowPath(field, from: start, to: end, commaAt: commaAt)
    }

    /// The same rules for text outside a data file (codebook values, formulas, options), and for
    /// the levels of a column read as text that a codebook declares numeric.
    static func parse(_ text: String, decimalComma: Bool = false) -> Double? {
        var text = text
        return text.withUTF8 { parse($0, decimalComma: decimalComma) }
    }

    /// True when `text` is written as a decimal but lies beyond the double range (`1e400`): the
    /// one kind of well-formed number ``parse(_:decimalComma:)`` refuses, which deserves its own
    /// message rather than "not a number".
    static func isBeyondRange(_ text: String, decimalComma: Bool = false) -> Bool {
        let bytes = Array(text.utf8)
        var i = 0, end = bytes.count
        while i < end, bytes[i] == 0x20 { i += 1 }
        while end > i, bytes[end - 1] == 0x20 { end -= 1 }
        func digits() -> Int {
            let from = i
            while i < end, bytes[i] &- 0x30 < 10 { i += 1 }
            return i - from
        }
        if i < end, bytes[i] == 0x2D || bytes[i] == 0x2B { i += 1 }
        var count = digits()
        if i < end, bytes[i] == 0x2E || (decimalComma && bytes[i] == 0x2C) { i += 1; count += digits() }
        guard count > 0 else { return false }
        if i < end, bytes[i] | 0x20 == 0x65 {
            i += 1
            if i < end, bytes[i] == 0x2D || bytes[i] == 0x2B { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == end && parse(text, decimalComma: decimalComma) == nil
    }

    /// True for the spellings of a number this reader refuses on purpose: `inf`, `infinity` and
    /// `nan` in any case and with a sign, hexadecimal (`0x1A`), and decimals beyond the double
    /// range. Such a token in a column of numbers is an entry or export error to report, not a
    /// reason to read the column as categories (issue 12).
    static func isRefusedNumber(_ text: String, decimalComma: Bool = false) -> Bool {
        var word = Substring(text.trimmingSpaces().lowercased())
        if word.first == "-" || word.first == "+" { word = word.dropFirst() }
        if ["inf", "infinity", "nan"].contains(word) { return true }
        if word.hasPrefix("0x"), word.count > 2, word.dropFirst(2).allSatisfy({ $0.isHexDigit || $0 == "." || $0 == "p" || $0 == "-" || $0 == "+" }) {
            return true
        }
        return isBeyondRange(text, decimalComma: decimalComma)
    }

    /// What is wrong with `text` as a number, for messages: the one wording for declared and
    /// inferred numeric columns. `inf` and `0x1A` are simply not numbers here (the malformed-file
    /// corpus pins that wording).
    static func refusal(_ text: String, decimalComma: Bool = false) -> String {
        // `1e400` is a number, just not one a double holds: say so, not "not a number".
        isBeyondRange(text, decimalComma: decimalComma) ? "is too large to store as a number (beyond ±1.8e308)" : "is not a number"
    }

    private static func slowPath(_ field: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, commaAt: Int?) -> Double? {
        var buffer = [CChar](repeating: 0, count: end - start + 1)
        for k in start..<end { buffer[k - start] = CChar(bitPattern: k == commaAt ? 0x2E : field[k]) }
        return buffer.withUnsafeBufferPointer { p -> Double? in
            var endPointer: UnsafeMutablePointer<CChar>?
            let value = strtod(p.baseAddress!, &endPointer)
            guard let endPointer, endPointer - UnsafeMutablePointer(mutating: p.baseAddress!) == end - start, value.isFinite
            else { return nil }
            return value
        }
    }
}

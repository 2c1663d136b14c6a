/// A column of numbers in 32 bits a value where the value allows it, every value given back bit for
/// bit: the one rule by which the CSV reader (for linked long tables) and the linked tables store
/// numbers (issue 15: `cohort derive` in memory near the input size).
///
/// Laboratory values are written with a few decimals (`3.61`, `1.26`, `399`), so as doubles they
/// cost 8 bytes for 4.7 bytes of text. Here a value is a 32-bit word:
/// - low 4 bits `t` from 0 to 14: the value is `Double(m) / 10^t`, `m` the word's upper 28 bits
///   (signed, |m| < 2^27, nine digits);
/// - `t` = 15: the upper bits index ``exceptions`` (the value as a double), or are -1 for missing.
///
/// Why no value changes: `10^t` is exact in binary for `t <= 22` and IEEE 754 division is correctly
/// rounded, so `Double(m) / 10^t` is the double nearest the decimal `m / 10^t`, which is what the
/// reader produced from the text. The encoder does not rely on that argument alone: it keeps a word
/// only when decoding it gives back the value bit for bit, and otherwise keeps the double as an
/// exception (`-0`, values of more than nine digits, computed ones). NaN is missing (its payload is
/// not kept).
public struct CompactNumbers: Sendable, RandomAccessCollection {
    public private(set) var words: [Int32]
    /// The values no word holds, in order of first storage.
    public private(set) var exceptions: [Double]

    static let missingWord: Int32 = -1
    private static let exceptionTag: Int32 = 15
    /// 10^0 ... 10^14, exact doubles. Written as literals so that the optimizer lays the array down
    /// statically: a computed one is initialised lazily, and every decode in a hot loop paid for the
    /// check (`swift_once`, about 4% of a derive).
    private static let powers: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14]
    private static let mantissaLimit: Double = 134_217_728  // 2^27
    /// Exception indices fit the word's upper 28 bits: a column with more values that no word
    /// holds (134 million) is beyond this store.
    private static let exceptionLimit = 1 << 27

    public init() {
        words = []
        exceptions = []
    }

    /// The values (NaN missing), each in a word where it round-trips exactly.
    public init<C: Collection>(_ values: C) where C.Element == Double {
        var exceptions: [Double] = []
        var hint = 0
        words = values.map { Self.encode($0, hint: &hint, exceptions: &exceptions) }
        self.exceptions = exceptions
    }

    private init(words: [Int32], exceptions: [Double]) {
        self.words = words
        self.exceptions = exceptions
    }

    /// The word of `x` at `t` decimals, when it decodes to `x` bit for bit.
    @inline(__always)
    static func word(_ x: Double, decimals t: Int) -> Int32? {
        let scaled = x * powers[t]
        guard scaled.magnitude < mantissaLimit else { return nil }
        // Rounded half away from zero in integers: `Double.rounded()` is a C library call on
        // baseline x86-64, and this runs once a value read. Whatever `m` is, the test below keeps
        // the word only when it decodes to `x` bit for bit.
        var m = Int32(scaled)  // toward zero; |scaled| < 2^27
        let fraction = scaled - Double(m)  // exact
        if fraction >= 0.5 { m += 1 } else if fraction <= -0.5 { m -= 1 }
        guard m.magnitude < 1 << 27, Double(m) / powers[t] == x, !(x == 0 && x.sign == .minus) else { return nil }
        return m << 4 | Int32(t)
    }

    /// The word of a decimal read from text, taken from its digits (nil: more digits or decimals
    /// than a word holds, or `-0`). It decodes to the decimal's ``ScannedDecimal/value`` bit for
    /// bit: both are the one correctly rounded quotient of the same exact integer and the same exact
    /// power of ten (`-m / p` rounds to minus `m / p`), so no division is needed to check it.
    @inline(__always)
    static func word(_ decimal: ScannedDecimal) -> Int32? {
        guard decimal.mantissa < 1 << 27, decimal.decimals < Int(exceptionTag), !(decimal.negative && decimal.mantissa == 0) else { return nil }
        let m = Int32(truncatingIfNeeded: decimal.mantissa)
        return (decimal.negative ? -m : m) << 4 | Int32(truncatingIfNeeded: decimal.decimals)
    }

    /// `x`'s word: at the decimals of the value before (`hint`: a column keeps its decimals), else
    /// the fewest that hold it, else an index into `exceptions`.
    @inline(__always)
    static func encode(_ x: Double, hint: inout Int, exceptions: inout [Double]) -> Int32 {
        if x.isNaN { return missingWord }
        if let word = word(x, decimals: hint) { return word }
        if x.magnitude < mantissaLimit {
            for t in 0..<powers.count where t != hint {
                // More decimals only scale further past the limit.
                if (x * powers[t]).magnitude >= mantissaLimit { break }
                if let word = word(x, decimals: t) {
                    hint = t
                    return word
                }
            }
        }
        precondition(exceptions.count < exceptionLimit, "a column of more than 2^27 numbers that 32 bits do not hold")
        exceptions.append(x)
        return Int32(exceptions.count - 1) << 4 | exceptionTag
    }

    @inline(__always)
    static func decode(_ word: Int32, _ exceptions: UnsafeBufferPointer<Double>) -> Double {
        let t = word & 15
        // Whole numbers (study days, counts) skip the division, the costly part of a decode.
        if t == 0 { return Double(word >> 4) }
        if t != exceptionTag { return Double(word >> 4) / powers[Int(t)] }
        return word < 0 ? .nan : exceptions[Int(word >> 4)]
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { words.count }

    @inline(__always)
    public subscript(k: Int) -> Double {
        let word = words[k]
        let t = word & 15
        if t == 0 { return Double(word >> 4) }
        if t != Self.exceptionTag { return Double(word >> 4) / Self.powers[Int(t)] }
        return word < 0 ? .nan : exceptions[Int(word >> 4)]
    }

    /// Calls `body` with each position and value outside `low...high` (or, with `whole`, not a whole
    /// number), in order; missing values are never outside. Decided on the words' integers without
    /// decoding: a word's value `m / 10^t` never decreases as `m` grows (a correctly rounded quotient
    /// is monotone), so for each `t` the `m` inside the range form one interval, found once by
    /// decoding near its ends; and `m / 10^t` is whole exactly when `10^t` divides `m` (otherwise it
    /// lies at least `10^-t` from a whole number, far more than a rounding of a value below 2^27).
    public func forEachValue(outside low: Double, _ high: Double, whole: Bool, _ body: (Int, Double) throws -> Void) rethrows {
        let largest = Int32(1 << 27) - 1
        var lowest = [Int32](repeating: 0, count: Self.powers.count), highest = lowest
        var divisor = [Int](repeating: 1, count: Self.powers.count)
        for t in Self.powers.indices {
            let decode = { (m: Int32) in Double(m) / Self.powers[t] }
            func guess(_ x: Double) -> Int32 {
                let scaled = x * Self.powers[t]
                return scaled.isNaN ? 0 : Int32(Swift.max(-Double(largest), Swift.min(Double(largest), scaled.rounded(.towardZero))))
            }
            var m = guess(low)
            while m > -largest, decode(m - 1) >= low { m -= 1 }
            while m <= largest, decode(m) < low { m += 1 }
            lowest[t] = m
            m = guess(high)
            while m < largest, decode(m + 1) <= high { m += 1 }
            while m >= -largest, decode(m) > high { m -= 1 }
            highest[t] = m
            if whole { divisor[t] = Int(Self.powers[t]) }
        }
        try words.withUnsafeBufferPointer { words in
            try exceptions.withUnsafeBufferPointer { exceptions in
                for k in words.indices {
                    let word = words[k], t = Int(word & 15)
                    if t != Int(Self.exceptionTag) {
                        let m = word >> 4
                        if m >= lowest[t], m <= highest[t], divisor[t] == 1 || Int(m) % divisor[t] == 0 { continue }
                        try body(k, Self.decode(word, exceptions))
                    } else if word >= 0 {
                        let x = exceptions[Int(word >> 4)]
                        if !x.isNaN, !(x >= low && x <= high && (!whole || x.isWholeNumber)) { try body(k, x) }
                    }
                }
            }
        }
    }

    /// Whether every value is held in its word (none is an exception).
    public var isCompact: Bool { exceptions.isEmpty }

    /// The values at `positions`, in that order, as doubles.
    public func gathering<C: Collection>(_ positions: C) -> [Double] where C.Element == Int32 {
        words.withUnsafeBufferPointer { words in
            exceptions.withUnsafeBufferPointer { exceptions in
                positions.map { Self.decode(words[Int($0)], exceptions) }
            }
        }
    }

    /// The values at `positions`, in that order, stored the same way (the exceptions shared: their
    /// indices stay valid).
    public func keeping<C: Collection>(_ positions: C) -> CompactNumbers where C.Element == Int32 {
        let kept = words.withUnsafeBufferPointer { words in positions.map { words[Int($0)] } }
        return CompactNumbers(words: kept, exceptions: exceptions)
    }

    /// Appends `other`'s values (its exception indices moved past this column's).
    public mutating func append(contentsOf other: CompactNumbers) {
        other.words.withUnsafeBufferPointer { append($0, exceptions: other.exceptions) }
    }

    /// Appends the values of `words` whose exceptions are `others` (the reader's pieces).
    mutating func append(_ words: UnsafeBufferPointer<Int32>, exceptions others: [Double]) {
        precondition(exceptions.count + others.count <= Self.exceptionLimit, "a column of more than 2^27 numbers that 32 bits do not hold")
        let shift = Int32(exceptions.count) << 4
        if shift == 0 || others.isEmpty {
            self.words += words
        } else {
            self.words += words.lazy.map { $0 >= 0 && $0 & 15 == Self.exceptionTag ? $0 &+ shift : $0 }
        }
        exceptions += others
    }

    /// Room for `count` words, so that joining pieces allocates once.
    public mutating func reserveCapacity(_ count: Int) { words.reserveCapacity(count) }
}

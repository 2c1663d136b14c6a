/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014):
/// a seeded generator whose stream is the same on every platform and Swift version (Swift's default
/// generator cannot be seeded, and the algorithm behind `Int.random(in:using:)` is not promised).
///
/// ```
/// state ← state + γ,  γ = 0x9E3779B97F4A7C15 (the golden ratio in 64 bits)
/// output = mix(state)
/// mix(z): z ← (z ⊕ z≫30)·0xBF58476D1CE4E5B9;  z ← (z ⊕ z≫27)·0x94D049BB133111EB;  z ⊕ z≫31
/// ```
/// The one generator of the toolkit: the bootstrap draws with it, and the tests' `SeededGenerator`
/// is this type.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The finaliser (a variant of MurmurHash3's fmix64): a bijection of UInt64 whose every output
    /// bit depends on every input bit.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 {
        state &+= Self.gamma
        return Self.mix(state)
    }

    /// The generator of stream `index` under `seed`: seeded with mix(seed ⊕ mix((index + 1)·γ)).
    ///
    /// Each bootstrap replicate draws from its own stream, so replicate r's sample depends only on
    /// (seed, r): not on the number of threads or on which thread ran it. Mixing the index before
    /// combining keeps nearby seeds and nearby indices from giving overlapping, shifted streams
    /// (SplitMix64 seeded with s and s + γ would produce the same sequence one step apart).
    public static func stream(seed: UInt64, index: Int) -> SplitMix64 {
        SplitMix64(seed: mix(seed ^ mix((UInt64(truncatingIfNeeded: index) &+ 1) &* gamma)))
    }

    /// A uniform integer in 0..<bound, without bias, by Lemire's multiply-and-reject method
    /// ("Fast random integer generation in an interval", ACM TOMACS 29, 2019).
    ///
    /// ```
    /// m = x · bound (128-bit);  low = m mod 2⁶⁴
    /// if low < bound: t = (2⁶⁴ - bound) mod bound; while low < t: redraw x
    /// return m ≫ 64
    /// ```
    /// Written out rather than `Int.random(in:using:)` so that the draws, and so the bootstrap's
    /// results for a seed, can never change with the standard library.
    public mutating func bounded(_ bound: Int) -> Int {
        precondition(bound > 0, "bounded(_:) needs a positive bound")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }
}

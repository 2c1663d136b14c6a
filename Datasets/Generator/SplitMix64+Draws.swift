import CohortData
import CohortStats
import Foundation

/// The draws the generator needs, on the toolkit's one seeded generator (CohortStats.SplitMix64),
/// each written out so the stream of values is fixed by this file, not by the standard library.
extension SplitMix64 {
    /// Uniform on [0, 1) from the top 53 bits (exact in a Double, so the stream is platform-independent).
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform on [a, b).
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

    /// A whole number uniform on the inclusive range.
    mutating func integer(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(uniform() * Double(range.count))
    }

    /// Standard normal by Box-Muller (one of the pair; the other is discarded for simplicity).
    mutating func normal() -> Double {
        let u1 = max(uniform(), 0x1.0p-53), u2 = uniform()
        // PortableMath, not the C library: the same draws on every CPU (issue 12). cos(2πu) = sin(π(2u + ½)).
        return (-2 * PortableMath.log(u1)).squareRoot() * PortableMath.sinPi(2 * u2 + 0.5)
    }

    mutating func normal(mean: Double, sd: Double) -> Double { mean + sd * normal() }

    /// Log-normal given its median and the standard deviation of the log.
    mutating func logNormal(median: Double, sdLog: Double) -> Double { median * PortableMath.exp(sdLog * normal()) }

    mutating func exponential(mean: Double) -> Double { -mean * PortableMath.log(1 - uniform()) }

    mutating func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// An index drawn with the given (unnormalised) weights.
    mutating func weighted(_ weights: [Double]) -> Int {
        var u = uniform() * weights.reduce(0, +)
        for (i, w) in weights.enumerated() {
            if u < w { return i }
            u -= w
        }
        return weights.count - 1
    }

    /// Fisher-Yates with this stream (the standard library's shuffle does not promise an algorithm).
    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var a = items
        guard a.count > 1 else { return a }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            a.swapAt(i, integer(0...i))
        }
        return a
    }
}

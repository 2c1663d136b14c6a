/// A stable least-significant-digit radix sort on 64-bit keys, and keys that order as numbers do.
///
/// Used where a comparison sort of 10⁶ values was a visible part of a command's time: the Cox
/// sweep order (``CoxSweepOrder``) and the default knots of a restricted cubic spline
/// (``RestrictedCubicSpline/defaultKnots(count:values:)``). Each pass is one linear scan over one
/// byte of the keys, and a pass is skipped when every key has the same byte there. The result is
/// the order a comparison sort gives (stable: equal keys keep their order), bit for bit.
enum RadixSort {
    /// An integer that orders as x does: the IEEE bits made order-preserving (sign bit flipped for
    /// x ≥ 0, every bit for x < 0). −0 is taken as 0, as the comparison `==` takes it. x not NaN.
    static func ascendingKey(_ x: Double) -> UInt64 {
        let bits = (x == 0 ? 0.0 : x).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// The value of ``ascendingKey(_:)`` (−0 comes back as 0).
    static func value(ofAscendingKey key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }

    /// `values` (no NaN) in ascending order, −0 as 0: what `sorted()` gives, with −0 written 0.
    static func sorted(_ values: [Double]) -> [Double] {
        var keys = values.map(ascendingKey)
        var none: [Int] = []
        sort(&keys, &none)
        return keys.map(value(ofAscendingKey:))
    }

    /// Stable sort of `keys`, moving `payload` with them (an empty payload is left alone).
    static func sort(_ keys: inout [UInt64], _ payload: inout [Int]) {
        let n = keys.count
        let carries = !payload.isEmpty
        precondition(!carries || payload.count == n, "one payload a key")
        var all: UInt64 = ~0, any: UInt64 = 0
        for key in keys {
            all &= key
            any |= key
        }
        let varying = all ^ any
        guard varying != 0 else { return }
        var otherKeys = [UInt64](repeating: 0, count: n), otherPayload = [Int](repeating: 0, count: carries ? n : 0)
        var offsets = [Int](repeating: 0, count: 256)
        for shift in stride(from: UInt64(0), to: 64, by: 8) where (varying >> shift) & 0xFF != 0 {
            keys.withUnsafeBufferPointer { keys in
            payload.withUnsafeBufferPointer { payload in
            otherKeys.withUnsafeMutableBufferPointer { otherKeys in
            otherPayload.withUnsafeMutableBufferPointer { otherPayload in
            offsets.withUnsafeMutableBufferPointer { offsets in
                for value in 0..<256 { offsets[value] = 0 }
                for key in keys { offsets[Int(truncatingIfNeeded: key >> shift) & 0xFF] += 1 }
                var total = 0
                for value in 0..<256 {
                    let count = offsets[value]
                    offsets[value] = total
                    total += count
                }
                for i in 0..<n {
                    let key = keys[i]
                    let value = Int(truncatingIfNeeded: key >> shift) & 0xFF
                    let at = offsets[value]
                    offsets[value] = at + 1
                    otherKeys[at] = key
                    if carries { otherPayload[at] = payload[i] }
                }
            }
            }
            }
            }
            }
            swap(&keys, &otherKeys)
            if carries { swap(&payload, &otherPayload) }
        }
    }
}

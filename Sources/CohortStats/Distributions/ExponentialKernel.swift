/// exp(x) for x ≤ 0 in straight-line arithmetic, so that loops over a block of rows vectorise
/// (a call to the C library's `exp` keeps a loop scalar).
///
/// ```
/// n = round(x / ln 2)                     (by adding and subtracting 1.5·2⁵², no conversion)
/// r = (x - n·ln2_hi) - n·ln2_lo,  |r| ≤ ½ ln 2   (Cody-Waite; n·ln2_hi is exact)
/// exp(r) = Σ_{k≤13} rᵏ/k!                  (truncation error ≤ (½ln2)¹⁴/14! ≈ 4e-18, below ½ ulp)
/// 2ⁿ     = bits((bits(1.5·2⁵² + n) + 1023) << 52)
/// ```
/// Arguments below -708 are clamped there (exp(-708) ≈ 3e-308 instead of a subnormal or 0): every
/// use in the toolkit adds the result to 1 or multiplies it by a bounded factor, where the
/// difference is far below rounding. Accuracy is checked against glibc in
/// `ExponentialKernelTests` (at most 2 ulp over [-708, 0]).
@inline(__always)
func exponentialOfNonPositive(_ x: Double) -> Double {
    exponentialOfNonPositive(SIMD4(repeating: x))[0]
}

/// Four lanes at once: the one implementation (the scalar form is its first lane), written in SIMD
/// types so the compiler emits vector instructions whatever its auto-vectoriser decides.
@inline(__always)
func exponentialOfNonPositive(_ x: SIMD4<Double>) -> SIMD4<Double> {
    let clamped = x.replacing(with: -708, where: x .< -708)
    let magic = SIMD4<Double>(repeating: 6_755_399_441_055_744.0)
    let t = clamped * 1.4426950408889634 + magic
    let n = t - magic
    let r = (clamped - n * 6.93147180369123816490e-01) - n * 1.90821492927058770002e-10
    var p = SIMD4<Double>(repeating: 1.0 / 6_227_020_800)
    p = p * r + 1.0 / 479_001_600
    p = p * r + 1.0 / 39_916_800
    p = p * r + 1.0 / 3_628_800
    p = p * r + 1.0 / 362_880
    p = p * r + 1.0 / 40_320
    p = p * r + 1.0 / 5_040
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let bits = unsafeBitCast(t, to: SIMD4<UInt64>.self)
    let scale = unsafeBitCast((bits &+ 1023) &<< 52, to: SIMD4<Double>.self)
    return p * scale
}

/// Elementary and special functions computed in CohortKit's own arithmetic, so that they give the
/// same bits on every x86-64 CPU.
///
/// Why not the C library: glibc chooses its `exp`, `log`, `pow` (and everything built on them:
/// `log1p`, `expm1`, `lgamma`, `erfc`, ...) by CPU at load time, an FMA build on CPUs that have FMA
/// and an SSE2 build otherwise, and the two round differently in about one call in 1,500 (`exp`)
/// to one in 40,000 (`log`), measured here on 5 million arguments. A coefficient, a P value or a
/// golden file would then differ in its last digit between an older or virtualised CPU and a new
/// one (issue 12). Each function here is a published algorithm written out in plain IEEE
/// arithmetic (no FMA: Swift does not contract, and the build targets baseline x86-64):
///
/// - `exp`: Cody-Waite reduction x = k·ln2 + r, |r| ≤ ½ln2, and the Remez rational form of
///   fdlibm/Tang, exp(r) = 1 + 2r/(R(r) − r) with R(r) = r − r²(P₁ + r²(P₂ + ...)), then 2ᵏ;
/// - `log`: x = 2ᵏ(1 + f), √½ ≤ 1 + f < √2, log(1 + f) = f − (f²/2 − s(f²/2 + R(s²))),
///   s = f/(2 + f), R a Remez polynomial (fdlibm's e_log);
/// - `log1p(x)` = log(u) + (x − (u − 1))/u with u = 1 + x (the rounding of u corrected to first
///   order); `expm1(x)` = (u − 1)·x/log(u) with u = eˣ for |x| < ½ (Kahan), eˣ − 1 otherwise;
/// - `lgamma`: Stirling's series with eight Bernoulli terms for x ≥ 10, shifted up by the
///   recurrence Γ(x + 1) = xΓ(x) below;
/// - `erf`, `erfc`: W. J. Cody's rational Chebyshev approximations (Math. Comp. 23, 1969,
///   631-638; SPECFUN CALERF, 1990), with exp(−x²) split as exp(−z²)·exp(−(x − z)(x + z)),
///   z = x rounded down to 1/16, so the square loses no digit.
///
/// Accuracy, checked against glibc on 400,000 arguments each in `PortableMathTests`: `exp`, `log`
/// and `log1p` within 1 ulp, `expm1` within 3, `erf` and `erfc` within 1e-15 relative in both tails,
/// `lgamma` within 1e-14 below 10 (absolute where |lgamma| < 1, around its zeros at 1 and 2: the
/// upward shift costs a few digits there) and 1e-15 relative above.
public enum PortableMath {
    static let ln2Hi = 6.93147180369123816490e-01  // ln 2 to 32 bits: k·ln2Hi is exact for |k| < 2¹¹
    static let ln2Lo = 1.90821492927058770002e-10
    static let invLn2 = 1.44269504088896338700e+00

    /// eˣ (fdlibm/Tang; within 1 ulp).
    public static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709.782712893383973096 { return .infinity }
        if x < -745.13321910194110842 { return 0 }
        if abs(x) < 0x1p-28 { return 1 + x }
        let k = (x * invLn2).rounded(.toNearestOrEven)
        let hi = x - k * ln2Hi, lo = k * ln2Lo
        let r = hi - lo
        let t = r * r
        let c = r - t * (1.66666666666666019037e-01 + t * (-2.77777777770155933842e-03 + t * (6.61375632143793436117e-05
            + t * (-1.65339022054652515390e-06 + t * 4.13813679705723846039e-08))))
        let y = 1 - ((lo - (r * c) / (2 - c)) - hi)
        return Double(sign: .plus, exponent: Int(k), significand: y)
    }

    /// The natural logarithm (fdlibm's e_log; within 1 ulp).
    public static func log(_ x: Double) -> Double {
        if x.isNaN || x == .infinity { return x }
        if x == 0 { return -.infinity }
        if x < 0 { return .nan }
        // x = 2^k · m, m in [1, 2) (subnormals included: `exponent` and `significand` handle them).
        var k = Double(x.exponent)
        var m = x.significand
        if m > 1.4142135623730951 { m *= 0.5; k += 1 }
        let f = m - 1  // exact: m is within a factor 2 of 1
        let s = f / (2 + f), z = s * s, w = z * z
        let t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01))
        let t2 = z * (6.666666666666735130e-01 + w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)))
        let r = t2 + t1
        let halfSquare = 0.5 * f * f
        return k * ln2Hi - ((halfSquare - (s * (halfSquare + r) + k * ln2Lo)) - f)
    }

    /// log(1 + x), accurate for small x.
    public static func log1p(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x < -1 { return .nan }
        if x == -1 { return -.infinity }
        if abs(x) < 0x1p-54 { return x }
        let u = 1 + x
        if u == .infinity { return log(x) }
        return log(u) + (x - (u - 1)) / u
    }

    /// eˣ − 1, accurate for small x.
    public static func expm1(_ x: Double) -> Double {
        if x.isNaN { return x }
        if abs(x) < 0x1p-54 { return x }
        if abs(x) >= 0.5 { return exp(x) - 1 }
        let u = exp(x)
        if u == 1 { return x }
        return (u - 1) * x / log(u)
    }

    /// log₂ x and log₁₀ x, through `log` (within 2 ulp; exact powers give exact results where the
    /// division rounds to them, as they do for the powers a figure axis uses).
    public static func log2(_ x: Double) -> Double { log(x) / 0.6931471805599453 }
    public static func log10(_ x: Double) -> Double { log(x) / 2.302585092994046 }

    /// 10ᵏ, correctly rounded (parsed, as a decimal literal would be).
    public static func powerOfTen(_ k: Int) -> Double { Double("1e\(k)") ?? .nan }

    /// ⌊log₁₀ |x|⌋ for finite x ≠ 0, exact at powers of ten (where `log10` may land a hair below
    /// the integer): the estimate from `log10`, corrected by comparing x with the powers themselves.
    public static func decimalExponent(_ x: Double) -> Int {
        let magnitude = abs(x)
        var k = Int((log10(magnitude)).rounded(.down))
        if powerOfTen(k + 1) <= magnitude { k += 1 }
        if powerOfTen(k) > magnitude { k -= 1 }
        return k
    }

    /// xʸ as exp(y·log x) for x > 0: for the moderate exponents the toolkit uses (a weight
    /// `(1 − F)^ρ` with ρ ≤ 10); not a general `pow`.
    public static func power(_ x: Double, _ y: Double) -> Double {
        if y == 0 { return 1 }
        if x == 0 { return y > 0 ? 0 : .infinity }
        precondition(x > 0, "PortableMath.power takes a positive base")
        return exp(y * log(x))
    }

    /// log |Γ(x)|.
    public static func lgamma(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x.isInfinite { return .infinity }
        if x <= 0 {
            if x == x.rounded(.down) { return .infinity }  // poles at 0, -1, -2, ...
            // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
            return log(Double.pi / abs(sinPi(x))) - lgamma(1 - x)
        }
        if x == 1 || x == 2 { return 0 }  // Γ(1) = Γ(2) = 1 exactly; the shifted sum would leave rounding
        if x < 10 {
            // Γ(x) = Γ(x + n) / (x (x + 1) ... (x + n − 1)), x + n ≥ 10.
            var shifted = x, product = 1.0
            while shifted < 10 { product *= shifted; shifted += 1 }
            return stirling(shifted) - log(product)
        }
        return stirling(x)
    }

    /// log Γ(x) for x ≥ 10: (x − ½) log x − x + ½ log 2π + Σₖ B₂ₖ / (2k(2k − 1) x²ᵏ⁻¹), eight terms
    /// (the ninth is below 2e-18 at x = 10).
    static func stirling(_ x: Double) -> Double {
        let y = 1 / (x * x)
        let series = (1.0 / 12 + y * (-1.0 / 360 + y * (1.0 / 1260 + y * (-1.0 / 1680 + y * (1.0 / 1188
            + y * (-691.0 / 360360 + y * (1.0 / 156 + y * (-3617.0 / 122400)))))))) / x
        return (x - 0.5) * log(x) - x + 0.91893853320467274178 + series
    }

    /// sin(πx), reduced to [0, ¼] and a Taylor polynomial (for the reflection formula, and the
    /// dataset generator's Box-Muller draws).
    public static func sinPi(_ x: Double) -> Double {
        var t = x.truncatingRemainder(dividingBy: 2)  // exact
        if t < 0 { t += 2 }
        var sign = 1.0
        if t >= 1 { t -= 1; sign = -1 }   // sin(π(t + 1)) = −sin(πt)
        if t > 0.5 { t = 1 - t }          // sin(π(1 − t)) = sin(πt)
        func sinSeries(_ u: Double) -> Double {
            let v = u * u
            return u * (1 + v * (-1.0 / 6 + v * (1.0 / 120 + v * (-1.0 / 5040 + v * (1.0 / 362880 + v * (-1.0 / 39916800
                + v * (1.0 / 6227020800 + v * (-1.0 / 1307674368000))))))))
        }
        func cosSeries(_ u: Double) -> Double {
            let v = u * u
            return 1 + v * (-0.5 + v * (1.0 / 24 + v * (-1.0 / 720 + v * (1.0 / 40320 + v * (-1.0 / 3628800
                + v * (1.0 / 479001600 + v * (-1.0 / 87178291200)))))))
        }
        return sign * (t <= 0.25 ? sinSeries(Double.pi * t) : cosSeries(Double.pi * (0.5 - t)))
    }

    /// erf(x) (Cody).
    public static func erf(_ x: Double) -> Double {
        if x.isNaN { return x }
        let y = abs(x)
        if y <= 0.46875 { return x * smallRatio(y) }
        let tail = erfcPositive(y)
        return x > 0 ? (0.5 - tail) + 0.5 : -((0.5 - tail) + 0.5)
    }

    /// erfc(x) = 1 − erf(x), with relative accuracy in the upper tail (Cody).
    public static func erfc(_ x: Double) -> Double {
        if x.isNaN { return x }
        let y = abs(x)
        if y <= 0.46875 { return 1 - x * smallRatio(y) }
        let tail = erfcPositive(y)
        return x > 0 ? tail : 2 - tail
    }

    /// erf(y)/y for |y| ≤ 0.46875: Cody's R₄₄(y²).
    static func smallRatio(_ y: Double) -> Double {
        let z = y > 1.11e-16 ? y * y : 0
        var numerator = 0.185777706184603153 * z, denominator = z
        for (a, b) in [(3.1611237438705656, 23.6012909523441209), (113.864154151050156, 244.024637934444173),
                       (377.485237685302021, 1282.61652607737228)] {
            numerator = (numerator + a) * z
            denominator = (denominator + b) * z
        }
        return (numerator + 3209.37758913846947) / (denominator + 2844.23683343917062)
    }

    /// erfc(y) for y > 0.46875.
    static func erfcPositive(_ y: Double) -> Double {
        let ratio: Double  // erfc(y)·exp(y²)
        if y <= 4 {
            let c = [0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
                     1712.04761263407058, 2051.07837782607147]
            let d = [15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
                     4362.61909014324716, 3439.36767414372164]
            var numerator = 2.15311535474403846e-8 * y, denominator = y
            for i in 0..<7 {
                numerator = (numerator + c[i]) * y
                denominator = (denominator + d[i]) * y
            }
            ratio = (numerator + 1230.33935479799725) / (denominator + 1230.33935480374942)
        } else {
            if y >= 26.543 { return 0 }
            let z = 1 / (y * y)
            let p = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766]
            let q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191]
            var numerator = 0.0163153871373020978 * z, denominator = z
            for i in 0..<4 {
                numerator = (numerator + p[i]) * z
                denominator = (denominator + q[i]) * z
            }
            let r = z * (numerator + 6.58749161529837803e-4) / (denominator + 0.00233520497626869185)
            ratio = (0.56418958354775628695 - r) / y
        }
        // exp(−y²) = exp(−z²) exp(−(y − z)(y + z)) with z = y rounded down to a multiple of 1/16:
        // z² is exact, so no digit of y² is lost to rounding.
        let z = (y * 16).rounded(.towardZero) / 16
        return exp(-z * z) * exp(-(y - z) * (y + z)) * ratio
    }
}

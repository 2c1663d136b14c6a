/// Data preparation in formulas (issue 15): arithmetic functions a value at a time, and the
/// functions that need more than one row or give text: `standardize`, `if_else`, `cut`, `recode`.
///
/// The arithmetic ones are ordinary ``DerivedFunction``s (they work on draws inside a window
/// summary too); the others are evaluated by ``DerivedEvaluation`` itself, since a z-score needs the
/// whole column and `cut` and `recode` give a categorical column, not numbers.
extension DerivedFunction {
    /// log, log10, exp, sqrt, abs and round. A result that is not a finite number (exp(1000)) is
    /// missing, never infinity: an infinite value would pass through means and models unnoticed.
    static let arithmetic: [DerivedFunction] = [
        elementwise("log", "the natural logarithm (missing for values <= 0)") { $0 > 0 ? PortableMath.log($0) : nil },
        elementwise("log10", "the base-10 logarithm (missing for values <= 0)") { $0 > 0 ? PortableMath.log10($0) : nil },
        elementwise("exp", "e to the power x (missing where the result overflows)") { PortableMath.exp($0) },
        elementwise("sqrt", "the square root (missing for values < 0)") { $0 >= 0 ? $0.squareRoot() : nil },
        elementwise("abs", "the absolute value") { Swift.abs($0) },
        DerivedFunction(name: "round",
                        summary: "x rounded to digits decimals (negative: tens, hundreds); halves away from zero (round(2.5) is 3, as SAS and Stata; R's round gives 2), judged on the value as stored (2.675 is 2.67499…, so round(2.675, 2) is 2.67)",
                        parameters: [.init("x", .column), .init("digits", .number, default: .number(0), accepted: NumberRule(-15...15, wholeNumbers: true))],
                        result: .real) { a in
            let digits = Int(a.number("digits"))
            return a.map("x") { DerivedFunction.finite(Rounding.halfAwayFromZero($0[0], digits: digits)) }
        },
    ]

    private static func elementwise(_ name: String, _ summary: String, _ f: @escaping @Sendable (Double) -> Double?) -> DerivedFunction {
        DerivedFunction(name: name, summary: summary, parameters: [.init("x", .column)], result: .real) { a in
            a.map("x") { f($0[0]).flatMap(DerivedFunction.finite) }
        }
    }

    private static func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
}

enum Rounding {
    /// `x` to `digits` decimals, halves away from zero, judged on the exact stored value of `x`.
    ///
    /// `x · 10^digits` is rounded to a double before it is rounded to a whole number, and that first
    /// rounding can land on a half the exact value is not: 2.675 is stored as 2.67499999999999982…,
    /// but 2.675 · 100 rounds to 267.5. The residual of the product (one fused multiply-add, exact
    /// for powers of ten up to 10^22) says on which side of the half the exact value lies, so
    /// round(2.675, 2) is 2.67 while round(0.125, 2), a true half, is 0.13. (R's `round` sends true
    /// halves to the even digit instead: round(2.5) is 2 there and 3 here, as in SAS and Stata.)
    static func halfAwayFromZero(_ x: Double, digits: Int) -> Double {
        guard x.isFinite else { return x }
        if digits == 0 { return x.rounded(.toNearestOrAwayFromZero) }
        let scale = PortableMath.powerOfTen(Swift.abs(digits))
        // The scaled value as a double, and the sign of (exact scaled value - that double).
        let scaled: Double, residual: Double
        if digits > 0 {
            scaled = x * scale
            residual = (-scaled).addingProduct(x, scale)
        } else {
            scaled = x / scale
            residual = x.addingProduct(-scaled, scale)  // x - scaled·scale, the sign of the quotient's error
        }
        // From 2^52 up every double is a whole number: x has no digits to round at this scale (and
        // x · 10^digits may have overflowed).
        guard Swift.abs(scaled) < 0x1p52 else { return x }
        var whole = scaled.rounded(.toNearestOrAwayFromZero)
        if Swift.abs(scaled - scaled.rounded(.towardZero)) == 0.5, residual != 0 {
            whole = residual < 0 ? scaled.rounded(.down) : scaled.rounded(.up)
        }
        return digits > 0 ? whole / scale : whole * scale
    }
}

/// The formula functions evaluated by ``DerivedEvaluation`` itself (see the file's comment).
public enum PreparationFunction: String, CaseIterable, Sendable {
    case standardize
    case ifElse = "if_else"
    case cut
    case recode

    /// Parameters in positional order, with the default of each optional one (nil: required).
    var parameters: [(name: String, defaultValue: DerivedExpression?, optional: Bool)] {
        switch self {
        case .standardize: [("x", nil, false)]
        case .ifElse: [("condition", nil, false), ("a", nil, false), ("b", nil, false)]
        case .cut: [("x", nil, false), ("breaks", nil, false), ("labels", nil, true), ("right", .column("false"), false)]
        case .recode: [("x", nil, false), ("from", nil, false), ("to", nil, false)]
        }
    }

    public var signature: String {
        switch self {
        case .standardize: "standardize(x)"
        case .ifElse: "if_else(condition, a, b)"
        case .cut: "cut(x, breaks = [b0, b1, ...], [labels = [\"l1\", ...]], right = false)"
        case .recode: "recode(x, from = [\"old\", ...], to = [\"new\", ...])"
        }
    }

    public var result: String {
        switch self {
        case .standardize: "real"
        case .ifElse: "as a and b"
        case .cut, .recode: "categorical"
        }
    }

    public var summary: String {
        switch self {
        case .standardize:
            "the z-score (x - mean) / SD, with the mean and SD (n - 1 denominator) of the non-missing values of the whole table (before any --where), summed in row order; an error when fewer than two values or all equal"
        case .ifElse:
            "a where the condition is 1, b where it is 0, missing where it is missing; a and b both numbers (binary if both 0/1) or both text (categorical)"
        case .cut:
            "the interval of breaks x falls in, as a categorical variable with levels in break order: left-closed [b0,b1) by default (R's cut(..., right = FALSE)), (b0,b1] with right = true; labels \"[0,250)\" unless given; x outside every interval is missing, with a warning counting the rows"
        case .recode:
            "a categorical variable with the levels in 'from' renamed to those in 'to' (several to one collapses them); levels in order of first appearance in 'to', then the unlisted ones as they were; a 'from' that is not a level is an error"
        }
    }
}

/// Cut points: which interval of `breaks` a value falls in.
struct Binning {
    let breaks: [Double]
    /// Intervals closed on the right, (a, b]; otherwise on the left, [a, b).
    let rightClosed: Bool

    /// R's labels: `[0,250)`, `[500,Inf)`; `(0,250]` when closed on the right.
    var defaultLabels: [String] {
        zip(breaks, breaks.dropFirst()).map { low, high in
            rightClosed ? "(\(NumberText.shortest(low)),\(NumberText.shortest(high))]" : "[\(NumberText.shortest(low)),\(NumberText.shortest(high)))"
        }
    }

    /// The interval holding `x` (0-based), or nil when `x` is missing or outside every interval (a
    /// value equal to the last break, with intervals closed on the left, is outside: R's
    /// `include.lowest = FALSE`).
    func interval(of x: Double) -> Int? {
        guard !x.isNaN else { return nil }
        for k in 0..<(breaks.count - 1) {
            let inside = rightClosed ? (breaks[k] < x && x <= breaks[k + 1]) : (breaks[k] <= x && x < breaks[k + 1])
            if inside { return k }
        }
        return nil
    }
}

enum Standardization {
    /// `(x - mean) / sd` with the mean and the n − 1 standard deviation of the non-missing values,
    /// each a plain sum in row order (two passes: the deviations from the mean, not sum of squares
    /// less n·mean², which cancels badly for values far from 0). Missing stays missing.
    /// - Returns: the z-scores, or a reason when they do not exist (fewer than two values, SD 0).
    static func zScores(_ values: [Double]) -> Result<[Double], Refusal> {
        var n = 0, sum = 0.0
        for x in values where !x.isNaN {
            n += 1
            sum += x
        }
        guard n >= 2 else { return .failure(Refusal(reason: "it has \(n) non-missing value\(n == 1 ? "" : "s"); a standard deviation needs two")) }
        let mean = sum / Double(n)
        var squares = 0.0
        for x in values where !x.isNaN { squares += (x - mean) * (x - mean) }
        let sd = (squares / Double(n - 1)).squareRoot()
        guard sd > 0, sd.isFinite else { return .failure(Refusal(reason: "its values are all equal (SD 0), so there is no z-score")) }
        return .success(values.map { $0.isNaN ? .nan : ($0 - mean) / sd })
    }

    struct Refusal: Error { let reason: String }
}

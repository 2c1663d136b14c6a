/// Restricted (natural) cubic splines as Harrell's `rms::rcs` builds them (`Hmisc::rcspline.eval`,
/// `inclx = TRUE`, `norm = 2`): linear beyond the outer knots, cubic between, continuous to the
/// second derivative.
///
/// With knots t₁ < … < t_k, the design has k − 1 columns: x itself and, for j = 1 … k − 2,
/// ```
/// Sⱼ(x) = [ (x − tⱼ)₊³ + ((t_{k−1} − tⱼ)(x − t_k)₊³ − (t_k − tⱼ)(x − t_{k−1})₊³) / (t_k − t_{k−1}) ] / (t_k − t₁)²
/// ```
/// (rms divides each (x − t)₊ by (t_k − t₁)^{2/3} before cubing; dividing the cube by (t_k − t₁)²
/// is the same number without a fractional power, whose libm result may differ between CPUs).
/// Columns are named as `rms` names them: `x`, `x'`, `x''`, ….
///
/// Default knots (`rcs(x, k)`), `rcspline.eval`'s rule step for step, from every non-missing value
/// of x (R evaluates `rcs()` before dropping incomplete rows):
/// 1. Fewer than 6 values: an error. If k ≥ (distinct values) − 2, the knots are the distinct values
///    without the smallest and largest.
/// 2. Ties at the ends (`fractied = 0.05`): when no interior value holds 5% of the values but the
///    smallest does, the first knot is the second-smallest distinct value and the quantiles below
///    are taken above it (likewise at the top); each such end knot takes one of the k.
/// 3. The other knots are type-7 quantiles at `seq(outer, 1 − outer, length = k')` with outer 0.1
///    for k = 3, 0.05 for k = 4–6, 0.025 for k = 7.
/// 4. Fewer than 100 values (after step 2): the outer quantile knots move to the 5th smallest and
///    5th largest value.
/// 5. Knots are sorted and made distinct; fewer than 3 is an error.
public struct RestrictedCubicSpline: Sendable, Equatable {
    public let knots: [Double]

    public init(knots: [Double]) {
        precondition(knots.count >= 3, "a restricted cubic spline has at least 3 knots")
        self.knots = knots
    }

    /// Why the default knots cannot be placed.
    public enum KnotError: Error, Equatable {
        case tooFewValues(Int)
        case tooFewDistinctKnots([Double])
    }

    /// Harrell's default knots for `count` knots on `values` (NaN ignored); see the type's description.
    public static func defaultKnots(count: Int, values: [Double]) throws(KnotError) -> [Double] {
        var xx = values.filter { !$0.isNaN }.sorted()
        let n = xx.count
        guard n >= 6 else { throw .tooFewValues(n) }
        var distinct: [Double] = []
        var frequency: [Int] = []
        for x in xx {
            if distinct.last == x { frequency[frequency.count - 1] += 1 } else { distinct.append(x); frequency.append(1) }
        }
        var knots: [Double]
        if distinct.count - 2 <= count {
            knots = Array(distinct.dropFirst().dropLast())
        } else {
            let outer = count > 6 ? 0.025 : count > 3 ? 0.05 : 0.1
            var kept = count
            var firstKnot: Double?, lastKnot: Double?
            let fractied = 0.05
            let interiorMax = frequency.dropFirst().dropLast().max() ?? 0
            if Double(interiorMax) / Double(n) < fractied {
                if Double(frequency[0]) / Double(n) >= fractied {
                    let knot = distinct[1]
                    firstKnot = knot
                    xx = xx.filter { $0 > knot }
                    kept -= 1
                }
                if Double(frequency[frequency.count - 1]) / Double(n) >= fractied {
                    let knot = distinct[distinct.count - 2]
                    lastKnot = knot
                    xx = xx.filter { $0 < knot }
                    kept -= 1
                }
            }
            var middle: [Double]
            if kept == 1 {
                middle = [Quantiles.type7(sorted: xx, p: 0.5) ?? .nan]
            } else {
                let probabilities = Self.sequence(from: kept == 2 ? 0.5 : outer, to: 1 - outer, count: kept)
                middle = probabilities.map { Quantiles.type7(sorted: xx, p: $0) ?? .nan }
                // rms's alternative placement for heavily tied data is not reproduced: say so instead.
                if Set(middle).count < min(kept, 3) { throw .tooFewDistinctKnots(middle) }
                if xx.count < 100 {
                    if firstKnot == nil { middle[0] = xx[4] }
                    if lastKnot == nil { middle[kept - 1] = xx[xx.count - 5] }
                }
            }
            knots = (firstKnot.map { [$0] } ?? []) + middle + (lastKnot.map { [$0] } ?? [])
        }
        var unique: [Double] = []
        for k in knots.sorted() where unique.last != k { unique.append(k) }
        guard unique.count >= 3 else { throw .tooFewDistinctKnots(unique) }
        return unique
    }

    /// R's `seq(from, to, length.out = count)`: `from + i·by` inside, `to` itself last.
    static func sequence(from: Double, to: Double, count: Int) -> [Double] {
        guard count > 1 else { return [from] }
        let by = (to - from) / Double(count - 1)
        return [from] + (1..<(count - 1)).map { from + Double($0) * by } + [to]
    }

    /// The number of design columns: x and k − 2 nonlinear terms.
    public var columnCount: Int { knots.count - 1 }

    /// Column names as `rms` gives them: `x`, `x'`, `x''`, ….
    public func columnNames(variable: String) -> [String] {
        (0..<columnCount).map { variable + String(repeating: "'", count: $0) }
    }

    /// Design column `column` (0 = x itself, j = Sⱼ) at `x`.
    @inline(__always)
    public func value(_ x: Double, column: Int) -> Double {
        if column == 0 { return x }
        let k = knots.count
        let last = knots[k - 1], penultimate = knots[k - 2], t = knots[column - 1]
        let d = max(x - t, 0), dLast = max(x - last, 0), dPenultimate = max(x - penultimate, 0)
        let scale = (last - knots[0]) * (last - knots[0])
        return (d * d * d + ((penultimate - t) * (dLast * dLast * dLast) - (last - t) * (dPenultimate * dPenultimate * dPenultimate)) / (last - penultimate)) / scale
    }
}

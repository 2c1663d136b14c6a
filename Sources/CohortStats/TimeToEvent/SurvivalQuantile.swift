/// A quantile of a Kaplan-Meier curve (the median for p = 0.5) with its confidence interval, as R
/// `quantile.survfit(fit, probs = p)` gives them.
///
/// `probability` is p of the distribution F = 1 - S, as `quantile.survfit`'s `probs`: the quantile
/// is where S falls to 1 - p. nil where R gives NA: the curve (or the limit's curve) never gets there.
public struct SurvivalQuantile: Sendable, Equatable {
    public let probability: Double
    public let time: Double?
    /// The lower limit, read off the lower pointwise limit curve of S.
    public let lower: Double?
    /// The upper limit, read off the upper pointwise limit curve of S.
    public let upper: Double?
    public let interval: CurveInterval
    public let level: Double
    public let rule: SurvivalQuantileRule
}

/// Two conventions of R `survival` for reading a quantile off a step curve; they agree except at the
/// edges said below (style guide 16: the default, `quantileSurvfit`, is the documented one).
public enum SurvivalQuantileRule: String, Sendable, CaseIterable, Codable {
    /// `quantile.survfit` (and `median.survfit`): its published rule, `findq` in survival 3.5-3.
    ///
    /// With x = (0, t_1, ..., t_m) (every time of the curve) and y = (0, 1 - S(t_1), ..., 1 - S(t_m)),
    /// a value of y repeated keeps only its first time (NA counts as a value), and tol = √ε ≈ 1.49e-8:
    /// ```
    /// NA                                      if max y < p (the curve never falls to 1 - p)
    /// i₁ = first i with y_i + tol >= p,   i₂ = first i with y_i - tol >= p
    /// q  = (x_{i₁} + x_{i₂}) / 2              the midpoint of a flat stretch with |S - (1 - p)| < tol, else x_{i₁}
    /// q  = (x_{i₁} + t_max) / 2               when the last y is within tol of p (S ends on 1 - p; t_max the last time)
    /// q  = 0                                  for p = 0
    /// ```
    /// "First" is as R's `approx(y ± tol, 1:n, p, method = "constant", f = 1)` finds it: over the
    /// values sorted ascending (NA left out), the first at or above p. For the estimate and a
    /// monotone limit curve that is the earliest such time. The limits apply the same rule to
    /// y = 1 - lower and y = 1 - upper (the pointwise ``CurveInterval`` limits of S at each time, NA
    /// where survfit has none); quantile.survfit's documentation: "Confidence limits for the values are
    /// based on the intersection of the horizontal line at 1-k with the upper and lower limits for the
    /// survival curve." (Brookmeyer & Crowley 1982 by inversion of the pointwise intervals.)
    case quantileSurvfit
    /// `print(survfit)`'s median (`survmean`'s `minmin` in survival 3.5-3), for p = 0.5 only in R
    /// (1 - p in general here). Over the times with a value (NA dropped), without a point at 0:
    /// ```
    /// NA                 if no S_i < 0.5 + tol
    /// t_a                a = first i with S_i < 0.5 + tol
    /// (t_a + t_b) / 2    if |S_a - 0.5| < tol and some later S_b < S_a (b the first such)
    /// ```
    /// It differs from `quantileSurvfit` when the curve ends on exactly 0.5 (print: t_a;
    /// quantile: the midpoint of t_a and the last time) and, for a limit curve that is not monotone,
    /// in taking the earliest time rather than the smallest value past the line.
    case printSurvfit
}

extension KaplanMeierCurve {
    /// `sqrt(.Machine$double.eps)`: survfit's tolerance for "S is exactly 1 - p".
    public static let quantileTolerance = 1.4901161193847656e-08

    /// The pointwise limits of S at every time of the curve, nil where survfit's `lower`/`upper` are
    /// NA (no finite standard error, or the transform undefined there: see ``CurveInterval``).
    public func pointwiseLimits(_ interval: CurveInterval, level: Double) -> [(lower: Double, upper: Double)?] {
        times.indices.map { i in
            let se = standardError(at: i)
            return se.isNaN ? nil : interval.interval(estimate: survival[i], standardError: se, level: level)
        }
    }

    /// The median survival time with its interval: ``quantile(_:interval:level:rule:)`` at p = 0.5.
    public func median(interval: CurveInterval = .logLog, level: Double = 0.95,
                       rule: SurvivalQuantileRule = .quantileSurvfit) -> SurvivalQuantile {
        quantile(0.5, interval: interval, level: level, rule: rule)
    }

    /// The time by which a fraction `p` of the group had an event (S falls to 1 - p), with the limits
    /// read off the pointwise `interval` limit curves at `level`, by `rule` (see ``SurvivalQuantileRule``).
    /// - Parameters:
    ///   - p: in [0, 1]; 0.5 is the median. Outside [0, 1] or NaN every value is nil.
    ///   - interval: the transform of the pointwise limits (survfit's `conf.type`).
    ///   - level: the confidence level of the pointwise limits (survfit's `conf.int`).
    ///   - rule: which of survival's two conventions (default: `quantile.survfit`'s).
    public func quantile(_ p: Double, interval: CurveInterval = .logLog, level: Double = 0.95,
                         rule: SurvivalQuantileRule = .quantileSurvfit) -> SurvivalQuantile {
        func make(_ time: Double?, _ lower: Double?, _ upper: Double?) -> SurvivalQuantile {
            SurvivalQuantile(probability: p, time: time, lower: lower, upper: upper, interval: interval, level: level, rule: rule)
        }
        guard p >= 0, p <= 1, !times.isEmpty else { return make(nil, nil, nil) }
        let limits = pointwiseLimits(interval, level: level)
        let tol = Self.quantileTolerance
        switch rule {
        case .quantileSurvfit:
            let x = [0] + times
            func read(_ s: [Double?]) -> Double? {
                Self.findQuantile(x: x, y: [0] + s.map { $0.map { 1 - $0 } }, p: p, tolerance: tol)
            }
            return make(read(survival), read(limits.map { $0?.lower }), read(limits.map { $0?.upper }))
        case .printSurvfit:
            func read(_ s: [Double?]) -> Double? { Self.firstBelow(times: times, values: s, level: 1 - p, tolerance: tol) }
            return make(read(survival), read(limits.map { $0?.lower }), read(limits.map { $0?.upper }))
        }
    }

    /// survival's `findq(x, y, p, tol)` (see ``SurvivalQuantileRule/quantileSurvfit``); y nil = NA.
    static func findQuantile(x: [Double], y: [Double?], p: Double, tolerance tol: Double) -> Double? {
        guard let maxY = y.compactMap({ $0 }).max(), !(maxY < p), let xmax = x.last else { return nil }
        // Keep the first time of each value of y (R: `duplicated`, NA equal to NA).
        var xs: [Double] = [], ys: [Double?] = []
        var seen = Set<Double>(), seenMissing = false
        for (xi, yi) in zip(x, y) {
            if let yi {
                guard seen.insert(yi).inserted else { continue }
            } else {
                guard !seenMissing else { continue }
                seenMissing = true
            }
            xs.append(xi)
            ys.append(yi)
        }
        let index1 = approxConstantRight(ys, shift: tol, at: p)
        let index2 = approxConstantRight(ys, shift: -tol, at: p)
        var quantile: Double? = nil
        if let index1, let index2 { quantile = (xs[index1] + xs[index2]) / 2 }
        if p == 0 { quantile = xs[0] }
        // In R's order: a curve ending on the line overrides even p = 0.
        if let last = ys.last ?? nil, abs(p - last) < tol { quantile = index1.map { (xs[$0] + xmax) / 2 } }
        return quantile
    }

    /// `approx(y + shift, seq_along(y), v, method = "constant", f = 1)$y` as a 0-based index: the
    /// points with a value sorted by y + shift (stably), nil outside their range, else the first
    /// point whose key is >= v (R's `approx1`: an exact hit returns that point, otherwise the right
    /// end of the bracketing interval). Tied keys (which R averages, with a warning) cannot arise
    /// from distinct values of y shifted by the same amount except by rounding, and are not merged.
    static func approxConstantRight(_ y: [Double?], shift: Double, at v: Double) -> Int? {
        var points: [(key: Double, index: Int)] = []
        for (i, yi) in y.enumerated() { if let yi { points.append((yi + shift, i)) } }
        guard !points.isEmpty else { return nil }
        // Stable sort by key (R's `order`); a monotone curve (the estimate always) is already in order.
        if zip(points, points.dropFirst()).contains(where: { $0.key > $1.key }) {
            points = points.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element)
        }
        var i = 0, j = points.count - 1
        if v < points[i].key || v > points[j].key { return nil }
        while i < j - 1 {
            let mid = (i + j) / 2
            if v < points[mid].key { j = mid } else { i = mid }
        }
        if v == points[j].key { return points[j].index }
        if v == points[i].key { return points[i].index }
        return points[j].index
    }

    /// print.survfit's `minmin` at `level` (0.5 in R): see ``SurvivalQuantileRule/printSurvfit``.
    static func firstBelow(times: [Double], values: [Double?], level: Double, tolerance tol: Double) -> Double? {
        let kept = zip(times, values).compactMap { t, v in v.map { (t, $0) } }.filter { $0.1 < level + tol }
        guard let first = kept.first else { return nil }
        if abs(first.1 - level) < tol, let next = kept.first(where: { $0.1 < first.1 }) {
            return (first.0 + next.0) / 2
        }
        return first.0
    }
}

/// Cleveland's locally weighted scatterplot smoother, as R's `lowess(x, y, f, iter, delta)` computes
/// it (its C routine `clowess`).
///
/// At each x₍ᵢ₎ (the points sorted by x) a straight line is fitted by weighted least squares to the
/// r = max(2, min(n, ⌊f n + 1e-7⌋)) nearest points, with tricube weights in the distance:
/// ```
/// h  = the larger distance from x₍ᵢ₎ to the window's two ends
/// wⱼ = (1 − (|xⱼ − x₍ᵢ₎| / h)³)³    (1 within 0.001 h, 0 beyond 0.999 h), times the robustness weight
/// ŷᵢ = Σ wⱼ yⱼ (1 + b (xⱼ − x̄_w)) / Σ wⱼ,  b = (x₍ᵢ₎ − x̄_w) / Σ wⱼ(xⱼ − x̄_w)²   (the local line at x₍ᵢ₎)
/// ```
/// the slope term dropped when the weighted spread √Σ w(x − x̄)² is at most 0.001 of the x range.
/// Points within `delta` of the last fitted point are not fitted but interpolated linearly (tied x
/// share the fit). Each of `iter` robustness passes reweights by the bisquare of the residual over
/// six median absolute residuals, (1 − (r / 6 MAD)²)², and stops early when 6 MAD is below 1e-7 of
/// the mean absolute residual (Cleveland, JASA 74 (1979) 829-836; The American Statistician 35
/// (1981) 54).
///
/// With a 0/1 outcome the robustness passes treat every event among low risks as an outlier and
/// weigh it down; calibration curves therefore use `iterations: 0`, as `rms::val.prob` and
/// `rms::calibrate` call `lowess(p, y, iter = 0)`.
public enum Lowess {
    /// The smoothed values at the sorted x.
    /// - Parameters:
    ///   - x, y: the points, finite, in any order.
    ///   - f: the span, the fraction of the points each local line uses (R's default 2/3).
    ///   - iterations: robustness passes (R's default 3).
    ///   - delta: nil: 1% of the x range (R's default).
    /// - Returns: x sorted ascending (ties in input order, as R's `order`) and the fitted values.
    public static func smooth(x: [Double], y: [Double], f: Double = 2.0 / 3.0, iterations: Int = 3,
                              delta: Double? = nil) -> (x: [Double], y: [Double]) {
        precondition(x.count == y.count, "one y per x")
        let order = x.indices.sorted { x[$0] < x[$1] || x[$0] == x[$1] && $0 < $1 }
        let xs = order.map { x[$0] }, ys = order.map { y[$0] }
        let n = xs.count
        guard n >= 2 else { return (xs, ys) }
        let step = delta ?? 0.01 * (xs[n - 1] - xs[0])
        let span = max(2, min(n, Int(f * Double(n) + 1e-7)))
        var fitted = [Double](repeating: 0, count: n)
        var robustness = [Double](repeating: 1, count: n)
        var residuals = [Double](repeating: 0, count: n)
        var weights = [Double](repeating: 0, count: n)
        for pass in 0...iterations {
            var left = 0, right = span - 1
            var last = -1
            var i = 0
            while true {
                // Slide the window right while that brings it nearer to x₍ᵢ₎.
                while right < n - 1, xs[i] - xs[left] > xs[right + 1] - xs[i] {
                    left += 1
                    right += 1
                }
                fitted[i] = localFit(xs, ys, at: xs[i], left: left, right: right, robustness: pass > 0 ? robustness : nil,
                                     weights: &weights) ?? ys[i]
                if last < i - 1 {
                    // The points skipped within delta: on the line between the two fitted ones.
                    let denominator = xs[i] - xs[last]
                    for j in (last + 1)..<i {
                        let alpha = (xs[j] - xs[last]) / denominator
                        fitted[j] = alpha * fitted[i] + (1 - alpha) * fitted[last]
                    }
                }
                last = i
                let cut = xs[last] + step
                i = last + 1
                while i < n {
                    if xs[i] > cut { break }
                    if xs[i] == xs[last] {
                        fitted[i] = fitted[last]
                        last = i
                    }
                    i += 1
                }
                i = max(last + 1, i - 1)
                if last >= n - 1 { break }
            }
            var absoluteSum = 0.0
            for j in 0..<n {
                residuals[j] = ys[j] - fitted[j]
                absoluteSum += abs(residuals[j])
            }
            if pass == iterations { break }
            let scale = absoluteSum / Double(n)
            let sortedAbsolute = residuals.map(abs).sorted()
            let m1 = n / 2
            let sixMAD = n % 2 == 0 ? 3 * (sortedAbsolute[m1] + sortedAbsolute[n - m1 - 1]) : 6 * sortedAbsolute[m1]
            if sixMAD < 1e-7 * scale { break }  // the residuals are effectively zero
            let c9 = 0.999 * sixMAD, c1 = 0.001 * sixMAD
            for j in 0..<n {
                let r = abs(residuals[j])
                if r <= c1 {
                    robustness[j] = 1
                } else if r <= c9 {
                    let u = r / sixMAD
                    robustness[j] = (1 - u * u) * (1 - u * u)
                } else {
                    robustness[j] = 0
                }
            }
        }
        return (xs, fitted)
    }

    /// The local line's value at `at` from the points left...right and beyond while tied with the
    /// window's reach; nil when every weight is 0 (the caller keeps y).
    private static func localFit(_ x: [Double], _ y: [Double], at point: Double, left: Int, right: Int,
                                 robustness: [Double]?, weights w: inout [Double]) -> Double? {
        let n = x.count
        let range = x[n - 1] - x[0]
        let h = max(point - x[left], x[right] - point)
        let h9 = 0.999 * h, h1 = 0.001 * h
        var total = 0.0
        var j = left
        while j < n {
            w[j] = 0
            let r = abs(x[j] - point)
            if r <= h9 {
                if r <= h1 {
                    w[j] = 1
                } else {
                    let u = r / h
                    let t = 1 - u * u * u
                    w[j] = t * t * t
                }
                if let robustness { w[j] *= robustness[j] }
                total += w[j]
            } else if x[j] > point {
                break
            }
            j += 1
        }
        let end = j - 1
        guard total > 0 else { return nil }
        for k in left...end { w[k] /= total }
        if h > 0 {
            var mean = 0.0
            for k in left...end { mean += w[k] * x[k] }
            var b = point - mean
            var spread = 0.0
            for k in left...end { spread += w[k] * (x[k] - mean) * (x[k] - mean) }
            if spread.squareRoot() > 0.001 * range {
                b /= spread
                for k in left...end { w[k] *= b * (x[k] - mean) + 1 }
            }
        }
        var value = 0.0
        for k in left...end { value += w[k] * y[k] }
        return value
    }
}

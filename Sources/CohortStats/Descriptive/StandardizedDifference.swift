/// Standardised mean differences between groups, with the formulas of R's `tableone` (Yoshida &
/// Bartel; `StdDiff`, `StdDiffMulti` and `ExtractSmd` in its `modules-smd.R`), which are those of
/// Austin (2009) and Yang & Dalton (2012):
///
/// - a measurement: |m1 − m2| / sqrt((s1² + s2²) / 2), the SDs with the n − 1 denominator;
/// - a categorical variable of k levels: sqrt(T' S⁺ T), T the differences of the proportions of
///   levels 2..k (the first level dropped), S = (S1 + S2) / 2 with Sg the multinomial covariance
///   (diagonal p(1 − p), off-diagonal −pᵢpⱼ) and S⁺ its Moore-Penrose inverse (`MASS::ginv`,
///   tolerance sqrt(machine epsilon) × the largest eigenvalue). For two levels this is
///   |p1 − p2| / sqrt((p1(1 − p1) + p2(1 − p2)) / 2).
///
/// Every value is absolute, on the rows with a value (tableone's default, missing values left
/// out); with more than two groups the SMD is the mean of the pairwise ones (`ExtractSmd`).
public enum StandardizedDifference {
    /// The SMD of a measurement between groups given as (mean, SD) pairs; nil when a group has
    /// no SD (fewer than two values) or every pairwise denominator is 0 (tableone: NaN or Inf).
    public static func continuous(_ groups: [(mean: Double, sd: Double)]) -> Double? {
        pairwiseMean(groups.count) { a, b in
            let (g, h) = (groups[a], groups[b])
            let denominator = ((g.sd * g.sd + h.sd * h.sd) / 2).squareRoot()
            let smd = abs(g.mean - h.mean) / denominator
            return smd.isFinite ? smd : nil
        }
    }

    /// The SMD of a categorical variable: `counts[g][k]` the count of level k in group g (every
    /// group the same levels, in the same order; levels that no group holds may be left in, they
    /// change nothing). nil when a group has no value.
    public static func categorical(_ counts: [[Int]]) -> Double? {
        guard counts.allSatisfy({ $0.reduce(0, +) > 0 }), let levels = counts.first?.count, levels >= 2 else { return nil }
        // Proportions of levels 2..k in each group.
        let proportions = counts.map { row -> [Double] in
            let n = Double(row.reduce(0, +))
            return row.dropFirst().map { Double($0) / n }
        }
        return pairwiseMean(counts.count) { a, b in
            let (p, q) = (proportions[a], proportions[b])
            let m = p.count
            var s = [Double](repeating: 0, count: m * m)
            for i in 0..<m {
                for j in 0..<m {
                    let sp = i == j ? p[i] * (1 - p[i]) : -p[i] * p[j]
                    let sq = i == j ? q[i] * (1 - q[i]) : -q[i] * q[j]
                    s[i * m + j] = (sp + sq) / 2
                }
            }
            let t = zip(p, q).map { $0 - $1 }
            let inverse = pseudoInverse(symmetric: s, order: m)
            var quadratic = 0.0
            for i in 0..<m {
                var row = 0.0
                for j in 0..<m { row += inverse[i * m + j] * t[j] }
                quadratic += t[i] * row
            }
            return max(quadratic, 0).squareRoot()
        }
    }

    /// The mean of `pair(a, b)` over every pair a < b of `groups` groups; nil when any pair is.
    private static func pairwiseMean(_ groups: Int, _ pair: (Int, Int) -> Double?) -> Double? {
        guard groups >= 2 else { return nil }
        var sum = 0.0, count = 0
        for a in 0..<groups {
            for b in a + 1..<groups {
                guard let value = pair(a, b) else { return nil }
                sum += value
                count += 1
            }
        }
        return sum / Double(count)
    }

    /// The Moore-Penrose inverse of a symmetric matrix (row-major, `order` × `order`), by cyclic
    /// Jacobi rotations: eigenvalues at most sqrt(ε) × the largest are treated as 0, as
    /// `MASS::ginv` does with the singular values (for a symmetric positive semi-definite matrix
    /// they are the eigenvalues).
    static func pseudoInverse(symmetric matrix: [Double], order n: Int) -> [Double] {
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where i != j { off += a[i * n + j] * a[i * n + j] } }
            if off < 1e-30 { break }
            for p in 0..<n {
                for q in p + 1..<n where a[p * n + q] != 0 {
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let (akp, akq) = (a[k * n + p], a[k * n + q])
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let (apk, aqk) = (a[p * n + k], a[q * n + k])
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let (vkp, vkq) = (v[k * n + p], v[k * n + q])
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let eigenvalues = (0..<n).map { a[$0 * n + $0] }
        let largest = eigenvalues.map(abs).max() ?? 0
        let tolerance = Double.ulpOfOne.squareRoot() * largest
        var inverse = [Double](repeating: 0, count: n * n)
        for k in 0..<n where largest > 0 && abs(eigenvalues[k]) > tolerance {
            let w = 1 / eigenvalues[k]
            for i in 0..<n { for j in 0..<n { inverse[i * n + j] += v[i * n + k] * w * v[j * n + k] } }
        }
        return inverse
    }
}

import CohortData
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GrayTest {
    /// The scores z (groups 1..K-1) and their covariance V (row-major) within one stratum: Gray's
    /// (1988) estimator in the form of cmprsk's `crst`, one pass over the distinct times.
    ///
    /// Per group g the walk keeps n_g at risk, the event-free Kaplan-Meier S_g and the cumulative
    /// incidence F_g of type k, both just before (`sMinus`, `fMinus`) and at the current time; and the
    /// pooled F. At a time with d_k type-k events (d_kg in group g) and d_o other events:
    /// ```
    /// R_g = n_g / S_g-,  R = Σ R_g,  Q = Σ R_g (1 - F_g-),  F = F- + d_k / R,  W = (1 - F-)^rho
    /// a_gg = W R_g (1 - R_g / R),  a_gh = -W R_g R_h / R       (the score's derivative terms)
    /// c  += a · d_k / (R (1 - F-))                              (accumulated, for the variance)
    /// z_g += W (d_kg - d_k R_g (1 - F_g-) / Q)
    /// ```
    /// and the variance accumulates, per group h, the contribution of its type-k events (with
    /// b_h = 1 - (1 - F)/S_h and tie factor 1 - (d_k - 1)/(R S_h- - 1)) and of its other events (with
    /// b_h = (1 - F)/S_h and tie factor 1 - (d_oh - 1)/(n_h - 1)); at the end V += c diag(v3) cᵀ +
    /// c v2ᵀ + v2 cᵀ. The order of the floating-point operations follows `crst`, so results agree
    /// with cmprsk to rounding.
    static func scoreAndVariance(_ tally: EventTally, type k: Int, rho: Double) -> (scores: [Double], variance: [Double]) {
        let ng = tally.groupCount, m = ng - 1
        var atRisk = tally.groupSizes.map(Double.init)
        var scores = [Double](repeating: 0, count: m)
        var v = [Double](repeating: 0, count: m * m)          // lower triangle used, row-major
        var fMinus = [Double](repeating: 0, count: ng), f1 = [Double](repeating: 0, count: ng)
        var sMinus = [Double](repeating: 1, count: ng), s1 = [Double](repeating: 1, count: ng)
        var v3 = [Double](repeating: 0, count: ng)
        var v2 = [Double](repeating: 0, count: m * ng)          // v2[i * ng + g]
        var c = [Double](repeating: 0, count: ng * ng), a = [Double](repeating: 0, count: ng * ng)
        var dk = [Int](repeating: 0, count: ng), dOther = [Int](repeating: 0, count: ng), rows = [Int](repeating: 0, count: ng)
        var pooledMinus = 0.0, pooled = 0.0
        for t in tally.times.indices {
            var nk = 0, nOther = 0
            for g in 0..<ng {
                rows[g] = tally.rowCount(time: t, group: g)
                dk[g] = tally.count(time: t, group: g, status: k)
                dOther[g] = rows[g] - tally.count(time: t, group: g, status: 0) - dk[g]
                nk += dk[g]; nOther += dOther[g]
            }
            if nk > 0 || nOther > 0 {
                var r = 0.0, q = 0.0
                for g in 0..<ng where atRisk[g] > 0 {
                    s1[g] = sMinus[g] * (atRisk[g] - Double(dk[g] + dOther[g])) / atRisk[g]
                    f1[g] = fMinus[g] + (sMinus[g] * Double(dk[g])) / atRisk[g]
                    r += atRisk[g] / sMinus[g]
                    q += atRisk[g] * (1 - fMinus[g]) / sMinus[g]
                }
                pooled = pooledMinus + Double(nk) / r
                let w = rho == 0 ? 1 : PortableMath.power(1 - pooledMinus, rho)
                for i in 0..<ng {
                    for j in i..<ng { a[i * ng + j] = 0 }
                    guard atRisk[i] > 0 else { continue }
                    let ri = atRisk[i] / sMinus[i]
                    a[i * ng + i] = w * ri * (1 - ri / r)
                    c[i * ng + i] += a[i * ng + i] * Double(nk) / (r * (1 - pooledMinus))
                    for j in (i + 1)..<ng where atRisk[j] > 0 {
                        a[i * ng + j] = -w * ri * atRisk[j] / (sMinus[j] * r)
                        c[i * ng + j] += a[i * ng + j] * Double(nk) / (r * (1 - pooledMinus))
                    }
                }
                for i in 1..<ng { for j in 0..<i { a[i * ng + j] = a[j * ng + i]; c[i * ng + j] = c[j * ng + i] } }
                for i in 0..<m where atRisk[i] > 0 {
                    scores[i] += w * (Double(dk[i]) - Double(nk) * atRisk[i] * (1 - fMinus[i]) / (sMinus[i] * q))
                }
                if nk > 0 {
                    for h in 0..<ng where atRisk[h] > 0 {
                        let b = s1[h] > 0 ? 1 - (1 - pooled) / s1[h] : 1
                        let tie = nk > 1 ? 1 - Double(nk - 1) / (r * sMinus[h] - 1) : 1
                        let weight = tie * sMinus[h] * Double(nk) / (r * atRisk[h])
                        v3[h] += b * b * weight
                        for i in 0..<m {
                            let ti = a[i * ng + h] - b * c[i * ng + h]
                            v2[i * ng + h] += ti * b * weight
                            for j in 0...i { v[i * m + j] += ti * (a[j * ng + h] - b * c[j * ng + h]) * weight }
                        }
                    }
                }
                if nOther > 0 {
                    for h in 0..<ng where s1[h] > 0 && dOther[h] > 0 {
                        let b = (1 - pooled) / s1[h]
                        let tie = dOther[h] > 1 ? 1 - (Double(dOther[h]) - 1) / (atRisk[h] - 1) : 1
                        let weight = tie * ((sMinus[h] * sMinus[h]) * Double(dOther[h])) / (atRisk[h] * atRisk[h])
                        v3[h] += b * b * weight
                        for i in 0..<m {
                            let ti = b * c[i * ng + h]
                            v2[i * ng + h] -= ti * b * weight
                            for j in 0...i { v[i * m + j] += ti * (b * c[j * ng + h]) * weight }
                        }
                    }
                }
            }
            for g in 0..<ng { atRisk[g] -= Double(rows[g]) }
            pooledMinus = pooled
            fMinus = f1
            sMinus = s1
        }
        for i in 0..<m {
            for j in 0...i {
                for h in 0..<ng {
                    v[i * m + j] += c[i * ng + h] * c[j * ng + h] * v3[h]
                    v[i * m + j] += c[i * ng + h] * v2[j * ng + h]
                    v[i * m + j] += c[j * ng + h] * v2[i * ng + h]
                }
                v[j * m + i] = v[i * m + j]
            }
        }
        return (scores, v)
    }
}

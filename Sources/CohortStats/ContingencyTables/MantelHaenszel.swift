#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Mantel-Haenszel analysis of K stratum tables (``ExposureTable``s): the pooled odds ratio and
/// risk ratio with their intervals, the Mantel-Haenszel chi-square test and the Breslow-Day test of
/// a common odds ratio. Formulas and references: the article <doc:MeasuresOfAssociation>.
///
/// A stratum with one exposure level (n1 = 0 or n0 = 0) adds 0 to every sum below, so it changes
/// nothing and is counted in `uninformativeStrata`; R's `mantelhaen.test` gives the same values
/// with or without it (it refuses a stratum of one row, which is such a stratum).
public struct MantelHaenszel: Sendable, Equatable {
    /// A homogeneity test: Breslow-Day's statistic, with Tarone's correction, on `df` = strata − 1.
    public struct Homogeneity: Sendable, Equatable {
        /// Breslow & Day (1980): Σ (a_k − A_k)² / V_k (= epiR's `bOR.homog`, `DescTools::BreslowDayTest(correct = FALSE)`).
        public let breslowDay: Double
        /// Tarone (1985): breslowDay − (Σ a_k − Σ A_k)² / Σ V_k (= `DescTools::BreslowDayTest(correct = TRUE)`);
        /// the P value is this statistic's.
        public let tarone: Double
        public let df: Int
        /// P(χ²_df > tarone).
        public let pValue: Double
        /// The strata whose a_k is not fixed by their margins (the others have V_k = 0).
        public let strataUsed: Int
    }

    public let strata: [ExposureTable]
    public let level: Double
    /// Pooled odds ratio with the Robins-Breslow-Greenland variance (= `mantelhaen.test(correct = FALSE)`).
    public let oddsRatio: AssociationEstimate
    /// Pooled risk ratio with the Greenland-Robins variance (= epiR `epi.2by2` `RR.mh.wald`).
    public let riskRatio: AssociationEstimate
    /// The Mantel-Haenszel test without continuity correction (= `mantelhaen.test(correct = FALSE)`);
    /// nil with `testProblem` when Σ V_k = 0.
    public let test: TestResult?
    public let testProblem: String?
    /// nil with `homogeneityProblem` when fewer than two strata have V_k > 0 or the pooled OR is 0 or infinite.
    public let homogeneity: Homogeneity?
    public let homogeneityProblem: String?
    /// Strata with one exposure level, which add nothing.
    public var uninformativeStrata: Int { strata.filter { $0.exposedN == 0 || $0.referenceN == 0 }.count }
    public var n: Int { strata.reduce(0) { $0 + $1.n } }

    /// - Throws: ``ContingencyError/invalidConfidenceLevel(_:)``; ``ContingencyError/emptyTable`` when no
    ///   stratum has rows.
    public init(strata: [ExposureTable], level: Double = 0.95) throws(ContingencyError) {
        guard level > 0, level < 1 else { throw .invalidConfidenceLevel(level) }
        guard strata.contains(where: { $0.n > 0 }) else { throw .emptyTable }
        self.strata = strata
        self.level = level
        oddsRatio = Self.oddsRatio(strata, level: level)
        riskRatio = Self.riskRatio(strata, level: level)
        (test, testProblem) = Self.chiSquare(strata)
        (homogeneity, homogeneityProblem) = Self.breslowDay(strata, pooled: oddsRatio.estimate)
    }

    /// Mantel & Haenszel (1959) with the Robins, Breslow & Greenland (1986) variance, as
    /// `mantelhaen.test` and epiR's `OR.mh.wald`:
    /// ```
    /// R_k = a_k d_k / n_k,  S_k = b_k c_k / n_k,  P_k = (a_k + d_k)/n_k,  Q_k = (b_k + c_k)/n_k
    /// OR_MH = ΣR / ΣS
    /// var(log OR_MH) = ΣPR / (2 (ΣR)²) + Σ(PS + QR) / (2 ΣR ΣS) + ΣQS / (2 (ΣS)²)
    /// ```
    /// Sums run over the strata in their order (fixed order: the same bits every run).
    static func oddsRatio(_ strata: [ExposureTable], level: Double) -> AssociationEstimate {
        var sumR = 0.0, sumS = 0.0, sumPR = 0.0, sumPSQR = 0.0, sumQS = 0.0
        for t in strata where t.n > 0 {
            let n = Double(t.n)
            let r = Double(t.a) * Double(t.d) / n, s = Double(t.b) * Double(t.c) / n
            let p = Double(t.a + t.d) / n, q = Double(t.b + t.c) / n
            sumR += r; sumS += s; sumPR += p * r; sumPSQR += p * s + q * r; sumQS += q * s
        }
        return .logWaldRatio(sumR, sumS, logSE: { (sumPR / (2 * sumR * sumR) + sumPSQR / (2 * sumR * sumS) + sumQS / (2 * sumS * sumS)).squareRoot() },
                             level: level, method: "Mantel-Haenszel odds ratio, Robins-Breslow-Greenland interval",
                             undefined: "every stratum has a zero cell in each diagonal: the pooled odds ratio is undefined (0/0)",
                             infinite: "Σ b_k c_k / n_k = 0: the pooled odds ratio is infinite",
                             zero: "Σ a_k d_k / n_k = 0: the pooled odds ratio is 0 and its log-scale interval undefined")
    }

    /// The Mantel-Haenszel risk ratio (Rothman & Boice 1979) with the Greenland & Robins (1985)
    /// variance, as epiR's `RR.mh.wald` (m1_k = a_k + c_k):
    /// ```
    /// RR_MH = Σ(a_k n0_k / n_k) / Σ(c_k n1_k / n_k)
    /// var(log RR_MH) = Σ(m1_k n1_k n0_k / n_k² − a_k c_k / n_k) / (Σ(a_k n0_k / n_k) Σ(c_k n1_k / n_k))
    /// ```
    static func riskRatio(_ strata: [ExposureTable], level: Double) -> AssociationEstimate {
        var numerator = 0.0, denominator = 0.0, varianceSum = 0.0
        for t in strata where t.n > 0 {
            let n = Double(t.n), n1 = Double(t.exposedN), n0 = Double(t.referenceN)
            numerator += Double(t.a) * n0 / n
            denominator += Double(t.c) * n1 / n
            varianceSum += Double(t.events) * n1 * n0 / (n * n) - Double(t.a) * Double(t.c) / n
        }
        // max(0, ·): a stratum where every row is an event adds 0 to the variance sum, or a last bit below it.
        return .logWaldRatio(numerator, denominator, logSE: { max(0, varianceSum / (numerator * denominator)).squareRoot() }, level: level,
                             method: "Mantel-Haenszel risk ratio, Greenland-Robins interval",
                             undefined: "no stratum has exposed events beside reference rows, nor reference events beside exposed rows: the pooled risk ratio is undefined (0/0)",
                             infinite: "Σ c_k n1_k / n_k = 0: the pooled risk ratio is infinite",
                             zero: "Σ a_k n0_k / n_k = 0: the pooled risk ratio is 0 and its log-scale interval undefined")
    }

    /// The Mantel-Haenszel chi-square test of no association, without continuity correction
    /// (Mantel & Haenszel 1959; = `mantelhaen.test(x, correct = FALSE)`, 2 × 2 × K):
    /// ```
    /// E_k = n1_k m1_k / n_k,   V_k = n1_k n0_k m1_k m0_k / (n_k² (n_k − 1))
    /// X² = (Σ a_k − Σ E_k)² / Σ V_k,   df = 1
    /// ```
    /// A stratum of one row has one exposure level: a_k = E_k and V_k is taken as 0 (R refuses it).
    static func chiSquare(_ strata: [ExposureTable]) -> (TestResult?, String?) {
        var sumA = 0.0, sumE = 0.0, sumV = 0.0
        for t in strata where t.n > 1 {
            let n = Double(t.n), n1 = Double(t.exposedN), n0 = Double(t.referenceN)
            let m1 = Double(t.events), m0 = n - m1
            sumA += Double(t.a)
            sumE += n1 * m1 / n
            sumV += n1 * n0 * m1 * m0 / (n * n * (n - 1))
        }
        guard sumV > 0 else {
            return (nil, "no stratum has both exposure levels and both outcomes: the Mantel-Haenszel test is undefined")
        }
        let statistic = (sumA - sumE) * (sumA - sumE) / sumV
        return (TestResult(statistic: statistic, statisticName: "Mantel-Haenszel X-squared", df: 1, pValue: ChiSquare.survival(statistic, df: 1),
                           method: "Mantel-Haenszel chi-squared test",
                           methodDetails: "Mantel-Haenszel chi-square test of no association over \(strata.count) strata, without continuity correction (R: mantelhaen.test, correct = FALSE)",
                           alternative: .twoSided, estimate: nil, confidenceInterval: nil, expected: nil, warnings: []), nil)
    }

    /// Breslow & Day (1980, §4.4) test of a common odds ratio, with Tarone's (1985) correction. A_k
    /// is the root in [max(0, m1_k − n0_k), min(n1_k, m1_k)] of
    /// ```
    /// A (n0 − m1 + A) = ψ (n1 − A)(m1 − A)       ψ = OR_MH
    /// ⇔ (1 − ψ) A² + (n0 − m1 + ψ (n1 + m1)) A − ψ n1 m1 = 0
    /// V_k = 1 / (1/A + 1/(n1 − A) + 1/(m1 − A) + 1/(n0 − m1 + A))
    /// X²_BD = Σ (a_k − A_k)² / V_k,   X²_Tarone = X²_BD − (Σ a_k − Σ A_k)² / Σ V_k,   df = K' − 1
    /// ```
    /// over the K' strata whose a_k is not fixed by the margins (else V_k = 0 and the term 0/0; epiR
    /// drops those terms too but keeps them in its df). The P value is Tarone's.
    static func breslowDay(_ strata: [ExposureTable], pooled: Double?) -> (Homogeneity?, String?) {
        guard let psi = pooled, psi > 0 else {
            return (nil, "the pooled odds ratio is 0 or does not exist: the Breslow-Day test is undefined")
        }
        var bd = 0.0, sumA = 0.0, sumExpected = 0.0, sumV = 0.0, used = 0
        for t in strata {
            let n1 = Double(t.exposedN), n0 = Double(t.referenceN), m1 = Double(t.events)
            let lo = max(0, m1 - n0), hi = min(n1, m1)
            guard lo < hi else { continue }
            let expected = quadraticRoot(a: 1 - psi, b: n0 - m1 + psi * (n1 + m1), c: -psi * n1 * m1, in: lo...hi)
            let v = 1 / (1 / expected + 1 / (n1 - expected) + 1 / (m1 - expected) + 1 / (n0 - m1 + expected))
            let delta = Double(t.a) - expected
            bd += delta * delta / v
            sumA += Double(t.a); sumExpected += expected; sumV += v
            used += 1
        }
        guard used >= 2 else {
            return (nil, "fewer than two strata have both exposure levels and both outcomes: no test of homogeneity")
        }
        let tarone = bd - (sumA - sumExpected) * (sumA - sumExpected) / sumV
        return (Homogeneity(breslowDay: bd, tarone: tarone, df: used - 1, pValue: ChiSquare.survival(max(0, tarone), df: Double(used - 1)), strataUsed: used), nil)
    }

    /// The root of a x² + b x + c = 0 in `range` (the stratum's support, whose open interior holds
    /// exactly one root for ψ > 0). Both roots come from q = −(b + sign(b)·sqrt(b² − 4ac))/2 as q/a
    /// and c/q (Press et al., Numerical Recipes §5.6), so neither is a difference of nearly equal
    /// numbers; a = 0 (ψ = 1) leaves the linear root −c/b.
    static func quadraticRoot(a: Double, b: Double, c: Double, in range: ClosedRange<Double>) -> Double {
        if a == 0 { return -c / b }
        let q = -0.5 * (b + (b < 0 ? -1 : 1) * max(0, b * b - 4 * a * c).squareRoot())
        let candidates = [c / q, q / a]
        // Pick the root inside the support; the distance guards a last-bit step outside it.
        return candidates.min { distance($0, range) < distance($1, range) } ?? candidates[0]
    }

    private static func distance(_ x: Double, _ range: ClosedRange<Double>) -> Double {
        x.isFinite ? max(range.lowerBound - x, x - range.upperBound, 0) : .infinity
    }
}

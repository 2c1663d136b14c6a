#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A binary exposure by a binary outcome: the 2 × 2 table of a cohort's measures of association.
/// ```
///                 event   no event   total
///   exposed         a        b        n1
///   reference       c        d        n0
/// ```
/// (epiR's `epi.2by2` layout; the [1,1] cell `a` as in ``ContingencyTable`` and R.)
public struct ExposureTable: Sendable, Equatable {
    public let a: Int
    public let b: Int
    public let c: Int
    public let d: Int

    /// - Throws: ``ContingencyError/negativeCount(row:column:value:)`` for events outside 0...n.
    public init(exposedEvents a: Int, exposedN n1: Int, referenceEvents c: Int, referenceN n0: Int) throws(ContingencyError) {
        for (row, events, n) in [(0, a, n1), (1, c, n0)] where events < 0 || events > n {
            throw .negativeCount(row: row, column: events < 0 ? 0 : 1, value: events < 0 ? events : n - events)
        }
        self.a = a
        self.b = n1 - a
        self.c = c
        self.d = n0 - c
    }

    public var exposedN: Int { a + b }
    public var referenceN: Int { c + d }
    public var n: Int { a + b + c + d }
    public var events: Int { a + c }
}

/// One measure of association with its interval; `nil` where the value does not exist (never an
/// infinity or a NaN), and `problem` then says why.
public struct AssociationEstimate: Sendable, Equatable {
    public let estimate: Double?
    public let lower: Double?
    public let upper: Double?
    public let level: Double
    /// The estimator and interval, e.g. "risk ratio, Wald interval on the log scale".
    public let method: String
    /// Why the estimate or a limit is missing (a zero cell), else nil.
    public let problem: String?

    public init(estimate: Double?, lower: Double?, upper: Double?, level: Double, method: String, problem: String? = nil) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
        self.level = level
        self.method = method
        self.problem = problem
    }

    /// The ratio θ = numerator / denominator with its Wald interval on the log scale, exp(log θ ± z·se),
    /// and the one rule for zero cells (no continuity correction; issue 16): 0/0 has no value
    /// (`undefined`), x/0 is infinite and has none either (`infinite`), and 0/x is 0 without an
    /// interval (`zero`: its log is −∞). `logSE` is asked for only when θ is positive and finite.
    static func logWaldRatio(_ numerator: Double, _ denominator: Double, logSE: () -> Double, level: Double, method: String,
                             undefined: String, infinite: String, zero: String) -> AssociationEstimate {
        if denominator == 0 {
            return AssociationEstimate(estimate: nil, lower: nil, upper: nil, level: level, method: method, problem: numerator == 0 ? undefined : infinite)
        }
        if numerator == 0 {
            return AssociationEstimate(estimate: 0, lower: nil, upper: nil, level: level, method: method, problem: zero)
        }
        let theta = numerator / denominator, se = logSE()
        let z = Normal.quantile((1 - level) / 2, upperTail: true)
        return AssociationEstimate(estimate: theta, lower: exp(log(theta) - z * se), upper: exp(log(theta) + z * se), level: level, method: method)
    }
}

/// The crude measures of association of an ``ExposureTable``: risk ratio, risk difference and odds
/// ratio (Wald and conditional maximum likelihood). Formulas and references: the article
/// <doc:MeasuresOfAssociation>.
public struct CrudeAssociation: Sendable, Equatable {
    public let table: ExposureTable
    public let riskRatio: AssociationEstimate
    public let riskDifference: AssociationEstimate
    public let oddsRatio: AssociationEstimate
    public let conditionalOddsRatio: AssociationEstimate

    /// - Parameters:
    ///   - table: the counts; both groups must have rows (n1, n0 > 0).
    ///   - level: the two-sided confidence level, strictly between 0 and 1.
    /// - Throws: ``ContingencyError/invalidConfidenceLevel(_:)``; ``ContingencyError/emptyTable``
    ///   when a group has no rows.
    public init(_ table: ExposureTable, level: Double = 0.95) throws(ContingencyError) {
        guard level > 0, level < 1 else { throw .invalidConfidenceLevel(level) }
        guard table.exposedN > 0, table.referenceN > 0 else { throw .emptyTable }
        self.table = table
        riskRatio = Self.riskRatio(table, level: level)
        riskDifference = Self.riskDifference(table, level: level)
        oddsRatio = Self.waldOddsRatio(table, level: level)
        conditionalOddsRatio = try Self.conditionalOddsRatio(table, level: level)
    }

    /// Risk ratio with the Wald interval on the log scale (Rothman, Greenland & Lash 2008, eq. 14-14;
    /// epiR `epi.2by2` `RR.crude.wald`):
    /// ```
    /// RR = (a/n1) / (c/n0),   se(log RR) = sqrt(b/(a n1) + d/(c n0))   [= sqrt(1/a − 1/n1 + 1/c − 1/n0)]
    /// ```
    /// written with b and d so that no difference of nearly equal terms is taken. No continuity
    /// correction: a = 0 gives RR = 0 without an interval, c = 0 no RR (it is infinite).
    static func riskRatio(_ t: ExposureTable, level: Double) -> AssociationEstimate {
        let a = Double(t.a), c = Double(t.c), n1 = Double(t.exposedN), n0 = Double(t.referenceN)
        return .logWaldRatio(a / n1, c / n0, logSE: { (Double(t.b) / (a * n1) + Double(t.d) / (c * n0)).squareRoot() }, level: level,
                             method: "risk ratio, Wald interval on the log scale",
                             undefined: "no events in either group: the risk ratio is undefined",
                             infinite: "no events in the reference group: the risk ratio is infinite",
                             zero: "no events among the exposed: the risk ratio is 0 and its log-scale interval undefined")
    }

    /// Risk difference with Newcombe's hybrid score interval, method 10 of Newcombe (1998), Stat Med
    /// 17:873-890 (= `DescTools::BinomDiffCI(method = "score")`): with (l1, u1) and (l0, u0) the
    /// Wilson score intervals of p1 = a/n1 and p0 = c/n0 (``BinomialInterval``, no continuity correction),
    /// ```
    /// RD = p1 − p0,   lower = RD − sqrt((p1 − l1)² + (u0 − p0)²),   upper = RD + sqrt((u1 − p1)² + (p0 − l0)²)
    /// ```
    /// Defined for every table with rows in both groups, zero cells included.
    static func riskDifference(_ t: ExposureTable, level: Double) -> AssociationEstimate {
        let halfAlpha = (1 - level) / 2
        let p1 = Double(t.a) / Double(t.exposedN), p0 = Double(t.c) / Double(t.referenceN)
        let (l1, u1) = BinomialInterval.wilson(t.a, t.exposedN, halfAlpha)
        let (l0, u0) = BinomialInterval.wilson(t.c, t.referenceN, halfAlpha)
        let rd = p1 - p0
        let lower = rd - ((p1 - l1) * (p1 - l1) + (u0 - p0) * (u0 - p0)).squareRoot()
        let upper = rd + ((u1 - p1) * (u1 - p1) + (p0 - l0) * (p0 - l0)).squareRoot()
        return AssociationEstimate(estimate: rd, lower: lower, upper: upper, level: level,
                                   method: "risk difference, Newcombe's hybrid score interval (Newcombe 1998, method 10)")
    }

    /// Odds ratio with the Wald (Woolf) interval on the log scale (Agresti 2002, §3.1.1):
    /// ```
    /// OR = ad / (bc),   se(log OR) = sqrt(1/a + 1/b + 1/c + 1/d)
    /// ```
    /// No continuity correction: a zero cell leaves the interval undefined, and the estimate 0
    /// (a or d zero), undefined (b or c zero: infinite) or both zero (0/0).
    static func waldOddsRatio(_ t: ExposureTable, level: Double) -> AssociationEstimate {
        .logWaldRatio(Double(t.a) * Double(t.d), Double(t.b) * Double(t.c),
                      logSE: { (1 / Double(t.a) + 1 / Double(t.b) + 1 / Double(t.c) + 1 / Double(t.d)).squareRoot() }, level: level,
                      method: "odds ratio, Wald interval on the log scale",
                      undefined: "a zero cell in each diagonal: the odds ratio is undefined (0/0)",
                      infinite: "a zero cell (b or c): the odds ratio is infinite",
                      zero: "a zero cell (a or d): the odds ratio is 0 and its log-scale interval undefined")
    }

    /// The conditional maximum-likelihood odds ratio with Fisher's exact interval, as R's
    /// `fisher.test` (its equations solved to rounding: ``ContingencyTable/fisherTwoByTwo(alternative:confidenceLevel:)``,
    /// the one implementation). Its infinite values are written as missing with the reason.
    static func conditionalOddsRatio(_ t: ExposureTable, level: Double) throws(ContingencyError) -> AssociationEstimate {
        let method = "odds ratio, conditional maximum likelihood with Fisher's exact interval"
        let fisher = try ContingencyTable(events1: t.a, of: t.exposedN, events2: t.c, of: t.referenceN)
            .fisherTwoByTwo(alternative: .twoSided, confidenceLevel: level)
        if t.events == 0 || t.events == t.n {
            let problem = t.events == 0 ? "no events: the odds ratio is not identifiable" : "every row is an event: the odds ratio is not identifiable"
            return AssociationEstimate(estimate: nil, lower: nil, upper: nil, level: level, method: method, problem: problem)
        }
        let estimate = fisher.estimate ?? .nan
        let upper = fisher.confidenceInterval?.upper ?? .nan
        let problem: String? = estimate.isInfinite
            ? "a zero cell (b or c): the estimate and the upper limit are infinite"
            : upper.isInfinite ? "the upper limit is infinite" : nil
        return AssociationEstimate(estimate: estimate.isFinite ? estimate : nil, lower: fisher.confidenceInterval?.lower,
                                   upper: upper.isFinite ? upper : nil, level: level, method: method, problem: problem)
    }
}

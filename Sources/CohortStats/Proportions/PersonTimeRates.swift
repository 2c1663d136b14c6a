#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CohortData

/// Person-time incidence rates with exact Poisson intervals, by group, and each group's rate ratio
/// (exact, conditional on the total events) and rate difference (Wald) against a reference group
/// (issue 16).
///
/// With x events over person-time T, α = 1 − level:
/// ```
/// rate = x / T
/// lower = χ²(α/2; 2x) / (2T)          (0 when x = 0)        Garwood (1936); R poisson.test(x, T)
/// upper = χ²(1 − α/2; 2x + 2) / (2T)
/// ```
/// Two groups, x₁ over T₁ against the reference x₀ over T₀: given n = x₁ + x₀, x₁ is binomial with
/// π = T₁ρ / (T₁ρ + T₀), ρ the rate ratio, so the exact (Clopper-Pearson) limits (π_L, π_U) of x₁/n
/// give
/// ```
/// ratio = (x₁/T₁) / (x₀/T₀),   limits π/(1 − π) · T₀/T₁
/// P = binom.test(x₁, n, T₁/(T₁ + T₀)): the two-sided sum of the probabilities no larger than the
///     observed one (times 1 + 1e-7), as R's poisson.test(c(x₁, x₀), c(T₁, T₀)) reports it
/// difference = x₁/T₁ − x₀/T₀,  SE = √(x₁/T₁² + x₀/T₀²),  ± z SE         (epiR epi.2by2, "cohort.time")
/// ```
/// Rates, limits and differences are per `per` units of person-time (`--per 1000`).
public struct PersonTimeRates: Sendable {
    public struct Row: Sendable, Equatable {
        /// The group's value, or nil for the whole cohort.
        public let group: String?
        /// Rows (patients) in the group.
        public let patients: Int
        public let events: Int
        public let personTime: Double
        /// Per ``PersonTimeRates/per`` units of person-time.
        public let rate: Double
        public let lower: Double
        public let upper: Double

        public init(group: String?, patients: Int, events: Int, personTime: Double, rate: Double, lower: Double, upper: Double) {
            self.group = group
            self.patients = patients
            self.events = events
            self.personTime = personTime
            self.rate = rate
            self.lower = lower
            self.upper = upper
        }
    }

    /// A group against the reference.
    public struct Comparison: Sendable, Equatable {
        public let group: String
        public let reference: String
        /// (x₁/T₁)/(x₀/T₀): infinite when the reference has no events, NaN when neither has.
        public let ratio: Double
        public let ratioLower: Double
        public let ratioUpper: Double
        /// The exact conditional P of ratio = 1; NaN when neither group has events.
        public let p: Double
        /// Per ``PersonTimeRates/per`` units.
        public let difference: Double
        public let differenceLower: Double
        public let differenceUpper: Double
    }

    public let source: String
    public let eventsColumn: String
    public let personTimeColumn: String
    /// The person-time's unit from the codebook (`days`), nil when it declares none.
    public let unit: String?
    public let groupColumn: String?
    public let reference: String?
    public let per: Double
    public let level: Double
    public let rows: [Row]
    public let comparisons: [Comparison]
    /// Rows left out for a missing events count, person-time or group.
    public let nDropped: Int

    public static let rateMethod = "exact Poisson (Garwood; R poisson.test)"
    public static let ratioMethod = "exact conditional on the total events (binomial; R poisson.test(c(x1, x0), c(T1, T0)))"
    public static let differenceMethod = "Wald (epiR epi.2by2, cohort.time)"

    /// The rates of `events` over `personTime`, overall or for each value of `group`, and each
    /// group against `reference` (the first group when nil).
    ///
    /// Rows missing the events, the person-time or the group are dropped and counted. Events must be
    /// whole numbers ≥ 0 (a count or 0/1) and person-time a number ≥ 0; a group's total person-time
    /// must be positive.
    /// - Throws: ``ModelError/data(_:)`` for a text or negative or fractional value (with its line),
    ///   an unknown reference group, no complete rows or a group with no person-time;
    ///   `DataError` for an unknown column.
    public static func compute(table: DataTable, events: String, personTime: String, group: String? = nil, reference: String? = nil,
                               per: Double = 1, level: Double = 0.95) throws -> PersonTimeRates {
        let eventsColumn = try table.column(named: events), timeColumn = try table.column(named: personTime)
        guard case .numeric(let counts) = eventsColumn.storage else {
            throw ModelError.data("the events column '\(events)' must hold counts (whole numbers ≥ 0, or 0/1); it holds text")
        }
        guard case .numeric(let times) = timeColumn.storage else {
            throw ModelError.data("the person-time column '\(personTime)' must hold numbers; it holds text")
        }
        let groupColumn = try group.map { try table.column(named: $0) }
        let kept = (0..<table.rowCount).filter { row in
            !counts[row].isNaN && !times[row].isNaN && !(groupColumn?.isMissing(row) ?? false)
        }
        guard !kept.isEmpty else { throw ModelError.noCompleteRows(source: table.source, n: table.rowCount) }
        for row in kept {
            let x = counts[row]
            if x < 0 || x != x.rounded() || !x.isFinite {
                throw ModelError.data("\(table.location(ofRow: row)): the events column '\(events)' holds \(NumberText.shortest(x)); events are counts (whole numbers ≥ 0, or 0/1)")
            }
            if times[row] < 0 || !times[row].isFinite {
                throw ModelError.data("\(table.location(ofRow: row)): the person-time column '\(personTime)' holds \(NumberText.shortest(times[row])); person-time must be ≥ 0")
            }
        }
        let split: [(String?, [Int])] = groupColumn.map { column in column.groups(of: kept).map { ($0.label, $0.rows) } } ?? [(nil, kept)]
        var rows: [Row] = []
        for (label, members) in split {
            // In row order: the same sum on every run.
            var x = 0.0, t = 0.0
            for row in members {
                x += counts[row]
                t += times[row]
            }
            guard t > 0 else {
                throw ModelError.data("\(label.map { "the group '\($0)' of '\(group ?? "")'" } ?? "the data") has no person-time (every '\(personTime)' is 0): its rate is undefined")
            }
            let (lower, upper) = poissonLimits(events: x, personTime: t, level: level)
            rows.append(Row(group: label, patients: members.count, events: Int(x), personTime: t, rate: x / t * per, lower: lower * per, upper: upper * per))
        }
        var referenceLabel: String?
        var comparisons: [Comparison] = []
        if groupColumn != nil {
            let labels = rows.map { $0.group ?? "" }
            if let reference, !labels.contains(reference) {
                throw ModelError.data("the reference group '\(reference)' is not a value of '\(group ?? "")' among the rows used (\(labels.joined(separator: ", ")))")
            }
            let r = reference.flatMap { labels.firstIndex(of: $0) } ?? 0
            referenceLabel = labels[r]
            for (g, row) in rows.enumerated() where g != r {
                comparisons.append(compare(row, against: rows[r], per: per, level: level))
            }
        }
        return PersonTimeRates(source: table.source, eventsColumn: events, personTimeColumn: personTime, unit: timeColumn.variable?.unit,
                               groupColumn: group, reference: referenceLabel, per: per, level: level, rows: rows, comparisons: comparisons,
                               nDropped: table.rowCount - kept.count)
    }

    /// Garwood's exact limits of the rate x/T (per unit of person-time).
    public static func poissonLimits(events x: Double, personTime t: Double, level: Double) -> (lower: Double, upper: Double) {
        let halfAlpha = (1 - level) / 2
        let lower = x == 0 ? 0 : ChiSquare.quantile(halfAlpha, df: 2 * x) / 2 / t
        let upper = ChiSquare.quantile(halfAlpha, df: 2 * x + 2, upperTail: true) / 2 / t
        return (lower, upper)
    }

    /// `row` against `reference`: rate ratio with its exact conditional limits and P, rate difference with Wald limits.
    public static func compare(_ row: Row, against reference: Row, per: Double, level: Double) -> Comparison {
        let x1 = row.events, x0 = reference.events, t1 = row.personTime, t0 = reference.personTime
        let n = x1 + x0
        var ratio = Double.nan, lower = Double.nan, upper = Double.nan, p = Double.nan
        if n > 0 {
            ratio = (Double(x1) / t1) / (Double(x0) / t0)
            let (pLower, pUpper) = BinomialInterval.clopperPearson(x1, n, (1 - level) / 2)
            lower = pLower / (1 - pLower) * t0 / t1
            upper = pUpper == 1 ? .infinity : pUpper / (1 - pUpper) * t0 / t1
            p = binomialTestP(x1, n, p: t1 / (t1 + t0), q: t0 / (t1 + t0))
        }
        let d1 = Double(x1) / t1, d0 = Double(x0) / t0
        let difference = (d1 - d0) * per
        let se = (Double(x1) / (t1 * t1) + Double(x0) / (t0 * t0)).squareRoot() * per
        let z = Normal.quantile((1 - level) / 2, upperTail: true)
        return Comparison(group: row.group ?? "", reference: reference.group ?? "", ratio: ratio, ratioLower: lower, ratioUpper: upper, p: p,
                          difference: difference, differenceLower: difference - z * se, differenceUpper: difference + z * se)
    }

    /// R's `binom.test(x, n, p)$p.value` (two-sided): the probabilities of the outcomes no more likely
    /// than x (within a relative 1e-7), summed through the binomial tails (incomplete beta).
    /// `q` = 1 − p, passed so that neither is rounded by a subtraction.
    static func binomialTestP(_ x: Int, _ n: Int, p: Double, q: Double) -> Double {
        let logP = log(p), logQ = log(q)
        func density(_ k: Int) -> Double { exp(logBinomial(n, k) + Double(k) * logP + Double(n - k) * logQ) }
        /// P(X ≤ k) and P(X > k).
        func lowerTail(_ k: Int) -> Double {
            if k < 0 { return 0 }
            if k >= n { return 1 }
            return IncompleteBeta.regularized(x: q, y: p, a: Double(n - k), b: Double(k + 1)).lower
        }
        func upperTail(_ k: Int) -> Double {
            if k < 0 { return 1 }
            if k >= n { return 0 }
            return IncompleteBeta.regularized(x: q, y: p, a: Double(n - k), b: Double(k + 1)).upper
        }
        let d = density(x) * (1 + 1e-7)
        let m = Double(n) * p
        if Double(x) == m { return 1 }
        let value: Double
        if Double(x) < m {
            let y = (Int(m.rounded(.up))...n).reduce(0) { $0 + (density($1) <= d ? 1 : 0) }
            value = lowerTail(x) + upperTail(n - y)
        } else {
            let y = (0...Int(m.rounded(.down))).reduce(0) { $0 + (density($1) <= d ? 1 : 0) }
            value = lowerTail(y - 1) + upperTail(x - 1)
        }
        return min(1, value)
    }
}

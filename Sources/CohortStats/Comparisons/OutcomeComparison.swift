import CohortData

/// A binary outcome against each candidate factor, as the univariable screen of a cohort paper
/// ("bleeding by baseline platelets < 100: 6/20 vs 6/107, P = .01, Fisher's exact test";
/// "baseline platelets, median 86 vs 178, P < .01, Wilcoxon rank-sum test").
public struct FactorComparison: Sendable {
    public struct Level: Sendable {
        public let label: String
        public let events: Int
        public let n: Int
    }

    /// A measurement summarised among the rows without and with the event.
    public struct Measurement: Sendable {
        public let withoutEvent: NumericSummary
        public let withEvent: NumericSummary
    }

    public let factor: String
    /// A categorical factor's levels with the events in each; empty for a measurement.
    public let levels: [Level]
    /// A measurement's summaries; nil for a categorical factor.
    public let measurement: Measurement?
    public let nUsed: Int
    /// Rows left out for a missing outcome or factor value.
    public let nDropped: Int
    /// The test, or nil when there is nothing to test (see `problem`).
    public let test: TestResult?
    public let problem: String?
    /// A factor of exactly two levels: the second level (exposed) against the first (reference),
    /// with risk ratio, risk difference and odds ratios (issue 16); nil for other factors.
    public internal(set) var association: CrudeAssociation? = nil
    /// With strata: the Mantel-Haenszel analysis of a two-level factor over them.
    public internal(set) var stratified: StratifiedComparison? = nil
}

/// The Mantel-Haenszel analysis of one two-level factor over the levels of a strata column, on the
/// rows where the outcome, the factor and the stratum are all present.
public struct StratifiedComparison: Sendable {
    /// The strata column.
    public let column: String
    /// The stratum labels, in the column's level order (codebook order, else sorted).
    public let labels: [String]
    public let analysis: MantelHaenszel
    /// The factor's rows left out for a missing stratum.
    public let nDropped: Int
    public var n: Int { analysis.n }
}

public enum OutcomeComparison {
    /// The outcome against each factor, each on the rows where both are present.
    ///
    /// A factor is categorical or a measurement by ``CohortData/Column/role(among:maximumInferredLevels:)``.
    /// Categories: events / n at each level (the codebook's order, else sorted) and the
    /// contingency-table test `tests.categories` picks (gtsummary's rule by default). With `trend`,
    /// an ordered factor (a grade, a binary or number column, or declared categorical levels) gets
    /// the Cochran-Armitage trend test instead, with the numbers themselves (or 1, 2, ... for levels)
    /// as scores. Measurements: summaries without and with the event, and `tests.measurements`
    /// (the Wilcoxon rank-sum test by default) between those two groups. Dates are refused.
    /// - Throws: `ModelError` for an outcome that is not binary; `DataError` for an unknown column;
    ///   ``ComparisonError`` for a date factor.
    public static func compare(table: DataTable, outcome: String, eventLevel: String? = nil, factors: [String],
                               tests: GroupTests = .automatic, trend: Bool = false, strata: String? = nil,
                               level: Double = 0.95) throws -> (eventLabel: String, comparisons: [FactorComparison]) {
        let outcomeColumn = try table.column(named: outcome)
        let coding = try ResponseCoding(column: outcomeColumn, eventLevel: eventLevel, source: table.source)
        let strataColumn = try strata.map { try table.column(named: $0) }
        if let strataColumn {
            let present = (0..<table.rowCount).filter { !strataColumn.isMissing($0) }
            switch strataColumn.role(among: present) {
            case .categorical, .freeText: break
            case .continuous, .date: throw ComparisonError.strataNotCategorical(source: table.source, column: strataColumn.name)
            }
        }
        var comparisons: [FactorComparison] = []
        for name in factors {
            let column = try table.column(named: name)
            let rows = (0..<table.rowCount).filter { !outcomeColumn.isMissing($0) && !column.isMissing($0) }
            let dropped = table.rowCount - rows.count
            switch column.role(among: rows) {
            case .categorical, .freeText:
                var comparison = categorical(column, rows: rows, dropped: dropped, isEvent: coding.isEvent, tests: tests, trend: trend)
                if comparison.levels.count == 2 {
                    comparison.association = try association(comparison.levels, level: level)
                    if let strataColumn {
                        comparison.stratified = try stratified(column, over: strataColumn, rows: rows, isEvent: coding.isEvent, level: level, source: table.source)
                    }
                }
                comparisons.append(comparison)
            case .continuous:
                comparisons.append(measurement(column, rows: rows, dropped: dropped, isEvent: coding.isEvent, test: tests.measurements))
            case .date:
                throw ComparisonError.dateFactor(source: table.source, column: name)
            }
        }
        return (coding.eventLabel, comparisons)
    }

    private static func categorical(_ column: Column, rows: [Int], dropped: Int, isEvent: (Int) -> Bool, tests: GroupTests,
                                    trend: Bool) -> FactorComparison {
        let groups = column.groups(of: rows)
        let levels = groups.map { FactorComparison.Level(label: $0.label, events: $0.rows.filter(isEvent).count, n: $0.rows.count) }
        var test: TestResult?
        var problem: String?
        do {
            guard levels.count >= 2 else {
                throw levels.isEmpty ? GroupTestError.fewerThanTwoGroups(withValues: 0) : GroupTestError.singleLevel(levels[0].label)
            }
            if trend {
                guard let scores = trendScores(column, groups: groups) else {
                    throw GroupTestError.unorderedLevels(column: column.name)
                }
                test = try CochranArmitage.test(events: levels.map(\.events), totals: levels.map(\.n), scores: scores)
            } else {
                test = try ContingencyTable(levels.map { [$0.n - $0.events, $0.events] }).test(tests.categories)
            }
        } catch {
            problem = String(describing: error)
        }
        return FactorComparison(factor: column.name, levels: levels, measurement: nil, nUsed: rows.count, nDropped: dropped,
                                test: test, problem: problem)
    }

    /// The second level (exposed) against the first (reference): the codebook's order, else sorted,
    /// so a 0/1 factor compares 1 with 0.
    private static func association(_ levels: [FactorComparison.Level], level: Double) throws -> CrudeAssociation {
        try CrudeAssociation(ExposureTable(exposedEvents: levels[1].events, exposedN: levels[1].n,
                                           referenceEvents: levels[0].events, referenceN: levels[0].n), level: level)
    }

    /// One ``ExposureTable`` per stratum (the strata column's levels among the rows that have one),
    /// the factor's two levels as in ``association(_:level:)``.
    private static func stratified(_ column: Column, over strata: Column, rows: [Int], isEvent: (Int) -> Bool,
                                   level: Double, source: String) throws -> StratifiedComparison {
        let exposed = Set(column.groups(of: rows)[1].rows)
        let kept = rows.filter { !strata.isMissing($0) }
        let groups = strata.groups(of: kept)
        guard !groups.isEmpty else { throw ComparisonError.noStrata(source: source, column: strata.name, factor: column.name) }
        let tables = try groups.map { group in
            let exposedRows = group.rows.filter(exposed.contains)
            let referenceRows = group.rows.filter { !exposed.contains($0) }
            return try ExposureTable(exposedEvents: exposedRows.filter(isEvent).count, exposedN: exposedRows.count,
                                     referenceEvents: referenceRows.filter(isEvent).count, referenceN: referenceRows.count)
        }
        return StratifiedComparison(column: strata.name, labels: groups.map(\.label), analysis: try MantelHaenszel(strata: tables, level: level),
                                    nDropped: rows.count - kept.count)
    }

    /// Scores for a trend: a number column's own values (grades 0-5, 0/1); 1, 2, ... for text levels
    /// in a declared order; nil for text levels whose order is only alphabetical.
    private static func trendScores(_ column: Column, groups: [(label: String, rows: [Int])]) -> [Double]? {
        switch column.storage {
        case .numeric(let values): return groups.map { values[$0.rows[0]] }
        case .text: return column.hasDeclaredLevelOrder ? groups.indices.map { Double($0 + 1) } : nil
        }
    }

    private static func measurement(_ column: Column, rows: [Int], dropped: Int, isEvent: (Int) -> Bool, test choice: MeasurementTest) -> FactorComparison {
        // A measurement is always stored as numbers (its codebook type is integer, real or day, or
        // it was inferred from numbers); an empty array keeps this total anyway.
        let values: [Double]
        if case .numeric(let numbers) = column.storage { values = numbers } else { values = [] }
        let without = rows.filter { !isEvent($0) }.map { values[$0] }
        let with = rows.filter(isEvent).map { values[$0] }
        var test: TestResult?
        var problem: String?
        do {
            guard !values.isEmpty else { throw GroupTestError.noTest(kind: "a measurement stored as text") }
            guard !without.isEmpty, !with.isEmpty else { throw GroupTestError.noVariationInOutcome(events: with.count, total: rows.count) }
            test = try choice.test([without, with])
        } catch {
            problem = String(describing: error)
        }
        return FactorComparison(factor: column.name, levels: [], measurement: .init(withoutEvent: NumericSummary(without), withEvent: NumericSummary(with)),
                                nUsed: rows.count, nDropped: dropped, test: test, problem: problem)
    }
}

public enum ComparisonError: Error, Equatable, CustomStringConvertible {
    case dateFactor(source: String, column: String)
    /// Strata must be categories: a measurement or a date would make a stratum of nearly every row.
    case strataNotCategorical(source: String, column: String)
    /// No row where the factor and the outcome are present has a stratum.
    case noStrata(source: String, column: String, factor: String)

    public var description: String {
        switch self {
        case .dateFactor(let source, let column):
            "\(source): '\(column)' is a date; compare a duration instead, e.g. a derived days_between(start, \(column))"
        case .strataNotCategorical(let source, let column):
            "\(source): strata '\(column)' is a measurement or a date; stratify by a categorical column (a grade, a group, or a derived category of it)"
        case .noStrata(let source, let column, let factor):
            "\(source): strata '\(column)' has no value on any row where '\(factor)' and the outcome are present: nothing to stratify"
        }
    }
}

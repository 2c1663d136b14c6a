/// Why a rank, trend, correlation or t test was refused. Each message names the problem and, where
/// R returns NaN or NA instead of stopping, says so.
public enum GroupTestError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A sample or group with fewer observations than the test needs.
    case tooFewObservations(what: String, needed: Int, got: Int)
    /// A value that is NaN or infinite: drop missing values before testing.
    case nonFiniteValue(what: String, index: Int)
    /// Every observation has the same value, so there is no rank or score variation to test.
    case allTied(test: String)
    /// Both samples (t test) have zero variance, or a variable in a correlation is constant.
    case constant(what: String, test: String)
    case lengthMismatch(x: Int, y: Int)
    case invalidConfidenceLevel(Double)
    /// Trend test input that is not counts: events > total or a negative count.
    case invalidCounts(index: Int, events: Int, total: Int)
    /// Trend test: every subject had the event, or none did.
    case noVariationInOutcome(events: Int, total: Int)
    /// Trend test: the groups with subjects all have the same score.
    case equalScores
    /// An exact distribution too large to count in reasonable time (asked for with `exact: true`).
    case exactTooLarge(test: String, sizes: [Int], limit: Int)
    /// A data-table column that does not hold numbers (a correlation needs numbers).
    case notNumeric(source: String, column: String)
    /// Fewer than two groups hold a value of the variable compared.
    case fewerThanTwoGroups(withValues: Int)
    /// A categorical variable with a single level among the rows compared.
    case singleLevel(String)
    /// A two-group test asked to compare more groups.
    case twoGroupsOnly(test: String, groups: Int, instead: String)
    /// Trend test on levels with no order (text levels sorted alphabetically).
    case unorderedLevels(column: String)
    /// No test exists for this kind of variable (dates, free text).
    case noTest(kind: String)

    public var description: String {
        switch self {
        case let .tooFewObservations(what, needed, got):
            return "\(what) has \(got) observation\(got == 1 ? "" : "s"), the test needs at least \(needed)"
        case let .nonFiniteValue(what, index):
            return "\(what) has a missing or non-finite value at position \(index + 1); drop missing values before testing"
        case let .allTied(test):
            return "\(test): every observation has the same value, so the ranks carry no information (R returns NaN)"
        case let .constant(what, test):
            return "\(test): \(what) is constant (zero variance), so the test is undefined (R returns NA or stops: 'data are essentially constant')"
        case let .lengthMismatch(x, y):
            return "x has \(x) values and y has \(y); a correlation needs pairs"
        case let .invalidConfidenceLevel(level):
            return "confidence level must be strictly between 0 and 1 (got \(level))"
        case let .invalidCounts(index, events, total):
            return "group \(index + 1): \(events) events out of \(total) is not a valid count"
        case let .noVariationInOutcome(events, total):
            return "\(events) of \(total) subjects had the event, so there is no variation in the outcome to test"
        case .equalScores:
            return "trend test: every group with subjects has the same score, so there is no trend to test (R returns NA)"
        case let .exactTooLarge(test, sizes, limit):
            return "\(test): the exact distribution for samples of \(sizes.map(String.init).joined(separator: " and ")) is too large to count (above \(limit)\(sizes.count == 2 ? " for m x n" : " pairs")); use the normal approximation (exact: false, or leave exact unset)"
        case let .notNumeric(source, column):
            return "\(source): '\(column)' holds text, not numbers; a correlation needs two numeric columns (binary, grade and count columns are numbers)"
        case let .fewerThanTwoGroups(withValues):
            return withValues == 0 ? "no values in any group: nothing to compare" : "values in one group only: nothing to compare"
        case let .singleLevel(level):
            return "one value only ('\(level)'): nothing to compare"
        case let .twoGroupsOnly(test, groups, instead):
            return "\(test) compares two groups, not \(groups); use \(instead)"
        case let .unorderedLevels(column):
            return "'\(column)' has unordered levels: the trend test needs a grade, a number or categorical levels declared in order in the codebook"
        case let .noTest(kind):
            return "no test for \(kind)"
        }
    }
}

/// Checks shared by the tests in GroupComparisons/ and Correlation/.
enum GroupTestInput {
    static func requireFinite(_ values: [Double], _ what: String) throws(GroupTestError) {
        if let i = values.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteValue(what: what, index: i) }
    }

    static func requireCount(_ values: [Double], atLeast needed: Int, _ what: String) throws(GroupTestError) {
        if values.count < needed { throw .tooFewObservations(what: what, needed: needed, got: values.count) }
    }

    static func requireLevel(_ level: Double) throws(GroupTestError) {
        guard level > 0, level < 1 else { throw .invalidConfidenceLevel(level) }
    }

    /// "n = 12" or "n = 12 and 7": the n used, as every methodDetails states it.
    static func sizes(_ ns: [Int]) -> String {
        ns.count == 1 ? "n = \(ns[0])" : "n = " + ns.map(String.init).joined(separator: ns.count == 2 ? " and " : ", ")
    }
}

extension TestResult.Alternative {
    /// The P of a statistic with a continuous null distribution, from its two tail functions:
    /// less = lower tail, greater = upper tail, two-sided = 2 × the smaller tail, capped at 1 (R's
    /// `2 * min(pnorm(z), pnorm(z, lower.tail = FALSE))` and the like).
    func pValue(lower: Double, upper: Double) -> Double {
        switch self {
        case .less: return lower
        case .greater: return upper
        case .twoSided: return min(1, 2 * min(lower, upper))
        }
    }
}

/// Small-cell suppression for tables shared outside the institution (`--suppress-below K`).
///
/// The rule, implemented once here and used by every builder that prints counts:
///
/// 1. **Primary**: a count of 1 to K − 1 is shown as `<K`. Zero is shown as is (the common rule:
///    "nobody" identifies no one, and hiding zeros hides structural zeros too).
/// 2. **Secondary**: the reader knows every shown count and every total that a table shows or
///    implies (a row total, a column's n, the overall column, a group's N in the header). A builder
///    describes those as linear constraints between its cells (`parts` sum to `total`). The reader's
///    knowledge is propagated as integer bounds: a shown cell is exact, a `<K` cell lies in
///    [1, K − 1], a secondary cell (shown `≥K`) in [K, ∞), a cell the table never prints (the
///    non-events of a row that shows events and n) in [0, ∞). Whenever a small count (1..K − 1),
///    printed or not, is pinned to one value by subtraction, the smallest non-zero shown cell of a
///    constraint that pins it is hidden as well, and the bounds are propagated again, until no
///    small count can be recovered. Two or more small cells in one row protect each other unless
///    their sum forces each value (two `<5` cells whose sum is 2 are both 1), which the propagation
///    detects.
/// 3. A percentage, interval or rate is shown only when its count and its denominator are both
///    shown: a percentage of a hidden count recovers it.
///
/// ```
/// bounds of x_k from a constraint Σ parts − total = 0:
///   x_k ∈ [total_lo − Σ_{i≠k} part_hi,  total_hi − Σ_{i≠k} part_lo]   (x_k a part)
///   x_k ∈ [Σ part_lo,  Σ part_hi]                                      (x_k the total)
/// ```
///
/// Reference: the threshold-plus-complementary-suppression rule of ONS/NHS Digital small-number
/// guidance (suppress 1..K − 1, then the next smallest cell where a total would reveal it).
public struct Suppression: Sendable, Equatable {
    /// K: counts 1 to K − 1 are hidden; K ≤ 1 hides nothing; K = 2 only relabels 1 as <2 (see
    /// `statuses`), so 3 or more is what protects anything.
    public let threshold: Int

    public init(below threshold: Int) { self.threshold = threshold }

    public static let none = Suppression(below: 1)

    public var isActive: Bool { threshold > 1 }

    /// A count the rule hides by itself.
    public func isSmall(_ count: Int) -> Bool { isActive && count >= 1 && count < threshold }

    /// One count of a table: its value and whether the table prints it.
    public struct Cell: Sendable, Equatable {
        public var count: Int
        public var printed: Bool
        public init(_ count: Int, printed: Bool = true) {
            self.count = count
            self.printed = printed
        }
    }

    /// The reader can compute `total` from `parts` (indices into the cells); `total` nil when the
    /// total is a number the table prints elsewhere that is not itself a cell (treated as known).
    public struct Constraint: Sendable, Equatable {
        public var parts: [Int]
        public var total: Int?
        public init(parts: [Int], total: Int? = nil) {
            self.parts = parts
            self.total = total
        }
    }

    public enum Status: Sendable, Equatable {
        case shown
        /// 1..K − 1, printed `<K`.
        case small
        /// Hidden so that a small cell cannot be recovered; printed `≥K`.
        case secondary
    }

    /// Which cells to hide.
    /// - Parameters:
    ///   - cells: every count of the table, printed or implied.
    ///   - constraints: the sums a reader knows.
    /// - Returns: one status a cell; `unprotectable` lists small cells that remain recoverable
    ///   because no shown non-zero cell is left to hide (the builder says so in a note).
    ///   - fixed: cells whose status was decided elsewhere (a group's N in a table header, shared by
    ///     every variable): kept as given, never chosen as a secondary cell.
    public func statuses(_ cells: [Cell], constraints: [Constraint], fixed: [Int: Status] = [:]) -> (statuses: [Status], unprotectable: [Int]) {
        var status = cells.indices.map { i in fixed[i] ?? (isSmall(cells[i].count) && cells[i].printed ? Status.small : .shown) }
        // K = 2 prints every 1 as <2, which (zeros being shown) says it is 1: no further hiding
        // can protect it, so there is no secondary step; the CLI refuses K = 2 for that reason.
        guard isActive, threshold > 2 else { return (status, []) }
        let knownTotals = constraints.map { c in c.total == nil ? c.parts.reduce(0) { $0 + cells[$1].count } : 0 }
        var unprotectable: [Int] = []
        func members(_ c: Constraint) -> [Int] { c.parts + (c.total.map { [$0] } ?? []) }
        func pinned(_ status: [Status]) -> (leak: Int?, bounds: [(lower: Int, upper: Int)]) {
            let bounds = propagate(cells, status: status, constraints: constraints, knownTotals: knownTotals)
            let leak = cells.indices.first { i in isSmall(cells[i].count) && bounds[i].lower == bounds[i].upper && !unprotectable.contains(i) }
            return (leak, bounds)
        }
        for _ in 0..<(2 * cells.count + 1) {
            let (found, bounds) = pinned(status)
            guard let leak = found else { break }
            // Candidates: shown non-zero cells sharing a constraint with the leak; when none is
            // left, those sharing a constraint with a hidden cell that is itself pinned (the leak
            // then flows through it from a neighbouring row or column).
            let open = { (i: Int) in cells[i].printed && status[i] == .shown && cells[i].count > 0 && fixed[i] == nil }
            var pool = constraints.filter { members($0).contains(leak) }.flatMap(members).filter(open)
            if pool.isEmpty {
                let through = cells.indices.filter { status[$0] != .shown && bounds[$0].lower == bounds[$0].upper }
                pool = constraints.filter { !Set(members($0)).isDisjoint(with: through) }.flatMap(members).filter(open)
            }
            let ordered = Set(pool).sorted { a, b in cells[a].count != cells[b].count ? cells[a].count < cells[b].count : a < b }
            guard let smallest = ordered.first else {
                unprotectable.append(leak)
                continue
            }
            // The smallest cell whose hiding alone protects the leak, else the smallest.
            let next = ordered.first { candidate in
                var trial = status
                trial[candidate] = .secondary
                return pinned(trial).leak != leak
            } ?? smallest
            status[next] = isSmall(cells[next].count) ? .small : .secondary
        }
        return (status, unprotectable)
    }

    /// The reader's bounds on every cell, by repeated interval propagation through the constraints.
    func propagate(_ cells: [Cell], status: [Status], constraints: [Constraint], knownTotals: [Int]) -> [(lower: Int, upper: Int)] {
        let infinity = cells.reduce(0) { $0 + $1.count } * 2 + threshold + 1
        var bounds = cells.indices.map { i -> (lower: Int, upper: Int) in
            guard cells[i].printed else { return (0, infinity) }
            switch status[i] {
            case .shown: return (cells[i].count, cells[i].count)
            case .small: return (1, threshold - 1)
            case .secondary: return (threshold, infinity)
            }
        }
        var changed = true
        var rounds = 0
        while changed, rounds < 200 {
            changed = false
            rounds += 1
            for (c, constraint) in constraints.enumerated() {
                let totalBounds = constraint.total.map { bounds[$0] } ?? (knownTotals[c], knownTotals[c])
                let sumLower = constraint.parts.reduce(0) { $0 + bounds[$1].lower }
                let sumUpper = constraint.parts.reduce(0) { $0 + bounds[$1].upper }
                for k in constraint.parts {
                    let lower = max(bounds[k].lower, totalBounds.0 - (sumUpper - bounds[k].upper))
                    let upper = min(bounds[k].upper, totalBounds.1 - (sumLower - bounds[k].lower))
                    if lower != bounds[k].lower || upper != bounds[k].upper {
                        bounds[k] = (lower, max(lower, upper))
                        changed = true
                    }
                }
                if let t = constraint.total {
                    let lower = max(bounds[t].lower, sumLower), upper = min(bounds[t].upper, sumUpper)
                    if lower != bounds[t].lower || upper != bounds[t].upper {
                        bounds[t] = (lower, max(lower, upper))
                        changed = true
                    }
                }
            }
        }
        return bounds
    }

    /// The note of a table whose builder does not suppress (numbers at risk and estimates of
    /// curves, correlations): a batch report that asked for suppression must not share it as is.
    public static let notAppliedNote = "warning: small-cell suppression was requested but is not applied to this table (its counts and estimates are shown as computed); do not share it outside the institution."

    /// The note of a table that withholds P values: with a table's margins shown, an exact test's P
    /// is a function of its cells and can pin a hidden one (issue 13).
    public func withheldPNote(missing: String) -> String {
        "Small-cell suppression: a P value is shown as \(missing) when its test's table has a hidden count (<\(threshold) or ≥\(threshold)): with the margins shown, the P value of an exact test can reveal the hidden count."
    }

    /// A count as printed under its status.
    public func text(_ count: Int, _ status: Status) -> String {
        switch status {
        case .shown: String(count)
        case .small: "<\(threshold)"
        case .secondary: "≥\(threshold)"
        }
    }

    /// The table note that says what was hidden and why; nil when nothing was.
    public func note(_ statuses: [Status], unprotectable: Int = 0) -> String? {
        guard isActive, statuses.contains(where: { $0 != .shown }) || unprotectable > 0 else { return nil }
        var text = "Small-cell suppression: counts of 1–\(threshold - 1) are shown as <\(threshold) (zeros are shown)"
        if statuses.contains(.secondary) {
            text += "; cells shown as ≥\(threshold) were hidden as well because a total would otherwise reveal a <\(threshold) count by subtraction"
        }
        text += "; percentages and intervals of hidden counts are not shown."
        if unprotectable > 0 { text += " \(unprotectable) small count(s) could not be protected by hiding further cells: check before sharing." }
        return text
    }
}

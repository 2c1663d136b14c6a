#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The network algorithm for the two-sided P of Fisher's exact test on an r × c table
/// (Mehta and Patel 1983), the method of R's `fisher.test` (FEXACT).
///
/// Tables with the observed margins are paths through a network: filling the table one column at
/// a time, the node after k columns is the multiset of remaining row totals (sorted, so that row
/// orders that leave the same totals share a node: the remaining sub-table's distribution depends
/// only on the multisets of its margins). An edge fills one column x_·k and has length
/// −Σ_i log x_ik!; a table's path length w(T) = −Σ_ij log x_ij! is its log probability up to the
/// constant log(Π r_i! Π c_j! / n!). Three things are known exactly at every node s before column k:
/// ```
/// total(s)    = log Σ_completions exp(length) = log N! − Σ_i log s_i! − Σ_{j≥k} log c_j!   (N = Σ_{j≥k} c_j)
/// longest(s)  = max over completions of the length,   shortest(s) = min over completions
/// ```
/// (total: the multinomial identity Σ Π_j c_j!/Π_i x_ij! = N!/Π_i s_i!; longest and shortest: a
/// backward dynamic programme over the network, which is built once). A partial path of length w
/// reaching s is then settled without visiting its completions when
/// - w + longest(s) ≤ cutoff: every completion counts, add exp(w + total(s));
/// - w + shortest(s) > cutoff: none counts, drop it;
///
/// and otherwise extended along the node's edges (cutoff = w(observed) + log(1 + 1e-7), R's
/// tolerance). Paths that reach a node with the same length (to 2⁻³⁶ ≈ 1.5e-11 in log scale) are
/// merged into one with a multiplicity, as FEXACT keeps its list of "past path" values per node.
/// Exact longest and shortest paths (rather than Joe's 1988 bounds) cost one pass over the
/// network's edges and settle the most paths.
///
/// Within a block of rows with equal remaining totals only non-increasing column fillings are
/// enumerated, each weighted by its number of distinct permutations: they lead to the same node
/// with the same edge length.
///
/// References: Mehta, C. R. and Patel, N. R. (1983), A network algorithm for performing Fisher's
/// exact test in r × c contingency tables, JASA 78, 427–434; Joe, H. (1988), Extreme probabilities
/// for contingency tables under row and column independence with application to Fisher's exact
/// test, Communications in Statistics – Theory and Methods 17, 3677–3685.
struct FisherNetwork {
    /// One node: a multiset of remaining row totals before some column.
    struct Node {
        var state: [Int]
        /// (child index in the next stage, edge length, number of column fillings it stands for)
        var edges: [(child: Int, length: Double, count: Double)] = []
        var longest = -Double.infinity
        var shortest = Double.infinity
        var total = 0.0
        /// The number of completions (tables, from the root).
        var paths = 0.0
    }

    let columnTotals: [Int]
    let logFactorial: [Double]
    /// The observed table's path length −Σ log x_ij!.
    let observedLength: Double
    /// log(Π r_i! Π c_j! / n!): a path length plus this is a log probability.
    let logConstant: Double
    let rowTotals: [Int]

    init(_ table: ContingencyTable) {
        // Rows are the state, so put the shorter dimension in the rows; sort the columns largest
        // first (a full column early leaves fewer distinct remainders).
        // Empty rows and columns change no probability (0! = 1), so they are dropped first, as R does.
        let full = table.counts.filter { $0.contains { $0 > 0 } }
        let kept = (0..<table.columnCount).filter { j in full.contains { $0[j] > 0 } }
        let dense = full.map { row in kept.map { row[$0] } }
        let counts = dense.count > kept.count ? kept.indices.map { j in dense.map { $0[j] } } : dense
        rowTotals = counts.map { $0.reduce(0, +) }
        let columns = counts[0].count
        columnTotals = (0..<columns).map { j in counts.reduce(0) { $0 + $1[j] } }.sorted(by: >)
        let logFactorial: [Double] = (0...table.total).map { k in lgamma(Double(k) + 1) }
        self.logFactorial = logFactorial
        observedLength = counts.joined().reduce(0) { $0 - logFactorial[$1] }
        logConstant = rowTotals.reduce(0) { $0 + logFactorial[$1] } + columnTotals.reduce(0) { $0 + logFactorial[$1] }
            - logFactorial[table.total]
    }

    /// The two-sided P, the number of tables with the observed margins and the work done (column
    /// fillings generated plus partial paths extended).
    /// - Throws: ``ContingencyError/tooManyTables(limit:)`` when the work exceeds `limit`.
    func twoSidedP(limit: Int) throws(ContingencyError) -> (p: Double, tables: Double, work: Int) {
        var work = 0
        let stages = try buildNetwork(work: &work, limit: limit)
        let cutoff = observedLength + log1p(1e-7)
        var sum = 0.0   // Σ exp(length − observedLength) over the tables counted
        // Past paths at each node of the current stage: key (length on a 2⁻³⁶ grid) -> (length, count).
        var past: [[Int64: (length: Double, count: Double)]] = [[0: (0, 1)]]
        for k in stages.indices {
            let nodes = stages[k]
            var next = [[Int64: (length: Double, count: Double)]](repeating: [:], count: k + 1 < stages.count ? stages[k + 1].count : 0)
            for (index, node) in nodes.enumerated() {
                // In key order, not the dictionary's (per-process seeded) order: the floating-point
                // sums, and so the last digits of P, must not change from run to run.
                for key in past[index].keys.sorted() {
                    guard let path = past[index][key] else { continue }
                    if path.length + node.longest <= cutoff {
                        sum += path.count * exp(path.length + node.total - observedLength)
                    } else if path.length + node.shortest > cutoff {
                        continue
                    } else {
                        for edge in node.edges {
                            work += 1
                            let length = path.length + edge.length
                            let key = Self.key(length)
                            if let old = next[edge.child][key] {
                                next[edge.child][key] = (old.length, old.count + path.count * edge.count)
                            } else {
                                next[edge.child][key] = (length, path.count * edge.count)
                            }
                        }
                        if work > limit { throw .tooManyTables(limit: limit) }
                    }
                }
            }
            past = next
        }
        let tables = stages[0].first?.paths ?? 0
        return (min(1, sum * exp(observedLength + logConstant)), tables, work)
    }

    /// Path lengths that agree to 2⁻³⁶ share a key (those that differ only by rounding merge).
    static func key(_ length: Double) -> Int64 {
        let scaled = (length * 68_719_476_736).rounded()
        return abs(scaled) < 9e18 ? Int64(scaled) : Int64(bitPattern: length.bitPattern)
    }

    /// The stages of the network (stage k: the nodes before column k), with every node's edges,
    /// longest and shortest completion and log total.
    func buildNetwork(work: inout Int, limit: Int) throws(ContingencyError) -> [[Node]] {
        let columns = columnTotals.count
        var stages: [[Node]] = [[Node(state: rowTotals.sorted(by: >))]]
        for k in 0..<(columns - 1) {
            var index: [[Int]: Int] = [:]
            var children: [Node] = []
            for n in stages[k].indices {
                var edges: [(child: Int, length: Double, count: Double)] = []
                let state = stages[k][n].state
                try forEachFilling(of: state, total: columnTotals[k], work: &work, limit: limit) { x, length, count in
                    let child = zip(state, x).map { $0 - $1 }.sorted(by: >)
                    let c: Int
                    if let existing = index[child] { c = existing } else {
                        c = children.count
                        index[child] = c
                        children.append(Node(state: child))
                    }
                    edges.append((c, length, count))
                }
                stages[k][n].edges = edges
            }
            stages.append(children)
        }
        // Backward: the last column is forced (x = state), then longest/shortest by the recursion.
        var remaining = 0
        for k in stride(from: columns - 1, through: 0, by: -1) {
            remaining += columnTotals[k]
            let columnPart = columnTotals[k...].reduce(0) { $0 + logFactorial[$1] }
            for n in stages[k].indices {
                let state = stages[k][n].state
                stages[k][n].total = logFactorial[remaining] - state.reduce(0) { $0 + logFactorial[$1] } - columnPart
                if k == columns - 1 {
                    let length = state.reduce(0) { $0 - logFactorial[$1] }
                    stages[k][n].longest = length
                    stages[k][n].shortest = length
                    stages[k][n].paths = 1
                } else {
                    for edge in stages[k][n].edges {
                        let child = stages[k + 1][edge.child]
                        stages[k][n].longest = max(stages[k][n].longest, edge.length + child.longest)
                        stages[k][n].shortest = min(stages[k][n].shortest, edge.length + child.shortest)
                        stages[k][n].paths += edge.count * child.paths
                    }
                }
            }
        }
        return stages
    }

    /// Calls `body(x, −Σ log x_i!, count)` for every filling x of one column with total `total`
    /// under the (descending) row remainders `state`, up to permutations within blocks of equal
    /// remainders: there x is non-increasing and `count` is the number of its distinct permutations.
    func forEachFilling(of state: [Int], total: Int, work: inout Int, limit: Int,
                        _ body: ([Int], Double, Double) -> Void) throws(ContingencyError) {
        let rows = state.count
        var below = [Int](repeating: 0, count: rows + 1)
        for i in stride(from: rows - 1, through: 0, by: -1) { below[i] = below[i + 1] + state[i] }
        var x = [Int](repeating: 0, count: rows)
        var failed = false
        // log k! for k <= rows (block sizes and multiplicities), which may exceed n when rows are empty.
        let smallLogFactorial: [Double] = (0...rows).map { k in (1...max(k, 1)).reduce(0.0) { $0 + log(Double($1)) } }

        func fill(_ row: Int, left: Int, length: Double) {
            if failed { return }
            if row == rows - 1 {
                // The last row takes what is left (within its remainder, by the ranges below).
                if row > 0, state[row] == state[row - 1], left > x[row - 1] { return }
                x[row] = left
                work += 1
                if work > limit { failed = true; return }
                body(x, length - logFactorial[left], permutations())
                return
            }
            var high = min(state[row], left)
            if row > 0, state[row] == state[row - 1] { high = min(high, x[row - 1]) }
            let low = max(0, left - below[row + 1])
            guard low <= high else { return }
            for value in low...high {
                x[row] = value
                fill(row + 1, left: left - value, length: length - logFactorial[value])
            }
        }

        /// Π over blocks of equal remainders of (block size)! / Π (multiplicity of each value)!.
        func permutations() -> Double {
            var count = 1.0
            var start = 0
            while start < rows {
                var end = start
                while end + 1 < rows, state[end + 1] == state[start] { end += 1 }
                if end > start {
                    var logCount = smallLogFactorial[end - start + 1]
                    var i = start
                    while i <= end {
                        var j = i
                        while j + 1 <= end, x[j + 1] == x[i] { j += 1 }
                        logCount -= smallLogFactorial[j - i + 1]
                        i = j + 1
                    }
                    count *= exp(logCount).rounded()
                }
                start = end + 1
            }
            return count
        }

        fill(0, left: total, length: 0)
        if failed { throw .tooManyTables(limit: limit) }
    }
}

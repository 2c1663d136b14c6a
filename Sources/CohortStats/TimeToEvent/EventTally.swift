/// The data sorted once by time and counted at each distinct time, by group and status: everything
/// Kaplan-Meier, the cumulative incidence and Gray's test need, in O(n log n) to build and
/// O(distinct times × groups) to walk.
///
/// Ties are exact equality of the stored `Double` times, as in `survfit` and `cmprsk` (both compare
/// times with `==` after sorting), so two rows on day 12 are one time with two rows.
public struct EventTally: Sendable {
    /// The distinct times, ascending.
    public let times: [Double]
    public let groupCount: Int
    public let typeCount: Int
    /// Rows in each group.
    public let groupSizes: [Int]
    /// `counts[(t · groupCount + g) · (typeCount + 1) + s]`: rows of group g with time `times[t]`
    /// and status s (0 censored, k event type k).
    private let counts: [Int32]
    /// `atRisk[t · groupCount + g]`: rows of group g with time >= `times[t]`.
    private let atRisk: [Int32]

    /// Tallies `data`, or only the rows in `rows` (a stratum).
    public init(_ data: CompetingRisksData, rows: [Int]? = nil) {
        groupCount = data.groupCount
        typeCount = data.eventTypes.count
        let statusCount = typeCount + 1
        // One key a row, (time, group · statusCount + status), sorted by time only: the order within a
        // tie does not matter because a tie is counted as a whole.
        var keys: [(time: Double, code: Int32)] = []
        if let rows {
            keys = rows.map { (data.times[$0] + 0.0, data.groupCodes[$0] * Int32(statusCount) + data.status[$0]) }
        } else {
            keys.reserveCapacity(data.count)
            for i in 0..<data.count {
                // + 0.0 turns -0.0 into 0.0 (a tie with 0 under ==, but not for the sort's bits).
                keys.append((data.times[i] + 0.0, data.groupCodes[i] * Int32(statusCount) + data.status[i]))
            }
        }
        keys.sort { $0.time < $1.time }
        var times: [Double] = []
        var counts: [Int32] = []
        let cell = groupCount * statusCount
        var sizes = [Int](repeating: 0, count: groupCount)
        for key in keys {
            if times.last != key.time {
                times.append(key.time)
                counts.append(contentsOf: repeatElement(0, count: cell))
            }
            counts[(times.count - 1) * cell + Int(key.code)] += 1
            sizes[Int(key.code) / statusCount] += 1
        }
        var atRisk = [Int32](repeating: 0, count: times.count * groupCount)
        var remaining = sizes.map { Int32($0) }
        for t in times.indices {
            for g in 0..<groupCount {
                atRisk[t * groupCount + g] = remaining[g]
                let base = (t * groupCount + g) * statusCount
                for s in 0..<statusCount { remaining[g] -= counts[base + s] }
            }
        }
        self.times = times
        self.counts = counts
        self.atRisk = atRisk
        self.groupSizes = sizes
    }

    /// Rows of group `g` at time index `t` with status `s` (0 censored, k event type k).
    @inline(__always) public func count(time t: Int, group g: Int, status s: Int) -> Int {
        Int(counts[(t * groupCount + g) * (typeCount + 1) + s])
    }

    /// Rows of group `g` at time index `t`, whatever their status.
    @inline(__always) public func rowCount(time t: Int, group g: Int) -> Int {
        let base = (t * groupCount + g) * (typeCount + 1)
        var total = 0
        for s in 0...typeCount { total += Int(counts[base + s]) }
        return total
    }

    /// Rows of group `g` still at risk at time index `t` (time >= `times[t]`).
    @inline(__always) public func atRisk(time t: Int, group g: Int) -> Int { Int(atRisk[t * groupCount + g]) }

    /// Rows of group `g` with time >= `day`: the number at risk on that day.
    public func atRisk(onDay day: Double, group g: Int) -> Int {
        let t = firstIndex(atOrAfter: day)
        return t < times.count ? atRisk(time: t, group: g) : 0
    }

    /// The first time index with `times[t] >= day` (`times.count` when none), by binary search.
    public func firstIndex(atOrAfter day: Double) -> Int {
        var low = 0, high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] < day { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The largest time of group `g` (event or censoring), or nil for an empty group.
    public func lastTime(group g: Int) -> Double? {
        for t in times.indices.reversed() where rowCount(time: t, group: g) > 0 { return times[t] }
        return nil
    }
}

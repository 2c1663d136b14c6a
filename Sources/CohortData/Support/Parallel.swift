import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Data parallelism over contiguous ranges, for streaming passes over large inputs (CSV pieces,
/// rows of a design). Results come back in range order and are combined in that order, so they do
/// not depend on scheduling.
public enum Parallel {
    public static let processorCount: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Splits `0..<count` into at most `processorCount` ranges of at least `minimumChunk` items,
    /// aligned to `alignment`.
    public static func ranges(_ count: Int, minimumChunk: Int, alignment: Int = 1) -> [Range<Int>] {
        let parts = max(1, min(processorCount, count / max(minimumChunk, 1)))
        guard parts > 1 else { return [0..<count] }
        var chunk = (count + parts - 1) / parts
        chunk = (chunk + alignment - 1) / alignment * alignment
        return stride(from: 0, to: count, by: chunk).map { $0..<min($0 + chunk, count) }
    }

    /// `body` applied to each range, results in range order. Runs inline for a single range.
    public static func map<T>(_ ranges: [Range<Int>], _ body: @escaping (Range<Int>) -> T) -> [T] {
        guard ranges.count > 1 else { return ranges.map(body) }
        let job = Job(ranges: ranges, body: body)
        DispatchQueue.concurrentPerform(iterations: ranges.count) { job.run($0) }
        return job.collect()
    }

    /// One parallel map: each iteration writes only its own slot, and `collect` runs after
    /// `concurrentPerform` has returned, which orders every write before the read.
    private final class Job<T>: @unchecked Sendable {
        let ranges: [Range<Int>]
        let body: (Range<Int>) -> T
        let results: UnsafeMutableBufferPointer<T?>

        init(ranges: [Range<Int>], body: @escaping (Range<Int>) -> T) {
            self.ranges = ranges
            self.body = body
            results = .allocate(capacity: ranges.count)
            results.initialize(repeating: nil)
        }

        deinit {
            results.deinitialize()
            results.deallocate()
        }

        func run(_ index: Int) { results[index] = body(ranges[index]) }
        func collect() -> [T] { results.map { $0! } }
    }
}

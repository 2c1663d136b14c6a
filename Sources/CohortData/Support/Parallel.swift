import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Data parallelism over contiguous ranges, for streaming passes over large inputs (CSV pieces,
/// rows of a design). Results come back in range order and are combined in that order, so they do
/// not depend on scheduling.
///
/// A sum that reaches an output must not depend on the number of threads either: split it with
/// ``ranges(_:chunk:)``, whose pieces depend on the count alone, never with
/// ``ranges(_:minimumChunk:alignment:)``, whose pieces depend on the cores.
public enum Parallel {
    public static let processorCount: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Threads one ``map(_:_:)`` uses at most: the processor count unless the user asked for fewer
    /// or more (`cohort ... --threads N`). Set once at start-up, before any parallel work; results do
    /// not depend on it (only the time does), which the thread-count tests check.
    nonisolated(unsafe) public static var workerLimit: Int = processorCount

    /// Splits `0..<count` into consecutive ranges of exactly `chunk` items (the last one shorter):
    /// the same pieces on every machine, whatever its cores or ``workerLimit``.
    public static func ranges(_ count: Int, chunk: Int) -> [Range<Int>] {
        precondition(chunk > 0, "chunk must be positive")
        guard count > chunk else { return [0..<count] }
        return stride(from: 0, to: count, by: chunk).map { $0..<min($0 + chunk, count) }
    }

    /// Splits `0..<count` into at most ``workerLimit`` ranges of at least `minimumChunk` items,
    /// aligned to `alignment`: for work whose result does not depend on where it is split (parsing,
    /// per-column statistics).
    public static func ranges(_ count: Int, minimumChunk: Int, alignment: Int = 1) -> [Range<Int>] {
        let parts = max(1, min(workerLimit, count / max(minimumChunk, 1)))
        guard parts > 1 else { return [0..<count] }
        var chunk = (count + parts - 1) / parts
        chunk = (chunk + alignment - 1) / alignment * alignment
        return stride(from: 0, to: count, by: chunk).map { $0..<min($0 + chunk, count) }
    }

    /// `body` applied to each range, results in range order. Runs inline for a single range or a
    /// single worker; otherwise worker w of W takes ranges w, w + W, w + 2W, ...
    public static func map<T>(_ ranges: [Range<Int>], _ body: @escaping (Range<Int>) -> T) -> [T] {
        let workers = min(ranges.count, max(1, workerLimit))
        guard workers > 1 else { return ranges.map(body) }
        let job = Job(ranges: ranges, body: body)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: ranges.count, by: workers) { job.run(index) }
        }
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

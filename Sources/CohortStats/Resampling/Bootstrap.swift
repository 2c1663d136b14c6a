import CohortData
import Synchronization

/// Nonparametric case-resampling bootstrap of any statistic of the rows of a data set.
///
/// A statistic is a function from row indices (a resample: n indices drawn with replacement from
/// 0..<n, or all n rows for the estimate itself) to a vector of values, for example the coefficients
/// of a refitted regression. ``run(rowCount:options:progress:statistic:)`` evaluates it on the
/// original rows and on `replicates` resamples; the intervals are ``BootstrapInterval``'s.
///
/// **Seeding.** Replicate r draws its n indices from its own SplitMix64 stream,
/// ``SplitMix64/stream(seed:index:)``, with Lemire's unbiased bounded method
/// (``SplitMix64/bounded(_:)``). A replicate's sample therefore depends only on (seed, r): results
/// are identical on every run, every machine and every number of threads.
///
/// **Parallelism.** Replicates run in chunks across the cores (``Parallel``); results are stored by
/// replicate index, so their order never depends on scheduling.
///
/// **Failed replicates.** A replicate fails when the statistic throws (a refit that does not
/// converge, separation, a resample with no events or a constant covariate) or returns a non-finite
/// value. Failed replicates are excluded from every interval, counted and listed with their reasons in
/// the result (R's `boot.ci` likewise drops non-finite replicates); none is redrawn, averaged or
/// replaced. When more than ``BootstrapOptions/maxFailedFraction`` of them fail the run throws
/// ``BootstrapError/tooManyFailures(failed:requested:allowed:reasons:)``: the surviving resamples would then
/// describe a conditional distribution, not the sampling distribution of the statistic.
///
/// See the article <doc:Bootstrap> for the formulas.
public enum Bootstrap {
    /// The statistic: resampled row indices to values; throws when it cannot be computed.
    public typealias Statistic = @Sendable ([Int]) throws -> [Double]
    /// Called with (replicates finished, replicates requested), serialised and non-decreasing, from
    /// worker threads.
    public typealias Progress = @Sendable (Int, Int) -> Void

    /// The row indices of replicate `replicate`: n draws with replacement from 0..<n.
    public static func indices(rowCount n: Int, seed: UInt64, replicate: Int) -> [Int] {
        var generator = SplitMix64.stream(seed: seed, index: replicate)
        return (0..<n).map { _ in generator.bounded(n) }
    }

    /// Replicates per parallel chunk: small enough for a smooth progress bar and balanced cores,
    /// large enough that scheduling costs nothing next to a refit.
    static let chunkSize = 25

    /// Evaluates the statistic on all rows and on `options.replicates` resamples.
    ///
    /// - Parameters:
    ///   - rowCount: n, the number of rows resampled (cases).
    ///   - options: replicates, seed and the failure limit.
    ///   - progress: told after each chunk of replicates.
    ///   - statistic: see ``Statistic``; every call must return the same number of values.
    /// - Returns: the estimate and every replicate's values, failures listed.
    /// - Throws: ``BootstrapError`` for fewer than 2 rows, no replicates, a statistic that fails on
    ///   the original rows or returns vectors of different lengths, or too many failed replicates.
    public static func run(rowCount n: Int, options: BootstrapOptions, progress: Progress? = nil,
                           statistic: @escaping Statistic) throws(BootstrapError) -> BootstrapResult {
        guard options.replicates > 0 else { throw .invalidReplicates(options.replicates) }
        guard n >= 2 else { throw .tooFewRows(n) }
        let estimate: [Double]
        switch evaluate(statistic, Array(0..<n)) {
        case .success(let values): estimate = values
        case .failure(let reason): throw .estimateFailed(reason)
        }
        let total = options.replicates
        let chunks = stride(from: 0, to: total, by: chunkSize).map { $0..<min($0 + chunkSize, total) }
        let counter = ProgressCounter(total: total, progress: progress)
        let outcomes = Parallel.map(chunks) { chunk in
            let results = chunk.map { r in evaluate(statistic, indices(rowCount: n, seed: options.seed, replicate: r)) }
            counter.advance(by: chunk.count)
            return results
        }.flatMap { $0 }

        var values: [[Double]] = []
        var failures: [BootstrapFailure] = []
        values.reserveCapacity(total)
        for (r, outcome) in outcomes.enumerated() {
            switch outcome {
            case .success(let replicate):
                guard replicate.count == estimate.count else {
                    throw .inconsistentLength(expected: estimate.count, got: replicate.count, replicate: r)
                }
                values.append(replicate)
            case .failure(let reason):
                failures.append(BootstrapFailure(replicate: r, reason: reason))
            }
        }
        let result = BootstrapResult(estimate: estimate, replicates: values, requested: total, seed: options.seed,
                                     failures: failures, rowCount: n)
        if Double(failures.count) > options.maxFailedFraction * Double(total) {
            throw .tooManyFailures(failed: failures.count, requested: total, allowed: options.maxFailedFraction,
                                  reasons: result.failureReasons.map { "\($0.reason) (\($0.count))" })
        }
        return result
    }

    /// The statistic on n leave-one-out samples (row i left out of the i-th), for BCa's acceleration.
    ///
    /// - Returns: n vectors, one per omitted row.
    /// - Throws: ``BootstrapError/jackknifeFailed(row:reason:)`` naming the first row whose omission
    ///   the statistic could not handle.
    public static func jackknife(rowCount n: Int, statistic: @escaping Statistic) throws(BootstrapError) -> [[Double]] {
        guard n >= 2 else { throw .tooFewRows(n) }
        let chunks = stride(from: 0, to: n, by: chunkSize).map { $0..<min($0 + chunkSize, n) }
        let outcomes = Parallel.map(chunks) { chunk in
            chunk.map { i in evaluate(statistic, Array(0..<i) + Array(i + 1..<n)) }
        }.flatMap { $0 }
        var values: [[Double]] = []
        for (i, outcome) in outcomes.enumerated() {
            switch outcome {
            case .success(let v): values.append(v)
            case .failure(let reason): throw .jackknifeFailed(row: i, reason: reason)
            }
        }
        return values
    }

    /// Empirical influence values from the jackknife, as `boot::empinf(type = "jack")` defines them:
    /// `Lᵢ = (n - 1)(θ̄₍.₎ - θ₍₋ᵢ₎)` with θ̄₍.₎ the mean of the leave-one-out values.
    public static func jackknifeInfluence(_ leaveOneOut: [Double]) -> [Double] {
        let n = Double(leaveOneOut.count)
        let mean = leaveOneOut.reduce(0, +) / n
        return leaveOneOut.map { (n - 1) * (mean - $0) }
    }

    /// One evaluation, with a thrown error or a non-finite value turned into a failure reason.
    static func evaluate(_ statistic: Statistic, _ rows: [Int]) -> Result<[Double], BootstrapFailureReason> {
        do {
            let values = try statistic(rows)
            if values.contains(where: { !$0.isFinite }) { return .failure(BootstrapFailureReason("a non-finite value")) }
            return .success(values)
        } catch let failure as BootstrapFailureReason {
            return .failure(failure)
        } catch {
            return .failure(BootstrapFailureReason(String(describing: error)))
        }
    }
}

/// Counts finished replicates and reports them; a lock keeps calls serialised and monotone.
private final class ProgressCounter: Sendable {
    let total: Int
    let progress: Bootstrap.Progress?
    let done = Mutex(0)

    init(total: Int, progress: Bootstrap.Progress?) {
        self.total = total
        self.progress = progress
    }

    func advance(by count: Int) {
        guard let progress else { return }
        done.withLock { done in
            done += count
            progress(done, total)
        }
    }
}

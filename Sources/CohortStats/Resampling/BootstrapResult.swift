import CohortData

/// How many resamples, from which seed, and how many failures to tolerate.
public struct BootstrapOptions: Sendable, Equatable {
    /// B, the number of resamples (at least 1; 2,000 or more for BCa at 95%, Efron & Tibshirani §14.3).
    public var replicates: Int
    public var seed: UInt64
    /// The largest fraction of replicates allowed to fail before the run is an error (default 10%).
    public var maxFailedFraction: Double

    public init(replicates: Int, seed: UInt64, maxFailedFraction: Double = 0.1) {
        self.replicates = replicates
        self.seed = seed
        self.maxFailedFraction = maxFailedFraction
    }
}

/// Why a statistic could not be computed on a resample; statistics may throw it to give a short reason.
public struct BootstrapFailureReason: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A replicate that was excluded, and why.
public struct BootstrapFailure: Sendable, Equatable {
    /// The replicate's index r (its stream under the seed).
    public let replicate: Int
    public let reason: BootstrapFailureReason
}

/// The estimate and the replicates of a bootstrap run.
public struct BootstrapResult: Sendable {
    /// θ̂, the statistic on the original rows.
    public let estimate: [Double]
    /// θ*₁ ... θ*_B of the replicates that succeeded, in replicate order, each as long as `estimate`.
    public let replicates: [[Double]]
    /// B, the replicates drawn (successful + failed).
    public let requested: Int
    public let seed: UInt64
    /// The excluded replicates, in replicate order.
    public let failures: [BootstrapFailure]
    /// n, the rows resampled.
    public let rowCount: Int

    public var failedCount: Int { failures.count }
    public var successfulCount: Int { replicates.count }

    /// One component's replicate values (for example one coefficient's), in replicate order.
    public func values(of component: Int) -> [Double] { replicates.map { $0[component] } }

    /// Distinct failure reasons with their counts, the most frequent first (ties by text).
    public var failureReasons: [(reason: String, count: Int)] {
        let counts = Dictionary(grouping: failures, by: \.reason.description).mapValues(\.count)
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The bootstrap standard error of one component: the standard deviation (divisor B - 1) of its
    /// successful replicates.
    public func standardError(of component: Int) -> Double {
        let v = values(of: component)
        guard v.count > 1 else { return .nan }
        let mean = v.reduce(0, +) / Double(v.count)
        return (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)).squareRoot()
    }
}

/// Invalid input to a bootstrap, or a bootstrap whose answer would mislead.
public enum BootstrapError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidReplicates(Int)
    case invalidLevel(Double)
    case tooFewRows(Int)
    case estimateFailed(BootstrapFailureReason)
    case inconsistentLength(expected: Int, got: Int, replicate: Int)
    case tooManyFailures(failed: Int, requested: Int, allowed: Double, reasons: [String])
    case jackknifeFailed(row: Int, reason: BootstrapFailureReason)
    /// No successful replicate lies below the estimate, or none at or above it: z₀ = Φ⁻¹(0 or 1).
    case biasCorrectionInfinite(below: Int, of: Int)
    /// Σ Lᵢ² = 0 (every leave-one-out value equal): the acceleration is undefined.
    case accelerationUndefined
    /// An adjusted BCa tail probability is 1: the endpoint lies beyond every replicate.
    case bcaTailBeyondReplicates(z0: Double, acceleration: Double)
    case noReplicates
    /// Bootstrap validation (``LogisticValidation``): more resamples than allowed could not be refitted.
    case tooManyValidationFailures(failed: Int, requested: Int, allowed: Double, reasons: [String])

    public var description: String {
        switch self {
        case .invalidReplicates(let b): "the number of bootstrap resamples must be at least 1, got \(b)"
        case .invalidLevel(let level): "the confidence level must be between 0 and 1, got \(level)"
        case .tooFewRows(let n): "the bootstrap needs at least 2 rows, got \(n)"
        case .estimateFailed(let reason): "the statistic could not be computed on the original data: \(reason)"
        case .inconsistentLength(let expected, let got, let r): "replicate \(r) returned \(got) values where the estimate has \(expected)"
        case .tooManyFailures(let failed, let requested, let allowed, let reasons):
            "\(failed) of \(requested) bootstrap resamples failed (more than the \(NumberText.shortest(allowed * 100))% allowed): \(reasons.joined(separator: "; ")); the intervals would describe only the resamples that could be fitted"
        case .tooManyValidationFailures(let failed, let requested, let allowed, let reasons):
            "\(failed) of \(requested) validation resamples could not be refitted (more than the \(NumberText.shortest(allowed * 100))% allowed): \(reasons.joined(separator: "; ")); the optimism would describe only the resamples that could be fitted"
                + (reasons.contains { $0.hasPrefix("separation") } ? " (under separation {firth} gives finite estimates)" : "")
        case .jackknifeFailed(let row, let reason): "the jackknife (for the BCa acceleration) failed leaving out row \(row + 1): \(reason)"
        case .biasCorrectionInfinite(let below, let of):
            "BCa bias correction is infinite: \(below) of \(of) replicates lie below the estimate; use percentile intervals"
        case .accelerationUndefined: "BCa acceleration is undefined: every leave-one-out estimate is the same"
        case .bcaTailBeyondReplicates(let z0, let a):
            "BCa endpoint lies beyond every resample (bias correction z0 = \(NumberText.shortest(z0)), acceleration a = \(NumberText.shortest(a))); use percentile intervals or more resamples"
        case .noReplicates: "no bootstrap replicate succeeded"
        }
    }
}

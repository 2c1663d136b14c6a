#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bootstrap intervals for the coefficients of a logistic model: case resampling, each resample
/// refitted by the fit's own method (maximum likelihood or Firth) and options.
///
/// Intervals are computed on the log-odds scale and exponentiated for odds ratios; percentile and BCa
/// intervals respect monotone transformations, and this is `boot.ci(..., hinv = exp)`.
public struct LogisticBootstrap: Sendable {
    /// Every design column's name; aliased columns have no intervals.
    public let coefficientNames: [String]
    /// The estimate and replicates of the non-aliased coefficients, in column order (``activeColumns``).
    public let result: BootstrapResult
    public let activeColumns: [Int]
    public let level: Double
    /// Per design column, log-odds scale; nil for an aliased column.
    public let percentile: [BootstrapInterval?]
    /// Per design column, log-odds scale; nil for an aliased column or when BCa could not be
    /// computed (``bcaProblems`` says why).
    public let bca: [BootstrapInterval?]
    /// Per design column: why there is no BCa interval (a failed jackknife refit, an infinite bias
    /// correction), nil when there is one or the column is aliased.
    public let bcaProblems: [String?]

    public var replicates: Int { result.requested }
    public var failed: Int { result.failedCount }
    public var seed: UInt64 { result.seed }

    /// The interval of column j by `method`, on the log-odds scale.
    public func interval(_ j: Int, method: BootstrapInterval.Method) -> BootstrapInterval? {
        method == .bca ? bca[j] : percentile[j]
    }

    /// The bootstrap standard error of column j's coefficient (nil when aliased).
    public func standardError(_ j: Int) -> Double? {
        activeColumns.firstIndex(of: j).map(result.standardError(of:))
    }
}

extension LogisticFit {
    /// Percentile and BCa bootstrap intervals for every coefficient (and so every odds ratio).
    ///
    /// Each of `options.replicates` resamples of the model's n rows is refitted with this fit's
    /// options, started from this fit's estimates (``LogisticModel/resampled(rows:)``); a resample
    /// that cannot be fitted (an outcome or covariate constant in it, separation under maximum
    /// likelihood, no convergence) fails and is counted, see ``Bootstrap``. BCa's acceleration
    /// comes from n leave-one-out refits (the jackknife).
    ///
    /// - Parameters:
    ///   - model: the model this fit came from.
    ///   - options: resamples, seed and the failure limit.
    ///   - level: the confidence level.
    ///   - progress: told of finished resamples (not of the jackknife's n refits).
    /// - Returns: the intervals with the replicate counts.
    /// - Throws: ``BootstrapError`` for an invalid level or count, a model that does not refit on its
    ///   own rows, or too many failed resamples.
    public func bootstrapIntervals(_ model: LogisticModel, options: BootstrapOptions, level: Double = 0.95,
                                   progress: Bootstrap.Progress? = nil) throws(BootstrapError) -> LogisticBootstrap {
        guard level > 0, level < 1 else { throw .invalidLevel(level) }
        let statistic = bootstrapStatistic(model)
        let result = try Bootstrap.run(rowCount: model.nObservations, options: options, progress: progress, statistic: statistic)
        let active = (0..<coefficients.count).filter { !aliased[$0] }

        var jackknifeProblem: String?
        var influence: [[Double]] = []
        do {
            let leaveOneOut = try Bootstrap.jackknife(rowCount: model.nObservations, statistic: statistic)
            influence = active.indices.map { a in Bootstrap.jackknifeInfluence(leaveOneOut.map { $0[a] }) }
        } catch {
            jackknifeProblem = error.description
        }
        var percentile = [BootstrapInterval?](repeating: nil, count: coefficients.count)
        var bca = percentile
        var problems = [String?](repeating: nil, count: coefficients.count)
        for (a, j) in active.enumerated() {
            let values = result.values(of: a)
            percentile[j] = try BootstrapInterval.percentile(replicates: values, level: level)
            if let jackknifeProblem { problems[j] = jackknifeProblem; continue }
            do {
                bca[j] = try BootstrapInterval.bca(replicates: values, estimate: result.estimate[a], influence: influence[a], level: level)
            } catch {
                problems[j] = error.description
            }
        }
        return LogisticBootstrap(coefficientNames: coefficientNames, result: result, activeColumns: active, level: level,
                                 percentile: percentile, bca: bca, bcaProblems: problems)
    }

    /// The refit of a resample as a bootstrap statistic: row indices to the non-aliased coefficients
    /// (log-odds scale, column order), refitted with this fit's options from this fit's estimates.
    /// It throws ``BootstrapFailureReason`` for a resample that cannot be fitted (see
    /// ``bootstrapIntervals(_:options:level:progress:)``).
    ///
    /// - Parameter model: the model this fit came from.
    public func bootstrapStatistic(_ model: LogisticModel) -> Bootstrap.Statistic {
        let fitOptions = self.options
        let expectedAliased = aliased
        let start = coefficients.map { $0.isFinite ? $0 : 0 }
        return { rows in
            let sample: LogisticModel
            do throws(ModelError) { sample = try model.resampled(rows: rows) } catch {
                throw BootstrapFailureReason(Self.shortReason(error))
            }
            return try LogisticEngine.refitCoefficients(sample, options: fitOptions, start: start, expectedAliased: expectedAliased).get()
        }
    }

    /// A resample's model error in a few words (the full message names the outcome and counts).
    private static func shortReason(_ error: ModelError) -> String {
        switch error {
        case .constantOutcome(_, let value, _): value == "0" ? "no events in the resample" : "only events in the resample"
        case .tooFewObservations: "fewer rows than parameters"
        default: error.description
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bootstrap validation of a logistic model, as `rms::validate(fit, B)` (Efron-Gong optimism
/// bootstrap; Harrell, *Regression Modeling Strategies*, §5.3.5): how much better the model looks
/// on the data that chose its coefficients than it would on new data, and each measure corrected
/// for that optimism.
///
/// For each resample b (n rows drawn with replacement, ``Bootstrap``'s seeded streams) the model
/// is refitted by the fit's own method; its indices are measured on the resample (training,
/// η = X_b β̂_b) and on the original rows (test, η = X β̂_b). Then, over the B_used resamples that
/// could be fitted,
/// ```
/// optimism  = mean(training) − mean(test)
/// corrected = apparent − optimism
/// ```
/// The indices are `rms`'s (`validate.lrm`'s `discrim`), with y ∈ {0, 1}, p = expit(η):
/// ```
/// Dxy       = 2 (C − ½), C the Mann-Whitney probability (ties ½; Hmisc::somers2)
/// C         = ½ + Dxy/2
/// R2        = (1 − exp(−LR/n)) / (1 − exp(−D₀/n))   Nagelkerke; D₀ the null deviance, LR = D₀ − D
/// Intercept, Slope: logistic regression of y on η (training: 0 and 1 by definition; apparent too)
/// Brier     = mean (y − p)²
/// ```
/// where D is the deviance of the fit (training, apparent) or of the recalibration y ~ a + bη (test).
///
/// A resample fails when its refit fails (constant outcome or covariate, separation under
/// maximum likelihood, no convergence) or its recalibration does (η separates the outcome on the
/// original rows); it is left out and counted, as `predab.resample` leaves out fits that fail.
public struct LogisticValidation: Sendable, Equatable {
    /// The indices, in the order of every array here.
    public static let indexNames = ["Dxy", "C", "R2", "Intercept", "Slope", "Brier"]

    /// Measured on the rows the model was fitted to.
    public let apparent: [Double]
    /// Means over the resamples used.
    public let training: [Double]
    public let test: [Double]
    public let optimism: [Double]
    public let corrected: [Double]
    /// Resamples drawn, and used (drawn minus failed).
    public let requested: Int
    public let used: Int
    public let seed: UInt64?
    /// Why resamples failed, most frequent first.
    public let failureReasons: [FailureCount]

    public struct FailureCount: Sendable, Equatable {
        public let reason: String
        public let count: Int
    }

    public var failed: Int { requested - used }

    public static let method = "Efron-Gong optimism bootstrap (rms::validate): each resample refitted; indices on the resample (training) and on the original rows (test); corrected = apparent − mean(training − test)"

    /// The indices of η against y, as `discrim` computes them for a fit's own data (`evalfit`,
    /// intercept 0 and slope 1) or for data it was not fitted to (the recalibration's a and b).
    /// - Returns: nil when the recalibration has no slope (η separates y, or is constant).
    static func indices(eta: [Double], y: [Double], recalibrate: Bool) -> [Double]? {
        guard let concordance = ConcordanceStatistic(risk: eta, outcome: y) else { return nil }
        let c = concordance.estimate
        let n = Double(y.count)
        let events = y.reduce(0, +)
        let nullDeviance = -2 * (events * log(events / n) + (n - events) * log((n - events) / n))
        var intercept = 0.0, slope = 1.0, brier: Double
        if recalibrate {
            let calibration = CalibrationMeasures(linearPredictor: eta, outcome: y)
            guard calibration.slope.isFinite, calibration.recalibrationIntercept.isFinite else { return nil }
            intercept = calibration.recalibrationIntercept
            slope = calibration.slope
            brier = calibration.brier
        } else {
            var sum = 0.0
            for i in eta.indices {
                let d = y[i] - CalibrationMeasures.expit(eta[i])
                sum += d * d
            }
            brier = sum / n
        }
        var deviance = 0.0
        for i in eta.indices {  // in row order: the same bits every run
            let x = intercept + slope * eta[i]
            // log(1 + e^x) without overflow
            let softplus = x > 0 ? x + log1p(exp(-x)) : log1p(exp(x))
            deviance -= 2 * (y[i] * x - softplus)
        }
        let lr = nullDeviance - deviance
        let r2 = (1 - exp(-lr / n)) / (1 - exp(-nullDeviance / n))
        let dxy = 2 * (c - 0.5)
        return [dxy, 0.5 + dxy / 2, r2, intercept, slope, brier]
    }
}

extension LogisticFit {
    /// Bootstrap validation on `options.replicates` seeded resamples (``Bootstrap/run(rowCount:options:progress:statistic:)``):
    /// the same resamples, in the same order, on any number of threads.
    /// - Throws: ``BootstrapError`` for too many failed resamples (more than `options.maxFailedFraction`).
    public func validation(_ model: LogisticModel, options: BootstrapOptions, progress: Bootstrap.Progress? = nil) throws(BootstrapError) -> LogisticValidation {
        let result: BootstrapResult
        do {
            result = try Bootstrap.run(rowCount: model.nObservations, options: options, progress: progress, statistic: validationStatistic(model))
        } catch .tooManyFailures(let failed, let requested, let allowed, let reasons) {
            throw .tooManyValidationFailures(failed: failed, requested: requested, allowed: allowed, reasons: reasons)
        }
        return summarize(model, replicates: result.replicates, requested: result.requested, seed: options.seed,
                         failures: result.failureReasons.map { LogisticValidation.FailureCount(reason: $0.reason, count: $0.count) })
    }

    /// Bootstrap validation on the given resamples (row indices into the model, repeats allowed), in
    /// order: the reference tests feed the resamples R's script reads.
    public func validation(_ model: LogisticModel, resamples: [[Int]]) -> LogisticValidation {
        let statistic = validationStatistic(model)
        var replicates: [[Double]] = []
        var failures: [String: Int] = [:]
        for rows in resamples {
            switch Bootstrap.evaluate(statistic, rows) {
            case .success(let values): replicates.append(values)
            case .failure(let reason): failures[reason.description, default: 0] += 1
            }
        }
        let reasons = failures.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { LogisticValidation.FailureCount(reason: $0.key, count: $0.value) }
        return summarize(model, replicates: replicates, requested: resamples.count, seed: nil, failures: reasons)
    }

    /// Apparent indices, and the means over the replicates (each: training indices then test indices).
    private func summarize(_ model: LogisticModel, replicates: [[Double]], requested: Int, seed: UInt64?,
                           failures: [LogisticValidation.FailureCount]) -> LogisticValidation {
        let k = LogisticValidation.indexNames.count
        let apparent = LogisticValidation.indices(eta: linearPredictor(model), y: model.response, recalibrate: false)
            ?? [Double](repeating: .nan, count: k)
        var training = [Double](repeating: 0, count: k), test = training
        for replicate in replicates {  // in replicate order
            for j in 0..<k {
                training[j] += replicate[j]
                test[j] += replicate[k + j]
            }
        }
        let used = Double(replicates.count)
        training = training.map { $0 / used }
        test = test.map { $0 / used }
        let optimism = (0..<k).map { training[$0] - test[$0] }
        return LogisticValidation(apparent: apparent, training: training, test: test, optimism: optimism,
                                  corrected: (0..<k).map { apparent[$0] - optimism[$0] }, requested: requested, used: replicates.count,
                                  seed: seed, failureReasons: failures)
    }

    /// Row indices to the training indices then the test indices of the refit on those rows.
    func validationStatistic(_ model: LogisticModel) -> Bootstrap.Statistic {
        let refit = bootstrapStatistic(model)
        let active = (0..<coefficients.count).filter { !aliased[$0] }
        let p = coefficients.count
        return { rows in
            let estimates = try refit(rows)
            var beta = [Double](repeating: 0, count: p)
            for (a, j) in active.enumerated() { beta[j] = estimates[a] }
            let sample = try? model.resampled(rows: rows)
            guard let sample,
                  let training = LogisticValidation.indices(eta: sample.linearPredictor(beta), y: sample.response, recalibrate: false)
            else { throw BootstrapFailureReason("no training indices") }
            guard let test = LogisticValidation.indices(eta: model.linearPredictor(beta), y: model.response, recalibrate: true) else {
                throw BootstrapFailureReason("the refit's linear predictor separates the outcome on the original rows (no calibration slope)")
            }
            return training + test
        }
    }
}

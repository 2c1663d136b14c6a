import CohortStats

/// The sentences that state a bootstrap's method, size, seed and failures, shared by the table and
/// the JSON so they always agree.
enum BootstrapText {
    static func methodName(_ method: BootstrapInterval.Method) -> String {
        method == .bca ? "BCa bootstrap" : "percentile bootstrap"
    }

    /// "BCa bootstrap, N = 2000 resamples, seed 1, 3 failed (no events in the resample: 3); ..."
    static func note(_ b: LogisticBootstrap, method: BootstrapInterval.Method, fitMethod: FitOptions.Method) -> String {
        var failed = "\(b.failed) failed"
        if b.failed > 0 {
            failed += " (" + b.result.failureReasons.map { "\($0.reason): \($0.count)" }.joined(separator: ", ") + ")"
        }
        let refit = fitMethod == .firth ? "Firth" : "maximum-likelihood"
        let how = method == .bca
            ? "bias-corrected and accelerated (z0 from the resamples, acceleration from the jackknife)"
            : "percentiles of the resampled coefficients"
        return "bootstrap CI: \(methodName(method)), N = \(b.replicates) resamples, seed \(b.seed), \(failed); "
            + "each resample of the \(b.result.rowCount) rows refitted by \(refit); \(how), boot.ci's interpolation, exponentiated; failed resamples excluded."
    }

    /// Problems a reader must know: coefficients without an interval, extreme order statistics.
    static func warnings(_ b: LogisticBootstrap, method: BootstrapInterval.Method) -> [String] {
        var out: [String] = []
        if b.failed > 0 {
            // Excluding failures conditions on the resamples that could be fitted: say so where it is read.
            let separated = b.result.failureReasons.contains { $0.reason == "separation" }
            out.append("\(b.failed) of \(b.replicates) bootstrap resamples could not be fitted and were excluded; the intervals describe the resamples that could"
                       + (separated ? " (Firth's method, --firth, also fits the resamples that separate)" : ""))
        }
        for j in b.activeColumns {
            if method == .bca, let problem = b.bcaProblems[j] {
                out.append("no BCa interval for \(b.coefficientNames[j]): \(problem)")
            }
        }
        let extreme = b.activeColumns.filter { b.interval($0, method: method)?.usesExtremeOrderStatistics == true }
        if !extreme.isEmpty {
            out.append("bootstrap interval for \(extreme.map { b.coefficientNames[$0] }.joined(separator: ", ")) uses the most extreme resamples as endpoints; use more resamples")
        }
        return out
    }
}

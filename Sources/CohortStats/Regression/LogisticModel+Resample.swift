/// Refitting a model on a resample of its rows, for the bootstrap: no DataTable, no codebook, no
/// inference beyond the coefficients.
///
/// A resample is a list of row indices with repeats. Its model is the same design and response with
/// those rows gathered (O(np) copies, against the O(np²) of every Newton iteration), which is exactly
/// the model with frequency weights equal to each row's count: rows drawn twice enter ℓ, I and the
/// Firth hat values twice, rows not drawn not at all. Gathering rather than weighting keeps one
/// likelihood implementation, already checked against R, instead of a weighted variant of its
/// vectorised passes to maintain and verify.
extension LogisticModel {
    /// The model on rows `rows` (repeats allowed) of this one.
    ///
    /// - Throws: ``ModelError`` when the resample cannot be fitted: a constant outcome (no events, or
    ///   events only) or fewer rows than parameters.
    public func resampled(rows: [Int]) throws(ModelError) -> LogisticModel {
        let gathered = design.gathering(rows: rows)
        return try LogisticModel(response: rows.map { response[$0] }, design: gathered, outcome: outcome, eventLabel: eventLabel,
                                 offset: offset.map { o in rows.map { o[$0] } })
    }
}

extension DesignMatrix {
    /// The design of `rows` (indices, repeats allowed), in that order: a resample's design.
    public func gathering(rows: [Int]) -> DesignMatrix {
        let n = rowCount, p = columnCount, m = rows.count
        var gathered = [Double](repeating: 0, count: m * p)
        values.withUnsafeBufferPointer { x in
            for j in 0..<p {
                let source = j * n, target = j * m
                for (i, row) in rows.enumerated() { gathered[target + i] = x[source + row] }
            }
        }
        return DesignMatrix(values: gathered, rowCount: m, columnNames: columnNames, terms: terms)
    }
}

extension LogisticEngine {
    /// The convergence tolerance of Firth refits in the bootstrap (see ``refitCoefficients``).
    static let bootstrapFirthTolerance = 1e-6

    /// The coefficients of `model` (a resample) under `options`, Newton started from `start` (the
    /// full-data estimate, a few standard errors from the resample's), or why there are none.
    ///
    /// The same solver, stopping rule and aliasing rule as ``fit(_:options:)``; what a full fit adds
    /// (null models, covariance, diagnostics) is skipped. A failure is a resample that cannot give a
    /// valid estimate: a column aliased that is not aliased in `expectedAliased` (a covariate constant
    /// in the resample), a singular information matrix, separation (maximum likelihood) or no
    /// convergence. Aliased columns' entries are left out of the result.
    ///
    /// Firth refits stop at ``bootstrapFirthTolerance`` unless `options` ask for less: Firth's
    /// iteration (Newton with the Fisher information on the modified score) converges linearly, about
    /// 0.7 digits an iteration here, and the last three digits below 1e-6 cost a third of a refit
    /// while moving an interval endpoint by far less than its Monte Carlo error (about 1% of its
    /// distance from the estimate at B = 2,000). brglm2 stops at 1e-6 and logistf at 1e-5 by default.
    static func refitCoefficients(_ model: LogisticModel, options requested: FitOptions, start: [Double],
                                  expectedAliased: [Bool]) -> Result<[Double], BootstrapFailureReason> {
        var options = requested
        if options.method == .firth { options.tolerance = max(options.tolerance, bootstrapFirthTolerance) }
        let p = model.design.columnCount
        let statistics = DesignSummary.columnStatistics(model.design)
        guard let evaluation = withLikelihood(model: model, active: Array(0..<p), penalized: false, mean: statistics.mean,
                                              scale: statistics.scale, maxAbs: statistics.maxAbs,
                                              interceptColumn: statistics.interceptColumn, { likelihood in
            likelihood.evaluate(start, basis: likelihood.basis(centered: true))
        }) else { return .failure(BootstrapFailureReason("singular information")) }
        let aliased = DesignSummary.aliasedColumns(
            information: evaluation.information, mean: statistics.mean, scale: statistics.scale,
            interceptColumn: statistics.interceptColumn, tolerance: options.aliasTolerance)
        if let column = (0..<p).first(where: { aliased[$0] && !expectedAliased[$0] }) {
            return .failure(BootstrapFailureReason("\(model.design.columnNames[column]) aliased (constant or collinear in the resample)"))
        }
        let summary = DesignSummary(aliased: expectedAliased, columnMaxAbs: statistics.maxAbs, columnMean: statistics.mean,
                                    columnScale: statistics.scale, interceptColumn: statistics.interceptColumn)
        var begin = start
        for j in 0..<p where expectedAliased[j] { begin[j] = 0 }
        let engine = LogisticEngine(model: model, options: options, summary: summary, start: begin,
                                    startEvaluation: expectedAliased.contains(true) ? nil : evaluation)
        return engine.withSolver { likelihood, solver in
            let initial = options.method == .maximumLikelihood ? engine.startEvaluation : nil
            guard let outcome = solver.solve(start: begin, free: Array(engine.active.indices), initial: initial) else {
                return .failure(BootstrapFailureReason("singular information"))
            }
            if options.method == .maximumLikelihood,
               SeparationCheck(likelihood: likelihood, solver: solver, stopped: outcome, columnMaxAbs: statistics.maxAbs) != nil {
                return .failure(BootstrapFailureReason("separation"))
            }
            guard outcome.converged else {
                return .failure(BootstrapFailureReason("not converged in \(outcome.iterations) iterations"))
            }
            return .success(engine.active.map { outcome.beta[$0] })
        }
    }
}

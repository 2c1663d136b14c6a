extension CoxFit {
    /// Profile-likelihood confidence intervals for the log hazard ratios, one per coefficient (nil for
    /// aliased ones). Exponentiate for hazard ratios.
    ///
    /// For coefficient j the bounds b solve
    /// ```
    /// h(b) = ℓₚ(b) − ℓ(β̂) + χ²₁(level)/2 = 0,      ℓₚ(b) = max_{β₋ⱼ} ℓ(b, β₋ⱼ)
    /// ```
    /// ℓ is concave, so ℓₚ is concave, and by the envelope theorem h′(b) = Uⱼ(b, β̂₋ⱼ(b)), the score of
    /// the held coefficient at the restricted maximum. Newton on h from the Wald bound therefore lands
    /// outside the root after at most one step and then approaches it monotonically and quadratically
    /// (the tangent of a concave function lies above it); each evaluation is one restricted fit
    /// (``CoxNewton`` on the other coefficients, started from the previous one by the conditional
    /// correction of ``conditionalStart(from:information:position:free:to:p:)``). The first point
    /// is the Wald bound, at most 10 units of the linear predictor across the column's range from β̂,
    /// and no step is longer than four times that distance u; a point where the restricted fit fails
    /// is replaced by the midpoint back to the last good one. A side stops when the step is below
    /// 1e-10·u. A side whose profile stops falling, or does not reach the cut-off within 50·u (a
    /// coefficient under monotone likelihood), has an infinite bound; one that does not settle in 60
    /// restricted fits is NaN. (The logistic fit uses regula falsi on the signed
    /// root instead, because Firth's penalised profile need not be concave.)
    ///
    /// - Parameter model: the model this fit came from (the fit keeps no copy of the data).
    public func profileIntervals(_ model: CoxModel, level: Double = 0.95) -> [ConfidenceInterval?] {
        let p = coefficients.count
        let active = (0..<p).filter { !aliased[$0] }
        let likelihood = CoxPartialLikelihood(model: model, columns: active, ties: options.ties)
        let solver = CoxNewton(likelihood: likelihood, options: options)
        let estimate = active.map { coefficients[$0] }
        let cutoff = ChiSquare.quantileOneDF(level) / 2
        let z = Normal.quantile((1 + level) / 2)
        var intervals = [ConfidenceInterval?](repeating: nil, count: p)
        guard let atEstimate = likelihood.evaluate(estimate) else { return intervals }
        for (position, column) in active.enumerated() {
            let se = standardErrors[column]
            guard se.isFinite, se > 0 else { continue }
            let free = (0..<active.count).filter { $0 != position }
            // The Wald half-width, but at most 10 units of the linear predictor across the column's
            // range: under monotone likelihood the SE is meaningless (10⁵ and more).
            let unit = min(z * se, 10 / likelihood.range[position])
            let bounds = [-1.0, 1.0].map { direction in
                Self.profileBound(solver: solver, estimate: estimate, information: atEstimate.information, position: position, free: free,
                                  target: logLikelihood - cutoff, unit: unit, direction: direction)
            }
            intervals[column] = ConfidenceInterval(lower: bounds[0], upper: bounds[1], level: level, method: .profile)
        }
        return intervals
    }

    /// One side of a profile interval (see ``profileIntervals(_:level:)``).
    ///
    /// - Parameters:
    ///   - information: I at `estimate`, for the first restricted fit's start.
    ///   - unit: the first distance from the estimate and a quarter of the largest step.
    static func profileBound(solver: CoxNewton<CoxPartialLikelihood>, estimate: [Double], information: [Double], position: Int, free: [Int], target: Double,
                             unit: Double, direction: Double) -> Double {
        // The last restricted maximum (the estimate to begin with) and the information there.
        var anchor = (beta: estimate, information: information)
        var b = estimate[position] + direction * unit
        for _ in 0..<60 {
            let start = conditionalStart(from: anchor.beta, information: anchor.information, position: position, free: free, to: b,
                                         p: solver.likelihood.p)
            guard let initial = solver.likelihood.evaluate(start),
                  case let restricted = solver.solve(start: start, initial: initial, maxIterations: solver.maxIterations,
                                                     tolerance: solver.tolerance, free: free),
                  restricted.converged
            else {
                // Too far out for the restricted fit (risk scores underflow): halfway back.
                b = (b + anchor.beta[position]) / 2
                continue
            }
            anchor = (restricted.beta, restricted.evaluation.information)
            let h = restricted.evaluation.logLikelihood - target
            let slope = restricted.evaluation.score[position]
            // On this side h falls as b moves away from β̂: a slope of the wrong sign or zero means the
            // profile no longer falls (monotone likelihood along this coefficient).
            guard slope * direction < 0 else { return direction * .infinity }
            let step = min(max(-h / slope, -4 * unit), 4 * unit)
            b += step
            if abs(b - estimate[position]) > 50 * unit { return direction * .infinity }
            if abs(step) <= 1e-10 * unit { return b }
        }
        return .nan
    }

    /// `from` with the held coefficient moved to `b` and the free ones by Newton's one-step
    /// conditional correction δ_f = −I_ff⁻¹ I_fj (b − from_j), I at `from` (the restricted maximum
    /// moves along this line to first order): the restricted fit then needs one or two Newton steps
    /// instead of three or four (at n = 10⁶ each step is a pass over the data).
    static func conditionalStart(from: [Double], information: [Double], position j: Int, free: [Int], to b: Double, p: Int) -> [Double] {
        var start = from
        start[j] = b
        let k = free.count
        guard k > 0 else { return start }
        var block = [Double](repeating: 0, count: k * k)
        for c in 0..<k { for r in 0..<k { block[c * k + r] = information[free[c] * p + free[r]] } }
        guard Cholesky.factor(&block, order: k) == nil else { return start }
        let change = b - from[j]
        var rhs = free.map { information[j * p + $0] * change }
        Cholesky.solve(factor: block, order: k, rhs: &rhs, count: 1)
        for (r, position) in free.enumerated() { start[position] -= rhs[r] }
        return start.allSatisfy(\.isFinite) ? start : from.enumerated().map { $0.offset == j ? b : $0.element }
    }
}

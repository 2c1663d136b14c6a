/// What ``CoxNewton`` and ``CoxMonotoneLikelihood`` need of a log partial likelihood over risk sets
/// (Cox's ``CoxPartialLikelihood``, Fine-Gray's ``FineGrayLikelihood``): ℓ, U and I at β, how far one
/// unit of each coefficient moves a linear predictor across rows, and the monotone-likelihood
/// condition along a direction.
protocol RiskSetLikelihood {
    /// Estimated columns.
    var p: Int { get }
    /// maxᵢ xᵢⱼ − minᵢ xᵢⱼ per column.
    var range: [Double] { get }
    /// ℓ, U and I at `beta`; nil when ℓ is not finite.
    func evaluate(_ beta: [Double]) -> CoxPartialLikelihood.Evaluation?
    /// Whether ℓ rises without bound along `d`: every event's xᵢᵀd is (within rounding) the largest
    /// of its risk set's (see ``CoxMonotoneLikelihood``).
    func risesWithoutBound(along d: [Double]) -> Bool
}

extension CoxNewton where Likelihood == CoxPartialLikelihood {
    init(likelihood: CoxPartialLikelihood, options: CoxOptions) {
        self.init(likelihood: likelihood, maxIterations: options.maxIterations, tolerance: options.tolerance,
                  maxStepHalvings: options.maxStepHalvings)
    }
}

/// Newton-Raphson with step halving on the Cox partial log-likelihood.
///
/// Each iteration solves `I(β) δ = U(β)` by ``Cholesky`` and moves to β + δ; a step that lowers ℓ (by more than
/// rounding) or makes it non-finite is halved, up to ``CoxOptions/maxStepHalvings`` times. ℓ is concave, so from
/// β = 0 Newton converges quadratically unless the maximum does not exist (monotone likelihood, see
/// ``CoxMonotoneLikelihood``).
///
/// Stopping rule: the rule of ``NewtonSolver`` (issue 12): stop at the first point whose Newton
/// decrement λ = √(Uᵀ I⁻¹ U) is at most the tolerance, or, when rounding keeps λ from getting there,
/// at a point where λ² < 1e-10·(|ℓ| + 1) and the last exact Newton step no longer halved λ.
///
/// Why not ``NewtonSolver`` itself: it is written around ``BinomialLikelihood`` (a centred and scaled
/// working basis with an intercept, Firth's penalty, lagged information for large n), none of which a
/// Cox model has. The step-halving and the stopping rule are the same; moving both solvers onto one
/// protocol over "an evaluation with ℓ, U and I" is left for when a third model needs it. The
/// Fine-Gray pseudo-likelihood is a second risk-set likelihood of the same shape, so the solver is
/// generic over ``RiskSetLikelihood`` (Cox's and Fine-Gray's).
struct CoxNewton<Likelihood: RiskSetLikelihood> {
    let likelihood: Likelihood
    /// The model's options (``CoxOptions``, ``FineGrayOptions``): iterations at most, the bound on the
    /// Newton decrement, and the step halvings tried when an iteration lowers ℓ.
    let maxIterations: Int
    let tolerance: Double
    let maxStepHalvings: Int

    init(likelihood: Likelihood, maxIterations: Int, tolerance: Double, maxStepHalvings: Int) {
        self.likelihood = likelihood
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.maxStepHalvings = maxStepHalvings
    }

    struct Outcome {
        var beta: [Double]
        var evaluation: CoxPartialLikelihood.Evaluation
        /// Newton steps taken.
        var iterations: Int
        var converged: Bool
        /// λ at `beta` (NaN when the information could not be factored there).
        var decrement: Double
        /// Why iteration stopped early, if it did.
        var failure: String?
    }

    /// λ² = U_fᵀ I_ff⁻¹ U_f and the Newton step I_ff⁻¹U_f over the free positions `free` (all when
    /// nil), returned as a length-p step with zeros at the held positions; nil when I_ff is not
    /// positive definite. Holding a coefficient fixed is moving its column into the offset, so a
    /// restricted fit (a profile) is Newton on the free block alone.
    func newtonStep(_ evaluation: CoxPartialLikelihood.Evaluation, free: [Int]? = nil) -> (step: [Double], decrementSquared: Double)? {
        let p = likelihood.p
        let free = free ?? Array(0..<p)
        let k = free.count
        var factor = [Double](repeating: 0, count: k * k)
        for c in 0..<k { for r in 0..<k { factor[c * k + r] = evaluation.information[free[c] * p + free[r]] } }
        guard Cholesky.factor(&factor, order: k) == nil else { return nil }
        let gradient = free.map { evaluation.score[$0] }
        var solution = gradient
        Cholesky.solve(factor: factor, order: k, rhs: &solution, count: 1)
        var product = 0.0
        var step = [Double](repeating: 0, count: p)
        for r in 0..<k {
            product += gradient[r] * solution[r]
            step[free[r]] = solution[r]
        }
        return (step, max(0, product))
    }

    /// - Parameters:
    ///   - tolerance: the bound on λ; 0 never stops early (the monotone-likelihood probe).
    ///   - free: the positions to estimate (nil: all); the others keep their values in `start`.
    func solve(start: [Double], initial: CoxPartialLikelihood.Evaluation, maxIterations: Int, tolerance: Double,
               free: [Int]? = nil) -> Outcome {
        var beta = start, current = initial
        var previousDecrement = Double.infinity
        let p = likelihood.p
        for iteration in 0...maxIterations {
            guard let (step, decrementSquared) = newtonStep(current, free: free) else {
                return Outcome(beta: beta, evaluation: current, iterations: iteration, converged: false, decrement: .nan,
                               failure: "the information matrix is not positive definite")
            }
            let decrement = decrementSquared.squareRoot()
            let atRoundingFloor = tolerance > 0 && decrementSquared < 1e-10 * (abs(current.logLikelihood) + 1)
                && decrement > previousDecrement / 2
            if decrement <= tolerance || atRoundingFloor || iteration == maxIterations {
                return Outcome(beta: beta, evaluation: current, iterations: iteration,
                               converged: decrement <= tolerance || atRoundingFloor, decrement: decrement)
            }
            previousDecrement = decrement
            // A step is refused only if ℓ falls by more than its rounding error could explain (as in
            // NewtonSolver): near the maximum a full Newton step raises ℓ by λ²/2, below the rounding
            // of a sum of n terms, and refusing it turned quadratic convergence into halvings that
            // stopped 1e-7 short of the maximum.
            let slack = 1e-12 * (abs(current.logLikelihood) + 1)
            var scale = 1.0
            var accepted: (beta: [Double], evaluation: CoxPartialLikelihood.Evaluation)?
            for _ in 0...maxStepHalvings {
                let trial = (0..<p).map { beta[$0] + scale * step[$0] }
                if let evaluation = likelihood.evaluate(trial), evaluation.logLikelihood >= current.logLikelihood - slack {
                    accepted = (trial, evaluation)
                    break
                }
                scale /= 2
            }
            guard let accepted else {
                return Outcome(beta: beta, evaluation: current, iterations: iteration, converged: false, decrement: decrement,
                               failure: "step halving could not improve the log-likelihood")
            }
            beta = accepted.beta
            current = accepted.evaluation
        }
        preconditionFailure("the loop returns at iteration == maxIterations")
    }
}

/// Detects monotone likelihood after a fit: a direction d along which ℓ keeps rising, so that some
/// coefficients run to ±∞ (the Cox analogue of separation in logistic regression; Heinze and
/// Schemper, *Biometrics* 2001, whose Firth correction fixes it).
///
/// ℓ rises without bound along d exactly when every death's linear predictor is the largest of its
/// risk set: xᵢᵀd ≥ xⱼᵀd for every death i at t and every j ∈ R(t). Newton then moves β along d by
/// about one unit of the linear predictor per step while ℓ approaches its supremum, and the decrement
/// falls to 0 as exp(−|β|), so a fit can "converge" on a plateau. As ``SeparationCheck`` does, the
/// check iterates past the stopping rule and reads off Δβ:
///
/// 1. a column diverges when |Δβⱼ|·(maxᵢ xᵢⱼ − minᵢ xᵢⱼ) grew by more than 1 over the probe steps;
/// 2. it is confirmed only if d = Δβ satisfies the risk-set condition above within
///    τ = 1e-6·maxᵢ|xᵢᵀd| (one sweep, using the sort the likelihood already has).
///
/// It runs only when it can matter: the fit did not converge, or some |βⱼ| times the range of column j
/// exceeds 15 (a hazard ratio of e¹⁵ ≈ 3e6 across the column's range). The probe stops early when β
/// stops moving (a real maximum, or a plateau whose information has sunk into rounding, where steps
/// are refused) and judges the drift up to there.
struct CoxMonotoneLikelihood {
    /// Positions (in the likelihood's columns) that diverge, with the sign of their drift.
    let diverging: [(position: Int, increasing: Bool)]

    static let probeIterations = 40

    init?<Likelihood>(solver: CoxNewton<Likelihood>, stopped: CoxNewton<Likelihood>.Outcome) {
        let likelihood = solver.likelihood
        let p = likelihood.p
        let largest = (0..<p).reduce(0.0) { max($0, abs(stopped.beta[$1]) * likelihood.range[$1]) }
        guard largest > 15 || !stopped.converged else { return nil }
        var beta = stopped.beta, evaluation = stopped.evaluation
        for iteration in 1...Self.probeIterations {
            let next = solver.solve(start: beta, initial: evaluation, maxIterations: 1, tolerance: 0)
            let moved = (0..<p).reduce(0.0) { max($0, abs(next.beta[$1] - beta[$1]) * likelihood.range[$1]) }
            beta = next.beta
            evaluation = next.evaluation
            if next.failure != nil { break }
            // Stalled: at a real maximum (Δβ stays ~0 and nothing is named below), or on a plateau
            // whose information has sunk into rounding, where the drift so far is the evidence.
            if iteration >= 3, moved < 1e-6 { break }
        }
        let delta = (0..<p).map { beta[$0] - stopped.beta[$0] }
        let positions = (0..<p).filter { abs(delta[$0]) * likelihood.range[$0] > 1 }
        guard !positions.isEmpty, likelihood.risesWithoutBound(along: delta) else { return nil }
        diverging = positions.map { ($0, delta[$0] > 0) }
    }
}

extension CoxPartialLikelihood: RiskSetLikelihood {
    /// The risk-set condition of ``CoxMonotoneLikelihood``, for direction `d`.
    func risesWithoutBound(along d: [Double]) -> Bool {
        let likelihood = self
        let p = likelihood.p
        var margins = [Double](repeating: 0, count: likelihood.n)
        var largest = 0.0
        for i in 0..<likelihood.n {
            var value = 0.0
            for j in 0..<p { value += likelihood.x[i * p + j] * d[j] }
            margins[i] = value
            largest = max(largest, abs(value))
        }
        let tau = 1e-6 * largest
        for stratum in 0..<(likelihood.strataBounds.count - 1) {
            var riskSetMax = -Double.infinity
            for g in likelihood.strataBounds[stratum]..<likelihood.strataBounds[stratum + 1] {
                let rows = likelihood.groups[g]
                for i in rows { riskSetMax = max(riskSetMax, margins[i]) }
                for i in rows where likelihood.event[i] && margins[i] < riskSetMax - tau { return false }
            }
        }
        return true
    }
}

extension CoxNewton {
    /// How a risk-set fit (Cox, Fine-Gray) ended, and what its user must know: rows dropped, aliased
    /// columns, monotone likelihood (probed by ``CoxMonotoneLikelihood``, which takes precedence over
    /// the solver's own status) or non-convergence. One assessment for both models.
    /// - Parameters:
    ///   - names: the design's column names; `active` the columns estimated (positions in `names`).
    func assess(_ outcome: Outcome, names: [String], aliased: [Bool], active: [Int],
                excludedRows: [ExcludedRow]) -> (convergence: CoxConvergence, diagnostics: [CoxDiagnostic]) {
        var diagnostics: [CoxDiagnostic] = []
        if !excludedRows.isEmpty {
            let reasons = Dictionary(grouping: excludedRows, by: \.reason).mapValues(\.count)
            diagnostics.append(.rowsDropped(count: excludedRows.count, reasons: reasons))
        }
        let aliasedNames = names.indices.filter { aliased[$0] }.map { names[$0] }
        if !aliasedNames.isEmpty { diagnostics.append(.aliased(columns: aliasedNames)) }
        var convergence: CoxConvergence = outcome.converged
            ? .converged(iterations: outcome.iterations)
            : outcome.failure.map { .failed(reason: $0, iterations: outcome.iterations) } ?? .maxIterationsReached(outcome.iterations)
        if let monotone = CoxMonotoneLikelihood(solver: self, stopped: outcome) {
            let columns = monotone.diverging.map { names[active[$0.position]] }
            let increasing = monotone.diverging.map(\.increasing)
            convergence = .monotoneLikelihood(columns: columns, increasing: increasing, iterations: outcome.iterations)
            diagnostics.append(.monotoneLikelihood(columns: columns, increasing: increasing))
        } else if !outcome.converged {
            diagnostics.append(.notConverged(iterations: outcome.iterations, reason: outcome.failure))
        }
        return (convergence, diagnostics)
    }
}

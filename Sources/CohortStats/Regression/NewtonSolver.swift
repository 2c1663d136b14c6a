/// Newton-Raphson on the (penalised) log-likelihood over a subset of the coefficients, the rest held
/// at fixed values.
///
/// One mechanism serves the fit (all active coefficients free), likelihood-ratio tests (one term held
/// at 0) and profile likelihood (one coefficient held at a trial value); holding a coefficient fixed
/// is the same as moving its column into the offset.
///
/// Each iteration solves `I_ff δ = U_f` by Cholesky (`dpotrf`/`dpotrs`) on the free block of the
/// information. For maximum likelihood that is exactly IRLS: `β + δ` is the weighted least-squares
/// fit of the working response `z = η + (y-μ)/w`. For Firth, `U` is the modified score and the
/// penalty keeps using the information of the whole model (`logistf`'s convention for restricted
/// fits), so restricted and full penalised likelihoods are comparable.
///
/// Step control: a step that lowers the objective (raises the deviance) or makes it non-finite is
/// halved, up to `maxStepHalvings` times; with `maxStep`, a step whose largest component in the
/// working basis (standardised columns) exceeds it is scaled down first (`logistf`'s `maxstep`,
/// applied in standard-deviation units so that it does not depend on the covariates' units).
///
/// Stopping rule (issue 12; see ``FitOptions/tolerance``): at a point where the exact information
/// is known, the Newton decrement
/// ```
/// λ = √(Ũ_fᵀ Ĩ_ff⁻¹ Ũ_f)     (score in the metric of the information, either basis)
/// ```
/// is at most the tolerance. λ² is Newton's predicted change of −2·objective, computed from the score
/// without the cancellation of a difference of deviances, and |β̂ⱼ − βⱼ| ≤ λ·SEⱼ to first order
/// (Cauchy-Schwarz), so λ ≤ 1e-10 means the estimate is within 1e-10 standard errors of the maximum
/// for maximum likelihood. For Firth the score is the modified score and Ĩ is not its Hessian, so the
/// same rule is a small-score test in a unit-free metric. When rounding keeps λ from getting there
/// (a huge n, or a step that no longer changes the objective), the point is accepted as converged at
/// the rounding floor only if λ² is below 1e-10·(|objective| + 1), already far past R's 1e-8
/// relative-deviance rule, and exact Newton steps have stopped reducing λ (by half for maximum
/// likelihood, which converges quadratically; at all for Firth's linear iteration) or step halving
/// cannot improve the objective.
///
/// Lagged information (maximum likelihood on at least ``laggedInformationRows`` rows): a step may
/// use the information matrix of an earlier iterate (Newton with a lagged Jacobian, the chord or
/// Shamanskii variant), so that intermediate evaluations compute only the deviance and the score
/// and skip the √W gather and `dsyrk`, two thirds of a pass. From a warm start one full step
/// moves β by a few standard errors, which changes the information by about 1% at n = 10⁶, so a
/// lagged step contracts the error by about that factor: far faster than the stopping rule needs.
/// Lagged and exact steps alternate: the point a lagged step reaches is always evaluated in full,
/// and so is any point that Newton's predicted decrease Uᵀδ (below 1e-6·(|ℓ| + 1)) says is close to
/// the maximum, or that a halved step reaches. Convergence is decided only at a point whose
/// information is exact, since the decrement needs it; the reported covariance is the inverse
/// information at the returned estimate.
struct NewtonSolver {
    let likelihood: BinomialLikelihood
    let options: FitOptions

    static let laggedInformationRows = 100_000

    struct Outcome {
        var beta: [Double]
        var evaluation: BinomialLikelihood.Evaluation
        var iterations: Int
        var converged: Bool
        /// Why iteration stopped early (singular information, step halving exhausted), if it did.
        var failure: String?
        /// The stopping rule's quantities at `beta` (see ``ConvergenceCriterion``).
        var criterion = ConvergenceCriterion(relativeObjectiveChange: .nan, maxWorkingScore: .nan, newtonDecrement: .nan)
    }

    /// Ĩ_ff, the free block of the working-basis information, factored (nil when not positive definite).
    private func factorFreeBlock(_ evaluation: BinomialLikelihood.Evaluation, free: [Int]) -> [Double]? {
        let k = likelihood.active.count, kf = free.count
        var block = [Double](repeating: 0, count: kf * kf)
        for c in 0..<kf {
            for r in 0...c {
                let a = free[r], b = free[c]
                block[c * kf + r] = evaluation.information[max(a, b) * k + min(a, b)]
            }
        }
        return LAPACK.choleskyFactor(&block, order: kf) == nil ? block : nil
    }

    /// The working basis `solve` uses for these free positions: centred only when the intercept moves.
    func basis(free: [Int]) -> BinomialLikelihood.Basis {
        likelihood.basis(centered: likelihood.interceptPosition.map(free.contains) ?? false)
    }

    /// A start for a restricted fit: the coefficients in `moved` (design column → new value) set,
    /// the free ones moved by the conditional (one-step) correction
    /// ```
    /// δ̃_f = −Ĩ_ff⁻¹ Ĩ_fF δ̃_F        (working basis, Ĩ at `point`)
    /// ```
    /// which keeps the linear predictor as close as the information weights allow to its value at
    /// `point` (issue 12). Holding a covariate near 10⁶ at 0 with the intercept left where it was
    /// moves every ηᵢ by about 10⁶·β̂ⱼ and every weight underflows to 0; this start lets the intercept
    /// absorb the change. Nil when `evaluation` (at `point`, in ``basis(free:)``, with information)
    /// cannot be used.
    func conditionalStart(point: [Double], evaluation: BinomialLikelihood.Evaluation, moved: [Int: Double], free: [Int]) -> [Double]? {
        let k = likelihood.active.count, kf = free.count
        let basis = self.basis(free: free)
        guard evaluation.hasInformation, kf > 0, evaluation.basis.center == basis.center, evaluation.basis.scale == basis.scale,
              evaluation.information.count == k * k
        else { return nil }
        var working = [Double](repeating: 0, count: k)
        for (a, column) in likelihood.active.enumerated() {
            guard let value = moved[column] else { continue }
            // Fixed coordinates map one to one: β̃ₐ = sₐβₐ, and the intercept is fixed only in an uncentred basis.
            working[a] = (value - point[column]) * (a == likelihood.interceptPosition ? 1 : basis.scale[a])
        }
        guard let factor = factorFreeBlock(evaluation, free: free) else { return nil }
        var rhs = free.map { a in
            (0..<k).reduce(0.0) { sum, b in working[b] == 0 ? sum : sum + evaluation.information[max(a, b) * k + min(a, b)] * working[b] }
        }
        LAPACK.choleskySolve(factor: factor, order: kf, rhs: &rhs, count: 1)
        for (r, a) in free.enumerated() { working[a] = -rhs[r] }
        let step = basis.toOriginal(step: working)
        var start = point
        for (a, column) in likelihood.active.enumerated() { start[column] += step[a] }
        for (column, value) in moved { start[column] = value }
        return start.allSatisfy(\.isFinite) ? start : nil
    }

    /// - Parameters:
    ///   - start: length-p coefficients; entries of fixed and aliased columns keep their values.
    ///   - free: positions in `likelihood.active` to estimate.
    ///   - maxIterations: overrides the options' limit (separation probing runs past it).
    ///   - tolerance: overrides the options' bound on the Newton decrement; 0 never stops early
    ///     (separation probing).
    ///   - initial: the evaluation at `start` in the centred basis, when the caller already has it.
    func solve(start: [Double], free: [Int], maxIterations: Int? = nil, tolerance: Double? = nil,
               initial: BinomialLikelihood.Evaluation? = nil) -> Outcome? {
        // Centre the working basis only when the intercept moves (see BinomialLikelihood.Basis).
        let centered = likelihood.interceptPosition.map(free.contains) ?? false
        let basis = likelihood.basis(centered: centered)
        let reusable = initial.flatMap { $0.basis.center == basis.center && $0.basis.scale == basis.scale ? $0 : nil }
        guard let first = reusable ?? likelihood.evaluate(start, basis: basis) else { return nil }
        var beta = start
        var current = first
        let k = likelihood.active.count
        let kf = free.count
        let tolerance = tolerance ?? options.tolerance
        let limit = maxIterations ?? options.maxIterations
        var lastChange = Double.nan
        func criterion(_ evaluation: BinomialLikelihood.Evaluation, decrement: Double) -> ConvergenceCriterion {
            ConvergenceCriterion(relativeObjectiveChange: lastChange,
                                 maxWorkingScore: free.reduce(0) { max($0, abs(evaluation.workingScore[$1])) },
                                 newtonDecrement: decrement)
        }
        if kf == 0 {
            return Outcome(beta: beta, evaluation: current, iterations: 0, converged: true,
                           criterion: ConvergenceCriterion(relativeObjectiveChange: 0, maxWorkingScore: 0, newtonDecrement: 0))
        }

        let lagging = options.method == .maximumLikelihood && likelihood.n >= Self.laggedInformationRows
        var factor: [Double] = []
        var previousDecrement = Double.infinity
        var lastDecrement = Double.nan
        // Ensures `current` carries the information at `beta` (a full evaluation if it does not).
        func withInformation(_ evaluation: BinomialLikelihood.Evaluation, at point: [Double]) -> BinomialLikelihood.Evaluation? {
            evaluation.hasInformation ? evaluation : likelihood.evaluate(point, basis: basis)
        }
        // Accepted at the rounding floor (see the type's documentation).
        func atRoundingFloor(_ decrementSquared: Double, objective: Double) -> Bool {
            tolerance > 0 && decrementSquared < 1e-10 * (abs(objective) + 1)
        }

        for iteration in 1...max(limit, 1) {
            if current.hasInformation || factor.isEmpty {
                guard let full = withInformation(current, at: beta) else { return nil }
                current = full
                guard let block = factorFreeBlock(current, free: free) else {
                    return Outcome(beta: beta, evaluation: current, iterations: iteration - 1, converged: false,
                                   failure: "the information matrix became singular", criterion: criterion(current, decrement: .nan))
                }
                factor = block
            }
            let exactStep = current.hasInformation
            var workingDelta = free.map { current.workingScore[$0] }
            LAPACK.choleskySolve(factor: factor, order: kf, rhs: &workingDelta, count: 1)
            // Newton's predicted change of 2·objective, Ũᵀ Ĩ⁻¹ Ũ = λ² (the same in either basis).
            let predictedDecrease = max(0, zip(free, workingDelta).reduce(0) { $0 + current.workingScore[$1.0] * $1.1 })
            if exactStep {
                let decrement = predictedDecrease.squareRoot()
                lastDecrement = decrement
                // No more progress: Newton (maximum likelihood) converges quadratically, so a decrement
                // that did not halve is rounding; Firth's iteration converges linearly, so only one
                // that did not fall at all is.
                let stalled = decrement > previousDecrement * (options.method == .maximumLikelihood ? 0.5 : 0.99)
                if tolerance > 0 && decrement <= tolerance
                    || iteration > 1 && stalled && atRoundingFloor(predictedDecrease, objective: current.objective) {
                    return Outcome(beta: beta, evaluation: current, iterations: iteration - 1, converged: true,
                                   criterion: criterion(current, decrement: decrement))
                }
                previousDecrement = decrement
            }
            if let maxStep = options.maxStep {
                let largest = workingDelta.reduce(0) { max($0, abs($1)) }
                if largest > maxStep { workingDelta = workingDelta.map { $0 * maxStep / largest } }
            }
            var fullWorking = [Double](repeating: 0, count: k)
            for (r, a) in free.enumerated() { fullWorking[a] = workingDelta[r] }
            let fullDelta = basis.toOriginal(step: fullWorking)
            let delta = free.map { fullDelta[$0] }
            // Near the maximum the landing point is evaluated in full, so that the rule can be checked there.
            let mayConverge = predictedDecrease < 1e-6 * (abs(current.objective) + 1)
            var full = !lagging || !exactStep || mayConverge

            var step = 1.0
            var accepted: (beta: [Double], evaluation: BinomialLikelihood.Evaluation)?
            // A step is refused only if ℓ falls by more than its rounding error could explain:
            // |δηᵢ| ≤ ε Σⱼ |βⱼ| max|xⱼ| and |∂ℓ/∂ηᵢ| ≤ 1, so |δℓ| ≤ n ε Σⱼ |βⱼ| max|xⱼ|. Without this,
            // a covariate with a large mean (whose intercept cancels against it in η) turns good
            // Newton steps into halvings and quadratic convergence into linear.
            let slack = 1e-12 * (abs(current.objective) + 1) + likelihood.roundingBound(beta)
            for _ in 0...options.maxStepHalvings {
                var trial = beta
                for (r, a) in free.enumerated() { trial[likelihood.active[a]] += step * delta[r] }
                if let evaluation = likelihood.evaluate(trial, basis: basis, information: full), evaluation.objective.isFinite,
                   evaluation.objective >= current.objective - slack {
                    accepted = (trial, evaluation)
                    break
                }
                step /= 2
                full = true  // a halved step: refresh the information where it lands
            }
            guard let accepted else {
                if exactStep, atRoundingFloor(predictedDecrease, objective: current.objective) {
                    return Outcome(beta: beta, evaluation: current, iterations: iteration - 1, converged: true,
                                   criterion: criterion(current, decrement: predictedDecrease.squareRoot()))
                }
                return Outcome(beta: beta, evaluation: current, iterations: iteration, converged: false,
                               failure: "step halving could not improve the likelihood", criterion: criterion(current, decrement: lastDecrement))
            }
            lastChange = abs(accepted.evaluation.objective - current.objective) / (abs(accepted.evaluation.objective) + 0.05)
            beta = accepted.beta
            current = accepted.evaluation
        }
        guard let final = withInformation(current, at: beta) else { return nil }
        current = final
        // The decrement at the last point, for the report.
        var decrement = Double.nan
        if let block = factorFreeBlock(current, free: free) {
            var d = free.map { current.workingScore[$0] }
            LAPACK.choleskySolve(factor: block, order: kf, rhs: &d, count: 1)
            decrement = max(0, zip(free, d).reduce(0) { $0 + current.workingScore[$1.0] * $1.1 }).squareRoot()
            if tolerance > 0 && decrement <= tolerance {
                return Outcome(beta: beta, evaluation: current, iterations: limit, converged: true, criterion: criterion(current, decrement: decrement))
            }
        }
        return Outcome(beta: beta, evaluation: current, iterations: limit, converged: false, criterion: criterion(current, decrement: decrement))
    }
}

extension NewtonSolver {
    /// Solves from whichever candidate start has the larger objective (a restricted fit tries the
    /// previous solution with the held coefficients moved, and the ``conditionalStart``).
    ///
    /// Maximum likelihood takes the conditional start alone when there is one (the last candidate):
    /// it is Newton's one-step approximation of the restricted maximum, and a second evaluation
    /// would cost a pass over the data.
    func solve(fromBestOf all: [[Double]], free: [Int], maxIterations: Int? = nil, tolerance: Double? = nil) -> Outcome? {
        let basis = basis(free: free)
        var best: (start: [Double], evaluation: BinomialLikelihood.Evaluation)?
        var candidates = all
        if options.method == .maximumLikelihood, candidates.count > 1 { candidates = [candidates.last!] + candidates.dropLast() }
        for candidate in candidates {
            if options.method == .maximumLikelihood, best != nil { break }
            guard let evaluation = likelihood.evaluate(candidate, basis: basis), evaluation.objective.isFinite else { continue }
            if best.map({ evaluation.objective > $0.evaluation.objective }) ?? true { best = (candidate, evaluation) }
        }
        guard let best else { return nil }
        return solve(start: best.start, free: free, maxIterations: maxIterations, tolerance: tolerance, initial: best.evaluation)
    }
}

/// What the stopping rule measured at the returned estimate (issue 12): reported with every fit.
public struct ConvergenceCriterion: Sendable, Equatable {
    /// |Δobjective| / (|objective| + 0.05) over the last accepted step: R's relative deviance change
    /// (deviance = −2ℓ, so this is |Δdev| / (|dev| + 0.1)); penalised for Firth. NaN before any step.
    public let relativeObjectiveChange: Double
    /// max |Ũⱼ| over the estimated coefficients: the (Firth-modified) score in the working basis
    /// (columns centred and scaled to unit standard deviation).
    public let maxWorkingScore: Double
    /// λ = √(Uᵀ I⁻¹ U), the Newton decrement at the estimate; the stopping rule bounds it.
    public let newtonDecrement: Double
}

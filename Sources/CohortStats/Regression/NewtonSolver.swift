/// Newton-Raphson on the (penalised) log-likelihood over a subset of the coefficients, the rest held
/// at fixed values.
///
/// One mechanism serves the fit (all active coefficients free), likelihood-ratio tests (one term held
/// at 0) and profile likelihood (one coefficient held at a trial value); holding a coefficient fixed
/// is the same as moving its column into the offset.
///
/// Each iteration solves `I_ff δ = U_f` by Cholesky (``Cholesky``) on the free block of the
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
/// and skip the √W gather and the Gram sums, two thirds of a pass. From a warm start one full step
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

    /// The coordinates Newton moves in, over the free positions, from an evaluation in the centred
    /// working basis (always centred when there is an intercept, issue 12).
    ///
    /// Intercept free (or none): the free working coordinates β̃_f themselves; holding a covariate
    /// at a value is holding β̃ⱼ = sⱼβⱼ. Intercept held: the centred intercept β̃₀ = β₀ + Σ cₐβₐ moves
    /// with every free covariate, so the coordinates are the scaled covariates uₐ = sₐβₐ, with
    /// β̃ = M u + const, M's column a = eₐ + (cₐ/sₐ) e₀. The system is then MᵀĨM (its entries lose
    /// digits to cancellation when cₐ/sₐ is large, which only slows Newton down), the gradient
    /// Uₐ/sₐ comes from the original score, and ℓ*, the Firth penalty and the hat values still come
    /// from the centred, well-conditioned Ĩ: in an uncentred basis a covariate near 10⁶ costs the
    /// log-determinant all its digits, and Firth's intercept-held fits (its LR test and profile)
    /// failed at step halving.
    struct Coordinates {
        let free: [Int]
        let k: Int
        /// cₐ/sₐ per active position when the intercept is held in a centred basis, nil otherwise.
        let ratio: [Double]?
        let interceptPosition: Int?

        init(free: [Int], k: Int, basis: BinomialLikelihood.Basis) {
            self.free = free
            self.k = k
            self.interceptPosition = basis.interceptPosition
            let held = basis.interceptPosition.map { !free.contains($0) } ?? false
            ratio = held && basis.center.contains { $0 != 0 } ? basis.center.indices.map { basis.center[$0] / basis.scale[$0] } : nil
        }

        func information(_ evaluation: BinomialLikelihood.Evaluation, _ a: Int, _ b: Int) -> Double {
            evaluation.information[max(a, b) * k + min(a, b)]
        }

        /// The system matrix (upper triangle, kf x kf column-major).
        func matrix(_ evaluation: BinomialLikelihood.Evaluation) -> [Double] {
            let kf = free.count
            var block = [Double](repeating: 0, count: kf * kf)
            for c in 0..<kf {
                for r in 0...c {
                    let a = free[r], b = free[c]
                    var value = information(evaluation, a, b)
                    if let ratio, let i = interceptPosition {
                        value += ratio[a] * information(evaluation, i, b) + ratio[b] * information(evaluation, a, i)
                            + ratio[a] * ratio[b] * information(evaluation, i, i)
                    }
                    block[c * kf + r] = value
                }
            }
            return block
        }

        /// The gradient in these coordinates.
        func gradient(_ evaluation: BinomialLikelihood.Evaluation, basis: BinomialLikelihood.Basis) -> [Double] {
            ratio == nil ? free.map { evaluation.workingScore[$0] } : free.map { evaluation.score[$0] / basis.scale[$0] }
        }

        /// A step in these coordinates as a step of the original coefficients over the active positions.
        func originalStep(_ step: [Double], basis: BinomialLikelihood.Basis) -> [Double] {
            if ratio != nil {
                var original = [Double](repeating: 0, count: k)
                for (r, a) in free.enumerated() { original[a] = step[r] / basis.scale[a] }
                return original
            }
            var working = [Double](repeating: 0, count: k)
            for (r, a) in free.enumerated() { working[a] = step[r] }
            return basis.toOriginal(step: working)
        }
    }

    /// The system matrix over the free coordinates, factored (nil when not positive definite).
    private func factorFreeBlock(_ evaluation: BinomialLikelihood.Evaluation, coordinates: Coordinates) -> [Double]? {
        var block = coordinates.matrix(evaluation)
        return Cholesky.factor(&block, order: coordinates.free.count) == nil ? block : nil
    }

    /// The working basis `solve` uses: centred whenever the model has an intercept (see ``Coordinates``).
    func basis(free: [Int]) -> BinomialLikelihood.Basis {
        likelihood.basis(centered: true)
    }

    /// A start for a restricted fit: the coefficients in `moved` (design column → new value) set,
    /// the free ones moved by the conditional (one-step) correction
    /// ```
    /// δ_f = −H_ff⁻¹ H_fF δ_F        (in ``Coordinates``, the information at `point`)
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
        let coordinates = Coordinates(free: free, k: k, basis: basis)
        // The held coordinates' change as a working-basis vector v (β̃ = A⁻¹β: β̃ₐ = sₐβₐ, and
        // β̃₀ = β₀ + Σ cₐβₐ when the intercept is held; when it is free β̃₀ is a free coordinate).
        var v = [Double](repeating: 0, count: k)
        for (a, column) in likelihood.active.enumerated() {
            guard let value = moved[column] else { continue }
            let change = value - point[column]
            if a == likelihood.interceptPosition {
                v[a] += change
            } else {
                v[a] += change * basis.scale[a]
                if coordinates.ratio != nil, let i = likelihood.interceptPosition { v[i] += change * basis.center[a] }
            }
        }
        guard let factor = factorFreeBlock(evaluation, coordinates: coordinates) else { return nil }
        // Mᵀ Ĩ v, with M the free coordinates' columns (see Coordinates).
        let iv = (0..<k).map { a in (0..<k).reduce(0.0) { v[$1] == 0 ? $0 : $0 + coordinates.information(evaluation, a, $1) * v[$1] } }
        var rhs = free.map { a in
            iv[a] + (coordinates.ratio.map { ratio in likelihood.interceptPosition.map { ratio[a] * iv[$0] } ?? 0 } ?? 0)
        }
        Cholesky.solve(factor: factor, order: kf, rhs: &rhs, count: 1)
        let step: [Double]
        if coordinates.ratio == nil {
            // β = Aβ̃ with the held coordinates' change included: the intercept absorbs −cⱼΔβⱼ.
            var working = v
            for (r, a) in free.enumerated() { working[a] = -rhs[r] }
            step = basis.toOriginal(step: working)
        } else {
            step = coordinates.originalStep(rhs.map { -$0 }, basis: basis)
        }
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
        // Always the centred working basis (see Coordinates).
        let basis = self.basis(free: free)
        let coordinates = Coordinates(free: free, k: likelihood.active.count, basis: basis)
        let reusable = initial.flatMap { $0.basis.center == basis.center && $0.basis.scale == basis.scale ? $0 : nil }
        guard let first = reusable ?? likelihood.evaluate(start, basis: basis) else { return nil }
        var beta = start
        var current = first
        let kf = free.count
        let tolerance = tolerance ?? options.tolerance
        let limit = maxIterations ?? options.maxIterations
        var lastChange = Double.nan
        func criterion(_ evaluation: BinomialLikelihood.Evaluation, decrement: Double) -> ConvergenceCriterion {
            ConvergenceCriterion(relativeObjectiveChange: lastChange,
                                 maxWorkingScore: coordinates.gradient(evaluation, basis: basis).reduce(0) { max($0, abs($1)) },
                                 newtonDecrement: decrement)
        }
        if kf == 0 {
            return Outcome(beta: beta, evaluation: current, iterations: 0, converged: true,
                           criterion: ConvergenceCriterion(relativeObjectiveChange: 0, maxWorkingScore: 0, newtonDecrement: 0))
        }

        let lagging = options.method == .maximumLikelihood && likelihood.n >= Self.laggedInformationRows
        var factor: [Double] = []
        var previousDecrement = Double.infinity
        var slowProgress = false
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
                guard let block = factorFreeBlock(current, coordinates: coordinates) else {
                    return Outcome(beta: beta, evaluation: current, iterations: iteration - 1, converged: false,
                                   failure: "the information matrix became singular", criterion: criterion(current, decrement: .nan))
                }
                factor = block
            }
            let exactStep = current.hasInformation
            let gradient = coordinates.gradient(current, basis: basis)
            var workingDelta = gradient
            Cholesky.solve(factor: factor, order: kf, rhs: &workingDelta, count: 1)
            // Newton's predicted change of 2·objective, gᵀ H⁻¹ g = λ² (the same in any coordinates).
            let predictedDecrease = max(0, zip(gradient, workingDelta).reduce(0) { $0 + $1.0 * $1.1 })
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
                slowProgress = decrement > 0.5 * previousDecrement
                previousDecrement = decrement
            }
            var capped = false
            if let maxStep = options.maxStep {
                let largest = workingDelta.reduce(0) { max($0, abs($1)) }
                if largest > maxStep { workingDelta = workingDelta.map { $0 * maxStep / largest }; capped = true }
            }
            let fullDelta = coordinates.originalStep(workingDelta, basis: basis)
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
            // Firth: I is not the Hessian of ℓ*, and under separation it overstates the curvature,
            // so full steps fall short by the same factor every iteration (linear convergence with a
            // rate near 1: a restricted fit far out in birthwt's or a 20-row profile needed over 1,000
            // iterations). When the decrement fell by less than half in the last exact step, the
            // step is extended, doubling, while ℓ* keeps rising (an expanding line search along the
            // Newton direction; it changes the path only, not the maximum). Fast iterations never
            // pay for the extra evaluations.
            if options.method == .firth, slowProgress, !capped, step == 1, var best = accepted {
                var factor = 2.0
                while factor <= 1024 {
                    var trial = beta
                    for (r, a) in free.enumerated() { trial[likelihood.active[a]] += factor * delta[r] }
                    guard let evaluation = likelihood.evaluate(trial, basis: basis), evaluation.objective.isFinite,
                          evaluation.objective > best.evaluation.objective
                    else { break }
                    best = (trial, evaluation)
                    factor *= 2
                }
                accepted = best
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
        if let block = factorFreeBlock(current, coordinates: coordinates) {
            let gradient = coordinates.gradient(current, basis: basis)
            var d = gradient
            Cholesky.solve(factor: block, order: kf, rhs: &d, count: 1)
            decrement = max(0, zip(gradient, d).reduce(0) { $0 + $1.0 * $1.1 }).squareRoot()
            if tolerance > 0 && decrement <= tolerance {
                return Outcome(beta: beta, evaluation: current, iterations: limit, converged: true, criterion: criterion(current, decrement: decrement))
            }
        }
        return Outcome(beta: beta, evaluation: current, iterations: limit, converged: false, criterion: criterion(current, decrement: decrement))
    }
}

extension NewtonSolver {
    /// Solves a restricted fit from candidate starts (the previous solution with the held
    /// coefficients moved, the ``conditionalStart``, the full estimate with them moved).
    ///
    /// Maximum likelihood: the log-likelihood is concave, so any start reaches the one maximum;
    /// the conditional start (the last candidate) is used alone when there is one, since it is
    /// Newton's one-step approximation of the restricted maximum and a second evaluation would
    /// cost a pass over the data. Firth: ℓ* is not concave, and under separation a constrained fit
    /// can have two local maxima (a 12-row data set separated by x has, at β_x = 3.9, one with
    /// β_z = 7.6 and one with β_z = 0.02, the second 0.21 lower in deviance); a profile limit must
    /// use the global one, so every distinct start is solved and the highest converged maximum
    /// kept (issue 12).
    func solve(fromBestOf all: [[Double]], free: [Int], maxIterations: Int? = nil, tolerance: Double? = nil) -> Outcome? {
        let basis = basis(free: free)
        var candidates: [[Double]] = []
        for candidate in all where !candidates.contains(candidate) { candidates.append(candidate) }
        if options.method == .maximumLikelihood {
            for candidate in candidates.reversed() {
                guard let evaluation = likelihood.evaluate(candidate, basis: basis), evaluation.objective.isFinite else { continue }
                return solve(start: candidate, free: free, maxIterations: maxIterations, tolerance: tolerance, initial: evaluation)
            }
            return nil
        }
        var best: Outcome?
        for candidate in candidates {
            guard let evaluation = likelihood.evaluate(candidate, basis: basis), evaluation.objective.isFinite,
                  let outcome = solve(start: candidate, free: free, maxIterations: maxIterations, tolerance: tolerance, initial: evaluation)
            else { continue }
            if let current = best {
                // A converged maximum beats an unconverged one; among equals, the higher objective.
                if outcome.converged && !current.converged
                    || outcome.converged == current.converged && outcome.evaluation.objective > current.evaluation.objective {
                    best = outcome
                }
            } else {
                best = outcome
            }
        }
        return best
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

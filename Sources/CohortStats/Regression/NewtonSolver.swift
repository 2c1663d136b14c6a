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
/// halved, up to `maxStepHalvings` times; with `maxStep`, a step whose largest component exceeds it
/// is scaled down first (`logistf`'s `maxstep`).
/// Stopping rule: see ``FitOptions/tolerance``.
///
/// Lagged information (maximum likelihood on at least ``laggedInformationRows`` rows): a step may
/// use the information matrix of an earlier iterate (Newton with a lagged Jacobian, the chord or
/// Shamanskii variant), so that intermediate evaluations compute only the deviance and the score
/// and skip the √W gather and `dsyrk`, two thirds of a pass. From a warm start one full step
/// moves β by a few standard errors, which changes the information by about 1% at n = 10⁶, so a
/// lagged step contracts the error by about that factor: far faster than the stopping rule needs.
/// Lagged and exact steps alternate: the point a lagged step reaches is always evaluated in full,
/// and so is any point that Newton's predicted deviance decrease Uᵀδ says may meet the stopping rule,
/// or that a halved step reaches. Convergence is accepted only at a point reached by an exact
/// Newton step: R's rule on the deviance change relies on Newton's quadratic convergence for the
/// accuracy of the last point, which a lagged step (linear convergence) does not give, so after a
/// lagged step that meets the rule one more exact step is taken. The reported covariance is the
/// inverse information at the returned estimate, and the stopping rule is R's, on the exact deviance.
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
    }

    /// - Parameters:
    ///   - start: length-p coefficients; entries of fixed and aliased columns keep their values.
    ///   - free: positions in `likelihood.active` to estimate.
    ///   - maxIterations: overrides the options' limit (separation probing runs past it).
    ///   - initial: the evaluation at `start` in the centred basis, when the caller already has it.
    func solve(start: [Double], free: [Int], maxIterations: Int? = nil, tolerance: Double? = nil,
               initial: BinomialLikelihood.Evaluation? = nil) -> Outcome? {
        // Centre the working basis only when the intercept moves (see BinomialLikelihood.Basis).
        let centered = likelihood.interceptPosition.map(free.contains) ?? false
        let basis = likelihood.basis(centered: centered)
        guard let first = centered ? initial ?? likelihood.evaluate(start, basis: basis) : likelihood.evaluate(start, basis: basis)
        else { return nil }
        var beta = start
        var current = first
        let k = likelihood.active.count
        let kf = free.count
        let tolerance = tolerance ?? options.tolerance
        let limit = maxIterations ?? options.maxIterations
        if kf == 0 { return Outcome(beta: beta, evaluation: current, iterations: 0, converged: true) }

        let lagging = options.method == .maximumLikelihood && likelihood.n >= Self.laggedInformationRows
        var factor: [Double] = []
        // Ensures `current` carries the information at `beta` (a full evaluation if it does not).
        func withInformation(_ evaluation: BinomialLikelihood.Evaluation, at point: [Double]) -> BinomialLikelihood.Evaluation? {
            evaluation.hasInformation ? evaluation : likelihood.evaluate(point, basis: basis)
        }

        for iteration in 1...max(limit, 1) {
            if current.hasInformation || factor.isEmpty {
                guard let full = withInformation(current, at: beta) else { return nil }
                current = full
                var block = [Double](repeating: 0, count: kf * kf)
                for c in 0..<kf {
                    for r in 0...c {
                        let a = free[r], b = free[c]
                        block[c * kf + r] = current.information[max(a, b) * k + min(a, b)]
                    }
                }
                if Cholesky.factor(&block, order: kf) != nil {
                    return Outcome(beta: beta, evaluation: current, iterations: iteration - 1, converged: false,
                                   failure: "the information matrix became singular")
                }
                factor = block
            }
            let exactStep = current.hasInformation
            var workingDelta = free.map { current.workingScore[$0] }
            Cholesky.solve(factor: factor, order: kf, rhs: &workingDelta, count: 1)
            var fullWorking = [Double](repeating: 0, count: k)
            for (r, a) in free.enumerated() { fullWorking[a] = workingDelta[r] }
            let fullDelta = basis.toOriginal(step: fullWorking)
            var delta = free.map { fullDelta[$0] }
            if let maxStep = options.maxStep {
                let largest = delta.reduce(0) { max($0, abs($1)) }
                if largest > maxStep { delta = delta.map { $0 * maxStep / largest } }
            }
            // Newton's predicted deviance decrease, Uᵀδ (the same in either basis).
            let predictedDecrease = zip(free, workingDelta).reduce(0) { $0 + current.workingScore[$1.0] * $1.1 }
            let mayConverge = predictedDecrease < 4 * tolerance * (2 * abs(current.objective) + 0.1)
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
                return Outcome(beta: beta, evaluation: current, iterations: iteration, converged: false,
                               failure: "step halving could not improve the likelihood")
            }

            let converged: Bool
            switch options.method {
            case .maximumLikelihood:
                let deviance = -2 * accepted.evaluation.objective, previous = -2 * current.objective
                converged = abs(deviance - previous) / (abs(deviance) + 0.1) < tolerance
            case .firth:
                // In the working basis (standardised columns), so the rule does not depend on units.
                let largestStep = workingDelta.reduce(0) { max($0, abs($1 * step)) }
                let largestScore = free.reduce(0) { max($0, abs(accepted.evaluation.workingScore[$1])) }
                converged = largestStep < tolerance && largestScore < tolerance
            }
            beta = accepted.beta
            current = accepted.evaluation
            if converged, exactStep {
                guard let final = withInformation(current, at: beta) else { return nil }
                return Outcome(beta: beta, evaluation: final, iterations: iteration, converged: true)
            }
        }
        guard let final = withInformation(current, at: beta) else { return nil }
        current = final
        return Outcome(beta: beta, evaluation: current, iterations: limit, converged: false)
    }
}

/// Detects complete and quasi-complete separation after a maximum-likelihood fit.
///
/// Under separation there is a direction d ≠ 0 with sᵢ xᵢᵀd ≥ 0 for every observation
/// (sᵢ = 2yᵢ - 1): the likelihood keeps rising along d and the MLE does not exist. Newton iterations
/// then move β along d by roughly one unit of the linear predictor per step, while the identifiable
/// coefficients settle. So the check continues iterating past the stopping rule and reads off
/// `Δβ = β_later - β_stopped`:
///
/// 1. a column diverges when its contribution to the linear predictor, |Δβⱼ|·maxᵢ|xᵢⱼ|, grew by
///    more than 1 (converged coefficients move by rounding only);
/// 2. separation is confirmed only if d = Δβ actually separates: sᵢ xᵢᵀd ≥ -τ for all i, with
///    τ = 1e-6·maxᵢ|xᵢᵀd| absorbing the residual motion of converged coefficients;
/// 3. it is complete when every sᵢ xᵢᵀd > τ, quasi-complete otherwise.
///
/// The check is run only when it can matter: some |ηᵢ| > 15 (a fitted probability within 3e-7 of 0
/// or 1) or the fit did not converge. On non-separated data it stops after three extra iterations
/// once no column moves. This is a numerical certificate, not Konis's linear program: a direction that
/// only separates after more than `probeIterations` steps is reported as non-convergence instead.
struct SeparationCheck {
    let divergingColumns: [Int]
    let complete: Bool

    static let probeIterations = 40

    init?(likelihood: BinomialLikelihood, solver: NewtonSolver, stopped: NewtonSolver.Outcome, columnMaxAbs: [Double]) {
        guard stopped.evaluation.maxAbsEta > 15 || !stopped.converged else { return nil }
        let p = likelihood.p
        let free = Array(likelihood.active.indices)
        var beta = stopped.beta
        var previous = beta
        var evaluation = stopped.evaluation  // each probe step starts from the last one's evaluation
        for iteration in 1...Self.probeIterations {
            guard let next = solver.solve(start: beta, free: free, maxIterations: 1, tolerance: 0, initial: evaluation) else { break }
            previous = beta
            beta = next.beta
            evaluation = next.evaluation
            if next.failure != nil { break }
            let moved = (0..<p).reduce(0.0) { max($0, abs(beta[$1] - previous[$1]) * columnMaxAbs[$1]) }
            if iteration >= 3, moved < 1e-6 { return nil }
        }
        let delta = (0..<p).map { beta[$0] - stopped.beta[$0] }
        let diverging = (0..<p).filter { abs(delta[$0]) * columnMaxAbs[$0] > 1 }
        guard !diverging.isEmpty else { return nil }

        // Margins sᵢ xᵢᵀd over all rows (one pass; this runs only when separation is suspected).
        let n = likelihood.n
        var margins = [Double](repeating: 0, count: n)
        likelihood.linearPredictor(start: 0, rows: n, beta: delta, into: &margins)
        var largest = 0.0
        for i in 0..<n {
            if likelihood.y[i] == 0 { margins[i] = -margins[i] }
            largest = max(largest, abs(margins[i]))
        }
        let tau = 1e-6 * largest
        guard margins.allSatisfy({ $0 >= -tau }) else { return nil }
        self.divergingColumns = diverging
        self.complete = margins.allSatisfy { $0 > tau }
    }
}

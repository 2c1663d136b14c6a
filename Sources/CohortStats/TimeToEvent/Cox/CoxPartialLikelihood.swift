/// The Cox partial log-likelihood, its score and information, and the score residuals, in one
/// sweep over rows sorted once by stratum and descending time.
///
/// Notation (one stratum; strata add up): rᵢ = exp(xᵢᵀβ) the risk score, R(t) = {j : tⱼ ≥ t} the
/// risk set (a row censored at t is still at risk at t), and at each distinct event time t with d
/// deaths D(t)
/// ```
/// S₀ = Σ_{R(t)} rⱼ       S₁ = Σ_{R(t)} rⱼxⱼ       S₂ = Σ_{R(t)} rⱼxⱼxⱼᵀ
/// E₀ = Σ_{D(t)} rⱼ       E₁ = Σ_{D(t)} rⱼxⱼ       E₂ = Σ_{D(t)} rⱼxⱼxⱼᵀ
/// ```
/// Efron's approximation lets the tied deaths leave the risk set a d-th at a time: for m = 0…d−1,
/// with f_m = m/d (Breslow: f_m = 0 for every m),
/// ```
/// den_m = S₀ − f_m E₀         x̄_m = (S₁ − f_m E₁) / den_m
/// ℓ(β)  = Σ_t [ Σ_{D(t)} xᵢᵀβ − Σ_m log den_m ]
/// U(β)  = Σ_t [ Σ_{D(t)} xᵢ  − Σ_m x̄_m ]
/// I(β)  = Σ_t Σ_m [ (S₂ − f_m E₂) / den_m − x̄_m x̄_mᵀ ]
/// ```
/// (Therneau and Grambsch, *Modeling Survival Data*, 2000, §3.3; survival's `validate.Rnw`.) Sorting
/// by descending time makes every risk-set sum a running sum: each row is added once, so one sweep is
/// O(n p²) after the O(n log n) sort, done once per model.
///
/// Covariates are centred (column means subtracted) as `coxph` does: ℓ, U and I are unchanged, since
/// a shift of every xᵢᵀβ by c adds d·c to both terms of each event time, but S₂/den − x̄x̄ᵀ loses far
/// fewer digits to cancellation. When some xᵢᵀβ exceeds 500 every linear predictor is lowered by the
/// largest one before exponentiating (the same invariance), so that rᵢ cannot overflow when a
/// coefficient runs away under monotone likelihood.
///
/// Order of sums (issue 12, style 15): every sum runs over the sorted rows in a fixed order (strata
/// ascending, time descending, source row ascending within a time), single-threaded, so the results
/// are the same bits on every run and machine; xᵢᵀβ sums columns in ascending order.
struct CoxPartialLikelihood {
    let n: Int
    /// Active (estimated) columns.
    let p: Int
    let ties: CoxTies
    /// Sorted position → model row.
    let order: [Int]
    /// Row-major n x p, sorted, centred.
    let x: [Double]
    /// Sorted.
    let event: [Bool]
    /// Runs of sorted rows sharing stratum and time, descending time within each stratum.
    let groups: [Range<Int>]
    /// Indices into `groups` where each stratum starts, plus `groups.count` at the end.
    let strataBounds: [Int]
    let center: [Double]
    /// maxᵢ xᵢⱼ − minᵢ xᵢⱼ per column: how far one unit of βⱼ moves one row's linear predictor
    /// against another's (for a 0/1 column, 1).
    let range: [Double]

    /// - Parameter columns: design columns to use, in order.
    init(model: CoxModel, columns: [Int], ties: CoxTies) {
        let n = model.nObservations, p = columns.count
        let strata = model.strata ?? [Int](repeating: 0, count: n)
        let times = model.times
        let order = (0..<n).sorted { a, b in
            if strata[a] != strata[b] { return strata[a] < strata[b] }
            if times[a] != times[b] { return times[a] > times[b] }
            return a < b
        }
        let design = model.design.values
        var center = [Double](repeating: 0, count: p), range = center
        var x = [Double](repeating: 0, count: n * p)
        for (c, column) in columns.enumerated() {
            // Ascending-row sum of the column (one fixed order), then the centred, sorted copy.
            let values = design[(column * n)..<((column + 1) * n)]
            let mean = values.reduce(0, +) / Double(n)
            center[c] = mean
            var smallest = Double.infinity, largest = -Double.infinity
            for (i, row) in order.enumerated() {
                let value = design[column * n + row] - mean
                x[i * p + c] = value
                smallest = min(smallest, value)
                largest = max(largest, value)
            }
            range[c] = largest - smallest
        }
        var groups: [Range<Int>] = [], bounds: [Int] = []
        var start = 0
        while start < n {
            if start == 0 || strata[order[start]] != strata[order[start - 1]] { bounds.append(groups.count) }
            var end = start + 1
            while end < n, strata[order[end]] == strata[order[start]], times[order[end]] == times[order[start]] { end += 1 }
            groups.append(start..<end)
            start = end
        }
        bounds.append(groups.count)
        self.n = n
        self.p = p
        self.ties = ties
        self.order = order
        self.x = x
        self.event = order.map { model.events[$0] }
        self.groups = groups
        self.strataBounds = bounds
        self.center = center
        self.range = range
    }

    struct Evaluation {
        var logLikelihood: Double
        var score: [Double]
        /// p x p, column-major, both triangles filled.
        var information: [Double]
    }

    /// Per event time, what the score residuals need (see ``scoreResiduals(_:)``); p-vectors are
    /// stored group-major.
    private struct Increments {
        var hazard: [Double]          // A = Σ_m 1/den_m
        var hazardMean: [Double]      // B = Σ_m x̄_m/den_m
        var deathHazard: [Double]     // C = Σ_m (1 − f_m)/den_m
        var deathHazardMean: [Double] // D = Σ_m (1 − f_m) x̄_m/den_m
        var meanOfMeans: [Double]     // (1/d) Σ_m x̄_m

        /// Zeros for `groups` groups of p columns (none when not recording).
        init(groups: Int, p: Int) {
            hazard = .init(repeating: 0, count: groups)
            deathHazard = hazard
            hazardMean = .init(repeating: 0, count: groups * p)
            deathHazardMean = hazardMean
            meanOfMeans = hazardMean
        }
    }

    /// The risk scores rᵢ = exp(xᵢᵀβ − shift) in sorted order and the linear predictors' shift.
    private func riskScores(_ beta: [Double]) -> (risk: [Double], eta: [Double], shift: Double) {
        var eta = [Double](repeating: 0, count: n)
        var largest = -Double.infinity
        for i in 0..<n {
            var value = 0.0
            for j in 0..<p { value += x[i * p + j] * beta[j] }
            eta[i] = value
            largest = max(largest, value)
        }
        let shift = largest > 500 ? largest : 0
        return (eta.map { exp($0 - shift) }, eta, shift)
    }

    /// ℓ, U and I at `beta` (length p, active columns); nil when ℓ is not finite.
    func evaluate(_ beta: [Double]) -> Evaluation? {
        sweep(beta, recording: false).evaluation
    }

    /// The score residuals Lᵢ at `beta`, row-major n x p in model row order (`residuals(fit, "score")`).
    ///
    /// Lᵢ = ∫ (xᵢ − x̄(s)) dMᵢ(s), the row's share of U, so that Σᵢ Lᵢ = U. With Efron's weights a
    /// death of D(t) owns 1/d of each of the d terms and is at risk with weight 1 − f_m in term m;
    /// every other row of R(t) with weight 1 (survival's `coxscore`):
    /// ```
    /// row at risk at t, not a death there:  −rᵢ Σ_m (xᵢ − x̄_m)/den_m                = −rᵢ (xᵢA − B)
    /// death at t:   Σ_m [ (xᵢ − x̄_m)/d − rᵢ (1 − f_m)(xᵢ − x̄_m)/den_m ] = xᵢ − x̄̄ − rᵢ (xᵢC − D)
    /// ```
    /// Summed over the event times up to the row's own time, A and B become cumulative sums over
    /// ascending time (a Nelson-Aalen-like hazard and its x̄-weighted twin), so every Lᵢ costs O(p).
    func scoreResiduals(_ beta: [Double]) -> [Double] {
        let increments = sweep(beta, recording: true).increments
        let risk = riskScores(beta).risk
        var residuals = [Double](repeating: 0, count: n * p)
        var cumulativeHazard = 0.0
        var cumulativeMean = [Double](repeating: 0, count: p)
        for stratum in 0..<(strataBounds.count - 1) {
            cumulativeHazard = 0
            for j in 0..<p { cumulativeMean[j] = 0 }
            // Ascending time: groups of the stratum in reverse.
            for g in stride(from: strataBounds[stratum + 1] - 1, through: strataBounds[stratum], by: -1) {
                let before = cumulativeHazard, beforeMean = cumulativeMean
                cumulativeHazard += increments.hazard[g]
                for j in 0..<p { cumulativeMean[j] += increments.hazardMean[g * p + j] }
                for i in groups[g] {
                    let r = risk[i], row = order[i] * p
                    for j in 0..<p {
                        let xij = x[i * p + j]
                        residuals[row + j] = event[i]
                            ? (xij - increments.meanOfMeans[g * p + j])
                                - r * (xij * (before + increments.deathHazard[g]) - (beforeMean[j] + increments.deathHazardMean[g * p + j]))
                            : -r * (xij * cumulativeHazard - cumulativeMean[j])
                    }
                }
            }
        }
        return residuals
    }

    /// One pass over the sorted rows (see the type's documentation); with `recording`, also the
    /// increments per group that the score residuals need (zeros for groups without deaths).
    private func sweep(_ beta: [Double], recording: Bool) -> (evaluation: Evaluation?, increments: Increments) {
        let (risk, eta, shift) = riskScores(beta)
        let efron = ties == .efron
        var logLikelihood = 0.0
        var score = [Double](repeating: 0, count: p)
        var information = [Double](repeating: 0, count: p * p)
        var s1 = [Double](repeating: 0, count: p), s2 = [Double](repeating: 0, count: p * p)
        var e1 = s1, e2 = s2, mean = s1
        var increments = Increments(groups: recording ? groups.count : 0, p: p)
        for stratum in 0..<(strataBounds.count - 1) {
            var s0 = 0.0
            for j in 0..<p { s1[j] = 0 }
            for j in 0..<(p * p) { s2[j] = 0 }
            for g in strataBounds[stratum]..<strataBounds[stratum + 1] {
                var deaths = 0
                var e0 = 0.0
                for j in 0..<p { e1[j] = 0 }
                for i in groups[g] {
                    let r = risk[i], row = i * p
                    s0 += r
                    for a in 0..<p {
                        let rxa = r * x[row + a]
                        s1[a] += rxa
                        for b in a..<p { s2[b * p + a] += rxa * x[row + b] }
                    }
                    guard event[i] else { continue }
                    if deaths == 0, efron {
                        for j in 0..<(p * p) { e2[j] = 0 }
                    }
                    deaths += 1
                    e0 += r
                    logLikelihood += eta[i] - shift
                    for a in 0..<p {
                        let rxa = r * x[row + a]
                        score[a] += x[row + a]
                        e1[a] += rxa
                        if efron { for b in a..<p { e2[b * p + a] += rxa * x[row + b] } }
                    }
                }
                guard deaths > 0 else { continue }
                // Breslow's d terms are equal: one term, counted d times.
                let terms = efron ? deaths : 1
                let multiplicity = Double(efron ? 1 : deaths)
                for m in 0..<terms {
                    let f = Double(m) / Double(deaths)
                    let den = s0 - f * e0
                    logLikelihood -= multiplicity * log(den)
                    for a in 0..<p {
                        mean[a] = (s1[a] - f * e1[a]) / den
                        score[a] -= multiplicity * mean[a]
                    }
                    for a in 0..<p {
                        for b in a..<p {
                            let second = efron ? (s2[b * p + a] - f * e2[b * p + a]) : s2[b * p + a]
                            information[b * p + a] += multiplicity * (second / den - mean[a] * mean[b])
                        }
                    }
                    if recording {
                        let deathWeight = 1 - f
                        increments.hazard[g] += multiplicity / den
                        increments.deathHazard[g] += multiplicity * deathWeight / den
                        for a in 0..<p {
                            increments.hazardMean[g * p + a] += multiplicity * mean[a] / den
                            increments.deathHazardMean[g * p + a] += multiplicity * deathWeight * mean[a] / den
                            increments.meanOfMeans[g * p + a] += multiplicity * mean[a] / Double(deaths)
                        }
                    }
                }
            }
        }
        for a in 0..<p { for b in 0..<a { information[b * p + a] = information[a * p + b] } }
        guard logLikelihood.isFinite else { return (nil, increments) }
        return (Evaluation(logLikelihood: logLikelihood, score: score, information: information), increments)
    }
}

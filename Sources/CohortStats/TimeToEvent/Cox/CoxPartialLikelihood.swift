import CohortData
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
/// (Therneau and Grambsch, *Modeling Survival Data*, 2000, §3.3; survival's `validate.Rnw`.)
///
/// Case weights wᵢ and an offset oᵢ, as `coxph(weights = w)` and `offset(o)` (survival's
/// `coxfit6.c`): ηᵢ = xᵢᵀβ + oᵢ, rᵢ = wᵢ exp(ηᵢ) in every sum above, the deaths' term
/// Σ_{D(t)} wᵢηᵢ (and wᵢxᵢ in U), and each of the d Efron terms weighted by the deaths' mean weight
/// w̄_D = Σ_{D(t)} wᵢ / d (Breslow: one term weighted Σ_{D(t)} wᵢ) instead of 1 (d). Without weights
/// every wᵢ is 1 and w̄_D = d/d = 1 exactly, so the unweighted sums keep their bits. Sorting
/// by descending time makes every risk-set sum a running sum: each row is added once, so one sweep is
/// O(n p²) after the sort, done once per model (a radix sort, ``CoxSweepOrder``).
///
/// Covariates are centred (column means subtracted) as `coxph` does: ℓ, U and I are unchanged, since
/// a shift of every xᵢᵀβ by c adds d·c to both terms of each event time, but S₂/den − x̄x̄ᵀ loses far
/// fewer digits to cancellation. When some xᵢᵀβ exceeds 500 every linear predictor is lowered by the
/// largest one before exponentiating (the same invariance), so that rᵢ cannot overflow when a
/// coefficient runs away under monotone likelihood.
///
/// Order of sums (issue 12, style 15): every sum runs over the sorted rows in a fixed order (strata
/// ascending, time descending, source row ascending within a time), single-threaded, so the results
/// are the same bits on every run and machine; xᵢᵀβ sums columns in ascending order. Only the risk
/// scores are computed on several threads: each is a function of its own row, so the split changes
/// no bit.
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
    /// Sorted case weights and offsets, nil when the model has none.
    let weight: [Double]?
    let offset: [Double]?
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
        let (order, groups, bounds) = CoxSweepOrder.sort(times: model.times, strata: model.strata)
        let design = model.design.values
        var center = [Double](repeating: 0, count: p), range = center
        var x = [Double](repeating: 0, count: n * p)
        // Ascending-row sum of each column (one fixed order) for its mean.
        for (c, column) in columns.enumerated() {
            center[c] = design[(column * n)..<((column + 1) * n)].reduce(0, +) / Double(n)
        }
        // The centred rows written to their sorted positions: reading the design in row order and
        // writing each row's p values together touches memory far less at random than gathering
        // every column through `order` (which was half of this initialiser's time at 10⁶ rows).
        var position = [Int](repeating: 0, count: n)
        for (i, row) in order.enumerated() { position[row] = i }
        var smallest = [Double](repeating: .infinity, count: p), largest = [Double](repeating: -.infinity, count: p)
        design.withUnsafeBufferPointer { design in
        x.withUnsafeMutableBufferPointer { x in
            for row in 0..<n {
                let target = position[row] * p
                for (c, column) in columns.enumerated() {
                    let value = design[column * n + row] - center[c]
                    x[target + c] = value
                    smallest[c] = min(smallest[c], value)
                    largest[c] = max(largest[c], value)
                }
            }
        }
        }
        for c in 0..<p { range[c] = largest[c] - smallest[c] }
        self.n = n
        self.p = p
        self.ties = ties
        self.order = order
        self.x = x
        self.event = order.map { model.events[$0] }
        self.weight = model.weights.map { w in order.map { w[$0] } }
        self.offset = model.offset.map { o in order.map { o[$0] } }
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
        riskScores(beta, width: CoxSweepWidths.Runtime.self)
    }

    ///
    /// Each rᵢ depends on row i alone, so the rows are split across the cores (``Parallel``): the
    /// values do not depend on the split, and the largest xᵢᵀβ (a maximum, whatever the order) is
    /// found in the same pass. exp(xᵢᵀβ) is taken in that pass too and redone with the shift only in
    /// the rare case that one is needed.
    private func riskScores<Width: CoxSweepWidth>(_ beta: [Double], width: Width.Type) -> (risk: [Double], eta: [Double], shift: Double) {
        let p = Width.columns == 0 ? self.p : Width.columns
        let n = self.n
        let pieces = Parallel.ranges(n, minimumChunk: 1 << 16)
        var shift = 0.0
        var risk: [Double] = []
        let eta = [Double](unsafeUninitializedCapacity: n) { etaBuffer, count in
            risk = [Double](unsafeUninitializedCapacity: n) { riskBuffer, riskCount in
                let eta = etaBuffer, risk = riskBuffer
                x.withUnsafeBufferPointer { x in
                    let largest = Parallel.map(pieces) { rows -> Double in
                        var largest = -Double.infinity
                        for i in rows {
                            var value = 0.0
                            for j in 0..<p { value += x[i * p + j] * beta[j] }
                            if let offset { value += offset[i] }
                            eta[i] = value
                            risk[i] = exp(value)
                            largest = max(largest, value)
                        }
                        return largest
                    }.reduce(-Double.infinity, max)
                    if largest > 500 {
                        shift = largest
                        _ = Parallel.map(pieces) { rows in
                            for i in rows { risk[i] = exp(eta[i] - largest) }
                        }
                    }
                    if let weight { for i in 0..<n { risk[i] *= weight[i] } }
                }
                riskCount = n
            }
            count = n
        }
        return (risk, eta, shift)
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
    /// With case weights the residuals are weighted, wᵢLᵢ (`residuals(fit, "score", weighted = TRUE)`,
    /// what coxph's robust variance uses): rᵢ above is then wᵢ exp(ηᵢ), A and B carry w̄_D, and a
    /// death's own term xᵢ − x̄̄ is multiplied by wᵢ.
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
                    let r = risk[i], row = order[i] * p, w = weight?[i] ?? 1
                    for j in 0..<p {
                        let xij = x[i * p + j]
                        residuals[row + j] = event[i]
                            ? w * (xij - increments.meanOfMeans[g * p + j])
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
        switch p {
        case 1: sweep(beta, recording: recording, width: CoxSweepWidths.One.self)
        case 2: sweep(beta, recording: recording, width: CoxSweepWidths.Two.self)
        case 3: sweep(beta, recording: recording, width: CoxSweepWidths.Three.self)
        case 4: sweep(beta, recording: recording, width: CoxSweepWidths.Four.self)
        case 5: sweep(beta, recording: recording, width: CoxSweepWidths.Five.self)
        case 6: sweep(beta, recording: recording, width: CoxSweepWidths.Six.self)
        case 7: sweep(beta, recording: recording, width: CoxSweepWidths.Seven.self)
        case 8: sweep(beta, recording: recording, width: CoxSweepWidths.Eight.self)
        default: sweep(beta, recording: recording, width: CoxSweepWidths.Runtime.self)
        }
    }

    /// ``sweep(_:recording:)`` with the number of columns fixed at compile time when `Width` fixes it.
    ///
    /// Why this shape: the sweep is most of a fit's time, and with p read at run time the loops over
    /// columns and over the pairs a ≤ b were short loops of unknown length (loop set-up on every
    /// row). With p a constant they unroll, and the rows are read through unsafe pointers (no
    /// bounds checks). S₂, E₂ and I are kept as packed upper triangles (pairs a ≤ b, a outer). Every
    /// sum still takes its terms in the order documented on the type, each entry its own
    /// accumulator, so the results are the bits of the plain loops. (Inlined into each case of
    /// ``sweep(_:recording:)``'s switch: a body this long is otherwise left generic, p unknown.)
    @inline(__always)
    private func sweep<Width: CoxSweepWidth>(_ beta: [Double], recording: Bool, width: Width.Type)
        -> (evaluation: Evaluation?, increments: Increments) {
        let p = Width.columns == 0 ? self.p : Width.columns
        let pairs = p * (p + 1) / 2
        let (risk, eta, shift) = riskScores(beta, width: width)
        let efron = ties == .efron
        var logLikelihood = 0.0
        var increments = Increments(groups: recording ? groups.count : 0, p: p)
        // Working storage: s1, e1, mean, score (p each), then s2, e2, information (packed, `pairs` each).
        let work = UnsafeMutableBufferPointer<Double>.allocate(capacity: 4 * p + 3 * pairs)
        defer { work.deallocate() }
        work.initialize(repeating: 0)
        let s1 = work.baseAddress!, e1 = s1 + p, mean = e1 + p, score = mean + p
        let s2 = score + p, e2 = s2 + pairs, information = e2 + pairs
        x.withUnsafeBufferPointer { xBuffer in
        risk.withUnsafeBufferPointer { riskBuffer in
        eta.withUnsafeBufferPointer { etaBuffer in
        event.withUnsafeBufferPointer { eventBuffer in
            let x = xBuffer.baseAddress!, risk = riskBuffer.baseAddress!, eta = etaBuffer.baseAddress!
            let event = eventBuffer.baseAddress!
            for stratum in 0..<(strataBounds.count - 1) {
                var s0 = 0.0
                for j in 0..<p { s1[j] = 0 }
                for k in 0..<pairs { s2[k] = 0 }
                for g in strataBounds[stratum]..<strataBounds[stratum + 1] {
                    var deaths = 0
                    var deadWeight = 0.0
                    var e0 = 0.0
                    for j in 0..<p { e1[j] = 0 }
                    for i in groups[g] {
                        let r = risk[i], row = x + i * p
                        s0 += r
                        var k = 0
                        for a in 0..<p {
                            let rxa = r * row[a]
                            s1[a] += rxa
                            for b in a..<p { s2[k] += rxa * row[b]; k += 1 }
                        }
                        guard event[i] else { continue }
                        if deaths == 0, efron {
                            for k in 0..<pairs { e2[k] = 0 }
                        }
                        deaths += 1
                        e0 += r
                        if let weight {
                            let w = weight[i]
                            deadWeight += w
                            logLikelihood += w * (eta[i] - shift)
                            for a in 0..<p { score[a] += w * row[a] }
                        } else {
                            deadWeight += 1
                            logLikelihood += eta[i] - shift
                            for a in 0..<p { score[a] += row[a] }
                        }
                        k = 0
                        for a in 0..<p {
                            let rxa = r * row[a]
                            e1[a] += rxa
                            if efron { for b in a..<p { e2[k] += rxa * row[b]; k += 1 } }
                        }
                    }
                    guard deaths > 0 else { continue }
                    // Breslow's d terms are equal: one term, counted d times.
                    let terms = efron ? deaths : 1
                    // Each term's weight: w̄_D (Efron) or Σ_D w (Breslow); 1 and d without weights.
                    let multiplicity = efron ? deadWeight / Double(deaths) : deadWeight
                    let count = Double(efron ? 1 : deaths)
                    for m in 0..<terms {
                        let f = Double(m) / Double(deaths)
                        let den = s0 - f * e0
                        logLikelihood -= multiplicity * log(den)
                        for a in 0..<p {
                            mean[a] = (s1[a] - f * e1[a]) / den
                            score[a] -= multiplicity * mean[a]
                        }
                        var k = 0
                        for a in 0..<p {
                            for b in a..<p {
                                let second = efron ? (s2[k] - f * e2[k]) : s2[k]
                                information[k] += multiplicity * (second / den - mean[a] * mean[b])
                                k += 1
                            }
                        }
                        if recording {
                            let deathWeight = 1 - f
                            increments.hazard[g] += multiplicity / den
                            increments.deathHazard[g] += multiplicity * deathWeight / den
                            for a in 0..<p {
                                increments.hazardMean[g * p + a] += multiplicity * mean[a] / den
                                increments.deathHazardMean[g * p + a] += multiplicity * deathWeight * mean[a] / den
                                increments.meanOfMeans[g * p + a] += count * mean[a] / Double(deaths)
                            }
                        }
                    }
                }
            }
        }
        }
        }
        }
        guard logLikelihood.isFinite else { return (nil, increments) }
        // Both triangles of I from the packed upper one.
        var full = [Double](repeating: 0, count: p * p)
        var k = 0
        for a in 0..<p {
            for b in a..<p {
                full[b * p + a] = information[k]
                full[a * p + b] = information[k]
                k += 1
            }
        }
        return (Evaluation(logLikelihood: logLikelihood, score: Array(UnsafeBufferPointer(start: score, count: p)), information: full),
                increments)
    }
}

/// A number of covariate columns fixed at compile time (``columns``; 0: read at run time), so that
/// the generic loops of ``CoxPartialLikelihood`` over columns and column pairs are specialised and
/// unrolled for the common model sizes.
protocol CoxSweepWidth {
    static var columns: Int { get }
}

enum CoxSweepWidths {
    /// Any number of columns, read at run time (more than 8).
    enum Runtime: CoxSweepWidth { static var columns: Int { 0 } }
    enum One: CoxSweepWidth { static var columns: Int { 1 } }
    enum Two: CoxSweepWidth { static var columns: Int { 2 } }
    enum Three: CoxSweepWidth { static var columns: Int { 3 } }
    enum Four: CoxSweepWidth { static var columns: Int { 4 } }
    enum Five: CoxSweepWidth { static var columns: Int { 5 } }
    enum Six: CoxSweepWidth { static var columns: Int { 6 } }
    enum Seven: CoxSweepWidth { static var columns: Int { 7 } }
    enum Eight: CoxSweepWidth { static var columns: Int { 8 } }
}

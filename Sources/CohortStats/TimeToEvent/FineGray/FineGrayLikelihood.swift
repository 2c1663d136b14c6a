/// The Fine-Gray log pseudo-partial-likelihood, its score and information, over rows sorted once by
/// ascending time, in two O(n p²) sweeps per evaluation (cmprsk `crr`'s conventions, written below;
/// `survival::finegray` + `coxph`'s with Efron's ties and its Ĝ, see <doc:FineGray>).
///
/// Notation: rᵢ = exp(xᵢᵀβ), Ĝ the Kaplan-Meier estimate of the censoring distribution, and
/// Gᵢ = Ĝ(Tᵢ−) its left limit at row i's time (crr reads Ĝ at t·(1 − 100ε): the left limit for
/// t > 0, Ĝ(0) itself at t = 0). At an event time s of the event of interest with d events, the
/// subdistribution risk set holds every row with Tⱼ ≥ s with weight 1 and every competing row with
/// Tⱼ < s with weight Ĝ(s−)/Gⱼ, so
/// ```
/// S_k(s) = A_k(s) + Ĝ(s−)·C_k(s),   A_k(s) = Σ_{Tⱼ ≥ s} rⱼ xⱼ^⊗k,   C_k(s) = Σ_{competing, Tⱼ < s} rⱼ xⱼ^⊗k / Gⱼ
/// ℓ(β) = Σ_s [ Σ_{events at s} xᵢᵀβ − d log S₀(s) ]          (Breslow's ties)
/// U(β) = Σ_s [ Σ_{events at s} xᵢ − d x̄(s) ],   x̄ = S₁/S₀
/// I(β) = Σ_s d [ S₂/S₀ − x̄ x̄ᵀ ]
/// ```
/// A is a running sum over descending time and C one over ascending time, so each evaluation is
/// one ascending sweep (C at every event time, stored) and one descending sweep (A, and ℓ, U, I):
/// O(n p²) after the O(n log n) sort done once per model, instead of crr's O(n²) loops (see
/// ``sweep(_:)`` for how C₂ is summed without storing it).
///
/// Covariates are centred (column means subtracted) and, when some xᵢᵀβ exceeds 500, every linear
/// predictor lowered by the largest one, as in ``CoxPartialLikelihood``: ℓ, U and I are unchanged.
///
/// Weights wᵢ and an offset oᵢ (issue 16), as ``CoxPartialLikelihood`` takes them: ηᵢ = xᵢᵀβ + oᵢ,
/// wᵢrᵢ in every risk-set sum, the events' term Σ wᵢηᵢ (wᵢxᵢ in U), Breslow's term weighted by the
/// events' Σ wᵢ and each of Efron's d terms by their mean weight. Under crr's convention the weights
/// are frequency weights: Ĝ, the numbers at risk Y and the censored counts c of the sandwich are
/// weighted sums and its middle is Σ wᵢ(ηᵢ + ψᵢ)^⊗2, exactly crr on the rows repeated wᵢ times.
/// Under finegray + coxph's, `survival::finegray(weights = w)`: Ĝ unweighted (finegray's survfit
/// has no weights), fgwt·wᵢ coxph's case weights, and coxph's robust middle Σ (wᵢηᵢ)^⊗2. Without
/// weights every wᵢ is 1 and the sums keep their bits.
///
/// Order of sums (style 15): rows are sorted by time, then status, then the covariates
/// (lexicographically), so that rows that compare equal are identical and every sum runs in an
/// order that does not depend on the order of the input rows: a permutation of the rows gives the
/// same bits. Single-threaded; xᵢᵀβ sums columns in ascending order.
struct FineGrayLikelihood {
    let n: Int
    /// Active (estimated) columns.
    let p: Int
    /// Sorted position → model row.
    let order: [Int]
    /// Row-major n x p, sorted, centred.
    let x: [Double]
    /// Sorted status codes: 0 censored, 1 event of interest, 2 competing.
    let status: [UInt8]
    /// Sorted weights and offsets, nil when the model has none.
    let weight: [Double]?
    let offset: [Double]?
    /// Runs of sorted rows sharing a time, ascending.
    let groups: [Range<Int>]
    /// Per group: its time, Gⱼ (crr's left limit of Ĝ there), the number at risk Σ_{Tⱼ ≥ t} wⱼ, the
    /// weight of its censored rows, its count of events of interest and their weight.
    let groupTimes: [Double]
    let leftCensoringSurvival: [Double]
    let atRisk: [Double]
    let censoredCount: [Double]
    let eventCount: [Int]
    let eventWeight: [Double]
    /// The groups with events of interest, ascending.
    let eventGroups: [Int]
    let convention: FineGrayConvention
    /// Efron's handling of tied events (``FineGrayConvention/finegrayCoxph``), else Breslow's.
    var efron: Bool { convention == .finegrayCoxph }
    let center: [Double]
    /// maxᵢ xᵢⱼ − minᵢ xᵢⱼ per column.
    let range: [Double]

    /// - Parameters:
    ///   - columns: design columns to use, in order.
    ///   - convention: crr's Ĝ (a row with an event at u is at risk of censoring at u; Ĝ(0) at 0) or
    ///     `survival::finegray`'s (events at u leave before the censorings at u; Ĝ(0−) = 1 at 0).
    init(model: FineGrayModel, columns: [Int], convention: FineGrayConvention = .crr) {
        let n = model.nObservations, p = columns.count
        let times = model.times, codes = model.status.map { UInt8($0.rawValue) }
        let design = model.design.values
        let weights = model.weights, offsets = model.offset
        let order = (0..<n).sorted { a, b in
            if times[a] != times[b] { return times[a] < times[b] }
            if codes[a] != codes[b] { return codes[a] < codes[b] }
            for column in columns where design[column * n + a] != design[column * n + b] {
                return design[column * n + a] < design[column * n + b]
            }
            if let weights, weights[a] != weights[b] { return weights[a] < weights[b] }
            if let offsets, offsets[a] != offsets[b] { return offsets[a] < offsets[b] }
            return false
        }
        var center = [Double](repeating: 0, count: p), range = center
        var x = [Double](repeating: 0, count: n * p)
        for (c, column) in columns.enumerated() {
            // The mean summed in sorted order (independent of the input order), then the centred copy.
            var sum = 0.0
            for row in order { sum += design[column * n + row] }
            let mean = sum / Double(n)
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
        let status = order.map { codes[$0] }
        let weight = weights.map { w in order.map { w[$0] } }
        // Σ_{j ≥ i} wⱼ over the sorted rows, summed from the end (n − i without weights, exactly).
        var suffix = [Double](repeating: 0, count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) { suffix[i] = suffix[i + 1] + (weight?[i] ?? 1) }
        var groups: [Range<Int>] = [], groupTimes: [Double] = [], left: [Double] = [], atRisk: [Double] = []
        var censored: [Double] = [], events: [Int] = [], eventWeights: [Double] = [], eventGroups: [Int] = []
        var survival = 1.0  // Ĝ just before the current group
        var start = 0
        while start < n {
            var end = start + 1
            while end < n, times[order[end]] == times[order[start]] { end += 1 }
            var c = 0, d = 0, cWeight = 0.0, dWeight = 0.0
            for i in start..<end {
                if status[i] == 0 { c += 1; cWeight += weight?[i] ?? 1 }
                if status[i] == 1 { d += 1; dWeight += weight?[i] ?? 1 }
            }
            // At risk of censoring at t: crr every row with T ≥ t (weighted: the rows repeated);
            // finegray moves the events at t (of any type) just before t, so only the censored rows
            // of t and the later rows, unweighted (finegray's survfit takes no weights).
            let (censoredForG, atRiskOfCensoring) = convention == .crr ? (cWeight, suffix[start]) : (Double(c), Double(n - end + c))
            let after = c > 0 ? survival * (1 - censoredForG / atRiskOfCensoring) : survival
            if d > 0 { eventGroups.append(groups.count) }
            groups.append(start..<end)
            groupTimes.append(times[order[start]])
            // crr's Ĝ(t·(1 − 100ε)): the left limit, except at t = 0, where it is Ĝ(0).
            left.append(convention == .crr && times[order[start]] == 0 ? after : survival)
            atRisk.append(suffix[start])
            censored.append(cWeight)
            events.append(d)
            eventWeights.append(dWeight)
            survival = after
            start = end
        }
        self.n = n
        self.p = p
        self.order = order
        self.x = x
        self.status = status
        self.weight = weight
        self.offset = offsets.map { o in order.map { o[$0] } }
        self.groups = groups
        self.groupTimes = groupTimes
        self.leftCensoringSurvival = left
        self.atRisk = atRisk
        self.censoredCount = censored
        self.eventCount = events
        self.eventWeight = eventWeights
        self.eventGroups = eventGroups
        self.convention = convention
        self.center = center
        self.range = range
    }

    /// The risk scores rᵢ = exp(ηᵢ − shift) in sorted order (without the weights), the linear
    /// predictors ηᵢ = xᵢᵀβ + oᵢ and the shift.
    func riskScores(_ beta: [Double]) -> (risk: [Double], eta: [Double], shift: Double) {
        var eta = [Double](repeating: 0, count: n)
        var largest = -Double.infinity
        for i in 0..<n {
            var value = 0.0
            for j in 0..<p { value += x[i * p + j] * beta[j] }
            if let offset { value += offset[i] }
            eta[i] = value
            largest = max(largest, value)
        }
        let shift = largest > 500 ? largest : 0
        return (eta.map { exp($0 - shift) }, eta, shift)
    }

    /// Per event time (in `eventGroups` order), what the residuals and the baseline need, summed
    /// over the terms m of the tie handling (Breslow: one term counted d times, f = 0; Efron: d
    /// terms, f = m/d, denₘ = S₀ − f E₀, x̄ₘ = (S₁ − f E₁)/denₘ, E the sums over the events at s):
    /// ```
    /// hazard A = Σₘ 1/denₘ     hazardMean B = Σₘ x̄ₘ/denₘ       (Breslow: d/S₀, d x̄/S₀)
    /// deathHazard C = Σₘ (1 − f)/denₘ    deathHazardMean D = Σₘ (1 − f) x̄ₘ/denₘ
    /// meanOfMeans = (1/d) Σₘ x̄ₘ
    /// ```
    /// p-vectors are K x p row-major; A is on the scale of the shift of ``riskScores(_:)``.
    struct RiskSets {
        var hazard: [Double]
        var hazardMean: [Double]
        var deathHazard: [Double]
        var deathHazardMean: [Double]
        var meanOfMeans: [Double]
        var shift: Double

        init(events k: Int, p: Int, shift: Double) {
            hazard = .init(repeating: 0, count: k)
            deathHazard = hazard
            hazardMean = .init(repeating: 0, count: k * p)
            deathHazardMean = hazardMean
            meanOfMeans = hazardMean
            self.shift = shift
        }
    }

    /// ℓ, U and I at `beta` (length p, active columns); nil when ℓ is not finite.
    func evaluate(_ beta: [Double]) -> CoxPartialLikelihood.Evaluation? {
        sweep(beta).evaluation
    }

    /// One ascending sweep (the competing sums C₀, C₁ at each event time, before that time's rows)
    /// and one descending sweep (A, and ℓ, U, I); see the type's documentation.
    ///
    /// C₂ is never stored (it would take K·p² memory for K event times): its share of I,
    /// Σ_s d/S₀(s)·Ĝ(s−)·C₂(s), is summed per competing row instead, as
    /// (rⱼ/Gⱼ) xⱼxⱼᵀ Σ_{s > Tⱼ} Ĝ(s−) d/S₀(s), whose sum over later event times is known when the
    /// descending sweep reaches row j. Memory is O(n + K p).
    func sweep(_ beta: [Double]) -> (evaluation: CoxPartialLikelihood.Evaluation?, riskSets: RiskSets) {
        let (unweighted, eta, shift) = riskScores(beta)
        // wᵢrᵢ: each row's share of the risk-set sums.
        let risk = weight.map { w in zip(w, unweighted).map { $0 * $1 } } ?? unweighted
        let k = eventGroups.count, pp = p * p
        // C₀ and C₁ at each event time: competing rows strictly earlier.
        var competing0 = [Double](repeating: 0, count: k)
        var competing1 = [Double](repeating: 0, count: k * p)
        var c0 = 0.0, c1 = [Double](repeating: 0, count: p)
        var next = 0
        for (g, rows) in groups.enumerated() {
            if next < k, eventGroups[next] == g {
                competing0[next] = c0
                for a in 0..<p { competing1[next * p + a] = c1[a] }
                next += 1
            }
            let weight = leftCensoringSurvival[g]
            for i in rows where status[i] == 2 {
                let w = risk[i] / weight, row = i * p
                c0 += w
                for a in 0..<p { c1[a] += w * x[row + a] }
            }
        }
        var logLikelihood = 0.0
        var score = [Double](repeating: 0, count: p), information = [Double](repeating: 0, count: pp)
        var a0 = 0.0, a1 = [Double](repeating: 0, count: p), a2 = [Double](repeating: 0, count: pp)
        var s1 = a1, mean = a1, e1 = a1, e2 = a2
        // Σ_{s > t} Ĝ(s−) A(s) over the event times already swept.
        var laterWeight = 0.0
        var riskSets = RiskSets(events: k, p: p, shift: shift)
        next = k - 1
        for g in stride(from: groups.count - 1, through: 0, by: -1) {
            let weight = leftCensoringSurvival[g]
            for i in groups[g] {
                let r = risk[i], row = i * p
                a0 += r
                for a in 0..<p {
                    let rxa = r * x[row + a]
                    a1[a] += rxa
                    for b in a..<p { a2[b * p + a] += rxa * x[row + b] }
                }
                if status[i] == 2, laterWeight > 0 {
                    let w = laterWeight * r / weight
                    for a in 0..<p {
                        let wxa = w * x[row + a]
                        for b in a..<p { information[b * p + a] += wxa * x[row + b] }
                    }
                }
            }
            guard next >= 0, eventGroups[next] == g else { continue }
            let deaths = eventCount[g]
            let s0 = a0 + weight * competing0[next]
            for a in 0..<p { s1[a] = a1[a] + weight * competing1[next * p + a] }
            var e0 = 0.0
            if efron {
                for a in 0..<p { e1[a] = 0 }
                for a in 0..<pp { e2[a] = 0 }
            }
            for i in groups[g] where status[i] == 1 {
                let w = self.weight?[i] ?? 1
                logLikelihood += w * (eta[i] - shift)
                let r = risk[i], row = i * p
                for a in 0..<p { score[a] += w * x[row + a] }
                guard efron else { continue }
                e0 += r
                for a in 0..<p {
                    let rxa = r * x[row + a]
                    e1[a] += rxa
                    for b in a..<p { e2[b * p + a] += rxa * x[row + b] }
                }
            }
            // Breslow's d terms are equal: one term, counted d times (weighted: Σ w over the events);
            // Efron's d terms each weighted by the events' mean weight (coxph's meanwt; 1 unweighted).
            let terms = efron ? deaths : 1
            let count = Double(efron ? 1 : deaths)
            let multiplicity = efron ? eventWeight[g] / Double(deaths) : eventWeight[g]
            var hazard = 0.0
            for m in 0..<terms {
                let f = Double(m) / Double(deaths)
                let den = s0 - f * e0
                logLikelihood -= multiplicity * log(den)
                for a in 0..<p {
                    mean[a] = (s1[a] - f * e1[a]) / den
                    score[a] -= multiplicity * mean[a]
                }
                for b in 0..<p {
                    for a in 0...b {
                        let second = efron ? a2[b * p + a] - f * e2[b * p + a] : a2[b * p + a]
                        information[b * p + a] += multiplicity * (second / den - mean[a] * mean[b])
                    }
                }
                hazard += multiplicity / den
                riskSets.deathHazard[next] += multiplicity * (1 - f) / den
                for a in 0..<p {
                    riskSets.hazardMean[next * p + a] += multiplicity * mean[a] / den
                    riskSets.deathHazardMean[next * p + a] += multiplicity * (1 - f) * mean[a] / den
                    riskSets.meanOfMeans[next * p + a] += count * mean[a] / Double(deaths)
                }
            }
            riskSets.hazard[next] = hazard
            laterWeight += weight * hazard
            next -= 1
        }
        for b in 0..<p { for a in 0..<b { information[a * p + b] = information[b * p + a] } }
        guard logLikelihood.isFinite else { return (nil, riskSets) }
        return (CoxPartialLikelihood.Evaluation(logLikelihood: logLikelihood, score: score, information: information), riskSets)
    }
}

extension FineGrayLikelihood: RiskSetLikelihood {
    /// The condition of ``CoxMonotoneLikelihood`` over the subdistribution risk sets: every event's
    /// xᵢᵀd is at least the largest over the rows with Tⱼ ≥ s and the competing rows with Tⱼ < s
    /// (their weights are positive), within τ = 1e-6·maxᵢ|xᵢᵀd|.
    func risesWithoutBound(along d: [Double]) -> Bool {
        var margins = [Double](repeating: 0, count: n)
        var largest = 0.0
        for i in 0..<n {
            var value = 0.0
            for j in 0..<p { value += x[i * p + j] * d[j] }
            margins[i] = value
            largest = max(largest, abs(value))
        }
        let tau = 1e-6 * largest
        var competingBefore = [Double](repeating: -.infinity, count: groups.count)
        var running = -Double.infinity
        for (g, rows) in groups.enumerated() {
            competingBefore[g] = running
            for i in rows where status[i] == 2 { running = max(running, margins[i]) }
        }
        var suffix = -Double.infinity
        for g in stride(from: groups.count - 1, through: 0, by: -1) {
            for i in groups[g] { suffix = max(suffix, margins[i]) }
            let riskSetMax = max(suffix, competingBefore[g])
            for i in groups[g] where status[i] == 1 && margins[i] < riskSetMax - tau { return false }
        }
        return true
    }
}

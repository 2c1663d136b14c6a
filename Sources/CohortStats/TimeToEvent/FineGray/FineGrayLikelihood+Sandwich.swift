extension FineGrayLikelihood {
    /// The per-row terms ηᵢ + ψᵢ of the sandwich's middle at `beta`, sorted order, column-major n x p
    /// (Fine and Gray 1999, §4; crr's `var`), in O(n p) after one ``sweep(_:)``.
    ///
    /// With dΛ̂₀(s) = d/S₀(s) at the event times, and Gₛ = Ĝ(s−):
    /// ```
    /// ηᵢ = δ₁ᵢ (xᵢ − x̄(Tᵢ)) − rᵢ Σ_{s ≤ Tᵢ} (xᵢ − x̄(s)) dΛ̂₀(s)
    ///                      − δ₂ᵢ (rᵢ/Gᵢ) Σ_{s > Tᵢ} Gₛ (xᵢ − x̄(s)) dΛ̂₀(s)
    /// q(u) = Σ_{s ≥ u} Gₛ dΛ̂₀(s) Σ_{competing j, Tⱼ < u} (rⱼ/Gⱼ)(xⱼ − x̄(s))
    ///      = C₁(u) J₀(u) − C₀(u) J₁(u),     J_k(u) = Σ_{s ≥ u} Gₛ x̄(s)^⊗k dΛ̂₀(s)
    /// ψᵢ = δ₀ᵢ q(Tᵢ)/Y(Tᵢ) − Σ_{u ≤ Tᵢ} c(u) q(u)/Y(u)²
    /// ```
    /// with Y(u) = #{Tⱼ ≥ u} and c(u) the rows censored at u: ψᵢ = ∫ q(u)/Y(u) dMᶜᵢ(u), the effect on the
    /// score of estimating Ĝ (the censoring martingale's integral). The sums over s ≤ Tᵢ are running
    /// sums over ascending time (H₀, H₁ below), those over s > Tᵢ and s ≥ u running sums over
    /// descending time stored per time (J₀, J₁), C₀, C₁ the competing sums of ``sweep(_:)``; so
    /// every row costs O(p) where crr's loops cost O(n) (its q(u) O(n²)).
    /// - Parameter riskSets: ``sweep(_:)``'s at `beta` (computed when nil).
    ///
    /// With Efron's ties (``FineGrayConvention/finegrayCoxph``) dΛ̂₀ and x̄ dΛ̂₀ are the sums A and B of
    /// ``RiskSets``, an event owns 1/d of each term and is at risk with weight 1 − f in term m (C, D),
    /// as `coxph`'s score residuals; that convention has no ψ (`coxph` treats the weights as known).
    ///
    /// With weights wᵢ the sums above (x̄, dΛ̂₀, C, Y, c) are the weighted ones of ``sweep(_:)`` and
    /// ``init(model:columns:convention:)``, rᵢ stays the row's own; each row's term is returned times
    /// √wᵢ under crr's convention (the middle Σ wᵢ(ηᵢ + ψᵢ)^⊗2 of the rows repeated) and times wᵢ under
    /// finegray + coxph's (coxph's weighted score residuals, Σ (wᵢηᵢ)^⊗2).
    func sandwichTerms(_ beta: [Double], riskSets known: RiskSets? = nil) -> [Double] {
        let riskSets = known ?? sweep(beta).riskSets
        let risk = riskScores(beta).risk
        let scale = weight.map { w in withCensoringTermScale(w) }
        let k = eventGroups.count, groupCount = groups.count
        let withCensoringTerm = convention == .crr
        // J₀, J₁ over the event times after each group (s > t), by a descending sweep.
        var tail0 = [Double](repeating: 0, count: groupCount), tail1 = [Double](repeating: 0, count: groupCount * p)
        var j0 = 0.0, j1 = [Double](repeating: 0, count: p)
        var next = k - 1
        for g in stride(from: groupCount - 1, through: 0, by: -1) {
            tail0[g] = j0
            for a in 0..<p { tail1[g * p + a] = j1[a] }
            if next >= 0, eventGroups[next] == g {
                let weight = leftCensoringSurvival[g]
                j0 += weight * riskSets.hazard[next]
                for a in 0..<p { j1[a] += weight * riskSets.hazardMean[next * p + a] }
                next -= 1
            }
        }
        var terms = [Double](repeating: 0, count: n * p)
        var h0 = 0.0, h1 = [Double](repeating: 0, count: p)          // Σ_{s ≤ t} dΛ̂₀, Σ x̄ dΛ̂₀
        var c0 = 0.0, c1 = [Double](repeating: 0, count: p)          // competing rows before t
        var psi = [Double](repeating: 0, count: p), q = [Double](repeating: 0, count: p)
        next = 0
        for (g, rows) in groups.enumerated() {
            let before = h0, beforeMean = h1
            var event: Int?
            if next < k, eventGroups[next] == g {
                event = next
                h0 += riskSets.hazard[next]
                for a in 0..<p { h1[a] += riskSets.hazardMean[next * p + a] }
                next += 1
            }
            let weight = leftCensoringSurvival[g]
            let y = atRisk[g]
            if withCensoringTerm, censoredCount[g] > 0 {
                // q(t) with J over s ≥ t: the tail after g plus this group's own event time.
                for a in 0..<p {
                    let own0 = event.map { weight * riskSets.hazard[$0] } ?? 0
                    let own1 = event.map { weight * riskSets.hazardMean[$0 * p + a] } ?? 0
                    q[a] = c1[a] * (tail0[g] + own0) - c0 * (tail1[g * p + a] + own1)
                    psi[a] -= censoredCount[g] * q[a] / (y * y)
                }
            }
            for i in rows {
                let r = risk[i], row = i * p
                for a in 0..<p {
                    let xa = x[row + a]
                    var value: Double
                    switch status[i] {
                    case 1:
                        let e = event ?? 0
                        value = xa - riskSets.meanOfMeans[e * p + a]
                            - r * (xa * (before + riskSets.deathHazard[e]) - (beforeMean[a] + riskSets.deathHazardMean[e * p + a]))
                    case 2:
                        value = -r * (xa * h0 - h1[a]) - r / weight * (xa * tail0[g] - tail1[g * p + a])
                    default:
                        value = -r * (xa * h0 - h1[a]) + (withCensoringTerm ? q[a] / y : 0)
                    }
                    terms[a * n + i] = (value + (withCensoringTerm ? psi[a] : 0)) * (scale?[i] ?? 1)
                }
            }
            for i in rows where status[i] == 2 {
                let w = risk[i] * (self.weight?[i] ?? 1) / weight, row = i * p
                c0 += w
                for a in 0..<p { c1[a] += w * x[row + a] }
            }
        }
        return terms
    }

    /// Each row's factor on its term: √wᵢ (crr's convention, frequency weights) or wᵢ (coxph's).
    private func withCensoringTermScale(_ w: [Double]) -> [Double] {
        convention == .crr ? w.map { $0.squareRoot() } : w
    }

    /// The middle of the sandwich, Σᵢ (ηᵢ + ψᵢ)(ηᵢ + ψᵢ)ᵀ (p x p, both triangles), in the fixed
    /// order of ``OrderedKernels/addGram(rows:columns:b:into:)`` over the sorted rows.
    func sandwichMiddle(_ beta: [Double], riskSets: RiskSets? = nil) -> [Double] {
        let terms = sandwichTerms(beta, riskSets: riskSets)
        var gram = [Double](repeating: 0, count: p * p)
        terms.withUnsafeBufferPointer { b in
            gram.withUnsafeMutableBufferPointer { c in
                guard let b = b.baseAddress, let c = c.baseAddress else { return }
                OrderedKernels.addGram(rows: n, columns: p, b: b, into: c)
            }
        }
        for a in 0..<p { for b in 0..<a { gram[b * p + a] = gram[a * p + b] } }
        return gram
    }

    /// The jumps of crr's baseline cumulative subdistribution hazard (`bfitj`) at the event times,
    /// on the scale of the uncentred covariates: d/S₀(s) with S₀ summed over exp(xᵢᵀβ), xᵢ as given
    /// (with Efron's ties Σₘ 1/denₘ, the jump of `survfit.coxph`'s Efron-type hazard).
    func baselineJumps(_ beta: [Double], riskSets known: RiskSets? = nil) -> [Double] {
        let riskSets = known ?? sweep(beta).riskSets
        var offset = riskSets.shift
        for j in 0..<p { offset += center[j] * beta[j] }
        let scale = exp(-offset)
        return riskSets.hazard.map { $0 * scale }
    }
}

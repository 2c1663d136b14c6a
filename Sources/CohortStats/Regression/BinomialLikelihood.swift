import CohortData
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Bernoulli log-likelihood of a logistic model and its first two derivatives, evaluated in one
/// streaming pass over the design.
///
/// ```
/// ηᵢ = xᵢᵀβ + oᵢ,  μᵢ = 1/(1+e^{-ηᵢ}),  wᵢ = μᵢ(1-μᵢ)      (oᵢ the offset, 0 without one)
/// ℓ(β)  = Σ yᵢηᵢ - log(1+e^{ηᵢ}) = -Σ softplus(-sᵢηᵢ),  sᵢ = 2yᵢ-1      (overflow-safe form)
/// I(β)  = Xᵀ W X                                                      (Fisher information)
/// U(β)  = Xᵀ (y - μ)                                                  (score)
/// Firth: ℓ*(β) = ℓ(β) + ½ log|I(β)|,  U*(β) = Xᵀ (y - μ + h ∘ (½ - μ)),  hᵢ = wᵢ xᵢᵀ I⁻¹ xᵢ
/// case weights aᵢ (glm's prior weights): ℓ = Σ aᵢℓᵢ,  U = Xᵀ A (y - μ),  I = Xᵀ A W X    (A = diag(aᵢ))
/// ```
/// With `e = exp(-|η|)` computed once, `w = e/(1+e)²` and the residuals stay accurate when μ is
/// within rounding of 0 or 1 (no `1 - μ` cancellation), and no exponential overflows.
///
/// Rows are processed in blocks small enough to stay in cache: a block's √w-scaled rows are
/// gathered into a scratch buffer and added into I (``OrderedKernels/addGram(rows:columns:b:into:)``),
/// so memory beyond the design is a few vectors, never a second copy of X. Only the `active`
/// (non-aliased) columns enter I and U.
///
/// Identical bits on every machine (issue 12): every sum here is taken in an order this code fixes.
/// Rows are split into chunks of ``chunkRows`` (not one chunk per core), each chunk into blocks of
/// ``blockRows``; within a block the kernels of ``OrderedKernels`` fix the order; block sums are added
/// in row order into their chunk's, and chunk sums in chunk order. Threads only decide which chunk
/// is computed where, so the result is the same with 1 thread or 64, and on any CPU's BLAS.
///
/// Conditioning: I and U are formed in a centred and scaled basis (see ``Basis``), applied while
/// gathering each block. Normal equations square the condition number of X; a covariate with a
/// large mean and a small spread (a calendar date, a laboratory value in small units) would
/// otherwise cost up to half the digits of the covariance. In the working basis the Cholesky
/// factorisation sees a well-conditioned matrix, and results are mapped back exactly.
struct BinomialLikelihood {
    let x: UnsafeBufferPointer<Double>
    let y: UnsafeBufferPointer<Double>
    /// A known term of each row's linear predictor (R's `offset`), or nil.
    var offset: UnsafeBufferPointer<Double>? = nil
    /// Case (prior) weights wᵢ > 0, or nil for 1 (``LogisticModel/weights``): ℓ = Σ wᵢℓᵢ,
    /// U = Xᵀ W (y - μ), I = Xᵀ diag(wᵢμᵢ(1-μᵢ)) X, as `glm.fit` with prior weights. Maximum
    /// likelihood only (the Firth pass does not weigh its hat values).
    var weights: UnsafeBufferPointer<Double>? = nil
    let n: Int
    let p: Int
    /// Non-aliased design columns, in order; I and U are over these.
    let active: [Int]
    let penalized: Bool
    /// Per design column: mean and spread used by the working basis.
    let columnMean: [Double]
    let columnScale: [Double]
    /// Position of the intercept in `active`, if the model has one.
    let interceptPosition: Int?
    /// max |xᵢⱼ| per design column (see ``roundingBound(_:)``).
    let columnMaxAbs: [Double]
    static let blockRows = 2048
    /// Rows per parallel chunk: a multiple of ``blockRows``, fixed so that the order of the sums
    /// does not depend on the number of cores.
    static let chunkRows = 16 * blockRows

    /// The working coordinates x̃ₐ = (xₐ - cₐ)/sₐ of the active columns (the intercept stays 1).
    ///
    /// With X̃ = XA: Ĩ = AᵀIA, Ũ = AᵀU, β = Aβ̃, Cov(β) = A Cov(β̃) Aᵀ, ½log|I| = ½log|Ĩ| + Σ log sₐ.
    /// Centring (cₐ = column mean) needs the intercept free, so that holding a covariate fixed is
    /// still a coordinate constraint; with the intercept held fixed only scaling is used.
    struct Basis {
        let center: [Double]
        let scale: [Double]
        let interceptPosition: Int?

        /// Ũ = AᵀU: Ũₐ = (Uₐ - cₐ U₀)/sₐ.
        func toWorking(score u: [Double]) -> [Double] {
            let u0 = interceptPosition.map { u[$0] } ?? 0
            return u.indices.map { $0 == interceptPosition ? u[$0] : (u[$0] - center[$0] * u0) / scale[$0] }
        }

        /// δ = Aδ̃: δₐ = δ̃ₐ/sₐ, δ₀ = δ̃₀ - Σ cₐ δ̃ₐ/sₐ.
        func toOriginal(step working: [Double]) -> [Double] {
            var step = working.indices.map { $0 == interceptPosition ? working[$0] : working[$0] / scale[$0] }
            if let i = interceptPosition {
                for a in working.indices where a != i { step[i] -= center[a] * working[a] / scale[a] }
            }
            return step
        }

        /// Cov(β) = A Cov(β̃) Aᵀ for a k x k column-major matrix.
        func toOriginal(covariance working: [Double]) -> [Double] {
            let k = scale.count
            var a = [Double](repeating: 0, count: k * k)  // column-major A
            for c in 0..<k {
                if c == interceptPosition { a[c * k + c] = 1; continue }
                a[c * k + c] = 1 / scale[c]
                if let i = interceptPosition { a[c * k + i] = -center[c] / scale[c] }
            }
            func multiply(_ x: [Double], _ y: [Double], transposeY: Bool) -> [Double] {
                var out = [Double](repeating: 0, count: k * k)
                for c in 0..<k { for r in 0..<k {
                    var sum = 0.0
                    for t in 0..<k { sum += x[t * k + r] * (transposeY ? y[t * k + c] : y[c * k + t]) }
                    out[c * k + r] = sum
                } }
                return out
            }
            return multiply(multiply(a, working, transposeY: false), a, transposeY: true)
        }

        var logDeterminantCorrection: Double {
            scale.indices.reduce(0) { $1 == interceptPosition ? $0 : $0 + log(scale[$1]) }
        }
    }

    /// A bound on the rounding error of ℓ(β): n ε Σⱼ |βⱼ| max|xⱼ| (each ηᵢ is a sum of p products).
    func roundingBound(_ beta: [Double]) -> Double {
        var sum = 0.0
        for j in 0..<p where beta[j].isFinite { sum += abs(beta[j]) * columnMaxAbs[j] }
        return Double(n) * Double.ulpOfOne * sum
    }

    /// The working basis: centred when the intercept is free, scaled always.
    func basis(centered: Bool) -> Basis {
        let center = active.map { columnMean[$0] }
        let scale = active.map { columnScale[$0] }
        return Basis(center: centered && interceptPosition != nil ? center.indices.map { $0 == interceptPosition ? 0 : center[$0] } : Array(repeating: 0, count: active.count),
                     scale: scale.indices.map { $0 == interceptPosition ? 1 : scale[$0] },
                     interceptPosition: interceptPosition)
    }

    struct Evaluation {
        var logLikelihood: Double
        /// ½ log|I(β)| for Firth, 0 otherwise.
        var halfLogDetInformation: Double
        /// The working basis the next two are expressed in.
        var basis: Basis
        /// Ĩ: k x k column-major in the working basis, upper triangle filled, k = active.count;
        /// empty when the evaluation skipped it.
        var information: [Double]
        var hasInformation: Bool { !information.isEmpty }
        /// Ũ: the score in the working basis (Firth-modified when penalised).
        var workingScore: [Double]
        /// U: the score over the active columns in the original coordinates (the gradient).
        var score: [Double]
        /// Largest |η|: a quick signal that some fitted probabilities approach 0 or 1.
        var maxAbsEta: Double
        /// Observations with fitted probability within 10·ε of 0 or 1 (R's warning threshold).
        var boundaryCount: Int

        var objective: Double { logLikelihood + halfLogDetInformation }
    }

    /// Evaluates at `beta` (length p; aliased entries must be 0). Returns nil when I is not
    /// positive definite under a Firth penalty (its log-determinant does not exist).
    ///
    /// Rows are split into fixed chunks (``chunkRows``) computed in parallel (``Parallel``); partial
    /// sums are added in chunk order, so the result is the same on every run and thread count.
    ///
    /// With `information: false` (maximum likelihood only) the information matrix is skipped — the
    /// √w gather and the Gram sums, about two thirds of a pass — and `information` is left empty.
    func evaluate(_ beta: [Double], basis: Basis? = nil, information withInformation: Bool = true) -> Evaluation? {
        precondition(withInformation || !penalized, "the Firth score needs the information matrix")
        precondition(weights == nil || !penalized, "Firth's penalty with case weights is not implemented")
        let basis = basis ?? self.basis(centered: true)
        let k = active.count
        let ranges = Parallel.ranges(n, chunk: Self.chunkRows)
        let partials = Parallel.map(ranges) { firstPass(rows: $0, beta: beta, basis: basis, information: withInformation) }
        var total = partials[0]
        for partial in partials.dropFirst() {
            total.logLikelihood += partial.logLikelihood
            total.maxAbsEta = max(total.maxAbsEta, partial.maxAbsEta)
            total.boundaryCount += partial.boundaryCount
            for t in total.information.indices { total.information[t] += partial.information[t] }
            for t in total.fullScore.indices { total.fullScore[t] += partial.fullScore[t] }
        }
        var halfLogDet = 0.0
        if penalized {
            // Pass 2 (Firth): hᵢ = ‖row i of (√W X̃) U⁻¹‖² with Ĩ = UᵀU; then the modified score.
            var factor = total.information
            if Cholesky.factor(&factor, order: k) != nil { return nil }
            halfLogDet = basis.logDeterminantCorrection
            for a in 0..<k { halfLogDet += log(factor[a * k + a]) }
            let scores = Parallel.map(ranges) { firthPass(rows: $0, beta: beta, basis: basis, factor: factor) }
            total.fullScore = scores[0]
            for partial in scores.dropFirst() { for t in partial.indices { total.fullScore[t] += partial[t] } }
        }
        let score = active.map { total.fullScore[$0] }
        return Evaluation(logLikelihood: total.logLikelihood, halfLogDetInformation: halfLogDet, basis: basis,
                          information: withInformation ? total.information : [], workingScore: basis.toWorking(score: score), score: score,
                          maxAbsEta: total.maxAbsEta, boundaryCount: total.boundaryCount)
    }

    /// Sums over one range of rows.
    struct Partial {
        var logLikelihood = 0.0
        var maxAbsEta = 0.0
        var boundaryCount = 0
        var information: [Double]
        /// Xᵀ(y - μ) over all p design columns (left at 0 under a penalty: the Firth pass fills it).
        var fullScore: [Double]
    }

    /// Scratch buffers for one block of rows.
    private struct Block {
        var eta: [Double]
        var residual: [Double]
        var rootW: [Double]
        var hinge: [Double]
        var correction: [Double]
        var onePlus: [Double]
        var tail: [Double]
        var scaled: [Double]
        init(rows: Int, columns k: Int) {
            eta = [Double](repeating: 0, count: rows)
            residual = eta
            rootW = eta
            hinge = eta
            correction = eta
            onePlus = eta
            tail = eta
            scaled = [Double](repeating: 0, count: rows * k)
        }

        /// From ηᵢ (in `eta`) and yᵢ: with aᵢ = e^{-|ηᵢ|}, uᵢ = 1 + aᵢ, the residual yᵢ - μᵢ (for
        /// y = 1 computed as 1 - μ from a, without cancellation), √wᵢ = √aᵢ/uᵢ, the hinge
        /// max(-sᵢηᵢ, 0), the log1p correction ((uᵢ - 1) - aᵢ)/uᵢ, uᵢ, and min(μᵢ, 1 - μᵢ) = aᵢ/uᵢ.
        mutating func perRow(rows m: Int, y: UnsafePointer<Double>) {
            eta.withUnsafeBufferPointer { eta in
            residual.withUnsafeMutableBufferPointer { residual in
            rootW.withUnsafeMutableBufferPointer { rootW in
            hinge.withUnsafeMutableBufferPointer { hinge in
            correction.withUnsafeMutableBufferPointer { correction in
            onePlus.withUnsafeMutableBufferPointer { onePlus in
            tail.withUnsafeMutableBufferPointer { tail in
                // The per-row formulas, once, on four lanes.
                func rows(_ e: SIMD4<Double>, _ outcome: SIMD4<Double>) -> (r: SIMD4<Double>, w: SIMD4<Double>, h: SIMD4<Double>,
                                                                           c: SIMD4<Double>, u: SIMD4<Double>, small: SIMD4<Double>) {
                    let nonNegative = e .>= 0
                    let a = exponentialOfNonPositive(-(e.replacing(with: -e, where: e .< 0)))
                    let u = 1 + a
                    let inverse = 1 / u
                    let small = a * inverse  // min(μ, 1 - μ)
                    let event = outcome .== 1
                    // y = 1: 1 - μ (= a/u when η ≥ 0, 1/u otherwise); y = 0: -μ (= -1/u or -a/u).
                    let eventResidual = small.replacing(with: inverse, where: .!nonNegative)
                    let otherResidual = (-inverse).replacing(with: -small, where: .!nonNegative)
                    let signed = e.replacing(with: -e, where: event)
                    return (otherResidual.replacing(with: eventResidual, where: event), a.squareRoot() * inverse,
                            signed.replacing(with: 0, where: signed .< 0), ((u - 1) - a) * inverse, u, small)
                }
                // Four rows per step; the last m mod 4 rows padded into one more step, of which only
                // the real lanes are stored.
                var i = 0
                while i + 4 <= m {
                    let v = rows(SIMD4(eta[i], eta[i + 1], eta[i + 2], eta[i + 3]), SIMD4(y[i], y[i + 1], y[i + 2], y[i + 3]))
                    for lane in 0..<4 {
                        residual[i + lane] = v.r[lane]; rootW[i + lane] = v.w[lane]; hinge[i + lane] = v.h[lane]
                        correction[i + lane] = v.c[lane]; onePlus[i + lane] = v.u[lane]; tail[i + lane] = v.small[lane]
                    }
                    i += 4
                }
                if i < m {
                    var e = SIMD4<Double>.zero, outcome = SIMD4<Double>.zero
                    for lane in 0..<(m - i) { e[lane] = eta[i + lane]; outcome[lane] = y[i + lane] }
                    let v = rows(e, outcome)
                    for lane in 0..<(m - i) {
                        residual[i + lane] = v.r[lane]; rootW[i + lane] = v.w[lane]; hinge[i + lane] = v.h[lane]
                        correction[i + lane] = v.c[lane]; onePlus[i + lane] = v.u[lane]; tail[i + lane] = v.small[lane]
                    }
                }
            } } } } } } }
        }
    }

    /// Pass 1: η, ℓ, Ĩ and, without a penalty, the score.
    private func firstPass(rows range: Range<Int>, beta: [Double], basis: Basis, information withInformation: Bool) -> Partial {
        let k = active.count
        var partial = Partial(information: [Double](repeating: 0, count: withInformation ? k * k : 0), fullScore: [Double](repeating: 0, count: p))
        // Scratch no larger than the range: a small model (a bootstrap refit of 127 rows) would
        // otherwise allocate and clear buffers for 2,048 rows on every evaluation, which cost more
        // than the evaluation itself.
        var block = Block(rows: min(Self.blockRows, range.count), columns: k)
        let boundaryEpsilon = 10 * Double.ulpOfOne
        var start = range.lowerBound
        while start < range.upperBound {
            let m = min(Self.blockRows, range.upperBound - start)
            linearPredictor(start: start, rows: m, beta: beta, into: &block.eta)
            // ℓᵢ = -softplus(-sᵢηᵢ) = -(max(-sᵢηᵢ, 0) + log1p(aᵢ)), aᵢ = e^{-|ηᵢ|} ∈ (0, 1].
            // Σ log1p(aᵢ) = Σ log uᵢ - Σ ((uᵢ - 1) - aᵢ)/uᵢ with uᵢ = 1 + aᵢ rounded: the second sum
            // corrects the rounding of uᵢ to first order (the classic log1p identity), and the first
            // is taken as the log of a running product, one `log` per 512 rows (uᵢ ∈ [1, 2], so a
            // product of 512 cannot overflow).
            // The per-row work is one branch-free loop over the block (it vectorises: the exponential
            // is inline); the sums are a second, scalar loop in a fixed order, so results do not
            // depend on the vector width.
            block.perRow(rows: m, y: y.baseAddress! + start)
            var loglik = 0.0, correction = 0.0, product = 1.0, maxAbsEta = partial.maxAbsEta, boundary = 0
            if let weights {
                // Case weights: wᵢℓᵢ = -wᵢ(max(-sᵢηᵢ, 0) + log uᵢ - ((uᵢ - 1) - aᵢ)/uᵢ), one log per row
                // (no running product: the weights differ); the residual and √w scaled by wᵢ and √wᵢ.
                for i in 0..<m {
                    let w = weights[start + i]
                    loglik -= w * (block.hinge[i] + (log(block.onePlus[i]) - block.correction[i]))
                    block.residual[i] *= w
                    block.rootW[i] *= w.squareRoot()
                    maxAbsEta = max(maxAbsEta, abs(block.eta[i]))
                    if block.tail[i] < boundaryEpsilon { boundary += 1 }
                }
                product = 1
            } else { for i in 0..<m {
                loglik -= block.hinge[i]
                correction += block.correction[i]
                product *= block.onePlus[i]
                if i & 511 == 511 { loglik -= log(product); product = 1 }
                maxAbsEta = max(maxAbsEta, abs(block.eta[i]))
                // min(μ, 1 - μ) = a/(1 + a): R's "fitted probabilities numerically 0 or 1".
                if block.tail[i] < boundaryEpsilon { boundary += 1 }
            } }
            loglik += correction - log(product)
            partial.logLikelihood += loglik
            partial.maxAbsEta = maxAbsEta
            partial.boundaryCount += boundary
            if withInformation {
                gatherScaled(start: start, rows: m, rootW: block.rootW, basis: basis, into: &block.scaled)
                block.scaled.withUnsafeBufferPointer { scaled in
                    partial.information.withUnsafeMutableBufferPointer { information in
                        OrderedKernels.addGram(rows: m, columns: k, b: scaled.baseAddress!, into: information.baseAddress!)
                    }
                }
            }
            if !penalized { addScore(start: start, rows: m, residual: block.residual, into: &partial.fullScore) }
            start += m
        }
        return partial
    }

    /// Pass 2 (Firth): the modified score Xᵀ(y - μ + h ∘ (½ - μ)) over one range of rows.
    private func firthPass(rows range: Range<Int>, beta: [Double], basis: Basis, factor: [Double]) -> [Double] {
        let k = active.count
        var score = [Double](repeating: 0, count: p)
        var block = Block(rows: min(Self.blockRows, range.count), columns: k)  // as in firstPass
        var start = range.lowerBound
        while start < range.upperBound {
            let m = min(Self.blockRows, range.upperBound - start)
            linearPredictor(start: start, rows: m, beta: beta, into: &block.eta)
            for i in 0..<m {
                let e = block.eta[i]
                let a = exponentialOfNonPositive(-abs(e))  // the first pass's exponential, so both passes see the same wᵢ
                let onePlus = 1 + a
                block.rootW[i] = a.squareRoot() / onePlus
                block.eta[i] = e >= 0 ? 1 / onePlus : a / onePlus  // now μ
                block.residual[i] = y[start + i] == 1 ? (e >= 0 ? a / onePlus : 1 / onePlus) : -block.eta[i]
            }
            gatherScaled(start: start, rows: m, rootW: block.rootW, basis: basis, into: &block.scaled)
            factor.withUnsafeBufferPointer { u in
                block.scaled.withUnsafeMutableBufferPointer { b in
                    OrderedKernels.solveRightUpperTriangular(rows: m, columns: k, u: u.baseAddress!, ldu: k, b: b.baseAddress!, ldb: m)
                }
            }
            for i in 0..<m {
                var h = 0.0
                for a in 0..<k { let v = block.scaled[a * m + i]; h += v * v }
                block.residual[i] += h * (0.5 - block.eta[i])
            }
            addScore(start: start, rows: m, residual: block.residual, into: &score)
            start += m
        }
        return score
    }

    /// η = Xβ (+ the offset) for rows start..<start+m, into `eta`.
    func linearPredictor(start: Int, rows m: Int, beta: [Double], into eta: inout [Double]) {
        beta.withUnsafeBufferPointer { b in
            eta.withUnsafeMutableBufferPointer { e in
                OrderedKernels.multiply(rows: m, columns: p, a: x.baseAddress! + start, lda: n, x: b.baseAddress!, into: e.baseAddress!)
                if let offset { for i in 0..<m { e[i] += offset[start + i] } }
            }
        }
    }

    /// score += Xᵀr over rows start..<start+m, all p design columns.
    private func addScore(start: Int, rows m: Int, residual: [Double], into score: inout [Double]) {
        residual.withUnsafeBufferPointer { r in
            score.withUnsafeMutableBufferPointer { s in
                OrderedKernels.addTransposedProduct(rows: m, columns: p, a: x.baseAddress! + start, lda: n, r: r.baseAddress!, into: s.baseAddress!)
            }
        }
    }

    /// scaled[:, a] = √w ∘ (X[start..<start+m, active[a]] - cₐ)/sₐ, an m x k column-major block.
    private func gatherScaled(start: Int, rows m: Int, rootW: [Double], basis: Basis, into scaled: inout [Double]) {
        let base = x.baseAddress!
        scaled.withUnsafeMutableBufferPointer { out in
            rootW.withUnsafeBufferPointer { w in
                for (a, column) in active.enumerated() {
                    let source = base + column * n + start
                    let target = out.baseAddress! + a * m
                    let c = basis.center[a], inverseScale = 1 / basis.scale[a]
                    for i in 0..<m { target[i] = w[i] * ((source[i] - c) * inverseScale) }
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Bernoulli log-likelihood of a logistic model and its first two derivatives, evaluated in one
/// streaming pass over the design.
///
/// ```
/// ηᵢ = xᵢᵀβ,  μᵢ = 1/(1+e^{-ηᵢ}),  wᵢ = μᵢ(1-μᵢ)
/// ℓ(β)  = Σ yᵢηᵢ - log(1+e^{ηᵢ}) = -Σ softplus(-sᵢηᵢ),  sᵢ = 2yᵢ-1      (overflow-safe form)
/// I(β)  = Xᵀ W X                                                      (Fisher information)
/// U(β)  = Xᵀ (y - μ)                                                  (score)
/// Firth: ℓ*(β) = ℓ(β) + ½ log|I(β)|,  U*(β) = Xᵀ (y - μ + h ∘ (½ - μ)),  hᵢ = wᵢ xᵢᵀ I⁻¹ xᵢ
/// ```
/// With `e = exp(-|η|)` computed once, `w = e/(1+e)²` and the residuals stay accurate when μ is
/// within rounding of 0 or 1 (no `1 - μ` cancellation), and no exponential overflows.
///
/// Rows are processed in blocks small enough to stay in cache: a block's √w-scaled rows are
/// gathered into a scratch buffer and added into I with one `dsyrk`, so memory beyond the design is
/// a few vectors, never a second copy of X. Only the `active` (non-aliased) columns enter I and U.
struct BinomialLikelihood {
    let x: UnsafeBufferPointer<Double>
    let y: UnsafeBufferPointer<Double>
    let n: Int
    let p: Int
    /// Non-aliased design columns, in order; I and U are over these.
    let active: [Int]
    let penalized: Bool
    static let blockRows = 2048

    struct Evaluation {
        var logLikelihood: Double
        /// ½ log|I(β)| for Firth, 0 otherwise.
        var halfLogDetInformation: Double
        /// k x k column-major, upper triangle filled, k = active.count.
        var information: [Double]
        /// Score over the active columns (Firth-modified when penalised).
        var score: [Double]
        /// Largest |η|: a quick signal that some fitted probabilities approach 0 or 1.
        var maxAbsEta: Double
        /// Observations with fitted probability within 10·ε of 0 or 1 (R's warning threshold).
        var boundaryCount: Int

        var objective: Double { logLikelihood + halfLogDetInformation }
    }

    /// Evaluates at `beta` (length p; aliased entries must be 0). Returns nil when I is not
    /// positive definite under a Firth penalty (its log-determinant does not exist).
    func evaluate(_ beta: [Double]) -> Evaluation? {
        let k = active.count
        var info = [Double](repeating: 0, count: k * k)
        var score = [Double](repeating: 0, count: k)
        var loglik = 0.0, maxAbsEta = 0.0, boundary = 0
        let rowsPerBlock = Self.blockRows
        var eta = [Double](repeating: 0, count: rowsPerBlock)
        var residual = [Double](repeating: 0, count: rowsPerBlock)
        var rootW = [Double](repeating: 0, count: rowsPerBlock)
        var scaled = [Double](repeating: 0, count: rowsPerBlock * k)
        var fullScore = [Double](repeating: 0, count: p)
        let boundaryEpsilon = 10 * Double.ulpOfOne

        // Pass 1: η, ℓ, I and (unpenalised) residuals.
        var start = 0
        while start < n {
            let m = min(rowsPerBlock, n - start)
            LAPACK.gemv(transpose: false, rows: m, columns: p, alpha: 1, a: x.baseAddress! + start, lda: n,
                        x: beta, beta: 0, y: &eta)
            for i in 0..<m {
                let e = eta[i]
                let a = exp(-abs(e))
                let onePlus = 1 + a
                let mu = e >= 0 ? 1 / onePlus : a / onePlus
                let w = a / (onePlus * onePlus)
                let yi = y[start + i]
                // ℓᵢ = -softplus(-sᵢηᵢ) = -(max(-sᵢηᵢ, 0) + log1p(e^{-|η|}))
                let signedEta = yi == 1 ? e : -e
                loglik -= max(-signedEta, 0) + log1p(a)
                // y - μ without cancellation: for y = 1 it is 1 - μ, computed from a directly.
                residual[i] = yi == 1 ? (e >= 0 ? a / onePlus : 1 / onePlus) : -mu
                rootW[i] = w.squareRoot()
                maxAbsEta = max(maxAbsEta, abs(e))
                if mu < boundaryEpsilon || mu > 1 - boundaryEpsilon { boundary += 1 }
                if penalized { eta[i] = mu }  // keep μ for the Firth pass
            }
            gatherScaled(start: start, rows: m, rootW: rootW, into: &scaled)
            LAPACK.syrkTransposed(columns: k, rows: m, alpha: 1, a: scaled, lda: m, beta: 1, c: &info)
            if !penalized {
                LAPACK.gemv(transpose: true, rows: m, columns: p, alpha: 1, a: x.baseAddress! + start, lda: n,
                            x: residual, beta: 1, y: &fullScore)
            }
            start += m
        }
        guard penalized else {
            for (a, column) in active.enumerated() { score[a] = fullScore[column] }
            return Evaluation(logLikelihood: loglik, halfLogDetInformation: 0, information: info, score: score, maxAbsEta: maxAbsEta, boundaryCount: boundary)
        }

        // Pass 2 (Firth): hᵢ = ‖row i of (√W X) U⁻¹‖² with I = UᵀU; then the modified score.
        var factor = info
        if LAPACK.choleskyFactor(&factor, order: k) != nil { return nil }
        var halfLogDet = 0.0
        for a in 0..<k { halfLogDet += log(factor[a * k + a]) }
        start = 0
        while start < n {
            let m = min(rowsPerBlock, n - start)
            LAPACK.gemv(transpose: false, rows: m, columns: p, alpha: 1, a: x.baseAddress! + start, lda: n,
                        x: beta, beta: 0, y: &eta)
            for i in 0..<m {
                let e = eta[i]
                let a = exp(-abs(e))
                let onePlus = 1 + a
                rootW[i] = (a / (onePlus * onePlus)).squareRoot()
                eta[i] = e >= 0 ? 1 / onePlus : a / onePlus  // μ
                residual[i] = y[start + i] == 1 ? (e >= 0 ? a / onePlus : 1 / onePlus) : -eta[i]
            }
            gatherScaled(start: start, rows: m, rootW: rootW, into: &scaled)
            LAPACK.solveRightUpperTriangular(rows: m, columns: k, u: factor, ldu: k, b: &scaled, ldb: m)
            for i in 0..<m {
                var h = 0.0
                for a in 0..<k { let v = scaled[a * m + i]; h += v * v }
                residual[i] += h * (0.5 - eta[i])
            }
            LAPACK.gemv(transpose: true, rows: m, columns: p, alpha: 1, a: x.baseAddress! + start, lda: n,
                        x: residual, beta: 1, y: &fullScore)
            start += m
        }
        for (a, column) in active.enumerated() { score[a] = fullScore[column] }
        return Evaluation(logLikelihood: loglik, halfLogDetInformation: halfLogDet, information: info, score: score, maxAbsEta: maxAbsEta, boundaryCount: boundary)
    }

    /// scaled[:, a] = √w ∘ X[start..<start+m, active[a]], an m x k column-major block.
    private func gatherScaled(start: Int, rows m: Int, rootW: [Double], into scaled: inout [Double]) {
        let base = x.baseAddress!
        scaled.withUnsafeMutableBufferPointer { out in
            rootW.withUnsafeBufferPointer { w in
                for (a, column) in active.enumerated() {
                    let source = base + column * n + start
                    let target = out.baseAddress! + a * m
                    for i in 0..<m { target[i] = w[i] * source[i] }
                }
            }
        }
    }
}

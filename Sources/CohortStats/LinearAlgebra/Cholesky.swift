#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cholesky factorisation `A = UᵀU` of small symmetric positive-definite matrices (the k x k
/// information and covariance matrices of a model, k the number of coefficients), with the solve and
/// the inverse that use it.
///
/// The conventions are LAPACK's `dpotrf` / `dpotrs` / `dpotri` with UPLO = 'U': column-major storage,
/// leading dimension n, only the upper triangle read and written. The arithmetic is written here
/// (the unblocked algorithm of the reference LAPACK, every inner sum in ascending index order) rather
/// than left to a BLAS, whose CPU-specific kernels sum in their own orders: the factor decides the
/// Newton steps, the covariance and so every printed standard error, which must be the same bits on
/// every machine (issue 12; see ``OrderedKernels``). For the orders involved (tens of coefficients)
/// the O(n³/3) cost is microseconds.
enum Cholesky {
    /// Overwrites the upper triangle of `a` (n x n) with U such that A = UᵀU.
    ///
    /// ```
    /// U[j, j] = √(A[j, j] − Σ_{t<j} U[t, j]²)
    /// U[j, c] = (A[j, c] − Σ_{t<j} U[t, j] U[t, c]) / U[j, j],   c > j
    /// ```
    /// - Returns: `nil` on success, or the order j (1-based) of the first leading minor that is not
    ///   positive definite (a pivot ≤ 0 or NaN, as `dpotrf`'s `info > 0`): the caller decides whether
    ///   that is rank deficiency or an error. The matrix is then partly overwritten.
    static func factor(_ a: UnsafeMutablePointer<Double>, order n: Int) -> Int? {
        for j in 0..<n {
            let column = a + j * n
            var pivot = column[j]
            for t in 0..<j { pivot -= column[t] * column[t] }
            guard pivot > 0, pivot.isFinite else { return j + 1 }
            let root = pivot.squareRoot()
            column[j] = root
            let inverse = 1 / root
            for c in (j + 1)..<max(n, j + 1) {
                let target = a + c * n
                var value = target[j]
                for t in 0..<j { value -= column[t] * target[t] }
                target[j] = value * inverse
            }
        }
        return nil
    }

    static func factor(_ a: inout [Double], order n: Int) -> Int? {
        precondition(a.count >= n * n, "Cholesky: buffer smaller than \(n) x \(n)")
        return a.withUnsafeMutableBufferPointer { factor($0.baseAddress!, order: n) }
    }

    /// Solves `A X = B` given U from ``factor(_:order:)``: `Uᵀ Y = B` forward, then `U X = Y` backward.
    ///
    /// - `b`: n x nrhs column-major, leading dimension n, overwritten by X.
    static func solve(factor u: UnsafePointer<Double>, order n: Int, rhs b: UnsafeMutablePointer<Double>, count nrhs: Int) {
        for r in 0..<nrhs {
            let x = b + r * n
            for j in 0..<n {
                let column = u + j * n
                var value = x[j]
                for t in 0..<j { value -= column[t] * x[t] }
                x[j] = value / column[j]
            }
            for j in stride(from: n - 1, through: 0, by: -1) {
                var value = x[j]
                for c in (j + 1)..<max(n, j + 1) { value -= u[c * n + j] * x[c] }
                x[j] = value / u[j * n + j]
            }
        }
    }

    static func solve(factor u: [Double], order n: Int, rhs b: inout [Double], count nrhs: Int) {
        precondition(u.count >= n * n && b.count >= n * nrhs, "Cholesky: buffers smaller than their orders")
        u.withUnsafeBufferPointer { u in
            b.withUnsafeMutableBufferPointer { b in solve(factor: u.baseAddress!, order: n, rhs: b.baseAddress!, count: nrhs) }
        }
    }

    /// Overwrites U (from ``factor(_:order:)``) with the upper triangle of `A⁻¹ = U⁻¹ U⁻ᵀ`.
    ///
    /// First `U` becomes `V = U⁻¹` in place (column j: `V[t, j] = −(Σ_{s=t}^{j−1} V[t, s] U[s, j]) / U[j, j]`
    /// for t < j, `V[j, j] = 1/U[j, j]`), then `A⁻¹[r, c] = Σ_{s ≥ c} V[r, s] V[c, s]` for r ≤ c.
    ///
    /// - Returns: false when U has a zero on its diagonal (`dpotri`'s `info > 0`).
    static func invert(_ u: UnsafeMutablePointer<Double>, order n: Int) -> Bool {
        for j in 0..<n where u[j * n + j] == 0 { return false }
        for j in 0..<n {
            let column = u + j * n
            let ujj = column[j]
            // Row t of column j needs V[t, s] for s < j (columns already inverted) and the original
            // U[s, j] for s ≥ t, which ascending t has not overwritten yet.
            for t in 0..<j {
                var sum = 0.0
                for s in t..<j { sum += u[s * n + t] * column[s] }
                column[t] = -sum / ujj
            }
            column[j] = 1 / ujj
        }
        // A⁻¹ = V Vᵀ, upper triangle; entry (r, c), r ≤ c, needs V[r, s], V[c, s] for s ≥ c, which are
        // still intact when c ascends and each column c is overwritten only after its own entries.
        for c in 0..<n {
            for r in 0...c {
                var sum = 0.0
                for s in c..<n { sum += u[s * n + r] * u[s * n + c] }
                u[c * n + r] = sum
            }
        }
        return true
    }

    static func invert(_ u: inout [Double], order n: Int) -> Bool {
        precondition(u.count >= n * n, "Cholesky: buffer smaller than \(n) x \(n)")
        return u.withUnsafeMutableBufferPointer { invert($0.baseAddress!, order: n) }
    }
}

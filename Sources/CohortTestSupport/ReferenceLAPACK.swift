import _CLAPACK

/// The one binding layer between CohortKit and Fortran BLAS/LAPACK, kept as an independent reference
/// for the tests.
///
/// The toolkit itself no longer calls BLAS or LAPACK (issue 12): their CPU-specific kernels sum in
/// their own orders, so results that reach an output would differ in the last digits from one
/// machine to the next. `CohortStats` computes with ``OrderedKernels`` and ``Cholesky`` instead, and
/// the tests check those against the routines bound here (another algorithm, another order: agreement
/// to rounding is evidence that both are right).
///
/// Everything Fortran-specific stops here: sizes are converted to `Int32` (Debian's LP64 builds),
/// character flags are passed with gfortran's hidden `size_t` length arguments, and every matrix is
/// a column-major buffer with an explicit leading dimension. Callers pass Swift `Int`s and pointers
/// into buffers they own; nothing is copied. A non-zero LAPACK `info` becomes a thrown
/// ``LAPACKError`` naming the routine, except where a caller needs the value (see each function).
public enum ReferenceLAPACK {
    /// Fortran's `INFO` argument, mapped to Swift.
    public struct LAPACKError: Error, CustomStringConvertible {
        let routine: String
        let info: Int
        public var description: String { "LAPACK \(routine) failed with info = \(info)" }
    }

    private static func int32(_ value: Int) -> Int32 {
        precondition(value >= 0 && value <= Int(Int32.max), "dimension \(value) exceeds LAPACK's 32-bit range")
        return Int32(value)
    }

    /// `y := alpha * op(A) * x + beta * y` (dgemv).
    ///
    /// - `a`: m x n, column-major, leading dimension `lda >= m`. `op(A)` is `A` or `Aᵀ` (`transpose`).
    /// - `x`: length n (or m when transposed); `y`: length m (or n), unit strides.
    public static func gemv(
        transpose: Bool, rows m: Int, columns n: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
    ) {
        var t: CChar = transpose ? 84 : 78  // "T" / "N"
        var m32 = int32(m), n32 = int32(n), lda32 = int32(max(lda, 1)), one: Int32 = 1
        var alpha = alpha, beta = beta
        dgemv_(&t, &m32, &n32, &alpha, a, &lda32, x, &one, &beta, y, &one, 1)
    }

    /// `C := alpha * Aᵀ A + beta * C` on the upper triangle of C (dsyrk, UPLO = 'U', TRANS = 'T').
    ///
    /// - `a`: k x n column-major with leading dimension `lda >= k` (k rows of observations).
    /// - `c`: n x n column-major, leading dimension n; only its upper triangle is referenced.
    public static func syrkTransposed(
        columns n: Int, rows k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        beta: Double, c: UnsafeMutablePointer<Double>
    ) {
        var uplo: CChar = 85, trans: CChar = 84  // "U", "T"
        var n32 = int32(n), k32 = int32(k), lda32 = int32(max(lda, 1)), ldc32 = int32(max(n, 1))
        var alpha = alpha, beta = beta
        dsyrk_(&uplo, &trans, &n32, &k32, &alpha, a, &lda32, &beta, c, &ldc32, 1, 1)
    }

    /// `B := B * U⁻¹` with U upper triangular n x n (dtrsm, SIDE = 'R', UPLO = 'U', TRANSA = 'N').
    ///
    /// With `A = UᵀU` from ``choleskyFactor(_:order:)``, the squared row norms of `B U⁻¹` are
    /// `bᵢᵀ A⁻¹ bᵢ`: this is how hat values are computed without forming `A⁻¹`.
    /// - `b`: m x n column-major with leading dimension `ldb >= m`, overwritten.
    public static func solveRightUpperTriangular(
        rows m: Int, columns n: Int, u: UnsafePointer<Double>, ldu: Int, b: UnsafeMutablePointer<Double>, ldb: Int
    ) {
        var side: CChar = 82, uplo: CChar = 85, trans: CChar = 78, diag: CChar = 78  // R U N N
        var m32 = int32(m), n32 = int32(n), ldu32 = int32(max(ldu, 1)), ldb32 = int32(max(ldb, 1))
        var one = 1.0
        dtrsm_(&side, &uplo, &trans, &diag, &m32, &n32, &one, u, &ldu32, b, &ldb32, 1, 1, 1, 1)
    }

    /// Cholesky factorisation `A = UᵀU` of a symmetric positive-definite n x n matrix (dpotrf, UPLO = 'U').
    ///
    /// - `a`: n x n column-major, leading dimension n; the upper triangle is read and overwritten by U.
    /// - Returns: `nil` on success, or the order k (1-based) of the leading minor that is not positive
    ///   definite (LAPACK `info > 0`): the caller decides whether that is rank deficiency or an error.
    public static func choleskyFactor(_ a: UnsafeMutablePointer<Double>, order n: Int) -> Int? {
        var uplo: CChar = 85
        var n32 = int32(n), lda = int32(max(n, 1)), info: Int32 = 0
        dpotrf_(&uplo, &n32, a, &lda, &info, 1)
        precondition(info >= 0, "dpotrf: illegal argument \(-info)")
        return info == 0 ? nil : Int(info)
    }

    /// Solves `A X = B` given the Cholesky factor U from ``choleskyFactor(_:order:)`` (dpotrs).
    ///
    /// - `b`: n x nrhs column-major, leading dimension n, overwritten by X.
    public static func choleskySolve(factor u: UnsafePointer<Double>, order n: Int, rhs b: UnsafeMutablePointer<Double>, count nrhs: Int) {
        var uplo: CChar = 85
        var n32 = int32(n), lda = int32(max(n, 1)), nrhs32 = int32(nrhs), ldb = int32(max(n, 1)), info: Int32 = 0
        dpotrs_(&uplo, &n32, &nrhs32, u, &lda, b, &ldb, &info, 1)
        precondition(info == 0, "dpotrs: illegal argument \(-info)")
    }

    /// Overwrites the Cholesky factor U with the upper triangle of `A⁻¹` (dpotri).
    ///
    /// - Throws: ``LAPACKError`` when U has a zero on its diagonal (`info > 0`).
    public static func choleskyInverse(_ u: UnsafeMutablePointer<Double>, order n: Int) throws {
        var uplo: CChar = 85
        var n32 = int32(n), lda = int32(max(n, 1)), info: Int32 = 0
        dpotri_(&uplo, &n32, u, &lda, &info, 1)
        if info != 0 { throw LAPACKError(routine: "dpotri", info: Int(info)) }
    }

    /// Householder QR of an m x n matrix, m >= n (dgeqrf), followed by `c := Qᵀ c` (dormqr) and the
    /// triangular solve `R x = (Qᵀ c)[0..<n]` (dtrtrs): the least-squares solution of `A x ≈ c`.
    ///
    /// - `a`: m x n column-major, leading dimension m, overwritten by the factorisation (R in its
    ///   upper triangle, so callers can form `(RᵀR)⁻¹` from it).
    /// - `c`: length m, overwritten; its first n entries hold x on return.
    /// - Throws: ``LAPACKError`` when R is exactly singular (`dtrtrs` info > 0).
    public static func leastSquaresQR(_ a: UnsafeMutablePointer<Double>, rows m: Int, columns n: Int, rhs c: UnsafeMutablePointer<Double>) throws {
        var m32 = int32(m), n32 = int32(n), lda = int32(max(m, 1)), info: Int32 = 0
        var tau = [Double](repeating: 0, count: max(n, 1))
        var query = 0.0, lwork: Int32 = -1
        dgeqrf_(&m32, &n32, a, &lda, &tau, &query, &lwork, &info)
        lwork = Int32(max(query, Double(max(n, 1))))
        var work = [Double](repeating: 0, count: Int(lwork))
        dgeqrf_(&m32, &n32, a, &lda, &tau, &work, &lwork, &info)
        precondition(info == 0, "dgeqrf: illegal argument \(-info)")

        var side: CChar = 76, trans: CChar = 84  // "L", "T"
        var one: Int32 = 1, ldc = int32(max(m, 1))
        lwork = -1
        dormqr_(&side, &trans, &m32, &one, &n32, a, &lda, &tau, c, &ldc, &query, &lwork, &info, 1, 1)
        lwork = Int32(max(query, 1))
        if Int(lwork) > work.count { work = [Double](repeating: 0, count: Int(lwork)) }
        dormqr_(&side, &trans, &m32, &one, &n32, a, &lda, &tau, c, &ldc, &work, &lwork, &info, 1, 1)
        precondition(info == 0, "dormqr: illegal argument \(-info)")

        var uplo: CChar = 85, notrans: CChar = 78, diag: CChar = 78
        dtrtrs_(&uplo, &notrans, &diag, &n32, &one, a, &lda, c, &ldc, &info, 1, 1, 1)
        if info != 0 { throw LAPACKError(routine: "dtrtrs", info: Int(info)) }
    }
}

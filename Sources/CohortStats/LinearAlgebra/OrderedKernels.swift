/// Dense kernels whose order of operations is written here, so that their results are the same bits
/// on every CPU, every core count and every run.
///
/// Why not BLAS: OpenBLAS picks its kernels by CPU (Haswell, SkylakeX, Zen, Sapphire Rapids...), and
/// each kernel sums in its own order (unrolling, vector width, FMA or not). A dot product that ends
/// in a coefficient, a standard error or a P value then differs in its last digits from one machine
/// to the next, and the golden files of the toolkit's outputs failed on an Intel Sapphire Rapids CPU
/// while they passed on AMD Zen 5 (issue 12). Every sum that can reach an output is therefore taken
/// here, in the order this file fixes:
///
/// - a dot product keeps four partial sums, by row index modulo 4 (one `SIMD4<Double>`), combined as
///   `(s₀ + s₁) + (s₂ + s₃)`, then adds the rows left over in order;
/// - a matrix-vector product `Ax` sums over columns in ascending order for each row;
/// - products and sums are separate IEEE operations: Swift does not contract `a * b + c` into a fused
///   multiply-add, and the code is built for the baseline x86-64 (no FMA instructions), so a vector
///   lane rounds exactly as the scalar code would.
///
/// Callers fix the blocking (how many rows one call sees) themselves, independently of the number of
/// threads: see ``BinomialLikelihood``'s row chunks.
///
/// Layout: every matrix is column-major with an explicit leading dimension, as LAPACK's are.
enum OrderedKernels {
    @inline(__always)
    private static func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
    }

    @inline(__always)
    private static func reduce(_ v: SIMD4<Double>) -> Double { (v[0] + v[1]) + (v[2] + v[3]) }

    /// Σᵢ aᵢbᵢ over `count` entries, in the order described above.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        var lanes = SIMD4<Double>.zero
        var i = 0
        while i + 4 <= count {
            lanes += load(a + i) * load(b + i)
            i += 4
        }
        var sum = reduce(lanes)
        while i < count {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }

    /// `y[i] = Σⱼ A[i, j] x[j]` for the m rows of A (m x p, leading dimension `lda`), j ascending.
    static func multiply(rows m: Int, columns p: Int, a: UnsafePointer<Double>, lda: Int,
                         x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>) {
        guard p > 0 else {
            y.update(repeating: 0, count: m)
            return
        }
        let x0 = x[0]
        for i in 0..<m { y[i] = a[i] * x0 }
        for j in 1..<p {
            let column = a + j * lda, xj = x[j]
            for i in 0..<m { y[i] += column[i] * xj }
        }
    }

    /// `y[j] += Σᵢ A[i, j] r[i]` for each of the p columns of A (m x p, leading dimension `lda`):
    /// one ``dot(_:_:count:)`` per column.
    static func addTransposedProduct(rows m: Int, columns p: Int, a: UnsafePointer<Double>, lda: Int,
                                     r: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>) {
        for j in 0..<p { y[j] += dot(a + j * lda, r, count: m) }
    }

    /// `C[a, b] += Σᵢ B[i, a] B[i, b]` on the upper triangle (a ≤ b) of the k x k matrix C
    /// (leading dimension k), for B m x k with leading dimension m: `C += BᵀB` as `dsyrk` would.
    ///
    /// Columns are taken two by two, so that each pass over four rows loads four vectors for four
    /// products; each entry's sum has the lane structure of ``dot(_:_:count:)``, whether it was
    /// computed in a pair or alone, so the result does not depend on the tiling.
    static func addGram(rows m: Int, columns k: Int, b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>) {
        var a0 = 0
        while a0 < k {
            let twoA = a0 + 1 < k
            var b0 = a0
            while b0 < k {
                let twoB = b0 + 1 < k
                if twoA, twoB {
                    let pa0 = b + a0 * m, pa1 = pa0 + m, pb0 = b + b0 * m, pb1 = pb0 + m
                    var s00 = SIMD4<Double>.zero, s01 = s00, s10 = s00, s11 = s00
                    var i = 0
                    while i + 4 <= m {
                        let va0 = load(pa0 + i), va1 = load(pa1 + i), vb0 = load(pb0 + i), vb1 = load(pb1 + i)
                        s00 += va0 * vb0; s01 += va0 * vb1; s10 += va1 * vb0; s11 += va1 * vb1
                        i += 4
                    }
                    var t00 = reduce(s00), t01 = reduce(s01), t10 = reduce(s10), t11 = reduce(s11)
                    while i < m {
                        t00 += pa0[i] * pb0[i]; t01 += pa0[i] * pb1[i]; t10 += pa1[i] * pb0[i]; t11 += pa1[i] * pb1[i]
                        i += 1
                    }
                    c[b0 * k + a0] += t00
                    c[(b0 + 1) * k + a0] += t01
                    if a0 + 1 <= b0 { c[b0 * k + a0 + 1] += t10 }  // on the diagonal tile this is the lower entry
                    c[(b0 + 1) * k + a0 + 1] += t11
                } else {
                    for ca in a0..<min(a0 + 2, k) {
                        for cb in max(b0, ca)..<min(b0 + 2, k) {
                            c[cb * k + ca] += dot(b + ca * m, b + cb * m, count: m)
                        }
                    }
                }
                b0 += 2
            }
            a0 += 2
        }
    }

    /// `B := B U⁻¹` with U upper triangular k x k (leading dimension `ldu`) and B m x k (leading
    /// dimension `ldb`): column by column, `B(:, j) -= U(t, j) B(:, t)` for t ascending below j, then
    /// `B(:, j) *= 1/U(j, j)` (the reference BLAS's `dtrsm` order for SIDE = 'R', UPLO = 'U').
    ///
    /// With `A = UᵀU` from ``Cholesky``, the squared row norms of `B U⁻¹` are `bᵢᵀ A⁻¹ bᵢ`: hat values
    /// without forming `A⁻¹`.
    static func solveRightUpperTriangular(rows m: Int, columns k: Int, u: UnsafePointer<Double>, ldu: Int,
                                          b: UnsafeMutablePointer<Double>, ldb: Int) {
        for j in 0..<k {
            let column = b + j * ldb
            for t in 0..<j {
                let factor = u[j * ldu + t]
                if factor == 0 { continue }
                let source = b + t * ldb
                for i in 0..<m { column[i] -= factor * source[i] }
            }
            let inverse = 1 / u[j * ldu + j]
            for i in 0..<m { column[i] *= inverse }
        }
    }
}

import Glibc
import CohortData
@testable import CohortStats
import CohortTestSupport
import XCTest

/// Issue 12 (identical bytes on every machine): the ordered kernels and the Cholesky routines that
/// replaced BLAS/LAPACK in the statistics agree with LAPACK (another algorithm, another order) to
/// rounding, and the likelihood's sums do not depend on the number of threads.
final class OrderedKernelsTests: XCTestCase {
    /// Column-major m x k values in [-2, 2), seeded.
    func matrix(rows m: Int, columns k: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<(m * k)).map { _ in Double.random(in: -2..<2, using: &generator) }
    }

    /// A symmetric positive-definite k x k matrix BᵀB + k·I, built with LAPACK's dsyrk.
    func positiveDefinite(order k: Int, seed: UInt64) -> [Double] {
        let b = matrix(rows: k + 3, columns: k, seed: seed)
        var a = [Double](repeating: 0, count: k * k)
        for j in 0..<k { a[j * k + j] = Double(k) }
        ReferenceLAPACK.syrkTransposed(columns: k, rows: k + 3, alpha: 1, a: b, lda: k + 3, beta: 1, c: &a)
        return a
    }

    func testKernelsAgreeWithBLASOnOddShapes() {
        var worst = 0.0
        for (m, k) in [(1, 1), (3, 2), (4, 3), (5, 1), (17, 5), (37, 7), (130, 11), (2048, 4)] {
            let a = matrix(rows: m, columns: k, seed: UInt64(m * 100 + k))
            let x = matrix(rows: k, columns: 1, seed: 7), r = matrix(rows: m, columns: 1, seed: 8)
            // Ax
            var ours = [Double](repeating: 0, count: m), theirs = ours
            a.withUnsafeBufferPointer { a in x.withUnsafeBufferPointer { x in ours.withUnsafeMutableBufferPointer { y in
                OrderedKernels.multiply(rows: m, columns: k, a: a.baseAddress!, lda: m, x: x.baseAddress!, into: y.baseAddress!)
            } } }
            ReferenceLAPACK.gemv(transpose: false, rows: m, columns: k, alpha: 1, a: a, lda: m, x: x, beta: 0, y: &theirs)
            for i in 0..<m { worst = max(worst, abs(ours[i] - theirs[i]) / max(1, abs(theirs[i]))) }
            // y + Aᵀr
            var ourScore = [Double](repeating: 1, count: k), theirScore = ourScore
            a.withUnsafeBufferPointer { a in r.withUnsafeBufferPointer { r in ourScore.withUnsafeMutableBufferPointer { y in
                OrderedKernels.addTransposedProduct(rows: m, columns: k, a: a.baseAddress!, lda: m, r: r.baseAddress!, into: y.baseAddress!)
            } } }
            ReferenceLAPACK.gemv(transpose: true, rows: m, columns: k, alpha: 1, a: a, lda: m, x: r, beta: 1, y: &theirScore)
            for j in 0..<k { worst = max(worst, abs(ourScore[j] - theirScore[j]) / max(1, abs(theirScore[j]))) }
            // C + AᵀA, upper triangle
            var ourGram = [Double](repeating: 0.5, count: k * k), theirGram = ourGram
            a.withUnsafeBufferPointer { a in ourGram.withUnsafeMutableBufferPointer { c in
                OrderedKernels.addGram(rows: m, columns: k, b: a.baseAddress!, into: c.baseAddress!)
            } }
            ReferenceLAPACK.syrkTransposed(columns: k, rows: m, alpha: 1, a: a, lda: m, beta: 1, c: &theirGram)
            for c in 0..<k {
                for row in 0...c { worst = max(worst, abs(ourGram[c * k + row] - theirGram[c * k + row]) / max(1, abs(theirGram[c * k + row]))) }
                for row in (c + 1)..<max(k, c + 1) { XCTAssertEqual(ourGram[c * k + row], 0.5, "the lower triangle is not written") }
            }
        }
        XCTAssertLessThan(worst, 1e-13, "ordered kernels vs BLAS")
    }

    /// The Gram kernel computes columns two by two; each entry must be exactly the single dot product
    /// it stands for, so that tiling cannot change a bit.
    func testGramEntriesAreExactlyTheirDotProducts() {
        for (m, k) in [(7, 5), (33, 6), (1000, 3)] {
            let b = matrix(rows: m, columns: k, seed: UInt64(m + k))
            var gram = [Double](repeating: 0, count: k * k)
            b.withUnsafeBufferPointer { b in gram.withUnsafeMutableBufferPointer { c in
                OrderedKernels.addGram(rows: m, columns: k, b: b.baseAddress!, into: c.baseAddress!)
            } }
            for c in 0..<k {
                for r in 0...c {
                    let expected = b.withUnsafeBufferPointer { OrderedKernels.dot($0.baseAddress! + r * m, $0.baseAddress! + c * m, count: m) }
                    XCTAssertEqual(gram[c * k + r].bitPattern, expected.bitPattern, "entry (\(r), \(c)) of a \(m) x \(k) Gram matrix")
                }
            }
        }
    }

    func testTriangularSolveAgreesWithDTRSM() {
        for k in [1, 2, 5, 9, 14] {
            var u = positiveDefinite(order: k, seed: UInt64(k))
            XCTAssertNil(ReferenceLAPACK.choleskyFactor(&u, order: k))
            let m = 29
            var ours = matrix(rows: m, columns: k, seed: 3), theirs = ours
            u.withUnsafeBufferPointer { u in ours.withUnsafeMutableBufferPointer { b in
                OrderedKernels.solveRightUpperTriangular(rows: m, columns: k, u: u.baseAddress!, ldu: k, b: b.baseAddress!, ldb: m)
            } }
            ReferenceLAPACK.solveRightUpperTriangular(rows: m, columns: k, u: u, ldu: k, b: &theirs, ldb: m)
            for i in ours.indices { assertClose(ours[i], theirs[i], relative: 1e-13, absolute: 1e-15, "B U⁻¹ (k = \(k)) entry \(i)") }
        }
    }

    func testCholeskyFactorSolveAndInverseAgreeWithLAPACK() throws {
        for k in [1, 2, 3, 6, 13, 25] {
            let a = positiveDefinite(order: k, seed: UInt64(40 + k))
            var ours = a, theirs = a
            XCTAssertNil(Cholesky.factor(&ours, order: k))
            XCTAssertNil(ReferenceLAPACK.choleskyFactor(&theirs, order: k))
            for c in 0..<k { for r in 0...c { assertClose(ours[c * k + r], theirs[c * k + r], relative: 1e-13, absolute: 1e-15, "U (k = \(k)) [\(r), \(c)]") } }

            let b = matrix(rows: k, columns: 2, seed: 5)
            var x = b, y = b
            Cholesky.solve(factor: ours, order: k, rhs: &x, count: 2)
            ReferenceLAPACK.choleskySolve(factor: theirs, order: k, rhs: &y, count: 2)
            for i in x.indices { assertClose(x[i], y[i], relative: 1e-12, absolute: 1e-15, "solve (k = \(k)) entry \(i)") }
            // A x = b by the definition, not only by agreement.
            for r in 0..<2 {
                for i in 0..<k {
                    let ax = (0..<k).reduce(0.0) { $0 + a[max(i, $1) * k + min(i, $1)] * x[r * k + $1] }
                    assertClose(ax, b[r * k + i], relative: 1e-12, absolute: 1e-13, "A x = b (k = \(k)) row \(i)")
                }
            }

            XCTAssertTrue(Cholesky.invert(&ours, order: k))
            try ReferenceLAPACK.choleskyInverse(&theirs, order: k)
            for c in 0..<k { for r in 0...c { assertClose(ours[c * k + r], theirs[c * k + r], relative: 1e-12, absolute: 1e-15, "A⁻¹ (k = \(k)) [\(r), \(c)]") } }
        }
    }

    func testCholeskyReportsTheFirstMinorThatIsNotPositiveDefinite() {
        // Third column = first + second: the third leading minor is singular, as dpotrf reports it.
        var a: [Double] = [4, 2, 6, 2, 5, 7, 6, 7, 13]
        var reference = a
        XCTAssertEqual(Cholesky.factor(&a, order: 3), 3)
        XCTAssertEqual(ReferenceLAPACK.choleskyFactor(&reference, order: 3), 3)
        var negative: [Double] = [-1]
        XCTAssertEqual(Cholesky.factor(&negative, order: 1), 1)
        var nan: [Double] = [1, 0, 0, .nan]
        XCTAssertEqual(Cholesky.factor(&nan, order: 2), 2)
    }

    /// The likelihood's sums over 70,000 rows (three chunks) are the same bits whatever the number of
    /// threads: with the old split (one range per core) they were not.
    func testLikelihoodIsBitIdenticalForAnyThreadCount() throws {
        let n = 70_000
        var generator = SeededGenerator(seed: 12)
        var x = [Double](repeating: 1, count: n * 4), y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let a = Double.random(in: -1..<1, using: &generator), b = Double.random(in: 0..<3, using: &generator)
            x[n + i] = a; x[2 * n + i] = b; x[3 * n + i] = a * b + 1e3
            y[i] = Double.random(in: 0..<1, using: &generator) < 1 / (1 + Glibc.exp(-(0.3 + a - 0.2 * b))) ? 1 : 0
        }
        let design = DesignMatrix(values: x, rowCount: n, columnNames: ["(Intercept)", "a", "b", "ab"],
                                      terms: [ModelTerm(name: "(Intercept)", kind: .intercept, columns: 0..<1),
                                              ModelTerm(name: "a", kind: .numeric, columns: 1..<2),
                                              ModelTerm(name: "b", kind: .numeric, columns: 2..<3),
                                              ModelTerm(name: "ab", kind: .numeric, columns: 3..<4)])
        let model = try LogisticModel(response: y, design: design)
        let saved = Parallel.workerLimit
        defer { Parallel.workerLimit = saved }
        func bits(workers: Int, _ options: FitOptions) throws -> [UInt64] {
            Parallel.workerLimit = workers
            let fitted = try fit(model, options: options)
            return (fitted.coefficients + fitted.covariance + [fitted.logLikelihood]).map(\.bitPattern)
        }
        let ml = try bits(workers: 1, .maximumLikelihood)
        XCTAssertEqual(try bits(workers: 2, .maximumLikelihood), ml, "maximum likelihood, 2 threads vs 1")
        XCTAssertEqual(try bits(workers: 3, .maximumLikelihood), ml, "maximum likelihood, 3 threads vs 1")
        XCTAssertEqual(try bits(workers: 2, .firth), try bits(workers: 1, .firth), "Firth, 2 threads vs 1")
    }
}

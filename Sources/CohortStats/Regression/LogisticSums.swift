/// The sufficient sums of one logistic-regression iteration at a coefficient vector β, over some rows:
/// what a database computes with SQL `SUM`s (issue 17) and what adds across sites.
///
/// With ηᵢ = xᵢᵀβ (+ offset), μᵢ = 1/(1 + e^−ηᵢ) and wᵢ = μᵢ(1 − μᵢ):
/// ```
/// information  I = XᵀWX = Σᵢ wᵢ xᵢ xᵢᵀ             (upper triangle, k(k+1)/2 sums)
/// score        U = Xᵀ(y − μ) = Σᵢ xᵢ (yᵢ − μᵢ)
/// deviance     D = 2 Σᵢ [log(1 + e^ηᵢ) − yᵢ ηᵢ]
/// ```
/// IRLS's weighted least-squares right-hand side is XᵀWz = Iβ + U (z = η + (y − μ)/w); the solver
/// uses the score U directly, which carries no cancellation.
public struct LogisticSums: Sendable, Equatable {
    public var rows: Int
    public var events: Int
    /// Iᵃᵇ for a ≤ b, in the order (0,0), (0,1), (1,1), (0,2), (1,2), (2,2), …: column-major upper triangle.
    public var information: [Double]
    public var score: [Double]
    public var deviance: Double

    public init(rows: Int, events: Int, information: [Double], score: [Double], deviance: Double) {
        self.rows = rows
        self.events = events
        self.information = information
        self.score = score
        self.deviance = deviance
    }

    /// The number of coefficients k: `information` holds k(k+1)/2 sums.
    public var parameters: Int { score.count }

    /// The position of Iᵃᵇ (a ≤ b) in ``information``.
    public static func packedIndex(_ a: Int, _ b: Int) -> Int { b * (b + 1) / 2 + a }

    /// The sums of the union of disjoint row sets: every entry added, in the order the parts are
    /// given (so the result's bits depend only on that order).
    public static func pooled(_ parts: [LogisticSums]) -> LogisticSums {
        precondition(!parts.isEmpty, "LogisticSums.pooled: no parts")
        var total = parts[0]
        for part in parts.dropFirst() {
            precondition(part.parameters == total.parameters, "LogisticSums.pooled: parts of different models")
            total.rows += part.rows
            total.events += part.events
            for j in total.information.indices { total.information[j] += part.information[j] }
            for j in total.score.indices { total.score[j] += part.score[j] }
            total.deviance += part.deviance
        }
        return total
    }
}

/// Maximum likelihood logistic regression from ``LogisticSums`` alone (issue 17): Newton-Raphson,
/// which for the logistic model is IRLS, with each iteration's sums supplied by `evaluate(β)`, which
/// may compute them anywhere (SQL aggregates in one or several databases).
///
/// Iteration: δ = I(β)⁻¹ U(β) by Cholesky (``Cholesky``), β ← β + δ; a step that raises the deviance
/// or makes it non-finite is halved, up to 20 times. Stopping rule as ``NewtonSolver``'s: the Newton
/// decrement λ = √(Uᵀ I⁻¹ U) = √(δᵀU) at most 1e-10 (β within 1e-10 standard errors of the maximum),
/// or, at the rounding floor of the sums, λ² ≤ 1e-10 (D + 1) once a full step no longer halves λ.
/// The covariance is I(β̂)⁻¹ at the returned estimate; Wald z = β̂ⱼ / SEⱼ.
public enum LogisticSumsFit {
    public struct Result: Sendable {
        public let coefficients: [Double]
        /// The inverse information at the estimate, k x k column-major (full).
        public let covariance: [Double]
        public let sums: LogisticSums
        public let iterations: Int
        public let newtonDecrement: Double

        public var standardErrors: [Double] { (0..<coefficients.count).map { covariance[$0 * coefficients.count + $0].squareRoot() } }

        /// The same fit with another covariance (k x k): a cluster-robust one (``ClusterRobust``).
        public func replacingCovariance(_ covariance: [Double]) -> Result {
            Result(coefficients: coefficients, covariance: covariance, sums: sums, iterations: iterations, newtonDecrement: newtonDecrement)
        }
        public var logLikelihood: Double { -sums.deviance / 2 }
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The information is not positive definite: a design column is constant or collinear with others.
        case singular(column: Int)
        case notConverged(iterations: Int, decrement: Double)
        case stepHalving(iteration: Int)

        public var description: String {
            switch self {
            case .singular(let column):
                return "the information matrix is singular at design column \(column + 1): a covariate is constant or a combination of others in the pooled rows"
            case .notConverged(let iterations, let decrement):
                return "no convergence in \(iterations) iterations (Newton decrement \(decrement)); separation or a very large coefficient is likely"
            case .stepHalving(let iteration):
                return "step halving failed at iteration \(iteration): the deviance did not decrease (separation is likely)"
            }
        }
    }

    /// - Parameters:
    ///   - parameters: k, the number of coefficients (design columns, intercept included).
    ///   - maxIterations: Newton iterations at most (one evaluation each, plus any halvings).
    ///   - start: the first β (default 0); the coefficients in `fixed` keep their values from it.
    ///   - fixed: coefficients held at their `start` values (a restricted fit for a likelihood-ratio
    ///     test or a profile, ``LogisticSumsFit``+Inference): the Newton step is taken over the
    ///     others, from the free rows and columns of I and U. In SQL a fixed coefficient is an
    ///     offset: the sums at the full β are those of the restricted model with that offset, and the
    ///     rows (complete cases of the full model) stay the same.
    ///   - evaluate: the sums at β (all k coefficients); errors it throws pass through.
    /// - Returns: the estimate; `covariance` is the inverse of the free coefficients' information,
    ///   zero in the rows and columns of fixed ones.
    public static func fit(parameters k: Int, maxIterations: Int = 25, start: [Double]? = nil, fixed: Set<Int> = [],
                           evaluate: ([Double]) throws -> LogisticSums) throws -> Result {
        var beta = start ?? [Double](repeating: 0, count: k)
        precondition(beta.count == k, "LogisticSumsFit.fit: start has \(beta.count) values for \(k) parameters")
        let free = (0..<k).filter { !fixed.contains($0) }, m = free.count
        var sums = try evaluate(beta)
        var previousDecrement = Double.infinity
        for iteration in 1...maxIterations {
            var factor = full(sums.information, free)
            if m > 0, let bad = Cholesky.factor(&factor, order: m) { throw Failure.singular(column: free[bad - 1]) }
            var step = free.map { sums.score[$0] }
            if m > 0 { Cholesky.solve(factor: factor, order: m, rhs: &step, count: 1) }
            var squared = 0.0
            for (c, j) in free.enumerated() { squared += step[c] * sums.score[j] }
            let decrement = max(squared, 0).squareRoot()
            let atFloor = squared <= 1e-10 * (abs(sums.deviance) + 1) && decrement > previousDecrement / 2
            if decrement <= 1e-10 || atFloor {
                if m > 0 { _ = Cholesky.invert(&factor, order: m) }
                let inverse = symmetric(factor, m)
                var covariance = [Double](repeating: 0, count: k * k)
                for (c, j) in free.enumerated() { for (r, i) in free.enumerated() { covariance[j * k + i] = inverse[c * m + r] } }
                return Result(coefficients: beta, covariance: covariance, sums: sums, iterations: iteration - 1, newtonDecrement: decrement)
            }
            previousDecrement = decrement
            var scale = 1.0
            var halvings = 0
            while true {
                var trial = beta
                for (c, j) in free.enumerated() { trial[j] = beta[j] + scale * step[c] }
                let next = try evaluate(trial)
                if next.deviance.isFinite, next.deviance <= sums.deviance + 1e-12 * (abs(sums.deviance) + 1) {
                    beta = trial
                    sums = next
                    break
                }
                halvings += 1
                guard halvings <= 20 else { throw Failure.stepHalving(iteration: iteration) }
                scale /= 2
            }
        }
        throw Failure.notConverged(iterations: maxIterations, decrement: previousDecrement)
    }

    /// The packed upper triangle's rows and columns `free` as a full m x m column-major upper
    /// triangle (Cholesky's input).
    static func full(_ packed: [Double], _ free: [Int]) -> [Double] {
        let m = free.count
        var matrix = [Double](repeating: 0, count: m * m)
        for (c, b) in free.enumerated() {
            for (r, a) in free.prefix(c + 1).enumerated() { matrix[c * m + r] = packed[LogisticSums.packedIndex(a, b)] }
        }
        return matrix
    }

    /// The upper triangle `Cholesky.invert` leaves, mirrored.
    static func symmetric(_ upper: [Double], _ k: Int) -> [Double] {
        var matrix = upper
        for c in 0..<k {
            for r in 0..<c { matrix[r * k + c] = upper[c * k + r] }
        }
        return matrix
    }
}

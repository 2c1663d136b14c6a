/// Likelihood-ratio tests and profile-likelihood intervals from aggregate sums alone (issue 17):
/// every restricted fit is a ``LogisticSumsFit/fit(parameters:maxIterations:start:fixed:evaluate:)``
/// with some coefficients held fixed, so inside a database each of its iterations is one more
/// aggregate query per site and no row moves. The definitions are the local fit's
/// (``LogisticFit/coefficientTests(_:)``, ``LogisticFit/termTests(_:coefficientTests:)``,
/// ``LogisticFit/profileIntervals(_:level:)``), for a maximum-likelihood fit without aliased columns
/// (the only kind the sums fit returns: a singular information is an error there):
///
/// - the test of a set of columns holds them at 0 and refits the others, χ² = D₀ − D̂ on as many df
///   as columns, P from χ²; a variable with one column reuses its coefficient's test;
/// - the limit of coefficient j solves r(b) = ±√(D(b) − D̂) = ±z, D(b) the deviance with βⱼ held at
///   b, found by the same bracketing and Illinois regula falsi (``ProfileSearch``), started at the
///   Wald distance z·SEⱼ and given up as infinite at 50 standard deviations of the column.
///
/// The restricted fits converge by the full fit's rule (Newton decrement ≤ 1e-10), so the
/// deviance of each is within about 1e-20 of its minimum; the statistics then agree with the local
/// fit's to the rounding of the sums, and each limit to the regula falsi's stopping rule
/// (|r − z| < 1e-9, a limit within about 1e-9 standard errors).
extension LogisticSumsFit {
    /// A model term for its likelihood-ratio test: a covariate and its design columns.
    public struct Term: Sendable, Equatable {
        public let name: String
        public let columns: [Int]

        public init(name: String, columns: [Int]) {
            self.name = name
            self.columns = columns
        }
    }

    /// The inference beside the Wald statistics: tests and intervals, each with its convergence.
    public struct Inference: Sendable {
        /// One per coefficient, intercept included (nil: not computed).
        public let coefficientTests: [LikelihoodRatioTest?]
        /// One per covariate, its columns together.
        public let termTests: [LikelihoodRatioTest]
        /// One per coefficient; nil: not computed (Wald), or a limit whose restricted fits failed.
        public let intervals: [ConfidenceInterval?]
    }

    /// The likelihood-ratio test of `columns` = 0: the model refitted with them held at 0.
    /// - Parameters:
    ///   - names: the coefficient names (for the test's description of the restricted model).
    ///   - evaluate: as the fit's: the sums at a full β.
    public static func likelihoodRatioTest(dropping columns: [Int], name: String, fitted: Result, names: [String], maxIterations: Int = 25,
                                           evaluate: ([Double]) throws -> LogisticSums) throws -> LikelihoodRatioTest {
        var start = fitted.coefficients
        for j in columns { start[j] = 0 }
        let kept = names.indices.filter { !columns.contains($0) }.map { names[$0] }
        let comparison = "model without \(name) vs full model"
        let restricted: Result
        do {
            restricted = try fit(parameters: start.count, maxIterations: maxIterations, start: start, fixed: Set(columns), evaluate: evaluate)
        } catch is Failure {
            return LikelihoodRatioTest(name: name, chiSquare: .nan, df: columns.count, p: .nan, converged: false, comparison: comparison,
                                       restrictedColumns: kept)
        }
        let chiSquare = max(0, 2 * (fitted.logLikelihood - restricted.logLikelihood))
        return LikelihoodRatioTest(name: name, chiSquare: chiSquare, df: columns.count, p: ChiSquare.survival(chiSquare, df: Double(columns.count)),
                                   converged: true, comparison: comparison, restrictedColumns: kept)
    }

    /// The profile-likelihood interval of coefficient `column` (see the extension's summary).
    /// - Parameter maximumDistance: the distance beyond which the profile counts as flat
    ///   (``profileReach(initial:)``).
    public static func profileInterval(_ column: Int, fitted: Result, level: Double, maximumDistance: Double, maxIterations: Int = 25,
                                       evaluate: ([Double]) throws -> LogisticSums) throws -> ConfidenceInterval {
        let target = ChiSquare.quantileOneDF(level).squareRoot()
        let se = fitted.standardErrors[column]
        let scale = se.isFinite && se > 0 ? se : 1
        let center = fitted.coefficients[column]
        var failure: Error?
        func side(_ direction: Double) -> Double {
            var warm = fitted.coefficients
            return ProfileSearch.bound(center: center, direction: direction, target: target, initialDistance: target * scale,
                                       maximumDistance: maximumDistance) { b in
                guard failure == nil else { return nil }
                warm[column] = b
                do {
                    let restricted = try fit(parameters: warm.count, maxIterations: maxIterations, start: warm, fixed: [column], evaluate: evaluate)
                    warm = restricted.coefficients
                    let root = max(0, 2 * (fitted.logLikelihood - restricted.logLikelihood)).squareRoot()
                    return b < center ? -root : root
                } catch is Failure {
                    return nil
                } catch {
                    failure = error
                    return nil
                }
            }
        }
        let lower = side(-1)
        let upper = failure == nil ? side(1) : .nan
        // An error of `evaluate` itself (a lost connection, a refusal) is not a failed fit: it passes through.
        if let failure { throw failure }
        return ConfidenceInterval(lower: lower, upper: upper, level: level, method: .profile)
    }

    /// Coefficient and term tests (with `likelihoodRatioTests`) and profile intervals (with
    /// `profile`; nil intervals otherwise), in the local `cohort logit`'s order: a coefficient's test
    /// for every coefficient, intercept included; a term with one column takes its coefficient's test.
    /// - Parameters:
    ///   - names: the coefficient names; `terms`: the covariates and their columns.
    ///   - reach: ``profileReach(initial:)``.
    public static func inference(fitted: Result, names: [String], terms: [Term], level: Double, likelihoodRatioTests: Bool, profile: Bool,
                                 reach: [Double], maxIterations: Int = 25, evaluate: ([Double]) throws -> LogisticSums) throws -> Inference {
        let k = fitted.coefficients.count
        var coefficientTests = [LikelihoodRatioTest?](repeating: nil, count: k)
        var termTests: [LikelihoodRatioTest] = []
        if likelihoodRatioTests {
            for j in 0..<k {
                coefficientTests[j] = try likelihoodRatioTest(dropping: [j], name: names[j], fitted: fitted, names: names,
                                                              maxIterations: maxIterations, evaluate: evaluate)
            }
            for term in terms {
                if term.columns.count == 1, let test = coefficientTests[term.columns[0]] {
                    termTests.append(test.named(term.name))
                } else {
                    termTests.append(try likelihoodRatioTest(dropping: term.columns, name: term.name, fitted: fitted, names: names,
                                                             maxIterations: maxIterations, evaluate: evaluate))
                }
            }
        }
        let intervals: [ConfidenceInterval?] = try profile
            ? (0..<k).map { try profileInterval($0, fitted: fitted, level: level, maximumDistance: reach[$0], maxIterations: maxIterations, evaluate: evaluate) }
            : Array(repeating: nil, count: k)
        return Inference(coefficientTests: coefficientTests, termTests: termTests, intervals: intervals)
    }

    /// The distance of each coefficient beyond which ``profileInterval(_:fitted:level:maximumDistance:maxIterations:evaluate:)``
    /// takes the profile to be flat, as the local ``Profiler`` sets it: 50 standard deviations of the
    /// column (population SD), and for the intercept (column 0) 50 (1 + Σ |meanₐ| / SDₐ).
    ///
    /// The means and SDs come from the sums at β = 0, which every fit evaluates first: there every
    /// wᵢ = 1/4, so 4 I is XᵀX (n, Σ x, Σ x² on its first row and diagonal). A zero spread counts as 1.
    public static func profileReach(initial sums: LogisticSums) -> [Double] {
        let k = sums.parameters
        let n = 4 * sums.information[LogisticSums.packedIndex(0, 0)]
        var mean = [1.0], scale = [1.0]
        for a in 1..<max(k, 1) {
            let m = 4 * sums.information[LogisticSums.packedIndex(0, a)] / n
            let variance = max(0, 4 * sums.information[LogisticSums.packedIndex(a, a)] / n - m * m)
            let spread = variance.squareRoot()
            mean.append(m)
            scale.append(spread > 0 && spread.isFinite ? spread : 1)
        }
        return (0..<k).map { j in
            j == 0 ? 50 * (1..<k).reduce(1.0) { $0 + abs(mean[$1]) / scale[$1] } : 50 / max(scale[j], .leastNormalMagnitude)
        }
    }
}

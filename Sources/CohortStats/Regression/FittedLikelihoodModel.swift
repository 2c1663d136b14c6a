#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A model fitted by (penalised) likelihood. Derived statistics are defined once, here.
///
/// Anything that needs another fit (the null model, profile intervals, likelihood-ratio tests) is an
/// explicit function returning its own result, never a lazy property.
public protocol FittedLikelihoodModel: Sendable {
    /// One per design column; NaN for aliased columns.
    var coefficients: [Double] { get }
    /// Column-major p x p; NaN in rows and columns of aliased coefficients.
    var covariance: [Double] { get }
    var coefficientNames: [String] { get }
    /// The (unpenalised) log-likelihood at the estimates.
    var logLikelihood: Double { get }
    /// Estimated parameters (the rank of the design).
    var degreesOfFreedom: Int { get }
    var nObservations: Int { get }
}

extension FittedLikelihoodModel {
    public var standardErrors: [Double] {
        let p = coefficients.count
        return (0..<p).map { covariance[$0 * p + $0].squareRoot() }
    }

    public var zStatistics: [Double] { zip(coefficients, standardErrors).map { $0 / $1 } }

    /// Two-sided Wald p-values.
    public var waldPValues: [Double] { zStatistics.map(Normal.twoSidedP) }

    public var aic: Double { -2 * logLikelihood + 2 * Double(degreesOfFreedom) }
    public var bic: Double { -2 * logLikelihood + log(Double(nObservations)) * Double(degreesOfFreedom) }

    public var oddsRatios: [Double] { coefficients.map { exp($0) } }

    /// estimate ± z₍₁₊ₗₑᵥₑₗ₎/₂ · SE on the log-odds scale.
    public func waldIntervals(level: Double = 0.95) -> [ConfidenceInterval] {
        let z = Normal.quantile((1 + level) / 2)
        return zip(coefficients, standardErrors).map { b, se in
            ConfidenceInterval(lower: b - z * se, upper: b + z * se, level: level, method: .wald)
        }
    }
}

/// An interval for one coefficient on the log-odds scale; an infinite bound is a real answer
/// (a profile that never reaches the cut-off), NaN means it could not be computed.
public struct ConfidenceInterval: Sendable, Equatable {
    public enum Method: String, Sendable, CaseIterable, Codable {
        case wald
        case profile
    }

    public let lower: Double
    public let upper: Double
    public let level: Double
    public let method: Method

    public init(lower: Double, upper: Double, level: Double, method: Method) {
        self.lower = lower
        self.upper = upper
        self.level = level
        self.method = method
    }
}

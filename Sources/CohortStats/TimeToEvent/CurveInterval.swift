#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Pointwise confidence intervals for a probability read off a survival or cumulative incidence
/// curve, from its standard error: R `survival`'s `conf.type` choices.
///
/// With p the estimate, se its standard error and z the normal (1 + level)/2 quantile:
/// ```
/// plain:    p ± z·se, cut to [0, 1]
/// log:      p·exp(± z·se/p), the upper limit cut to 1                      (R survfit's default)
/// log-log:  p^exp(± z·se/(p·log p)),  i.e.  exp(-exp(log(-log p) ∓ z·se/(p·log p)))
/// ```
/// The log-log limits come from a normal interval for log(-log p), whose delta-method standard error
/// is se/|p·log p|, transformed back; they always lie inside (0, 1) (Kalbfleisch & Prentice 2002,
/// §1.3; Collett 2015, §2.2.3). For a cumulative incidence F the same formula is used with p = F
/// (the interval `cmprsk` users compute from `cuminc`'s variance; Choudhury 2002).
/// This is `survival:::survfit_confint` with `logse = FALSE`, checked against `survfit` to 1e-12.
///
/// The log-log limits are undefined at p = 0 or 1 (a survival curve before its first event, a
/// cumulative incidence before its first event) and the log limits at p = 0, and a non-finite se
/// has none: then there is no interval (R's `survfit` gives NA) and
/// ``interval(estimate:standardError:level:)`` returns nil. A zero se otherwise gives [p, p]. (R's
/// `summary(survfit, times =)` reports (1, 1) for days before the first observed time, where the
/// value is known rather than estimated; ``CurveReading/interval(_:level:)`` does the same there.)
public enum CurveInterval: String, Sendable, CaseIterable, Codable {
    case logLog = "log-log"
    case log
    case plain

    /// The limits, or nil when they are not defined (see the type's discussion).
    public func interval(estimate p: Double, standardError se: Double, level: Double) -> (lower: Double, upper: Double)? {
        guard p.isFinite, se.isFinite, se >= 0 else { return nil }
        let z = Normal.quantile((1 + level) / 2)
        switch self {
        case .plain:
            return (max(p - z * se, 0), min(p + z * se, 1))
        case .log:
            guard p > 0 else { return nil }
            let half = z * se / p
            return (exp(ln(p) - half), min(exp(ln(p) + half), 1))
        case .logLog:
            guard p > 0, p < 1 else { return nil }
            let half = z * (se / p) / ln(p)
            return (exp(-exp(ln(-ln(p)) - half)), exp(-exp(ln(-ln(p)) + half)))
        }
    }

    /// How the interval is described in a table note.
    public var displayName: String {
        switch self {
        case .logLog: "log(-log) transformed"
        case .log: "log transformed"
        case .plain: "plain (untransformed, cut to [0, 1])"
        }
    }
}

/// The natural logarithm, under a name the enum case `log` does not shadow.
private func ln(_ x: Double) -> Double { log(x) }

import CohortData
import CohortStats

/// The fields every model's coefficient carries in JSON, in one order, so that `cohort logit`,
/// `cohort cox` and `cohort finegray` share one coefficient schema (docs/json.md): the term, the
/// estimate on the model's log scale with its SE, z and Wald P, the interval on that scale, the
/// ratio (odds, hazard or subdistribution hazard) with its interval, and how the interval was made.
enum CoefficientJSON {
    /// The keys of the ratio and its interval: `oddsRatio`/`orLower`/`orUpper` for logit.
    struct RatioKeys {
        let ratio: String, lower: String, upper: String
        static let odds = RatioKeys(ratio: "oddsRatio", lower: "orLower", upper: "orUpper")
        static let hazard = RatioKeys(ratio: "hazardRatio", lower: "hrLower", upper: "hrUpper")
        static let rate = RatioKeys(ratio: "rateRatio", lower: "rateRatioLower", upper: "rateRatioUpper")
        static let risk = RatioKeys(ratio: "riskRatio", lower: "riskRatioLower", upper: "riskRatioUpper")
    }

    /// - Parameters:
    ///   - estimate: nil for an aliased coefficient (every number then null).
    ///   - interval: nil when there is none (aliased, or it could not be computed).
    static func fields(term: String, estimate: Double?, stdError: Double?, z: Double?, p: Double?,
                       interval: ConfidenceInterval?, ratio keys: RatioKeys, method: ConfidenceInterval.Method, level: Double) -> [(String, JSONValue)] {
        fields(term: term, estimate: estimate, stdError: stdError, z: z, p: p, interval: interval.map { ($0.lower, $0.upper) },
               ratio: keys, method: method.rawValue, level: level)
    }

    /// The same fields for the linear and count models (issue 16): `ratio` nil leaves the ratio keys
    /// out (a linear model's coefficients are differences), `method` names the interval ("t" for a
    /// linear model's t-based interval, "wald"), and `z` holds estimate/SE (for a linear model, the
    /// t statistic).
    static func fields(term: String, estimate: Double?, stdError: Double?, z: Double?, p: Double?,
                       interval: (lower: Double, upper: Double)?, ratio keys: RatioKeys?, method: String, level: Double) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [
            ("term", .string(term)),
            ("estimate", .optionalNumber(estimate)),
            ("stdError", .optionalNumber(stdError)),
            ("z", .optionalNumber(z)),
            ("p", .optionalNumber(p)),
            ("ciLower", .optionalNumber(interval?.lower)),
            ("ciUpper", .optionalNumber(interval?.upper)),
        ]
        if let keys {
            fields += [
                (keys.ratio, .optionalNumber(estimate.map { PortableMath.exp($0) })),
                (keys.lower, .optionalNumber(interval.map { PortableMath.exp($0.lower) })),
                (keys.upper, .optionalNumber(interval.map { PortableMath.exp($0.upper) })),
            ]
        }
        return fields + [("ciMethod", .string(method)), ("ciLevel", .number(level))]
    }
}

/// Why a model could not be specified. Each message names the column (and line, where one applies)
/// and what was expected; the command line prints ``description`` as it is.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    case data(String)
    case outcomeNotBinary(source: String, column: String, values: [String])
    case outcomeNeedsEventLevel(source: String, column: String, levels: [String])
    case unknownEventLevel(source: String, column: String, level: String, levels: [String])
    case constantOutcome(column: String, value: String, n: Int)
    case nonNumericValue(source: String, line: Int, column: String, value: String)
    case unknownReferenceLevel(column: String, level: String, levels: [String])
    case referenceForNumericColumn(column: String)
    case singleLevel(column: String, level: String, n: Int)
    case duplicateCovariate(String)
    case outcomeAsCovariate(String)
    case noCompleteRows(source: String, n: Int)
    case tooFewObservations(n: Int, parameters: Int)
    /// A survival model with more coefficients than events: its partial likelihood cannot identify them.
    case tooFewEvents(events: Int, parameters: Int)
    case dimensionMismatch(String)
    case emptyDesign
    /// The information matrix is not positive definite at the starting values (Firth's penalty
    /// needs its determinant), so the model cannot be fitted as specified.
    case singularInformation(method: String)
    /// A linear, Poisson or negative binomial outcome that is not numeric.
    case outcomeNotNumeric(source: String, column: String)
    /// A value of a column that must meet a rule (a count outcome, a positive exposure, a
    /// non-negative weight): where it is and what was expected.
    case invalidValue(source: String, line: Int, column: String, value: String, expected: String)
    /// A column (weights, exposure, offset) that must be numeric is text.
    case columnNotNumeric(column: String, role: String)

    /// Options are written `{event}`, `{factor=sex=M}`: the name of the analysis request's field,
    /// which each front end writes its own way (`--event`, `'event'`; `CohortStudy.FieldNames`).
    public var description: String {
        switch self {
        case .data(let message):
            message
        case .outcomeNotBinary(let source, let column, let values):
            "\(source): outcome '\(column)' is not binary: it has \(values.count) distinct values (\(Self.list(values))); expected 0/1, true/false, yes/no or two levels"
        case .outcomeNeedsEventLevel(let source, let column, let levels):
            "\(source): outcome '\(column)' has levels \(Self.list(levels)); say which one is the event with {event}"
        case .unknownEventLevel(let source, let column, let level, let levels):
            "\(source): outcome '\(column)' has no level '\(level)'; its values are \(Self.list(levels))"
        case .constantOutcome(let column, let value, let n):
            value == "0"
                ? "outcome '\(column)' has no events: all \(n) complete rows are 0; a logistic model needs both outcomes"
                : "outcome '\(column)' is constant: all \(n) complete rows are \(value); a logistic model needs both outcomes"
        case .nonNumericValue(let source, let line, let column, let value):
            "\(source):\(line): column '\(column)': '\(value)' is not a number (the column's other values are numeric)"
        case .unknownReferenceLevel(let column, let level, let levels):
            "{factor=\(column)=\(level)}: '\(column)' has no level '\(level)'; its levels are \(Self.list(levels))"
        case .referenceForNumericColumn(let column):
            "{factor=\(column)=...}: '\(column)' is numeric, so it has no reference level; only text columns are categorical"
        case .singleLevel(let column, let level, let n):
            "covariate '\(column)' takes the single value '\(level)' in all \(n) complete rows; there is nothing to estimate"
        case .duplicateCovariate(let column):
            "covariate '\(column)' is listed more than once"
        case .outcomeAsCovariate(let column):
            "'\(column)' is the outcome and cannot also be a covariate"
        case .noCompleteRows(let source, let n):
            n == 0
                ? "\(source): the file has a header but no data rows; nothing to fit"
                : "\(source): none of the \(n) rows is complete for the outcome and covariates; nothing to fit"
        case .tooFewObservations(let n, let parameters):
            "the model has \(parameters) parameters but only \(n) complete observations; it cannot be estimated"
        case .tooFewEvents(let events, let parameters):
            "the model has \(parameters) coefficients but only \(events) \(events == 1 ? "event" : "events"); it cannot be estimated (use fewer covariates)"
        case .dimensionMismatch(let message):
            "dimension mismatch: \(message)"
        case .emptyDesign:
            "the model has no columns"
        case .outcomeNotNumeric(let source, let column):
            "\(source): outcome '\(column)' is not numeric; this model needs a numeric outcome"
        case .invalidValue(let source, let line, let column, let value, let expected):
            "\(source):\(line): column '\(column)': '\(value)' is not allowed: \(expected)"
        case .columnNotNumeric(let column, let role):
            "the \(role) column '\(column)' is not numeric"
        case .singularInformation(let method):
            "the \(method) fit cannot start: the information matrix is singular at the starting values (a covariate with no spread, or values so large that XᵀWX overflows)"
        }
    }

    static func list(_ values: [String]) -> String {
        let shown = values.prefix(8).map { "'\($0)'" }.joined(separator: ", ")
        return values.count > 8 ? shown + ", …" : shown
    }
}

/// How a column is summarised and compared: as categories, as a measurement, as dates, or as free
/// text that is neither.
public enum VariableRole: String, Sendable, Equatable {
    case categorical
    case continuous
    case date
    case freeText = "free text"
}

extension Column {
    /// The column's role among `rows` (missing values already left out).
    ///
    /// A codebook's type decides when there is one: binary, grade and categorical are categories,
    /// integer, real and day are measurements. Without a codebook a text column is categorical and a
    /// number column holding at most `maximumInferredLevels` distinct whole values is too (0/1 flags,
    /// grades); other number columns are measurements. The threshold is gtsummary's habit of
    /// treating a few whole values as categories, kept small so a short day count stays a measurement.
    public func role(among rows: [Int], maximumInferredLevels: Int = 5) -> VariableRole {
        switch variable?.type {
        case .binary?, .grade?, .categorical?: return .categorical
        case .integer?, .real?, .day?: return .continuous
        case .date?: return .date
        case .text?, .identifier?: return .freeText
        case nil: break
        }
        switch storage {
        case .text: return .categorical
        case .numeric(let values):
            var distinct = Set<Double>()
            for row in rows {
                let value = values[row]
                guard value == value.rounded() else { return .continuous }
                distinct.insert(value)
                if distinct.count > maximumInferredLevels { return .continuous }
            }
            return .categorical
        }
    }
}

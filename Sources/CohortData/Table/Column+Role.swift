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

extension Column {
    /// Whether this is a text column meant to hold numbers, with entries that are not numbers: at
    /// least 9 in 10 of its values are numbers (the rule `cohort codebook` types a column by), or
    /// every value that is not a number is a spelling the reader refuses on purpose (`inf`, `NaN`
    /// in lower case, `0x1A`, `1e400`; issue 12). Such a column is numbers with entry errors to
    /// report, not categories.
    public func holdsNumbersWithStrays(decimalComma: Bool = false) -> Bool {
        guard case .text(let codes, let levels) = storage, numericLikeCount > 0, firstNonNumeric != nil else { return false }
        var used = [Bool](repeating: false, count: levels.count)
        var present = 0
        for code in codes where code >= 0 {
            used[Int(code)] = true
            present += 1
        }
        if numericLikeCount * 10 >= present * 9 { return true }
        return levels.indices.allSatisfy { level in
            !used[level] || NumberParser.parse(levels[level], decimalComma: decimalComma) != nil
                || NumberParser.isRefusedNumber(levels[level], decimalComma: decimalComma)
        }
    }
}

import ArgumentParser
import CohortStudy

/// Column names given as a comma-separated list and as repeatable single options (for names that
/// contain commas), in that order, spaces around each name trimmed.
enum ColumnList {
    static func merge(_ commaSeparated: String?, _ single: [String]) -> [String] {
        (commaSeparated.map { $0.split(separator: ",").map { String($0).trimmingSpaces() } } ?? []) + single
    }
}

extension KeyValueList {
    /// `NAME=VALUE` options (each may be repeated or hold several, comma-separated), or a usage
    /// error naming the option and the form expected.
    static func commandLine(_ texts: [String], option: String, example: String, splittingCommas: Bool = true) throws -> KeyValueList {
        switch parse(texts, splittingCommas: splittingCommas) {
        case .success(let list): return list
        case .failure(let failure): throw ValidationError("\(option) expects \(example), got '\(failure.text)'")
        }
    }
}

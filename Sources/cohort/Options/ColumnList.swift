/// Column names given as a comma-separated list and as repeatable single options (for names that
/// contain commas), in that order, spaces around each name trimmed.
enum ColumnList {
    static func merge(_ commaSeparated: String?, _ single: [String]) -> [String] {
        (commaSeparated.map { $0.split(separator: ",").map { String($0).trimmingSpaces() } } ?? []) + single
    }
}

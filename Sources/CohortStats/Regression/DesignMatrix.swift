/// A model matrix: one row an observation, one column a coefficient, stored column-major so that
/// each column is one contiguous run that the kernels of `OrderedKernels` read in place.
public struct DesignMatrix: Sendable {
    /// Column-major `rowCount x columnCount` values.
    public let values: [Double]
    public let rowCount: Int
    public let columnNames: [String]
    /// The variables behind the columns, in column order.
    public let terms: [ModelTerm]

    public var columnCount: Int { columnNames.count }
    public var hasIntercept: Bool { terms.contains { $0.kind == .intercept } }

    public init(values: [Double], rowCount: Int, columnNames: [String], terms: [ModelTerm]) {
        precondition(values.count == rowCount * columnNames.count, "design values do not match its dimensions")
        self.values = values
        self.rowCount = rowCount
        self.columnNames = columnNames
        self.terms = terms
    }

    /// The term that owns column `column`.
    public func term(ofColumn column: Int) -> ModelTerm {
        terms.first { $0.columns.contains(column) }!
    }
}

/// A variable of the model and the design columns it occupies.
public struct ModelTerm: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case intercept
        /// A number used as it is (binary 0/1 variables included).
        case numeric
        /// Treatment coding: one indicator column per level other than `reference`.
        case categorical(reference: String, levels: [String])
    }

    public let name: String
    public let kind: Kind
    public let columns: Range<Int>

    public init(name: String, kind: Kind, columns: Range<Int>) {
        self.name = name
        self.kind = kind
        self.columns = columns
    }

    /// `NAME[LEVEL]`, the name of a categorical level's column.
    public static func levelColumnName(_ variable: String, _ level: String) -> String { "\(variable)[\(level)]" }
    public static let interceptName = "(Intercept)"
}

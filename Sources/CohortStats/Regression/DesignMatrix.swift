import CohortData

/// A model matrix: one row an observation, one column a coefficient, stored column-major so that
/// each column is one contiguous run that the kernels of `OrderedKernels` read in place.
public struct DesignMatrix: Sendable {
    /// Column-major `rowCount x columnCount` values.
    public let values: [Double]
    public let rowCount: Int
    public let columnNames: [String]
    /// The variables behind the columns, in column order.
    public let terms: [ModelTerm]
    /// How the columns were coded from the data, when the design was built from a table (a
    /// design given as numbers has none): builds rows for values not in the data.
    public let recipe: DesignRecipe?

    public var columnCount: Int { columnNames.count }
    public var hasIntercept: Bool { terms.contains { $0.kind == .intercept } }

    public init(values: [Double], rowCount: Int, columnNames: [String], terms: [ModelTerm], recipe: DesignRecipe? = nil) {
        precondition(values.count == rowCount * columnNames.count, "design values do not match its dimensions")
        self.recipe = recipe
        self.values = values
        self.rowCount = rowCount
        self.columnNames = columnNames
        self.terms = terms
    }

    /// The same rows without the columns `removed` (a term's), the other terms' ranges renumbered:
    /// the smaller model of a test of that term.
    public func removing(columns removed: Range<Int>) -> DesignMatrix {
        let kept = (0..<columnCount).filter { !removed.contains($0) }
        var keptValues: [Double] = []
        keptValues.reserveCapacity(rowCount * kept.count)
        for j in kept { keptValues += values[(j * rowCount)..<((j + 1) * rowCount)] }
        var reduced: [ModelTerm] = []
        var start = 0
        for t in terms where t.columns != removed {
            reduced.append(ModelTerm(name: t.name, kind: t.kind, columns: start..<(start + t.columns.count), factors: t.factors))
            start += t.columns.count
        }
        return DesignMatrix(values: keptValues, rowCount: rowCount, columnNames: kept.map { columnNames[$0] }, terms: reduced)
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
        /// `rcs(x, k)`: x and k − 2 restricted cubic spline columns at these knots.
        case spline(knots: [Double])
        /// A product of two or more factors (`age:smoke`, `smoke:race[black]`).
        case interaction
    }

    public let name: String
    public let kind: Kind
    public let columns: Range<Int>
    /// The formula factors whose product the term is: one for a main effect, two or more for an
    /// interaction (`["age", "smoke"]` for `age:smoke`).
    public let factors: [String]

    public init(name: String, kind: Kind, columns: Range<Int>, factors: [String]? = nil) {
        self.name = name
        self.kind = kind
        self.columns = columns
        self.factors = factors ?? [name]
    }

    /// Whether a higher-order term of `terms` contains this one (`age` in `age:smoke`): R's
    /// `drop1` does not drop such a term on its own (marginality).
    public func isMarginal(in terms: [ModelTerm]) -> Bool {
        terms.contains { $0.factors.count > factors.count && factors.allSatisfy($0.factors.contains) }
    }

    /// `NAME[LEVEL]`, the name of a categorical level's column.
    public static func levelColumnName(_ variable: String, _ level: String) -> String { "\(variable)[\(level)]" }
    public static let interceptName = "(Intercept)"
}

/// How a design codes its factors, kept with it so that a row can be built for covariate values that
/// are not in the data: predictions at given values (`--at age=60,sex=F`), profiles of a
/// cumulative incidence, marginal standardisation.
public struct DesignRecipe: Sendable {
    public enum Coding: Sendable {
        case numeric
        case categorical(reference: String, levels: [String])
        case spline(RestrictedCubicSpline)
    }

    public struct Factor: Sendable {
        public let factor: ModelFormula.Factor
        public let coding: Coding
        /// How many design columns the factor has on its own.
        public var columnCount: Int {
            switch coding {
            case .numeric: 1
            case .categorical(_, let levels): levels.count - 1
            case .spline(let spline): spline.columnCount
            }
        }
    }

    public let factors: [Factor]
    /// For each design column after the intercept: the factor columns whose product it is.
    public let products: [[FactorColumn]]
    public let intercept: Bool

    public struct FactorColumn: Sendable, Equatable {
        public let factor: Int
        public let column: Int
    }

    /// The columns the values must name (each factor's variables, in order of first use).
    public var variables: [String] {
        var names: [String] = []
        for f in factors { for name in f.factor.variables where !names.contains(name) { names.append(name) } }
        return names
    }

    /// Why a row cannot be built from the values given.
    public struct RowError: Error, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The design row of one set of covariate values, coded as the fitted design codes its rows
    /// (the same reference levels and knots; transforms evaluated by the same formula language).
    /// - Parameter values: a value for each of ``variables``: a number, or a level of a text column.
    public func row(at values: [String: String]) throws(RowError) -> [Double] {
        for name in values.keys.sorted() where !variables.contains(name) {
            throw RowError(message: "names '\(name)', which is not a variable of the model (\(variables.joined(separator: ", ")))")
        }
        for name in variables where values[name] == nil {
            throw RowError(message: "gives no value for '\(name)': give every variable of the model (\(variables.joined(separator: ", ")))")
        }
        let columns = try factors.map { f throws(RowError) in try Self.columns(of: f, values: values) }
        var row = intercept ? [1.0] : []
        for product in products {
            row.append(product.reduce(1.0) { $0 * columns[$1.factor][$1.column] })
        }
        return row
    }

    private static func number(_ name: String, _ values: [String: String]) throws(RowError) -> Double {
        guard let text = values[name], let x = Double(text), x.isFinite else {
            throw RowError(message: "gives '\(name)' the value '\(values[name] ?? "")', which is not a number ('\(name)' is numeric)")
        }
        return x
    }

    private static func columns(of f: Factor, values: [String: String]) throws(RowError) -> [Double] {
        switch (f.factor, f.coding) {
        case (.variable(let name), .numeric):
            return [try number(name, values)]
        case (.variable(let name), .categorical(let reference, let levels)),
             (.transform(let name, _), .categorical(let reference, let levels)) where values[name] != nil:
            let given = values[name]!
            guard levels.contains(given) else { throw RowError(message: "gives '\(name)' the level '\(given)'; its levels are \(levels.joined(separator: ", "))") }
            return levels.filter { $0 != reference }.map { $0 == given ? 1 : 0 }
        case (.spline(let name, _), .spline(let spline)):
            let x = try number(name, values)
            return (0..<spline.columnCount).map { spline.value(x, column: $0) }
        case (.transform(let text, let formula), let coding):
            // The formula evaluated on a one-row table of the values given.
            var columns: [Column] = []
            for name in formula.expression.columnNames {
                let given = values[name]!
                if let x = Double(given), x.isFinite {
                    columns.append(Column(name: name, storage: .numeric([x])))
                } else {
                    columns.append(Column(name: name, storage: .text(codes: [0], levels: [given])))
                }
            }
            let table = DataTable(source: "the values given", columns: columns, lineNumbers: [1])
            let computed: Column
            do { computed = try table.evaluating(formula, name: text).column } catch { throw RowError(message: "gives values for which the model term \(error.description)") }
            switch (computed.storage, coding) {
            case (.numeric(let x), .numeric) where !x[0].isNaN:
                return [x[0]]
            case (.text(let codes, let levels), .categorical(let reference, let known)) where codes[0] >= 0:
                let level = levels[Int(codes[0])]
                guard known.contains(level) else { throw RowError(message: "gives \(text) the level '\(level)'; its levels are \(known.joined(separator: ", "))") }
                return known.filter { $0 != reference }.map { $0 == level ? 1 : 0 }
            default:
                throw RowError(message: "gives values for which the model term \(text) is undefined")
            }
        default:
            throw RowError(message: "gives values from which \(f.factor.name) cannot be coded")
        }
    }
}

import CohortData

/// Turns a model formula and a table into design columns: intercept, numbers, treatment-coded
/// levels, restricted cubic splines, transformed columns and their interactions. Every regression
/// (logistic, Cox, Fine-Gray, the GLMs) builds its design here, so a term means the same in each.
///
/// Two steps, because the rows used are known only between them: ``resolve(_:formula:referenceLevels:outcomes:)``
/// checks the formula against the table and computes what does not depend on the rows (transformed
/// columns, spline knots from every non-missing value, as R evaluates `rcs()` before dropping
/// incomplete rows); ``build(_:rows:intercept:)`` fills the column-major buffer for the rows used.
enum DesignBuilder {
    /// A factor of the formula, resolved against the table.
    struct ResolvedFactor {
        let factor: ModelFormula.Factor
        /// The values it codes: the table's column, or a transform's computed column.
        let column: Column
        /// The knots of a spline factor.
        let spline: RestrictedCubicSpline?
    }

    /// The formula checked against a table.
    struct Resolved {
        let terms: [ModelFormula.Term]
        let factors: [ResolvedFactor]
        /// The columns whose missing values exclude a row, in the order a reason is named.
        let completeCaseColumns: [Column]
        let referenceLevels: [String: String]

    }

    /// The covariates' columns of an additive model (`--covariates`), checked as before formulas
    /// existed: none repeated or also an outcome column (the response, or a survival model's time
    /// and status).
    static func resolve(_ table: DataTable, covariates: [String], referenceLevels: [String: String], outcomes: [String]) throws(ModelError) -> Resolved {
        var seen = Set<String>()
        for name in covariates {
            if outcomes.contains(name) { throw .outcomeAsCovariate(name) }
            if !seen.insert(name).inserted { throw .duplicateCovariate(name) }
        }
        return try resolve(table, formula: ModelFormula(response: nil, covariates: covariates), referenceLevels: referenceLevels, outcomes: outcomes)
    }

    /// Checks the formula against the table: every column exists and none is an outcome column,
    /// every reference level is on a text column the formula uses as a factor, no text column is
    /// mostly numbers (a typo, not categories), splines are of numbers, and a categorical factor
    /// in an interaction has its margin in the formula (else R would code it with every level, a
    /// coding not offered here).
    static func resolve(_ table: DataTable, formula: ModelFormula, referenceLevels: [String: String], outcomes: [String]) throws(ModelError) -> Resolved {
        for name in formula.variables where outcomes.contains(name) { throw .outcomeAsCovariate(name) }
        var factors: [ResolvedFactor] = []
        var completeCase: [Column] = []
        func needs(_ column: Column) { if !completeCase.contains(where: { $0.name == column.name }) { completeCase.append(column) } }
        for term in formula.terms {
            for factor in term.factors where !factors.contains(where: { $0.factor == factor }) {
                switch factor {
                case .variable(let name):
                    let column = try lookup(table, name)
                    try rejectStrayText(column, in: table)
                    needs(column)
                    factors.append(ResolvedFactor(factor: factor, column: column, spline: nil))
                case .spline(let name, let knots):
                    let column = try lookup(table, name)
                    guard case .numeric(let values) = column.storage else {
                        throw .data("\(factor.name): '\(name)' is not numeric; a spline needs a number a row")
                    }
                    needs(column)
                    let placed: [Double]
                    switch knots {
                    case .given(let given): placed = given
                    case .count(let k):
                        do { placed = try RestrictedCubicSpline.defaultKnots(count: k, values: values) } catch {
                            switch error {
                            case .tooFewValues(let n):
                                throw .data("\(factor.name): '\(name)' has \(n) non-missing values; default knots need at least 6 (give the knots: rcs(\(name), c(a, b, c)))")
                            case .tooFewDistinctKnots(let at):
                                throw .data("\(factor.name): the default knots of '\(name)' are not distinct (\(at.map(NumberText.shortest).joined(separator: ", "))): too many tied values; give the knots, rcs(\(name), c(a, b, c)), or use fewer")
                            }
                        }
                    }
                    factors.append(ResolvedFactor(factor: factor, column: column, spline: RestrictedCubicSpline(knots: placed)))
                case .transform(let text, let derived):
                    let inputs = try derived.expression.columnNames.map { name throws(ModelError) in try lookup(table, name) }
                    inputs.forEach(needs)
                    let computed: Column
                    do { computed = try table.evaluating(derived, name: text).column } catch { throw .data("model term \(error.description)") }
                    // A value that is undefined where its inputs are present (log of 0) is an error, as in glm.
                    if case .numeric(let values) = computed.storage {
                        for row in 0..<table.rowCount where values[row].isNaN && !inputs.contains(where: { $0.isMissing(row) }) {
                            let given = inputs.map { "\($0.name) = \($0.displayValue(row))" }.joined(separator: ", ")
                            throw .data("\(table.source):\(table.lineNumbers[row]): model term \(text) is undefined for \(given)")
                        }
                    }
                    needs(computed)
                    factors.append(ResolvedFactor(factor: factor, column: computed, spline: nil))
                }
            }
        }
        let variableFactors = Set(formula.terms.flatMap(\.factors).compactMap { f -> String? in if case .variable(let name) = f { return name } else { return nil } })
        for name in referenceLevels.keys.sorted() {
            // A reference level for a column that is not a covariate still names a real column.
            let column = try lookup(table, name)
            if variableFactors.contains(name), case .numeric = column.storage { throw .referenceForNumericColumn(column: name) }
        }
        // R's rule for coding a factor inside an interaction: by contrasts when the term without
        // it is also in the model (the intercept counts as the empty term).
        for term in formula.terms where term.factors.count > 1 {
            for factor in term.factors {
                guard let resolved = factors.first(where: { $0.factor == factor }), case .text = resolved.column.storage else { continue }
                let margin = term.factors.filter { $0 != factor }
                let present = formula.terms.contains { $0.factors.count == margin.count && margin.allSatisfy($0.factors.contains) }
                if !present {
                    throw .data("the interaction \(term.name) needs the term \(margin.map(\.name).joined(separator: ":")) in the formula too (R would code '\(factor.name)' with all its levels there, which is not offered): write \(term.factors.map(\.name).joined(separator: " * "))")
                }
            }
        }
        return Resolved(terms: formula.terms, factors: factors, completeCaseColumns: completeCase, referenceLevels: referenceLevels)
    }

    static func lookup(_ table: DataTable, _ name: String) throws(ModelError) -> Column {
        do { return try table.column(named: name) } catch { throw .data(error.description) }
    }

    /// A text column whose values are mostly numbers has a typo, not categories: say where.
    private static func rejectStrayText(_ column: Column, in table: DataTable) throws(ModelError) {
        guard case .text(let codes, _) = column.storage, let stray = column.firstNonNumeric else { return }
        let nonMissing = codes.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        if column.numericLikeCount > 0, column.numericLikeCount * 2 >= nonMissing {
            throw .nonNumericValue(source: table.source, line: Int(table.lineNumbers[stray.row]), column: column.name, value: stray.value)
        }
    }

    /// What one design column of a factor holds, before products are taken.
    private enum Source {
        case numeric([Double])
        case indicator(codes: [Int32], code: Int32)
        case spline(values: [Double], spline: RestrictedCubicSpline, index: Int)
    }

    /// A factor's columns for the rows used: names and sources.
    private struct FactorColumns {
        var names: [String]
        var sources: [Source]
        var coding: ModelTerm.Kind
    }

    private static func columns(of resolved: ResolvedFactor, rows: [Int], referenceLevels: [String: String]) throws(ModelError) -> FactorColumns {
        let column = resolved.column
        let name = resolved.factor.name
        if let spline = resolved.spline, case .numeric(let values) = column.storage {
            guard case .spline(let variable, _) = resolved.factor else { preconditionFailure("a spline factor") }
            return FactorColumns(names: spline.columnNames(variable: variable),
                                 sources: (0..<spline.columnCount).map { .spline(values: values, spline: spline, index: $0) },
                                 coding: .spline(knots: spline.knots))
        }
        switch column.storage {
        case .numeric(let values):
            return FactorColumns(names: [name], sources: [.numeric(values)], coding: .numeric)
        case .text(let codes, let levels):
            var used = [Bool](repeating: false, count: levels.count)
            for row in rows { used[Int(codes[row])] = true }
            // A codebook's level order stands (its first level is the reference); otherwise sorted.
            let observed = levels.indices.filter { used[$0] }.map { levels[$0] }
            let present = column.hasDeclaredLevelOrder
                ? observed : observed.sorted(by: { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) })
            let reference = referenceLevels[name] ?? present[0]
            guard present.contains(reference) else {
                throw .unknownReferenceLevel(column: name, level: reference, levels: present)
            }
            guard present.count >= 2 else { throw .singleLevel(column: name, level: present[0], n: rows.count) }
            let others = present.filter { $0 != reference }
            return FactorColumns(names: others.map { ModelTerm.levelColumnName(name, $0) },
                                 sources: others.map { .indicator(codes: codes, code: Int32(levels.firstIndex(of: $0)!)) },
                                 coding: .categorical(reference: reference, levels: present))
        }
    }

    /// - Parameter intercept: false for a model whose baseline takes the intercept's place (Cox, Fine-Gray).
    static func build(_ resolved: Resolved, rows: [Int], intercept: Bool = true) throws(ModelError) -> DesignMatrix {
        let n = rows.count
        var names = intercept ? [ModelTerm.interceptName] : []
        var terms = intercept ? [ModelTerm(name: ModelTerm.interceptName, kind: .intercept, columns: 0..<1)] : []
        // Each design column: the product of one source of each factor of its term (one for a main effect).
        var products: [[Source]] = []
        var recipeProducts: [[DesignRecipe.FactorColumn]] = []
        let factorColumns = try resolved.factors.map { factor throws(ModelError) in
            try columns(of: factor, rows: rows, referenceLevels: resolved.referenceLevels)
        }
        for term in resolved.terms {
            let start = names.count
            let parts = term.factors.map { f in factorColumns[resolved.factors.firstIndex { $0.factor == f }!] }
            // R's order: the first factor's columns vary fastest.
            var combos: [[Int]] = [[]]
            for part in parts {
                combos = (0..<part.names.count).flatMap { j in combos.map { $0 + [j] } }
            }
            let factorIndex = term.factors.map { f in resolved.factors.firstIndex { $0.factor == f }! }
            for combo in combos {
                names.append(zip(parts, combo).map { $0.names[$1] }.joined(separator: ":"))
                products.append(zip(parts, combo).map { $0.sources[$1] })
                recipeProducts.append(zip(factorIndex, combo).map { DesignRecipe.FactorColumn(factor: $0, column: $1) })
            }
            let kind: ModelTerm.Kind = parts.count == 1 ? parts[0].coding : .interaction
            terms.append(ModelTerm(name: term.name, kind: kind, columns: start..<names.count, factors: term.factors.map(\.name)))
        }
        let columnCount = names.count
        let values = [Double](unsafeUninitializedCapacity: n * columnCount) { buffer, count in
            let base = buffer.baseAddress!
            if intercept { for i in 0..<n { base[i] = 1 } }
            for (k, product) in products.enumerated() {
                let target = base + (k + (intercept ? 1 : 0)) * n
                for (f, source) in product.enumerated() {
                    fill(target, source: source, rows: rows, multiply: f > 0)
                }
            }
            count = n * columnCount
        }
        let codings = zip(resolved.factors, factorColumns).map { factor, columns -> DesignRecipe.Factor in
            let coding: DesignRecipe.Coding
            switch columns.coding {
            case .categorical(let reference, let levels): coding = .categorical(reference: reference, levels: levels)
            case .spline: coding = .spline(factor.spline!)
            default: coding = .numeric
            }
            return DesignRecipe.Factor(factor: factor.factor, coding: coding)
        }
        let recipe = DesignRecipe(factors: codings, products: recipeProducts, intercept: intercept)
        return DesignMatrix(values: values, rowCount: n, columnNames: names, terms: terms, recipe: recipe)
    }

    /// Writes (or multiplies into, for the second and later factors of an interaction) one column.
    private static func fill(_ target: UnsafeMutablePointer<Double>, source: Source, rows: [Int], multiply: Bool) {
        switch source {
        case .numeric(let column):
            column.withUnsafeBufferPointer { c in
                if multiply { for (i, row) in rows.enumerated() { target[i] *= c[row] } } else { for (i, row) in rows.enumerated() { target[i] = c[row] } }
            }
        case .indicator(let codes, let code):
            codes.withUnsafeBufferPointer { c in
                if multiply { for (i, row) in rows.enumerated() where c[row] != code { target[i] = 0 } } else { for (i, row) in rows.enumerated() { target[i] = c[row] == code ? 1 : 0 } }
            }
        case .spline(let values, let spline, let index):
            values.withUnsafeBufferPointer { c in
                if multiply { for (i, row) in rows.enumerated() { target[i] *= spline.value(c[row], column: index) } } else { for (i, row) in rows.enumerated() { target[i] = spline.value(c[row], column: index) } }
            }
        }
    }
}

/// A row filter: `--where 'age >= 18 and disease == "LBCL"'` on a command, `where:` in a study file.
///
/// The condition is a formula (``DerivedFormula``) evaluated after the derived variables, so it may
/// use them and the per-patient tables' columns. A row is kept where the condition is 1 and dropped
/// where it is 0 **or missing**, as `dplyr::filter` and SQL's `WHERE` do (base R's `x[cond, ]`
/// would instead keep a row of NAs): `age >= 18` drops the rows without an age. The condition must
/// be 0/1 (a comparison, `and`/`or`/`not`, or a binary column): `--where age` is refused rather
/// than read as "age is not 0".
///
/// This is the one place rows are filtered; the loader applies it (``CohortLoader``) and says how
/// many rows were kept and dropped (``Outcome``), which commands print and study reports record.
public struct RowFilter: Sendable, Equatable {
    public let formula: DerivedFormula
    /// Where it was written, the prefix of its messages: `--where`, or `study.yaml:4: where`.
    public let origin: String

    public init(formula: DerivedFormula, origin: String) {
        self.formula = formula
        self.origin = origin
    }

    /// Parses `text`.
    /// - Throws: ``DataError/rowFilter(origin:message:)`` with the character position of a syntax error.
    public static func parse(_ text: String, origin: String) throws(DataError) -> RowFilter {
        do throws(FormulaSyntaxError) {
            return RowFilter(formula: try DerivedFormula.parse(text), origin: origin)
        } catch {
            throw .rowFilter(origin: origin, message: "\(error) in '\(text)'")
        }
    }

    /// What the filter did.
    public struct Outcome: Sendable, Equatable {
        /// The condition in its canonical spelling.
        public let condition: String
        public let rowsRead: Int
        public let kept: Int
        /// Dropped where the condition is 0, and where it is missing.
        public let droppedFalse: Int
        public let droppedMissing: Int

        public var dropped: Int { droppedFalse + droppedMissing }

        /// `kept 100 of 127 rows, dropped 27 (20 where the condition is 0, 7 where it is missing)`.
        public var counts: String {
            "kept \(kept) of \(rowsRead) rows, dropped \(dropped) (\(droppedFalse) where the condition is 0, \(droppedMissing) where it is missing)"
        }
    }

    /// The rows of `table` the condition keeps, in order, and the counts.
    /// - Throws: ``DataError/rowFilter(origin:message:)`` when the condition cannot be computed, is
    ///   not 0/1, or keeps no row.
    public func apply(to table: DataTable, codebook: Codebook?) throws(DataError) -> (rows: [Int], outcome: Outcome) {
        // Identifiers are withheld from the table: name them as such, not as unknown columns.
        if let identifier = formula.expression.columnNames.first(where: table.withheldIdentifiers.contains) {
            throw .rowFilter(origin: origin, message: "'\(identifier)' is an identifier; identifiers are never analysed")
        }
        var evaluation = DerivedEvaluation(codebook: codebook ?? Codebook(source: table.source, variables: []), linked: table.linkedTables)
        let values: [Double]
        do throws(DerivedEvaluation.EvaluationError) {
            values = try evaluation.condition(formula.expression, columns: table.columns, rowCount: table.rowCount)
        } catch {
            throw .rowFilter(origin: origin, message: error.message)
        }
        var rows: [Int] = []
        var missing = 0
        for (r, value) in values.enumerated() {
            if value.isNaN { missing += 1 } else if value != 0 { rows.append(r) }
        }
        let outcome = Outcome(condition: formula.description, rowsRead: table.rowCount, kept: rows.count,
                              droppedFalse: table.rowCount - rows.count - missing, droppedMissing: missing)
        guard !rows.isEmpty else {
            throw .rowFilter(origin: origin, message: "\(formula) keeps no row of \(table.source) (\(outcome.droppedFalse) rows where it is 0, \(outcome.droppedMissing) where it is missing); nothing would be analysed")
        }
        return (rows, outcome)
    }
}

extension DerivedEvaluation {
    /// A 0/1 value a patient: a row filter's condition.
    mutating func condition(_ expression: DerivedExpression, columns: [Column], rowCount: Int) throws(EvaluationError) -> [Double] {
        var context = Context(spec: DerivedSpec(name: "where", formula: DerivedFormula(expression)), columns: columns, rowCount: rowCount)
        let value = try evaluate(expression, &context, frame: nil)
        if case .text(let column) = value {
            throw EvaluationError("the condition must be 0/1, such as age >= 18 or \(column.name) == \"\(Self.knownLevels(column).first ?? "A")\"; '\(column.name)' holds text")
        }
        if case .constant(let constant) = value { throw EvaluationError("the condition is the constant \(constant), the same for every row") }
        let numbers = try Self.numbers(value, what: "the condition", rowCount: rowCount)
        guard numbers.type == .binary else {
            throw EvaluationError("the condition must be 0/1 (a comparison, and/or/not, or a binary column), such as age >= 18; \(expression) is \(numbers.type.rawValue)")
        }
        return numbers.values
    }
}

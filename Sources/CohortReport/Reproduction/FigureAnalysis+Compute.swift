import CohortData
import CohortStats

/// A figure whose analysis cannot run: names the figure's column or term and what was expected.
public struct FigureError: Error, Equatable, CustomStringConvertible {
    public let description: String
}

extension FigureAnalysis {
    /// Runs the analysis on a loaded study table through the toolkit's own statistics, the same
    /// code the commands use.
    /// - Throws: ``FigureError``, `DataError`, `ModelError` or `GroupTestError` naming what is wrong.
    public func compute(on table: DataTable) throws -> FigureValue {
        switch self {
        case .count(let filter):
            return .count(try filter.rows(of: table).count)
        case .proportion(let outcome, let filter):
            let column = try table.column(named: outcome)
            let values = try Self.binary(column)
            let rows = try filter.rows(of: table).filter { !values[$0].isNaN }
            return .proportion(k: rows.filter { values[$0] == 1 }.count, n: rows.count)
        case .summary(let variable, let statistic, let filter):
            let values = try Self.numbers(try table.column(named: variable))
            let present = try filter.rows(of: table).map { values[$0] }.filter { !$0.isNaN }
            let summary = NumericSummary(present)
            guard let value = statistic == "median" ? summary.median : statistic == "min" ? summary.minimum : summary.maximum else {
                throw FigureError(description: "'\(variable)' has no values in the rows the figure uses")
            }
            return .number(value)
        case .fisher(let outcome, let factor):
            let y = try Self.binary(try table.column(named: outcome))
            let x = try Self.binary(try table.column(named: factor))
            var counts = [[0, 0], [0, 0]]
            for row in 0..<table.rowCount where !y[row].isNaN && !x[row].isNaN {
                counts[Int(x[row])][Int(y[row])] += 1
            }
            return .test(p: try ContingencyTable(counts).fisherExactTest().pValue, direction: nil)
        case .rankSum(let variable, let by):
            let values = try Self.numbers(try table.column(named: variable))
            let group = try Self.binary(try table.column(named: by))
            let rows = (0..<table.rowCount).filter { !values[$0].isNaN && !group[$0].isNaN }
            let with = rows.filter { group[$0] == 1 }.map { values[$0] }
            let without = rows.filter { group[$0] == 0 }.map { values[$0] }
            let test = try WilcoxonRankSum.test(with, without, correct: true, exact: false)
            let (a, b) = (NumericSummary(with).median ?? 0, NumericSummary(without).median ?? 0)
            return .test(p: test.pValue, direction: a > b ? "higher" : a < b ? "lower" : "equal")
        case .logistic(let outcome, let covariates, let term, let firth):
            let model = try LogisticModel(table: table, outcome: outcome, covariates: covariates)
            let fitted = try fit(model, options: .defaults(for: firth ? .firth : .maximumLikelihood))
            guard fitted.convergence.isConverged else {
                throw FigureError(description: "the \(firth ? "Firth" : "maximum-likelihood") model did not converge (\(fitted.convergence))")
            }
            guard let j = fitted.coefficientNames.firstIndex(of: term) else {
                throw FigureError(description: "the model has no term '\(term)'; its terms are \(fitted.coefficientNames.joined(separator: ", "))")
            }
            return .test(p: fitted.waldPValues[j], direction: fitted.coefficients[j] > 0 ? "positive" : "negative")
        case .spearman(let x, let y):
            let xs = try Self.numbers(try table.column(named: x))
            let ys = try Self.numbers(try table.column(named: y))
            let rows = (0..<table.rowCount).filter { !xs[$0].isNaN && !ys[$0].isNaN }
            let test = try SpearmanCorrelation.test(rows.map { xs[$0] }, rows.map { ys[$0] }, exact: false)
            return .test(p: test.pValue, direction: (test.estimate ?? 0) >= 0 ? "positive" : "negative")
        }
    }

    static func numbers(_ column: Column) throws -> [Double] {
        guard case .numeric(let values) = column.storage else {
            throw FigureError(description: "'\(column.name)' holds text; the analysis needs numbers")
        }
        return values
    }

    static func binary(_ column: Column) throws -> [Double] {
        let values = try numbers(column)
        if let other = values.first(where: { !$0.isNaN && $0 != 0 && $0 != 1 }) {
            throw FigureError(description: "'\(column.name)' holds \(NumberText.shortest(other)); the analysis needs a 0/1 column")
        }
        return values
    }
}

extension RowFilter {
    /// The rows where every condition holds.
    func rows(of table: DataTable) throws -> [Int] {
        var rows = Array(0..<table.rowCount)
        for condition in conditions {
            let column = try table.column(named: condition.column)
            switch column.storage {
            case .numeric(let values):
                guard let target = Double(condition.value), target.isFinite else {
                    throw FigureError(description: "'\(condition.column)' holds numbers; '\(condition.value)' is not one")
                }
                rows = rows.filter { values[$0] == target }
            case .text(let codes, let levels):
                guard let code = levels.firstIndex(of: condition.value) else {
                    throw FigureError(description: "'\(condition.column)' has no level '\(condition.value)'")
                }
                rows = rows.filter { codes[$0] == Int32(code) }
            }
        }
        return rows
    }
}

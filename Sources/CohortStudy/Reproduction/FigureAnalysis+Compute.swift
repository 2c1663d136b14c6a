import CohortData
import CohortReport
import CohortStats

/// A figure whose analysis cannot run: names the figure's column or term and what was expected.
public struct FigureError: Error, Equatable, CustomStringConvertible {
    public let description: String
}

extension FigureAnalysis {
    /// Recomputes the figure: each kind is the request of the command that computes it (issue 13:
    /// a published figure is a request plus the value to read), run on the rows `where:` keeps.
    /// Two kinds read the data directly, since no command computes them: a row count, and the
    /// rank-sum test of a column by a 0/1 column whatever the column's type (`compare` tests a grade
    /// as categories; the papers test grades by ranks).
    /// - Throws: ``FigureError``, `DataError`, `ModelError` or `GroupTestError` naming what is wrong.
    public func compute(on table: DataTable) throws -> FigureValue {
        switch self {
        case .count(let filter):
            return .count(try filter.rows(of: table).count)
        case .proportion(let outcome, let filter):
            _ = try Self.binary(try table.column(named: outcome))
            var request = IncidenceRequest()
            request.outcome = outcome
            let result = try request.analyze(table.keepingRows(try filter.rows(of: table)))
            guard let overall = result.rows.first?.estimate else { throw FigureError(description: "'\(outcome)' has no rows to count") }
            return .proportion(k: overall.events, n: overall.n)
        case .summary(let variable, let statistic, let filter):
            _ = try Self.numbers(try table.column(named: variable))
            var request = DescribeRequest()
            request.variables = [variable]
            let description = try request.analyze(table.keepingRows(try filter.rows(of: table)))
            guard case .numeric(let summary)? = description.variables.first?.overall,
                  let value = statistic == "median" ? summary.median : statistic == "min" ? summary.minimum : summary.maximum else {
                throw FigureError(description: "'\(variable)' has no values in the rows the figure uses")
            }
            return .number(value)
        case .fisher(let outcome, let factor):
            _ = try Self.binary(try table.column(named: outcome))
            _ = try Self.binary(try table.column(named: factor))
            var request = CompareRequest()
            request.outcome = outcome
            request.factors = [factor]
            request.test = .fisher
            let comparison = try request.analyze(table).comparisons[0]
            guard comparison.measurement == nil else {
                throw FigureError(description: "'\(factor)' is typed as a measurement; Fisher's test needs a 0/1 (binary) column")
            }
            guard let test = comparison.test else { throw FigureError(description: comparison.problem ?? "no test") }
            return .test(p: test.pValue, direction: nil)
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
            var request = LogitRequest()
            request.outcome = outcome
            request.covariates = covariates
            request.firth = firth
            // The figure is a Wald P: no profile intervals or LR refits needed.
            request.ci = .wald
            request.lr = false
            let fitted = try request.analyze(table).analysis.fit
            guard fitted.convergence.isConverged else {
                throw FigureError(description: "the \(firth ? "Firth" : "maximum-likelihood") model did not converge (\(fitted.convergence))")
            }
            guard let j = fitted.coefficientNames.firstIndex(of: term) else {
                throw FigureError(description: "the model has no term '\(term)'; its terms are \(fitted.coefficientNames.joined(separator: ", "))")
            }
            return .test(p: fitted.waldPValues[j], direction: fitted.coefficients[j] > 0 ? "positive" : "negative")
        case .cox(var request, let term):
            request.ci = .wald   // the figure is a Wald P: no profile refits
            let fitted = try request.analyze(table)
            return try Self.waldTest(term, model: "Cox", names: fitted.fit.coefficientNames, estimates: fitted.fit.coefficients,
                                     z: fitted.zStatistics, convergence: fitted.fit.convergence)
        case .finegray(var request, let term):
            request.predict = []
            request.days = []
            let fit = try request.analyze(table).fit
            return try Self.waldTest(term, model: "Fine-Gray", names: fit.coefficientNames, estimates: fit.coefficients,
                                     z: fit.zStatistics, convergence: fit.convergence)
        case .spearman(let x, let y):
            _ = try Self.numbers(try table.column(named: x))
            _ = try Self.numbers(try table.column(named: y))
            var request = CorrelateRequest()
            request.x = x
            request.y = y
            let test = try request.analyze(table).test
            return .test(p: test.pValue, direction: (test.estimate ?? 0) >= 0 ? "positive" : "negative")
        }
    }

    /// A hazard model's two-sided Wald P of `term` and the direction of its log ratio.
    static func waldTest(_ term: String, model: String, names: [String], estimates: [Double], z: [Double],
                         convergence: CoxConvergence) throws -> FigureValue {
        guard convergence.isConverged else { throw FigureError(description: "the \(model) model did not converge (\(convergence))") }
        guard let j = names.firstIndex(of: term) else {
            throw FigureError(description: "the model has no term '\(term)'; its terms are \(names.joined(separator: ", "))")
        }
        return .test(p: Normal.twoSidedP(z[j]), direction: estimates[j] > 0 ? "positive" : "negative")
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

extension SubgroupFilter {
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

import CohortData

/// Adjusted risks by marginal standardisation (g-computation) from a fitted logistic model: for each
/// level L of an exposure in the model, every patient's risk is predicted with the exposure set to L
/// and their other covariates as observed, and averaged:
/// ```
/// r(L) = (1/n) Σᵢ expit(x_i(L)ᵀ β̂)
/// ```
/// the risk the whole cohort would have had at exposure L (Greenland's standardised risk; Stata's
/// `margins exposure`, R's `stdReg`/`marginaleffects::avg_predictions(variables = ...)`). Risk
/// differences r(L) − r(ref) and ratios r(L)/r(ref) against the reference level follow.
///
/// Confidence intervals are percentile bootstrap intervals: each resample of the patients is
/// refitted (the same method and options) and standardised over its own rows; the resamples are
/// ``Bootstrap``'s (seeded, the same on every machine and thread count), the endpoints
/// ``BootstrapInterval/percentile(replicates:level:)``'s (`boot.ci(type = "perc")`).
public struct MarginalStandardization: Sendable {
    public let exposure: String
    /// The exposure's levels, the reference first.
    public let levels: [String]
    /// r(L) for each level, then r(L) − r(ref) and r(L)/r(ref) for each non-reference level.
    public let estimates: [Double]
    /// Percentile intervals in the order of ``estimates`` (nil when a component had no finite replicate).
    public let intervals: [BootstrapInterval?]
    public let bootstrap: BootstrapResult
    public let level: Double

    public var risks: ArraySlice<Double> { estimates[0..<levels.count] }
    public var differences: ArraySlice<Double> { estimates[levels.count..<(2 * levels.count - 1)] }
    public var ratios: ArraySlice<Double> { estimates[(2 * levels.count - 1)...] }

    /// Why standardisation cannot be done as asked.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The counterfactual design rows of a model: for each level of `exposure`, every fitted row
    /// with the exposure set to that level (column-major, n x p each), coded by the design's recipe.
    public static func counterfactualDesigns(_ model: LogisticModel, table: DataTable, exposure: String) throws(Problem) -> (levels: [String], designs: [DesignMatrix]) {
        guard let recipe = model.design.recipe, model.sourceRows.count == model.nObservations else {
            throw Problem(description: "needs a model built from the data")
        }
        guard let factor = recipe.factors.first(where: { $0.factor == .variable(exposure) }) else {
            throw Problem(description: "names '\(exposure)', which is not a variable of the model on its own (a column in the covariates or formula)")
        }
        let levels: [String]
        switch factor.coding {
        case .categorical(let reference, let all):
            levels = [reference] + all.filter { $0 != reference }
        case .numeric:
            let column: Column
            do { column = try table.column(named: exposure) } catch { throw Problem(description: error.description) }
            let values = Set(model.sourceRows.map { column.displayValue($0) })
            guard values.isSubset(of: ["0", "1"]) else {
                throw Problem(description: "needs a binary (0/1) or categorical exposure; '\(exposure)' takes other values (\(values.sorted().prefix(5).joined(separator: ", ")))")
            }
            levels = ["0", "1"]
        case .spline:
            throw Problem(description: "needs a binary or categorical exposure; '\(exposure)' is a spline")
        }
        let variables = recipe.variables
        var columns: [Column] = []
        for name in variables {
            do { columns.append(try table.column(named: name)) } catch { throw Problem(description: error.description) }
        }
        let n = model.nObservations, p = model.design.columnCount
        var designs = [[Double]](repeating: [Double](repeating: 0, count: n * p), count: levels.count)
        for (i, row) in model.sourceRows.enumerated() {
            var values = [String: String](minimumCapacity: variables.count)
            for (name, column) in zip(variables, columns) { values[name] = column.displayValue(row) }
            for (k, level) in levels.enumerated() {
                values[exposure] = level
                let x: [Double]
                do throws(DesignRecipe.RowError) { x = try recipe.row(at: values) } catch {
                    throw Problem(description: "\(table.source):\(table.lineNumbers[row]): \(error.message)")
                }
                for j in 0..<p { designs[k][j * n + i] = x[j] }
            }
        }
        return (levels, designs.map { DesignMatrix(values: $0, rowCount: n, columnNames: model.design.columnNames, terms: model.design.terms) })
    }

    /// Standardised risks over `rows` (indices into the model's rows, repeats allowed) at
    /// coefficients `beta` (aliased columns 0): each row's risk once a level, then the mean over
    /// `rows` summed in their order.
    static func estimates(designs: [DesignMatrix], beta: [Double], rows: [Int], offset: [Double]? = nil) -> [Double] {
        let risks = designs.map { x -> Double in
            let risk = x.linearPredictor(beta, offset: offset).map(CalibrationMeasures.expit)
            var total = 0.0
            for i in rows { total += risk[i] }
            return total / Double(rows.count)
        }
        return risks + risks.dropFirst().map { $0 - risks[0] } + risks.dropFirst().map { $0 / risks[0] }
    }

    /// The standardised risks of `fit` and their bootstrap intervals.
    public static func run(_ model: LogisticModel, fit: LogisticFit, table: DataTable, exposure: String,
                           options: BootstrapOptions, level: Double, progress: Bootstrap.Progress? = nil) throws -> MarginalStandardization {
        let (levels, designs) = try counterfactualDesigns(model, table: table, exposure: exposure)
        let statistic = fit.standardizationStatistic(model, designs: designs)
        let result = try Bootstrap.run(rowCount: model.nObservations, options: options, progress: progress, statistic: statistic)
        let intervals = result.estimate.indices.map { k in try? BootstrapInterval.percentile(replicates: result.values(of: k), level: level) }
        return MarginalStandardization(exposure: exposure, levels: levels, estimates: result.estimate, intervals: intervals, bootstrap: result, level: level)
    }
}

extension LogisticFit {
    /// The bootstrap statistic of ``MarginalStandardization``: a resample's rows to its standardised
    /// risks, differences and ratios, the model refitted on the resample (this fit's own estimates
    /// on the original rows).
    public func standardizationStatistic(_ model: LogisticModel, designs: [DesignMatrix]) -> Bootstrap.Statistic {
        let refit = bootstrapStatistic(model)
        let active = (0..<coefficients.count).filter { !aliased[$0] }
        let p = coefficients.count, n = model.nObservations
        let estimate = coefficients.map { $0.isFinite ? $0 : 0 }
        return { rows in
            var beta = [Double](repeating: 0, count: p)
            if rows.count == n, rows.elementsEqual(0..<n) {
                beta = estimate
            } else {
                let fitted = try refit(rows)
                for (a, j) in active.enumerated() { beta[j] = fitted[a] }
            }
            return MarginalStandardization.estimates(designs: designs, beta: beta, rows: rows, offset: model.offset)
        }
    }
}

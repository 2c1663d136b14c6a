import CohortData

/// Adjusted risks by marginal standardisation (g-computation) from a fitted logistic model: for each
/// level L of an exposure in the model, every patient's risk is predicted with the exposure set to L
/// and their other covariates as observed, and averaged:
/// ```
/// r(L) = (1/n) Σᵢ expit(x_i(L)ᵀ β̂)
/// ```
/// The same over any link g (``PredictionLink``): the mean (1/n) Σᵢ x_i(L)ᵀβ̂ of a linear model, the
/// risk (1/n) Σᵢ exp(x_i(L)ᵀβ̂) of a log-binomial one, and for a log link with an offset oᵢ (a
/// Poisson model's log person-time) the standardised rate per unit of person-time,
/// ```
/// r(L) = Σᵢ exp(x_i(L)ᵀβ̂ + oᵢ) / Σᵢ exp(oᵢ)
/// ```
/// (the cohort's expected events at L over its person-time; without an offset, the mean rate).
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
        try counterfactualDesigns(model.design, sourceRows: model.sourceRows, table: table, exposure: exposure)
    }

    /// ``counterfactualDesigns(_:table:exposure:)`` of any model's `design`, fitted to the table rows
    /// `sourceRows` (one a design row).
    public static func counterfactualDesigns(_ design: DesignMatrix, sourceRows: [Int], table: DataTable, exposure: String) throws(Problem) -> (levels: [String], designs: [DesignMatrix]) {
        guard let recipe = design.recipe, sourceRows.count == design.rowCount else {
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
            let values = Set(sourceRows.map { column.displayValue($0) })
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
        let n = design.rowCount, p = design.columnCount
        var designs = [[Double]](repeating: [Double](repeating: 0, count: n * p), count: levels.count)
        for (i, row) in sourceRows.enumerated() {
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
        return (levels, designs.map { DesignMatrix(values: $0, rowCount: n, columnNames: design.columnNames, terms: design.terms) })
    }

    /// Standardised values over `rows` (indices into the model's rows, repeats allowed) at
    /// coefficients `beta` (aliased columns 0): each row's fitted value once a level, then the mean
    /// over `rows` summed in their order (for a log link with an offset, over Σ exp(oᵢ)).
    static func estimates(designs: [DesignMatrix], beta: [Double], rows: [Int], offset: [Double]? = nil, link: PredictionLink = .logit) -> [Double] {
        var denominator = Double(rows.count)
        if link == .log, let offset {
            denominator = 0
            for i in rows { denominator += PortableMath.exp(offset[i]) }
        }
        let risks = designs.map { x -> Double in
            let fitted = x.linearPredictor(beta, offset: offset).map(link.inverse)
            var total = 0.0
            for i in rows { total += fitted[i] }
            return total / denominator
        }
        return risks + risks.dropFirst().map { $0 - risks[0] } + risks.dropFirst().map { $0 / risks[0] }
    }

    /// The standardised risks of `fit` and their bootstrap intervals.
    public static func run(_ model: LogisticModel, fit: LogisticFit, table: DataTable, exposure: String,
                           options: BootstrapOptions, level: Double, progress: Bootstrap.Progress? = nil) throws -> MarginalStandardization {
        let (levels, designs) = try counterfactualDesigns(model, table: table, exposure: exposure)
        return try run(exposure: exposure, levels: levels, statistic: fit.standardizationStatistic(model, designs: designs), rowCount: model.nObservations,
                       options: options, level: level, progress: progress)
    }

    /// The standardised values of any fitted model (a linear or count model of ``RegressionData``)
    /// and their bootstrap intervals: `refit` gives a resample's coefficients (aliased columns 0).
    public static func run(design: DesignMatrix, sourceRows: [Int], offset: [Double]?, link: PredictionLink, coefficients: [Double],
                           refit: @escaping @Sendable ([Int]) throws -> [Double], table: DataTable, exposure: String,
                           options: BootstrapOptions, level: Double, progress: Bootstrap.Progress? = nil) throws -> MarginalStandardization {
        let (levels, designs) = try counterfactualDesigns(design, sourceRows: sourceRows, table: table, exposure: exposure)
        let statistic = statistic(designs: designs, coefficients: coefficients, offset: offset, link: link, refit: refit)
        return try run(exposure: exposure, levels: levels, statistic: statistic, rowCount: design.rowCount, options: options, level: level, progress: progress)
    }

    /// The bootstrap statistic: a resample's rows to its standardised values, differences and
    /// ratios, the model refitted on the resample (`coefficients` on the original rows).
    static func statistic(designs: [DesignMatrix], coefficients: [Double], offset: [Double]?, link: PredictionLink,
                          refit: @escaping @Sendable ([Int]) throws -> [Double]) -> Bootstrap.Statistic {
        let n = designs[0].rowCount
        let estimate = coefficients.map { $0.isFinite ? $0 : 0 }
        return { rows in
            let beta = rows.count == n && rows.elementsEqual(0..<n) ? estimate : try refit(rows)
            return estimates(designs: designs, beta: beta, rows: rows, offset: offset, link: link)
        }
    }

    private static func run(exposure: String, levels: [String], statistic: @escaping Bootstrap.Statistic, rowCount: Int,
                            options: BootstrapOptions, level: Double, progress: Bootstrap.Progress?) throws -> MarginalStandardization {
        let result = try Bootstrap.run(rowCount: rowCount, options: options, progress: progress, statistic: statistic)
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
        let p = coefficients.count
        return MarginalStandardization.statistic(designs: designs, coefficients: coefficients, offset: model.offset, link: .logit) { rows in
            var beta = [Double](repeating: 0, count: p)
            let fitted = try refit(rows)
            for (a, j) in active.enumerated() { beta[j] = fitted[a] }
            return beta
        }
    }
}

extension RegressionData {
    /// The data of `rows` (indices, repeats allowed): a bootstrap resample.
    public func resampled(rows: [Int]) throws(ModelError) -> RegressionData {
        try RegressionData(response: rows.map { response[$0] }, design: design.gathering(rows: rows), weights: rows.map { weights[$0] },
                           offset: rows.map { offset[$0] }, outcome: outcome, eventLabel: eventLabel, weightsColumn: weightsColumn,
                           exposureColumn: exposureColumn, offsetColumn: offsetColumn)
    }

    /// A resample's coefficients from `fit` (aliased columns 0), refused when the resample aliases
    /// a column the full data does not (a covariate constant in it), as the logistic bootstrap does.
    static func refitted(_ rows: [Int], aliased: [Bool], fit: (RegressionData) throws -> (coefficients: [Double], aliased: [Bool]),
                         data: RegressionData) throws -> [Double] {
        let result: (coefficients: [Double], aliased: [Bool])
        do { result = try fit(try data.resampled(rows: rows)) } catch let reason as BootstrapFailureReason { throw reason } catch {
            throw BootstrapFailureReason(String(describing: error))
        }
        guard result.aliased == aliased else { throw BootstrapFailureReason("a column aliased in the resample") }
        return result.coefficients.map { $0.isFinite ? $0 : 0 }
    }
}

extension LinearFit {
    /// The refit of ``MarginalStandardization/run(design:sourceRows:offset:link:coefficients:refit:table:exposure:options:level:progress:)``:
    /// least squares on the resample.
    public func standardizationRefit(_ data: RegressionData) -> @Sendable ([Int]) throws -> [Double] {
        let aliased = self.aliased
        return { rows in
            try RegressionData.refitted(rows, aliased: aliased, fit: { sample in
                let fit = try LinearModel.fit(sample)
                return (fit.coefficients, fit.aliased)
            }, data: data)
        }
    }
}

extension CountFit {
    /// The refit of a count model's standardisation: the same model as this fit on the resample
    /// (after a modified-Poisson fallback, the modified Poisson; a log-binomial resample that does
    /// not converge fails rather than switching model).
    public func standardizationRefit(_ data: RegressionData) -> @Sendable ([Int]) throws -> [Double] {
        let aliased = self.aliased, method = self.method
        return { rows in
            try RegressionData.refitted(rows, aliased: aliased, fit: { sample in
                let fit: CountFit
                switch method {
                case .poisson: fit = try CountModel.poisson(sample)
                case .negativeBinomial: fit = try CountModel.negativeBinomial(sample)
                case .logBinomial: fit = try CountModel.logBinomial(sample, allowFallback: false)
                case .modifiedPoisson: fit = try CountModel.modifiedPoisson(sample)
                }
                guard fit.converged else { throw BootstrapFailureReason("the refit did not converge") }
                return (fit.coefficients, fit.aliased)
            }, data: data)
        }
    }
}

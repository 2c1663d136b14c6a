import CohortData
import CohortReport
import CohortStats

/// Predictions of a fitted regression at given covariate values (`--at`, study files `at`) and for
/// every fitted row (`--predict FILE`): one implementation for `cohort logit`, `linear`, `poisson`
/// and `logbinomial`, each fit supplying its own `prediction(at:offset:level:)` (the link and the
/// interval's quantile: ``LinearPrediction``).
enum ModelPredictions {
    /// The `at` field of a model whose fitted value is `fitted` ("risk", "mean", "rate").
    static func atField(_ fitted: String, extra: String = "") -> FieldDoc {
        FieldDoc("at", "a list of mappings of column to value", default: "none",
                 "Sets of covariate values (every variable of the model: a number, or a level) at which to predict the \(fitted), with its CI, e.g. [{age: 60, plt_low: 1}]: a second table.\(extra)")
    }

    /// The rules of `at`: no name twice in one set.
    static func check(_ at: [KeyValueList]) throws(RequestError) {
        for values in at {
            if let repeated = values.firstRepeatedName { throw RequestError("at", "names '\(repeated)' twice in one set of values") }
        }
    }

    /// The prediction at each set of values of `at`, coded as `design` codes its rows.
    /// - Parameters:
    ///   - offset: the offset of a set of values, from the names `design` does not read (a
    ///     Poisson model's exposure); the values it consumed are left out of the design row.
    static func at(_ at: [KeyValueList], design: DesignMatrix,
                   offset: (KeyValueList) throws(RequestError) -> (value: Double, used: Set<String>) = { _ in (0, []) },
                   predict: ([Double], Double) -> LinearPrediction) throws(RequestError) -> [PredictionTable.Row] {
        guard !at.isEmpty else { return [] }
        guard let recipe = design.recipe else { throw RequestError("at", "needs a model built from the data") }
        return try at.map { values throws(RequestError) in
            let (extra, used) = try offset(values)
            let row: [Double]
            do throws(DesignRecipe.RowError) { row = try recipe.row(at: values.dictionary.filter { !used.contains($0.key) }) } catch { throw RequestError("at", error.message) }
            return PredictionTable.Row(values: values.pairs.map { ($0.name, $0.value) }, prediction: predict(row, extra))
        }
    }

    /// The offset of a set of `at` values in a model with an `exposure` (log of its value, default 1)
    /// and/or an `offset` column (its value, default 0), and the names it read: R's
    /// `predict(newdata)` evaluates the offset in the new data the same way.
    static func offsets(exposure: String? = nil, offset: String?) -> (KeyValueList) throws(RequestError) -> (value: Double, used: Set<String>) {
        { values throws(RequestError) in
            var total = 0.0, used = Set<String>()
            if let exposure, let text = values[exposure] {
                guard let t = Double(text), t.isFinite, t > 0 else {
                    throw RequestError("at", "gives the exposure '\(exposure)' the value '\(text)'; it must be a positive number (person-time)")
                }
                total += PortableMath.log(t)
                used.insert(exposure)
            }
            if let offset, let text = values[offset] {
                guard let o = Double(text), o.isFinite else { throw RequestError("at", "gives the offset '\(offset)' the value '\(text)'; it must be a finite number") }
                total += o
                used.insert(offset)
            }
            return (total, used)
        }
    }

    /// What a prediction table says of an offset column its sets of values may leave out.
    static func offsetNote(_ offset: String?) -> [String] {
        offset.map { ["offset: \($0) = 0 where a set of values does not give it."] } ?? []
    }

    /// Every fitted row's prediction as `--predict` writes it: by the row's line in the data file,
    /// a row repeated by a frequency weight written once.
    static func csv(sourceRows: [Int], table: DataTable, predictions: [LinearPrediction], fitted: String) -> String {
        var lines: [Int] = [], once: [LinearPrediction] = []
        for (i, row) in sourceRows.enumerated() where i == 0 || sourceRows[i - 1] != row {
            lines.append(Int(table.lineNumbers[row])); once.append(predictions[i])
        }
        return PredictionTable.csv(lines: lines, predictions: once, fitted: fitted)
    }
}

/// `standardize` of `cohort linear`, `poisson` and `logbinomial` (logit has its own, with its
/// coefficient bootstrap): the fields, their rules, and the run, one implementation for the three
/// (``MarginalStandardization`` over the model's link).
struct GLMStandardization {
    var exposure: String?
    var bootstrap: Int?
    var seed: UInt64?

    /// The fields, for a model whose fitted value is `value` ("mean", "rate", "risk").
    static func fields(_ value: String, extra: String = "") -> [FieldDoc] {
        [
            FieldDoc("standardize", "column", default: "none",
                     "A binary or categorical variable of the model: the adjusted \(value) at each of its levels by marginal standardisation (g-computation), with \(value) differences and ratios against the reference and percentile bootstrap CIs (bootstrap resamples, default 1000; seed); not with weights.\(extra)"),
            FieldDoc("bootstrap", "a whole number from 1 to 100000", default: "1000", "Resamples of the patients for the CIs of standardize; with standardize."),
            FieldDoc("seed", "a whole number from 0 to 18446744073709551615", default: "1", "Seed of the resamples of standardize; with standardize."),
        ]
    }

    func validate(weights: String?) throws(RequestError) {
        if let bootstrap { try InputRules.bootstrapReplicates.check("bootstrap", bootstrap) }
        guard exposure != nil else {
            if bootstrap != nil { throw RequestError("bootstrap", "sets the resamples of {standardize}; add {standardize} EXPOSURE") }
            if seed != nil { throw RequestError("seed", "applies to {standardize}; add {standardize} EXPOSURE") }
            return
        }
        if let weights {
            throw RequestError("standardize", "resamples the patients, but with {weights} '\(weights)' a row is not one patient; leave out one of them")
        }
    }

    /// The standardisation of a fit of `data` (nil without `exposure`).
    func run(_ data: RegressionData, coefficients: [Double], link: PredictionLink, refit: @escaping @Sendable ([Int]) throws -> [Double],
             input: AnalysisInput, level: Double) throws -> MarginalStandardization? {
        guard let exposure else { return nil }
        do {
            return try MarginalStandardization.run(design: data.design, sourceRows: data.sourceRows, offset: data.hasOffset ? data.offset : nil, link: link,
                                                   coefficients: coefficients, refit: refit, table: input.table, exposure: exposure,
                                                   options: BootstrapOptions(replicates: bootstrap ?? 1000, seed: seed ?? 1), level: level, progress: input.progress)
        } catch let problem as MarginalStandardization.Problem {
            throw RequestError("standardize", problem.description)
        }
    }
}

extension ModelPredictions {
    /// The model's JSON with `predictions` and `standardization` added (when there are any), the
    /// values at `hidden` written as null and the `suppression` key last, as logit's JSON has it.
    static func json(_ value: JSONValue, _ rows: [PredictionTable.Row], fitted: String, standardization: MarginalStandardization?,
                     hidden: Set<String>, suppression: Suppression) -> String {
        var top = value
        if !rows.isEmpty { top.append("predictions", PredictionTable.json(rows, fitted: fitted)) }
        if let standardization { top.append("standardization", StandardizationTable.json(standardization, value: fitted)) }
        return top.suppressed(hidden, rule: suppression).rendered(indent: 2) + "\n"
    }
}

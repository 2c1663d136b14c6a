import CohortData

/// The outcome of one row of a competing-risks model at its follow-up time.
///
/// The raw values are cmprsk's default codes (`cencode = 0`, `failcode = 1`); every other failure
/// type is a competing event (code 2 here, any other code in `crr`).
public enum FineGrayStatus: Int, Sendable, CaseIterable {
    /// Still event-free at `time`, follow-up ended (censored).
    case censored = 0
    /// The event of interest at `time`.
    case event = 1
    /// A competing event at `time`: the row can no longer have the event of interest, and stays in
    /// the subdistribution risk set with a decreasing weight (see <doc:FineGray>).
    case competing = 2
}

/// What to fit: competing-risks times and outcomes and a design matrix, for the Fine-Gray
/// subdistribution hazards model. A value; `fit(_:options:)` returns a ``FineGrayFit``.
///
/// The design has no intercept: the baseline subdistribution hazard absorbs it, as in ``CoxModel``.
/// Numeric columns are used as they are and categorical variables are treatment-coded indicator
/// columns (``DesignMatrix``); the term names are the design's column names.
public struct FineGrayModel: Sendable {
    /// Follow-up time of each row (days), finite and ≥ 0.
    public let times: [Double]
    /// The outcome of each row at `times[i]`.
    public let status: [FineGrayStatus]
    public let design: DesignMatrix
    /// Rows of the source left out of the fit, with the reason (complete-case analysis).
    public let excludedRows: [ExcludedRow]
    /// Weights wᵢ > 0 per row, or nil (every row 1): under crr's convention frequency weights (a
    /// row of weight 2 is two rows: Ĝ, the risk sets and the sandwich as crr on the rows repeated);
    /// under finegray + coxph's, `survival::finegray(weights = w)`'s (Ĝ unweighted, fgwt·w the case
    /// weights of coxph). See <doc:FineGray>.
    public let weights: [Double]?
    /// A known term of each row's linear predictor (as `coxph`'s `offset(o)`), or nil.
    public let offset: [Double]?

    /// - Throws: ``ModelError`` when the lengths disagree, the design is empty or has an intercept
    ///   column, a time is negative or not finite, a covariate, weight or offset is not finite (or a
    ///   weight not > 0), there is no event of interest, or there are more columns than events of interest.
    public init(times: [Double], status: [FineGrayStatus], design: DesignMatrix,
                excludedRows: [ExcludedRow] = [], weights: [Double]? = nil, offset: [Double]? = nil) throws(ModelError) {
        let n = times.count
        try CoxModel.checkRowInputs(weights: weights, offset: offset, rows: n)
        guard design.columnCount > 0 else { throw .emptyDesign }
        guard !design.hasIntercept else {
            throw .data("a Fine-Gray model has no intercept column: the baseline subdistribution hazard takes its place")
        }
        guard status.count == n, design.rowCount == n else {
            throw .dimensionMismatch("\(n) times, \(status.count) status values and \(design.rowCount) design rows")
        }
        if let bad = times.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
            throw .data("time of row \(bad + 1) is \(times[bad]); follow-up times must be finite and ≥ 0")
        }
        if let bad = design.values.firstIndex(where: { !$0.isFinite }) {
            throw .data("covariate '\(design.columnNames[bad / n])' is not finite in row \(bad % n + 1)")
        }
        var counts = [0, 0, 0]
        for value in status { counts[value.rawValue] += 1 }
        guard counts[1] > 0 else {
            throw .data("no events of interest among the \(n) rows: a Fine-Gray model needs at least one")
        }
        guard design.columnCount <= counts[1] else {
            throw .tooFewEvents(events: counts[1], parameters: design.columnCount)
        }
        self.times = times
        self.status = status
        self.design = design
        self.excludedRows = excludedRows
        self.weights = weights
        self.offset = offset
        self.nCensored = counts[0]
        self.nEvents = counts[1]
        self.nCompeting = counts[2]
    }

    /// A model from a numeric design given column by column (each covariate one numeric term).
    public init(times: [Double], status: [FineGrayStatus], covariates: [(name: String, values: [Double])],
                excludedRows: [ExcludedRow] = []) throws(ModelError) {
        let n = times.count
        for covariate in covariates where covariate.values.count != n {
            throw .dimensionMismatch("covariate '\(covariate.name)' has \(covariate.values.count) values for \(n) rows")
        }
        let terms = covariates.enumerated().map { ModelTerm(name: $1.name, kind: .numeric, columns: $0..<($0 + 1)) }
        let design = DesignMatrix(values: covariates.flatMap(\.values), rowCount: n, columnNames: covariates.map(\.name), terms: terms)
        try self.init(times: times, status: status, design: design, excludedRows: excludedRows)
    }

    /// A model from integer status codes: `censoringCode` (cmprsk's `cencode`, default 0) is
    /// censored, `eventCode` (`failcode`, default 1) the event of interest, any other code a
    /// competing event, as `crr` reads `fstatus`.
    public init(times: [Double], statusCodes: [Int], eventCode: Int = 1, censoringCode: Int = 0,
                covariates: [(name: String, values: [Double])], excludedRows: [ExcludedRow] = []) throws(ModelError) {
        guard eventCode != censoringCode else {
            throw .data("the event code and the censoring code are both \(eventCode)")
        }
        let status = statusCodes.map { code -> FineGrayStatus in
            code == eventCode ? .event : code == censoringCode ? .censored : .competing
        }
        try self.init(times: times, status: status, covariates: covariates, excludedRows: excludedRows)
    }

    public var nObservations: Int { times.count }
    /// Rows with the event of interest, counted once at construction.
    public let nEvents: Int
    /// Whether every weight is a whole number (frequency weights; true without weights).
    public var hasWholeNumberWeights: Bool { weights?.allSatisfy { $0 == $0.rounded() } ?? true }
    /// Rows with a competing event.
    public let nCompeting: Int
    /// Censored rows.
    public let nCensored: Int
}

/// Which peer's conventions a Fine-Gray fit follows (style 16: an algorithm with two conventions
/// names the one it follows). See <doc:FineGray> for how the two differ.
public enum FineGrayConvention: String, Sendable, CaseIterable, Codable {
    /// R `cmprsk::crr`: Breslow's handling of tied event times; the censoring distribution G is the
    /// Kaplan-Meier estimate of the censoring times (a row censored at t is at risk of censoring at
    /// t, an event at t too) read as its left limit G(t−) at each row's own time; a competing row at
    /// risk at event time s has weight G(s−)/G(Tᵢ−); the variance is crr's `var`, the sandwich whose
    /// middle includes the term for estimating G.
    case crr
    /// R `survival::finegray` followed by `coxph(Surv(fgstart, fgstop, fgstatus) ~ ..., weights =
    /// fgwt, id = id)`: Efron's handling of tied event times; Ĝ with the events at t (of any type)
    /// leaving before the censorings at t, read as Ĝ(t−); the variance coxph's robust one over the
    /// subjects, the sandwich without the term for estimating G. (Predictions use the Efron-type
    /// baseline jumps Σₘ 1/denₘ.)
    case finegrayCoxph = "finegray-coxph"
}

/// How to fit a Fine-Gray model. Kept apart from the model (what to fit) and the fit (what was found).
public struct FineGrayOptions: Sendable, Equatable {
    public var convention: FineGrayConvention
    /// Newton iterations at most (`crr`: 10).
    public var maxIterations: Int
    /// Stop at the first point where the Newton decrement λ = √(Uᵀ I⁻¹ U) is at most this: the
    /// estimate is then within λ (naive) standard errors of the maximum of the log pseudo-likelihood
    /// (the rule of ``CoxOptions/tolerance``). `crr` stops when
    /// maxⱼ |Uⱼ|·max(|βⱼ|, 1) < `gtol`·max(|ℓ|, 1) with `gtol = 1e-6`, a looser rule; the references
    /// are computed with `gtol = 1e-13` and polished so that both sides are at the maximum.
    public var tolerance: Double
    /// Step halvings tried when an iteration lowers ℓ or makes it non-finite.
    public var maxStepHalvings: Int
    /// The aliasing rule of ``CoxOptions/aliasTolerance``, on the information at β = 0.
    public var aliasTolerance: Double

    public init(convention: FineGrayConvention = .crr, maxIterations: Int = 30, tolerance: Double = 1e-10,
                maxStepHalvings: Int = 25, aliasTolerance: Double = 1e-7) {
        self.convention = convention
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.maxStepHalvings = maxStepHalvings
        self.aliasTolerance = aliasTolerance
    }
}

extension FineGrayModel {
    /// The Fine-Gray model of the event of interest (type 1) from a table's complete rows: status 0
    /// is censored, 1 the event of interest, every other event type a competing event.
    /// - Throws: ``ModelError`` as the memberwise initialiser, and when `rows` has strata or clusters
    ///   (`crr` has neither: no stratified baseline, and its sandwich is per row).
    public init(_ rows: SurvivalDesign) throws(ModelError) {
        if let column = rows.strataColumn ?? (rows.strata == nil ? nil : "strata") {
            throw .data("a Fine-Gray model has no strata ('\(column)'): crr fits one baseline subdistribution hazard")
        }
        if let column = rows.clusterColumn ?? (rows.clusters == nil ? nil : "clusters") {
            throw .data("a Fine-Gray model has no cluster variance ('\(column)'): crr's sandwich is per row")
        }
        let status = rows.status.map { code -> FineGrayStatus in code == 0 ? .censored : code == 1 ? .event : .competing }
        try self.init(times: rows.times, status: status, design: rows.design, excludedRows: rows.excludedRows,
                      weights: rows.weights, offset: rows.offset)
    }
}

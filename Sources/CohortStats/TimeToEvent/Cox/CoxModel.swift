import CohortData
/// What to fit: right-censored times, event indicators and a design matrix, with optional strata
/// and clusters. A value; `fit(_:options:)` returns a ``CoxFit``.
///
/// The design has no intercept: the baseline hazard absorbs it (one per stratum). Numeric columns are
/// used as they are and categorical variables are treatment-coded indicator columns, as in
/// ``DesignMatrix`` for logistic regression; the term names are the design's column names.
public struct CoxModel: Sendable {
    /// Follow-up time of each row (days), finite and ≥ 0: a time of 0 is kept, as `coxph` keeps it.
    public let times: [Double]
    /// true for an event at `times[i]`, false for a row censored there.
    public let events: [Bool]
    public let design: DesignMatrix
    /// Stratum code per row (any integers; rows with equal codes share a baseline hazard), or nil.
    public let strata: [Int]?
    /// Cluster code per row for the robust (sandwich) variance, as `coxph(..., cluster = )`, or nil
    /// (no robust variance). A distinct code per row gives `coxph(..., robust = TRUE)`.
    public let clusters: [Int]?
    /// Rows of the source left out of the fit, with the reason (complete-case analysis).
    public let excludedRows: [ExcludedRow]
    /// Case weights wᵢ > 0 per row (`coxph(weights = w)`), or nil (every row 1): each row's risk score
    /// is wᵢ exp(ηᵢ) in the risk sets and its death counts wᵢ times (``CoxPartialLikelihood``).
    public let weights: [Double]?
    /// A known term of each row's linear predictor (`coxph(... + offset(o))`), or nil.
    public let offset: [Double]?

    /// - Throws: ``ModelError`` when the lengths disagree, the design is empty or has an intercept
    ///   column, a time is negative or not finite, a covariate is not finite, there is no event, or
    ///   there are more columns than events.
    public init(times: [Double], events: [Bool], design: DesignMatrix, strata: [Int]? = nil, clusters: [Int]? = nil,
                excludedRows: [ExcludedRow] = [], weights: [Double]? = nil, offset: [Double]? = nil) throws(ModelError) {
        let n = times.count
        guard design.columnCount > 0 else { throw .emptyDesign }
        guard !design.hasIntercept else {
            throw .data("a Cox model has no intercept column: the baseline hazard takes its place")
        }
        guard events.count == n, design.rowCount == n else {
            throw .dimensionMismatch("\(n) times, \(events.count) event indicators and \(design.rowCount) design rows")
        }
        if let strata, strata.count != n { throw .dimensionMismatch("\(strata.count) strata for \(n) rows") }
        if let clusters, clusters.count != n { throw .dimensionMismatch("\(clusters.count) clusters for \(n) rows") }
        try Self.checkRowInputs(weights: weights, offset: offset, rows: n)
        if let bad = times.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
            throw .data("time of row \(bad + 1) is \(times[bad]); follow-up times must be finite and ≥ 0")
        }
        if let bad = design.values.firstIndex(where: { !$0.isFinite }) {
            throw .data("covariate '\(design.columnNames[bad / n])' is not finite in row \(bad % n + 1)")
        }
        let nEvents = events.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard nEvents > 0 else { throw .data("no events among the \(n) rows: a Cox model needs at least one") }
        guard design.columnCount <= nEvents else {
            throw .tooFewEvents(events: nEvents, parameters: design.columnCount)
        }
        self.times = times
        self.events = events
        self.design = design
        self.strata = strata
        self.clusters = clusters
        self.excludedRows = excludedRows
        self.weights = weights
        self.offset = offset
        self.nEvents = nEvents
    }

    /// A model from a numeric design given column by column (each covariate one numeric term).
    public init(times: [Double], events: [Bool], covariates: [(name: String, values: [Double])], strata: [Int]? = nil,
                clusters: [Int]? = nil, excludedRows: [ExcludedRow] = [], weights: [Double]? = nil, offset: [Double]? = nil) throws(ModelError) {
        let n = times.count
        for covariate in covariates where covariate.values.count != n {
            throw .dimensionMismatch("covariate '\(covariate.name)' has \(covariate.values.count) values for \(n) rows")
        }
        let terms = covariates.enumerated().map { ModelTerm(name: $1.name, kind: .numeric, columns: $0..<($0 + 1)) }
        let design = DesignMatrix(values: covariates.flatMap(\.values), rowCount: n, columnNames: covariates.map(\.name), terms: terms)
        try self.init(times: times, events: events, design: design, strata: strata, clusters: clusters, excludedRows: excludedRows,
                      weights: weights, offset: offset)
    }

    public var nObservations: Int { times.count }
    /// The number of rows with an event, counted once at construction.
    public let nEvents: Int
}

/// How tied event times enter the partial likelihood (issue 14; the convention is named, style 16).
public enum CoxTies: String, Sendable, CaseIterable, Codable {
    /// Efron's approximation, R `coxph`'s default: the d deaths at a time leave the risk set
    /// gradually, one d-th of their risk at a time.
    case efron
    /// Breslow's approximation: all d deaths at a time see the full risk set.
    case breslow
}

/// How to fit a Cox model. Kept apart from the model (what to fit) and the fit (what was found).
public struct CoxOptions: Sendable, Equatable {
    public var ties: CoxTies
    /// Newton iterations at most (`coxph`: 20).
    public var maxIterations: Int
    /// Stop at the first point where the Newton decrement λ = √(Uᵀ I⁻¹ U) is at most this: the
    /// estimate is then within λ standard errors of the maximum (the rule of ``FitOptions/tolerance``,
    /// issue 12). `coxph` stops when the relative change of the log-likelihood is below 1e-9, one
    /// iteration earlier and up to about 1e-5 standard errors away; the references are computed with
    /// `eps = 1e-12` so that both sides are at the maximum.
    public var tolerance: Double
    /// Step halvings tried when an iteration lowers the log-likelihood or makes it non-finite.
    public var maxStepHalvings: Int
    /// A column is aliased when, in the information at β = 0 scaled to unit diagonal, its Cholesky
    /// pivot is below the square of this (the norm-ratio tolerance of ``FitOptions/aliasTolerance``).
    public var aliasTolerance: Double

    public init(ties: CoxTies = .efron, maxIterations: Int = 30, tolerance: Double = 1e-10, maxStepHalvings: Int = 25,
                aliasTolerance: Double = 1e-7) {
        self.ties = ties
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.maxStepHalvings = maxStepHalvings
        self.aliasTolerance = aliasTolerance
    }
}

extension CoxModel {
    /// The rule for a survival model's row weights (finite, > 0) and offsets (finite), one value a
    /// row; shared with ``FineGrayModel``.
    static func checkRowInputs(weights: [Double]?, offset: [Double]?, rows n: Int) throws(ModelError) {
        if let weights {
            guard weights.count == n else { throw .dimensionMismatch("\(weights.count) weights for \(n) rows") }
            if let bad = weights.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
                throw .data("the weight of row \(bad + 1) is \(NumberText.shortest(weights[bad])), not a finite number > 0")
            }
        }
        if let offset {
            guard offset.count == n else { throw .dimensionMismatch("\(offset.count) offsets for \(n) rows") }
            if let bad = offset.firstIndex(where: { !$0.isFinite }) { throw .data("the offset of row \(bad + 1) is \(offset[bad]), not a finite number") }
        }
    }
}

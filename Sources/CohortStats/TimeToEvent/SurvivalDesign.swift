import CohortData

/// The rows of a survival regression (Cox, Fine-Gray): time-to-event data read from a table joined
/// with the covariates' design, the strata and the clusters, complete cases only.
///
/// A row is left out, with its line and reason, when ``CompetingRisksData`` left it out (a missing
/// time, status, follow-up or stratum) or when a covariate or the cluster is missing, as `coxph`,
/// `crr` and `glm` drop incomplete rows (`na.action = na.omit`); the first missing variable names
/// the reason. The design has no intercept: the baseline hazard takes its place.
public struct SurvivalDesign: Sendable {
    /// Time of the event or of censoring of each row used, in days.
    public let times: [Double]
    /// 0 = censored; k = event type `eventTypes[k - 1]` (the event of interest is type 1).
    public let status: [Int32]
    public let eventTypes: [String]
    public let design: DesignMatrix
    /// Stratum code per row used (the data's strata), or nil.
    public let strata: [Int]?
    public let strataColumn: String?
    /// Cluster code per row used, or nil.
    public let clusters: [Int]?
    public let clusterColumn: String?
    /// Case weights (> 0) and offsets per row used, and their columns, or nil.
    public private(set) var weights: [Double]?
    public private(set) var weightColumn: String?
    public private(set) var offset: [Double]?
    public private(set) var offsetColumn: String?
    /// Every row of the table left out, in table order of the reasons met.
    public let excludedRows: [ExcludedRow]
    public let source: String

    /// - Parameters:
    ///   - data: the table's time-to-event data (built from `table`, so it knows its rows).
    ///   - covariates: column names; text columns are treatment-coded as in ``LogisticModel``.
    ///   - referenceLevels: the reference level of a text covariate (default: the first level).
    ///   - cluster: a column of cluster identifiers for a robust variance, or nil.
    ///   - outcomeColumns: the columns the times and status come from (none may be a covariate).
    /// - Throws: ``ModelError`` naming the column, or when no row is complete.
    public init(table: DataTable, data: CompetingRisksData, covariates: [String], referenceLevels: [String: String] = [:],
                cluster: String? = nil, outcomeColumns: [String] = [], weights: String? = nil, offset: String? = nil) throws(ModelError) {
        let resolved = try DesignBuilder.resolve(table, covariates: covariates, referenceLevels: referenceLevels,
                                                 outcomes: outcomeColumns + [weights, offset].compactMap { $0 })
        try self.init(table: table, data: data, resolved: resolved, cluster: cluster, weights: weights, offset: offset)
    }

    /// The rows of a model written as a formula (`~ age * sex + rcs(crp, 4)`; a left side is refused:
    /// the times and status come from the event options).
    public init(table: DataTable, data: CompetingRisksData, formula: ModelFormula, referenceLevels: [String: String] = [:],
                cluster: String? = nil, outcomeColumns: [String] = [], weights: String? = nil, offset: String? = nil) throws(ModelError) {
        if let response = formula.response {
            throw .data("the formula of a time-to-event model has no outcome before '~' (the times and status come from the event options): write '~ \(formula.terms.map(\.name).joined(separator: " + "))', not '\(response) ~ ...'")
        }
        let resolved = try DesignBuilder.resolve(table, formula: formula, referenceLevels: referenceLevels,
                                                 outcomes: outcomeColumns + [weights, offset].compactMap { $0 })
        try self.init(table: table, data: data, resolved: resolved, cluster: cluster, weights: weights, offset: offset)
    }

    /// - Parameters:
    ///   - weights: a column of case weights ≥ 0 (`coxph(weights = )`); a missing weight drops the
    ///     row as a missing covariate does, a weight of 0 drops it with that reason.
    ///   - offset: a column added to the linear predictor with coefficient 1 (`offset()`).
    private init(table: DataTable, data: CompetingRisksData, resolved: DesignBuilder.Resolved, cluster: String?,
                 weights: String? = nil, offset: String? = nil) throws(ModelError) {
        guard let sourceRows = data.sourceRows else {
            throw .data("the time-to-event data were not read from the table '\(table.source)'")
        }
        let weightColumn = try weights.map { name throws(ModelError) in try DesignBuilder.numericColumn(table, name, "the weights") }
        let offsetColumn = try offset.map { name throws(ModelError) in try DesignBuilder.numericColumn(table, name, "the offset") }
        let columns = resolved.completeCaseColumns + [weightColumn?.column, offsetColumn?.column].compactMap { $0 }
        let clusterColumn = try cluster.map { name throws(ModelError) in try DesignBuilder.lookup(table, name) }
        var used: [Int] = []   // positions in `data`
        used.reserveCapacity(data.count)
        var covariateExcluded: [ExcludedRow] = []
        for (position, row) in sourceRows.enumerated() {
            if let missing = columns.first(where: { $0.isMissing(row) }) {
                covariateExcluded.append(ExcludedRow(line: Int(table.lineNumbers[row]), reason: "missing \(missing.name)"))
            } else if let clusterColumn, clusterColumn.isMissing(row) {
                covariateExcluded.append(ExcludedRow(line: Int(table.lineNumbers[row]), reason: "missing \(clusterColumn.name)"))
            } else if let (column, values) = weightColumn, !(values[row] > 0) {
                guard values[row] == 0 else {
                    throw .data("\(table.source):\(table.lineNumbers[row]): weight '\(column.name)' is \(NumberText.shortest(values[row])); weights must be finite numbers ≥ 0")
                }
                covariateExcluded.append(ExcludedRow(line: Int(table.lineNumbers[row]), reason: "\(column.name) = 0"))
            } else {
                if let (column, values) = weightColumn, !values[row].isFinite {
                    throw .data("\(table.source):\(table.lineNumbers[row]): weight '\(column.name)' is \(NumberText.shortest(values[row])); weights must be finite numbers ≥ 0")
                }
                used.append(position)
            }
        }
        let excludedRows = (data.excludedRows + covariateExcluded).sorted { $0.line < $1.line }
        guard !used.isEmpty else { throw .noCompleteRows(source: table.source, n: table.rowCount) }
        let rows = used.map { sourceRows[$0] }
        times = used.map { data.times[$0] }
        status = used.map { data.status[$0] }
        eventTypes = data.eventTypes
        design = try DesignBuilder.build(resolved, rows: rows, intercept: false)
        strata = data.strataCodes.map { codes in used.map { Int(codes[$0]) } }
        strataColumn = data.strataColumn
        if let clusterColumn {
            // Codes in the order the column's groups come; only equality matters to the variance.
            var code = [Int](repeating: -1, count: table.rowCount)
            for (g, group) in clusterColumn.groups(of: rows).enumerated() { for row in group.rows { code[row] = g } }
            clusters = rows.map { code[$0] }
        } else {
            clusters = nil
        }
        self.clusterColumn = cluster
        self.weights = weightColumn.map { _, values in rows.map { values[$0] } }
        self.weightColumn = weights
        self.offset = offsetColumn.map { _, values in rows.map { values[$0] } }
        self.offsetColumn = offset
        self.excludedRows = excludedRows
        source = table.source
    }

    public var nObservations: Int { times.count }
    /// Rows with the event of interest (type 1).
    public var nEvents: Int { status.reduce(0) { $0 + ($1 == 1 ? 1 : 0) } }
    /// Rows with another event type (a competing event).
    public var nCompeting: Int { status.reduce(0) { $0 + ($1 > 1 ? 1 : 0) } }
    public var nCensored: Int { status.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } }
    public var nClusters: Int? { clusters.map { Set($0).count } }
    /// Some case weight is not a whole number (coxph's `has.rwt`).
    public var hasFractionalWeights: Bool { weights?.contains { $0 != $0.rounded() } ?? false }
}

extension CoxModel {
    /// The cause-specific Cox model of the event of interest (type 1): every other event type
    /// censors the row at its time, as `coxph(Surv(time, status == 1) ~ ...)` treats it.
    ///
    /// Weights that are not all whole numbers, without clusters, make every row its own cluster: the
    /// robust variance `coxph` (survival 3.5) reports by default for such weights (its `has.rwt`),
    /// the model-based one kept as the naive variance.
    public init(_ rows: SurvivalDesign) throws(ModelError) {
        try self.init(times: rows.times, events: rows.status.map { $0 == 1 }, design: rows.design, strata: rows.strata,
                      clusters: rows.clusters ?? (rows.hasFractionalWeights ? Array(0..<rows.nObservations) : nil),
                      excludedRows: rows.excludedRows, weights: rows.weights, offset: rows.offset)
    }
}

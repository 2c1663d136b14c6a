import CohortData
import CohortStats
import PostgresNIO

/// Logistic regression computed inside PostgreSQL (issue 17): each IRLS iteration sends every site
/// one aggregate query that returns only the sums of ``CohortStats/LogisticSums`` (n, events, XᵀWX,
/// Xᵀ(y − μ), the deviance); the sites' sums are added in our own code, in the order the sites are
/// given, and ``CohortStats/LogisticSumsFit`` takes the Newton step. Rows never leave a database, and
/// the pooled fit is the fit of the union of the sites' rows.
///
/// The query computes each row's derived values once: the design columns and the outcome, then
/// η = xᵀβ, then e = exp(−|η|), then μ, w = e/(1 + e)², y − μ and the deviance term
/// 2[max(η, 0) + log(1 + e) − yη], each level a subquery fenced with `OFFSET 0` so that the planner
/// does not inline it into every `SUM` (which repeats the linear predictor k(k+1)/2 + k + 1 times).
/// Sums are in double precision, in the table's scan order (parallel workers and synchronized scans are switched off), so a
/// site's sums are the same bits run to run.
///
/// Rows that share every design value add the same terms, so on a table read directly (not through
/// the site functions) the rows are first grouped once into a temporary table of covariate
/// patterns, each with its row count m and events Σy, sorted by the pattern; every iteration then
/// scans the patterns: Σ m·w·xxᵀ, Σ (Σy − m·μ)x and Σ 2[m(max(η, 0) + log(1 + e)) − (Σy)η] are the
/// per-row sums regrouped (equal to rounding). With categorical and whole-number covariates a large
/// table has far fewer patterns than rows, and the many restricted fits of the LR tests and profile
/// intervals all run on them; with continuous covariates the patterns are about the rows, narrower
/// (only the design values). A user without the right to create temporary tables gets the per-row
/// query on the table itself.
///
/// Disclosure control, as DataSHIELD's defaults, is checked on each site's counts before any model
/// sum is asked for (``DisclosureRules``).
public struct PushdownLogit {
    public struct Specification: Sendable {
        public var outcome: String
        /// The outcome value counted as the event, when the outcome is not 0/1.
        public var event: String?
        public var covariates: [String]
        /// A categorical covariate's reference level (default: its first level).
        public var referenceLevels: [String: String]
        public var maxIterations: Int
        /// Likelihood-ratio tests of each coefficient and covariate (restricted refits, each its own
        /// aggregate queries); false: Wald tests only.
        public var likelihoodRatioTests: Bool
        /// Profile-likelihood intervals at ``level`` (constrained refits); false: Wald intervals.
        public var profileIntervals: Bool
        public var level: Double
        /// Cluster-robust SEs clustered on this column (``ClusterRobust``, HC0 x G/(G − 1)); rows
        /// missing it are left out. Over sites a cluster must lie within one site.
        public var cluster: String?

        public init(outcome: String, event: String? = nil, covariates: [String], referenceLevels: [String: String] = [:], maxIterations: Int = 25,
                    likelihoodRatioTests: Bool = false, profileIntervals: Bool = false, level: Double = 0.95, cluster: String? = nil) {
            self.cluster = cluster
            self.outcome = outcome
            self.event = event
            self.covariates = covariates
            self.referenceLevels = referenceLevels
            self.maxIterations = maxIterations
            self.likelihoodRatioTests = likelihoodRatioTests
            self.profileIntervals = profileIntervals
            self.level = level
        }
    }

    /// What a site must satisfy before it returns model sums (DataSHIELD's `nfilter` defaults).
    public struct DisclosureRules: Sendable {
        /// A site with fewer complete rows is refused (DataSHIELD nfilter.subset-like minimum; default 10).
        public var minimumRows = 10
        /// A model with more parameters than this fraction of a site's complete rows is refused
        /// (DataSHIELD nfilter.glm, 0.33).
        public var maximumParameterFraction = 0.33
        /// `--suppress-below K`: a site where any outcome x level cell (and the outcome's own counts)
        /// holds 1 to K−1 rows is refused.
        public var suppressBelow: Int?

        public init(minimumRows: Int = 10, maximumParameterFraction: Double = 0.33, suppressBelow: Int? = nil) {
            self.minimumRows = minimumRows
            self.maximumParameterFraction = maximumParameterFraction
            self.suppressBelow = suppressBelow
        }
    }

    /// One design column: its term name and SQL expression.
    struct DesignColumn {
        let term: String
        let sql: String
        /// The column, and the level it indicates (nil: the column's value), for the site functions.
        let column: String
        let level: String?
    }

    /// One site's counts, as its first query returns them.
    public struct SiteCounts: Sendable, Equatable {
        public let label: String
        public let totalRows: Int
        public let rows: Int
        public let events: Int
        public var dropped: Int { totalRows - rows }
    }

    public struct Result: Sendable {
        public let terms: [String]
        public let fit: LogisticSumsFit.Result
        /// Likelihood-ratio tests and profile intervals, as the specification asked (empty/nil otherwise).
        public let inference: LogisticSumsFit.Inference
        public let sites: [SiteCounts]
        /// Each categorical covariate's reference level, by its name.
        public let referenceLevels: [String: String]
        /// The covariates and their design columns (1-based: column 0 is the intercept).
        public let covariates: [LogisticSumsFit.Term]
        /// Bytes the coordinator received from all sites (on the wire) and the queries it sent.
        public let bytesReceived: Int
        public let queries: Int
        /// Bytes received per site for one iteration's query (the same for every iteration of a model).
        public let bytesPerIteration: Int
        /// The iterations' aggregate queries sent to each site (Newton steps, the start and any halvings),
        /// the restricted fits' for tests and profiles included.
        public let evaluations: Int
        /// Each site's number of covariate patterns the iterations scanned; nil where they scanned
        /// the rows (site functions, or no right to create a temporary table).
        public let patterns: [Int?]
        /// With ``Specification/cluster``: how the covariance in ``fit`` was made robust.
        public let cluster: ClusterRobust?
    }

    let spec: Specification
    let rules: DisclosureRules
    let codebook: Codebook?

    public init(_ spec: Specification, rules: DisclosureRules = DisclosureRules(), codebook: Codebook? = nil) {
        self.spec = spec
        self.rules = rules
        self.codebook = codebook
    }

    typealias Site = PushdownSite

    /// Fits the model to the union of the sites' rows (one site: a single table).
    public func fit(sites urls: [PostgresURL], sql: String? = nil) throws -> Result {
        precondition(!urls.isEmpty, "PushdownLogit.fit: no sites")
        let sites = try PushdownSite.connect(urls, sql: sql)
        defer { for site in sites { site.client.close() } }
        if spec.cluster != nil, let site = sites.first(where: { $0.functions != nil }) {
            throw DatabaseError.invalid(site.client.url, "--cluster through the site functions (functions=) is not implemented: they return the model's sums, not its cluster sums; fit with a role that may read the table")
        }
        let clusterColumns = spec.cluster.map { [$0] } ?? []
        if let cluster = spec.cluster, spec.profileIntervals {
            throw DatabaseError.model("--cluster \(cluster) gives cluster-robust SEs, which profile-likelihood intervals do not use: add --ci wald")
        }
        // Column kinds from the first site; every other site must agree.
        var kinds: [String: Bool] = [:]  // covariate -> categorical
        var outcomeIsText = false
        for site in sites {
            let columns = try PostgresSource.columns(of: site.relation, site.client.url, client: site.client)
            let byName = Dictionary(columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for name in [spec.outcome] + spec.covariates + clusterColumns {
                guard let column = byName[name] else { throw DatabaseError.missingColumn(site.client.url, column: name) }
                if let type = codebook?.variables.first(where: { $0.name == name })?.type, let expected = PostgresSource.contradiction(column, type) {
                    throw DatabaseError.columnType(site.client.url, column: name, databaseType: column.type, codebookType: expected)
                }
            }
            let text = byName[spec.outcome]!.category == "S"
            if site.label == sites[0].label { outcomeIsText = text }
            for name in spec.covariates {
                let declared = codebook?.variables.first(where: { $0.name == name })?.type
                let categorical = declared.map { [VariableType.categorical, .text].contains($0) } ?? (byName[name]!.category == "S")
                if let known = kinds[name], known != categorical {
                    throw DatabaseError.invalid(site.client.url, "column '\(name)' is \(categorical ? "text" : "numeric") here but not at the first site")
                }
                kinds[name] = categorical
            }
        }
        if outcomeIsText, spec.event == nil {
            throw DatabaseError.model("the outcome '\(spec.outcome)' is text: name the event with --event VALUE")
        }
        let q = PostgresURL.quoteIdentifier
        // Rows missing the cluster are left out of the fit, as the local --cluster does.
        let complete = ([spec.outcome] + spec.covariates + clusterColumns).map { "\(q($0)) IS NOT NULL" }.joined(separator: " AND ")
        let outcome = spec.event.map { "(CASE WHEN (\(q(spec.outcome)))::text = \(PostgresURL.quoteLiteral($0)) THEN 1 ELSE 0 END)::float8" }
            ?? "(\(q(spec.outcome)))::int::float8"

        // Levels of the categorical covariates: the codebook's, else the union over sites in code-point order.
        var design: [DesignColumn] = []
        var references: [String: String] = [:]
        var factorCells: [(term: String, sql: String, column: String, level: String)] = []
        let modelColumns = SiteFunctions.textArray([spec.outcome] + spec.covariates)
        for name in spec.covariates {
            guard kinds[name] == true else {
                design.append(DesignColumn(term: name, sql: "(\(q(name)))::float8", column: name, level: nil))
                continue
            }
            var levels = codebook?.variables.first(where: { $0.name == name })?.levels ?? []
            if levels.isEmpty {
                var found = Set<String>()
                for site in sites {
                    if let functions = site.functions {
                        let row = try site.client.rows("SELECT \(Self.function(functions, "levels"))(\(PostgresURL.quoteLiteral(name)), \(modelColumns))")
                        let cell = Array(row[0])[0]
                        if cell.bytes != nil {
                            do { found.formUnion(try cell.decode([String].self)) } catch { throw DatabaseError.server(site.client.url, "\(error)") }
                        }
                        continue
                    }
                    for row in try site.client.rows("SELECT DISTINCT (\(q(name)))::text FROM \(site.relation) WHERE \(complete)") {
                        if let level = try Array(row)[0].text() { found.insert(level) }
                    }
                }
                levels = found.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
            }
            let reference = spec.referenceLevels[name] ?? levels.first ?? ""
            references[name] = reference
            guard levels.contains(reference) else {
                throw DatabaseError.model("--factor \(name)=\(reference): '\(reference)' is not a level of '\(name)' (levels: \(levels.joined(separator: ", ")))")
            }
            for level in levels {
                let test = "(\(q(name)))::text = \(PostgresURL.quoteLiteral(level))"
                factorCells.append(("\(name)[\(level)]", test, name, level))
                if level != reference {
                    design.append(DesignColumn(term: "\(name)[\(level)]", sql: "(CASE WHEN \(test) THEN 1 ELSE 0 END)::float8", column: name, level: level))
                }
            }
        }
        for name in spec.referenceLevels.keys.sorted() where kinds[name] != true {
            throw DatabaseError.model("--factor \(name)=...: '\(name)' is not a categorical covariate of the model")
        }
        let k = design.count + 1

        // The site functions' arguments but beta.
        let functionArguments = [spec.event.map(PostgresURL.quoteLiteral) ?? "NULL::text",
                                 SiteFunctions.textArray(design.map(\.column)), SiteFunctions.textArray(design.map(\.level)),
                                 SiteFunctions.textArray(factorCells.map(\.column)), SiteFunctions.textArray(factorCells.map(\.level))]
        func functionCall(_ site: Site, beta: [Double]?) -> String {
            let betaArgument = beta.map { "ARRAY[" + $0.map { "CAST('\($0)' AS float8)" }.joined(separator: ", ") + "]::float8[]" } ?? "NULL::float8[]"
            return "SELECT \(Self.function(site.functions!, "logit"))(\(([PostgresURL.quoteLiteral(spec.outcome)] + functionArguments + [betaArgument]).joined(separator: ", ")))"
        }
        func doubles(_ row: [PostgresRow], _ site: Site) throws -> [Double] {
            do { return try Array(row[0])[0].decode([Double].self) } catch { throw DatabaseError.server(site.client.url, "\(error)") }
        }

        // Counts and the disclosure rules, site by site, before any model sum. Through the site
        // functions the site applies its own rules (and returns no cells); the coordinator's apply too.
        var counts: [SiteCounts] = []
        for site in sites {
            if site.functions != nil {
                let values = try doubles(try site.client.rows(functionCall(site, beta: nil)), site).map { Int($0) }
                try check(site, rows: values[1], parameters: k, cells: [])
                counts.append(SiteCounts(label: site.label, totalRows: values[0], rows: values[1], events: values[2]))
                continue
            }
            var items = ["count(*)", "count(*) FILTER (WHERE \(complete))",
                         "count(*) FILTER (WHERE \(complete) AND \(outcome) = 1)",
                         "count(*) FILTER (WHERE \(complete) AND \(outcome) NOT IN (0, 1))"]
            for cell in factorCells {
                items.append("count(*) FILTER (WHERE \(complete) AND \(cell.sql) AND \(outcome) = 1)")
                items.append("count(*) FILTER (WHERE \(complete) AND \(cell.sql) AND \(outcome) = 0)")
            }
            let row = try site.client.rows("SELECT \(items.joined(separator: ", ")) FROM \(site.relation)")
            let values: [Int]
            do { values = try Array(row[0]).map { try $0.integer() ?? 0 } } catch { throw DatabaseError.server(site.client.url, "\(error)") }
            if values[3] > 0 {
                throw DatabaseError.invalid(site.client.url, "the outcome '\(spec.outcome)' holds values other than 0 and 1; name the event with --event VALUE")
            }
            let n = values[1], events = values[2]
            var cells: [(String, Int)] = [("\(spec.outcome) = event", events), ("\(spec.outcome) = non-event", n - events)]
            for (j, cell) in factorCells.enumerated() {
                cells.append(("\(spec.outcome) = event x \(cell.term)", values[4 + 2 * j]))
                cells.append(("\(spec.outcome) = non-event x \(cell.term)", values[5 + 2 * j]))
            }
            try check(site, rows: n, parameters: k, cells: cells)
            counts.append(SiteCounts(label: site.label, totalRows: values[0], rows: n, events: events))
        }

        // The iteration: one aggregate query a site, its derived values once per row (or pattern).
        let names = (1..<k).map { "d\($0)" }
        let base = "SELECT \((design.enumerated().map { "\($0.element.sql) AS d\($0.offset + 1)" } + ["\(outcome) AS y"] + clusterColumns.map { "(\(q($0)))::text AS g" }).joined(separator: ", ")) FROM %@ WHERE \(complete) OFFSET 0"
        // A pattern's count and events; for single rows, 1 and y.
        func sums(grouped: Bool) -> [String] {
            var sums = grouped ? ["COALESCE(sum(m), 0)::bigint", "COALESCE(sum(ys), 0)"] : ["count(*)", "COALESCE(sum(y), 0)"]
            for b in 0..<k {
                for a in 0...b {
                    let factors = ["w"] + [a, b].filter { $0 > 0 }.map { names[$0 - 1] }
                    sums.append("COALESCE(sum(\(factors.joined(separator: " * "))), 0)")
                }
            }
            for a in 0..<k { sums.append("COALESCE(sum(\(a == 0 ? "r" : "r * \(names[a - 1])")), 0)") }
            sums.append("COALESCE(sum(dev), 0)")
            return sums
        }
        let rowSums = sums(grouped: false), patternSums = sums(grouped: true)
        let patternTable = "cohort_logit_patterns"
        // Each row's (or pattern's) derived values at β: the relation the iteration's and the
        // clusters' sums read.
        func derived(_ beta: [Double], relation: String, grouped: Bool) -> String {
            let literal = { (x: Double) in "CAST('\(x)' AS float8)" }
            let eta = ([literal(beta[0])] + (1..<k).map { "\(literal(beta[$0])) * \(names[$0 - 1])" }).joined(separator: " + ")
            let level0 = grouped ? "SELECT * FROM \(patternTable) OFFSET 0" : base.replacing("%@", with: relation)
            let terms = grouped
                ? "m * e / ((1 + e) * (1 + e)) AS w, ys - m * mu AS r, 2 * (m * (greatest(eta, 0) + ln(1 + e)) - ys * eta) AS dev"
                : "e / ((1 + e) * (1 + e)) AS w, y - mu AS r, 2 * (greatest(eta, 0) + ln(1 + e) - y * eta) AS dev"
            return """
                SELECT s3.*, \(terms) FROM (
                SELECT s2.*, CASE WHEN eta >= 0 THEN 1 / (1 + e) ELSE e / (1 + e) END AS mu FROM (
                SELECT s1.*, exp(-least(abs(eta), 700)) AS e FROM (
                SELECT s0.*, \(eta) AS eta FROM (\(level0)) s0 OFFSET 0) s1 OFFSET 0) s2 OFFSET 0) s3 OFFSET 0
                """
        }
        func query(_ beta: [Double], relation: String, grouped: Bool) -> String {
            "SELECT \((grouped ? patternSums : rowSums).joined(separator: ", ")) FROM (\n\(derived(beta, relation: relation, grouped: grouped))) s4"
        }
        // The covariate patterns, once a site (after its disclosure checks passed), sorted so that
        // the iterations scan them in the same order every run.
        var patterns = [Int?](repeating: nil, count: sites.count)
        for (s, site) in sites.enumerated() where site.functions == nil {
            let keys = names.joined(separator: ", ")
            let grouping = names.isEmpty ? "" : " GROUP BY \(keys) ORDER BY \(keys)"
            let columns = (names + ["count(*)::float8 AS m", "sum(y) AS ys"]).joined(separator: ", ")
            do throws(DatabaseError) {
                _ = try site.client.rows("CREATE TEMPORARY TABLE \(patternTable) AS SELECT \(columns) FROM (\(base.replacing("%@", with: site.relation))) s0\(grouping)")
            } catch {
                // No TEMPORARY privilege on this database: the per-row query on the table.
                guard case .server(_, let message) = error, message.hasPrefix("permission denied") else { throw error }
                continue
            }
            let count = try site.client.rows("SELECT count(*) FROM \(patternTable)")
            do { patterns[s] = try Array(count[0])[0].integer() } catch { throw DatabaseError.server(site.client.url, "\(error)") }
        }
        var perIteration = 0
        var evaluations = 0
        var initial: LogisticSums?
        // The sums at a full β, added over the sites in their given order. Restricted fits use the
        // same query: a fixed coefficient is an offset in η, and the rows stay the full model's.
        func evaluate(_ beta: [Double]) throws -> LogisticSums {
            var parts: [LogisticSums] = []
            var received = 0
            for (index, site) in sites.enumerated() {
                let before = site.client.bytesReceived
                // [n, events, XᵀWX packed, Xᵀ(y − μ), deviance]: one row of k(k+1)/2 + k + 3 numbers.
                let all: [Double]
                if site.functions != nil {
                    all = try doubles(try site.client.rows(functionCall(site, beta: beta)), site)
                } else {
                    let cells = Array(try site.client.rows(query(beta, relation: site.relation, grouped: patterns[index] != nil))[0])
                    all = [Double(try cells[0].integer() ?? 0)] + (try cells.dropFirst().map { try $0.double() ?? 0 })
                }
                received += site.client.bytesReceived - before
                let packed = k * (k + 1) / 2
                guard all.count == packed + k + 3 else { throw DatabaseError.invalid(site.client.url, "the site returned \(all.count) sums for \(k) parameters") }
                parts.append(LogisticSums(rows: Int(all[0]), events: Int(all[1]), information: Array(all[2...(packed + 1)]),
                                          score: Array(all[(packed + 2)...(packed + k + 1)]), deviance: all[packed + k + 2]))
            }
            perIteration = received / sites.count
            evaluations += 1
            let sums = LogisticSums.pooled(parts)
            if initial == nil { initial = sums }
            return sums
        }
        var fit: LogisticSumsFit.Result
        do {
            fit = try LogisticSumsFit.fit(parameters: k, maxIterations: spec.maxIterations, evaluate: evaluate)
        } catch let failure as LogisticSumsFit.Failure {
            throw DatabaseError.model("logistic regression in the database: \(failure)")
        }
        let coefficientNames = ["(Intercept)"] + design.map(\.term)
        var terms: [LogisticSumsFit.Term] = []
        for (j, column) in design.enumerated() {
            if let last = terms.last, last.name == column.column {
                terms[terms.count - 1] = .init(name: last.name, columns: last.columns + [j + 1])
            } else {
                terms.append(.init(name: column.column, columns: [j + 1]))
            }
        }
        var robust: ClusterRobust?
        if let cluster = spec.cluster {
            try Self.clustersWithinSites(cluster, sites: sites, complete: complete)
            // At β̂ each site returns G and Σ_g U_g U_gᵀ, U_g = Σ_{i ∈ g} xᵢ(yᵢ − μᵢ): the cluster sums
            // in the table's scan order, then their products summed over the clusters in the order
            // of the cluster's text (ORDER BY, fenced), so the bits do not depend on the plan's hashing.
            let u = ["sum(r)"] + names.map { "sum(r * \($0))" }
            var products: [String] = []
            for b in 0..<k { for a in 0...b { products.append("COALESCE(sum(u\(a) * u\(b)), 0)") } }
            var middle = [Double](repeating: 0, count: k * k)
            var clusters = 0
            for site in sites {
                let sql = "SELECT count(*), \(products.joined(separator: ", ")) FROM (SELECT g, \(u.enumerated().map { "\($0.element) AS u\($0.offset)" }.joined(separator: ", ")) "
                    + "FROM (\(derived(fit.coefficients, relation: site.relation, grouped: false))) s4 GROUP BY g ORDER BY g OFFSET 0) c"
                let cells = Array(try site.client.rows(sql)[0])
                do {
                    clusters += try cells[0].integer() ?? 0
                    for b in 0..<k {
                        for a in 0...b {
                            let value = try cells[1 + LogisticSums.packedIndex(a, b)].double() ?? 0
                            middle[b * k + a] += value
                            if a != b { middle[a * k + b] += value }
                        }
                    }
                } catch { throw DatabaseError.server(site.client.url, "\(error)") }
            }
            guard clusters >= 2 else { throw DatabaseError.model("--cluster \(cluster): \(clusters) cluster\(clusters == 1 ? "" : "s") among the rows used; cluster-robust SEs need at least 2") }
            let made = ClusterRobust.covariance(middle: middle, bread: fit.covariance, active: Array(0..<k), clusters: clusters, rows: fit.sums.rows,
                                                column: cluster, kind: .hc0)
            fit = fit.replacingCovariance(made.covariance)
            robust = made.robust
        }
        let inference = try LogisticSumsFit.inference(
            fitted: fit, names: coefficientNames, terms: terms, level: spec.level, likelihoodRatioTests: spec.likelihoodRatioTests && spec.cluster == nil,
            profile: spec.profileIntervals, reach: initial.map(LogisticSumsFit.profileReach(initial:)) ?? [], maxIterations: spec.maxIterations,
            evaluate: evaluate)
        return Result(terms: coefficientNames, fit: fit, inference: inference, sites: counts, referenceLevels: references, covariates: terms,
                      bytesReceived: sites.reduce(0) { $0 + $1.client.bytesReceived }, queries: sites.reduce(0) { $0 + $1.client.queries },
                      bytesPerIteration: perIteration, evaluations: evaluations, patterns: patterns, cluster: robust)
    }

    /// What the fit's note says of the patterns: "; iterations over 310513 covariate patterns", one
    /// count a site; nothing when every site's rows were scanned.
    public static func patternNote(_ patterns: [Int?]) -> String {
        guard patterns.contains(where: { $0 != nil }) else { return "" }
        let counts = patterns.map { $0.map(String.init) ?? "the rows" }
        return "; iterations over \(counts.joined(separator: ", ")) covariate patterns\(patterns.count == 1 ? "" : " (by site)")"
    }

    /// Refuses clusters that span sites: each site's distinct cluster values among the complete rows
    /// (what crosses the wire grows with the clusters, not the rows), compared here. The meat adds
    /// over sites only when no cluster has rows at two of them.
    static func clustersWithinSites(_ cluster: String, sites: [Site], complete: String) throws {
        guard sites.count > 1 else { return }
        var seen: [String: String] = [:]
        for site in sites {
            for row in try site.client.rows("SELECT DISTINCT (\(PostgresURL.quoteIdentifier(cluster)))::text FROM \(site.relation) WHERE \(complete)") {
                let value: String
                do { value = try Array(row)[0].text() ?? "" } catch { throw DatabaseError.server(site.client.url, "\(error)") }
                if let other = seen[value], other != site.label {
                    throw DatabaseError.model("--cluster \(cluster): the cluster '\(value)' has rows at site \(other) and at site \(site.label); clusters must lie within one site")
                }
                seen[value] = site.label
            }
        }
    }

    /// The coordinator's disclosure rules on a site's counts (``DisclosureRules``).
    func check(_ site: Site, rows n: Int, parameters k: Int, cells: [(String, Int)]) throws {
        if n < rules.minimumRows {
            throw DatabaseError.disclosure(site: site.label, "\(n < 1 ? "no" : "fewer than \(rules.minimumRows)") complete rows; a site needs at least \(rules.minimumRows) (--site-min-rows)")
        }
        if Double(k) > rules.maximumParameterFraction * Double(n) {
            throw DatabaseError.disclosure(site: site.label, "the model's \(k) parameters exceed \(rules.maximumParameterFraction) of the site's \(n) complete rows (--site-parameter-fraction)")
        }
        if let threshold = rules.suppressBelow, threshold > 1, let small = cells.first(where: { (1..<threshold).contains($0.1) }) {
            throw DatabaseError.disclosure(site: site.label, "the cell \(small.0) holds fewer than \(threshold) rows (--suppress-below \(threshold))")
        }
    }

    /// A site function's name: `"SCHEMA"."TABLE_suffix"`.
    static func function(_ functions: (schema: String, table: String), _ suffix: String) -> String {
        "\(PostgresURL.quoteIdentifier(functions.schema)).\(PostgresURL.quoteIdentifier(functions.table + "_" + suffix))"
    }

}

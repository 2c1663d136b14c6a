import CohortData
import CohortStats
import PostgresNIO

/// Counts and sums computed inside PostgreSQL for `cohort describe` and `cohort incidence` (issue
/// 17): what those commands print is a function of how many rows hold each combination of a few
/// columns' values (categories, groups, a binary outcome) and, for a measurement, of sums and a few
/// order statistics. Those leave the database, never the rows; with several sites the counts add.
///
/// The distinct combinations come back as text, as ``PostgresSource`` renders a value, and are read
/// by ``CohortData/CohortLoader`` as a small table (one row a combination) with the codebook: the
/// same typing, missing values, level labels and level order as the rows pulled, so the results
/// are computed by the same code on a table whose row r stands for `multiplicity[r]` rows.
/// Only the columns asked for are checked against the codebook (a pulled table is checked whole).
///
/// A site reached through its installed functions (`functions=`, ``SiteFunctions``) answers the
/// same questions with `"T_counts"`, which applies the site's own rules (its minimum of rows and a
/// cell floor) before it returns a count; a probe of a column's values is then the column's full
/// counts, since the site returns no values without them.
public final class PushdownCounts {
    let sites: [PushdownSite]
    let codebook: Codebook?
    let reading: CSVOptions
    /// Disclosure rules, checked on each site's counts (nil for one database read as DATA, whose
    /// output the command's own suppression protects as it does a file's).
    let rules: PushdownLogit.DisclosureRules?
    /// The database's columns at the first site, by name.
    let columns: [String: PostgresSource.ColumnType]
    /// The first site's column names in order.
    public let columnNames: [String]
    /// What the output names as its data: the URL, or the sites'.
    public let source: String

    /// Bytes received from all sites and queries sent so far.
    public var bytesReceived: Int { sites.reduce(0) { $0 + $1.client.bytesReceived } }
    public var queries: Int { sites.reduce(0) { $0 + $1.client.queries } }
    public var siteCount: Int { sites.count }

    /// Connects to every site and reads its columns; `rules` apply at each (pass nil for one
    /// database read as DATA).
    public init(sites urls: [PostgresURL], sql: String?, codebook: Codebook?, options: CSVOptions, rules: PushdownLogit.DisclosureRules?) throws {
        precondition(!urls.isEmpty, "PushdownCounts: no sites")
        sites = try PushdownSite.connect(urls, sql: sql)
        self.codebook = codebook
        self.rules = rules
        reading = CohortLoader.readingOptions(options, codebook: codebook)
        var first: [PostgresSource.ColumnType] = []
        var byName: [String: PostgresSource.ColumnType] = [:]
        for (i, site) in sites.enumerated() {
            let found = try PostgresSource.columns(of: site.relation, site.client.url, client: site.client)
            if i == 0 {
                first = found
                byName = Dictionary(found.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            } else {
                let here = Dictionary(found.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
                for column in first where here[column.name].map({ $0.category != column.category }) ?? false {
                    throw DatabaseError.invalid(site.client.url, "column '\(column.name)' is \(here[column.name]!.type) here but \(column.type) at the first site")
                }
            }
        }
        columns = byName
        columnNames = first.map(\.name)
        source = urls.count == 1 ? urls[0].description : "\(urls.count) sites: " + urls.map(\.description).joined(separator: ", ")
    }

    deinit { for site in sites { site.client.close() } }

    /// The column's database type, present at every site and agreeing with the codebook.
    func column(_ name: String) throws -> PostgresSource.ColumnType {
        guard let column = columns[name] else { throw DatabaseError.missingColumn(sites[0].client.url, column: name) }
        for site in sites.dropFirst() {
            let found = try site.client.rows("SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(\(PostgresURL.quoteLiteral(site.relation)))::oid AND attname = \(PostgresURL.quoteLiteral(name)) AND NOT attisdropped")
            if found.isEmpty { throw DatabaseError.missingColumn(site.client.url, column: name) }
        }
        if let type = codebook?.variables.first(where: { $0.name == name })?.type, let expected = PostgresSource.contradiction(column, type) {
            throw DatabaseError.columnType(sites[0].client.url, column: name, databaseType: column.type, codebookType: expected)
        }
        return column
    }

    /// The column's values as text, as ``PostgresSource`` reads them (booleans as 1/0).
    func text(_ name: String) throws -> String {
        let column = try column(name)
        let quoted = PostgresURL.quoteIdentifier(name)
        return column.category == "B" ? "(\(quoted))::int::text" : "(\(quoted))::text"
    }

    /// Whether some site is reached through its functions only (no `SELECT` of its rows).
    var throughFunctions: Bool { sites.contains { $0.functions != nil } }

    /// The query of a site's distinct combinations of `expressions` (named `names`) and their counts,
    /// at most `limit` of them without counts (a probe); through the site functions, `"T_counts"`.
    func countsQuery(_ site: PushdownSite, names: [String], expressions: [String], limit: Int?) -> String {
        if let functions = site.functions {
            return "SELECT * FROM \(PushdownLogit.function(functions, "counts"))(\(SiteFunctions.textArray(names)))"
        }
        if names.isEmpty { return "SELECT count(*) FROM \(site.relation)" }
        let positions = (1...names.count).map(String.init).joined(separator: ", ")
        // A probe asks for values only, no counts (which would cross the wire before the cell rule).
        return "SELECT \(expressions.joined(separator: ", ")), \(limit == nil ? "count(*)" : "1") FROM \(site.relation) GROUP BY \(positions)"
            + (limit.map { " LIMIT \($0)" } ?? "")
    }

    /// A row of a counts query: the combination's values and its count.
    func combination(_ row: PostgresRow, width: Int, _ site: PushdownSite) throws -> (key: [String?], count: Int) {
        let cells = Array(row)
        do {
            // Through the functions: SiteFunctions.maximumCountColumns values, the unused ones NULL, then the count.
            return (try cells.prefix(width).map { try $0.text() }, try cells[cells.count - 1].integer() ?? 0)
        } catch {
            throw DatabaseError.server(site.client.url, "a value could not be read as text: \(error)")
        }
    }

    /// Rows at all sites.
    public func rowCount() throws -> Int {
        var total = 0
        for site in sites {
            let rows = try site.client.rows(countsQuery(site, names: [], expressions: [], limit: nil))
            let n = try rows.first.map { try combination($0, width: 0, site).count } ?? 0
            if let rules, n < rules.minimumRows {
                throw DatabaseError.disclosure(site: site.label, "\(n < 1 ? "no" : "fewer than \(rules.minimumRows)") rows; a site needs at least \(rules.minimumRows) (--site-min-rows)")
            }
            total += n
        }
        return total
    }

    /// The distinct combinations of `names`' values (NULL included) with how many rows hold each,
    /// added over the sites, read as a table with the codebook: row r stands for `multiplicity[r]`
    /// rows, whose values as the database wrote them are `keys[r]`. At most `limit` combinations a
    /// site when given (a probe of a column's values).
    ///
    /// Under the disclosure rules a site is refused when its rows with every value present are
    /// fewer than the minimum, or (`--suppress-below K`) when a combination with every value
    /// present holds 1 to K−1 of them.
    public func table(of names: [String], limit: Int? = nil) throws -> (table: DataTable, multiplicity: [Int], keys: [[String?]]) {
        let expressions = try names.map(text)
        var pooled: [[String?]: Int] = [:]
        for site in sites {
            // Through the functions a probe gets the counts too, under the site's rules.
            let limit = site.functions == nil ? limit : nil
            var complete = 0
            for row in try site.client.rows(countsQuery(site, names: names, expressions: expressions, limit: limit)) {
                let (key, count) = try combination(row, width: names.count, site)
                pooled[key, default: 0] += count
                guard limit == nil, key.allSatisfy({ $0 != nil }) else { continue }
                complete += count
                if let threshold = rules?.suppressBelow, threshold > 1, (1..<threshold).contains(count) {
                    throw DatabaseError.disclosure(site: site.label, "the cell \(zip(names, key).map { "\($0) = \($1 ?? "")" }.joined(separator: " x ")) holds fewer than \(threshold) rows (--suppress-below \(threshold))")
                }
            }
            if let rules, limit == nil, complete < rules.minimumRows {
                throw DatabaseError.disclosure(site: site.label, "\(complete < 1 ? "no" : "fewer than \(rules.minimumRows)") rows with \(names.joined(separator: " and ")) present; a site needs at least \(rules.minimumRows) (--site-min-rows)")
            }
        }
        // A fixed order (the results do not depend on it: levels are sorted or the codebook's).
        let combinations = pooled.sorted { a, b in
            a.key.lexicographicallyPrecedes(b.key) { x, y in (x ?? "") < (y ?? "") || (x == nil && y != nil) }
        }
        let missing = AnalysisReadyCSV.field(reading.missingTokens.first ?? "")
        var bytes = Array(names.map(AnalysisReadyCSV.field).joined(separator: ",").utf8)
        bytes.append(0x0A)
        for (key, _) in combinations {
            bytes += key.map { $0.map(AnalysisReadyCSV.field) ?? missing }.joined(separator: ",").utf8
            bytes.append(0x0A)
        }
        var options = reading
        options.delimiter = 0x2C
        options.decimalComma = false
        // Only the columns read here: the codebook's others, derived variables and linked tables need rows.
        let subset = codebook.map { Codebook(source: $0.source, missing: $0.missing, variables: $0.variables.filter { names.contains($0.name) }) }
        let loaded = try CohortLoader.load(bytes: bytes, source: source, codebook: subset, options: options)
        guard loaded.report.isValid else { throw DataError.invalidData(loaded.report) }
        return (loaded.table, combinations.map(\.value), combinations.map(\.key))
    }

    /// Whether at every site the number column `name` holds at most `levels` distinct values, all
    /// whole (else a measurement): asked before a probe sends a site's values to the coordinator.
    func fewWholeValues(_ name: String, levels: Int) throws -> Bool {
        let quoted = PostgresURL.quoteIdentifier(name)
        for site in sites {
            let row = try site.client.rows("SELECT (count(DISTINCT \(quoted)) <= \(levels) AND coalesce(bool_and((\(quoted))::float8 = floor((\(quoted))::float8)), true))::int FROM \(site.relation)")
            if try Self.integers(row, site).first != 1 { return false }
        }
        return true
    }

    static func integers(_ rows: [PostgresRow], _ site: PushdownSite) throws -> [Int] {
        do { return try rows.first.map { try Array($0).map { try $0.integer() ?? 0 } } ?? [] } catch { throw DatabaseError.server(site.client.url, "\(error)") }
    }

    /// The first site (one database: measurements are summarised there).
    var single: PushdownSite { sites[0] }
}

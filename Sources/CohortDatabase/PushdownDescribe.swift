import CohortData
import CohortStats
import PostgresNIO

/// `cohort describe` inside PostgreSQL (issue 17): Table 1 from counts and sums, never the rows.
///
/// - Categories (and the groups of `by`): one `GROUP BY` of the variable and the group a site,
///   the counts of each pair; they add over sites, and the counts, percentages, chi-square or
///   Fisher tests and SMDs are computed from them by the code that computes them from rows.
/// - Measurements (and dates), one database only: three queries a variable, each overall and by
///   group: n, Σx and whether every value is whole; then Σ(x − m) and Σ(x − m)² about the rough
///   mean m = Σx/n (the two passes of ``CohortStats/NumericSummary``, summed in the table's scan
///   order, so the same bits as the rows give); then, by `row_number()` over the sorted values,
///   only the order statistics the type-7 quartiles interpolate between and the minimum and
///   maximum (at most eight values a group). R's type 7 is computed here from those values with the
///   local arithmetic (`percentile_cont` interpolates as x + (y − x)f, which can differ from the
///   local (1 − f)x + fy in the last bit).
/// - Free text: n and the number of distinct values.
///
/// Refused, with the reason: a measurement over several sites (its median and quartiles do not
/// pool from sums, and its minimum and maximum are one patient's values; DataSHIELD likewise
/// offers quantiles only per study or approximated), and a test between groups of a measurement
/// (rank-sum, Kruskal-Wallis, Welch: they need the values; `--no-tests`, or `--pull`).
public enum PushdownDescribe {
    /// The description of `variables` (nil: every column of the table but `by` and identifiers).
    public static func describe(_ counts: PushdownCounts, variables: [String]?, by: String?, tests: GroupTests?,
                                standardizedDifferences: (Int) -> Bool) throws -> CohortDescription {
        let names: [String]
        if let variables {
            names = variables
        } else {
            if let codebook = counts.codebook, !codebook.derived.isEmpty || !codebook.tables.isEmpty {
                throw DatabaseError.model("describe inside the database: the codebook's derived variables and linked tables need the rows; name the columns with --variables, or read the rows with --pull")
            }
            let identifiers = counts.codebook?.identifiers ?? []
            names = counts.columnNames.filter { $0 != by && !identifiers.contains($0) }
        }
        let rowCount = try counts.rowCount()
        // The groups: their labels in display order, and which database text is which group.
        var groups: [CohortDescription.Group] = []
        var groupOf: [String: Int] = [:]
        var grouped = 0
        if let by {
            let (table, multiplicity, keys) = try counts.table(of: [by])
            let column = try table.column(named: by)
            for (k, group) in column.groups(of: (0..<table.rowCount).filter { !column.isMissing($0) }).enumerated() {
                let n = group.rows.reduce(0) { $0 + multiplicity[$1] }
                groups.append(.init(label: group.label, count: n))
                grouped += n
                for row in group.rows { if let key = keys[row][0] { groupOf[key] = k } }
            }
        }
        let smd = by != nil && standardizedDifferences(groups.count)
        var described: [VariableDescription] = []
        for name in names {
            described.append(try variable(name, by: by, groups: groups, groupOf: groupOf, counts: counts, tests: by == nil ? nil : tests, smd: smd))
        }
        return CohortDescription.assembled(source: counts.source, rowCount: rowCount, groupColumn: by, groups: groups,
                                           rowsWithoutGroup: by == nil ? 0 : rowCount - grouped, variables: described,
                                           tests: tests, standardizedDifferences: smd)
    }

    /// One variable: its role from the codebook or from at most six of its values, then its counts or sums.
    static func variable(_ name: String, by: String?, groups: [CohortDescription.Group], groupOf: [String: Int], counts: PushdownCounts,
                         tests: GroupTests?, smd: Bool) throws -> VariableDescription {
        // Over several sites a measurement is refused before any of its values is asked for.
        let several = "describe over several sites: '\(name)' is a measurement, whose median and quartiles do not add over sites and whose minimum and maximum are one patient's values (DataSHIELD gives quantiles per study only); describe categories over --site, or each site's measurements from its own URL"
        let declared = counts.codebook?.variables.first { $0.name == name }?.type
        if counts.throughFunctions, let declared, ![.binary, .grade, .categorical].contains(declared) {
            throw DatabaseError.model(Self.notServed(name, declared == .date ? .date : [.text, .identifier].contains(declared) ? .freeText : .continuous))
        }
        if counts.siteCount > 1, !counts.throughFunctions {
            let measured: Bool
            if let declared {
                measured = ![.binary, .grade, .categorical].contains(declared)
            } else {
                measured = try counts.column(name).category == "N" && !(try counts.fewWholeValues(name, levels: 5))
            }
            if measured { throw DatabaseError.model(several) }
        }
        // Six distinct values decide an undeclared number column (at most five whole values: categories).
        let probe = try counts.table(of: [name], limit: 7)
        let probeColumn = try probe.table.column(named: name)
        let role = probeColumn.role(among: (0..<probe.table.rowCount).filter { !probeColumn.isMissing($0) })
        if counts.throughFunctions, role != .categorical { throw DatabaseError.model(Self.notServed(name, role)) }
        if role == .categorical {
            // The group column described is its own group column (one column read).
            let (table, multiplicity, _) = try counts.table(of: [name] + (by.map { $0 == name ? [] : [$0] } ?? []))
            let column = try table.column(named: name)
            var members: [[Int]] = []
            if let by {
                let groupColumn = try table.column(named: by)
                let found = groupColumn.groups(of: (0..<table.rowCount).filter { !groupColumn.isMissing($0) })
                guard found.map(\.label) == groups.map(\.label) else {
                    throw DatabaseError.model("describe inside the database: the groups of '\(by)' changed between queries")
                }
                members = found.map(\.rows)
            }
            return CohortDescription.counted(column, rows: Array(0..<table.rowCount), groups: members, multiplicity: multiplicity, tests: tests, smd: smd)
        }
        if tests != nil, role == .continuous {
            throw DatabaseError.model("describe inside the database: the test between groups of the measurement '\(name)' (rank-sum, Kruskal-Wallis or Welch) needs its values; give --no-tests, or read the rows with --pull")
        }
        guard counts.siteCount == 1 else { throw DatabaseError.model(several) }
        let summaries = role == .freeText
            ? try freeText(name, by: by, groups: groups.count, groupOf: groupOf, counts: counts)
            : try numeric(name, date: role == .date, by: by, groups: groups.count, groupOf: groupOf, counts: counts)
        return CohortDescription.summarized(probeColumn, role: role, overall: summaries.overall, byGroup: summaries.byGroup,
                                            tests: tests != nil, smd: smd)
    }

    /// The refusal of a variable that is not categories through the site functions: they serve
    /// counts only. Not n, mean and SD alone either: every layout of a measurement prints a median
    /// and quartiles (and the full one the extremes), which are single patients' values.
    static func notServed(_ name: String, _ role: VariableRole) -> String {
        let kind = role == .continuous ? "a measurement" : role == .date ? "a date" : "free text"
        return "describe through the site functions (functions=): '\(name)' is \(kind), and the site serves counts of categories only: "
            + "a measurement's median, quartiles and extremes are single patients' values, and no layout prints its mean and SD alone; "
            + "describe the categories, or this variable at the site with a role that may read the table"
    }

    /// The rows' values of `name` as float8, missing tokens as NULL, and the group's text.
    static func values(_ name: String, date: Bool, by: String?, counts: PushdownCounts) throws -> String {
        let text = try counts.text(name)
        let tokens = counts.reading.missingTokens.map(PostgresURL.quoteLiteral).joined(separator: ", ")
        let quoted = PostgresURL.quoteIdentifier(name)
        let value = date ? "((\(quoted))::date - DATE '1970-01-01')::float8" : "(\(quoted))::float8"
        let missing = tokens.isEmpty ? "\(quoted) IS NULL" : "\(quoted) IS NULL OR \(text) IN (\(tokens))"
        let group = try by.map { try counts.text($0) } ?? "NULL::text"
        return "SELECT \(group) AS g, CASE WHEN \(missing) THEN NULL ELSE \(value) END AS x FROM \(counts.single.relation) OFFSET 0"
    }

    typealias Summaries = (overall: VariableDescription.Summary, byGroup: [VariableDescription.Summary])

    /// A measurement's (or date's) summaries overall and in each group.
    static func numeric(_ name: String, date: Bool, by: String?, groups: Int, groupOf: [String: Int], counts: PushdownCounts) throws -> Summaries {
        let site = counts.single
        func summaries(grouped: Bool) throws -> [String?: NumericSummary] {
            let rows = try values(name, date: date, by: grouped ? by : nil, counts: counts)
            // n, Σx, whole values: the rough mean of the two passes.
            var first: [String?: (all: Int, n: Int, sum: Double, whole: Bool)] = [:]
            for row in try site.client.rows("SELECT g, count(*), count(x), sum(x), bool_and(x = floor(x)) FROM (\(rows)) s GROUP BY g") {
                let cells = Array(row)
                do {
                    first[try cells[0].text()] = (try cells[1].integer() ?? 0, try cells[2].integer() ?? 0, try cells[3].double() ?? 0,
                                                  cells[4].bytes == nil ? true : try cells[4].decode(Bool.self))
                } catch { throw DatabaseError.server(site.client.url, "\(error)") }
            }
            let means = first.mapValues { $0.n > 0 ? $0.sum / Double($0.n) : 0 }
            let literal = { (x: Double) in "CAST('\(x)' AS float8)" }
            let mean = grouped
                ? "CASE " + means.compactMap { key, m in key.map { "WHEN g = \(PostgresURL.quoteLiteral($0)) THEN \(literal(m))" } }.joined(separator: " ") + " END"
                : literal(means[nil] ?? 0)
            var second: [String?: (Double, Double)] = [:]
            if means.contains(where: { $0.key != nil || !grouped }) {
                let query = "SELECT g, sum(x - m), sum((x - m) * (x - m)) FROM (SELECT g, x, \(mean) AS m FROM (\(rows)) s WHERE x IS NOT NULL OFFSET 0) d GROUP BY g"
                for row in try site.client.rows(query) {
                    let cells = Array(row)
                    do { second[try cells[0].text()] = (try cells[1].double() ?? 0, try cells[2].double() ?? 0) } catch { throw DatabaseError.server(site.client.url, "\(error)") }
                }
            }
            // The order statistics the quartiles, minimum and maximum need (1-based row numbers).
            let positions = "rn = 1 OR rn = n OR rn IN (1 + (n - 1) / 4, 2 + (n - 1) / 4, 1 + (n - 1) / 2, 2 + (n - 1) / 2, 1 + 3 * (n - 1) / 4, 2 + 3 * (n - 1) / 4)"
            var order: [String?: [Int: Double]] = [:]
            let query = "SELECT g, rn, x FROM (SELECT g, x, row_number() OVER (PARTITION BY g ORDER BY x) AS rn, count(*) OVER (PARTITION BY g) AS n FROM (\(rows)) s WHERE x IS NOT NULL) w WHERE \(positions)"
            for row in try site.client.rows(query) {
                let cells = Array(row)
                do { order[try cells[0].text(), default: [:]][(try cells[1].integer() ?? 1) - 1] = try cells[2].double() ?? 0 } catch { throw DatabaseError.server(site.client.url, "\(error)") }
            }
            return first.reduce(into: [:]) { result, entry in
                let (key, counts) = entry
                let (deviations, squares) = second[key] ?? (0, 0)
                let statistics = order[key] ?? [:]
                result[key] = NumericSummary(n: counts.n, missing: counts.all - counts.n, allWhole: counts.whole, roughMean: means[key] ?? 0,
                                             sumDeviations: deviations, sumSquares: squares, orderStatistic: { statistics[$0] ?? .nan })
            }
        }
        let wrap = { (s: NumericSummary) -> VariableDescription.Summary in date ? .dates(s) : .numeric(s) }
        let overall = try summaries(grouped: false)[nil] ?? NumericSummary([])
        var byGroup = [NumericSummary?](repeating: nil, count: groups)
        if by != nil {
            for (key, summary) in try summaries(grouped: true) {
                guard let key, let k = groupOf[key] else { continue }
                guard byGroup[k] == nil else { throw DatabaseError.model("describe inside the database: two values of the group column print as one group") }
                byGroup[k] = summary
            }
        }
        return (wrap(overall), byGroup.map { wrap($0 ?? NumericSummary([])) })
    }

    /// Free text: rows with a value and distinct values, overall and in each group.
    static func freeText(_ name: String, by: String?, groups: Int, groupOf: [String: Int], counts: PushdownCounts) throws -> Summaries {
        let site = counts.single
        let text = try counts.text(name)
        let tokens = counts.reading.missingTokens.map(PostgresURL.quoteLiteral).joined(separator: ", ")
        let value = tokens.isEmpty ? text : "CASE WHEN \(text) IN (\(tokens)) THEN NULL ELSE \(text) END"
        func summaries(_ group: String) throws -> [String?: VariableDescription.Summary] {
            var result: [String?: VariableDescription.Summary] = [:]
            for row in try site.client.rows("SELECT \(group), count(*), count(\(value)), count(DISTINCT \(value)) FROM \(site.relation) GROUP BY 1") {
                let cells = Array(row)
                do {
                    let all = try cells[1].integer() ?? 0, n = try cells[2].integer() ?? 0
                    result[try cells[0].text()] = .freeText(n: n, missing: all - n, distinct: try cells[3].integer() ?? 0)
                } catch { throw DatabaseError.server(site.client.url, "\(error)") }
            }
            return result
        }
        let overall = try summaries("NULL::text")[nil] ?? .freeText(n: 0, missing: 0, distinct: 0)
        var byGroup = [VariableDescription.Summary](repeating: .freeText(n: 0, missing: 0, distinct: 0), count: groups)
        if let by {
            for (key, summary) in try summaries(try counts.text(by)) {
                if let key, let k = groupOf[key] { byGroup[k] = summary }
            }
        }
        return (overall, byGroup)
    }
}

import CohortData
import PostgresNIO

/// Reads a PostgreSQL table or query as DATA (issue 17): the columns' database types are checked
/// against the codebook, then the rows are rendered as delimited text (each value as PostgreSQL
/// writes it: `float8` in shortest round-trip form, dates as ISO 8601, booleans as 1/0, NULL as the
/// first missing token) and go through ``CohortLoader``, exactly as a CSV file would: the same
/// codebook checks, typing, derived variables and row filter, so the results equal those of the
/// same rows in a file. Rows come in the order the server returns them (a table's physical order).
public enum PostgresSource {
    /// A column of the relation and its type as the database names it.
    public struct ColumnType: Sendable, Equatable {
        public let name: String
        /// `format_type`, such as `integer`, `double precision`, `text`.
        public let type: String
        /// `pg_type.typcategory`: N numeric, S string, B boolean, D date/time, …
        public let category: String
    }

    /// The relation DATA names: the table, or the query (`--sql` or `?sql=`) as a temporary view.
    static func relation(_ url: PostgresURL, sql: String?, client: PostgresClient) throws(DatabaseError) -> String {
        if let query = sql ?? url.sql {
            _ = try client.rows("CREATE TEMPORARY VIEW cohort_query AS \(query)")
            return "cohort_query"
        }
        guard let table = url.quotedTable else {
            throw .invalid(url, "name a table (?table=NAME in the URL) or a query (--sql)")
        }
        return table
    }

    /// The relation's columns in order. A missing table is ``DatabaseError/missingTable(_:_:)``.
    static func columns(of relation: String, _ url: PostgresURL, client: PostgresClient) throws(DatabaseError) -> [ColumnType] {
        let rows = try client.rows("""
            SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), t.typcategory::text
            FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
            WHERE a.attrelid = to_regclass(\(PostgresURL.quoteLiteral(relation)))::oid AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """)
        if rows.isEmpty {
            // to_regclass gives NULL for a missing relation: say which.
            throw .missingTable(url, url.table ?? relation)
        }
        do {
            return try rows.map { row in
                let cells = Array(row)
                return ColumnType(name: try cells[0].text() ?? "", type: try cells[1].text() ?? "", category: try cells[2].text() ?? "")
            }
        } catch {
            throw .server(url, "unexpected catalogue row: \(error)")
        }
    }

    /// Whether a database column of `column`'s type can hold the codebook's `type`; nil if it can,
    /// else the codebook type's description.
    static func contradiction(_ column: ColumnType, _ type: VariableType) -> String? {
        switch type {
        case .integer, .real, .grade, .day:
            return column.category == "N" ? nil : "\(type.rawValue) (a number)"
        case .binary:
            return ["N", "B", "S"].contains(column.category) ? nil : "binary"
        case .date:
            return column.type == "date" || column.category == "S" ? nil : "date"
        case .categorical, .text, .identifier:
            return ["S", "N", "B"].contains(column.category) ? nil : type.rawValue
        }
    }

    /// DATA read from the database: the loader's result, as for a file.
    public static func load(url: PostgresURL, sql: String? = nil, codebook: Codebook?, options: CSVOptions,
                            filter: RowFilter?) throws -> LoadedData {
        let client = try PostgresClient(url)
        defer { client.close() }
        let relation = try Self.relation(url, sql: sql, client: client)
        let columns = try Self.columns(of: relation, url, client: client)
        if let codebook {
            let byName = Dictionary(columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for variable in codebook.variables {
                guard let column = byName[variable.name] else { continue }
                if let expected = contradiction(column, variable.type) {
                    throw DatabaseError.columnType(url, column: column.name, databaseType: column.type, codebookType: expected)
                }
            }
        }
        let reading = CohortLoader.readingOptions(options, codebook: codebook)
        let missing = AnalysisReadyCSV.field(reading.missingTokens.first ?? "")
        let select = columns.map { column in
            let name = PostgresURL.quoteIdentifier(column.name)
            return column.category == "B" ? "(\(name))::int::text" : "(\(name))::text"
        }.joined(separator: ", ")
        // The rows rendered as they arrive (one event loop thread, in order): the text, and the
        // first value that could not be read.
        final class Rendering: @unchecked Sendable {
            var bytes: [UInt8] = []
            var failure: String?
        }
        let rendering = Rendering()
        rendering.bytes.reserveCapacity(1 << 20)
        rendering.bytes += columns.map { AnalysisReadyCSV.field($0.name) }.joined(separator: ",").utf8
        rendering.bytes.append(0x0A)
        let missingBytes = Array(missing.utf8)
        try client.forEachRow("SELECT \(select) FROM \(relation)") { row in
            guard rendering.failure == nil else { return }
            var first = true
            for cell in row {
                if !first { rendering.bytes.append(0x2C) }
                first = false
                do {
                    if let text = try cell.text() { rendering.bytes += AnalysisReadyCSV.field(text).utf8 } else { rendering.bytes += missingBytes }
                } catch {
                    rendering.failure = "\(error)"
                    return
                }
            }
            rendering.bytes.append(0x0A)
        }
        if let failure = rendering.failure {
            throw DatabaseError.server(url, "a value could not be read as text: \(failure)")
        }
        let bytes = rendering.bytes
        var csv = reading
        csv.delimiter = 0x2C
        csv.decimalComma = false
        return try CohortLoader.load(bytes: bytes, source: url.description, codebook: codebook, options: csv, filter: filter)
    }
}

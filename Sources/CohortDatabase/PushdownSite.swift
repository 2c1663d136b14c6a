/// A connected site of a computation inside PostgreSQL (issue 17) and the relation its rows are in:
/// what ``PushdownLogit`` and ``PushdownCounts`` ask their aggregate queries of.
struct PushdownSite {
    let client: PostgresClient
    let relation: String
    /// The URL alone for a single table; "k (URL)" for the k-th of several sites.
    let label: String
    /// The schema and table of the site functions, when the rows are reached through them (``SiteFunctions``).
    let functions: (schema: String, table: String)?

    /// Connects to each URL in turn (the caller closes the clients); `sql` names the rows as a
    /// query instead of the URL's table.
    static func connect(_ urls: [PostgresURL], sql: String?) throws -> [PushdownSite] {
        var sites: [PushdownSite] = []
        do {
            for (i, url) in urls.enumerated() {
                let client = try PostgresClient(url)
                let label = urls.count == 1 ? "\(url)" : "\(i + 1) (\(url))"
                if let schema = url.functions {
                    guard let table = url.table, let quoted = url.quotedTable, sql == nil else {
                        client.close()
                        throw DatabaseError.invalid(url, "functions= needs table= (the table the functions were installed for) and no --sql")
                    }
                    let name = table.split(separator: ".").last.map(String.init) ?? table
                    sites.append(PushdownSite(client: client, relation: quoted, label: label, functions: (schema, name)))
                } else {
                    do {
                        sites.append(PushdownSite(client: client, relation: try PostgresSource.relation(url, sql: sql, client: client), label: label, functions: nil))
                    } catch {
                        client.close()
                        throw error
                    }
                }
            }
        } catch {
            for site in sites { site.client.close() }
            throw error
        }
        return sites
    }
}

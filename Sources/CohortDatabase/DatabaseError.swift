import CohortStats

/// What went wrong reading from or computing in PostgreSQL, as a sentence naming the server,
/// table, column or site (passwords never appear: URLs are shown by ``PostgresURL/description``).
public enum DatabaseError: Error, Sendable, CustomStringConvertible {
    case url(text: String, String)
    case unreachable(PostgresURL, String)
    case authentication(PostgresURL, String)
    case server(PostgresURL, String)
    case missingTable(PostgresURL, String)
    case missingColumn(PostgresURL, column: String)
    case columnType(PostgresURL, column: String, databaseType: String, codebookType: String)
    case invalid(PostgresURL, String)
    /// A disclosure rule refused a site's aggregates (issue 17).
    case disclosure(site: String, String)
    case model(String)

    public var description: String {
        switch self {
        case .url(let text, let why): return "the PostgreSQL URL '\(text)' does not parse: \(why)"
        case .unreachable(let url, let why): return "cannot connect to the PostgreSQL server of \(url): \(why)"
        case .authentication(let url, let why): return "PostgreSQL refused the login of user '\(url.user)' at \(url): \(why)"
        case .server(let url, let why): return "PostgreSQL (\(url)): \(why)"
        case .missingTable(let url, let name): return "PostgreSQL (\(url)): no table '\(name)' in database '\(url.database)'"
        case .missingColumn(let url, let column): return "PostgreSQL (\(url)): no column '\(column)' in the table"
        case .columnType(let url, let column, let databaseType, let codebookType):
            return "PostgreSQL (\(url)): column '\(column)' is \(databaseType) in the database, but the codebook declares it \(codebookType)"
        case .invalid(let url, let why): return "PostgreSQL (\(url)): \(why)"
        case .disclosure(let site, let why): return "site \(site) refused (disclosure control): \(why)"
        case .model(let why): return why
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a PostgreSQL table or query is: `postgresql://[user[:password]@]host[:port]/dbname?table=NAME`
/// (issue 17). The host may be a socket directory, percent-encoded (`%2Ftmp%2Fpg`) or as `?host=/tmp/pg`;
/// `?sql=QUERY` (or a command's `--sql`) reads a query instead of a table. The user defaults to
/// `$USER`, the port to 5432, the password to `$PGPASSWORD`.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var password: String?
    /// A host name or address, or a socket directory (starts with `/`).
    public var host: String
    public var port: Int
    public var database: String
    /// `table=NAME`, possibly `schema.name`.
    public var table: String?
    public var sql: String?
    /// `functions=SCHEMA`: the site's rows are reached only through the aggregate functions that
    /// `cohort site install` put in SCHEMA (``SiteFunctions``).
    public var functions: String?

    /// Whether `text` is meant as a PostgreSQL URL (and not a file name).
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    public init(_ text: String) throws(DatabaseError) {
        guard Self.isURL(text) else { throw .url(text: text, "it does not start with postgresql://") }
        var rest = Substring(text[text.firstRange(of: "://")!.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw .url(text: Self.redact(text), "it names no database: postgresql://host/DBNAME?table=NAME") }
        let authority = rest[..<slash]
        database = try Self.decode(rest[rest.index(after: slash)...], text)
        guard !database.isEmpty else { throw .url(text: Self.redact(text), "it names no database: postgresql://host/DBNAME?table=NAME") }
        var hostPort = authority
        user = getenv("USER").map { String(cString: $0) } ?? "postgres"
        password = getenv("PGPASSWORD").map { String(cString: $0) }
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = try Self.decode(credentials[..<colon], text)
                password = try Self.decode(credentials[credentials.index(after: colon)...], text)
            } else {
                user = try Self.decode(credentials, text)
            }
        }
        port = 5432
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            guard let number = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(number) else {
                throw .url(text: Self.redact(text), "the port '\(hostPort[hostPort.index(after: colon)...])' is not a number 1 to 65535")
            }
            port = number
            hostPort = hostPort[..<colon]
        }
        host = try Self.decode(hostPort, text)
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decode(parts[0], text)
            let value = parts.count > 1 ? try Self.decode(parts[1], text) : ""
            switch key {
            case "table": table = value
            case "sql": sql = value
            case "functions": functions = value
            case "host": host = value
            case "port":
                guard let number = Int(value), (1...65535).contains(number) else { throw .url(text: Self.redact(text), "the port '\(value)' is not a number 1 to 65535") }
                port = number
            case "user": user = value
            case "password": password = value
            case "sslmode" where value == "disable": break
            default:
                throw .url(text: Self.redact(text), "unknown parameter '\(key)' (known: table, sql, functions, host, port, user, password, sslmode=disable)")
            }
        }
        if host.isEmpty { host = "/var/run/postgresql" }
        if let table, table.isEmpty { throw .url(text: Self.redact(text), "table= names no table") }
    }

    /// The URL without its password (for messages and reports).
    public var description: String {
        let hostText = host.hasPrefix("/") ? host.replacing("/", with: "%2F") : host
        var text = "postgresql://\(user)@\(hostText):\(port)/\(database)"
        if let table { text += "?table=\(table)" }
        if let functions { text += (table == nil ? "?" : "&") + "functions=\(functions)" }
        return text
    }

    /// `table` as an SQL name: each dot-separated part double-quoted (a schema-qualified name works).
    public var quotedTable: String? {
        table.map { $0.split(separator: ".", omittingEmptySubsequences: false).map { Self.quoteIdentifier(String($0)) }.joined(separator: ".") }
    }

    public static func quoteIdentifier(_ name: String) -> String { "\"" + name.replacing("\"", with: "\"\"") + "\"" }
    public static func quoteLiteral(_ text: String) -> String { "'" + text.replacing("'", with: "''") + "'" }

    /// Any password in `text` replaced by `***` (for errors about a URL that did not parse).
    static func redact(_ text: String) -> String {
        guard let scheme = text.firstRange(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@") else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }

    private static func decode(_ part: Substring, _ text: String) throws(DatabaseError) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(part.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) else {
                    throw .url(text: redact(text), "a % is not followed by two hexadecimal digits")
                }
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

import Logging
import PostgresNIO
import Synchronization

/// A synchronous connection to one PostgreSQL database (issue 17): a facade over PostgresNIO's
/// event-loop API for the command line, which waits on each query. It counts the bytes the server
/// sends (at the front of the channel pipeline, so everything received on the wire: startup, row
/// descriptions, rows), which is what the pushdown fits report as crossing the network.
public final class PostgresClient {
    public let url: PostgresURL
    private let connection: PostgresConnection
    private let counter: ByteCounter
    private let logger = Logger(label: "cohort.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Bytes received from the server so far, on the wire.
    public var bytesReceived: Int { counter.total.withLock { $0 } }
    /// Queries sent so far (after the connection's own setup).
    public private(set) var queries = 0

    public init(_ url: PostgresURL) throws(DatabaseError) {
        self.url = url
        let counter = ByteCounter()
        self.counter = counter
        let group = MultiThreadedEventLoopGroup.singleton
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.pipeline.addHandler(counter)
            }
        let channel: any Channel
        do {
            if url.host.hasPrefix("/") {
                channel = try bootstrap.connect(unixDomainSocketPath: "\(url.host)/.s.PGSQL.\(url.port)").wait()
            } else {
                channel = try bootstrap.connect(host: url.host, port: url.port).wait()
            }
        } catch {
            throw .unreachable(url, Self.reason(error))
        }
        let configuration = PostgresConnection.Configuration(establishedChannel: channel, username: url.user, password: url.password, database: url.database)
        do {
            connection = try PostgresConnection.connect(on: channel.eventLoop, configuration: configuration, id: 1, logger: logger).wait()
        } catch {
            _ = try? channel.close().wait()
            throw Self.classify(error, url)
        }
        // Sums in a fixed row order: no parallel workers, whose partial sums would round differently
        // run to run; and no synchronized sequential scans, with which a scan of a table larger than
        // a quarter of shared_buffers joins another session's scan mid-table and wraps around, so
        // the rows are summed from a different start (a mean's last bit can change).
        _ = try rows("SET max_parallel_workers_per_gather = 0")
        _ = try rows("SET synchronize_seqscans = off")
        queries = 0
    }

    deinit { close() }

    private var closed = false

    public func close() {
        guard !closed else { return }
        closed = true
        _ = try? connection.close().wait()
    }

    /// Runs `sql` and returns its rows.
    public func rows(_ sql: String) throws(DatabaseError) -> [PostgresRow] {
        queries += 1
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).wait().rows
        } catch {
            throw Self.classify(error, url)
        }
    }

    /// Runs `sql` and hands each row to `body` on the connection's event loop as it arrives, in
    /// order; no array of every row is kept (the collecting `rows(_:)` copies its array as it grows,
    /// which made reading 10⁶ rows take 20 s and 10⁷ rows not finish in 15 minutes).
    public func forEachRow(_ sql: String, _ body: @escaping @Sendable (PostgresRow) -> Void) throws(DatabaseError) {
        queries += 1
        do {
            _ = try connection.query(PostgresQuery(unsafeSQL: sql), logger: logger, body).wait()
        } catch {
            throw Self.classify(error, url)
        }
    }

    /// The server's message for a failure, or the transport's.
    static func classify(_ error: any Error, _ url: PostgresURL) -> DatabaseError {
        guard let error = error as? PSQLError else { return .unreachable(url, reason(error)) }
        if let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState] ?? ""
            // 28xxx: invalid authorization (wrong password, no such role); 3D000: no such database.
            if state.hasPrefix("28") { return .authentication(url, message) }
            // The site's own functions refusing (SiteFunctions).
            if message.hasPrefix("cohort_site refused: ") { return .disclosure(site: "\(url)", String(message.dropFirst("cohort_site refused: ".count))) }
            if state == "3D000" { return .unreachable(url, message) }
            // 42883: no such function; a site function missing was installed by an older cohort.
            if state == "42883", message.contains("\(SiteFunctions.schema).") {
                return .invalid(url, "\(message): the site's functions predate this version of cohort; the site should run `cohort site install` again")
            }
            if state == "42P01" { return .missingTable(url, url.table ?? message) }
            return .server(url, message)
        }
        switch error.code {
        case .authMechanismRequiresPassword: return .authentication(url, "the server asks for a password and none was given (user:password@ in the URL, or PGPASSWORD)")
        case .unsupportedAuthMechanism: return .authentication(url, "the server asks for an authentication method this client does not support")
        default: return .unreachable(url, reason(error.underlying ?? error))
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError { return "\(error.code)" }
        return String(describing: error)
    }
}

/// Counts the bytes arriving on a channel and passes them on unchanged.
final class ByteCounter: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    let total = Mutex(0)

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = unwrapInboundIn(data).readableBytes
        total.withLock { $0 += count }
        context.fireChannelRead(data)
    }
}

extension PostgresCell {
    /// The value as a Double (float8, or any integer type), nil when NULL.
    func double() throws -> Double? {
        guard bytes != nil else { return nil }
        switch dataType {
        case .int2, .int4, .int8: return Double(try decode(Int.self))
        default: return try decode(Double.self)
        }
    }

    func integer() throws -> Int? {
        guard bytes != nil else { return nil }
        return try decode(Int.self)
    }

    func text() throws -> String? {
        guard bytes != nil else { return nil }
        return try decode(String.self)
    }
}

import EVQ
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresNIO
#if canImport(Glibc)
import Glibc
#endif

/// PostgreSQL, through PostgresNIO (its wire protocol in Swift): one connection per session, opened on the first
/// query. Every wait for the server ends at a deadline or on Ctrl-C, which close the connection; the server also
/// stops a statement past `statement_timeout`.
///
/// `--engine postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (or `postgresql://`); the password may come from
/// `$PGPASSWORD` instead. TLS is not used: connect over loopback, or through a tunnel.
final class PostgresEngine: SQLConnection {
    let dialect = SQLDialect.postgres
    let name: String
    let configuration: PostgresConnection.Configuration
    /// `host:port`, for messages.
    let address: String
    /// Seconds a connection or a round trip may take (`$EVQ_ENGINE_TIMEOUT`, default 60).
    let timeout: Double
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private var connection: PostgresConnection?
    private let logger = Logger(label: "evq.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The connection a URL names, or why it names none.
    init(url: String) throws(EngineError) {
        self.name = PostgresEngine.withoutPassword(url)
        self.timeout = SystemIO.environment("EVQ_ENGINE_TIMEOUT").flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 60
        guard let parts = PostgresEngine.parse(url) else {
            throw EngineError("'\(Sanitizer.printable(url))' is not a PostgreSQL URL",
                              help: "write it as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        var configuration = PostgresConnection.Configuration(
            host: parts.host, port: parts.port, username: parts.user,
            password: parts.password ?? SystemIO.environment("PGPASSWORD"), database: parts.database, tls: .disable)
        configuration.options.connectTimeout = .milliseconds(Int64(timeout * 1000))
        self.configuration = configuration
        self.address = "\(parts.host):\(parts.port)"
    }

    deinit {
        if let connection { let closing: EventLoopFuture<Void> = connection.close(); _ = try? wait(closing) }
        try? group.syncShutdownGracefully()
    }

    /// The parts of `postgres://user:password@host:port/database`.
    static func parse(_ url: String) -> (user: String, password: String?, host: String, port: Int, database: String)? {
        var rest = Substring(url)
        for scheme in ["postgresql://", "postgres://", "//"] where rest.hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
            break
        }
        var user = SystemIO.environment("USER") ?? "postgres", password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = String(credentials[..<colon])
                password = String(credentials[credentials.index(after: colon)...])
            } else {
                user = String(credentials)
            }
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let address = rest[..<slash]
        let database = slash < rest.endIndex ? String(rest[rest.index(after: slash)...]) : user
        var host = String(address), port = 5432
        if let colon = address.lastIndex(of: ":") {
            guard let p = Int(address[address.index(after: colon)...]), (1...65535).contains(p) else { return nil }
            host = String(address[..<colon])
            port = p
        }
        guard !host.isEmpty, !user.isEmpty, !database.isEmpty, !database.contains("?") else { return nil }
        return (user, password, host, port, database)
    }

    /// The URL with any password replaced, for messages.
    static func withoutPassword(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@"), let start = url.range(of: "//")?.upperBound, start < at,
              let colon = url[start..<at].firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    func query(_ statements: [String]) throws(EngineError) -> [[UInt8]] {
        let connection = try connected()
        var out: [[UInt8]] = []
        for sql in statements {
            let result = try wait(connection.query(PostgresQuery(unsafeSQL: sql), logger: logger))
            var text = ""
            var header = false
            for row in result.rows {
                if !header {
                    CSV.append(row.map(\.columnName), to: &text)
                    header = true
                }
                CSV.append(row.map(PostgresEngine.text), to: &text)
            }
            out.append(Array(text.utf8))
        }
        return out
    }

    /// A cell as text: numbers as evq writes them, NULL as "".
    private static func text(_ cell: PostgresCell) -> String {
        guard cell.bytes != nil else { return "" }
        switch cell.dataType {
        case .int2, .int4, .int8: return (try? cell.decode(Int.self)).map(String.init) ?? ""
        case .float4, .float8: return (try? cell.decode(Double.self)).map { "\($0)" } ?? ""
        default: return (try? cell.decode(String.self)) ?? cell.bytes.map { String(buffer: $0) } ?? ""
        }
    }

    /// Replaces the tables with the dataset's rows in one transaction: COPY … FROM STDIN for each.
    func push(_ data: Dataset) throws(EngineError) {
        let connection = try connected()
        _ = try wait(connection.query("BEGIN", logger: logger))
        for table in SQLTable.all {
            _ = try wait(connection.query(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(dialect.identifier(table.name))"), logger: logger))
            _ = try wait(connection.query(PostgresQuery(unsafeSQL: table.create(dialect)), logger: logger))
            let count = table.name == SQLTable.facts.name ? data.facts.count : 1
            let logger = self.logger
            let promise = connection.eventLoop.makePromise(of: Void.self)
            promise.completeWithTask {
                try await connection.copyFrom(table: table.name, columns: table.columns.map(\.name), logger: logger) { writer in
                    for start in stride(from: 0, to: count, by: 50_000) {
                        let rows = data.rows(of: table, facts: start..<min(count, start + 50_000))
                        try await writer.write(ByteBuffer(string: rows.map(PostgresEngine.copyLine).joined()))
                    }
                }
            }
            try wait(promise.futureResult)
        }
        // What evq's scans filter by: an engine of many rows answers them from these indexes, not a pass over all.
        for sql in SQLTable.indexes(dialect) {
            _ = try wait(connection.query(PostgresQuery(unsafeSQL: sql), logger: logger))
        }
        _ = try wait(connection.query("ANALYZE", logger: logger))
        _ = try wait(connection.query("COMMIT", logger: logger))
    }

    /// One row in COPY's text format: tab-separated, `\N` for NULL (every empty field), backslash escapes.
    private static func copyLine(_ fields: [String]) -> String {
        fields.map { field -> String in
            guard !field.isEmpty else { return "\\N" }
            var out = ""
            for c in field.unicodeScalars {
                switch c {
                case "\\": out += "\\\\"
                case "\t": out += "\\t"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                default: out.unicodeScalars.append(c)
                }
            }
            return out
        }.joined(separator: "\t") + "\n"
    }

    /// The connection, opened when there is none; the server is told to stop any statement past the timeout.
    private func connected() throws(EngineError) -> PostgresConnection {
        if let connection { return connection }
        let opened = try wait(PostgresConnection.connect(on: group.next(), configuration: configuration, id: 1, logger: logger))
        connection = opened
        _ = try wait(opened.query(PostgresQuery(unsafeSQL: "SET statement_timeout = \(Int(timeout * 1000))"), logger: logger))
        return opened
    }

    /// Waits for a result, polling Ctrl-C, at most `timeout` seconds; either ends the connection.
    private func wait<T: Sendable>(_ future: EventLoopFuture<T>) throws(EngineError) -> T {
        let box = NIOLockedValueBox<Result<T, any Error>?>(nil)
        future.whenComplete { result in box.withLockedValue { $0 = result } }
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeout * 1000))
        var nap: UInt32 = 50
        while true {
            if let result = box.withLockedValue({ $0 }) {
                switch result {
                case .success(let value): return value
                case .failure(let error): throw failure(error)
                }
            }
            if Interrupt.requested || NIODeadline.now() > deadline {
                let interrupted = Interrupt.requested
                abandon()
                throw interrupted ? EngineError("interrupted", help: "the query was stopped; nothing was changed")
                    : EngineError("PostgreSQL did not answer within \(NumberFormat.plain(timeout)) s",
                                  help: "set EVQ_ENGINE_TIMEOUT to wait longer")
            }
            usleep(nap)
            nap = min(nap * 2, 5_000)
        }
    }

    /// Drops the connection (a query cut short leaves it unusable); the next query opens another.
    private func abandon() {
        if let connection { let closing: EventLoopFuture<Void> = connection.close(); _ = closing }
        connection = nil
    }

    /// A PostgresNIO error as evq says it: the server's own message where it sent one.
    private func failure(_ error: any Error) -> EngineError {
        guard let psql = error as? PSQLError else {
            abandon()
            return EngineError("PostgreSQL: \(Sanitizer.printable(String(describing: error)))", help: "check the server: \(name)")
        }
        guard let info = psql.serverInfo else {
            abandon()
            if String(describing: psql.underlying.map { String(describing: $0) } ?? "").lowercased().contains("timeout") {
                return EngineError("PostgreSQL at \(address) did not answer within \(NumberFormat.plain(timeout)) s",
                                   help: "check that it is a PostgreSQL server; set EVQ_ENGINE_TIMEOUT to wait longer")
            }
            return EngineError("cannot reach PostgreSQL at \(address): \(PostgresEngine.reason(psql))",
                               help: "check that the server is running and the URL is right: \(name)")
        }
        let message = Sanitizer.printable(info[.message] ?? "an error"), state = info[.sqlState] ?? ""
        if state == "42P01" {
            return EngineError("PostgreSQL: \(message)", help: "push the data first: evq push --engine \(name)")
        }
        if state.hasPrefix("28") || state == "3D000" {
            abandon()
            return EngineError("PostgreSQL refused the connection: \(message)",
                               help: "check the user, password and database in \(name)")
        }
        return EngineError("PostgreSQL: \(message)", help: "check the database: \(name)")
    }

    /// Why a connection failed, in a few words.
    private static func reason(_ error: PSQLError) -> String {
        if let underlying = error.underlying { return Sanitizer.printable(String(describing: underlying)) }
        return Sanitizer.printable(String(describing: error.code))
    }
}

import EVQ
#if canImport(Glibc)
import Glibc
#endif

/// PostgreSQL, through `evq-postgres`: PostgresNIO (the wire protocol in Swift) in a process of its own, started
/// once per session and fed requests on a pipe, as DuckDB's shell is (see `Sources/evq-postgres/main.swift`), so
/// that SwiftNIO, Foundation and BoringSSL stay out of `evq`. Every wait ends at a deadline or on Ctrl-C, which
/// kill the client and with it the connection; the server also stops a statement past `statement_timeout`.
///
/// `--engine postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (or `postgresql://`); the password may come from
/// `$PGPASSWORD` instead. TLS is not used: connect over loopback, or through a tunnel. The client is
/// `$EVQ_POSTGRES_CLIENT`, else `evq-postgres` beside `evq`, else on the PATH.
final class PostgresEngine: SQLConnection {
    let dialect = SQLDialect.postgres
    /// The URL, its password hidden.
    let name: String
    private let url: String
    /// `host:port`, for messages.
    let address: String
    /// Seconds a connection or a round trip may take (`$EVQ_ENGINE_TIMEOUT`, default 60).
    var timeout: Double { client.timeout }
    private let client: EngineClient

    /// The connection a URL names, or why it names none.
    init(url: String) throws(EngineError) {
        self.url = url
        self.name = PostgresURL.withoutPassword(url)
        self.client = EngineClient([PostgresEngine.clientPath()], environment: ["EVQ_POSTGRES_URL": url],
                                   timeout: EngineClient.engineTimeout)
        guard let parts = PostgresURL(url, defaultUser: SystemIO.environment("USER") ?? "postgres") else {
            throw EngineError("'\(Sanitizer.printable(name))' is not a PostgreSQL URL",
                              help: "write it as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        self.address = "\(parts.host):\(parts.port)"
    }

    func query(_ statements: [String]) throws(EngineError) -> [[UInt8]] {
        try statements.map { sql throws(EngineError) in try send("query", Array(sql.utf8)) }
    }

    /// Replaces the tables with the dataset's rows in one transaction: `COPY … FROM STDIN` for each, from files in
    /// COPY's text format, then the indexes the scans use.
    func push(_ data: Dataset) throws(EngineError) {
        _ = try query(["BEGIN"])
        try ChildProcess.inTemporaryFolder("postgres") { folder throws(EngineError) in
            for table in SQLTable.all {
                let file = folder + "/" + table.name + ".copy"
                try PushCommand.write(table, of: data, to: file, format: PostgresEngine.copyLine)
                _ = try query(["DROP TABLE IF EXISTS \(dialect.identifier(table.name))", table.create(dialect)])
                _ = try send("copy", Array("\(table.name)\t\(table.columns.map(\.name).joined(separator: ","))\t\(file)".utf8))
            }
        }
        // What evq's scans filter by: an engine of many rows answers them from these indexes, not a pass over all.
        _ = try query(SQLTable.indexes(dialect) + ["ANALYZE", "COMMIT"])
    }

    /// One row in COPY's text format: tab-separated, `\N` for NULL (every empty field), backslash escapes.
    private static func copyLine(_ row: [String], _ text: inout String) {
        for (k, field) in row.enumerated() {
            if k > 0 { text += "\t" }
            text += field.isEmpty ? "\\N" : copyEscaped(field)
        }
        text += "\n"
    }

    private static func copyEscaped(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        return field.replacing("\\", with: "\\\\").replacing("\t", with: "\\t").replacing("\n", with: "\\n")
            .replacing("\r", with: "\\r")
    }

    /// One request and its answer.
    private func send(_ verb: String, _ body: [UInt8]) throws(EngineError) -> [UInt8] {
        try client.answer(verb, body, failed: failure, refused: failure)
    }

    /// `$EVQ_POSTGRES_CLIENT`, else `evq-postgres` in evq's own folder, else the name alone (the PATH).
    static func clientPath() -> String {
        if let path = SystemIO.environment("EVQ_POSTGRES_CLIENT"), !path.isEmpty { return path }
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 {
            let me = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let slash = me.lastIndex(of: "/") {
                let beside = String(me[...slash]) + "evq-postgres"
                if access(beside, X_OK) == 0 { return beside }
            }
        }
        return "evq-postgres"
    }

    /// What the client said went wrong, as evq says it.
    private func failure(kind: String, _ message: String) -> EngineError {
        let said = Sanitizer.printable(message)
        switch kind {
        case "missing-table": return EngineError("PostgreSQL: \(said)", help: "push the data first: evq push --engine \(name)")
        case "refused": return EngineError("PostgreSQL refused the connection: \(said)",
                                           help: "check the user, password and database in \(name)")
        case "unreachable": return EngineError("cannot reach PostgreSQL at \(address): \(said)",
                                               help: "check that the server is running and the URL is right: \(name)")
        case "timeout": return EngineError("PostgreSQL at \(address) did not answer within \(NumberFormat.plain(timeout)) s",
                                           help: "check that it is a PostgreSQL server; set EVQ_ENGINE_TIMEOUT to wait longer")
        default: return EngineError("PostgreSQL: \(said)", help: "check the database: \(name)")
        }
    }

    /// The client's own failure: not started, too slow, interrupted, or gone.
    private func failure(_ failure: ChildProcess.Failure) -> EngineError {
        switch failure {
        case .notStarted(let why):
            return EngineError("cannot start PostgreSQL's client '\(PostgresEngine.clientPath())': \(why)",
                               help: "install evq-postgres beside evq (make build makes both) or set EVQ_POSTGRES_CLIENT")
        case .timedOut:
            return EngineError("PostgreSQL at \(address) did not answer within \(NumberFormat.plain(timeout)) s",
                               help: "set EVQ_ENGINE_TIMEOUT to wait longer")
        case .interrupted:
            return EngineError("interrupted", help: "the query was stopped; the connection was closed")
        case .exited(let said):
            return EngineError("PostgreSQL's client stopped: \(Sanitizer.printable(said.isEmpty ? "it said nothing" : said))",
                               help: "run it alone to see why: EVQ_POSTGRES_URL=… \(PostgresEngine.clientPath())")
        }
    }
}

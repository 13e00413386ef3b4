// evq-postgres: PostgreSQL's client for `evq --engine postgres://…`, through PostgresNIO (the wire protocol in
// Swift). A process of its own, which `evq` starts and talks to over pipes, as it does DuckDB's shell: SwiftNIO,
// Foundation and BoringSSL stay out of `evq`, which keeps starting in 2 ms.
//
// The connection is `$EVQ_POSTGRES_URL` (never an argument, which `ps` would show with its password), opened on
// the first request; `$PGPASSWORD` may hold the password. Requests on standard input, answers on standard output:
//
//     query N\n<N bytes of SQL>         →  ok N\n<N bytes: the rows as CSV, a header line first>
//     copy N\n<table\tcolumns\tfile>    →  ok 0\n   (COPY table (columns) FROM STDIN, the file's text)
//     any failure                       →  error KIND N\n<N bytes of message>
//
// KIND is unreachable, refused, timeout, missing-table or failed. evq owns every deadline and kills this process
// past one; the server is also told `statement_timeout`.
import EVQ
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresNIO
#if canImport(Glibc)
import Glibc
#endif

/// A failure as evq is told it.
struct Failure: Error {
    var kind: String
    var message: String
}

final class Client {
    let configuration: PostgresConnection.Configuration
    let timeout: Double
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    var connection: PostgresConnection?
    let logger = Logger(label: "evq.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    init(configuration: PostgresConnection.Configuration, timeout: Double) {
        self.configuration = configuration
        self.timeout = timeout
    }

    /// The rows of one statement as CSV, a header line first (none for a statement without rows).
    func query(_ sql: String) throws(Failure) -> [UInt8] {
        let connection = try connected()
        let result = try wait(connection.query(PostgresQuery(unsafeSQL: sql), logger: logger))
        var text = ""
        for (i, row) in result.rows.enumerated() {
            if i == 0 { CSV.append(row.map(\.columnName), to: &text) }
            CSV.append(row.map(Client.text), to: &text)
        }
        return Array(text.utf8)
    }

    /// A cell as text: numbers as evq writes them, NULL as "".
    static func text(_ cell: PostgresCell) -> String {
        guard cell.bytes != nil else { return "" }
        switch cell.dataType {
        case .int2, .int4, .int8: return (try? cell.decode(Int.self)).map(String.init) ?? ""
        case .float4, .float8: return (try? cell.decode(Double.self)).map { "\($0)" } ?? ""
        default: return (try? cell.decode(String.self)) ?? cell.bytes.map { String(buffer: $0) } ?? ""
        }
    }

    /// `COPY table (columns) FROM STDIN` with a file in COPY's text format, sent a megabyte at a time.
    func copy(table: String, columns: [String], file: String) throws(Failure) {
        let connection = try connected()
        let logger = self.logger
        let promise = connection.eventLoop.makePromise(of: Void.self)
        promise.completeWithTask {
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                let fd = open(file, O_RDONLY)
                guard fd >= 0 else { throw Failure(kind: "failed", message: "cannot read \(file)") }
                defer { close(fd) }
                var chunk = [UInt8](repeating: 0, count: 1 << 20)
                while true {
                    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { break }
                    try await writer.write(ByteBuffer(bytes: chunk[..<n]))
                }
            }
        }
        try wait(promise.futureResult)
    }

    /// The connection, opened when there is none; the server is told to stop any statement past the timeout, and
    /// not to compile evq's queries: a subquery it misjudged as large had the server spend 20 of 42 ms making
    /// machine code for a look-up that found one row (PostgreSQL 15, 10M facts). A server without JIT (before 11)
    /// refuses the setting, which changes nothing there.
    private func connected() throws(Failure) -> PostgresConnection {
        if let connection { return connection }
        let opened = try wait(PostgresConnection.connect(on: group.next(), configuration: configuration, id: 1, logger: logger))
        connection = opened
        _ = try wait(opened.query(PostgresQuery(unsafeSQL: "SET statement_timeout = \(Int(timeout * 1000))"), logger: logger))
        _ = try? wait(opened.query(PostgresQuery(unsafeSQL: "SET jit = off"), logger: logger))
        return opened
    }

    private func wait<T: Sendable>(_ future: EventLoopFuture<T>) throws(Failure) -> T {
        do { return try future.wait() } catch { throw failure(error) }
    }

    /// A PostgresNIO error as evq is told it: the server's own message where it sent one.
    private func failure(_ error: any Error) -> Failure {
        if let failure = error as? Failure { return failure }
        guard let psql = error as? PSQLError else {
            return Failure(kind: "failed", message: Sanitizer.printable(String(describing: error)))
        }
        guard let info = psql.serverInfo else {
            connection = nil
            let reason = Sanitizer.printable(psql.underlying.map { String(describing: $0) } ?? String(describing: psql.code))
            return Failure(kind: reason.lowercased().contains("timeout") ? "timeout" : "unreachable", message: reason)
        }
        let message = Sanitizer.printable(info[.message] ?? "an error"), state = info[.sqlState] ?? ""
        if state == "42P01" { return Failure(kind: "missing-table", message: message) }
        if state.hasPrefix("28") || state == "3D000" {
            connection = nil
            return Failure(kind: "refused", message: message)
        }
        return Failure(kind: "failed", message: message)
    }
}

// MARK: - The conversation with evq

/// Reads one request: a line `VERB N` and N bytes. Nil at the end of input.
func request(_ input: inout [UInt8]) -> (verb: String, body: [UInt8])? {
    func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            input += chunk[..<n]
            return true
        }
    }
    while !input.contains(UInt8(ascii: "\n")) { guard fill() else { return nil } }
    guard let newline = input.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
    let header = String(decoding: input[..<newline], as: UTF8.self).split(separator: " ")
    guard header.count == 2, let count = Int(header[1]), count >= 0 else { return nil }
    input.removeSubrange(...newline)
    while input.count < count { guard fill() else { return nil } }
    let body = Array(input[..<count])
    input.removeSubrange(..<count)
    return (String(header[0]), body)
}

/// Writes one answer: `HEAD N\n` and N bytes.
func answer(_ head: String, _ body: [UInt8]) {
    let bytes = Array("\(head) \(body.count)\n".utf8) + body
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { exit(1) }
        offset += n
    }
}

signal(SIGPIPE, SIG_IGN)
let environment = { (name: String) in getenv(name).map { String(cString: $0) } }
let timeout = environment("EVQ_ENGINE_TIMEOUT").flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 60
guard let url = environment("EVQ_POSTGRES_URL"), let parts = PostgresURL(url, defaultUser: environment("USER") ?? "postgres") else {
    answer("error failed", Array("no PostgreSQL URL in EVQ_POSTGRES_URL".utf8))
    exit(2)
}
var configuration = PostgresConnection.Configuration(
    host: parts.host, port: parts.port, username: parts.user,
    password: parts.password ?? environment("PGPASSWORD"), database: parts.database, tls: .disable)
configuration.options.connectTimeout = .milliseconds(Int64(timeout * 1000))
let client = Client(configuration: configuration, timeout: timeout)
var input: [UInt8] = []
while let (verb, body) = request(&input) {
    do throws(Failure) {
        switch verb {
        case "query":
            answer("ok", try client.query(String(decoding: body, as: UTF8.self)))
        case "copy":
            let fields = String(decoding: body, as: UTF8.self).split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { throw Failure(kind: "failed", message: "a copy request is table, columns and file") }
            try client.copy(table: fields[0], columns: fields[1].split(separator: ",").map(String.init), file: fields[2])
            answer("ok", [])
        default:
            throw Failure(kind: "failed", message: "unknown request '\(Sanitizer.printable(verb))'")
        }
    } catch {
        answer("error \(error.kind)", Array(error.message.utf8))
    }
}

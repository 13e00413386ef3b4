import EVQ
#if canImport(Glibc)
import Glibc
#endif

/// DuckDB, through its command-line shell, started once per session on the database (read-only) and fed statements
/// on its standard input. Each statement's rows come back on its standard output in the shell's CSV mode (quoted as
/// RFC 4180 says, so no text in the data can split or forge a row), and a `.print` of a random marker after each
/// says where they end: 0.3 ms a statement, where a `COPY … TO` a file took 0.7. An error ends the shell
/// (`.bail on`): the next query starts another.
///
/// The shell is `$EVQ_DUCKDB`, else `duckdb` on the PATH (the `duckdb-cli` PyPI package installs one).
final class DuckDBConnection: SQLConnection {
    let dialect = SQLDialect.duckdb
    let name: String
    let database: String
    let shell: String
    /// Seconds a round trip may take (`$EVQ_ENGINE_TIMEOUT`, default 60).
    let timeout: Double
    private var process: ChildProcess?
    private var queries = 0

    init(database: String) {
        self.database = database
        self.name = "duckdb:\(database)"
        self.shell = SystemIO.setting("EVQ_DUCKDB") ?? "duckdb"
        self.timeout = EngineClient.engineTimeout
    }

    func query(_ statements: [String]) throws(EngineError) -> [[UInt8]] {
        let shell = try running()
        queries += 1
        let marker = "evq-done-\(queries)-\(UInt64.random(in: 1...UInt64.max))-"
        let script = statements.enumerated().map { i, sql in "\(sql);\n.print \(marker)\(i)\n" }.joined()
        do throws(ChildProcess.Failure) {
            // A shell that has ended cannot be written to; reading then finds it ended and says what it printed.
            _ = shell.write(script)
            return try statements.indices.map { i throws(ChildProcess.Failure) in
                try shell.readUntil(line: marker + String(i), timeout: timeout)
            }
        } catch {
            process = nil
            throw failure(error, errors: shell.errorMessage)
        }
    }

    /// The shell, started when there is none.
    private func running() throws(EngineError) -> ChildProcess {
        if let process { return process }
        guard access(database, F_OK) == 0 else {
            throw EngineError("there is no DuckDB database '\(database)'", help: "create it with: evq push --engine \(name)")
        }
        do throws(ChildProcess.Failure) {
            let started = try ChildProcess([shell, "-batch", "-readonly", database])
            // Rows as RFC 4180 CSV with a header, NULL as an empty field. A shell that failed to start says why
            // at the first read.
            _ = started.write(".bail on\n.mode csv\n.headers on\n.nullvalue ''\n")
            process = started
            return started
        } catch {
            throw failure(error, errors: "")
        }
    }

    /// Runs a script made for a private folder (`script(folder)`, one statement per line) in a shell of its own that
    /// may write to the database, to its end.
    func run(script: (String) throws(EngineError) -> [String]) throws(EngineError) {
        try ChildProcess.inTemporaryFolder("duckdb") { folder throws(EngineError) in
            let text = ([".bail on"] + (try script(folder))).joined(separator: "\n") + "\n"
            var writer: ChildProcess?
            do throws(ChildProcess.Failure) {
                let shell = try ChildProcess([shell, "-batch", database])
                writer = shell
                // A shell that ended before reading it all says why once it is finished: its error is read then.
                _ = shell.write(text)
                try shell.finish(timeout: timeout)
            } catch {
                throw failure(error, errors: writer?.errorMessage ?? "")
            }
        }
    }

    /// A shell's failure as evq says it.
    private func failure(_ failure: ChildProcess.Failure, errors: String) -> EngineError {
        switch failure {
        case .notStarted(let why):
            return EngineError("cannot start DuckDB's shell '\(shell)': \(why)",
                               help: "install it (pip install duckdb-cli) or set EVQ_DUCKDB to its path")
        case .timedOut:
            return EngineError("DuckDB did not answer within \(NumberFormat.plain(timeout)) s",
                               help: "set EVQ_ENGINE_TIMEOUT to wait longer")
        case .interrupted:
            return EngineError("interrupted", help: "the query was stopped; nothing was changed")
        case .exited(let said):
            let text = said.isEmpty ? errors : said
            return EngineError("DuckDB: " + DuckDBConnection.firstError(text),
                               help: text.contains("Table with name")
                                ? "push the data first: evq push --engine \(name)"
                                : "check the database with: \(shell) \(database)")
        }
    }

    /// The error DuckDB's shell printed, on one line, without escape sequences.
    static func firstError(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { Sanitizer.printable(String($0)) }
        let message = lines.first { $0.contains("Error") } ?? lines.first ?? "it failed and said nothing"
        return String(message.prefix(300))
    }
}

import ArgumentParser
import EVQ
#if canImport(Glibc)
import Glibc
#endif

/// `evq push --engine duckdb:FILE [--data FILE…]`: writes the embedded facts and any loaded files into an engine's
/// tables (`SQLTable.all`), replacing what they held, all or nothing.
struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Write the facts (embedded, and --data files) into a database, for --engine.",
        discussion: """
            Creates the tables facts, fact_links, entities, sources, metrics, events and rankings (README.md
            describes them), replacing any that exist, in one transaction: a push that fails leaves the database
            as it was.
            Example: evq push --engine duckdb:race.duckdb --data registrations.csv
            """
    )

    @OptionGroup var engineOption: EngineOption

    @Option(name: .customLong("data"), help: ArgumentHelp("Also push a facts, entities or metrics file (repeatable).", valueName: "file"))
    var dataFiles: [String] = []

    @OptionGroup var threading: ThreadsOption

    func validate() throws {
        if engineOption.engine == .memory {
            throw ValidationError("--engine names the database to push to, for example --engine duckdb:race.duckdb")
        }
    }

    mutating func run() throws {
        guard var session = Invocation.embeddedSession() else { throw ExitCode(1) }
        threading.apply(to: &session)
        guard Invocation.load(dataFiles, into: &session, open: { try SystemIO.open(path: $0) }) else { throw ExitCode(1) }
        let data = session.data
        let name: String
        do throws(EngineError) {
            switch engineOption.engine {
            case .memory: throw EngineError("there is no database to push to", help: "name one: --engine duckdb:FILE")
            case .duckdb(let path):
                let connection = DuckDBConnection(database: path)
                name = connection.name
                try PushCommand.push(data, to: connection)
            case .postgres(let url):
                let connection = try PostgresEngine(url: url)
                name = connection.name
                try connection.push(data)
            case .spark(let folder):
                let connection = try SparkEngine(folder)
                name = connection.name
                try connection.push(data)
            }
        } catch {
            SystemIO.err("evq push: \(error.message)\nhelp: \(error.help)\n")
            throw ExitCode(1)
        }
        SystemIO.out("pushed \(NumberFormat.grouped(Double(data.facts.count))) facts, "
                     + "\(NumberFormat.grouped(Double(data.catalog.entities.count))) entities, "
                     + "\(data.catalog.sources.count) sources, \(data.catalog.metrics.count) metrics, "
                     + "\(data.events.count) events and \(data.rankings.count) rankings to \(name)\n")
    }

    /// Replaces a DuckDB database's tables; a database this push created and could not fill is not left behind.
    static func push(_ data: Dataset, to connection: DuckDBConnection) throws(EngineError) {
        let existed = access(connection.database, F_OK) == 0
        do {
            try connection.run { folder throws(EngineError) in
                try PushCommand.script(data, into: folder, dialect: connection.dialect)
            }
        } catch {
            if !existed { unlink(connection.database); unlink(connection.database + ".wal") }
            throw EngineError("\(connection.name): \(error.message)", help: error.help)
        }
    }

    /// Writes each table's rows as CSV into `folder` and returns the statements that replace the tables with them.
    static func script(_ data: Dataset, into folder: String, dialect: SQLDialect) throws(EngineError) -> [String] {
        var statements = ["BEGIN TRANSACTION;"]
        for table in SQLTable.all {
            let file = folder + "/" + table.name + ".csv"
            try write(table, of: data, to: file, start: CSV.line(table.columns.map(\.name))) { CSV.append($0, to: &$1) }
            let types = table.columns.map { "\(dialect.literal($0.name)): \(dialect.literal(SQLTable.spell($0.type, dialect)))" }
            statements += [
                "DROP TABLE IF EXISTS \(dialect.identifier(table.name));",
                table.create(dialect) + ";",
                "INSERT INTO \(dialect.identifier(table.name)) SELECT * FROM read_csv(\(dialect.literal(file)), "
                    + "header = true, auto_detect = false, quote = '\"', escape = '\"', "
                    + "columns = {\(types.joined(separator: ", "))});",
            ]
        }
        return statements + ["COMMIT;"]
    }

    /// One table into a file for an engine to read, the facts a part at a time: `start` first (a header line),
    /// then each row as `format` writes it. Used for DuckDB's CSV and PostgreSQL's COPY text alike.
    static func write(_ table: SQLTable, of data: Dataset, to path: String, start: String = "",
                      format: (_ row: [String], _ text: inout String) -> Void) throws(EngineError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw EngineError("cannot write \(path): \(SystemIO.reason())", help: "set TMPDIR to a writable folder") }
        defer { close(fd) }
        let count = table.perFact ? data.facts.count : 1
        var failure = SystemIO.writeAll(Array(start.utf8), to: fd)
        for first in stride(from: 0, to: count, by: 100_000) where failure == 0 {
            var text = ""
            for row in data.rows(of: table, facts: first..<min(count, first + 100_000)) { format(row, &text) }
            failure = SystemIO.writeAll(Array(text.utf8), to: fd)
        }
        if failure != 0 {
            throw EngineError("cannot write \(path): \(String(cString: strerror(failure)))", help: "free some disk space")
        }
    }
}

import ArgumentParser
import EVQ
#if canImport(Glibc)
import Glibc
#endif

/// Where the facts are: evq's own memory, or a database that `evq push` filled.
enum Engine: Equatable, ExpressibleByArgument {
    case memory
    /// A DuckDB database file.
    case duckdb(String)
    /// A PostgreSQL database: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`.
    case postgres(String)
    /// Parquet tables in a folder, for Spark SQL: `DIR[?master=MASTER]`.
    case spark(String)

    init?(argument: String) {
        if argument == "memory" { self = .memory; return }
        // `spark` alone: the folder in $EVQ_SPARK_DIR (`SparkEngine`).
        if argument == "spark" { self = .spark(""); return }
        for (prefix, make) in [("duckdb:", Engine.duckdb), ("postgres:", Engine.postgres), ("postgresql:", Engine.postgres),
                               ("spark:", Engine.spark)]
        where argument.hasPrefix(prefix) && argument.count > prefix.count {
            self = make(prefix.hasPrefix("postgres") ? argument : String(argument.dropFirst(prefix.count)))
            return
        }
        return nil
    }

    static var allValueStrings: [String] {
        ["memory", "duckdb:FILE", "postgres://USER@HOST:PORT/DATABASE", "spark:DIR[?master=MASTER]", "spark"]
    }

    /// A session over the facts: in memory (`memory`, built by `embedded`), or in the engine; nil (the error said)
    /// when the engine cannot be reached.
    func session(memory: () -> Session?) -> Session? {
        do throws(EngineError) {
            guard let connection = try connection() else { return memory() }
            do throws(EngineError) { return Session(engine: try SQLExecutor(connection: connection)) } catch {
                throw EngineError("\(connection.name): \(error.message)", help: error.help)
            }
        } catch {
            SystemIO.err("evq: \(error.message)\nhelp: \(error.help)\n")
            return nil
        }
    }

    /// The connection to the engine; nil for memory.
    func connection() throws(EngineError) -> (any SQLConnection)? {
        switch self {
        case .memory: return nil
        case .duckdb(let path): return DuckDBConnection(database: path)
        case .postgres(let url): return try PostgresEngine(url: url)
        case .spark(let folder): return try SparkEngine(folder)
        }
    }
}

/// `--engine`, shared by `evq`, `evq test` and `evq push`.
struct EngineOption: ParsableArguments {
    @Option(help: ArgumentHelp("Where the facts are: memory (evq's own, the default), duckdb:FILE, "
                               + "postgres://USER@HOST:PORT/DATABASE or spark:DIR[?master=MASTER] (what 'evq push' filled).",
                               valueName: "engine"))
    var engine: Engine = .memory
}

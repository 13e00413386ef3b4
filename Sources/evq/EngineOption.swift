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

    init?(argument: String) {
        if argument == "memory" { self = .memory; return }
        guard argument.hasPrefix("duckdb:"), argument.count > "duckdb:".count else { return nil }
        self = .duckdb(String(argument.dropFirst("duckdb:".count)))
    }

    static var allValueStrings: [String] { ["memory", "duckdb:FILE"] }

    /// The connection to the engine; nil for memory.
    var connection: (any SQLConnection)? {
        switch self {
        case .memory: return nil
        case .duckdb(let path): return DuckDBConnection(database: path)
        }
    }
}

/// `--engine`, shared by `evq`, `evq test` and `evq push`.
struct EngineOption: ParsableArguments {
    @Option(help: ArgumentHelp("Where the facts are: memory (evq's own, the default) or duckdb:FILE (a database "
                               + "that 'evq push' filled).", valueName: "engine"))
    var engine: Engine = .memory

    /// A session over the engine's facts, or nil (the error said) when it cannot be reached.
    static func session(_ connection: any SQLConnection) -> Session? {
        do { return Session(engine: try SQLExecutor(connection: connection)) } catch {
            SystemIO.err("evq: \(connection.name): \(error.message)\nhelp: \(error.help)\n")
            return nil
        }
    }
}

import EVQ
#if canImport(Glibc)
import Glibc
#endif

/// Spark SQL, through PySpark: `SparkHelper.script`, which this writes into a private folder and starts once per
/// session with `$EVQ_PYTHON` (else `python3`), and which reads the Parquet tables `evq push --engine spark:DIR`
/// wrote in DIR. The master is `$EVQ_SPARK_MASTER` or `?master=` after DIR: `local[*]` by default (every core of
/// this machine), `spark://HOST:7077` for a standalone cluster, `sc://HOST:15002` for Spark Connect; on a cluster
/// DIR is a path every executor reads.
final class SparkEngine: SQLConnection {
    let dialect = SQLDialect.spark
    /// `spark:DIR`, as `--engine` named it.
    let name: String
    let directory: String
    let master: String
    private let client: EngineClient
    /// The private folder holding the helper, removed with the engine.
    private let folder: String

    /// `spark:DIR[?master=MASTER]`'s part after `spark:`; empty (`--engine spark`) for the folder `$EVQ_SPARK_DIR`.
    init(_ argument: String) throws(EngineError) {
        let parts = argument.split(separator: "?master=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let folder = parts[0].isEmpty ? SystemIO.setting("EVQ_SPARK_DIR") : parts[0] else {
            throw EngineError("spark names no data folder", help: "name it: --engine spark:DIR, or set EVQ_SPARK_DIR")
        }
        directory = folder
        let configured = SystemIO.setting("EVQ_SPARK_MASTER")
        master = parts.count > 1 ? parts[1] : configured ?? "local[*]"
        name = "spark:" + (parts[0].isEmpty ? folder + (parts.count > 1 ? "?master=" + parts[1] : "") : argument)
        guard let helperFolder = ChildProcess.temporaryFolder("spark") else {
            throw EngineError("cannot make a temporary folder: \(SystemIO.reason())", help: "set TMPDIR to a writable folder")
        }
        self.folder = helperFolder
        let script = helperFolder + "/evq_spark.py"
        let python = SystemIO.setting("EVQ_PYTHON") ?? "python3"
        client = EngineClient([python, script], environment: ["EVQ_SPARK_DIR": directory, "EVQ_SPARK_MASTER": master],
                              timeout: EngineClient.engineTimeout)
        do throws(IOError) { try SystemIO.writeFile(script, SparkHelper.script) } catch {
            throw EngineError("cannot write Spark's client: \(error.reason)", help: "set TMPDIR to a writable folder")
        }
    }

    deinit { ChildProcess.remove(folder: folder) }

    func query(_ statements: [String]) throws(EngineError) -> [[UInt8]] {
        if access(directory, F_OK) != 0, !directory.contains("://") {
            throw EngineError("there is no Spark data folder '\(directory)'", help: "create it with: evq push --engine \(name)")
        }
        return try statements.map { sql throws(EngineError) in try send("query", Array(sql.utf8)) }
    }

    /// Replaces DIR with the dataset's tables as Parquet, the facts partitioned by metric and year, all or nothing:
    /// Spark writes them beside DIR and the folders are swapped when every table is written.
    func push(_ data: Dataset) throws(EngineError) {
        try ChildProcess.inTemporaryFolder("spark-push") { csv throws(EngineError) in
            var lines: [String] = []
            for table in SQLTable.all {
                let file = csv + "/" + table.name + ".csv"
                try PushCommand.write(table, of: data, to: file, start: CSV.line(table.columns.map(\.name))) { CSV.append($0, to: &$1) }
                let schema = table.columns.map { "\(dialect.identifier($0.name)) \(SQLTable.spell($0.type, dialect))" }
                let partitions = table.name == SQLTable.facts.name ? "metric,year" : ""
                lines.append([table.name, schema.joined(separator: ", "), file, partitions].joined(separator: "\t"))
            }
            _ = try send("push", Array(lines.joined(separator: "\n").utf8))
        }
    }

    /// One request and its answer.
    private func send(_ verb: String, _ body: [UInt8]) throws(EngineError) -> [UInt8] {
        try client.answer(verb, body, failed: failure, refused: failure)
    }

    private func failure(kind: String, _ message: String) -> EngineError {
        let said = Sanitizer.printable(message)
        switch kind {
        case "not-installed":
            return EngineError("Spark: \(said)", help: "install it: pip install pyspark (and Java 17), or set EVQ_PYTHON to a Python that has it")
        case "unreachable": return EngineError(said, help: "check the master (\(master)) and that Java 17 is installed")
        case "missing-table": return EngineError("Spark: \(said)", help: "push the data first: evq push --engine \(name)")
        default: return EngineError("Spark: \(said)", help: "check the data folder: \(directory)")
        }
    }

    private func failure(_ failure: ChildProcess.Failure) -> EngineError {
        switch failure {
        case .notStarted(let why):
            return EngineError("cannot start Python for Spark: \(why)", help: "install python3 and pyspark, or set EVQ_PYTHON")
        case .timedOut:
            return EngineError("Spark (\(master)) did not answer within \(NumberFormat.plain(client.timeout)) s",
                               help: "check the master; set EVQ_ENGINE_TIMEOUT to wait longer")
        case .interrupted:
            return EngineError("interrupted", help: "the query was stopped; Spark was stopped with it")
        case .exited(let said):
            return EngineError("Spark's client stopped: \(Sanitizer.printable(DuckDBConnection.firstError(said)))",
                               help: "check Python and PySpark: \(SystemIO.environment("EVQ_PYTHON") ?? "python3") -c 'import pyspark'")
        }
    }
}

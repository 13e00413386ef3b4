import ArgumentParser
import EVQ

/// `evq sql 'QUERY' [--dialect duckdb|postgres|spark]`: the SQL an engine runs for each statement.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Print the SQL that --engine runs for a query.",
        discussion: """
            Each statement's facts are fetched by one SELECT per metric, naming the entities it looks up (a roll-up
            to children looks them up too); bounds, tiling and citations are worked out by evq from those rows.
            The catalogue tables and the counts that 'list' shows are read once, when evq connects.
            Example: evq sql 'compare xiaomi hima by month 2025' --dialect postgres
            """
    )

    @Argument(help: ArgumentHelp("One or more statements.", valueName: "query"))
    var query: String

    @Option(help: "The SQL dialect: duckdb, postgres or spark.")
    var dialect: SQLDialect = .duckdb

    @Option(name: .customLong("data"), help: ArgumentHelp("Load a facts, entities or metrics file first (repeatable).", valueName: "file"))
    var dataFiles: [String] = []

    mutating func run() throws {
        guard var session = Invocation.embeddedSession() else { throw ExitCode(1) }
        guard Invocation.load(dataFiles, into: &session, open: { try SystemIO.open(path: $0) }) else { throw ExitCode(1) }
        let file = SourceFile(name: "<command-line>", text: query)
        var failed = false
        for item in Parser.Statements(file) {
            switch item {
            case .success(let statement):
                SystemIO.out("-- \(Sanitizer.printable(file.text(statement.range)))\n")
                do throws(Diagnostic) {
                    let scans = try session.scans(statement, in: file, dialect: dialect)
                    if scans.isEmpty {
                        SystemIO.out("-- no facts fetched: answered from the tables read when evq connects\n")
                    }
                    for sql in scans { SystemIO.out(sql + ";\n") }
                } catch {
                    SystemIO.err(DiagnosticRenderer.render(error, in: file))
                    failed = true
                }
            case .failure(let diagnostic):
                SystemIO.err(DiagnosticRenderer.render(diagnostic, in: file))
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

extension SQLDialect: ExpressibleByArgument {}

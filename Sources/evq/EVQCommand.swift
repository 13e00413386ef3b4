import ArgumentParser
import EVQ
#if canImport(Glibc)
import Glibc
#endif

/// `evq`: runs EVQ queries from `-c`, script files, standard input, or the REPL.
@main
struct EVQCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evq",
        abstract: "Query the facts of China's EV race: deliveries, prices, targets — with the source of every number.",
        discussion: """
            Examples:
              evq -c 'compare xiaomi hima by month 2025'
              evq report.evq              run a script ('#!/usr/bin/env evq' works)
              echo 'describe hima' | evq  read statements from a pipe
              evq test Examples           run golden tests
              evq report race.evq -o race.html    one HTML page, every figure cited
            """,
        version: EVQVersion.string,
        subcommands: [TestCommand.self, CheckCommand.self, ReportCommand.self, PushCommand.self, SQLCommand.self],
        defaultSubcommand: nil
    )

    @Option(name: .short, help: ArgumentHelp("Run QUERY (one or more statements) and exit.", valueName: "QUERY"))
    var c: String?

    @Option(help: "Output format: table, csv, json, markdown or html (one page of all the answers).")
    var format: OutputFormat = .table

    @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorMode = .auto

    @Option(name: .customLong("data"), help: ArgumentHelp("Load a facts, entities or metrics file (see README) before running (repeatable).", valueName: "file"))
    var dataFiles: [String] = []

    @Option(help: "Show at most N rows of each table, then how many more there are.")
    var maxRows: Int?

    @Flag(help: "Go on after a statement fails (the exit status still reports the failure).")
    var keepGoing = false

    @Flag(help: "After each statement, print how long it took (Run Time: N ms) on standard error.")
    var timer = false

    @OptionGroup var threading: ThreadsOption

    @OptionGroup var engineOption: EngineOption

    @Flag(help: "Read standard input without line editing, even on a terminal.")
    var noEditline = false

    @Flag(help: ArgumentHelp("Touch no file beyond the scripts and --data files named here: no history, ~/.editrc, "
                             + ".read, load or plot (for running others' scripts)."))
    var safe = false

    @Argument(help: ArgumentHelp("Script files to run; '-' reads standard input.", valueName: "file"))
    var files: [String] = []

    func validate() throws {
        if engineOption.engine != .memory, !dataFiles.isEmpty {
            throw ValidationError("--data loads into evq's memory; with --engine, push the files to the database: "
                                  + "evq push --engine ENGINE --data FILE")
        }
        if let maxRows, maxRows < 1 {
            throw ValidationError("--max-rows takes a whole number from 1 up, not \(maxRows); "
                                  + "leave it out to show every row")
        }
    }

    mutating func run() throws {
        let invocation = Invocation(query: c, files: files, format: format, color: color, keepGoing: keepGoing,
                                    noEditline: noEditline, safe: safe, maxRows: maxRows, dataFiles: dataFiles,
                                    timer: timer, threads: threading.threads, engine: engineOption.engine)
        let status = invocation.run()
        if status != 0 { throw ExitCode(status) }
    }

    /// Runs one source, printing tables to stdout (or handing them to `output`, which the REPL pages) and
    /// diagnostics to stderr as they come; `keep` hears each answer. A picture that cannot be written fails the
    /// run as a failed statement does.
    static func run(_ file: SourceFile, session: inout Session, options: RenderOptions, keepGoing: Bool,
                    safe: Bool = false, timer: Bool = false, shouldStop: () -> Bool = { false },
                    keep: (ResultTable) -> Void = { _ in },
                    output: (String) -> Void = SystemIO.out) -> Bool {
        var wrote = true
        // A picture not written stops the script as a failed statement does.
        let ok = ScriptRunner.run(file, session: &session, options: options, keepGoing: keepGoing, timer: timer,
                                  shouldStop: { shouldStop() || (!wrote && !keepGoing) }, keep: keep) { chunk in
            switch chunk {
            case .standardOutput(let s): output(s)
            case .standardError(let s): SystemIO.err(s)
            case .failure(let s):
                // Said at once: a reader that goes away later (`| head`) must not turn this into success.
                SystemIO.status = 1
                SystemIO.err(s)
            case .file(let path, let contents, let range, let source):
                // A picture not written is the statement's failure, named where the statement is.
                func fail(_ message: String, _ help: String) {
                    SystemIO.err(DiagnosticRenderer.render(.error(message, at: range, notes: ["help: " + help]),
                                                           in: source))
                    wrote = false
                }
                guard !safe else {
                    return fail("--safe: not writing '\(path)'", "run evq without --safe to write files")
                }
                do throws(IOError) {
                    try SystemIO.writeFile(path, contents)
                    output("wrote \(path)\n")
                } catch {
                    fail("cannot write '\(path)': \(error.reason)",
                         "name a file in a folder that exists and can be written; the old file, if any, is as it was")
                }
            }
        }
        if !wrote { SystemIO.status = 1 }
        return ok && wrote
    }

    /// Usage errors exit with status 2, as the shells of sqlite3 and DuckDB do.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        // A root command with file arguments would swallow `test`; route the subcommand by hand.
        var arguments = Array(CommandLine.arguments.dropFirst())
        let subcommands: [String: ParsableCommand.Type] = ["test": TestCommand.self, "check": CheckCommand.self, "report": ReportCommand.self,
                                                           "push": PushCommand.self, "sql": SQLCommand.self]
        if arguments.first == "help" {
            let topic = arguments.dropFirst().first.flatMap { subcommands[$0] } ?? EVQCommand.self
            SystemIO.out(topic.helpMessage() + "\n")
            Glibc.exit(0)
        }
        // `evq -c QUERY`, the one-shot form scripts call in loops, skips the reflective parse (about half of
        // start-up, measured with callgrind); it builds the same command value the parser would.
        if arguments.count == 2, arguments[0] == "-c" {
            Glibc.exit(Invocation(query: arguments[1]).run())
        }
        let type = arguments.first.flatMap { subcommands[$0] } ?? EVQCommand.self
        if type != EVQCommand.self { arguments.removeFirst() }
        do {
            var command = try type.parseAsRoot(arguments)
            try command.run()
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let code = type.exitCode(for: error)
            if code == .success {
                SystemIO.out(type.fullMessage(for: error) + "\n")
                Glibc.exit(0)
            }
            if code.rawValue == 1 { Glibc.exit(1) }
            SystemIO.err(type.fullMessage(for: error) + "\n")
            Glibc.exit(2)
        }
    }
}

enum ColorMode: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
    func enabled(fd: Int32) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto: return SystemIO.isTerminal(fd) && SystemIO.environment("NO_COLOR").map(\.isEmpty) ?? true
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}

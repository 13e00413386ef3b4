#if canImport(Glibc)
import Glibc
#endif
import EVQ

/// The interactive loop on a terminal: libedit line editing, history, completion, multi-line
/// statements, meta-commands. Statements go through the same `ScriptRunner` as scripts.
struct REPL {
    var session: Session
    var options: RenderOptions
    /// No file access: no history file, no `.read`.
    var safe = false
    private var timer = false
    /// The last statement that succeeded, for `.why`.
    private var last: String?
    /// The last answers in full (every row), for `.last`: text, so that no old copy of the data is kept alive
    /// (a `load` after it would copy every column).
    private var lastAnswers = ""
    /// When answers go through the pager (`.pager`).
    private var pager = Pager.Mode.auto

    init(session: Session, options: RenderOptions, safe: Bool = false) {
        self.session = session
        self.options = options
        self.safe = safe
    }

    static let prompt = "evq> "
    static let continuation = "...> "
    static let metaCommands = [".help", ".format", ".maxrows", ".pager", ".last", ".timer", ".read", ".why", ".history",
                               ".entities", ".metrics", ".sources", ".engine", ".quit", ".exit"]

    /// Runs until Ctrl-D or `.quit`; returns true (a REPL session ends successfully).
    mutating func run() -> Bool {
        let historyFile = safe ? nil : LineEditor.defaultHistoryPath(environment: REPL.environment())
        guard let editor = LineEditor(historyFile: historyFile, readEditrc: !safe) else { return false }
        SystemIO.out(banner())
        // Completion reads the catalogue, variables and years as they are now: `load` and `let` change them.
        let names = CompletionNames(catalog: session.data.catalog, variables: [], years: yearsOfData())
        editor.completionProvider = { line, cursor in
            REPL.complete(line, cursor: cursor, catalog: names.catalog, variables: names.variables, years: names.years)
        }
        var buffer = ""
        var firstLine = 1
        while true {
            switch editor.readLine(prompt: buffer.isEmpty ? REPL.prompt : REPL.continuation) {
            case .endOfFile:
                return true
            case .interrupted:
                buffer = ""
            case .line(let line):
                if buffer.isEmpty, line.hasPrefix(".") {
                    editor.addHistory(line)
                    if !meta(line, editor: editor) { return true }
                    // `.engine` may have changed the catalogue and dropped the variables.
                    names.catalog = session.data.catalog
                    names.variables = session.variables.keys.sorted()
                    names.years = yearsOfData()
                    continue
                }
                buffer += buffer.isEmpty ? line : "\n" + line
                if REPL.needsMore(buffer) { continue }
                editor.addHistory(buffer.replacingNewlines)
                options.width = editor.terminalWidth
                // Let go of the completion's copy while the statement runs: a load would otherwise copy the
                // whole catalogue to add to it.
                names.catalog = Catalog()
                // `.why` explains the last answer, not a statement that failed.
                if execute(SourceFile(name: "<stdin>", text: buffer, firstLine: firstLine)) { last = buffer }
                firstLine += buffer.split(separator: "\n", omittingEmptySubsequences: false).count
                names.catalog = session.data.catalog
                names.variables = session.variables.keys.sorted()
                names.years = yearsOfData()
                buffer = ""
            }
        }
    }

    /// `.engine`: names the engine the facts come from, or (`.engine ENGINE`) moves to another, as `--engine`
    /// names it. A new engine is a new session: variables name facts of the old one, so they are not kept.
    private mutating func switchEngine(_ argument: String) {
        guard !argument.isEmpty else {
            SystemIO.out("\(session.engine?.connection.name ?? "memory")\n")
            return
        }
        guard let engine = Engine(argument: argument) else {
            SystemIO.err("usage: .engine memory|duckdb:FILE|postgres://USER@HOST:PORT/DATABASE\n")
            return
        }
        let safe = self.safe, threads = session.threads
        Interrupt.clear()
        guard var next = engine.session(memory: { Invocation.embeddedSession(openingFiles: !safe) }) else { return }
        next.threads = threads
        do throws(EngineError) { try next.summarizeEngine() } catch {
            SystemIO.err("evq: \(error.message)\nhelp: \(error.help)\n")
            return
        }
        let dropped = session.variables.count
        session = next
        SystemIO.out("now on \(session.engine?.connection.name ?? "memory"): \(REPL.count(session.data.factCount)) facts"
                     + (dropped == 0 ? "" : dropped == 1 ? "; the variable of the last engine is gone" : "; the \(dropped) variables of the last engine are gone")
                     + "\n")
    }

    /// Runs statements; Ctrl-C stops the one running (within the figure being worked out, or a blocked read)
    /// and those after it, with an error naming where (`Session.isInterrupted`).
    /// Returns whether every statement succeeded.
    @discardableResult
    private mutating func execute(_ file: SourceFile) -> Bool {
        Interrupt.clear()
        let start = REPL.now()
        session.isInterrupted = { Interrupt.requested }
        // The answers are gathered and then shown, so that a long one can go through the pager. Cut by .maxrows,
        // they are also rendered whole for `.last`.
        var shown = "", whole: [String] = []
        var full = options
        full.maxRows = nil
        let ok = EVQCommand.run(file, session: &session, options: options, keepGoing: false, safe: safe,
                                keep: { table in
                                    if options.maxRows != nil { whole.append(Renderer.render(table, options: full)) }
                                }, output: { shown += $0 })
        Interrupt.clear()
        Pager.show(shown, mode: pager)
        if options.maxRows == nil, !shown.isEmpty { lastAnswers = shown }
        if !whole.isEmpty { lastAnswers = whole.joined(separator: "\n") }
        if timer { SystemIO.out("Run Time: \(NumberFormat.grouped((REPL.now() - start) * 1000, decimals: 3)) ms\n") }
        return ok
    }

    /// Whether the statement is unfinished: an open parenthesis, a trailing operator or a trailing `\`.
    static func needsMore(_ text: String) -> Bool {
        let trimmed = text.trimmingTrailingSpaces
        if trimmed.hasSuffix("\\") { return true }
        guard let tokens = try? Lexer.tokenize(SourceFile(name: "", text: text)) else { return false }
        var depth = 0
        for t in tokens {
            if t.kind == .leftParen { depth += 1 }
            if t.kind == .rightParen { depth -= 1 }
        }
        if depth > 0 { return true }
        let last = tokens.last { $0.kind != .endOfFile && $0.kind != .newline }
        switch last?.kind {
        case .plus?, .minus?, .star?, .slash?, .equals?, .comma?, .dotDot?: return true
        default: return false
        }
    }

    // MARK: - Meta-commands

    /// Handles a `.command`; returns false when the REPL should end.
    private mutating func meta(_ line: String, editor: LineEditor) -> Bool {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let argument = words.dropFirst().joined(separator: " ")
        switch words.first ?? "" {
        case ".quit", ".exit": return false
        case ".help": SystemIO.out(Help.text(topic: argument))
        case ".format":
            if let format = OutputFormat(rawValue: argument) { options.format = format } else {
                SystemIO.err("usage: .format \(OutputFormat.allCases.map(\.rawValue).joined(separator: "|")) (now \(options.format.rawValue))\n")
            }
        case ".maxrows":
            if argument == "off" { options.maxRows = nil } else if let n = Int(argument), n > 0 { options.maxRows = n } else {
                SystemIO.err("usage: .maxrows N|off\n")
            }
        case ".pager":
            if let mode = Pager.Mode(rawValue: argument) { pager = mode } else {
                SystemIO.err("usage: .pager on|off|auto (now \(pager.rawValue); "
                             + "auto pages answers taller than the screen)\n")
            }
        case ".last":
            guard !lastAnswers.isEmpty else {
                SystemIO.err(".last shows the last answer again; run a query first\n")
                break
            }
            // In full: every row, whatever .maxrows says, through the pager when it is taller than the screen.
            Pager.show(lastAnswers, mode: pager)
        case ".timer":
            switch argument {
            case "on": timer = true
            case "off": timer = false
            default: SystemIO.err("usage: .timer on|off\n")
            }
        case ".read":
            guard !safe else { SystemIO.err(".read is disabled in --safe mode\n"); break }
            guard !argument.isEmpty else { SystemIO.err("usage: .read FILE\n"); break }
            do {
                execute(try SystemIO.script(path: argument))
            } catch {
                SystemIO.err("cannot read \(error.message)\n")
            }
        case ".history":
            for (i, entry) in editor.history.enumerated() { SystemIO.out("\(i + 1)  \(Sanitizer.printable(entry))\n") }
        case ".why":
            guard let last else { SystemIO.err(".why explains the last answer; run a query first\n"); break }
            execute(SourceFile(name: "<stdin>", text: "why " + last))
        case ".engine": switchEngine(argument)
        case ".entities": execute(SourceFile(name: "<stdin>", text: "list entities"))
        case ".metrics": execute(SourceFile(name: "<stdin>", text: "list metrics"))
        case ".sources": execute(SourceFile(name: "<stdin>", text: "list sources"))
        default:
            let suggestion = Spelling.closest(to: words.first ?? "", in: REPL.metaCommands).map { "; did you mean '\($0)'?" } ?? ""
            SystemIO.err("unknown command '\(Sanitizer.printable(words.first ?? ""))'\(suggestion) (.help lists them)\n")
        }
        return true
    }

    // MARK: - Completion

    static func complete(_ line: String, cursor: Int, catalog: Catalog, variables: [String], years: [Int]) -> Completion {
        let before = String(decoding: Array(line.utf8.prefix(cursor)), as: UTF8.self)
        if before.hasPrefix(".") {
            var words = before.split(separator: " ").map(String.init)
            if before.hasSuffix(" ") { words.append("") }
            let typed = words.last ?? ""
            let start = before.utf8.count - typed.utf8.count
            let options: [String]
            switch (words.count, words.first ?? "") {
            case (1, _): options = metaCommands
            case (2, ".format"): options = OutputFormat.allCases.map(\.rawValue)
            case (2, ".timer"): options = ["on", "off"]
            case (2, ".pager"): options = Pager.Mode.allCases.map(\.rawValue)
            case (2, ".help"): options = Help.topics.keys.sorted()
            default: options = []
            }
            return Completion(replaceFrom: start, candidates: options.filter { $0.hasPrefix(typed) })
        }
        let result = Completer(catalog: catalog, variables: variables, years: years).complete(line, cursor: cursor)
        return Completion(replaceFrom: result.start, candidates: result.candidates)
    }

    // MARK: - Banner and helpers

    private static func count(_ n: Int) -> String { NumberFormat.grouped(Double(n)) }

    private func banner() -> String {
        let data = session.data
        let extent = data.extent.map { "\(Period.monthLabel($0.start)) to \(Period.monthLabel($0.end))" } ?? "no dated facts"
        return """
            evq \(EVQVersion.string) — China's EV race, with the source of every number
            \(REPL.count(data.catalog.entities.count)) entities, \(REPL.count(data.factCount)) facts, \(data.events.count) events, \(REPL.count(data.catalog.sources.count)) sources; \(extent)\(session.engine.map { "\nfrom \($0.connection.name)" } ?? "")
            Type .help for statements and examples, Tab to complete, Ctrl-D to leave.

            """
    }

    private func yearsOfData() -> [Int] {
        guard let extent = session.data.extent else { return [] }
        return Array((extent.start / 12)...(extent.end / 12))
    }

    static func environment() -> [String: String] {
        var env: [String: String] = [:]
        for name in ["XDG_STATE_HOME", "HOME"] { env[name] = SystemIO.environment(name) }
        return env
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// What completion offers, shared between the loop (which updates it) and the editor's callback.
final class CompletionNames {
    var catalog: Catalog
    var variables: [String]
    var years: [Int]
    init(catalog: Catalog, variables: [String], years: [Int]) {
        self.catalog = catalog
        self.variables = variables
        self.years = years
    }
}

private extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return s
    }
    /// History keeps a multi-line statement on one line.
    var replacingNewlines: String {
        split(separator: "\n").map { line in line.hasSuffix("\\") ? String(line.dropLast()) : String(line) }.joined(separator: " ")
    }
}

import EVQ

/// What one run of `evq` was asked to do, as plain values: the parsed command line maps onto it,
/// and the `-c QUERY` fast path builds it directly.
struct Invocation {
    var query: String?
    var files: [String] = []
    var format: OutputFormat = .table
    var color: ColorMode = .auto
    var keepGoing = false
    var noEditline = false
    /// No file access from statements or the REPL: no history file, no `.read`.
    var safe = false
    var maxRows: Int?
    /// Files loaded before anything runs (`--data`).
    var dataFiles: [String] = []
    /// Print each statement's run time (`--timer`).
    var timer = false
    /// Threads for loading (`--threads`); nil for one per CPU.
    var threads: Int?
    /// Where the facts are (`--engine`).
    var engine = Engine.memory

    /// Runs the queries, scripts, standard input or the REPL; returns the exit status.
    func run() -> Int32 {
        // A page is one document: every answer of the run goes into it (the REPL makes one page per answer).
        if format == .html, query != nil || !files.isEmpty || !SystemIO.isTerminal(0) || noEditline { return runPage() }
        guard var session = engine.session(memory: { Invocation.embeddedSession(openingFiles: !safe) }) else { return 1 }
        if let threads { session.threads = threads }
        guard Self.load(dataFiles, into: &session, open: { try SystemIO.open(path: $0) }) else { return 1 }
        var options = RenderOptions(format: format, color: color.enabled(fd: 1),
                                    width: SystemIO.isTerminal(1) ? Terminal.width() : nil,
                                    maxRows: maxRows)
        options.colorErrors = color.enabled(fd: 2)
        var ok = true
        // `.help` is a meta-command, answered here as the REPL answers it (as `sqlite3 DB .help` does).
        if let query, let topic = Help.requested(in: query) {
            SystemIO.out(Help.text(topic: topic))
        } else if let query {
            ok = EVQCommand.run(SourceFile(name: "<command-line>", text: query), session: &session, options: options, keepGoing: keepGoing, safe: safe, timer: timer)
        }
        for path in files where ok || keepGoing {
            let file: SourceFile
            do { file = try SystemIO.script(path: path) } catch {
                SystemIO.err("evq: cannot read \(error.message)\n")
                return 1
            }
            ok = EVQCommand.run(file, session: &session, options: options, keepGoing: keepGoing, safe: safe, timer: timer) && ok
        }
        if query == nil && files.isEmpty {
            if SystemIO.isTerminal(0) && !noEditline {
                // The banner says how many facts there are and the months they span: an engine counts them.
                do throws(EngineError) { try session.summarizeEngine() } catch {
                    SystemIO.err("evq: \(error.message)\nhelp: \(error.help)\n")
                    return 1
                }
                var repl = REPL(session: session, options: options, safe: safe)
                ok = repl.run()
                // A statement that failed at the prompt was answered there; the session itself succeeded.
                SystemIO.status = 0
            } else {
                do {
                    ok = EVQCommand.run(try SystemIO.script(path: "-"), session: &session, options: options,
                                        keepGoing: keepGoing, safe: safe, timer: timer)
                } catch {
                    SystemIO.err("evq: cannot read \(error.message)\n")
                    return 1
                }
            }
        }
        return ok && SystemIO.status == 0 ? 0 : 1
    }

    /// A session over the embedded data, whose `load` opens files if `openingFiles`; nil (the error said) where that
    /// data does not load.
    static func embeddedSession(openingFiles: Bool = false) -> Session? {
        do {
            return Session(data: try Dataset.embedded(), openFile: openingFiles ? { path in try SystemIO.open(path: path) } : nil)
        } catch {
            SystemIO.err("evq: embedded data is broken: \(error)\n")
            return nil
        }
    }

    /// Loads `--data` files before anything runs; false (the error printed) when one fails, all or nothing.
    /// At a terminal, each file's count of rows is said, so that a file cut short does not pass unseen.
    static func load(_ paths: [String], into session: inout Session, open: (String) throws -> any ByteSource) -> Bool {
        for path in paths {
            do {
                var source = try open(path)
                let before = (facts: session.data.facts.count, entities: session.data.catalog.entities.count)
                try session.load(&source, name: path)
                if SystemIO.isTerminal(2) {
                    let facts = session.data.facts.count - before.facts,
                        entities = session.data.catalog.entities.count - before.entities
                    SystemIO.err("evq: loaded \(path): \(NumberFormat.grouped(Double(facts))) facts, "
                                 + "\(NumberFormat.grouped(Double(entities))) entities\n")
                }
            } catch let error as DataError {
                SystemIO.err("evq: \(error)\nevq: \(path) was not loaded; nothing from it was added\n")
                return false
            } catch {
                SystemIO.err("evq: cannot read \(path): \(error)\n")
                return false
            }
        }
        return true
    }

    /// `--format html`: the queries, scripts or standard input into one page on standard output.
    private func runPage() -> Int32 {
        var maker = ReportMaker(keepGoing: keepGoing, safe: safe)
        guard var session = maker.session(loading: dataFiles, threads: threads) else { return 1 }
        var ok = true
        if let query { ok = maker.run(SourceFile(name: "<command-line>", text: query), session: &session) }
        for path in files.isEmpty && query == nil ? ["-"] : files where ok || keepGoing {
            let file: SourceFile
            do { file = try SystemIO.script(path: path) } catch {
                SystemIO.err("evq: cannot read \(error.message)\n")
                return 1
            }
            ok = maker.run(file, session: &session) && ok
        }
        // One answer titles its page; several take the name of what ran.
        let tables = maker.report.sections.compactMap { section -> ResultTable? in
            if case .table(let t) = section.output { return t } else { return nil }
        }
        maker.report.title = tables.count == 1 ? tables[0].title : ReportMaker.defaultTitle(files.isEmpty ? ["EVQ"] : files)
        guard ok || keepGoing else { return 1 }
        return maker.write(to: nil) && ok && SystemIO.status == 0 ? 0 : 1
    }
}

/// One user's state across statements: the dataset and the variables `let` defined.
/// The REPL keeps one session for its lifetime; a script run uses one per script.
public struct Session {
    public private(set) var data: Dataset
    public private(set) var variables: [String: [Quantity]] = [:]
    /// The names of the files loaded into `data`, in order; a load that failed added nothing and is not here.
    public private(set) var loadedFiles: [String] = []
    /// Ctrl-C, polled while a statement runs (the REPL sets it): a statement it stops fails with an error and
    /// leaves the session as it was — no variable, no loaded row. Blocking reads that it interrupts fail too.
    public var isInterrupted: @Sendable () -> Bool = { false }
    /// Opens a file for `load`; nil forbids loading (`--safe`, or a library user without files).
    public var openFile: ((String) throws -> any ByteSource)?
    /// Threads a load may parse on (`--threads`); one per CPU unless set.
    public var threads = Parallel.available

    /// The SQL engine that holds the facts (`--engine`); nil for evq's own in-memory store (`MemoryExecutor`).
    public private(set) var engine: SQLExecutor?

    public init(data: Dataset, openFile: ((String) throws -> any ByteSource)? = nil) {
        self.data = data
        self.openFile = openFile
    }

    /// A session over facts held in a SQL engine. Files cannot be loaded into it (`evq push` adds them).
    public init(engine: SQLExecutor) {
        self.data = engine.data
        self.engine = engine
    }

    /// Adds a facts, entities or metrics file (`Dataset.FileKind`, told apart by its header), read a chunk at a time. All or nothing.
    public mutating func load(_ source: inout some ByteSource, name: String) throws(DataError) {
        try data.load(from: &source, file: name, threads: threads)
        loadedFiles.append(name)
    }

    /// The same for bytes in memory.
    public mutating func load(_ bytes: [UInt8], name: String) throws(DataError) {
        var source = ByteArraySource(bytes)
        try load(&source, name: name)
    }

    /// What one statement produced.
    public enum Output {
        case table(ResultTable)
        case diagnostic(Diagnostic)
        /// A statement that prints nothing (`let`).
        case silent
    }

    /// Parses and runs every statement of `file`, handing each result or error — an answer holds all its renderers
    /// need (`ResultTable.cited`) — and the statement's place in `file` (nil where it did not parse) to `emit` as
    /// it comes, so a script prints the statements before an error. Stops at the first error unless
    /// `keepGoing`, and before any statement once `shouldStop` says so (Ctrl-C). `timed` hears how long
    /// each statement took, its output handed on included (`--timer`). Returns whether every statement succeeded.
    @discardableResult
    public mutating func run(_ file: SourceFile, keepGoing: Bool = false, shouldStop: () -> Bool = { false },
                             timed: (Duration) -> Void = { _ in }, emit: (Output, SourceRange?) -> Void) -> Bool {
        var ok = true
        let clock = ContinuousClock()
        for item in Parser.Statements(file) {
            if shouldStop() { return false }
            if isInterrupted() {
                let range: SourceRange?
                switch item {
                case .success(let statement): range = statement.range
                case .failure(let diagnostic): range = diagnostic.range
                }
                emit(.diagnostic(.interrupted(at: range)), range)
                return false
            }
            let started = clock.now
            defer { timed(clock.now - started) }
            switch item {
            case .success(let statement):
                do throws(Diagnostic) {
                    let table = try execute(statement, in: file)
                    emit(table.map { .table($0) } ?? .silent, statement.range)
                } catch {
                    // Figures skipped for Ctrl-C can make any error; the interruption is what happened.
                    emit(.diagnostic(isInterrupted() ? .interrupted(at: statement.range) : error), statement.range)
                    ok = false
                }
            case .failure(let diagnostic):
                // A question in plain English gets the statement that answers it, from every name there is.
                try? fetchAllEntities()
                emit(.diagnostic(Questions.diagnostic(replacing: diagnostic, in: file, catalog: data.catalog)
                                 ?? diagnostic), nil)
                ok = false
            }
            // Ctrl-C stops the run even with keepGoing; the interrupted statement has said so.
            if !ok && (!keepGoing || isInterrupted()) { return false }
        }
        return ok
    }

    /// Resolves, plans and evaluates one parsed statement through the session's executor (`PlanExecutor`): once
    /// over the in-memory store, or in rounds over what a SQL engine sends.
    public mutating func execute(_ statement: Statement, in file: SourceFile) throws(Diagnostic) -> ResultTable? {
        if case .load(let path, let range) = statement {
            if let engine {
                throw .error("'load' reads files into evq's own memory, not into \(engine.connection.name)", at: range,
                             notes: ["help: add the file to the engine with: evq push --engine \(engine.connection.name) --data \(path)"])
            }
            return try load(path, at: range)
        }
        var executor: any PlanExecutor = engine ?? MemoryExecutor(data: data)
        defer {
            data = executor.data
            if let sql = executor as? SQLExecutor { engine = sql }
        }
        do throws(EngineError) { try executor.prepare(statement) } catch {
            throw failure(error, at: statement.range)
        }
        for _ in 0..<SQLExecutor.maxRounds {
            let (round, log) = executor.round()
            // Kept only where a round may be run again: a second copy makes every `let` copy all the variables.
            let before = log == nil ? nil : variables
            var outcome: Result<ResultTable?, Diagnostic>
            do throws(Diagnostic) { outcome = .success(try evaluate(statement, in: file, over: round)) } catch {
                outcome = .failure(error)
            }
            if isInterrupted() { return try outcome.get() }
            let moved: [Int]?
            do throws(EngineError) { moved = try executor.fetch(log) } catch {
                // The round answered from too few facts: a variable it set is not kept.
                if let before { variables = before }
                throw failure(error, at: statement.range)
            }
            guard let moved else { return try outcome.get() }
            // A round that looked up facts not yet fetched answered from too few: it is run again. The figures
            // variables hold name facts by row, and the rows were put in the engine's order again.
            variables = (before ?? variables).mapValues { $0.map { $0.renumbered(moved) } }
        }
        throw .error("this statement needed more than \(SQLExecutor.maxRounds) rounds of fetching from \(executor.name)",
                     at: statement.range, notes: ["help: the links between its facts go deeper than evq follows; run it with --engine memory"])
    }

    /// An engine's failure as the statement's error; Ctrl-C as what happened.
    private func failure(_ error: EngineError, at range: SourceRange) -> Diagnostic {
        if isInterrupted() { return .interrupted(at: range) }
        return .error(error.message, at: range, notes: ["help: " + error.help])
    }

    /// One statement over one dataset: resolved, planned and evaluated.
    private mutating func evaluate(_ statement: Statement, in file: SourceFile, over data: Dataset) throws(Diagnostic) -> ResultTable? {
        let resolved = try Resolver(catalog: data.catalog).resolve(statement)
        let plan = try Plan(resolved, data: data)
        var evaluator = Evaluator(data: data, variables: variables, file: file)
        evaluator.threads = threads
        evaluator.isInterrupted = isInterrupted
        // The evaluator holds the only copy while it runs, so that `let` adds one variable in place rather
        // than copying all of them (32,000 `let`s took 7.8 s); they come back whether or not it succeeds.
        variables = [:]
        defer { variables = evaluator.variables }
        let table = try evaluator.run(plan, range: statement.range)
        // Figures skipped for Ctrl-C make a wrong table: it is dropped.
        if isInterrupted() { throw .interrupted(at: statement.range) }
        return table
    }

    private mutating func load(_ path: String, at range: SourceRange) throws(Diagnostic) -> ResultTable {
        guard let openFile else {
            throw .error("loading files is not allowed here", at: range, notes: ["help: run evq without --safe to load files"])
        }
        var source: any ByteSource
        do { source = try openFile(path) } catch {
            if isInterrupted() { throw .interrupted(at: range) }
            throw .error("cannot read '\(path)': \(error)", at: range, notes: ["help: check the path; it is relative to the current directory"])
        }
        // Counts, not a copy of `data`: holding the dataset would make the load copy every column it appends to.
        let before = (facts: data.facts.count, entities: data.catalog.entities.count, metrics: data.catalog.metrics)
        do { try load(&source, name: path) } catch {
            if isInterrupted() { throw .interrupted(at: range) }
            throw .error("'\(path)' was not loaded: \(error)", at: range, notes: ["help: fix the row named above; nothing from the file was added"])
        }
        // Metrics count when new or newly defined (a metrics file may only define ones facts had named).
        let metrics = zip(before.metrics, data.catalog.metrics).filter { $0 != $1 }.count + data.catalog.metrics.count - before.metrics.count
        var table = ResultTable(title: "load", columns: [.init("file"), .init("facts", numeric: true), .init("entities", numeric: true),
                                                         .init("metrics", numeric: true)])
        table.rows = [[.text(path), .count(data.facts.count - before.facts), .count(data.catalog.entities.count - before.entities), .count(metrics)]]
        return table
    }
}

extension Session {
    /// The SELECTs that would fetch the entities the statement names and every fact it looks up from an engine of
    /// that dialect (`evq sql`), found by running it over this session's data and writing its look-ups down; the
    /// variables it sets are kept. Aliases, children and links an engine may need later are fetched as they come.
    public mutating func scans(_ statement: Statement, in file: SourceFile, dialect: SQLDialect) throws(Diagnostic) -> [String] {
        var traced = data
        let log = ScanLog(whole: [], tracing: true)
        traced.facts.scanLog = log
        let kept = data
        data = traced
        defer { data = kept }
        _ = try execute(statement, in: file)
        let wanted = log.wanted, named = statement.namedEntities
        let entities = named.names.isEmpty && named.kinds.isEmpty ? []
            : [SQLExecutor.namedSQL(names: Set(named.names.map { $0.lowercased() }), kinds: Set(named.kinds.compactMap(EntityKind.named)),
                                    dialect: dialect)]
        return entities + (wanted.summary ? SQLExecutor.summarySQL(dialect) : [])
            + SQLExecutor.sql(SQLExecutor.plan(wanted, catalog: data.catalog, staged: false), catalog: data.catalog, dialect: dialect)
    }

    /// Has the engine count its facts and send every entity, for the REPL's banner and completion; nothing for the
    /// in-memory store.
    public mutating func summarizeEngine() throws(EngineError) {
        guard var engine else { return }
        defer { self.engine = engine }
        try engine.summarize()
        try engine.fetchAllEntities()
        data = engine.data
    }

    /// Has the engine send every entity, where only some were fetched; nothing for the in-memory store.
    mutating func fetchAllEntities() throws(EngineError) {
        guard var engine else { return }
        defer { self.engine = engine }
        try engine.fetchAllEntities()
        data = engine.data
    }
}

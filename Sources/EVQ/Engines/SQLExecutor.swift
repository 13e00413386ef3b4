/// A SQL engine evq runs queries on (DuckDB, PostgreSQL): it answers SELECT statements with rows of text.
/// The implementations, which start processes or open sockets, live in the `evq` program; the library only
/// writes the SQL and reads the rows.
public protocol SQLConnection {
    var dialect: SQLDialect { get }
    /// Where the data is, as `--engine` named it (`duckdb:race.duckdb`), for messages.
    var name: String { get }
    /// Runs the statements in one round trip and returns each one's result as CSV (RFC 4180): a header line of its
    /// column names, then its rows, NULL as an empty field.
    func query(_ statements: [String]) throws(EngineError) -> [[UInt8]]
}

extension SQLConnection {
    /// The rows of each statement's result, every field as text, without the header.
    func rows(_ statements: [String]) throws(EngineError) -> [[[String]]] {
        try query(statements).map { bytes throws(EngineError) -> [[String]] in
            do throws(CSV.Error) { return Array(try CSV.parse(bytes).dropFirst().map(\.fields)) } catch {
                throw EngineError("\(name) sent rows evq cannot read (line \(error.line): \(error.message))",
                                  help: "check that \(name) is the engine evq pushed to")
            }
        }
    }
}

/// Why an engine could not answer: it is not installed, not reachable, or its tables are not evq's.
public struct EngineError: Error, Sendable, Equatable {
    public var message: String
    /// What would fix it.
    public var help: String

    public init(_ message: String, help: String) {
        self.message = message
        self.help = help
    }
}

/// Runs statements against facts held in a SQL engine. The engine scans, filters and counts; EVQ fetches only
/// the (entity, metric) groups a statement looks up and works out figures, bounds and provenance from them with
/// the same evaluator as the in-memory engine.
///
/// A statement runs in rounds: it runs over the facts fetched so far, and every group it looked up that was not
/// fetched is fetched (one SELECT per metric) before it runs again; a roll-up that goes down to children takes
/// one more round per level. The facts fetched are kept in the engine's order (`seq`), the order evq read them in,
/// so that everything listed in fact order comes out as the in-memory engine lists it; a fetch renumbers them, and
/// says how, for the figures variables hold.
public struct SQLExecutor {
    public let connection: any SQLConnection
    /// The catalogue, events and rankings, whole, and the facts fetched so far.
    public private(set) var data: Dataset
    /// The catalogue, events and rankings, without facts.
    private var base: Dataset
    private var fetchedGroups: Set<Int64> = []
    /// For groups not fetched whole, the spans of months whose starting facts were fetched.
    private var fetchedWindows: [Int64: [Period]] = [:]
    /// The facts fetched, as `SQLTable.select` returns them, in the engine's order (`seq`).
    private var fetched: [[String]] = []
    private var fetchedSeqs: Set<Int64> = []

    /// The most rounds one statement may take: a roll-up goes `Catalog.maximumDepth` levels down, a level taking
    /// a round for windows and one for whole groups, and links between facts may take a few more.
    static let maxRounds = 4 * Catalog.maximumDepth + 8

    /// Connects: reads the catalogue, events and rankings whole. What the facts table holds by metric and source
    /// (for `list`) and the months it spans are counted only when asked for (`summarize`): over millions of rows
    /// that is most of an engine's work.
    public init(connection: any SQLConnection) throws(EngineError) {
        self.connection = connection
        let small = [SQLTable.sources, .entities, .metrics, .events, .rankings]
        // Their columns are those of evq's own files, so what the engine sends is such a file, for the same loaders.
        let results = try connection.query(small.map { $0.select(connection.dialect, asFile: true) })
        var data = Dataset()
        for (table, sent) in zip(small, results) {
            // An empty table may come back without its header line (PostgreSQL sends none without a row).
            let file = sent.isEmpty ? Array(CSV.line(table.fileColumns).utf8) : sent
            do throws(DataError) {
                switch table.name {
                case SQLTable.sources.name: try data.loadSources(file, file: connection.name)
                case SQLTable.entities.name: try data.loadEntities(file, file: connection.name)
                case SQLTable.metrics.name:
                    // The table lists every metric; evq's own are built in and keep their definitions.
                    try data.loadMetrics(file, file: connection.name, skippingBuiltIn: true)
                case SQLTable.events.name: try data.loadEvents(file, file: connection.name)
                default: try data.loadRankings(file, file: connection.name)
                }
            } catch {
                throw EngineError("the table \(table.name) in \(connection.name) is not as evq pushed it: \(error)",
                                  help: "push the data again: evq push --engine \(connection.name)")
            }
        }
        self.data = data
        self.base = data
    }

    /// Counts the facts by metric and by source and finds the months they span, in the engine.
    public mutating func summarize() throws(EngineError) {
        guard data.engineSummary == nil else { return }
        let r = try connection.rows(SQLExecutor.summarySQL(connection.dialect))
        guard r.count == 4 else {
            throw EngineError("\(connection.name) answered \(r.count) of 4 statements", help: "check the engine: \(connection.name)")
        }
        let summary = SQLExecutor.summary(r[0], r[1], extent: r[2], total: r[3], catalog: data.catalog)
        data.engineSummary = summary
        base.engineSummary = summary
    }

    /// The counts by metric and by source, the months spanned, and the count of all facts.
    static func summarySQL(_ d: SQLDialect) -> [String] {
        let facts = d.identifier(SQLTable.facts.name)
        let counts = ["metric", "source"].map { column in
            "SELECT \(d.identifier(column)), count(*) FROM \(facts) GROUP BY \(d.identifier(column))"
        }
        let extent = "SELECT count(*), min(\(d.identifier("start_month"))), max(\(d.identifier("end_month")))"
            + " FROM \(facts) WHERE \(d.identifier("start_month")) <= \(d.identifier("end_month"))"
        return counts + [extent, "SELECT count(*) FROM \(facts)"]
    }

    private static func summary(_ byMetric: [[String]], _ bySource: [[String]], extent: [[String]], total: [[String]],
                                catalog: Catalog) -> FactSummary {
        var s = FactSummary(count: Int(total.first?.first ?? "") ?? 0,
                            byMetric: Array(repeating: 0, count: catalog.metrics.count),
                            bySource: Array(repeating: 0, count: catalog.sources.count))
        for row in byMetric where row.count == 2 {
            if let m = catalog.metric(named: row[0]), let n = Int(row[1]) { s.byMetric[m] = n }
        }
        for row in bySource where row.count == 2 {
            if let i = catalog.source(file: row[0]), let n = Int(row[1]) { s.bySource[i] = n }
        }
        if let row = extent.first, row.count == 3, let lo = Int(row[1]), let hi = Int(row[2]) {
            s.extent = Period(start: lo, end: hi)
        }
        return s
    }

    /// The dataset for one round: the facts fetched so far, every look-up of a group written down.
    func round() -> (Dataset, ScanLog) {
        var d = data
        let log = ScanLog(whole: fetchedGroups, windows: fetchedWindows)
        d.facts.scanLog = log
        return (d, log)
    }

    /// What to fetch of what a round wanted. A round over too few facts finds figures missing and looks further
    /// than it will need to — at a parent's children, at the whole history behind a hint — so a fetch is staged
    /// (`staged`; all at once for `evq sql`, whose trace over every fact holds only what is needed): windows before
    /// whole groups, and of either only those of entities with no ancestor also wanted (a brand with a figure every
    /// month needs none of its models'). The next round asks again for anything still needed. A group's windows
    /// become one span of months, their hull; none is fetched for a group fetched whole.
    static func plan(_ wants: ScanLog.Wants, catalog c: Catalog, whole fetched: Set<Int64> = [], staged: Bool = true) -> Scans {
        func topmost(_ groups: some Collection<Int64>) -> [Int64] {
            let all = Set(groups)
            return groups.filter { g in
                let entity = Int(g >> 32), metric = g & 0xFFFF_FFFF
                guard staged, c.entities.indices.contains(entity) else { return true }
                return !c.ancestors(entity).contains { all.contains(Int64($0) << 32 | metric) }
            }
        }
        let windowed = topmost(wants.windows.keys.filter { !fetched.contains($0) && (staged || !wants.groups.contains($0)) })
        let groups = staged && !windowed.isEmpty ? [] : Set(topmost(wants.groups))
        var windows: [Int64: Period] = [:]
        for g in windowed where !groups.contains(g) {
            let periods = wants.windows[g] ?? []
            windows[g] = Period(start: periods.map(\.start).min() ?? 0, end: periods.map(\.end).max() ?? -1)
        }
        return Scans(groups: groups, windows: windows)
    }

    /// The whole groups and the windows one fetch asks the engine for.
    struct Scans {
        var groups: Set<Int64>
        var windows: [Int64: Period]
    }

    /// The SELECTs for some scans: one per metric for whole groups, naming their entities, and one per metric and
    /// span for windows — the facts starting in the span, among them any that revise or restate one of them (a
    /// revision or a conversion states the same period as the fact it replaces or restates: `FactStore.link`).
    static func sql(_ scans: Scans, catalog c: Catalog, dialect d: SQLDialect) -> [String] {
        func ids(_ entities: [Int]) -> [String] {
            entities.sorted().compactMap { c.entities.indices.contains($0) ? c.entities[$0].id : nil }
        }
        func metric(_ m: Int) -> String { "\(d.identifier("metric")) = \(d.literal(c.metrics[m].name))" }
        var byMetric: [Int: [Int]] = [:]
        for g in scans.groups { byMetric[Int(g & 0xFFFF_FFFF), default: []].append(Int(g >> 32)) }
        var out = byMetric.keys.sorted().filter(c.metrics.indices.contains).map { m in
            SQLTable.facts.select(d, where: metric(m) + "\n  AND " + d.isIn("entity", ids(byMetric[m] ?? [])))
        }
        struct Key: Hashable, Comparable {
            var metric: Int, start: Int, end: Int
            static func < (a: Key, b: Key) -> Bool { (a.metric, a.start, a.end) < (b.metric, b.start, b.end) }
        }
        var bySpan: [Key: [Int]] = [:]
        for (g, span) in scans.windows {
            bySpan[Key(metric: Int(g & 0xFFFF_FFFF), start: span.start, end: span.end), default: []].append(Int(g >> 32))
        }
        let start = d.identifier("start_month")
        out += bySpan.keys.sorted().filter { c.metrics.indices.contains($0.metric) }.map { key in
            SQLTable.facts.select(d, where: metric(key.metric) + "\n  AND " + d.isIn("entity", ids(bySpan[key] ?? []))
                + "\n  AND \(start) BETWEEN \(key.start) AND \(key.end)"
                + "  -- starting \(Period.monthLabel(key.start))..\(Period.monthLabel(key.end))")
        }
        return out
    }

    /// Fetches what a round wanted (`plan`), and the facts their links name, and rebuilds `data` with them. Returns
    /// where each earlier row is now.
    @discardableResult
    mutating func fetch(_ wants: ScanLog.Wants) throws(EngineError) -> [Int] {
        if wants.summary { try summarize() }
        let scans = SQLExecutor.plan(wants, catalog: data.catalog, whole: fetchedGroups)
        var rows = try connection.rows(SQLExecutor.sql(scans, catalog: data.catalog, dialect: connection.dialect)).flatMap { $0 }
        fetchedGroups.formUnion(scans.groups)
        for (g, span) in scans.windows { fetchedWindows[g, default: []].append(span) }
        // Links name facts by id; a fact named from another metric (a change `from` the figure it changes) is
        // fetched by its id, until every id named is here.
        let table = SQLTable.facts, linkColumns = ["revises", "equals", "from"].compactMap { name in
            table.fileColumns.firstIndex(of: name).map { $0 + 1 }
        }
        let idColumn = (table.fileColumns.firstIndex(of: "id") ?? 0) + 1
        var known = Set(data.facts.factIDs.keys)
        for _ in 0..<SQLExecutor.maxRounds {
            known.formUnion(rows.compactMap { $0.count > idColumn && !$0[idColumn].isEmpty ? $0[idColumn] : nil })
            let named = Set(rows.flatMap { row in
                linkColumns.filter { $0 < row.count }.flatMap { row[$0].split(separator: "|").map { Text.trimmed(String($0)) } }
            }).subtracting(known).filter { !$0.isEmpty }
            guard !named.isEmpty else { break }
            let d = connection.dialect
            let more = try connection.rows([table.select(d, where: d.isIn("id", named.sorted()))]).flatMap { $0 }
            if more.isEmpty { break }
            rows += more
        }
        // Each fact once, in the engine's order.
        let previousSeqs = fetched.map { Int64($0[0]) ?? 0 }
        var added = false
        for row in rows {
            guard let seq = row.first.flatMap({ Int64($0) }), fetchedSeqs.insert(seq).inserted else { continue }
            fetched.append(row)
            added = true
        }
        guard added else { return Array(previousSeqs.indices) }
        fetched.sort { (Int64($0[0]) ?? 0) < (Int64($1[0]) ?? 0) }
        var rebuilt = base
        let width = 1 + table.fileColumns.count
        do throws(DataError) {
            try rebuilt.loadFacts(Dataset.file(table, fetched: fetched), file: connection.name)
        } catch {
            throw EngineError("the facts in \(connection.name) are not as evq pushed them: \(error)",
                              help: "push the data again: evq push --engine \(connection.name)")
        }
        rebuilt.facts.restoreOrigins(from: 0, fetched.map { row in
            row.count > width + 1 ? (row[width], Int32(row[width + 1]) ?? 0) : (connection.name, 0)
        })
        data = rebuilt
        // Where each earlier row is now, told by its seq.
        var now: [Int64: Int] = [:]
        for (i, row) in fetched.enumerated() { now[Int64(row[0]) ?? 0] = i }
        return previousSeqs.enumerated().map { old, seq in now[seq] ?? old }
    }
}

/// What the whole facts table holds, for a dataset whose store has only the facts fetched from an engine.
public struct FactSummary: Sendable {
    public var count: Int
    public var byMetric: [Int]
    public var bySource: [Int]
    public var extent: Period?
}

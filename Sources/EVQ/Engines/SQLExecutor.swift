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
        try query(statements).map { bytes throws(EngineError) in try parse(bytes) }
    }

    /// The rows of one result, every field as text, without the header.
    func parse(_ result: [UInt8]) throws(EngineError) -> [[String]] {
        do throws(CSV.Error) { return Array(try CSV.parse(result).dropFirst().map(\.fields)) } catch {
            throw EngineError("\(name) sent rows evq cannot read (line \(error.line): \(error.message))",
                              help: "check that \(name) is the engine evq pushed to")
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
/// the entities and the (entity, metric) groups a statement looks up and works out figures, bounds and provenance
/// from them with the same evaluator as the in-memory engine.
///
/// A statement runs in rounds: it runs over what was fetched so far, and whatever it looked up that was not fetched
/// is fetched before it runs again (`ScanLog`). Names, kinds and every entity come first, since they change what
/// the statement is about; then windows of facts; then whole groups and children, a roll-up taking one more round
/// per level. What was fetched is kept in the engine's order (`seq`), the order evq read it in, so that everything
/// listed in catalogue or fact order comes out as the in-memory engine lists it; a fetch renumbers the facts, and
/// says how, for the figures variables hold.
public struct SQLExecutor: PlanExecutor {
    public let connection: any SQLConnection
    /// The entities, events and rankings fetched, and the facts fetched so far.
    public private(set) var data: Dataset
    /// The catalogue, events and rankings, without facts.
    private var base: Dataset
    /// Sources, metrics, events and rankings as the engine sent them (evq's own files), read once at connect.
    private let small: [(table: SQLTable, file: [UInt8])]
    /// The entities fetched, as `SQLTable.select` returns them, in the engine's order (`seq`).
    private var entityRows: [[String]] = []
    /// The ids (lower-cased) of the entities fetched.
    private var entityIDs: Set<String> = []
    /// What of the catalogue is held beyond the entities fetched, by lower-cased id; nil once it is held whole.
    private var held: Held? = Held()
    private var fetchedGroups: Set<Int64> = []
    /// For groups not fetched whole, the spans of months whose starting facts were fetched.
    private var fetchedWindows: [Int64: [Period]] = [:]
    /// The facts fetched, as `SQLTable.select` returns them, in the engine's order (`seq`).
    private var fetched: [[String]] = []
    private var fetchedSeqs: Set<Int64> = []
    /// Facts' notes and links (`SQLTable.factLinks`), by the fact's seq: the file fields from `note` on.
    private var links: [Int64: [String]] = [:]
    /// Whether `links` holds every fact's, read when connecting (at most `linksHeldWhole` of them); else each
    /// fetch asks for its facts'.
    private var linksHeld = false
    /// The facts whose notes and links were asked for, where not all are held.
    private var linksAsked: Set<Int64> = []

    /// The most notes and links read whole when connecting: a table of the few facts that have one. Past it, a
    /// fetch asks for its own facts' by seq, one more statement each.
    static let linksHeldWhole = 10_000

    /// Names whose every entity was fetched, kinds fetched whole, and entities whose children were.
    struct Held {
        var names: Set<String> = []
        var kinds: Set<EntityKind> = []
        var children: Set<String> = []
    }

    /// The most rounds one statement may take: a roll-up goes `Catalog.maximumDepth` levels down, a level taking
    /// a round for its children, one for windows and one for whole groups, and names and links a few more.
    static let maxRounds = 4 * Catalog.maximumDepth + 8

    /// Connects: reads the sources, metrics, events and rankings whole, the facts' notes and links where they are
    /// few, and the entities events and rankings name, with their parents and partners. Other entities are fetched
    /// as statements name them; the facts by metric and source and the months they span are counted only when
    /// asked for (`summarize`). Over millions of rows and tens of thousands of entities, those are most of an
    /// engine's work.
    public init(connection: any SQLConnection) throws(EngineError) {
        self.connection = connection
        let tables = [SQLTable.sources, .metrics, .events, .rankings], d = connection.dialect
        let linksSQL = SQLTable.factLinks.select(d, limit: SQLExecutor.linksHeldWhole + 1)
        var results = try connection.query(tables.map { $0.select(d, asFile: true) } + [linksSQL])
        guard results.count == tables.count + 1 else {
            throw EngineError("\(connection.name) answered \(results.count) of \(tables.count + 1) statements",
                              help: "check the engine: \(connection.name)")
        }
        let linkRows = try connection.parse(results.removeLast())
        // An empty table may come back without its header line (PostgreSQL sends none without a row).
        small = zip(tables, results).map { table, sent in
            (table, sent.isEmpty ? Array(CSV.line(table.fileColumns).utf8) : sent)
        }
        data = Dataset()
        base = data
        if linkRows.count <= SQLExecutor.linksHeldWhole {
            linksHeld = true
            remember(links: linkRows)
        }
        // The entities events and rankings name, by id: a list the engine finds at once, where a subquery on each
        // took DuckDB 5 ms over 27,808 entities.
        var named = Set<String>()
        for (table, file) in small {
            let columns = table.name == SQLTable.events.name ? ["entity"] : table.name == SQLTable.rankings.name ? ["leader", "trailer"] : []
            let indices = columns.compactMap { table.fileColumns.firstIndex(of: $0) }
            guard !indices.isEmpty, let records = try? CSV.parse(file) else { continue }
            for record in records.dropFirst() {
                named.formUnion(indices.filter { $0 < record.fields.count }.map { record.fields[$0].lowercased() })
            }
        }
        named.remove("")
        if !named.isEmpty {
            _ = try add(entities: fetchEntities(where: d.isIn(lowerCased: "id", named.sorted())))
        }
        try rebuild()
    }

    /// Adds entities the engine sent, and their parents and partners, fetched until none is missing. Returns
    /// whether any was new: the catalogue is then to be rebuilt (`rebuild`).
    private mutating func add(entities rows: [[String]]) throws(EngineError) -> Bool {
        var rows = rows, added = false
        let parent = 4, partner = 5
        for _ in 0...Catalog.maximumDepth {
            for row in rows where row.count > partner && Int64(row[0]) != nil {
                guard entityIDs.insert(row[1].lowercased()).inserted else { continue }
                entityRows.append(row)
                added = true
            }
            let missing = Set(rows.flatMap { row in row.count > partner ? [row[parent], row[partner]] : [] }
                .map { $0.lowercased() }.filter { !$0.isEmpty }).subtracting(entityIDs)
            guard !missing.isEmpty else { break }
            rows = try fetchEntities(where: connection.dialect.isIn(lowerCased: "id", missing.sorted()))
            guard !rows.isEmpty else { break }
        }
        return added
    }

    /// The entities meeting a condition (all for nil), as `SQLTable.select` returns them.
    private func fetchEntities(where condition: String?) throws(EngineError) -> [[String]] {
        try connection.rows([SQLTable.entities.select(connection.dialect, where: condition)]).first ?? []
    }

    /// Rebuilds the catalogue, events and rankings from what was fetched, and the facts on them. An entity's code
    /// is its place among the entities fetched, so the groups fetched are found again by id.
    private mutating func rebuild() throws(EngineError) {
        let old = base.catalog
        entityRows.sort { (Int64($0[0]) ?? 0) < (Int64($1[0]) ?? 0) }
        var d = Dataset()
        let name = connection.name
        do throws(DataError) {
            for (table, file) in small {
                switch table.name {
                case SQLTable.sources.name:
                    try d.loadSources(file, file: name)
                    // Entities come after sources and before metrics, as evq's own files load.
                    try d.loadEntities(Dataset.file(.entities, fetched: entityRows), file: name)
                case SQLTable.metrics.name:
                    // The table lists every metric; evq's own are built in and keep their definitions.
                    try d.loadMetrics(file, file: name, skippingBuiltIn: true)
                case SQLTable.events.name: try d.loadEvents(file, file: name)
                default: try d.loadRankings(file, file: name)
                }
            }
        } catch {
            throw EngineError("the tables in \(name) are not as evq pushed them: \(error)",
                              help: "push the data again: evq push --engine \(name)")
        }
        d.engineSummary = base.engineSummary
        base = d
        func moved(_ group: Int64) -> Int64? {
            let entity = Int(group >> 32)
            guard old.entities.indices.contains(entity), let now = d.catalog.entity(id: old.entities[entity].id) else { return nil }
            return Int64(now) << 32 | group & 0xFFFF_FFFF
        }
        fetchedGroups = Set(fetchedGroups.compactMap(moved))
        fetchedWindows = Dictionary(fetchedWindows.compactMap { g, spans in moved(g).map { ($0, spans) } }, uniquingKeysWith: +)
        try rebuildFacts()
    }

    /// The facts fetched, on the catalogue fetched.
    private mutating func rebuildFacts() throws(EngineError) {
        var rebuilt = base
        if !fetched.isEmpty {
            let table = SQLTable.facts, width = 1 + table.fileColumns.count
            do throws(DataError) {
                try rebuilt.loadFacts(Dataset.file(table, fetched: fetched), file: connection.name)
            } catch {
                throw EngineError("the facts in \(connection.name) are not as evq pushed them: \(error)",
                                  help: "push the data again: evq push --engine \(connection.name)")
            }
            rebuilt.facts.restoreOrigins(from: 0, fetched.map { row in
                row.count > width + 1 ? (row[width], Int32(row[width + 1]) ?? 0) : (connection.name, 0)
            })
        }
        data = rebuilt
    }

    /// Fetches the entities named (lower-cased) by id, name or alias, and those of the kinds, where not fetched yet.
    public mutating func fetch(names: Set<String>, kinds: Set<EntityKind>) throws(EngineError) {
        guard let held else { return }
        let names = names.subtracting(held.names), kinds = kinds.subtracting(held.kinds)
        guard !names.isEmpty || !kinds.isEmpty else { return }
        let d = connection.dialect
        var rows = try connection.rows([SQLExecutor.namedSQL(names: names, kinds: kinds, dialect: d)]).first ?? []
        let others = names.subtracting(rows.map { $0[1].lowercased() })
        if !others.isEmpty { rows += try connection.rows([SQLExecutor.entitiesSQL(names: others, dialect: d)]).first ?? [] }
        let added = try add(entities: rows)
        self.held?.names.formUnion(names)
        self.held?.kinds.formUnion(kinds)
        if added { try rebuild() }
    }

    /// Fetches every entity, for what reads the whole catalogue: the REPL's completion, did-you-mean, `list entities`.
    public mutating func fetchAllEntities() throws(EngineError) {
        guard held != nil else { return }
        if try add(entities: fetchEntities(where: nil)) { try rebuild() }
        // Whole only once every entity is in.
        held = nil
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

    public var name: String { connection.name }

    /// Fetches the entities the statement names and the kinds it ranks, at once rather than a name a round.
    public mutating func prepare(_ statement: Statement) throws(EngineError) {
        let named = statement.namedEntities
        try fetch(names: Set(named.names.map { $0.lowercased() }), kinds: Set(named.kinds.compactMap(EntityKind.named)))
    }

    /// What a round looked up and the dataset lacked, fetched (`fetch(_ wants:)`); nil when it lacked nothing.
    public mutating func fetch(_ log: ScanLog?) throws(EngineError) -> [Int]? {
        guard let wanted = log?.wanted, !wanted.isEmpty else { return nil }
        return try fetch(wanted)
    }

    /// The dataset for one round: what was fetched so far, every look-up of an entity or a group written down.
    public func round() -> (Dataset, ScanLog?) {
        var d = data
        let catalog = held.map { h in
            ScanLog.CatalogHeld(names: h.names, kinds: h.kinds,
                                children: Set(h.children.compactMap { d.catalog.entity(id: $0) }))
        }
        let log = ScanLog(whole: fetchedGroups, windows: fetchedWindows, catalog: catalog)
        d.facts.scanLog = log
        if catalog != nil { d.catalog.scanLog = log }
        return (d, log)
    }

    /// What to fetch of what a round wanted. A round over too few facts finds figures missing and looks further
    /// than it will need to — at a parent's children, at the whole history behind a hint — so a fetch is staged
    /// (`staged`; all at once for `evq sql`, whose trace over every fact holds only what is needed): windows before
    /// whole groups and children, and of windows and groups only those of entities with no ancestor also wanted (a
    /// brand with a figure every month needs none of its models'). The next round asks again for anything still
    /// needed. A group's windows become one span of months, their hull; none is fetched for a group fetched whole.
    ///
    /// An entity whose children are fetched has them fetched with their facts starting in the windows fetched for
    /// it (a roll-up asks the children for the same months), saving the round that would ask for those next; with
    /// all their facts where its group is fetched whole.
    static func plan(_ wants: ScanLog.Wants, catalog c: Catalog, whole fetched: Set<Int64> = [],
                     windows fetchedWindows: [Int64: [Period]] = [:], staged: Bool = true) -> Scans {
        func topmost(_ groups: some Collection<Int64>) -> [Int64] {
            let all = Set(groups)
            return groups.filter { g in
                let entity = Int(g >> 32), metric = g & 0xFFFF_FFFF
                guard staged, c.entities.indices.contains(entity) else { return true }
                return !c.ancestors(entity).contains { all.contains(Int64($0) << 32 | metric) }
            }
        }
        func hull(_ periods: [Period]) -> Period {
            Period(start: periods.map(\.start).min() ?? 0, end: periods.map(\.end).max() ?? -1)
        }
        let windowed = topmost(wants.windows.keys.filter { !fetched.contains($0) && (staged || !wants.groups.contains($0)) })
        let later = staged && !windowed.isEmpty
        let groups = later ? [] : Set(topmost(wants.groups))
        var windows: [Int64: Period] = [:]
        for g in windowed where !groups.contains(g) {
            windows[g] = hull(wants.windows[g] ?? [])
        }
        let children = later ? [] : Set(wants.children.filter(c.entities.indices.contains))
        // A parent held whole had no facts tiling the months asked for: its children are then asked for their
        // histories too, so they come whole at once rather than a window now and the rest a round later.
        let childGroups = groups.union(fetched).filter { children.contains(Int($0 >> 32)) }
        var childWindows: [Int64: Period] = [:]
        for (g, periods) in fetchedWindows where children.contains(Int(g >> 32)) && !periods.isEmpty && !childGroups.contains(g) {
            childWindows[g] = hull(periods)
        }
        return Scans(groups: groups, windows: windows, children: children, childWindows: childWindows,
                     childGroups: childGroups)
    }

    /// The whole groups, the windows and the entities' children one fetch asks the engine for, and the children's
    /// facts by the parent's group: those starting in a window, or all of them.
    struct Scans {
        var groups: Set<Int64>
        var windows: [Int64: Period]
        var children: Set<Int> = []
        var childWindows: [Int64: Period] = [:]
        var childGroups: Set<Int64> = []
    }

    /// The SELECTs for some scans: one per metric for whole groups, naming their entities, and one per metric and
    /// span for windows — the facts starting in the span, among them any that revise or restate one of them (a
    /// revision or a conversion states the same period as the fact it replaces or restates: `FactStore.link`).
    /// Children's facts are one per metric (and span), naming their parents. Children are one more, of the entities
    /// table.
    static func sql(_ scans: Scans, catalog c: Catalog, dialect d: SQLDialect) -> [String] {
        func ids(_ entities: [Int]) -> [String] {
            entities.sorted().compactMap { c.entities.indices.contains($0) ? c.entities[$0].id : nil }
        }
        func metric(_ m: Int) -> String { "\(d.identifier("metric")) = \(d.literal(c.metrics[m].name))" }
        func children(of parents: [Int]) -> String {
            "\(d.identifier("entity")) IN (SELECT \(d.identifier("id")) FROM \(d.identifier(SQLTable.entities.name)) WHERE \(childOf(ids(parents), d)))"
        }
        func byMetric(_ groups: Set<Int64>) -> [(metric: Int, entities: [Int])] {
            var out: [Int: [Int]] = [:]
            for g in groups { out[Int(g & 0xFFFF_FFFF), default: []].append(Int(g >> 32)) }
            return out.keys.sorted().filter(c.metrics.indices.contains).map { ($0, out[$0] ?? []) }
        }
        var out = byMetric(scans.groups).map { m, entities in
            facts(where: metric(m) + "\n  AND " + d.isIn("entity", ids(entities)), d)
        }
        // Apart from the groups named: an `IN` list `OR IN` a subquery made DuckDB test every row against both
        // (550 against 12 ms for the children of five brands over 10M rows).
        out += byMetric(scans.childGroups).map { m, parents in
            facts(where: metric(m) + "\n  AND " + children(of: parents), d)
        }
        struct Key: Hashable, Comparable {
            var metric: Int, start: Int, end: Int
            static func < (a: Key, b: Key) -> Bool { (a.metric, a.start, a.end) < (b.metric, b.start, b.end) }
        }
        func bySpan(_ windows: [Int64: Period]) -> [(Key, [Int])] {
            var out: [Key: [Int]] = [:]
            for (g, span) in windows {
                out[Key(metric: Int(g & 0xFFFF_FFFF), start: span.start, end: span.end), default: []].append(Int(g >> 32))
            }
            return out.keys.sorted().filter { c.metrics.indices.contains($0.metric) }.map { ($0, out[$0] ?? []) }
        }
        let start = d.identifier("start_month")
        func starting(_ key: Key) -> String {
            // Spark's facts are Parquet partitioned by metric and year (`evq push --engine spark:DIR`): naming the
            // years lets it read only theirs.
            let years = d == .spark ? "\n  AND \(d.identifier("year")) BETWEEN '\(key.start / 12)' AND '\(key.end / 12)'" : ""
            return "\n  AND \(start) BETWEEN \(key.start) AND \(key.end)  -- starting \(Period.monthLabel(key.start))..\(Period.monthLabel(key.end))"
                + years
        }
        out += bySpan(scans.windows).map { key, entities in
            facts(where: metric(key.metric) + "\n  AND " + d.isIn("entity", ids(entities)) + starting(key),
                  entities: entities.count, months: key.end - key.start + 1, d)
        }
        out += bySpan(scans.childWindows).map { key, parents in
            facts(where: metric(key.metric) + "\n  AND " + children(of: parents) + starting(key), d)
        }
        // Last, so that every result before it is facts.
        if !scans.children.isEmpty {
            out.append(SQLTable.entities.select(d, where: childOf(ids(Array(scans.children)), d)))
        }
        return out
    }

    /// The facts meeting a condition, of some entities over some months. DuckDB takes a condition on one entity
    /// into its scan, so that only the rows meeting it are read whole; of several (`IN` a list) it takes only what
    /// its zone maps can rule out, and reads every column of every row of the metric in the months asked for before
    /// filtering them. Asking it also for the rows whose `rowid` a narrow scan found makes their row ids a filter of
    /// the scan itself — where they are at most 50 (its `dynamic_or_filter_threshold`), which a window of one
    /// figure a month for a few entities is: two brands' twelve months of 10M rows took 29 ms one way and 8 the
    /// other (Benchmarks/engines.sh). Past that the second scan only adds time (305 brands: 50 against 43 ms).
    static func facts(where condition: String, entities: Int = 0, months: Int = 0, _ d: SQLDialect) -> String {
        guard d == .duckdb, entities > 1, entities * months <= 50 else { return SQLTable.facts.select(d, where: condition) }
        let inner = condition.replacing("\n", with: "\n    "), table = SQLTable.facts
        return table.select(d, where: condition + "\n  AND rowid IN (\n    SELECT rowid FROM \(d.identifier(table.name))\n    WHERE \(inner)\n  )")
    }

    /// The condition on entities that they are children of those with the ids.
    private static func childOf(_ ids: [String], _ d: SQLDialect) -> String {
        d.isIn(lowerCased: "parent", ids.map { $0.lowercased() })
    }

    /// The entities with the ids `names` (lower-cased), and those of the kinds. An id names one entity, whatever
    /// aliases say (`Catalog.lookUpEntity`): ids come first, which an engine finds at once, and only the other names
    /// are looked for among names and aliases (`entitiesSQL`).
    static func namedSQL(names: Set<String>, kinds: Set<EntityKind>, dialect d: SQLDialect) -> String {
        let conditions = (names.isEmpty ? [] : [d.isIn(lowerCased: "id", names.sorted())])
            + (kinds.isEmpty ? [] : [d.isIn("kind", kinds.map(\.rawValue).sorted())])
        return SQLTable.entities.select(d, where: conditions.isEmpty ? "FALSE" : conditions.joined(separator: " OR "))
    }

    /// The entities named `names` (lower-cased) by id, name or alias. An alias is matched in the `|`-separated
    /// list as the engine lower-cases it; one it misses is found when the whole catalogue is.
    static func entitiesSQL(names: Set<String>, dialect d: SQLDialect) -> String {
        let sorted = names.sorted()
        let aliases = "'|' || lower(coalesce(\(d.identifier("aliases")), '')) || '|'"
        var conditions = [d.isIn(lowerCased: "id", sorted), d.isIn(lowerCased: "name", sorted)]
        conditions += sorted.filter { !$0.contains("|") }.map { d.contains(aliases, "|\($0)|") }
        return SQLTable.entities.select(d, where: conditions.joined(separator: "\n   OR "))
    }

    /// Fetches what a round wanted (`plan`) and rebuilds `data` with it: entities a statement named first, alone,
    /// since the statement's other wants were made without them; else facts, and the facts their links name, and
    /// children, with the entities those name. Returns where each earlier fact row is now.
    @discardableResult
    mutating func fetch(_ wants: ScanLog.Wants) throws(EngineError) -> [Int] {
        if wants.summary { try summarize() }
        let unmoved = Array(fetched.indices)
        if wants.catalog, held != nil {
            // Did-you-mean reads every name, but only once the names themselves were asked for.
            if wants.allEntities && wants.names.isEmpty && wants.kinds.isEmpty { try fetchAllEntities() }
            else { try fetch(names: wants.names, kinds: wants.kinds) }
            return unmoved
        }
        let scans = SQLExecutor.plan(wants, catalog: data.catalog, whole: fetchedGroups, windows: fetchedWindows)
        let results = try connection.rows(SQLExecutor.sql(scans, catalog: data.catalog, dialect: connection.dialect))
        // Facts, then the children's entities (`sql`).
        let children = scans.children.isEmpty ? [] : results.last ?? []
        var rows = try complete(results.dropLast(scans.children.isEmpty ? 0 : 1).flatMap { $0 })
        rows += try linked(from: rows)
        // A fact may be of an entity not fetched yet (one a link names).
        let entities = Set(rows.compactMap { $0.count > 1 ? $0[1].lowercased() : nil }).subtracting(entityIDs)
            .subtracting(children.compactMap { $0.count > 1 ? $0[1].lowercased() : nil })
        let more = entities.isEmpty ? [] : try fetchEntities(where: connection.dialect.isIn(lowerCased: "id", entities.sorted()))
        let newEntities = try add(entities: children + more)
        // Everything asked for is here: only now is it held, so that a fetch that failed is asked for again.
        held?.children.formUnion(scans.children.map { data.catalog.entities[$0].id.lowercased() })
        fetchedGroups.formUnion(scans.groups)
        for (g, span) in scans.windows { fetchedWindows[g, default: []].append(span) }
        // The children's windows and groups are held once the catalogue knows the children (`rebuild`), by parent id.
        let childWindows = scans.childWindows.map { g, span in
            (parent: data.catalog.entities[Int(g >> 32)].id, metric: g & 0xFFFF_FFFF, span: span)
        }
        let childGroups = scans.childGroups.map { g in (parent: data.catalog.entities[Int(g >> 32)].id, metric: g & 0xFFFF_FFFF) }
        func holdChildren() {
            for w in childWindows {
                guard let parent = data.catalog.entity(id: w.parent) else { continue }
                for child in data.catalog.children(of: parent) { fetchedWindows[Int64(child) << 32 | w.metric, default: []].append(w.span) }
            }
            for g in childGroups {
                guard let parent = data.catalog.entity(id: g.parent) else { continue }
                fetchedGroups.formUnion(data.catalog.children(of: parent).map { Int64($0) << 32 | g.metric })
            }
        }
        // Each fact once, in the engine's order.
        let previousSeqs = fetched.map { Int64($0[0]) ?? 0 }
        var added = false
        for row in rows {
            guard let seq = row.first.flatMap({ Int64($0) }), fetchedSeqs.insert(seq).inserted else { continue }
            fetched.append(row)
            added = true
        }
        guard added || newEntities else {
            holdChildren()
            return unmoved
        }
        fetched.sort { (Int64($0[0]) ?? 0) < (Int64($1[0]) ?? 0) }
        if newEntities { try rebuild() } else { try rebuildFacts() }
        holdChildren()
        // Where each earlier row is now, told by its seq.
        var now: [Int64: Int] = [:]
        for (i, row) in fetched.enumerated() { now[Int64(row[0]) ?? 0] = i }
        return previousSeqs.enumerated().map { old, seq in now[seq] ?? old }
    }

    /// The facts that facts' links name by id and are not fetched: a fact named from another metric (a change
    /// `from` the figure it changes) is fetched by its id, until every id named is here. An id is a fact link's:
    /// the fact is found by its seq.
    private mutating func linked(from rows: [[String]]) throws(EngineError) -> [[String]] {
        let table = SQLTable.facts, linkColumns = ["revises", "equals", "from"].compactMap { name in
            table.fileColumns.firstIndex(of: name).map { $0 + 1 }
        }
        let idColumn = (table.fileColumns.firstIndex(of: "id") ?? 0) + 1
        var known = Set(data.facts.factIDs.keys), all = rows, out: [[String]] = []
        for _ in 0..<SQLExecutor.maxRounds {
            known.formUnion(all.compactMap { $0.count > idColumn && !$0[idColumn].isEmpty ? $0[idColumn] : nil })
            let named = Set(all.flatMap { row in
                linkColumns.filter { $0 < row.count }.flatMap { row[$0].split(separator: "|").map { Text.trimmed(String($0)) } }
            }).subtracting(known).filter { !$0.isEmpty }
            guard !named.isEmpty else { break }
            let d = connection.dialect, idField = (SQLTable.factLinks.fileColumns.firstIndex(of: "id") ?? 0)
            if !linksHeld {
                let sent = try connection.rows([SQLTable.factLinks.select(d, where: d.isIn("id", named.sorted()))]).first ?? []
                remember(links: sent)
                linksAsked.formUnion(sent.compactMap { Int64($0[0]) })
            }
            let seqs = links.filter { _, fields in fields.count > idField && named.contains(fields[idField]) }.keys.sorted()
            // No fact has those ids: nothing to ask the engine for.
            if seqs.isEmpty { break }
            let more = try complete(connection.rows([table.select(d, where: d.isIn("seq", numbers: seqs))]).flatMap { $0 })
            if more.isEmpty { break }
            all += more
            out += more
        }
        return out
    }

    /// Rows of `SQLTable.factLinks` kept by seq.
    private mutating func remember(links rows: [[String]]) {
        for row in rows {
            if let seq = Int64(row.first ?? "") { links[seq] = Array(row.dropFirst()) }
        }
    }

    /// Facts as the engine sent them, their notes and links (NULL in `SQLTable.facts.select`) filled in: those of
    /// facts not asked for yet fetched first, where not all are held.
    private mutating func complete(_ rows: [[String]]) throws(EngineError) -> [[String]] {
        let seqs = rows.compactMap { Int64($0.first ?? "") }
        if !linksHeld {
            let asked = Set(seqs).subtracting(linksAsked).sorted()
            let d = connection.dialect
            // A thousand a statement keeps each short enough for any engine's parser.
            let statements = stride(from: 0, to: asked.count, by: 1000).map { start in
                SQLTable.factLinks.select(d, where: d.isIn("seq", numbers: Array(asked[start..<min(asked.count, start + 1000)])))
            }
            if !statements.isEmpty { remember(links: try connection.rows(statements).flatMap { $0 }) }
            linksAsked.formUnion(asked)
        }
        let first = 1 + (SQLTable.facts.fileColumns.firstIndex(of: SQLTable.factLinks.fileColumns[0]) ?? 0)
        // Each row by its own seq: a row whose seq is not a number keeps its fields as sent.
        return rows.map { row in
            guard let seq = Int64(row.first ?? ""), let fields = links[seq], row.count >= first + fields.count else { return row }
            var row = row
            row.replaceSubrange(first..<first + fields.count, with: fields)
            return row
        }
    }
}

/// What the whole facts table holds, for a dataset whose store has only the facts fetched from an engine.
public struct FactSummary: Sendable {
    public var count: Int
    public var byMetric: [Int]
    public var bySource: [Int]
    public var extent: Period?
}

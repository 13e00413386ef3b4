/// The tables `evq push` creates and the SQL executor reads: EVQ's data files as tables, one row per record,
/// with a `seq` column that keeps the order evq read them in and, for facts, the period as month numbers so that
/// an engine can filter by it. A fact's note and links are in a table of their own, holding only the facts that
/// have any. README.md documents them for whoever fills them from their own pipeline.
public struct SQLTable: Sendable {
    /// A column's type, spelled per dialect by `SQLTable.create`.
    public enum ColumnType: Sendable {
        case text, integer, bigint, double
    }

    public let name: String
    public let columns: [(name: String, type: ColumnType)]
    /// The columns that make one of evq's data files, in that file's order: what the executor reads back.
    public let fileColumns: [String]
    /// Columns read back after those: for facts, the file and line evq first read the fact from.
    public var extraColumns: [String] = []
    /// Whether the table has a row for each fact, or for some: pushed a part of the facts at a time.
    public var perFact = false

    /// Every fact, embedded and loaded, its names canonical (entity ids, metric names, source files).
    /// `value` is as a facts file writes it (`lo..hi` for a range); `lo`/`hi` are its numbers, not the interval
    /// the bound makes of them. `start_month`/`end_month` count months from year 0 (2025-01 is 24300);
    /// an undated fact has `start_month > end_month`. Its note and links are in `factLinks`.
    public static let facts = SQLTable(name: "facts", columns: [
        ("seq", .bigint), ("entity", .text), ("metric", .text), ("period", .text),
        ("start_month", .integer), ("end_month", .integer), ("value", .text), ("lo", .double), ("hi", .double),
        ("unit", .text), ("bound", .text), ("source", .text), ("line", .integer),
        ("file", .text), ("file_line", .integer),
    ], fileColumns: FactLoader.header + FactLinks.columns, extraColumns: ["file", "file_line"], perFact: true)

    /// The note and links of each fact that has any, by the fact's `seq`. Few facts have one, and a scan reads every
    /// column it returns over all the rows it looks at: kept in the facts table, the six columns, nearly all NULL,
    /// took DuckDB 7 of the 46 ms that 305 brands' facts for a year took over 10M rows. The SQL executor reads
    /// them apart from the facts (`SQLExecutor.links`), not joined: a join cost Spark a broadcast with every scan.
    public static let factLinks = SQLTable(name: "fact_links", columns: [
        ("seq", .bigint), ("note", .text), ("id", .text), ("as_of", .text), ("revises", .text), ("equals", .text),
        ("from", .text),
    ], fileColumns: ["note"] + FactLinks.columns, perFact: true)

    public static let entities = SQLTable(name: "entities", columns: [
        ("seq", .bigint), ("id", .text), ("kind", .text), ("name", .text), ("parent", .text), ("partner", .text),
        ("aliases", .text),
    ], fileColumns: ["id", "kind", "name", "parent", "partner", "aliases"])

    public static let sources = SQLTable(name: "sources", columns: [
        ("seq", .bigint), ("source", .text), ("id", .text), ("title", .text), ("author", .text),
        ("publisher", .text), ("note", .text),
    ], fileColumns: ["source", "id", "title", "author", "publisher", "note"])

    public static let metrics = SQLTable(name: "metrics", columns: [
        ("seq", .bigint), ("metric", .text), ("aliases", .text), ("additive", .text), ("meaning", .text),
    ], fileColumns: ["metric", "aliases", "additive", "meaning"])

    public static let events = SQLTable(name: "events", columns: [
        ("seq", .bigint), ("date", .text), ("entity", .text), ("kind", .text), ("description", .text),
        ("source", .text), ("line", .integer),
    ], fileColumns: ["date", "entity", "kind", "description", "source", "line"])

    public static let rankings = SQLTable(name: "rankings", columns: [
        ("seq", .bigint), ("period", .text), ("metric", .text), ("leader", .text), ("trailer", .text),
        ("source", .text), ("line", .integer), ("note", .text),
    ], fileColumns: ["period", "metric", "leader", "trailer", "source", "line", "note"])

    /// In the order they are loaded: names before the facts and events that use them.
    public static let all: [SQLTable] = [sources, entities, metrics, facts, factLinks, events, rankings]

    /// `CREATE TABLE "facts" ("seq" BIGINT, …)`.
    public func create(_ dialect: SQLDialect) -> String {
        let list = columns.map { "\(dialect.identifier($0.name)) \(SQLTable.spell($0.type, dialect))" }
        return "CREATE TABLE \(dialect.identifier(name)) (\(list.joined(separator: ", ")))"
    }

    /// The indexes `evq push` makes on a PostgreSQL database, for the two ways evq fetches facts: by metric,
    /// entity and first month (`SQLExecutor.sql`), and by id (the facts a link names: their links by id, then the
    /// facts by seq); the links by their fact; and entities by id and by parent as evq looks them up, lower-cased.
    /// Those last two also give the planner the statistics of `lower(…)`: without them it took the children of
    /// five brands for 695 entities, not one, and read all 10M facts for them (0.5 s) rather than the index.
    /// DuckDB needs none: it skips what its zone maps rule out.
    public static func indexes(_ dialect: SQLDialect) -> [String] {
        let facts = dialect.identifier(SQLTable.facts.name), links = dialect.identifier(SQLTable.factLinks.name)
        let entities = dialect.identifier(SQLTable.entities.name)
        return [
            "CREATE INDEX \(dialect.identifier("facts_by_metric_entity_month")) ON \(facts) "
                + "(\(dialect.identifier("metric")), \(dialect.identifier("entity")), \(dialect.identifier("start_month")))",
            "CREATE INDEX \(dialect.identifier("facts_by_seq")) ON \(facts) (\(dialect.identifier("seq")))",
            "CREATE INDEX \(dialect.identifier("fact_links_by_id")) ON \(links) (\(dialect.identifier("id")))",
            "CREATE INDEX \(dialect.identifier("fact_links_by_seq")) ON \(links) (\(dialect.identifier("seq")))",
            "CREATE INDEX \(dialect.identifier("entities_by_id")) ON \(entities) (lower(\(dialect.identifier("id"))))",
            "CREATE INDEX \(dialect.identifier("entities_by_parent")) ON \(entities) (lower(\(dialect.identifier("parent"))))",
        ]
    }

    /// A column type as the dialect names it.
    public static func spell(_ type: ColumnType, _ dialect: SQLDialect) -> String {
        switch (type, dialect) {
        case (.text, .spark): return "STRING"
        case (.text, _): return "VARCHAR"
        case (.integer, .spark): return "INT"
        case (.integer, _): return "INTEGER"
        case (.bigint, _): return "BIGINT"
        case (.double, .postgres): return "DOUBLE PRECISION"
        case (.double, _): return "DOUBLE"
        }
    }

    /// `SELECT "seq", "entity", … FROM "facts" WHERE … ORDER BY "seq"`: the table's file columns in evq's order,
    /// after `seq` and before the extra columns; or (`asFile`) the file columns alone, a file evq's loaders read.
    /// A file column the table does not hold (a fact's note and links) is NULL, for evq to fill in.
    func select(_ dialect: SQLDialect, where condition: String? = nil, asFile: Bool = false, limit: Int? = nil) -> String {
        let names = asFile ? fileColumns : ["seq"] + fileColumns + extraColumns
        let list = names.map { column in
            columns.contains { $0.name == column } ? dialect.identifier(column) : "NULL AS \(dialect.identifier(column))"
        }
        return "SELECT \(list.joined(separator: ", "))\nFROM \(dialect.identifier(name))"
            + (condition.map { "\nWHERE \($0)" } ?? "") + "\nORDER BY \(dialect.identifier("seq"))"
            + (limit.map { "\nLIMIT \($0)" } ?? "")
    }
}

// MARK: - The dataset as rows

extension Dataset {
    /// The rows of one table, every field as text in the order of `table.columns`; empty text is NULL. For the
    /// facts, only those in `facts` (all by default), so that millions can be written a part at a time.
    public func rows(of table: SQLTable, facts part: Range<Int>? = nil) -> [[String]] {
        let c = catalog
        func line(_ n: Int) -> String { n > 0 ? String(n) : "" }
        switch table.name {
        case SQLTable.sources.name:
            return c.sources.enumerated().map { i, s in [String(i + 1), s.file, s.id, s.title, s.author, s.publisher, s.note] }
        case SQLTable.entities.name:
            return c.entities.enumerated().map { i, e in
                [String(i + 1), e.id, e.kind.rawValue, e.name, e.parent.map { c.entities[$0].id } ?? "",
                 e.partner.map { c.entities[$0].id } ?? "", e.aliases.joined(separator: "|")]
            }
        case SQLTable.metrics.name:
            return c.metrics.enumerated().map { i, m in
                [String(i + 1), m.name, m.aliases.joined(separator: "|"), m.additive ? "yes" : "no", m.summary]
            }
        case SQLTable.events.name:
            return events.enumerated().map { i, e in
                [String(i + 1), "\(e.period)", c.entities[e.entity].id, e.kind, e.description, c.sources[e.source].file,
                 line(e.line)]
            }
        case SQLTable.rankings.name:
            return rankings.enumerated().map { i, r in
                [String(i + 1), "\(r.period)", c.metrics[r.metric].name, c.entities[r.leader].id,
                 c.entities[r.trailer].id, c.sources[r.source].file, line(r.line), r.note]
            }
        case SQLTable.factLinks.name:
            return (part ?? 0..<facts.count).compactMap(factLinksRow)
        default:
            return (part ?? 0..<facts.count).map(factRow)
        }
    }

    /// One fact as a row of `SQLTable.facts`.
    private func factRow(_ row: Int) -> [String] {
        let f = facts, period = f.period(row)
        let (lo, hi) = (f.lo[row], f.hi[row])
        return [
            String(row + 1), catalog.entities[Int(f.entity[row])].id, catalog.metrics[Int(f.metric[row])].name,
            "\(period)", String(f.start[row]), String(f.end[row]),
            lo == hi ? Dataset.exactText(lo) : "\(Dataset.exactText(lo))..\(Dataset.exactText(hi))",
            Dataset.exactText(lo), Dataset.exactText(hi), f.unitName(row), f.bound[row].rawValue,
            catalog.sources[Int(f.source[row])].file, f.line[row] > 0 ? String(f.line[row]) : "",
            f.files[Int(f.originFile[row])], String(f.originLine[row]),
        ]
    }

    /// A fact's note and links as a row of `SQLTable.factLinks`; nil for a fact with neither.
    private func factLinksRow(_ row: Int) -> [String]? {
        let f = facts, note = f.note(row)
        guard !note.isEmpty || f.links[row] != nil else { return nil }
        let links = f.links[row]
        func ids(_ rows: [Int]) -> String { rows.compactMap { f.links[$0]?.id }.joined(separator: "|") }
        return [String(row + 1), note, links?.id ?? "", links?.asOf.map { "\($0)" } ?? "", ids(links?.revises ?? []),
                ids(links?.equals ?? []), ids(links?.from ?? [])]
    }

    /// A number as a data file writes it, read back to the same double: whole numbers without a point, others in
    /// the shortest form that round-trips.
    static func exactText(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 9e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// Rows as `SQLTable.select` returns them (`seq`, then the file columns) made one of evq's data files, with its
    /// header, for the loaders.
    static func file(_ table: SQLTable, fetched rows: [[String]]) -> [UInt8] {
        var text = CSV.line(table.fileColumns)
        for row in rows { CSV.append(row.dropFirst().prefix(table.fileColumns.count), to: &text) }
        return Array(text.utf8)
    }
}
